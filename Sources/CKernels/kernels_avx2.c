/*
 * AVX2 / FMA / F16C kernels. Each dot product performs the same per-block arithmetic in the same
 * order as llama.cpp's x86 AVX2 path (8 float lanes of per-block integer sums, one FMA per block,
 * the same horizontal reduction), so results match llama.cpp bit for bit, not just within a bound.
 * Tested against the scalar references in kernels_ref.c.
 */
#include "CKernels.h"

#include "kernels_simd.h"

#include <math.h>

/* ---------------------------------------------------------------- dequantization */

void raif_dequantize_row_f32(const void *x, float *y, int64_t k) { memcpy(y, x, (size_t)k * sizeof(float)); }

void raif_dequantize_row_f16(const void *vx, float *y, int64_t k) {
    const raif_fp16_t *x = vx;
    int64_t i = 0;
    for (; i + 8 <= k; i += 8) _mm256_storeu_ps(y + i, _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(x + i))));
    for (; i < k; i++) y[i] = h2f(x[i]);
}

void raif_dequantize_row_bf16(const void *vx, float *y, int64_t k) {
    const raif_bf16_t *x = vx;
    int64_t i = 0;
    for (; i + 8 <= k; i += 8) {
        const __m256i w = _mm256_cvtepu16_epi32(_mm_loadu_si128((const __m128i *)(x + i)));
        _mm256_storeu_ps(y + i, _mm256_castsi256_ps(_mm256_slli_epi32(w, 16)));
    }
    for (; i < k; i++) y[i] = raif_bf16_to_fp32(x[i]);
}

/* Store 32 signed bytes as floats q * d + m (multiply and add rounded separately, as ggml). */
static inline void store_block32(float *y, __m256i q, __m256 d, __m256 m) {
    const __m128i lo = _mm256_castsi256_si128(q), hi = _mm256_extracti128_si256(q, 1);
    const __m128i parts[4] = { lo, _mm_srli_si128(lo, 8), hi, _mm_srli_si128(hi, 8) };
    for (int p = 0; p < 4; p++) {
        const __m256 f = _mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(parts[p]));
        _mm256_storeu_ps(y + 8 * p, _mm256_add_ps(_mm256_mul_ps(f, d), m));
    }
}

/* Store 32 signed bytes as floats q * d (no added zero: keeps -0.0 for q = 0 with d < 0, as ggml). */
static inline void store_scaled32(float *y, __m256i q, __m256 d) {
    const __m128i lo = _mm256_castsi256_si128(q), hi = _mm256_extracti128_si256(q, 1);
    const __m128i parts[4] = { lo, _mm_srli_si128(lo, 8), hi, _mm_srli_si128(hi, 8) };
    for (int p = 0; p < 4; p++) {
        _mm256_storeu_ps(y + 8 * p, _mm256_mul_ps(_mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(parts[p])), d));
    }
}

void raif_dequantize_row_q8_0(const void *vx, float *y, int64_t k) {
    const raif_block_q8_0 *x = vx;
    for (int64_t b = 0; b < k / RAIF_QK; b++) {
        store_scaled32(y + b * RAIF_QK, _mm256_loadu_si256((const __m256i *)x[b].qs), _mm256_set1_ps(h2f(x[b].d)));
    }
}

void raif_dequantize_row_q8_1(const void *vx, float *y, int64_t k) {
    const raif_block_q8_1 *x = vx;
    for (int64_t b = 0; b < k / RAIF_QK; b++) {
        store_scaled32(y + b * RAIF_QK, _mm256_loadu_si256((const __m256i *)x[b].qs), _mm256_set1_ps(h2f(x[b].d)));
    }
}

void raif_dequantize_row_q8_K(const void *vx, float *y, int64_t k) {
    const raif_block_q8_K *x = vx;
    for (int64_t b = 0; b < k / RAIF_QK_K; b++) {
        for (int c = 0; c < RAIF_QK_K / 32; c++) {
            store_scaled32(y + b * RAIF_QK_K + c * 32, _mm256_loadu_si256((const __m256i *)(x[b].qs + c * 32)),
                          _mm256_set1_ps(x[b].d));
        }
    }
}

void raif_dequantize_row_q4_0(const void *vx, float *y, int64_t k) {
    const raif_block_q4_0 *x = vx;
    for (int64_t b = 0; b < k / RAIF_QK; b++) {
        const __m256i q = _mm256_sub_epi8(unpack_nibbles(x[b].qs), _mm256_set1_epi8(8));
        store_scaled32(y + b * RAIF_QK, q, _mm256_set1_ps(h2f(x[b].d)));
    }
}

