// AVX-512F GEMM micro-kernels. Compiled for the baseline target, with the AVX-512 code enabled per
// function by a target attribute and entered only after a runtime CPU check, so the library still
// runs on any x86-64 (and builds on other architectures, where it is never called).
#include "ckernels.h"

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#include <immintrin.h>

int khk_avx512_available(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f");
}

#include <stdlib.h>
#include <string.h>

#ifndef KC
#define KC 256
#endif
#define NR 32
#define MR 12

// One R x 32 tile of C over kc steps: C (+)= A[R x kc] * B[kc x 32], with A packed [kc][12] and B
// packed [kc][32] (both contiguous); columns of C masked at the N edge.
#define DEFINE_KERNEL(R)                                                                            \
__attribute__((target("avx512f,fma"))) static void kernel_##R(                                     \
    int kc, const float *a, const float *b, float *c, int ldc, int accumulate,                      \
    __mmask16 mask0, __mmask16 mask1) {                                                             \
    __m512 acc0[R], acc1[R];                                                                        \
    _Pragma("clang loop unroll(full)")                                                              \
    for (int r = 0; r < R; r++) {                                                                   \
        if (accumulate) {                                                                           \
            acc0[r] = _mm512_maskz_loadu_ps(mask0, c + r * ldc);                                    \
            acc1[r] = _mm512_maskz_loadu_ps(mask1, c + r * ldc + 16);                               \
        } else {                                                                                    \
            acc0[r] = _mm512_setzero_ps();                                                          \
            acc1[r] = _mm512_setzero_ps();                                                          \
        }                                                                                           \
    }                                                                                               \
    for (int p = 0; p < kc; p++) {                                                                  \
        __m512 b0 = _mm512_load_ps(b + p * NR);                                                     \
        __m512 b1 = _mm512_load_ps(b + p * NR + 16);                                                \
        _Pragma("clang loop unroll(full)")                                                          \
        for (int r = 0; r < R; r++) {                                                               \
            __m512 av = _mm512_set1_ps(a[p * MR + r]);                                              \
            acc0[r] = _mm512_fmadd_ps(av, b0, acc0[r]);                                             \
            acc1[r] = _mm512_fmadd_ps(av, b1, acc1[r]);                                             \
        }                                                                                           \
    }                                                                                               \
    _Pragma("clang loop unroll(full)")                                                              \
    for (int r = 0; r < R; r++) {                                                                   \
        _mm512_mask_storeu_ps(c + r * ldc, mask0, acc0[r]);                                         \
        _mm512_mask_storeu_ps(c + r * ldc + 16, mask1, acc1[r]);                                    \
    }                                                                                               \
}

DEFINE_KERNEL(1)
DEFINE_KERNEL(2)
DEFINE_KERNEL(3)
DEFINE_KERNEL(4)
DEFINE_KERNEL(5)
DEFINE_KERNEL(6)
DEFINE_KERNEL(7)
DEFINE_KERNEL(8)
DEFINE_KERNEL(9)
DEFINE_KERNEL(10)
DEFINE_KERNEL(11)
DEFINE_KERNEL(12)

typedef void (*kernel_fn)(int, const float *, const float *, float *, int, int, __mmask16, __mmask16);
static const kernel_fn kernels[MR + 1] = {
    0, kernel_1, kernel_2, kernel_3, kernel_4, kernel_5, kernel_6, kernel_7, kernel_8, kernel_9, kernel_10, kernel_11, kernel_12};

// In-register transpose of a 16 x 16 block (r[i] holds row i; afterwards column i).
__attribute__((target("avx512f"), always_inline)) static inline void transpose16(__m512 r[16]) {
    __m512 t[16];
    for (int i = 0; i < 8; i++) {
        t[2 * i] = _mm512_unpacklo_ps(r[2 * i], r[2 * i + 1]);
        t[2 * i + 1] = _mm512_unpackhi_ps(r[2 * i], r[2 * i + 1]);
    }
    for (int i = 0; i < 4; i++) {
        r[4 * i] = _mm512_castpd_ps(_mm512_unpacklo_pd(_mm512_castps_pd(t[4 * i]), _mm512_castps_pd(t[4 * i + 2])));
        r[4 * i + 1] = _mm512_castpd_ps(_mm512_unpackhi_pd(_mm512_castps_pd(t[4 * i]), _mm512_castps_pd(t[4 * i + 2])));
        r[4 * i + 2] = _mm512_castpd_ps(_mm512_unpacklo_pd(_mm512_castps_pd(t[4 * i + 1]), _mm512_castps_pd(t[4 * i + 3])));
        r[4 * i + 3] = _mm512_castpd_ps(_mm512_unpackhi_pd(_mm512_castps_pd(t[4 * i + 1]), _mm512_castps_pd(t[4 * i + 3])));
    }
    for (int i = 0; i < 4; i++) {
        t[i] = _mm512_shuffle_f32x4(r[i], r[i + 4], 0x88);
        t[i + 4] = _mm512_shuffle_f32x4(r[i], r[i + 4], 0xdd);
        t[i + 8] = _mm512_shuffle_f32x4(r[i + 8], r[i + 12], 0x88);
        t[i + 12] = _mm512_shuffle_f32x4(r[i + 8], r[i + 12], 0xdd);
    }
    for (int i = 0; i < 4; i++) {
        r[i] = _mm512_shuffle_f32x4(t[i], t[i + 8], 0x88);
        r[i + 8] = _mm512_shuffle_f32x4(t[i], t[i + 8], 0xdd);
        r[i + 4] = _mm512_shuffle_f32x4(t[i + 4], t[i + 12], 0x88);
        r[i + 12] = _mm512_shuffle_f32x4(t[i + 4], t[i + 12], 0xdd);
    }
}

