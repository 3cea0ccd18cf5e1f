// AVX-512F GEMM over an unpacked B (attention: Q K^T and P V): B is packed per call and the tiles
// run on the packed GEMM's micro-kernel (khk_packed_tile). Compiled for the baseline target, with
// the AVX-512 code enabled per function by a target attribute and entered only after a runtime CPU
// check, so the library still runs on any x86-64 (and builds on other architectures, where it is
// never called).
#include "ckernels.h"
#include "packing.h"

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#include <immintrin.h>

int khk_avx512_available(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f");
}

#include <stdlib.h>
#include <string.h>

#define KC KHK_KC
#define NR KHK_NR
#define MR KHK_MR

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
    float *packedA = aligned_alloc(64, (sizeof(float) * (size_t)m * kcMax + 63) / 64 * 64);
    float *packedB = aligned_alloc(64, sizeof(float) * NR * kcMax);
    if (!packedA || !packedB) abort();
    __m512 scale = _mm512_set1_ps(alpha);
    for (int pc = 0; pc < k; pc += KC) {
        int kc = k - pc < KC ? k - pc : KC;
        // alpha * A[:, pc ..< pc + kc], row after row ([m][kc], contiguous): the packed kernels read
        // 12 rows kc floats apart.
        for (int row = 0; row < m; row++) {
            const float *source = a + (long)row * lda + pc;
            float *target = packedA + (size_t)row * kc;
            int p = 0;
            for (; p + 16 <= kc; p += 16) _mm512_storeu_ps(target + p, _mm512_mul_ps(scale, _mm512_loadu_ps(source + p)));
            if (p < kc) {
                __mmask16 tail = (__mmask16)((1u << (kc - p)) - 1);
                _mm512_mask_storeu_ps(target + p, tail, _mm512_mul_ps(scale, _mm512_maskz_loadu_ps(tail, source + p)));
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
            __mmask16 mask0, mask1;
            khk_column_masks(jc, n, &mask0, &mask1);
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
                khk_packed_tile(mr, kc, packedA + (size_t)ic * kc, kc, packedB, c + (long)ic * ldc + jc, ldc, pc == 0,
                                beta != 0, mask0, mask1);
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
