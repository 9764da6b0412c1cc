/*
 * The type-traits table and the fused matrix-vector entry points.
 */
#include "kernels_matmul.h"

#define ENTRY(T, t, bs, ts, vt, q, qr, vd, vdr)                                                     \
    [RAIF_TYPE_##T] = { #t, bs, ts, vt, raif_dequantize_row_##t, raif_dequantize_row_##t##_ref, q, qr, vd, vdr }

static const raif_type_traits traits_table[RAIF_TYPE_BF16 + 1] = {
    ENTRY(F32, f32, 1, 4, RAIF_TYPE_F32, raif_quantize_row_f32, raif_quantize_row_f32_ref,
          raif_vec_dot_f32_f32, raif_vec_dot_f32_f32_ref),
    ENTRY(F16, f16, 1, 2, RAIF_TYPE_F16, raif_quantize_row_f16, raif_quantize_row_f16_ref,
          raif_vec_dot_f16_f16, raif_vec_dot_f16_f16_ref),
    ENTRY(BF16, bf16, 1, 2, RAIF_TYPE_BF16, raif_quantize_row_bf16, raif_quantize_row_bf16_ref,
          raif_vec_dot_bf16_bf16, raif_vec_dot_bf16_bf16_ref),
    ENTRY(Q4_0, q4_0, RAIF_QK, 18, RAIF_TYPE_Q8_0, NULL, NULL, raif_vec_dot_q4_0_q8_0, raif_vec_dot_q4_0_q8_0_ref),
    ENTRY(Q4_1, q4_1, RAIF_QK, 20, RAIF_TYPE_Q8_1, NULL, NULL, raif_vec_dot_q4_1_q8_1, raif_vec_dot_q4_1_q8_1_ref),
    ENTRY(Q5_0, q5_0, RAIF_QK, 22, RAIF_TYPE_Q8_0, NULL, NULL, raif_vec_dot_q5_0_q8_0, raif_vec_dot_q5_0_q8_0_ref),
    ENTRY(Q5_1, q5_1, RAIF_QK, 24, RAIF_TYPE_Q8_1, NULL, NULL, raif_vec_dot_q5_1_q8_1, raif_vec_dot_q5_1_q8_1_ref),
    ENTRY(Q8_0, q8_0, RAIF_QK, 34, RAIF_TYPE_Q8_0, raif_quantize_row_q8_0, raif_quantize_row_q8_0_ref,
          raif_vec_dot_q8_0_q8_0, raif_vec_dot_q8_0_q8_0_ref),
    ENTRY(Q8_1, q8_1, RAIF_QK, 36, RAIF_TYPE_Q8_1, raif_quantize_row_q8_1, raif_quantize_row_q8_1_ref, NULL, NULL),
    ENTRY(Q4_K, q4_K, RAIF_QK_K, 144, RAIF_TYPE_Q8_K, NULL, NULL, raif_vec_dot_q4_K_q8_K, raif_vec_dot_q4_K_q8_K_ref),
    ENTRY(Q5_K, q5_K, RAIF_QK_K, 176, RAIF_TYPE_Q8_K, NULL, NULL, raif_vec_dot_q5_K_q8_K, raif_vec_dot_q5_K_q8_K_ref),
    ENTRY(Q6_K, q6_K, RAIF_QK_K, 210, RAIF_TYPE_Q8_K, NULL, NULL, raif_vec_dot_q6_K_q8_K, raif_vec_dot_q6_K_q8_K_ref),
    ENTRY(Q8_K, q8_K, RAIF_QK_K, 292, RAIF_TYPE_Q8_K, raif_quantize_row_q8_K, raif_quantize_row_q8_K_ref, NULL, NULL),
};
#undef ENTRY

const raif_type_traits *raif_get_type_traits(int type) {
    if (type < 0 || type > RAIF_TYPE_BF16) return NULL;
    const raif_type_traits *t = &traits_table[type];
    return t->name ? t : NULL;
}

size_t raif_row_size(int type, int64_t n) {
    const raif_type_traits *t = raif_get_type_traits(type);
    if (!t || n < 0 || n % t->block_size != 0) return 0;
    return (size_t)(n / t->block_size) * (size_t)t->type_size;
}

static int matmul_with(int wtype, int64_t cols, int64_t row_begin, int64_t row_end, const void *w, int64_t nvec,
                       const void *act, size_t act_stride, float *out, size_t out_stride, int reference) {
    const raif_type_traits *t = raif_get_type_traits(wtype);
    if (!t || !t->vec_dot || cols <= 0 || cols > INT32_MAX || cols % t->block_size != 0) return -1;
    if (row_begin < 0 || row_end < row_begin || nvec < 0) return -1;
    const size_t row_bytes = raif_row_size(wtype, cols);
    const char *wrow = (const char *)w + (size_t)row_begin * row_bytes;
    if (!reference && nvec > 1) {
        const raif_multi_dot_fn multi = raif_multi_dot_for(wtype);
        if (multi) {
            /* Tiles of up to 16 rows: a tile's weights stay in L1 while every group of 4 vectors
             * passes over it, and each group's activations stay in L1 across the tile's rows. */
            const int64_t tile = 16;
            const raif_pair_dot_fn pair = raif_pair_dot_for(wtype);
            for (int64_t r0 = row_begin; r0 < row_end; r0 += tile) {
                const int64_t r1 = r0 + tile < row_end ? r0 + tile : row_end;
                for (int64_t v = 0; v < nvec; v += RAIF_MULTI_MAX) {
                    const int count = (int)(nvec - v < RAIF_MULTI_MAX ? nvec - v : RAIF_MULTI_MAX);
                    const char *a = (const char *)act + (size_t)v * act_stride;
                    int64_t r = r0;
                    if (pair) {
                        for (; r + 2 <= r1; r += 2) {
                            pair((int)cols, (const char *)w + (size_t)r * row_bytes, row_bytes, count, a, act_stride,
                                 out + (size_t)v * out_stride + (size_t)r, out_stride, v == 0);
                        }
                    }
                    for (; r < r1; r++) {
                        multi((int)cols, (const char *)w + (size_t)r * row_bytes, count, a, act_stride,
                              out + (size_t)v * out_stride + (size_t)r, out_stride);
                    }
                }
            }
            return 0;
        }
    }
    const raif_vec_dot_fn dot = reference ? t->vec_dot_ref : t->vec_dot;
    int64_t r = row_begin;
    if (!reference && nvec == 1) {
        const raif_rows4_fn rows4 = raif_rows4_for(wtype);
        if (rows4) {
            for (; r + 4 <= row_end; r += 4, wrow += 4 * row_bytes) rows4((int)cols, wrow, row_bytes, act, out + r);
        }
    }
    for (; r < row_end; r++, wrow += row_bytes) {
        for (int64_t v = 0; v < nvec; v++) {
            dot((int)cols, out + (size_t)v * out_stride + (size_t)r, wrow, (const char *)act + (size_t)v * act_stride);
        }
    }
    return 0;
}

int raif_matvec(int wtype, int64_t cols, int64_t row_begin, int64_t row_end, const void *w, const void *act,
                float *out) {
    return matmul_with(wtype, cols, row_begin, row_end, w, 1, act, 0, out, 0, 0);
}

int raif_matmul(int wtype, int64_t cols, int64_t row_begin, int64_t row_end, const void *w, int64_t nvec,
                const void *act, size_t act_stride, float *out, size_t out_stride) {
    return matmul_with(wtype, cols, row_begin, row_end, w, nvec, act, act_stride, out, out_stride, 0);
}

int raif_matmul_ref(int wtype, int64_t cols, int64_t row_begin, int64_t row_end, const void *w, int64_t nvec,
                    const void *act, size_t act_stride, float *out, size_t out_stride) {
    return matmul_with(wtype, cols, row_begin, row_end, w, nvec, act, act_stride, out, out_stride, 1);
}
