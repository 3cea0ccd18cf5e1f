/* The OpenBLAS sgemm ceiling: GFLOP/s of cblas_sgemm on the projection shapes of a BERT-base
 * forward over 8 x 128 tokens, linked against the same system OpenBLAS as swift-keras-hub and run
 * with the same environment (OPENBLAS_CORETYPE / OPENBLAS_NUM_THREADS as set).
 * Build: cc -O2 sgemm_ceiling.c -lopenblas -o sgemm_ceiling
 * Usage: sgemm_ceiling [tokens] [runs]; prints one JSON line. */
#include <cblas.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

static int compare(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv) {
    int tokens = argc > 1 ? atoi(argv[1]) : 1024;
    int runs = argc > 2 ? atoi(argv[2]) : 7;
    /* One layer's GEMMs: Q, K, V, output (768 -> 768), intermediate (768 -> 3072), output (3072 -> 768). */
    int shapes[6][2] = {{768, 768}, {768, 768}, {768, 768}, {768, 768}, {768, 3072}, {3072, 768}};
    float *a = malloc(sizeof(float) * tokens * 3072), *b = malloc(sizeof(float) * 3072 * 768),
          *c = malloc(sizeof(float) * tokens * 3072);
    for (long i = 0; i < (long)tokens * 3072; i++) a[i] = (float)((i * 7919) % 1000) / 1000.0f - 0.5f;
    for (long i = 0; i < 3072L * 768; i++) b[i] = (float)((i * 104729) % 1000) / 1000.0f - 0.5f;
    double flops = 0;
    for (int s = 0; s < 6; s++) flops += 2.0 * tokens * shapes[s][0] * shapes[s][1];
    double samples[64];
    if (runs > 64) runs = 64;
    for (int r = -2; r < runs; r++) {
        double start = now();
        for (int s = 0; s < 6; s++) {
            int k = shapes[s][0], n = shapes[s][1];
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, tokens, n, k, 1.0f, a, k, b, n, 0.0f, c, n);
        }
        if (r >= 0) samples[r] = now() - start;
    }
    qsort(samples, runs, sizeof(double), compare);
    double median = samples[runs / 2];
    printf("{\"benchmark\":\"sgemm\",\"library\":\"system OpenBLAS (cblas_sgemm)\",\"threads\":%d,\"tokens\":%d,"
           "\"median_ms\":%.4f,\"gflops\":%.3f,\"tokens_per_second\":null}\n",
           openblas_get_num_threads(), tokens, median * 1000, flops / median / 1e9);
    return 0;
}
