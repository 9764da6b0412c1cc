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

/* ================================================================ tiled (prefill) attention
 *
 * ggml's `flash_attn_ext_tiled` for one head and a block of query rows of one sequence: F32
 * queries (no F16 rounding), keys and values widened from F16, cache positions in tiles of 64.
 * Per tile and row: eight scores at a time, each a sequential FMA chain over the head (the lane
 * order of ggml's GEMM), times the scale; positions past the row's own are -inf; the running
 * maximum and sum rescale an F32 accumulator (libm expf); probabilities use ggml's vector expf
 * and are summed in double per 8-lane group ((0+4)+(2+6)) + ((1+5)+(3+7)); values are accumulated
 * with one FMA per position in order. */

#define RAIF_ATTN_TILE 64

/* ggml_v_expf (AVX2): exp with max error ~1.5 ulp; lanes near over/underflow take a slower path. */
static inline __m256 v_expf(__m256 x) {
    const __m256 r = _mm256_set1_ps(0x1.8p23f);
    const __m256 z = _mm256_fmadd_ps(x, _mm256_set1_ps(0x1.715476p+0f), r);
    const __m256 n = _mm256_sub_ps(z, r);
    const __m256 b = _mm256_fnmadd_ps(n, _mm256_set1_ps(0x1.7f7d1cp-20f),
                                      _mm256_fnmadd_ps(n, _mm256_set1_ps(0x1.62e4p-1f), x));
    const __m256i e = _mm256_slli_epi32(_mm256_castps_si256(z), 23);
    const __m256 k = _mm256_castsi256_ps(_mm256_add_epi32(e, _mm256_castps_si256(_mm256_set1_ps(1))));
    const __m256 abs_n = _mm256_andnot_ps(_mm256_set1_ps(-0.0f), n);
    const __m256 c = _mm256_cmp_ps(abs_n, _mm256_set1_ps(126), _CMP_GT_OQ);
    const __m256 u = _mm256_mul_ps(b, b);
    const __m256 inner1 = _mm256_fmadd_ps(_mm256_set1_ps(0x1.0e4020p-7f), b, _mm256_set1_ps(0x1.573e2ep-5f));
    const __m256 inner2 = _mm256_fmadd_ps(_mm256_set1_ps(0x1.555e66p-3f), b, _mm256_set1_ps(0x1.fffdb6p-2f));
    const __m256 j = _mm256_fmadd_ps(_mm256_fmadd_ps(inner1, u, inner2), u,
                                     _mm256_mul_ps(_mm256_set1_ps(0x1.ffffecp-1f), b));
    if (!_mm256_movemask_ps(c)) return _mm256_fmadd_ps(j, k, k);
    float nl[8], el[8], kl[8], jl[8], out[8];
    _mm256_storeu_ps(nl, n);
    _mm256_storeu_si256((__m256i *)el, e);
    _mm256_storeu_ps(kl, k);
    _mm256_storeu_ps(jl, j);
    for (int l = 0; l < 8; l++) {
        uint32_t ebits;
        memcpy(&ebits, &el[l], 4);
        const uint32_t g = nl[l] <= 0 ? 0x82000000u : 0;
        const uint32_t s1bits = g + 0x7f000000u, s2bits = ebits - g;
        float s1, s2;
        memcpy(&s1, &s1bits, 4);
        memcpy(&s2, &s2bits, 4);
        const float a = fabsf(nl[l]);
        if (a > 192) out[l] = s1 * s1;
        else if (a > 126) out[l] = fmaf(s2, jl[l], s2) * s1;
        else out[l] = fmaf(kl[l], jl[l], kl[l]);
    }
    return _mm256_loadu_ps(out);
}

static inline float hmax8(__m256 x) {
    float l[8];
    _mm256_storeu_ps(l, x);
    float m = l[0];
    for (int i = 1; i < 8; i++) m = l[i] > m ? l[i] : m;
    return m;
}

size_t raif_attend_tiled_scratch_floats(int64_t rows, int64_t head_dim) {
    return (size_t)(2 * RAIF_ATTN_TILE * head_dim + RAIF_ATTN_TILE + rows * head_dim + 2 * rows);
}

