// GEMM and GEMV against a weight matrix packed once at load (packing.h), with the bias and the
// activation fused: the bias seeds the accumulators and the activation runs on them before the
// only store, so a dense layer is a single pass over its output. AVX-512F, entered only after
// khk_avx512_available(); the rest of the file compiles for the baseline target.
#include "ckernels.h"
#include "packing.h"

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#include "vector_math_avx512.h"
#include <stdlib.h>
#include <string.h>

// One R x 32 tile of C over kc steps with B a packed panel [kc][32] and A's R rows read at row
// stride lda: a packed copy of the block, [12][kc] per panel of 12 rows, so packing is a plain copy
// of each row's kc floats (rows 1 KiB apart never alias in L1, as the rows of a wide matrix 4 KiB
// apart would).
// first: the result is (C if accumulate) + bias (zero if no bias) + the products; else C (a
// partial sum) + the products.
// last: apply the activation before storing.
#define DEFINE_PACKED_KERNEL(R)                                                                     \
__attribute__((target("avx512f,fma"))) static void packed_kernel_##R(                              \
    int kc, const float *a, long lda, const float *b, float *c, int ldc, int first, int accumulate,          \
    const float *bias, int last, int activation, __mmask16 mask0, __mmask16 mask1,                  \
    const char *prefetch, int prefetchLines) {                                                      \
    __m512 acc0[R], acc1[R];                                                                        \
    __m512 bias0 = bias ? _mm512_maskz_loadu_ps(mask0, bias) : _mm512_setzero_ps();                 \
    __m512 bias1 = bias ? _mm512_maskz_loadu_ps(mask1, bias + 16) : _mm512_setzero_ps();            \
    /* C (a partial sum, or the caller's values) is added after the products: its lines are     */ \
    /* prefetched here and arrive while the k loop runs instead of stalling its start (the      */ \
    /* rows of a 3072-wide C are 12 KiB apart, so they come from L3, not L1).                   */ \
    int load = !first || accumulate;                                                                \
    if (!first) { bias0 = _mm512_setzero_ps(); bias1 = _mm512_setzero_ps(); }                        \
    _Pragma("clang loop unroll(full)")                                                              \
    for (int r = 0; r < R; r++) {                                                                   \
        _mm_prefetch((const char *)(c + (long)r * ldc), _MM_HINT_T0);                               \
        _mm_prefetch((const char *)(c + (long)r * ldc + 16), _MM_HINT_T0);                          \
        acc0[r] = bias0;                                                                            \
        acc1[r] = bias1;                                                                            \
    }                                                                                               \
    for (int p = 0; p < kc; p++) {                                                                  \
        if (p < prefetchLines) _mm_prefetch(prefetch + 64 * p, _MM_HINT_T1);                        \
        __m512 b0 = _mm512_load_ps(b + p * KHK_NR);                                                 \
        __m512 b1 = _mm512_load_ps(b + p * KHK_NR + 16);                                            \
        _Pragma("clang loop unroll(full)")                                                          \
        for (int r = 0; r < R; r++) {                                                               \
            __m512 av = _mm512_set1_ps(a[r * lda + p]);                                          \
            acc0[r] = _mm512_fmadd_ps(av, b0, acc0[r]);                                             \
            acc1[r] = _mm512_fmadd_ps(av, b1, acc1[r]);                                             \
        }                                                                                           \
    }                                                                                               \
    if (load) {                                                                                     \
        _Pragma("clang loop unroll(full)")                                                          \
        for (int r = 0; r < R; r++) {                                                               \
            acc0[r] = _mm512_add_ps(acc0[r], _mm512_maskz_loadu_ps(mask0, c + (long)r * ldc));      \
            acc1[r] = _mm512_add_ps(acc1[r], _mm512_maskz_loadu_ps(mask1, c + (long)r * ldc + 16)); \
        }                                                                                           \
    }                                                                                               \
    if (last && activation != KHK_ACTIVATION_NONE) {                                                \
        _Pragma("clang loop unroll(full)")                                                          \
        for (int r = 0; r < R; r++) {                                                               \
            acc0[r] = khk_activate512(acc0[r], activation);                                         \
            acc1[r] = khk_activate512(acc1[r], activation);                                         \
        }                                                                                           \
    }                                                                                               \
    _Pragma("clang loop unroll(full)")                                                              \
    for (int r = 0; r < R; r++) {                                                                   \
        _mm512_mask_storeu_ps(c + (long)r * ldc, mask0, acc0[r]);                                   \
        _mm512_mask_storeu_ps(c + (long)r * ldc + 16, mask1, acc1[r]);                              \
    }                                                                                               \
}