void khk_sgemm_avx512(int m, int n, int k, const float *a, int lda, const float *b, int ldb,
                      float beta, float *c, int ldc) {
    khk_sgemm_avx512_ex(0, m, n, k, 1.0f, a, lda, b, ldb, beta, c, ldc);
}

__attribute__((target("avx512f,fma")))
void khk_sgemm_avx512_ex(int transposeB, int m, int n, int k, float alpha, const float *a, int lda,
                         const float *b, int ldb, float beta, float *c, int ldc) {
    if (m <= 0 || n <= 0) return;
    if (k <= 0) {
        if (beta == 0) for (int i = 0; i < m; i++) memset(c + (long)i * ldc, 0, sizeof(float) * n);
        return;
    }
    int panels = (m + MR - 1) / MR;
    int kcMax = k < KC ? k : KC;
    // aligned_alloc wants a size that is a multiple of the alignment.
    float *packedA = aligned_alloc(64, (sizeof(float) * (size_t)panels * MR * kcMax + 63) / 64 * 64);
    float *packedB = aligned_alloc(64, sizeof(float) * NR * kcMax);
    for (int pc = 0; pc < k; pc += KC) {
        int kc = k - pc < KC ? k - pc : KC;
        int accumulate = pc > 0 || beta != 0;
        // A[:, pc ..< pc + kc] as panels of 12 rows, [kc][12] each (rows past m are zero).
        for (int panel = 0; panel < panels; panel++) {
            float *target = packedA + (size_t)panel * MR * kc;
            for (int r = 0; r < MR; r++) {
                int row = panel * MR + r;
                if (row < m) {
                    const float *source = a + (long)row * lda + pc;
                    for (int p = 0; p < kc; p++) target[p * MR + r] = alpha * source[p];
                } else {
                    for (int p = 0; p < kc; p++) target[p * MR + r] = 0;
                }
            }
        }
        for (int jc = 0; jc < n; jc += NR) {
            int nr = n - jc < NR ? n - jc : NR;
            // B[pc ..< pc + kc, jc ..< jc + 32] as [kc][32] (columns past n are zero).
            if (transposeB) {
                // B stored n x k: B[p][j] = b[j * ldb + p].
                // 16 x 16 blocks transposed in registers (the attention scores' K^T), edges by element.
                if (nr < NR) memset(packedB, 0, sizeof(float) * NR * kc);
                int j = 0;
                for (; j + 16 <= nr; j += 16) {
                    int p = 0;
                    for (; p + 16 <= kc; p += 16) {
                        __m512 rows[16];
                        for (int i = 0; i < 16; i++) rows[i] = _mm512_loadu_ps(b + (long)(jc + j + i) * ldb + pc + p);
                        transpose16(rows);
                        for (int i = 0; i < 16; i++) _mm512_store_ps(packedB + (p + i) * NR + j, rows[i]);
                    }
                    for (; p < kc; p++)
                        for (int i = 0; i < 16; i++) packedB[p * NR + j + i] = b[(long)(jc + j + i) * ldb + pc + p];
                }
                for (; j < nr; j++) {
                    const float *source = b + (long)(jc + j) * ldb + pc;
                    for (int p = 0; p < kc; p++) packedB[p * NR + j] = source[p];
                }
            }
            __mmask16 mask0 = nr >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << nr) - 1);
            __mmask16 mask1 = nr >= 32 ? (__mmask16)0xFFFF : nr > 16 ? (__mmask16)((1u << (nr - 16)) - 1) : 0;
            if (!transposeB) {
                // Two masked 16-wide copies a row (a memcpy call per 128 bytes cost more than the copy).
                for (int p = 0; p < kc; p++) {
                    const float *source = b + (long)(pc + p) * ldb + jc;
                    _mm512_store_ps(packedB + p * NR, _mm512_maskz_loadu_ps(mask0, source));
                    _mm512_store_ps(packedB + p * NR + 16, _mm512_maskz_loadu_ps(mask1, source + 16));
                }
            }
            for (int panel = 0; panel < panels; panel++) {
                int ic = panel * MR;
                int mr = m - ic < MR ? m - ic : MR;
                kernels[mr](kc, packedA + (size_t)panel * MR * kc, packedB, c + (long)ic * ldc + jc, ldc,
                            accumulate, mask0, mask1);
            }
        }
    }
    free(packedA);
    free(packedB);
}

#else
int khk_avx512_available(void) { return 0; }
void khk_sgemm_avx512_ex(int transposeB, int m, int n, int k, float alpha, const float *a, int lda,
                         const float *b, int ldb, float beta, float *c, int ldc) {
    (void)transposeB; (void)m; (void)n; (void)k; (void)alpha; (void)a; (void)lda; (void)b; (void)ldb;
    (void)beta; (void)c; (void)ldc;
}
void khk_sgemm_avx512(int m, int n, int k, const float *a, int lda, const float *b, int ldb,
                      float beta, float *c, int ldc) {
    (void)m; (void)n; (void)k; (void)a; (void)lda; (void)b; (void)ldb; (void)beta; (void)c; (void)ldc;
}
#endif
