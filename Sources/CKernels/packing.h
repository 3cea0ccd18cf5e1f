// The packed weight layout shared by the packing routines and the packed GEMM/GEMV kernels.
//
// A k x n matrix B is stored as k blocks of at most KHK_KC rows; block pc (a multiple of KHK_KC,
// kc = min(KHK_KC, k - pc) rows) starts at float offset pc * npad (npad = n rounded up to
// KHK_NR) and holds npad / KHK_NR panels of kc x KHK_NR floats, row-major and contiguous:
//   B[p][j] = packed[pc * npad + (j / KHK_NR) * KHK_NR * kc + (p - pc) * KHK_NR + j % KHK_NR].
// Columns past n are zero. Every panel starts on a 128-byte boundary when the buffer does.
#ifndef KERAS_HUB_CKERNELS_PACKING_H
#define KERAS_HUB_CKERNELS_PACKING_H

#ifndef KHK_KC
#define KHK_KC 256
#endif
#define KHK_NR 32
#define KHK_MR 12

static inline long khk_padded_columns(int n) { return ((long)n + KHK_NR - 1) / KHK_NR * KHK_NR; }

static inline const float *khk_panel(const float *packed, int k, int n, int pc, int panel) {
    int kc = k - pc < KHK_KC ? k - pc : KHK_KC;
    return packed + (long)pc * khk_padded_columns(n) + (long)panel * KHK_NR * kc;
}

// The masks of the two 16-column halves of the panel starting at `column`, for columns before
// `columnEnd` (AVX-512 `__mmask16` values).
static inline void khk_column_masks(int column, int columnEnd, unsigned short *mask0, unsigned short *mask1) {
    int width = columnEnd - column < KHK_NR ? columnEnd - column : KHK_NR;
    *mask0 = width >= 16 ? (unsigned short)0xFFFF : (unsigned short)((1u << width) - 1);
    *mask1 = width >= 32 ? (unsigned short)0xFFFF : width > 16 ? (unsigned short)((1u << (width - 16)) - 1) : 0;
}

// One tile of at most KHK_MR rows: C[rows x 32] = (first ? (accumulate ? C : 0) : C) + A * B, A's
// rows `lda` floats apart, B a [kc][32] panel (64-byte aligned), columns masked by mask0/mask1.
// The packed GEMM's micro-kernel, for the other AVX-512 GEMM drivers; AVX-512 CPUs only.
void khk_packed_tile(int rows, int kc, const float *a, long lda, const float *b, float *c, int ldc, int first,
                     int accumulate, unsigned short mask0, unsigned short mask1);

#endif
