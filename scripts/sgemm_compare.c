// Single-threaded sgemm GFLOP/s on the shapes the engine multiplies, for weighing BLAS libraries (issue 15).
// The engine cuts each product into one single-threaded sgemm per core, so one thread is what matters.
//
//   cc -O2 -o /tmp/sgemm-openblas scripts/sgemm_compare.c -lopenblas
//   cc -O2 -o /tmp/sgemm-blis scripts/sgemm_compare.c -lblis          # Debian: apt-get install libblis-dev
//   for core in Haswell SkylakeX; do OPENBLAS_NUM_THREADS=1 OPENBLAS_CORETYPE=$core /tmp/sgemm-openblas openblas-$core; done
//   BLIS_NUM_THREADS=1 OMP_NUM_THREADS=1 /tmp/sgemm-blis blis
//
// Prints one JSON object per shape: the best of 7 timed calls after a warm-up.
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

enum { RowMajor = 101, NoTrans = 111, Trans = 112 };
void cblas_sgemm(int order, int transA, int transB, int m, int n, int k, float alpha, const float *a, int lda,
                 const float *b, int ldb, float beta, float *c, int ldc);

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

int main(int argc, char **argv) {
    const char *name = argc > 1 ? argv[1] : "?";
    // m × k times (n × k)ᵀ as the engine's forward (weights [out, in]), plus 1024³ for the peak.
    const int shapes[][3] = {{1024, 1024, 1024}, {2048, 640, 384}, {2048, 2048, 384}, {2048, 384, 1024},
                             {2048, 512, 384}, {256, 2048, 384}, {16, 2048, 384}};
    for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++) {
        const int m = shapes[s][0], n = shapes[s][1], k = shapes[s][2];
        float *a = malloc(sizeof(float) * m * k), *b = malloc(sizeof(float) * n * k), *c = malloc(sizeof(float) * m * n);
        for (long i = 0; i < (long)m * k; i++) a[i] = (float)((i * 7919) % 1000) / 1000.0f - 0.5f;
        for (long i = 0; i < (long)n * k; i++) b[i] = (float)((i * 104729) % 1000) / 1000.0f - 0.5f;
        cblas_sgemm(RowMajor, NoTrans, Trans, m, n, k, 1.0f, a, k, b, k, 0.0f, c, n);
        const int calls = m * (double)n * k < 1e8 ? 50 : 5;
        double best = 1e30;
        for (int r = 0; r < 7; r++) {
            const double t0 = now();
            for (int i = 0; i < calls; i++) cblas_sgemm(RowMajor, NoTrans, Trans, m, n, k, 1.0f, a, k, b, k, 0.0f, c, n);
            const double t = (now() - t0) / calls;
            if (t < best) best = t;
        }
        printf("{\"library\": \"%s\", \"m\": %d, \"n\": %d, \"k\": %d, \"gflops\": %.1f}\n", name, m, n, k,
               2.0 * m * n * k / best / 1e9);
        free(a); free(b); free(c);
    }
    return 0;
}
