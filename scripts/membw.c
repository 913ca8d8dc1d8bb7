/* Memory read bandwidth of this machine, 1 and 2 threads: the floor under
 * L-BFGS on large problems (README "Measured speed").
 *
 *   gcc -O3 -march=native -fopenmp scripts/membw.c -o /tmp/membw && /tmp/membw
 *
 * Sums a 192 MB array of doubles (the size of L-BFGS's ten stored pairs on
 * fortunes) 7 times per thread count and prints the best rate. */
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

int main(void) {
    size_t n = 24 * 1000 * 1000;
    double *a = malloc(n * sizeof *a);
    if (!a) return 1;
    for (size_t i = 0; i < n; i++) a[i] = (double)i * 1e-9;
    double check = 0;
    for (int threads = 1; threads <= 2; threads++) {
        omp_set_num_threads(threads);
        double best = 1e9;
        for (int r = 0; r < 7; r++) {
            struct timespec t0, t1;
            clock_gettime(CLOCK_MONOTONIC, &t0);
            double acc = 0;
#pragma omp parallel for reduction(+ : acc)
            for (size_t i = 0; i < n; i++) acc += a[i];
            clock_gettime(CLOCK_MONOTONIC, &t1);
            double dt = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) * 1e-9;
            if (dt < best) best = dt;
            check += acc;
        }
        printf("threads %d: read %.1f GB/s\n", threads, n * sizeof *a / best / 1e9);
    }
    fprintf(stderr, "(checksum %g)\n", check);
    free(a);
    return 0;
}
