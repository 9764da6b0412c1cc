/*
 * The fused matmul kernels of kernels_matmul.c, as kernels_traits.c's row-range driver calls them.
 * Each result is bit-identical to the single-vector fast dot product of its row and vector.
 */
#ifndef RAIF_KERNELS_MATMUL_H
#define RAIF_KERNELS_MATMUL_H

#include "CKernels.h"

#include <stddef.h>

/* Vectors per multi-vector call. */
#define RAIF_MULTI_MAX 4

/* One weight row against up to RAIF_MULTI_MAX activation vectors: out[v * out_stride]. */
typedef void (*raif_multi_dot_fn)(int n, const void *w, int nvec, const void *act, size_t act_stride,
                                  float *out, size_t out_stride);
/* Two consecutive weight rows (row_bytes apart) against up to RAIF_MULTI_MAX vectors:
 * out[v * out_stride + 0/1]. `prefetch`: request the rows further on (the pass that streams a
 * tile from memory). */
typedef void (*raif_pair_dot_fn)(int n, const void *w, size_t row_bytes, int nvec, const void *act,
                                 size_t act_stride, float *out, size_t out_stride, int prefetch);
/* Four consecutive weight rows (row_bytes apart) against one activation vector: out[0..3]. */
typedef void (*raif_rows4_fn)(int n, const void *w, size_t row_bytes, const void *act, float *out);

/* The kernel for weights of type wtype, or NULL where there is none (use the single-row dot). */
raif_multi_dot_fn raif_multi_dot_for(int wtype);
raif_pair_dot_fn raif_pair_dot_for(int wtype);
raif_rows4_fn raif_rows4_for(int wtype);

#endif /* RAIF_KERNELS_MATMUL_H */