void raif_attend_tiled_f16(const float *q, int64_t q_stride, const int64_t *positions, int64_t rows,
                           const raif_fp16_t *keys, const raif_fp16_t *values, int64_t kv_stride, int64_t head_dim,
                           float scale, float *scratch, float *out, int64_t out_stride) {
    const int64_t hd = head_dim, tile = RAIF_ATTN_TILE;
    float *keys_t = scratch;                     /* [hd][tile] */
    float *vals = keys_t + hd * tile;            /* [tile][hd] */
    float *scores = vals + tile * hd;            /* [tile] */
    float *acc = scores + tile;                  /* [rows][hd] */
    float *maxima = acc + rows * hd, *sums = maxima + rows;
    memset(acc, 0, (size_t)(rows * hd) * sizeof(float));
    for (int64_t r = 0; r < rows; r++) {
        maxima[r] = -INFINITY;
        sums[r] = 0;
    }
    const int64_t last = positions[rows - 1];
    for (int64_t start = 0; start <= last; start += tile) {
        const int64_t in_cache = last + 1 - start < tile ? last + 1 - start : tile;
        for (int64_t t = 0; t < tile; t++) {
            const raif_fp16_t *k = keys + (start + t) * kv_stride;
            for (int64_t d = 0; d < hd; d++) keys_t[d * tile + t] = t < in_cache ? h2f(k[d]) : 0;
        }
        for (int64_t t = 0; t < in_cache; t++) {
            const raif_fp16_t *v = values + (start + t) * kv_stride;
            for (int64_t d = 0; d < hd; d += 8) _mm256_storeu_ps(vals + t * hd + d, load_h8(v + d));
        }
        for (int64_t r = 0; r < rows; r++) {
            if (positions[r] < start) continue;
            const int64_t valid = positions[r] + 1 - start < tile ? positions[r] + 1 - start : tile;
            const float *qr = q + r * q_stride;
            float tile_max = -INFINITY;
            for (int64_t g = 0; g < tile / 8; g++) {
                __m256 dot = _mm256_setzero_ps();
                for (int64_t d = 0; d < hd; d++) {
                    dot = _mm256_fmadd_ps(_mm256_loadu_ps(keys_t + d * tile + g * 8), _mm256_set1_ps(qr[d]), dot);
                }
                __m256 scaled = _mm256_mul_ps(dot, _mm256_set1_ps(scale));
                if (g * 8 + 8 > valid) {
                    const __m256i lane = _mm256_add_epi32(_mm256_set1_epi32((int)(g * 8)),
                                                          _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
                    const __m256 past = _mm256_castsi256_ps(_mm256_cmpgt_epi32(lane, _mm256_set1_epi32((int)valid - 1)));
                    scaled = _mm256_blendv_ps(scaled, _mm256_set1_ps(-INFINITY), past);
                }
                _mm256_storeu_ps(scores + g * 8, scaled);
                const float m = hmax8(scaled);
                tile_max = m > tile_max ? m : tile_max;
            }
            const float new_max = tile_max > maxima[r] ? tile_max : maxima[r];
            float *row_acc = acc + r * hd;
            if (new_max > maxima[r]) {
                const float ms = expf(maxima[r] - new_max);
                for (int64_t d = 0; d < hd; d += 8) {
                    _mm256_storeu_ps(row_acc + d, _mm256_mul_ps(_mm256_loadu_ps(row_acc + d), _mm256_set1_ps(ms)));
                }
                sums[r] *= ms;
            }
            maxima[r] = new_max;
            double total = 0;
            for (int64_t g = 0; g < tile / 8; g++) {
                const __m256 p = v_expf(_mm256_sub_ps(_mm256_loadu_ps(scores + g * 8), _mm256_set1_ps(new_max)));
                _mm256_storeu_ps(scores + g * 8, p);
                float four[4];
                _mm_storeu_ps(four, _mm_add_ps(_mm256_castps256_ps128(p), _mm256_extractf128_ps(p, 1)));
                total += (double)((four[0] + four[2]) + (four[1] + four[3]));
            }
            sums[r] = (float)((double)sums[r] + total);
            for (int64_t d = 0; d < hd; d += 8) {
                __m256 a = _mm256_loadu_ps(row_acc + d);
                for (int64_t t = 0; t < valid; t++) {
                    a = _mm256_fmadd_ps(_mm256_loadu_ps(vals + t * hd + d), _mm256_set1_ps(scores[t]), a);
                }
                _mm256_storeu_ps(row_acc + d, a);
            }
        }
    }
    for (int64_t r = 0; r < rows; r++) {
        const float inv = sums[r] == 0 ? 0 : 1 / sums[r];
        for (int64_t d = 0; d < hd; d++) out[r * out_stride + d] = acc[r * hd + d] * inv;
    }
}

/* ---------------------------------------------------------------- tiled: scalar reference */

static void v_expf_ref(const float *x, float *out) {
    for (int l = 0; l < 8; l++) {
        const float z = fmaf(x[l], 0x1.715476p+0f, 0x1.8p23f);
        const float n = z - 0x1.8p23f;
        const float b = fmaf(-n, 0x1.7f7d1cp-20f, fmaf(-n, 0x1.62e4p-1f, x[l]));
        uint32_t zbits, one_bits;
        const float one = 1;
        memcpy(&zbits, &z, 4);
        memcpy(&one_bits, &one, 4);
        const uint32_t e = zbits << 23, kbits = e + one_bits;
        float k;
        memcpy(&k, &kbits, 4);
        const float u = b * b;
        const float j = fmaf(fmaf(fmaf(0x1.0e4020p-7f, b, 0x1.573e2ep-5f), u, fmaf(0x1.555e66p-3f, b, 0x1.fffdb6p-2f)),
                             u, 0x1.ffffecp-1f * b);
        const float a = fabsf(n);
        const uint32_t g = n <= 0 ? 0x82000000u : 0;
        const uint32_t s1bits = g + 0x7f000000u, s2bits = e - g;
        float s1, s2;
        memcpy(&s1, &s1bits, 4);
        memcpy(&s2, &s2bits, 4);
        if (a > 192) out[l] = s1 * s1;
        else if (a > 126) out[l] = fmaf(s2, j, s2) * s1;
        else out[l] = fmaf(k, j, k);
    }
}

void raif_attend_tiled_f16_ref(const float *q, int64_t q_stride, const int64_t *positions, int64_t rows,
                               const raif_fp16_t *keys, const raif_fp16_t *values, int64_t kv_stride,
                               int64_t head_dim, float scale, float *scratch, float *out, int64_t out_stride) {
    const int64_t hd = head_dim, tile = RAIF_ATTN_TILE;
    float *scores = scratch, *acc = scores + tile;
    float *maxima = acc + rows * hd, *sums = maxima + rows;
    for (int64_t i = 0; i < rows * hd; i++) acc[i] = 0;
    for (int64_t r = 0; r < rows; r++) {
        maxima[r] = -INFINITY;
        sums[r] = 0;
    }
    const int64_t last = positions[rows - 1];
    for (int64_t start = 0; start <= last; start += tile) {
        for (int64_t r = 0; r < rows; r++) {
            if (positions[r] < start) continue;
            const int64_t valid = positions[r] + 1 - start < tile ? positions[r] + 1 - start : tile;
            const float *qr = q + r * q_stride;
            float tile_max = -INFINITY;
            for (int64_t t = 0; t < tile; t++) {
                float dot = 0;
                for (int64_t d = 0; d < hd; d++) {
                    const float k = t < valid ? raif_fp16_to_fp32(keys[(start + t) * kv_stride + d]) : 0;
                    dot = fmaf(k, qr[d], dot);
                }
                scores[t] = t < valid ? dot * scale : -INFINITY;
                tile_max = scores[t] > tile_max ? scores[t] : tile_max;
            }
            const float new_max = tile_max > maxima[r] ? tile_max : maxima[r];
            float *row_acc = acc + r * hd;
            if (new_max > maxima[r]) {
                const float ms = expf(maxima[r] - new_max);
                for (int64_t d = 0; d < hd; d++) row_acc[d] *= ms;
                sums[r] *= ms;
            }
            maxima[r] = new_max;
            double total = 0;
            for (int64_t g = 0; g < tile / 8; g++) {
                float x[8];
                for (int l = 0; l < 8; l++) x[l] = scores[g * 8 + l] - new_max;
                v_expf_ref(x, scores + g * 8);
                const float *p = scores + g * 8;
                total += (double)(((p[0] + p[4]) + (p[2] + p[6])) + ((p[1] + p[5]) + (p[3] + p[7])));
            }
            sums[r] = (float)((double)sums[r] + total);
            for (int64_t d = 0; d < hd; d++) {
                float a = row_acc[d];
                for (int64_t t = 0; t < valid; t++) {
                    a = fmaf(raif_fp16_to_fp32(values[(start + t) * kv_stride + d]), scores[t], a);
                }
                row_acc[d] = a;
            }
        }
    }
    for (int64_t r = 0; r < rows; r++) {
        const float inv = sums[r] == 0 ? 0 : 1 / sums[r];
        for (int64_t d = 0; d < hd; d++) out[r * out_stride + d] = acc[r * hd + d] * inv;
    }
}

/* ================================================================ SwiGLU
 * gate[i] = silu(gate[i]) * up[i] as ggml's swiglu computes it: ggml's vector expf for whole
 * 8-lane groups, silu(x) = x / (1 + expf(0 - x)), libm expf for the tail. (It lives here for v_expf.) */

void raif_swiglu_f32(float *gate, const float *up, int64_t n) {
    int64_t i = 0;
    for (; i + 8 <= n; i += 8) {
        const __m256 x = _mm256_loadu_ps(gate + i);
        const __m256 e = v_expf(_mm256_sub_ps(_mm256_setzero_ps(), x));
        const __m256 silu = _mm256_div_ps(x, _mm256_add_ps(_mm256_set1_ps(1), e));
        _mm256_storeu_ps(gate + i, _mm256_mul_ps(silu, _mm256_loadu_ps(up + i)));
    }
    for (; i < n; i++) gate[i] = gate[i] / (1 + expf(-gate[i])) * up[i];
}

void raif_swiglu_f32_ref(float *gate, const float *up, int64_t n) {
    int64_t i = 0;
    for (; i + 8 <= n; i += 8) {
        float x[8], e[8];
        for (int l = 0; l < 8; l++) x[l] = 0 - gate[i + l];
        v_expf_ref(x, e);
        for (int l = 0; l < 8; l++) gate[i + l] = gate[i + l] / (1 + e[l]) * up[i + l];
    }
    for (; i < n; i++) gate[i] = gate[i] / (1 + expf(-gate[i])) * up[i];
}