DEFINE_PACKED_KERNEL(1)
DEFINE_PACKED_KERNEL(2)
DEFINE_PACKED_KERNEL(3)
DEFINE_PACKED_KERNEL(4)
DEFINE_PACKED_KERNEL(5)
DEFINE_PACKED_KERNEL(6)
DEFINE_PACKED_KERNEL(7)
DEFINE_PACKED_KERNEL(8)
DEFINE_PACKED_KERNEL(9)
DEFINE_PACKED_KERNEL(10)
DEFINE_PACKED_KERNEL(11)
DEFINE_PACKED_KERNEL(12)

typedef void (*packed_kernel_fn)(int, const float *, long, const float *, float *, int, int, int, const float *, int, int,
                                 __mmask16, __mmask16, const char *, int);
static const packed_kernel_fn packed_kernels[KHK_MR + 1] = {
    0, packed_kernel_1, packed_kernel_2, packed_kernel_3, packed_kernel_4, packed_kernel_5, packed_kernel_6,
    packed_kernel_7, packed_kernel_8, packed_kernel_9, packed_kernel_10, packed_kernel_11, packed_kernel_12};

__attribute__((target("avx512f,fma")))
void khk_packed_tile(int rows, int kc, const float *a, long lda, const float *b, float *c, int ldc, int first,
                     int accumulate, unsigned short mask0, unsigned short mask1) {
    packed_kernels[rows](kc, a, lda, b, c, ldc, first, accumulate, 0, 1, KHK_ACTIVATION_NONE, mask0, mask1, 0, 0);
}

// Rows of A packed per block: the block (MC x KC floats, 240 KiB) stays in L2 while every panel of
// B streams past it.
#ifndef KHK_MC
#define KHK_MC 240
#endif