void raif_dequantize_row_q4_1(const void *vx, float *y, int64_t k) {
    const raif_block_q4_1 *x = vx;
    for (int64_t b = 0; b < k / RAIF_QK; b++) {
        store_block32(y + b * RAIF_QK, unpack_nibbles(x[b].qs), _mm256_set1_ps(h2f(x[b].d)),
                      _mm256_set1_ps(h2f(x[b].m)));
    }
}

void raif_dequantize_row_q5_0(const void *vx, float *y, int64_t k) {
    const raif_block_q5_0 *x = vx;
    for (int64_t b = 0; b < k / RAIF_QK; b++) {
        /* bytes whose fifth bit is clear get 0xF0 (= q - 16 as a signed byte) */
        const __m256i hi = _mm256_andnot_si256(spread_bits(x[b].qh), _mm256_set1_epi8((char)0xf0));
        const __m256i q = _mm256_or_si256(unpack_nibbles(x[b].qs), hi);
        store_scaled32(y + b * RAIF_QK, q, _mm256_set1_ps(h2f(x[b].d)));
    }
}

void raif_dequantize_row_q5_1(const void *vx, float *y, int64_t k) {
    const raif_block_q5_1 *x = vx;
    for (int64_t b = 0; b < k / RAIF_QK; b++) {
        const __m256i hi = _mm256_and_si256(spread_bits(x[b].qh), _mm256_set1_epi8(0x10));
        const __m256i q = _mm256_or_si256(unpack_nibbles(x[b].qs), hi);
        store_block32(y + b * RAIF_QK, q, _mm256_set1_ps(h2f(x[b].d)), _mm256_set1_ps(h2f(x[b].m)));
    }
}

void raif_dequantize_row_q4_K(const void *vx, float *y, int64_t k) {
    const raif_block_q4_K *x = vx;
    for (int64_t b = 0; b < k / RAIF_QK_K; b++) {
        uint8_t sm[16];
        k_scales_mins(x[b].scales, sm);
        const float d = h2f(x[b].d), dmin = h2f(x[b].dmin);
        for (int c = 0; c < 4; c++) {
            const __m256i bytes = _mm256_loadu_si256((const __m256i *)(x[b].qs + 32 * c));
            const __m256i lo = _mm256_and_si256(bytes, _mm256_set1_epi8(15));
            const __m256i hi = _mm256_and_si256(_mm256_srli_epi16(bytes, 4), _mm256_set1_epi8(15));
            float *out = y + b * RAIF_QK_K + 64 * c;
            store_block32(out, lo, _mm256_set1_ps(d * sm[2 * c]), _mm256_set1_ps(-(dmin * sm[8 + 2 * c])));
            store_block32(out + 32, hi, _mm256_set1_ps(d * sm[2 * c + 1]), _mm256_set1_ps(-(dmin * sm[8 + 2 * c + 1])));
        }
    }
}

void raif_dequantize_row_q5_K(const void *vx, float *y, int64_t k) {
    const raif_block_q5_K *x = vx;
    for (int64_t b = 0; b < k / RAIF_QK_K; b++) {
        uint8_t sm[16];
        k_scales_mins(x[b].scales, sm);
        const float d = h2f(x[b].d), dmin = h2f(x[b].dmin);
        const __m256i hbits = _mm256_loadu_si256((const __m256i *)x[b].qh);
        for (int c = 0; c < 4; c++) {
            const __m256i bytes = _mm256_loadu_si256((const __m256i *)(x[b].qs + 32 * c));
            const __m256i m0 = _mm256_set1_epi8((char)(1 << (2 * c))), m1 = _mm256_set1_epi8((char)(2 << (2 * c)));
            const __m256i h0 = _mm256_and_si256(_mm256_cmpeq_epi8(_mm256_and_si256(hbits, m0), m0), _mm256_set1_epi8(16));
            const __m256i h1 = _mm256_and_si256(_mm256_cmpeq_epi8(_mm256_and_si256(hbits, m1), m1), _mm256_set1_epi8(16));
            const __m256i lo = _mm256_or_si256(_mm256_and_si256(bytes, _mm256_set1_epi8(15)), h0);
            const __m256i hi = _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(bytes, 4), _mm256_set1_epi8(15)), h1);
            float *out = y + b * RAIF_QK_K + 64 * c;
            store_block32(out, lo, _mm256_set1_ps(d * sm[2 * c]), _mm256_set1_ps(-(dmin * sm[8 + 2 * c])));
            store_block32(out + 32, hi, _mm256_set1_ps(d * sm[2 * c + 1]), _mm256_set1_ps(-(dmin * sm[8 + 2 * c + 1])));
        }
    }
}

