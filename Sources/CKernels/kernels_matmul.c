/*
 * Multi-vector dot products: one weight row against up to 4 activation vectors. The weight block
 * is unpacked once and reused for every vector; per vector the arithmetic and its order are
 * exactly those of the single-vector kernel, so results are bit-identical to raif_vec_dot_*.
 */
#include "CKernels.h"

#include <immintrin.h>
#include <string.h>

typedef void (*raif_multi_dot_fn)(int n, const void *w, int nvec, const void *act, size_t act_stride,
                                  float *out, size_t out_stride);

static inline float h2f(raif_fp16_t h) { return _cvtsh_ss(h); }

static inline float hsum8(__m256 x) {
    __m128 r = _mm256_extractf128_ps(x, 1);
    r = _mm_add_ps(r, _mm256_castps256_ps128(x));
    r = _mm_add_ps(r, _mm_movehl_ps(r, r));
    r = _mm_add_ss(r, _mm_movehdup_ps(r));
    return _mm_cvtss_f32(r);
}

static inline __m256i unpack_nibbles(const uint8_t *p) {
    const __m128i t = _mm_loadu_si128((const __m128i *)p);
    return _mm256_and_si256(_mm256_set_m128i(_mm_srli_epi16(t, 4), t), _mm256_set1_epi8(0x0f));
}

static inline __m256 dot_u8_i8(__m256i u, __m256i s) {
    return _mm256_cvtepi32_ps(_mm256_madd_epi16(_mm256_set1_epi16(1), _mm256_maddubs_epi16(u, s)));
}

#define ACT(v, T) ((const T *)((const char *)act + (size_t)(v) * act_stride))

static void multi_q4_1_q8_1(int n, const void *vw, int nvec, const void *act, size_t act_stride, float *out,
                            size_t out_stride) {
    const raif_block_q4_1 *x = vw;
    __m256 acc[4] = { _mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps() };
    float summs[4] = { 0, 0, 0, 0 };
    for (int b = 0; b < n / RAIF_QK; b++) {
        const float dx = h2f(x[b].d), mx = h2f(x[b].m);
        const __m256 dxv = _mm256_set1_ps(dx);
        const __m256i qx = unpack_nibbles(x[b].qs);
        for (int v = 0; v < nvec; v++) {
            const raif_block_q8_1 *y = ACT(v, raif_block_q8_1) + b;
            summs[v] += mx * h2f(y->s);
            const __m256 d = _mm256_mul_ps(dxv, _mm256_set1_ps(h2f(y->d)));
            acc[v] = _mm256_fmadd_ps(d, dot_u8_i8(qx, _mm256_loadu_si256((const __m256i *)y->qs)), acc[v]);
        }
    }
    for (int v = 0; v < nvec; v++) out[(size_t)v * out_stride] = hsum8(acc[v]) + summs[v];
}

static void multi_q4_0_q8_0(int n, const void *vw, int nvec, const void *act, size_t act_stride, float *out,
                            size_t out_stride) {
    const raif_block_q4_0 *x = vw;
    __m256 acc[4] = { _mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps() };
    for (int b = 0; b < n / RAIF_QK; b++) {
        const float dx = h2f(x[b].d);
        const __m256i qx = _mm256_sub_epi8(unpack_nibbles(x[b].qs), _mm256_set1_epi8(8));
        const __m256i ax = _mm256_sign_epi8(qx, qx);
        for (int v = 0; v < nvec; v++) {
            const raif_block_q8_0 *y = ACT(v, raif_block_q8_0) + b;
            const __m256 d = _mm256_set1_ps(dx * h2f(y->d));
            const __m256i sy = _mm256_sign_epi8(_mm256_loadu_si256((const __m256i *)y->qs), qx);
            acc[v] = _mm256_fmadd_ps(d, dot_u8_i8(ax, sy), acc[v]);
        }
    }
    for (int v = 0; v < nvec; v++) out[(size_t)v * out_stride] = hsum8(acc[v]);
}

static void multi_q8_0_q8_0(int n, const void *vw, int nvec, const void *act, size_t act_stride, float *out,
                            size_t out_stride) {
    const raif_block_q8_0 *x = vw;
    __m256 acc[4] = { _mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps() };
    for (int b = 0; b < n / RAIF_QK; b++) {
        const float dx = h2f(x[b].d);
        const __m256i qx = _mm256_loadu_si256((const __m256i *)x[b].qs);
        const __m256i ax = _mm256_sign_epi8(qx, qx);
        for (int v = 0; v < nvec; v++) {
            const raif_block_q8_0 *y = ACT(v, raif_block_q8_0) + b;
            const __m256 d = _mm256_set1_ps(dx * h2f(y->d));
            const __m256i sy = _mm256_sign_epi8(_mm256_loadu_si256((const __m256i *)y->qs), qx);
            acc[v] = _mm256_fmadd_ps(d, dot_u8_i8(ax, sy), acc[v]);
        }
    }
    for (int v = 0; v < nvec; v++) out[(size_t)v * out_stride] = hsum8(acc[v]);
}

raif_multi_dot_fn raif_multi_dot_for(int wtype);
raif_multi_dot_fn raif_multi_dot_for(int wtype) {
    switch (wtype) {
    case RAIF_TYPE_Q4_1: return multi_q4_1_q8_1;
    case RAIF_TYPE_Q4_0: return multi_q4_0_q8_0;
    case RAIF_TYPE_Q8_0: return multi_q8_0_q8_0;
    default: return NULL;
    }
}

