/*
 * raif's matvec / matmul kernels vs llama.cpp's (ggml-cpu x86 vec_dot, one (row, column) at a time
 * in 16 x 16 blocks, as its mul_mat does for these types), single thread, same weights and
 * activations: decode (1 vector) and batch (64 vectors, as prefill). Times are thread CPU time
 * (robust on a shared machine), rounds interleaved, medians; prints effective weight GB/s
 * (weight bytes x vectors / time), the speed ratio, and whether the outputs are bit-identical.
 * Build and run with scripts/bench/kernels_vs_ggml.sh.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "CKernels.h"

/* The few ggml declarations needed (from ggml.h / ggml-cpu.h). */
typedef void (*ggml_from_float_t)(const float *x, void *y, int64_t k);
typedef void (*ggml_vec_dot_t)(int n, float *s, size_t bs, const void *x, size_t bx, const void *y, size_t by, int nrc);
struct ggml_type_traits_cpu {
    ggml_from_float_t from_float;
    ggml_vec_dot_t vec_dot;
    int vec_dot_type;
    int64_t nrows;
};
const struct ggml_type_traits_cpu *ggml_get_type_traits_cpu(int type);
void ggml_cpu_init(void);

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int cmp_double(const void *a, const void *b) {
    const double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static uint64_t rng = 0x9E3779B97F4A7C15ull;
static float frand(void) {
    rng ^= rng << 13; rng ^= rng >> 7; rng ^= rng << 17;
    return (float)((rng >> 11) * 0x1.0p-53) * 2.0f - 1.0f;
}

/* One comparison: rows x cols weights of type t against nvec activation vectors. */
static void compare(int t, int rows, int cols, int nvec, int rounds) {
    const raif_type_traits *tr = raif_get_type_traits(t);
    const struct ggml_type_traits_cpu *g = ggml_get_type_traits_cpu(t);
    const size_t row_bytes = raif_row_size(t, cols), act_bytes = raif_row_size(tr->vec_dot_type, cols);
    float *x = malloc(sizeof(float) * cols);
    char *w = malloc(row_bytes * rows), *a = malloc(act_bytes * nvec);
    /* weights made by ggml's quantizer for the weight type (its reference quantizer) */
    for (int r = 0; r < rows; r++) {
        for (int j = 0; j < cols; j++) x[j] = frand() * 0.05f;
        g->from_float(x, w + (size_t)r * row_bytes, cols);
    }
    const raif_type_traits *at = raif_get_type_traits(tr->vec_dot_type);
    for (int v = 0; v < nvec; v++) {
        for (int j = 0; j < cols; j++) x[j] = frand();
        at->quantize(x, a + (size_t)v * act_bytes, cols);
    }
    float *out_g = malloc(sizeof(float) * rows * nvec), *out_r = malloc(sizeof(float) * rows * nvec);
    double tg[64], trf[64];
    if (rounds > 64) rounds = 64;
    for (int k = 0; k < rounds; k++) {
        double t0 = now();
        for (int r0 = 0; r0 < rows; r0 += 16)
            for (int v0 = 0; v0 < nvec; v0 += 16)
                for (int v = v0; v < v0 + 16 && v < nvec; v++)
                    for (int r = r0; r < r0 + 16 && r < rows; r++)
                        g->vec_dot(cols, &out_g[(size_t)v * rows + r], 0, w + (size_t)r * row_bytes, 0,
                                   a + (size_t)v * act_bytes, 0, 1);
        double t1 = now();
        raif_matmul(t, cols, 0, rows, w, nvec, a, act_bytes, out_r, rows);
        double t2 = now();
        tg[k] = t1 - t0;
        trf[k] = t2 - t1;
    }
    qsort(tg, rounds, sizeof(double), cmp_double);
    qsort(trf, rounds, sizeof(double), cmp_double);
    const double gb = (double)row_bytes * rows * nvec / 1e9;
    const int same = memcmp(out_g, out_r, sizeof(float) * rows * nvec) == 0;
    printf("%-5s %5dx%-5d x%-3d %9.2f  %9.2f  %8.2fx  %s\n", tr->name, rows, cols, nvec, gb / tg[rounds / 2],
           gb / trf[rounds / 2], tg[rounds / 2] / trf[rounds / 2], same ? "yes" : "NO");
    free(x); free(w); free(a); free(out_g); free(out_r);
}

int main(int argc, char **argv) {
    const int rounds = argc > 1 ? atoi(argv[1]) : 11;
    const int types[] = { RAIF_TYPE_Q4_1, RAIF_TYPE_Q8_0, RAIF_TYPE_Q4_0, RAIF_TYPE_Q5_0, RAIF_TYPE_Q5_1,
                          RAIF_TYPE_Q4_K, RAIF_TYPE_Q5_K, RAIF_TYPE_Q6_K, RAIF_TYPE_F16, RAIF_TYPE_BF16, RAIF_TYPE_F32 };
    ggml_cpu_init();
    printf("type  matrix      vecs  ggml GB/s  raif GB/s  raif/ggml  identical  (1 thread, CPU time, median of %d)\n",
           rounds);
    for (size_t ti = 0; ti < sizeof types / sizeof types[0]; ti++) {
        compare(types[ti], 2048, 1536, 1, rounds);
        compare(types[ti], 2048, 1536, 64, rounds > 5 ? 5 : rounds);
    }
    return 0;
}
