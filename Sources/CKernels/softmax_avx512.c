// Softmax over one row in place (AVX-512F, the same exp as FastMath.swift), for attention scores.
#include "ckernels.h"

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#include "vector_math_avx512.h"
#include <string.h>

__attribute__((target("avx512f,fma")))
void khk_softmax_avx512(float *row, long count) {
    if (count <= 0) return;
    long full = count / 16 * 16;
    __mmask16 tail = (__mmask16)((1u << (count - full)) - 1);
    __m512 top = _mm512_set1_ps(-__builtin_inff());
    for (long i = 0; i < full; i += 16) top = _mm512_max_ps(top, _mm512_loadu_ps(row + i));
    if (tail) top = _mm512_mask_max_ps(top, tail, top, _mm512_maskz_loadu_ps(tail, row + full));
    float maximum = _mm512_reduce_max_ps(top);
    if (maximum == -__builtin_inff()) {
        memset(row, 0, sizeof(float) * (size_t)count);
        return;
    }
    __m512 shift = _mm512_set1_ps(maximum), total = _mm512_setzero_ps();
    for (long i = 0; i < full; i += 16) {
        __m512 value = khk_exp512(_mm512_sub_ps(_mm512_loadu_ps(row + i), shift));
        _mm512_storeu_ps(row + i, value);
        total = _mm512_add_ps(total, value);
    }
    if (tail) {
        __m512 value = khk_exp512(_mm512_sub_ps(_mm512_maskz_loadu_ps(tail, row + full), shift));
        value = _mm512_maskz_mov_ps(tail, value);
        _mm512_mask_storeu_ps(row + full, tail, value);
        total = _mm512_add_ps(total, value);
    }
    __m512 inverse = _mm512_set1_ps(1.0f / _mm512_reduce_add_ps(total));
    for (long i = 0; i < full; i += 16) _mm512_storeu_ps(row + i, _mm512_mul_ps(_mm512_loadu_ps(row + i), inverse));
    if (tail) _mm512_mask_storeu_ps(row + full, tail, _mm512_mul_ps(_mm512_maskz_loadu_ps(tail, row + full), inverse));
}

#else
void khk_softmax_avx512(float *row, long count) { (void)row; (void)count; }
#endif