/* ---------------------------------------------------------------- 4 rows x 1 vector (decode)
 * The activation block (quants, scales) is loaded and converted once for four weight rows, and the
 * four accumulation chains run in parallel. Per row, the operations are those of raif_vec_dot_*. */

typedef void (*raif_rows4_fn)(int n, const void *w, size_t row_bytes, const void *act, float *out);

#define ROW(r, T) ((const T *)((const char *)vw + (size_t)(r) * row_bytes))

static void rows4_q4_1_q8_1(int n, const void *vw, size_t row_bytes, const void *act, float *out) {
    const raif_block_q8_1 *y = act;
    const raif_block_q4_1 *x0 = ROW(0, raif_block_q4_1), *x1 = ROW(1, raif_block_q4_1);
    const raif_block_q4_1 *x2 = ROW(2, raif_block_q4_1), *x3 = ROW(3, raif_block_q4_1);
    __m256 a0 = _mm256_setzero_ps(), a1 = _mm256_setzero_ps(), a2 = _mm256_setzero_ps(), a3 = _mm256_setzero_ps();
    float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    for (int b = 0; b < n / RAIF_QK; b++) {
        const float sy = h2f(y[b].s);
        const __m256 dy = _mm256_set1_ps(h2f(y[b].d));
        const __m256i qy = _mm256_loadu_si256((const __m256i *)y[b].qs);
        s0 += h2f(x0[b].m) * sy;
        s1 += h2f(x1[b].m) * sy;
        s2 += h2f(x2[b].m) * sy;
        s3 += h2f(x3[b].m) * sy;
        a0 = _mm256_fmadd_ps(_mm256_mul_ps(_mm256_set1_ps(h2f(x0[b].d)), dy), dot_u8_i8(unpack_nibbles(x0[b].qs), qy), a0);
        a1 = _mm256_fmadd_ps(_mm256_mul_ps(_mm256_set1_ps(h2f(x1[b].d)), dy), dot_u8_i8(unpack_nibbles(x1[b].qs), qy), a1);
        a2 = _mm256_fmadd_ps(_mm256_mul_ps(_mm256_set1_ps(h2f(x2[b].d)), dy), dot_u8_i8(unpack_nibbles(x2[b].qs), qy), a2);
        a3 = _mm256_fmadd_ps(_mm256_mul_ps(_mm256_set1_ps(h2f(x3[b].d)), dy), dot_u8_i8(unpack_nibbles(x3[b].qs), qy), a3);
    }
    out[0] = hsum8(a0) + s0;
    out[1] = hsum8(a1) + s1;
    out[2] = hsum8(a2) + s2;
    out[3] = hsum8(a3) + s3;
}

/* x (signed bytes) . y (signed bytes) with y's sign moved onto... as raif_vec_dot: |x| * sign(y, x). */
static inline __m256 dot_i8_i8(__m256i x, __m256i y) {
    return dot_u8_i8(_mm256_sign_epi8(x, x), _mm256_sign_epi8(y, x));
}

static void rows4_q4_0_q8_0(int n, const void *vw, size_t row_bytes, const void *act, float *out) {
    const raif_block_q8_0 *y = act;
    const raif_block_q4_0 *x[4] = { ROW(0, raif_block_q4_0), ROW(1, raif_block_q4_0), ROW(2, raif_block_q4_0),
                                    ROW(3, raif_block_q4_0) };
    __m256 acc[4] = { _mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps() };
    const __m256i off = _mm256_set1_epi8(8);
    for (int b = 0; b < n / RAIF_QK; b++) {
        const float dy = h2f(y[b].d);
        const __m256i qy = _mm256_loadu_si256((const __m256i *)y[b].qs);
        for (int r = 0; r < 4; r++) {
            const __m256 d = _mm256_set1_ps(h2f(x[r][b].d) * dy);
            acc[r] = _mm256_fmadd_ps(d, dot_i8_i8(_mm256_sub_epi8(unpack_nibbles(x[r][b].qs), off), qy), acc[r]);
        }
    }
    for (int r = 0; r < 4; r++) out[r] = hsum8(acc[r]);
}

static void rows4_q8_0_q8_0(int n, const void *vw, size_t row_bytes, const void *act, float *out) {
    const raif_block_q8_0 *y = act;
    const raif_block_q8_0 *x[4] = { ROW(0, raif_block_q8_0), ROW(1, raif_block_q8_0), ROW(2, raif_block_q8_0),
                                    ROW(3, raif_block_q8_0) };
    __m256 acc[4] = { _mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps() };
    for (int b = 0; b < n / RAIF_QK; b++) {
        const float dy = h2f(y[b].d);
        const __m256i qy = _mm256_loadu_si256((const __m256i *)y[b].qs);
        for (int r = 0; r < 4; r++) {
            const __m256 d = _mm256_set1_ps(h2f(x[r][b].d) * dy);
            acc[r] = _mm256_fmadd_ps(d, dot_i8_i8(_mm256_loadu_si256((const __m256i *)x[r][b].qs), qy), acc[r]);
        }
    }
    for (int r = 0; r < 4; r++) out[r] = hsum8(acc[r]);
}

raif_rows4_fn raif_rows4_for(int wtype);
raif_rows4_fn raif_rows4_for(int wtype) {
    switch (wtype) {
    case RAIF_TYPE_Q4_1: return rows4_q4_1_q8_1;
    case RAIF_TYPE_Q4_0: return rows4_q4_0_q8_0;
    case RAIF_TYPE_Q8_0: return rows4_q8_0_q8_0;
    default: return NULL;
    }
}