__attribute__((target("avx512f,fma")))
void khk_sgemm_packed(int m, int n, int k, const float *a, int lda, const float *packed, int columnBegin,
                      int columnEnd, const float *bias, int accumulate, int activation, float *c, int ldc) {
    if (m <= 0 || columnEnd <= columnBegin) return;
    int firstPanel = columnBegin / KHK_NR, endPanel = (columnEnd + KHK_NR - 1) / KHK_NR;
    if (k <= 0) {
        // No products: the bias (and C) alone, through the activation.
        for (int i = 0; i < m; i++) {
            for (int panel = firstPanel; panel < endPanel; panel++) {
                int column = panel * KHK_NR;
                __mmask16 mask0, mask1;
                khk_column_masks(column, columnEnd, &mask0, &mask1);
                packed_kernels[1](0, a, 0, 0, c + (long)i * ldc + column, ldc, 1, accumulate, bias ? bias + column : 0,
                                  1, activation, mask0, mask1, 0, 0);
            }
        }
        return;
    }
    int rowsPerBlock = m < KHK_MC ? m : KHK_MC;
    int kcMax = k < KHK_KC ? k : KHK_KC;
    float *packedA = aligned_alloc(64, (sizeof(float) * (size_t)((rowsPerBlock + KHK_MR - 1) / KHK_MR) * KHK_MR * kcMax + 63) / 64 * 64);
    if (!packedA) abort();
    for (int ic = 0; ic < m; ic += KHK_MC) {
        int mc = m - ic < KHK_MC ? m - ic : KHK_MC;
        int panels = (mc + KHK_MR - 1) / KHK_MR;
        for (int pc = 0; pc < k; pc += KHK_KC) {
            int kc = k - pc < KHK_KC ? k - pc : KHK_KC;
            // A[ic ..< ic + mc, pc ..< pc + kc] row by row, contiguous (rows past mc are never read).
            for (int row = 0; row < mc; row++)
                memcpy(packedA + (size_t)row * kc, a + (long)(ic + row) * lda + pc, sizeof(float) * (size_t)kc);
            int first = pc == 0, last = pc + kc >= k;
            for (int panel = firstPanel; panel < endPanel; panel++) {
                int column = panel * KHK_NR;
                __mmask16 mask0, mask1;
                khk_column_masks(column, columnEnd, &mask0, &mask1);
                const float *b = khk_panel(packed, k, n, pc, panel);
                const float *panelBias = bias ? bias + column : 0;
                // The next panel of B (in this block, or the first of the next) is prefetched into
                // L2 a few lines per tile while this one is used, so it never arrives from memory
                // on demand: B streams from DRAM once per block of rows.
                const char *next = (const char *)(b + (long)KHK_NR * kc);
                int nextLines = panel + 1 < endPanel || pc + kc < k ? KHK_NR * kc * 4 / 64 : 0;
                if (panel + 1 >= endPanel && pc + kc < k) next = (const char *)khk_panel(packed, k, n, pc + kc, firstPanel);
                int perTile = (nextLines + panels - 1) / panels;
                for (int rowPanel = 0; rowPanel < panels; rowPanel++) {
                    int row = rowPanel * KHK_MR;
                    int mr = mc - row < KHK_MR ? mc - row : KHK_MR;
                    int lines = nextLines - rowPanel * perTile;
                    lines = lines < 0 ? 0 : lines < perTile ? lines : perTile;
                    packed_kernels[mr](kc, packedA + (size_t)rowPanel * KHK_MR * kc, kc, b, c + (long)(ic + row) * ldc + column,
                                       ldc, first, accumulate, panelBias, last, activation, mask0, mask1,
                                       next + (long)64 * rowPanel * perTile, lines);
                }
            }
        }
    }
    free(packedA);
}