void raif_dequantize_row_q6_K(const void *vx, float *y, int64_t k) {
    const raif_block_q6_K *x = vx;
    for (int64_t b = 0; b < k / RAIF_QK_K; b++) {
        const float d = h2f(x[b].d);
        for (int half = 0; half < 2; half++) {
            const uint8_t *ql = x[b].ql + 64 * half, *qh = x[b].qh + 32 * half;
            const __m256i l0 = _mm256_loadu_si256((const __m256i *)ql);
            const __m256i l1 = _mm256_loadu_si256((const __m256i *)(ql + 32));
            const __m256i h = _mm256_loadu_si256((const __m256i *)qh);
            const __m256i m15 = _mm256_set1_epi8(15), m3 = _mm256_set1_epi8(3);
            __m256i q[4];
            q[0] = _mm256_or_si256(_mm256_and_si256(l0, m15), _mm256_slli_epi16(_mm256_and_si256(h, m3), 4));
            q[1] = _mm256_or_si256(_mm256_and_si256(l1, m15),
                                   _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(h, 2), m3), 4));
            q[2] = _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(l0, 4), m15),
                                   _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(h, 4), m3), 4));
            q[3] = _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(l1, 4), m15),
                                   _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(h, 6), m3), 4));
            for (int p = 0; p < 4; p++) {
                const __m256i qs = _mm256_sub_epi8(q[p], _mm256_set1_epi8(32));
                float *out = y + b * RAIF_QK_K + 128 * half + 32 * p;
                const int s0 = 8 * half + 2 * p;
                /* the 32 values span two sub-blocks of 16 with their own scales */
                const __m128i lo = _mm256_castsi256_si128(qs), hi = _mm256_extracti128_si256(qs, 1);
                const __m128i parts[4] = { lo, _mm_srli_si128(lo, 8), hi, _mm_srli_si128(hi, 8) };
                for (int i = 0; i < 4; i++) {
                    const __m256 sc = _mm256_set1_ps(d * (float)x[b].scales[s0 + i / 2]);
                    const __m256 f = _mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(parts[i]));
                    _mm256_storeu_ps(out + 8 * i, _mm256_mul_ps(sc, f));
                }
            }
        }
    }
}

/* ---------------------------------------------------------------- activation quantization */

void raif_quantize_row_f32(const float *x, void *y, int64_t k) { memcpy(y, x, (size_t)k * sizeof(float)); }

void raif_quantize_row_f16(const float *x, void *vy, int64_t k) {
    raif_fp16_t *y = vy;
    int64_t i = 0;
    for (; i + 8 <= k; i += 8) {
        _mm_storeu_si128((__m128i *)(y + i), _mm256_cvtps_ph(_mm256_loadu_ps(x + i), _MM_FROUND_TO_NEAREST_INT));
    }
    for (; i < k; i++) y[i] = f2h(x[i]);
}

void raif_quantize_row_bf16(const float *x, void *vy, int64_t k) {
    raif_bf16_t *y = vy;
    int64_t i = 0;
    const __m256i abs_mask = _mm256_set1_epi32(0x7fffffff), inf = _mm256_set1_epi32(0x7f800000);
    for (; i + 8 <= k; i += 8) {
        const __m256i u = _mm256_castps_si256(_mm256_loadu_ps(x + i));
        /* round to nearest even: u + 0x7fff + bit 16; NaN: truncate and set the quiet bit */
        const __m256i lsb = _mm256_and_si256(_mm256_srli_epi32(u, 16), _mm256_set1_epi32(1));
        const __m256i rounded = _mm256_srli_epi32(_mm256_add_epi32(u, _mm256_add_epi32(_mm256_set1_epi32(0x7fff), lsb)), 16);
        const __m256i quiet = _mm256_or_si256(_mm256_srli_epi32(u, 16), _mm256_set1_epi32(64));
        const __m256i is_nan = _mm256_cmpgt_epi32(_mm256_and_si256(u, abs_mask), inf);
        const __m256i r = _mm256_blendv_epi8(rounded, quiet, is_nan);
        /* pack the low 16 bits of the 8 lanes, in order */
        const __m256i packed = _mm256_packus_epi32(r, r);  /* values are <= 0xffff: no saturation */
        const __m128i lo = _mm256_castsi256_si128(packed), hi = _mm256_extracti128_si256(packed, 1);
        _mm_storeu_si128((__m128i *)(y + i), _mm_unpacklo_epi64(lo, hi));
    }
    for (; i < k; i++) y[i] = raif_fp32_to_bf16(x[i]);
}

