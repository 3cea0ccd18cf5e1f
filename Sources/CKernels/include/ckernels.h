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

/// Activations the packed kernels fuse into their stores.
#define KHK_ACTIVATION_NONE 0
/// Exact GELU, 0.5 x (1 + erf(x / sqrt 2)).
#define KHK_ACTIVATION_GELU 1
/// Tanh-approximated GELU.
#define KHK_ACTIVATION_GELU_TANH 2
/// max(0, x).
#define KHK_ACTIVATION_RELU 3

/// The number of floats the packed form of a `k x n` matrix takes (k times n rounded up to 32).
long khk_packed_size(int k, int n);

/// Packs B, `k x n` row-major (row stride ldb) or, when transposeB is non-zero, stored `n x k`,
/// into blocks of 256 rows of 32-column panels (the layout of packing.h). `packed` holds
/// khk_packed_size(k, n) floats and should be 64-byte aligned. Portable C.
void khk_pack_b(int transposeB, int k, int n, const float *b, int ldb, float *packed);

/// The inverse of khk_pack_b: writes the `k x n` row-major matrix.
void khk_unpack_b(int k, int n, const float *packed, float *b);

/// C[:, columnBegin ..< columnEnd] = activation(A * B + bias (+ C when accumulate)), A `m x k` (row
/// stride lda), B packed by khk_pack_b (64-byte aligned), bias `n` floats or NULL, C row stride
/// ldc. columnBegin is a multiple of 32. Single-threaded; callers split rows or column ranges
/// over their workers. Call only when khk_avx512_available().
void khk_sgemm_packed(int m, int n, int k, const float *a, int lda, const float *packed, int columnBegin,
                      int columnEnd, const float *bias, int accumulate, int activation, float *c, int ldc);

/// y[columnBegin ..< columnEnd] = activation(x * B + bias (+ y when accumulate)) for one row x of
/// length k and B packed by khk_pack_b: one sequential pass over that part of B.
/// columnBegin is a multiple of 32. Call only when khk_avx512_available().
void khk_sgemv_packed(int n, int k, const float *x, const float *packed, int columnBegin, int columnEnd,
                      const float *bias, int accumulate, int activation, float *y);

/// y[i] = dot(A[i, :], x) for `rows` rows of `columns` floats (row stride lda): a GEMV that reads
/// each row of A whole (the tied LM head). Single-threaded; call only when khk_avx512_available().
void khk_sgemv_rows_avx512(int rows, int columns, const float *a, long lda, const float *x, float *y);

/// Softmax over `count` floats in place (a row of -infinity becomes zeros). Call only when
/// khk_avx512_available().
void khk_softmax_avx512(float *row, long count);

/// A task of khk_parallel_run: called with the caller's context and a task index.
typedef void (*khk_task_fn)(void *context, long task);

/// Runs function(context, 0 ..< tasks) on the calling thread and up to `helpers` pool threads
/// (started on first use; they spin briefly between jobs, then sleep), returning when every task
/// has finished. Tasks are handed out dynamically. When the pool is busy (a call from another
/// thread, or from inside a task) the tasks run on the calling thread, in order. Portable C.
void khk_parallel_run(long tasks, int helpers, khk_task_fn function, void *context);

/// Applies an activation (KHK_ACTIVATION_*) to `count` floats in place. Call only when khk_avx512_available().
void khk_activate_avx512(float *values, long count, int activation);

#endif