__attribute__((target("avx512f,fma")))
void khk_sgemv_packed(int n, int k, const float *x, const float *packed, int columnBegin, int columnEnd,
                      const float *bias, int accumulate, int activation, float *y) {
    if (columnEnd <= columnBegin) return;
    int firstPanel = columnBegin / KHK_NR, endPanel = (columnEnd + KHK_NR - 1) / KHK_NR;
    // Blocks outer, panels inner: the panels of one block are contiguous, so the whole call is one
    // sequential stream through the weights; y stays in L1 between blocks.
    for (int pc = 0; pc < (k > 0 ? k : 1); pc += KHK_KC) {
        int kc = k - pc < KHK_KC ? k - pc : KHK_KC;
        if (kc < 0) kc = 0;
        int first = pc == 0, last = pc + kc >= k;
        for (int panel = firstPanel; panel < endPanel; panel++) {
            int column = panel * KHK_NR;
            __mmask16 mask0, mask1;
            khk_column_masks(column, columnEnd, &mask0, &mask1);
            __m512 acc0, acc1;
            if (!first || accumulate) {
                acc0 = _mm512_maskz_loadu_ps(mask0, y + column);
                acc1 = _mm512_maskz_loadu_ps(mask1, y + column + 16);
            } else {
                acc0 = _mm512_setzero_ps();
                acc1 = _mm512_setzero_ps();
            }
            if (first && bias) {
                acc0 = _mm512_add_ps(acc0, _mm512_maskz_loadu_ps(mask0, bias + column));
                acc1 = _mm512_add_ps(acc1, _mm512_maskz_loadu_ps(mask1, bias + column + 16));
            }
            if (kc > 0) {
                const float *b = khk_panel(packed, k, n, pc, panel);
                const float *xs = x + pc;
                // Four independent pairs of accumulators hide the FMA latency.
                __m512 s0 = _mm512_setzero_ps(), s1 = s0, s2 = s0, s3 = s0, s4 = s0, s5 = s0, s6 = s0, s7 = s0;
                int p = 0;
                for (; p + 4 <= kc; p += 4) {
                    const float *row = b + (long)p * KHK_NR;
                    __m512 x0 = _mm512_set1_ps(xs[p]), x1 = _mm512_set1_ps(xs[p + 1]);
                    __m512 x2 = _mm512_set1_ps(xs[p + 2]), x3 = _mm512_set1_ps(xs[p + 3]);
                    s0 = _mm512_fmadd_ps(x0, _mm512_load_ps(row), s0);
                    s1 = _mm512_fmadd_ps(x0, _mm512_load_ps(row + 16), s1);
                    s2 = _mm512_fmadd_ps(x1, _mm512_load_ps(row + 32), s2);
                    s3 = _mm512_fmadd_ps(x1, _mm512_load_ps(row + 48), s3);
                    s4 = _mm512_fmadd_ps(x2, _mm512_load_ps(row + 64), s4);
                    s5 = _mm512_fmadd_ps(x2, _mm512_load_ps(row + 80), s5);
                    s6 = _mm512_fmadd_ps(x3, _mm512_load_ps(row + 96), s6);
                    s7 = _mm512_fmadd_ps(x3, _mm512_load_ps(row + 112), s7);
                }
                for (; p < kc; p++) {
                    const float *row = b + (long)p * KHK_NR;
                    __m512 x0 = _mm512_set1_ps(xs[p]);
                    s0 = _mm512_fmadd_ps(x0, _mm512_load_ps(row), s0);
                    s1 = _mm512_fmadd_ps(x0, _mm512_load_ps(row + 16), s1);
                }
                acc0 = _mm512_add_ps(acc0, _mm512_add_ps(_mm512_add_ps(s0, s2), _mm512_add_ps(s4, s6)));
                acc1 = _mm512_add_ps(acc1, _mm512_add_ps(_mm512_add_ps(s1, s3), _mm512_add_ps(s5, s7)));
            }
            if (last && activation != KHK_ACTIVATION_NONE) {
                acc0 = khk_activate512(acc0, activation);
                acc1 = khk_activate512(acc1, activation);
            }
            _mm512_mask_storeu_ps(y + column, mask0, acc0);
            _mm512_mask_storeu_ps(y + column + 16, mask1, acc1);
        }
        if (k <= 0) break;
    }
}

__attribute__((target("avx512f,fma")))
void khk_activate_avx512(float *values, long count, int activation) {
    long i = 0;
    for (; i + 16 <= count; i += 16) _mm512_storeu_ps(values + i, khk_activate512(_mm512_loadu_ps(values + i), activation));
    if (i < count) {
        __mmask16 mask = (__mmask16)((1u << (count - i)) - 1);
        _mm512_mask_storeu_ps(values + i, mask, khk_activate512(_mm512_maskz_loadu_ps(mask, values + i), activation));
    }
}

#else
void khk_sgemm_packed(int m, int n, int k, const float *a, int lda, const float *packed, int columnBegin,
                      int columnEnd, const float *bias, int accumulate, int activation, float *c, int ldc) {
    (void)m; (void)n; (void)k; (void)a; (void)lda; (void)packed; (void)columnBegin; (void)columnEnd; (void)bias;
    (void)accumulate; (void)activation; (void)c; (void)ldc;
}
void khk_sgemv_packed(int n, int k, const float *x, const float *packed, int columnBegin, int columnEnd,
                      const float *bias, int accumulate, int activation, float *y) {
    (void)n; (void)k; (void)x; (void)packed; (void)columnBegin; (void)columnEnd; (void)bias; (void)accumulate;
    (void)activation; (void)y;
}
void khk_activate_avx512(float *values, long count, int activation) { (void)values; (void)count; (void)activation; }
#endif