/* Max |x| of 32 floats, 8 lanes reduced as llama.cpp does. */
static inline float block_amax32(const float *x, __m256 v[4]) {
    const __m256 sign = _mm256_set1_ps(-0.0f);
    for (int i = 0; i < 4; i++) v[i] = _mm256_loadu_ps(x + 8 * i);
    __m256 m = _mm256_andnot_ps(sign, v[0]);
    m = _mm256_max_ps(m, _mm256_andnot_ps(sign, v[1]));
    m = _mm256_max_ps(m, _mm256_andnot_ps(sign, v[2]));
    m = _mm256_max_ps(m, _mm256_andnot_ps(sign, v[3]));
    __m128 m4 = _mm_max_ps(_mm256_extractf128_ps(m, 1), _mm256_castps256_ps128(m));
    m4 = _mm_max_ps(m4, _mm_movehl_ps(m4, m4));
    m4 = _mm_max_ss(m4, _mm_movehdup_ps(m4));
    return _mm_cvtss_f32(m4);
}

/* Scale 32 floats by id, round half to even, pack to 32 int8 in order; returns the int32 lanes' sum. */
static inline int quantize32(__m256 v[4], float id, int8_t *out) {
    const __m256 mul = _mm256_set1_ps(id);
    __m256i i[4];
    for (int p = 0; p < 4; p++) {
        i[p] = _mm256_cvtps_epi32(_mm256_round_ps(_mm256_mul_ps(v[p], mul), _MM_FROUND_TO_NEAREST_INT));
    }
    const int sum = hsum_i32_8(_mm256_add_epi32(_mm256_add_epi32(i[0], i[1]), _mm256_add_epi32(i[2], i[3])));
    __m256i a = _mm256_packs_epi32(i[0], i[1]);
    __m256i b = _mm256_packs_epi32(i[2], i[3]);
    a = _mm256_packs_epi16(a, b);
    a = _mm256_permutevar8x32_epi32(a, _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7));
    _mm256_storeu_si256((__m256i *)out, a);
    return sum;
}

void raif_quantize_row_q8_0(const float *x, void *vy, int64_t k) {
    raif_block_q8_0 *y = vy;
    for (int64_t b = 0; b < k / RAIF_QK; b++, x += RAIF_QK) {
        __m256 v[4];
        const float amax = block_amax32(x, v);
        const float d = amax / 127.0f;
        y[b].d = f2h(d);
        quantize32(v, amax != 0.0f ? 127.0f / amax : 0.0f, y[b].qs);
    }
}

void raif_quantize_row_q8_1(const float *x, void *vy, int64_t k) {
    raif_block_q8_1 *y = vy;
    for (int64_t b = 0; b < k / RAIF_QK; b++, x += RAIF_QK) {
        __m256 v[4];
        const float amax = block_amax32(x, v);
        const float d = amax / 127.0f;
        y[b].d = f2h(d);
        const int sum = quantize32(v, amax != 0.0f ? 127.0f / amax : 0.0f, y[b].qs);
        y[b].s = f2h(d * (float)sum);
    }
}

/* llama.cpp uses its scalar reference for Q8_K on x86 as well. */
void raif_quantize_row_q8_K(const float *x, void *y, int64_t k) { raif_quantize_row_q8_K_ref(x, y, k); }

/* ---------------------------------------------------------------- dot products */

