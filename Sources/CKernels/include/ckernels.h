#ifndef KERAS_HUB_CKERNELS_H
#define KERAS_HUB_CKERNELS_H

/// Whether this CPU (and OS) runs AVX-512F code: the kernels below may be called only then.
int khk_avx512_available(void);

/// Row-major single-precision GEMM, C = A * B + beta * C with beta 0 or 1, A `m x k` (row stride
/// lda), B `k x n` as stored (row stride ldb), C `m x n` (row stride ldc); single-threaded,
/// AVX-512F micro-kernels (12 x 32 tiles, k blocked by 256, both operands packed). Call only when khk_avx512_available().
void khk_sgemm_avx512(int m, int n, int k, const float *a, int lda, const float *b, int ldb,
                      float beta, float *c, int ldc);

/// As khk_sgemm_avx512, with C = alpha * A * op(B) + beta * C, where op(B) is B or, when
/// transposeB is non-zero, the transpose of B stored `n x k` (row stride ldb).
void khk_sgemm_avx512_ex(int transposeB, int m, int n, int k, float alpha, const float *a, int lda,
                         const float *b, int ldb, float beta, float *c, int ldc);

#endif
