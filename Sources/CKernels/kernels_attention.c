/*
 * Decode attention of one query head over an F16 key/value cache, with the numerics of ggml's
 * `flash_attn_ext_f16_one_chunk` (AVX2 build): the query is rounded to F16, each score is
 * `ggml_vec_dot_f16` (four 8-lane FMA accumulators, reduced (0+2)+(1+3), lanes pairwise, the tail
 * in double) times the scale, and an online softmax keeps an F16 accumulator of values
 * (`ggml_vec_scale_f16` when the maximum grows, `ggml_vec_mad_f16` otherwise) and an F32 running
 * sum updated as fma(sum, ms, vs). The result is the accumulator divided by the sum.
 *
 * raif_attend_f16 uses F16C/AVX2/FMA; raif_attend_f16_ref does the same operations one element
 * at a time (lane arrays stand in for the vector registers) and must agree bit for bit.
 */
#include "kernels_simd.h"

#include <math.h>

/* ---------------------------------------------------------------- fast */

static inline __m256 load_h8(const raif_fp16_t *p) { return _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)p)); }

static inline void store_h8(raif_fp16_t *p, __m256 v) {
    _mm_storeu_si128((__m128i *)p, _mm256_cvtps_ph(v, _MM_FROUND_TO_NEAREST_INT));
}

static inline float dot_f16(const raif_fp16_t *x, const raif_fp16_t *y, int64_t n) {
    __m256 s0 = _mm256_setzero_ps(), s1 = _mm256_setzero_ps(), s2 = _mm256_setzero_ps(), s3 = _mm256_setzero_ps();
    int64_t i = 0;
    for (; i + 32 <= n; i += 32) {
        s0 = _mm256_fmadd_ps(load_h8(x + i), load_h8(y + i), s0);
        s1 = _mm256_fmadd_ps(load_h8(x + i + 8), load_h8(y + i + 8), s1);
        s2 = _mm256_fmadd_ps(load_h8(x + i + 16), load_h8(y + i + 16), s2);
        s3 = _mm256_fmadd_ps(load_h8(x + i + 24), load_h8(y + i + 24), s3);
    }
    s0 = _mm256_add_ps(_mm256_add_ps(s0, s2), _mm256_add_ps(s1, s3));
    const __m128 t = _mm_add_ps(_mm256_castps256_ps128(s0), _mm256_extractf128_ps(s0, 1));
    float lanes[4];
    _mm_storeu_ps(lanes, t);
    double sum = (double)((lanes[0] + lanes[1]) + (lanes[2] + lanes[3]));
    for (; i < n; i++) sum += (double)(h2f(x[i]) * h2f(y[i]));
    return (float)sum;
}

void raif_attend_f16(const float *q, const raif_fp16_t *keys, const raif_fp16_t *values, int64_t kv_stride,
                     int64_t positions, int64_t head_dim, float scale, raif_fp16_t *scratch, float *out) {
    raif_fp16_t *qh = scratch, *acc = scratch + head_dim;
    const int64_t n = head_dim, n8 = head_dim & ~(int64_t)7;
    for (int64_t i = 0; i < n8; i += 8) store_h8(qh + i, _mm256_loadu_ps(q + i));
    for (int64_t i = n8; i < n; i++) qh[i] = f2h(q[i]);
    memset(acc, 0, (size_t)n * sizeof(raif_fp16_t));
    float sum = 0, max_score = -INFINITY;
    for (int64_t p = 0; p < positions; p++) {
        const float score = dot_f16(keys + p * kv_stride, qh, n) * scale;
        float ms = 1, vs = 1;
        if (score > max_score) {
            const float old = max_score;
            max_score = score;
            ms = expf(old - max_score);
            const __m256 m = _mm256_set1_ps(ms);
            for (int64_t i = 0; i < n8; i += 8) store_h8(acc + i, _mm256_mul_ps(load_h8(acc + i), m));
            for (int64_t i = n8; i < n; i++) acc[i] = f2h(h2f(acc[i]) * ms);
        } else {
            vs = expf(score - max_score);
        }
        const raif_fp16_t *v = values + p * kv_stride;
        const __m256 vv = _mm256_set1_ps(vs);
        for (int64_t i = 0; i < n8; i += 8) store_h8(acc + i, _mm256_fmadd_ps(load_h8(v + i), vv, load_h8(acc + i)));
        for (int64_t i = n8; i < n; i++) {
            const float product = h2f(v[i]) * vs;
            acc[i] = f2h(h2f(acc[i]) + product);
        }
        sum = fmaf(sum, ms, vs);
    }
    const float inv = sum == 0 ? 0 : 1 / sum;
    for (int64_t i = 0; i < n; i++) out[i] = h2f(acc[i]) * inv;
}

/* ---------------------------------------------------------------- scalar reference */

static float dot_f16_ref(const raif_fp16_t *x, const raif_fp16_t *y, int64_t n) {
    float s[4][8] = { { 0 } };
    int64_t i = 0;
    for (; i + 32 <= n; i += 32) {
        for (int a = 0; a < 4; a++) {
            for (int l = 0; l < 8; l++) {
                const int64_t j = i + 8 * a + l;
                s[a][l] = fmaf(raif_fp16_to_fp32(x[j]), raif_fp16_to_fp32(y[j]), s[a][l]);
            }
        }
    }
    float r[8], t[4];
    for (int l = 0; l < 8; l++) r[l] = (s[0][l] + s[2][l]) + (s[1][l] + s[3][l]);
    for (int l = 0; l < 4; l++) t[l] = r[l] + r[l + 4];
    double sum = (double)((t[0] + t[1]) + (t[2] + t[3]));
    for (; i < n; i++) sum += (double)(raif_fp16_to_fp32(x[i]) * raif_fp16_to_fp32(y[i]));
    return (float)sum;
}

void raif_attend_f16_ref(const float *q, const raif_fp16_t *keys, const raif_fp16_t *values, int64_t kv_stride,
                         int64_t positions, int64_t head_dim, float scale, raif_fp16_t *scratch, float *out) {
    raif_fp16_t *qh = scratch, *acc = scratch + head_dim;
    const int64_t n = head_dim, n8 = head_dim & ~(int64_t)7;
    for (int64_t i = 0; i < n; i++) {
        qh[i] = raif_fp32_to_fp16(q[i]);
        acc[i] = 0;
    }
    float sum = 0, max_score = -INFINITY;
    for (int64_t p = 0; p < positions; p++) {
        const float score = dot_f16_ref(keys + p * kv_stride, qh, n) * scale;
        float ms = 1, vs = 1;
        if (score > max_score) {
            const float old = max_score;
            max_score = score;
            ms = expf(old - max_score);
            for (int64_t i = 0; i < n; i++) acc[i] = raif_fp32_to_fp16(raif_fp16_to_fp32(acc[i]) * ms);
        } else {
            vs = expf(score - max_score);
        }
        const raif_fp16_t *v = values + p * kv_stride;
        for (int64_t i = 0; i < n; i++) {
            const float a = raif_fp16_to_fp32(acc[i]), x = raif_fp16_to_fp32(v[i]);
            if (i < n8) {
                acc[i] = raif_fp32_to_fp16(fmaf(x, vs, a));
            } else {
                const float product = x * vs;
                acc[i] = raif_fp32_to_fp16(a + product);
            }
        }
        sum = fmaf(sum, ms, vs);
    }
    const float inv = sum == 0 ? 0 : 1 / sum;
    for (int64_t i = 0; i < n; i++) out[i] = raif_fp16_to_fp32(acc[i]) * inv;
}