void raif_vec_dot_f32_f32(int n, float *s, const void *vw, const void *va) {
    const float *x = vw, *y = va;
    const int np = n & ~31;
    __m256 acc[4] = { _mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps() };
    for (int i = 0; i < np; i += 32) {
        for (int j = 0; j < 4; j++) {
            acc[j] = _mm256_fmadd_ps(_mm256_loadu_ps(x + i + 8 * j), _mm256_loadu_ps(y + i + 8 * j), acc[j]);
        }
    }
    acc[0] = _mm256_add_ps(acc[0], acc[2]);
    acc[1] = _mm256_add_ps(acc[1], acc[3]);
    acc[0] = _mm256_add_ps(acc[0], acc[1]);
    const __m128 t0 = _mm_add_ps(_mm256_castps256_ps128(acc[0]), _mm256_extractf128_ps(acc[0], 1));
    const __m128 t1 = _mm_hadd_ps(t0, t0);
    float sum = _mm_cvtss_f32(_mm_hadd_ps(t1, t1));
    for (int i = np; i < n; i++) sum += x[i] * y[i];
    *s = sum;
}

void raif_vec_dot_f16_f16(int n, float *s, const void *vw, const void *va) {
    const raif_fp16_t *x = vw, *y = va;
    const int np = n & ~31;
    __m256 acc[4] = { _mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps() };
    for (int i = 0; i < np; i += 32) {
        for (int j = 0; j < 4; j++) {
            const __m256 a = _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(x + i + 8 * j)));
            const __m256 b = _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(y + i + 8 * j)));
            acc[j] = _mm256_fmadd_ps(a, b, acc[j]);
        }
    }
    acc[0] = _mm256_add_ps(acc[0], acc[2]);
    acc[1] = _mm256_add_ps(acc[1], acc[3]);
    acc[0] = _mm256_add_ps(acc[0], acc[1]);
    const __m128 t0 = _mm_add_ps(_mm256_castps256_ps128(acc[0]), _mm256_extractf128_ps(acc[0], 1));
    const __m128 t1 = _mm_hadd_ps(t0, t0);
    double sum = _mm_cvtss_f32(_mm_hadd_ps(t1, t1));
    for (int i = np; i < n; i++) sum += (double)(h2f(x[i]) * h2f(y[i]));
    *s = (float)sum;
}

static inline __m256 load_bf16x8(const raif_bf16_t *p) {
    return _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_cvtepu16_epi32(_mm_loadu_si128((const __m128i *)p)), 16));
}

void raif_vec_dot_bf16_bf16(int n, float *s, const void *vw, const void *va) {
    const raif_bf16_t *x = vw, *y = va;
    int i = 0;
    __m256 c1 = _mm256_setzero_ps(), c2 = _mm256_setzero_ps(), c3 = _mm256_setzero_ps(), c4 = _mm256_setzero_ps();
    for (; i + 32 <= n; i += 32) {
        c1 = _mm256_add_ps(_mm256_mul_ps(load_bf16x8(x + i), load_bf16x8(y + i)), c1);
        c2 = _mm256_add_ps(_mm256_mul_ps(load_bf16x8(x + i + 8), load_bf16x8(y + i + 8)), c2);
        c3 = _mm256_add_ps(_mm256_mul_ps(load_bf16x8(x + i + 16), load_bf16x8(y + i + 16)), c3);
        c4 = _mm256_add_ps(_mm256_mul_ps(load_bf16x8(x + i + 24), load_bf16x8(y + i + 24)), c4);
    }
    c1 = _mm256_add_ps(_mm256_add_ps(c1, c3), _mm256_add_ps(c2, c4));
    double sum = hsum8(c1);
    for (; i < n; i++) sum += (double)(raif_bf16_to_fp32(x[i]) * raif_bf16_to_fp32(y[i]));
    *s = (float)sum;
}

void raif_vec_dot_q8_0_q8_0(int n, float *s, const void *vw, const void *va) {
    const raif_block_q8_0 *x = vw;
    const raif_block_q8_0 *y = va;
    __m256 acc = _mm256_setzero_ps();
    for (int b = 0; b < n / RAIF_QK; b++) {
        const __m256 d = _mm256_set1_ps(h2f(x[b].d) * h2f(y[b].d));
        const __m256 q = dot_i8_i8(_mm256_loadu_si256((const __m256i *)x[b].qs),
                                   _mm256_loadu_si256((const __m256i *)y[b].qs));
        acc = _mm256_fmadd_ps(d, q, acc);
    }
    *s = hsum8(acc);
}

