// y = A x for a row-major A whose rows are read whole (the tied LM head: logits = embeddings · h).
// Four rows at a time, two accumulators each, so eight independent FMA chains stream four rows
// side by side; AVX-512F, entered only after khk_avx512_available().
#include "ckernels.h"

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#include <immintrin.h>

__attribute__((target("avx512f,fma")))
void khk_sgemv_rows_avx512(int rows, int columns, const float *a, long lda, const float *x, float *y) {
    int full = columns / 32 * 32;
    int rest = columns - full;
    __mmask16 tail0 = rest >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << rest) - 1);
    __mmask16 tail1 = rest > 16 ? (__mmask16)((1u << (rest - 16)) - 1) : 0;
    int i = 0;
    for (; i + 4 <= rows; i += 4) {
        const float *r0 = a + (long)i * lda, *r1 = r0 + lda, *r2 = r1 + lda, *r3 = r2 + lda;
        __m512 s00 = _mm512_setzero_ps(), s01 = s00, s10 = s00, s11 = s00, s20 = s00, s21 = s00, s30 = s00, s31 = s00;
        for (int j = 0; j < full; j += 32) {
            __m512 x0 = _mm512_loadu_ps(x + j), x1 = _mm512_loadu_ps(x + j + 16);
            s00 = _mm512_fmadd_ps(_mm512_loadu_ps(r0 + j), x0, s00);
            s01 = _mm512_fmadd_ps(_mm512_loadu_ps(r0 + j + 16), x1, s01);
            s10 = _mm512_fmadd_ps(_mm512_loadu_ps(r1 + j), x0, s10);
            s11 = _mm512_fmadd_ps(_mm512_loadu_ps(r1 + j + 16), x1, s11);
            s20 = _mm512_fmadd_ps(_mm512_loadu_ps(r2 + j), x0, s20);
            s21 = _mm512_fmadd_ps(_mm512_loadu_ps(r2 + j + 16), x1, s21);
            s30 = _mm512_fmadd_ps(_mm512_loadu_ps(r3 + j), x0, s30);
            s31 = _mm512_fmadd_ps(_mm512_loadu_ps(r3 + j + 16), x1, s31);
        }
        if (rest) {
            __m512 x0 = _mm512_maskz_loadu_ps(tail0, x + full), x1 = _mm512_maskz_loadu_ps(tail1, x + full + 16);
            s00 = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(tail0, r0 + full), x0, s00);
            s01 = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(tail1, r0 + full + 16), x1, s01);
            s10 = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(tail0, r1 + full), x0, s10);
            s11 = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(tail1, r1 + full + 16), x1, s11);
            s20 = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(tail0, r2 + full), x0, s20);
            s21 = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(tail1, r2 + full + 16), x1, s21);
            s30 = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(tail0, r3 + full), x0, s30);
            s31 = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(tail1, r3 + full + 16), x1, s31);
        }
        y[i] = _mm512_reduce_add_ps(_mm512_add_ps(s00, s01));
        y[i + 1] = _mm512_reduce_add_ps(_mm512_add_ps(s10, s11));
        y[i + 2] = _mm512_reduce_add_ps(_mm512_add_ps(s20, s21));
        y[i + 3] = _mm512_reduce_add_ps(_mm512_add_ps(s30, s31));
    }
    for (; i < rows; i++) {
        const float *r0 = a + (long)i * lda;
        __m512 s0 = _mm512_setzero_ps(), s1 = s0;
        for (int j = 0; j < full; j += 32) {
            s0 = _mm512_fmadd_ps(_mm512_loadu_ps(r0 + j), _mm512_loadu_ps(x + j), s0);
            s1 = _mm512_fmadd_ps(_mm512_loadu_ps(r0 + j + 16), _mm512_loadu_ps(x + j + 16), s1);
        }
        if (rest) {
            s0 = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(tail0, r0 + full), _mm512_maskz_loadu_ps(tail0, x + full), s0);
            s1 = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(tail1, r0 + full + 16), _mm512_maskz_loadu_ps(tail1, x + full + 16), s1);
        }
        y[i] = _mm512_reduce_add_ps(_mm512_add_ps(s0, s1));
    }
}

#else
void khk_sgemv_rows_avx512(int rows, int columns, const float *a, long lda, const float *x, float *y) {
    (void)rows; (void)columns; (void)a; (void)lda; (void)x; (void)y;
}
#endif
