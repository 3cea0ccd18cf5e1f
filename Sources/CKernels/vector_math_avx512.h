// AVX-512 versions of the library's float32 approximations (FastMath.swift): the same Cephes
// `expf` polynomial and the same two-piece erf, so the fused GEMM epilogues and the Swift kernels
// agree to a few ulps. Include only from files compiled on x86-64 with clang or GCC.
#ifndef KERAS_HUB_CKERNELS_VECTOR_MATH_AVX512_H
#define KERAS_HUB_CKERNELS_VECTOR_MATH_AVX512_H

#include <immintrin.h>
#include "ckernels.h"

#define KHK_AVX512 __attribute__((target("avx512f,fma"), always_inline)) static inline

/// e^x: exactly 0 below -87.3, finite (about 1.7e38) at and above 88.
KHK_AVX512 __m512 khk_exp512(__m512 x) {
    __m512 clamped = _mm512_min_ps(_mm512_max_ps(x, _mm512_set1_ps(-87.3f)), _mm512_set1_ps(88.0f));
    __m512 magic = _mm512_set1_ps(12582912.0f);
    __m512 shifted = _mm512_fmadd_ps(clamped, _mm512_set1_ps(1.44269504088896341f), magic);
    __m512 n = _mm512_sub_ps(shifted, magic);
    __m512 r = _mm512_fnmadd_ps(n, _mm512_set1_ps(0.693359375f), clamped);
    r = _mm512_fmadd_ps(n, _mm512_set1_ps(2.12194440e-4f), r);
    __m512 p = _mm512_set1_ps(1.9875691500e-4f);
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.3981999507e-3f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(8.3334519073e-3f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(4.1665795894e-2f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.6666665459e-1f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(5.0000001201e-1f));
    __m512 y = _mm512_add_ps(_mm512_fmadd_ps(p, _mm512_mul_ps(r, r), r), _mm512_set1_ps(1.0f));
    __m512i exponent = _mm512_slli_epi32(
        _mm512_add_epi32(_mm512_sub_epi32(_mm512_castps_si512(shifted), _mm512_set1_epi32(0x4B400000)),
                         _mm512_set1_epi32(127)), 23);
    __m512 result = _mm512_mul_ps(y, _mm512_castsi512_ps(exponent));
    __mmask16 underflow = _mm512_cmp_ps_mask(x, _mm512_set1_ps(-87.3f), _CMP_LT_OQ);
    return _mm512_mask_blend_ps(underflow, result, _mm512_setzero_ps());
}

/// erf(x): an odd polynomial below |x| = 0.84, Abramowitz and Stegun 7.1.26 above, ±1 beyond 4.
KHK_AVX512 __m512 khk_erf512(__m512 x) {
    // Bit operations on the integer view: the float forms need AVX-512DQ.
    __m512i bits = _mm512_castps_si512(x), signBit = _mm512_set1_epi32((int)0x80000000u);
    __m512i sign = _mm512_and_si512(bits, signBit);
    __m512 a = _mm512_min_ps(_mm512_castsi512_ps(_mm512_andnot_si512(signBit, bits)), _mm512_set1_ps(4.0f));
    __m512 s = _mm512_mul_ps(a, a);
    __m512 q = _mm512_set1_ps(1.4807192815879218e-08f);
    q = _mm512_fmadd_ps(q, s, _mm512_set1_ps(-1.6365844691234924e-07f));
    q = _mm512_fmadd_ps(q, s, _mm512_set1_ps(1.6462114365889246e-06f));
    q = _mm512_fmadd_ps(q, s, _mm512_set1_ps(-1.492565035840625e-05f));
    q = _mm512_fmadd_ps(q, s, _mm512_set1_ps(0.00012055332981789664f));
    q = _mm512_fmadd_ps(q, s, _mm512_set1_ps(-0.0008548327023450852f));
    q = _mm512_fmadd_ps(q, s, _mm512_set1_ps(0.005223977625442188f));
    q = _mm512_fmadd_ps(q, s, _mm512_set1_ps(-0.026866170645131252f));
    q = _mm512_fmadd_ps(q, s, _mm512_set1_ps(0.11283791670955126f));
    q = _mm512_fmadd_ps(q, s, _mm512_set1_ps(-0.37612638903183754f));
    q = _mm512_fmadd_ps(q, s, _mm512_set1_ps(1.1283791670955126f));
    __m512 small = _mm512_mul_ps(a, q);
    __m512 t = _mm512_div_ps(_mm512_set1_ps(1.0f), _mm512_fmadd_ps(a, _mm512_set1_ps(0.3275911f), _mm512_set1_ps(1.0f)));
    __m512 p = _mm512_set1_ps(1.061405429f);
    p = _mm512_fmadd_ps(p, t, _mm512_set1_ps(-1.453152027f));
    p = _mm512_fmadd_ps(p, t, _mm512_set1_ps(1.421413741f));
    p = _mm512_fmadd_ps(p, t, _mm512_set1_ps(-0.284496736f));
    p = _mm512_fmadd_ps(p, t, _mm512_set1_ps(0.254829592f));
    __m512 large = _mm512_fnmadd_ps(_mm512_mul_ps(p, t), khk_exp512(_mm512_sub_ps(_mm512_setzero_ps(), s)),
                                    _mm512_set1_ps(1.0f));
    __mmask16 isSmall = _mm512_cmp_ps_mask(a, _mm512_set1_ps(0.84f), _CMP_LT_OQ);
    return _mm512_castsi512_ps(_mm512_or_si512(_mm512_castps_si512(_mm512_mask_blend_ps(isSmall, large, small)), sign));
}

/// An activation applied to one vector (codes of ckernels.h).
KHK_AVX512 __m512 khk_activate512(__m512 x, int activation) {
    switch (activation) {
    case KHK_ACTIVATION_GELU: {
        __m512 e = khk_erf512(_mm512_mul_ps(x, _mm512_set1_ps(0.70710678118654752440f)));
        return _mm512_mul_ps(_mm512_mul_ps(_mm512_set1_ps(0.5f), x), _mm512_add_ps(e, _mm512_set1_ps(1.0f)));
    }
    case KHK_ACTIVATION_GELU_TANH: {
        __m512 cube = _mm512_mul_ps(_mm512_mul_ps(x, x), x);
        __m512 y = _mm512_mul_ps(_mm512_set1_ps(2 * 0.79788456080286535588f),
                                 _mm512_fmadd_ps(cube, _mm512_set1_ps(0.044715f), x));
        __m512 denominator = _mm512_add_ps(khk_exp512(_mm512_sub_ps(_mm512_setzero_ps(), y)), _mm512_set1_ps(1.0f));
        return _mm512_div_ps(x, denominator);
    }
    case KHK_ACTIVATION_RELU:
        return _mm512_max_ps(x, _mm512_setzero_ps());
    default:
        return x;
    }
}

#endif