void raif_vec_dot_q4_0_q8_0(int n, float *s, const void *vw, const void *va) {
    const raif_block_q4_0 *x = vw;
    const raif_block_q8_0 *y = va;
    __m256 acc = _mm256_setzero_ps();
    for (int b = 0; b < n / RAIF_QK; b++) {
        const __m256 d = _mm256_set1_ps(h2f(x[b].d) * h2f(y[b].d));
        const __m256i qx = _mm256_sub_epi8(unpack_nibbles(x[b].qs), _mm256_set1_epi8(8));
        const __m256 q = dot_i8_i8(qx, _mm256_loadu_si256((const __m256i *)y[b].qs));
        acc = _mm256_fmadd_ps(d, q, acc);
    }
    *s = hsum8(acc);
}

void raif_vec_dot_q4_1_q8_1(int n, float *s, const void *vw, const void *va) {
    const raif_block_q4_1 *x = vw;
    const raif_block_q8_1 *y = va;
    __m256 acc = _mm256_setzero_ps();
    float summs = 0.0f;
    for (int b = 0; b < n / RAIF_QK; b++) {
        summs += h2f(x[b].m) * h2f(y[b].s);
        const __m256 d = _mm256_mul_ps(_mm256_set1_ps(h2f(x[b].d)), _mm256_set1_ps(h2f(y[b].d)));
        const __m256 q = dot_u8_i8(unpack_nibbles(x[b].qs), _mm256_loadu_si256((const __m256i *)y[b].qs));
        acc = _mm256_fmadd_ps(d, q, acc);
    }
    *s = hsum8(acc) + summs;
}

void raif_vec_dot_q5_0_q8_0(int n, float *s, const void *vw, const void *va) {
    const raif_block_q5_0 *x = vw;
    const raif_block_q8_0 *y = va;
    __m256 acc = _mm256_setzero_ps();
    for (int b = 0; b < n / RAIF_QK; b++) {
        const __m256 d = _mm256_set1_ps(h2f(x[b].d) * h2f(y[b].d));
        const __m256 q = dot_i8_i8(q5_0_quants(&x[b]), _mm256_loadu_si256((const __m256i *)y[b].qs));
        acc = _mm256_fmadd_ps(d, q, acc);
    }
    *s = hsum8(acc);
}

void raif_vec_dot_q5_1_q8_1(int n, float *s, const void *vw, const void *va) {
    const raif_block_q5_1 *x = vw;
    const raif_block_q8_1 *y = va;
    __m256 acc = _mm256_setzero_ps();
    float summs = 0.0f;
    for (int b = 0; b < n / RAIF_QK; b++) {
        const __m256 dx = _mm256_set1_ps(h2f(x[b].d));
        summs += h2f(x[b].m) * h2f(y[b].s);
        const __m256 dy = _mm256_set1_ps(h2f(y[b].d));
        const __m256 q = dot_u8_i8(q5_1_quants(&x[b]), _mm256_loadu_si256((const __m256i *)y[b].qs));
        acc = _mm256_fmadd_ps(q, _mm256_mul_ps(dx, dy), acc);
    }
    *s = hsum8(acc) + summs;
}

void raif_vec_dot_q4_K_q8_K(int n, float *s, const void *vw, const void *va) {
    const raif_block_q4_K *x = vw;
    const raif_block_q8_K *y = va;
    __m256 acc = _mm256_setzero_ps();
    __m128 acc_m = _mm_setzero_ps();
    for (int b = 0; b < n / RAIF_QK_K; b++) {
        raif_k4_unpacked u;
        q4_K_unpack(&x[b], &u);
        q4_K_dot_block(&u, &y[b], &acc, &acc_m);
    }
    *s = q4_K_finish(acc, acc_m);
}

void raif_vec_dot_q5_K_q8_K(int n, float *s, const void *vw, const void *va) {
    const raif_block_q5_K *x = vw;
    const raif_block_q8_K *y = va;
    __m256 acc = _mm256_setzero_ps();
    float summs = 0.0f;
    for (int b = 0; b < n / RAIF_QK_K; b++) {
        raif_k4_unpacked u;
        q5_K_unpack(&x[b], &u);
        q5_K_dot_block(&u, &y[b], &acc, &summs);
    }
    *s = hsum8(acc) + summs;
}

void raif_vec_dot_q6_K_q8_K(int n, float *s, const void *vw, const void *va) {
    const raif_block_q6_K *x = vw;
    const raif_block_q8_K *y = va;
    __m256 acc = _mm256_setzero_ps();
    for (int b = 0; b < n / RAIF_QK_K; b++) {
        raif_q6_K_unpacked u;
        q6_K_unpack(&x[b], &u);
        q6_K_dot_block(&u, &y[b], &acc);
    }
    *s = hsum8(acc);
}
