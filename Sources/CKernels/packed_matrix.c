// Packing a weight matrix once, at load time, into the panel layout of packing.h (portable C).
#include "ckernels.h"
#include "packing.h"
#include <string.h>

long khk_packed_size(int k, int n) {
    if (k <= 0 || n <= 0) return 0;
    return (long)k * khk_padded_columns(n);
}

void khk_pack_b(int transposeB, int k, int n, const float *b, int ldb, float *packed) {
    if (k <= 0 || n <= 0) return;
    int panels = (int)(khk_padded_columns(n) / KHK_NR);
    for (int pc = 0; pc < k; pc += KHK_KC) {
        int kc = k - pc < KHK_KC ? k - pc : KHK_KC;
        for (int panel = 0; panel < panels; panel++) {
            float *target = (float *)khk_panel(packed, k, n, pc, panel);
            int column = panel * KHK_NR;
            int width = n - column < KHK_NR ? n - column : KHK_NR;
            for (int p = 0; p < kc; p++) {
                float *row = target + (long)p * KHK_NR;
                if (transposeB) {
                    for (int j = 0; j < width; j++) row[j] = b[(long)(column + j) * ldb + pc + p];
                } else {
                    memcpy(row, b + (long)(pc + p) * ldb + column, sizeof(float) * (size_t)width);
                }
                if (width < KHK_NR) memset(row + width, 0, sizeof(float) * (size_t)(KHK_NR - width));
            }
        }
    }
}

void khk_unpack_b(int k, int n, const float *packed, float *b) {
    if (k <= 0 || n <= 0) return;
    int panels = (int)(khk_padded_columns(n) / KHK_NR);
    for (int pc = 0; pc < k; pc += KHK_KC) {
        int kc = k - pc < KHK_KC ? k - pc : KHK_KC;
        for (int panel = 0; panel < panels; panel++) {
            const float *source = khk_panel(packed, k, n, pc, panel);
            int column = panel * KHK_NR;
            int width = n - column < KHK_NR ? n - column : KHK_NR;
            for (int p = 0; p < kc; p++)
                memcpy(b + (long)(pc + p) * n + column, source + (long)p * KHK_NR, sizeof(float) * (size_t)width);
        }
    }
}
