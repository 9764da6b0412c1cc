/*
 * Multi-vector dot products: one weight row against up to 4 activation vectors. The weight block
 * is unpacked once and reused for every vector; per vector the arithmetic and its order are
 * exactly those of the single-vector kernel, so results are bit-identical to raif_vec_dot_*.
 */
#include "kernels_matmul.h"
#include "kernels_simd.h"

#define ACT(v, T) ((const T *)((const char *)act + (size_t)(v) * act_stride))

/* Software prefetch for the decode kernels. Rows read side by side are short streams that the
 * hardware prefetchers hardly learn, and one decode step streams the whole model from memory, so
 * while block b of the current rows is consumed, the matching slice of the rows RAIF_PREFETCH_ROWS
 * further on is requested: `step` bytes per block (block size times rows read together), each
 * cache line exactly once. */
#define RAIF_PREFETCH_ROWS 8
static inline void prefetch_ahead(const void *w, size_t row_bytes, int b, size_t step) {
    /* Integer arithmetic: past the last rows the address lies outside the matrix (a prefetch
     * never faults, but pointer arithmetic there would be undefined). */
    const uintptr_t base = (uintptr_t)w + RAIF_PREFETCH_ROWS * row_bytes;
    const size_t lo = (size_t)b * step, hi = lo + step;
    for (size_t off = (lo + 63) & ~(size_t)63; off < hi; off += 64) _mm_prefetch((const char *)(base + off), _MM_HINT_T0);
}

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

static void multi_q5_0_q8_0(int n, const void *vw, int nvec, const void *act, size_t act_stride, float *out,
                            size_t out_stride) {
    const raif_block_q5_0 *x = vw;
    __m256 acc[4] = { _mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps() };
    for (int b = 0; b < n / RAIF_QK; b++) {
        const float dx = h2f(x[b].d);
        const __m256i qx = q5_0_quants(&x[b]);
        for (int v = 0; v < nvec; v++) {
            const raif_block_q8_0 *y = ACT(v, raif_block_q8_0) + b;
            const __m256 d = _mm256_set1_ps(dx * h2f(y->d));
            acc[v] = _mm256_fmadd_ps(d, dot_i8_i8(qx, _mm256_loadu_si256((const __m256i *)y->qs)), acc[v]);
        }
    }
    for (int v = 0; v < nvec; v++) out[(size_t)v * out_stride] = hsum8(acc[v]);
}

static void multi_q5_1_q8_1(int n, const void *vw, int nvec, const void *act, size_t act_stride, float *out,
                            size_t out_stride) {
    const raif_block_q5_1 *x = vw;
    __m256 acc[4] = { _mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps() };
    float summs[4] = { 0, 0, 0, 0 };
    for (int b = 0; b < n / RAIF_QK; b++) {
        const __m256 dx = _mm256_set1_ps(h2f(x[b].d));
        const float mx = h2f(x[b].m);
        const __m256i qx = q5_1_quants(&x[b]);
        for (int v = 0; v < nvec; v++) {
            const raif_block_q8_1 *y = ACT(v, raif_block_q8_1) + b;
            summs[v] += mx * h2f(y->s);
            const __m256 dy = _mm256_set1_ps(h2f(y->d));
            const __m256 q = dot_u8_i8(qx, _mm256_loadu_si256((const __m256i *)y->qs));
            acc[v] = _mm256_fmadd_ps(q, _mm256_mul_ps(dx, dy), acc[v]);
        }
    }
    for (int v = 0; v < nvec; v++) out[(size_t)v * out_stride] = hsum8(acc[v]) + summs[v];
}

static void multi_q4_K_q8_K(int n, const void *vw, int nvec, const void *act, size_t act_stride, float *out,
                            size_t out_stride) {
    const raif_block_q4_K *x = vw;
    __m256 acc[4] = { _mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps() };
    __m128 acc_m[4] = { _mm_setzero_ps(), _mm_setzero_ps(), _mm_setzero_ps(), _mm_setzero_ps() };
    for (int b = 0; b < n / RAIF_QK_K; b++) {
        raif_k4_unpacked u;
        q4_K_unpack(&x[b], &u);
        for (int v = 0; v < nvec; v++) q4_K_dot_block(&u, ACT(v, raif_block_q8_K) + b, &acc[v], &acc_m[v]);
    }
    for (int v = 0; v < nvec; v++) out[(size_t)v * out_stride] = q4_K_finish(acc[v], acc_m[v]);
}

static void multi_q5_K_q8_K(int n, const void *vw, int nvec, const void *act, size_t act_stride, float *out,
                            size_t out_stride) {
    const raif_block_q5_K *x = vw;
    __m256 acc[4] = { _mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps() };
    float summs[4] = { 0, 0, 0, 0 };
    for (int b = 0; b < n / RAIF_QK_K; b++) {
        raif_k4_unpacked u;
        q5_K_unpack(&x[b], &u);
        for (int v = 0; v < nvec; v++) q5_K_dot_block(&u, ACT(v, raif_block_q8_K) + b, &acc[v], &summs[v]);
    }
    for (int v = 0; v < nvec; v++) out[(size_t)v * out_stride] = hsum8(acc[v]) + summs[v];
}

static void multi_q6_K_q8_K(int n, const void *vw, int nvec, const void *act, size_t act_stride, float *out,
                            size_t out_stride) {
    const raif_block_q6_K *x = vw;
    __m256 acc[4] = { _mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps() };
    for (int b = 0; b < n / RAIF_QK_K; b++) {
        raif_q6_K_unpacked u;
        q6_K_unpack(&x[b], &u);
        for (int v = 0; v < nvec; v++) q6_K_dot_block(&u, ACT(v, raif_block_q8_K) + b, &acc[v]);
    }
    for (int v = 0; v < nvec; v++) out[(size_t)v * out_stride] = hsum8(acc[v]);
}

/* ---------------------------------------------------------------- 2 rows x up to 4 vectors
 * Each activation block (quants and scales) is loaded and converted once for two weight rows, and
 * each weight block unpacked once for all vectors. out[v * out_stride + r] for r in {0, 1}.
 * `prefetch`: request the rows further on (the pass that streams a tile from memory). */

static void pair_q4_1_q8_1(int n, const void *vw, size_t row_bytes, int nvec, const void *act, size_t act_stride,
                           float *out, size_t out_stride, int prefetch) {
    const raif_block_q4_1 *x0 = vw;
    const raif_block_q4_1 *x1 = (const raif_block_q4_1 *)((const char *)vw + row_bytes);
    __m256 acc0[4] = { _mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps() };
    __m256 acc1[4] = { _mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps() };
    float s0[4] = { 0, 0, 0, 0 }, s1[4] = { 0, 0, 0, 0 };
    for (int b = 0; b < n / RAIF_QK; b++) {
        if (prefetch) prefetch_ahead(vw, row_bytes, b, 2 * sizeof(raif_block_q4_1));
        const __m256 dx0 = _mm256_set1_ps(h2f(x0[b].d)), dx1 = _mm256_set1_ps(h2f(x1[b].d));
        const float mx0 = h2f(x0[b].m), mx1 = h2f(x1[b].m);
        const __m256i qx0 = unpack_nibbles(x0[b].qs), qx1 = unpack_nibbles(x1[b].qs);
        for (int v = 0; v < nvec; v++) {
            const raif_block_q8_1 *y = ACT(v, raif_block_q8_1) + b;
            const float sy = h2f(y->s);
            const __m256 dy = _mm256_set1_ps(h2f(y->d));
            const __m256i qy = _mm256_loadu_si256((const __m256i *)y->qs);
            s0[v] += mx0 * sy;
            s1[v] += mx1 * sy;
            acc0[v] = _mm256_fmadd_ps(_mm256_mul_ps(dx0, dy), dot_u8_i8(qx0, qy), acc0[v]);
            acc1[v] = _mm256_fmadd_ps(_mm256_mul_ps(dx1, dy), dot_u8_i8(qx1, qy), acc1[v]);
        }
    }
    for (int v = 0; v < nvec; v++) {
        out[(size_t)v * out_stride] = hsum8(acc0[v]) + s0[v];
        out[(size_t)v * out_stride + 1] = hsum8(acc1[v]) + s1[v];
    }
}

static void pair_q8_0_q8_0(int n, const void *vw, size_t row_bytes, int nvec, const void *act, size_t act_stride,
                           float *out, size_t out_stride, int prefetch) {
    const raif_block_q8_0 *x0 = vw;
    const raif_block_q8_0 *x1 = (const raif_block_q8_0 *)((const char *)vw + row_bytes);
    __m256 acc0[4] = { _mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps() };
    __m256 acc1[4] = { _mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps() };
    for (int b = 0; b < n / RAIF_QK; b++) {
        if (prefetch) prefetch_ahead(vw, row_bytes, b, 2 * sizeof(raif_block_q8_0));
        const float dx0 = h2f(x0[b].d), dx1 = h2f(x1[b].d);
        const __m256i qx0 = _mm256_loadu_si256((const __m256i *)x0[b].qs);
        const __m256i qx1 = _mm256_loadu_si256((const __m256i *)x1[b].qs);
        const __m256i ax0 = _mm256_sign_epi8(qx0, qx0), ax1 = _mm256_sign_epi8(qx1, qx1);
        for (int v = 0; v < nvec; v++) {
            const raif_block_q8_0 *y = ACT(v, raif_block_q8_0) + b;
            const float dy = h2f(y->d);
            const __m256i qy = _mm256_loadu_si256((const __m256i *)y->qs);
            acc0[v] = _mm256_fmadd_ps(_mm256_set1_ps(dx0 * dy), dot_u8_i8(ax0, _mm256_sign_epi8(qy, qx0)), acc0[v]);
            acc1[v] = _mm256_fmadd_ps(_mm256_set1_ps(dx1 * dy), dot_u8_i8(ax1, _mm256_sign_epi8(qy, qx1)), acc1[v]);
        }
    }
    for (int v = 0; v < nvec; v++) {
        out[(size_t)v * out_stride] = hsum8(acc0[v]);
        out[(size_t)v * out_stride + 1] = hsum8(acc1[v]);
    }
}

raif_pair_dot_fn raif_pair_dot_for(int wtype) {
    switch (wtype) {
    case RAIF_TYPE_Q4_1: return pair_q4_1_q8_1;
    case RAIF_TYPE_Q8_0: return pair_q8_0_q8_0;
    default: return NULL;
    }
}

raif_multi_dot_fn raif_multi_dot_for(int wtype) {
    switch (wtype) {
    case RAIF_TYPE_Q4_1: return multi_q4_1_q8_1;
    case RAIF_TYPE_Q4_0: return multi_q4_0_q8_0;
    case RAIF_TYPE_Q8_0: return multi_q8_0_q8_0;
    case RAIF_TYPE_Q5_0: return multi_q5_0_q8_0;
    case RAIF_TYPE_Q5_1: return multi_q5_1_q8_1;
    case RAIF_TYPE_Q4_K: return multi_q4_K_q8_K;
    case RAIF_TYPE_Q5_K: return multi_q5_K_q8_K;
    case RAIF_TYPE_Q6_K: return multi_q6_K_q8_K;
    default: return NULL;
    }
}

/* ---------------------------------------------------------------- 4 rows x 1 vector (decode)
 * The activation block (quants, scales) is loaded and converted once for four weight rows, and the
 * four accumulation chains run in parallel. Per row, the operations are those of raif_vec_dot_*. */

#define ROW(r, T) ((const T *)((const char *)vw + (size_t)(r) * row_bytes))


static void rows4_q4_1_q8_1(int n, const void *vw, size_t row_bytes, const void *act, float *out) {
    const raif_block_q8_1 *y = act;
    const raif_block_q4_1 *x0 = ROW(0, raif_block_q4_1), *x1 = ROW(1, raif_block_q4_1);
    const raif_block_q4_1 *x2 = ROW(2, raif_block_q4_1), *x3 = ROW(3, raif_block_q4_1);
    __m256 a0 = _mm256_setzero_ps(), a1 = _mm256_setzero_ps(), a2 = _mm256_setzero_ps(), a3 = _mm256_setzero_ps();
    /* the four rows' running sums of m * s, one per lane: lane-wise FMA = the scalar FMA of vec_dot */
    __m128 summs = _mm_setzero_ps();
    const __m256i pick_m = _mm256_setr_epi32(1, 3, 5, 7, 1, 3, 5, 7);
    for (int b = 0; b < n / RAIF_QK; b++) {
        prefetch_ahead(vw, row_bytes, b, 4 * sizeof(raif_block_q4_1));
        /* (d, m) of the four rows converted at once: [d0 m0 d1 m1 d2 m2 d3 m3] */
        uint32_t dm0, dm1, dm2, dm3;
        memcpy(&dm0, &x0[b], 4);
        memcpy(&dm1, &x1[b], 4);
        memcpy(&dm2, &x2[b], 4);
        memcpy(&dm3, &x3[b], 4);
        const __m256 dm = _mm256_cvtph_ps(_mm_setr_epi32((int)dm0, (int)dm1, (int)dm2, (int)dm3));
        const __m128 m = _mm256_castps256_ps128(_mm256_permutevar8x32_ps(dm, pick_m));
        summs = _mm_fmadd_ps(m, _mm_set1_ps(h2f(y[b].s)), summs);
        const __m256 dy = _mm256_set1_ps(h2f(y[b].d));
        const __m256i qy = _mm256_loadu_si256((const __m256i *)y[b].qs);
        const __m256 d0 = _mm256_permutevar8x32_ps(dm, _mm256_set1_epi32(0));
        const __m256 d1 = _mm256_permutevar8x32_ps(dm, _mm256_set1_epi32(2));
        const __m256 d2 = _mm256_permutevar8x32_ps(dm, _mm256_set1_epi32(4));
        const __m256 d3 = _mm256_permutevar8x32_ps(dm, _mm256_set1_epi32(6));
        a0 = _mm256_fmadd_ps(_mm256_mul_ps(d0, dy), dot_u8_i8(unpack_nibbles(x0[b].qs), qy), a0);
        a1 = _mm256_fmadd_ps(_mm256_mul_ps(d1, dy), dot_u8_i8(unpack_nibbles(x1[b].qs), qy), a1);
        a2 = _mm256_fmadd_ps(_mm256_mul_ps(d2, dy), dot_u8_i8(unpack_nibbles(x2[b].qs), qy), a2);
        a3 = _mm256_fmadd_ps(_mm256_mul_ps(d3, dy), dot_u8_i8(unpack_nibbles(x3[b].qs), qy), a3);
    }
    float s[4];
    _mm_storeu_ps(s, summs);
    out[0] = hsum8(a0) + s[0];
    out[1] = hsum8(a1) + s[1];
    out[2] = hsum8(a2) + s[2];
    out[3] = hsum8(a3) + s[3];
}

static void rows4_q4_0_q8_0(int n, const void *vw, size_t row_bytes, const void *act, float *out) {
    const raif_block_q8_0 *y = act;
    const raif_block_q4_0 *x[4] = { ROW(0, raif_block_q4_0), ROW(1, raif_block_q4_0), ROW(2, raif_block_q4_0),
                                    ROW(3, raif_block_q4_0) };
    __m256 acc[4] = { _mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps() };
    const __m256i off = _mm256_set1_epi8(8);
    for (int b = 0; b < n / RAIF_QK; b++) {
        prefetch_ahead(vw, row_bytes, b, 4 * sizeof(raif_block_q4_0));
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
        prefetch_ahead(vw, row_bytes, b, 4 * sizeof(raif_block_q8_0));
        const float dy = h2f(y[b].d);
        const __m256i qy = _mm256_loadu_si256((const __m256i *)y[b].qs);
        for (int r = 0; r < 4; r++) {
            const __m256 d = _mm256_set1_ps(h2f(x[r][b].d) * dy);
            acc[r] = _mm256_fmadd_ps(d, dot_i8_i8(_mm256_loadu_si256((const __m256i *)x[r][b].qs), qy), acc[r]);
        }
    }
    for (int r = 0; r < 4; r++) out[r] = hsum8(acc[r]);
}

static void rows4_q5_0_q8_0(int n, const void *vw, size_t row_bytes, const void *act, float *out) {
    const raif_block_q8_0 *y = act;
    const raif_block_q5_0 *x[4] = { ROW(0, raif_block_q5_0), ROW(1, raif_block_q5_0), ROW(2, raif_block_q5_0),
                                    ROW(3, raif_block_q5_0) };
    __m256 acc[4] = { _mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps() };
    for (int b = 0; b < n / RAIF_QK; b++) {
        prefetch_ahead(vw, row_bytes, b, 4 * sizeof(raif_block_q5_0));
        const float dy = h2f(y[b].d);
        const __m256i qy = _mm256_loadu_si256((const __m256i *)y[b].qs);
        for (int r = 0; r < 4; r++) {
            const __m256 d = _mm256_set1_ps(h2f(x[r][b].d) * dy);
            acc[r] = _mm256_fmadd_ps(d, dot_i8_i8(q5_0_quants(&x[r][b]), qy), acc[r]);
        }
    }
    for (int r = 0; r < 4; r++) out[r] = hsum8(acc[r]);
}

static void rows4_q5_1_q8_1(int n, const void *vw, size_t row_bytes, const void *act, float *out) {
    const raif_block_q8_1 *y = act;
    const raif_block_q5_1 *x[4] = { ROW(0, raif_block_q5_1), ROW(1, raif_block_q5_1), ROW(2, raif_block_q5_1),
                                    ROW(3, raif_block_q5_1) };
    __m256 acc[4] = { _mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps() };
    float summs[4] = { 0, 0, 0, 0 };
    for (int b = 0; b < n / RAIF_QK; b++) {
        prefetch_ahead(vw, row_bytes, b, 4 * sizeof(raif_block_q5_1));
        const float sy = h2f(y[b].s);
        const __m256 dy = _mm256_set1_ps(h2f(y[b].d));
        const __m256i qy = _mm256_loadu_si256((const __m256i *)y[b].qs);
        for (int r = 0; r < 4; r++) {
            summs[r] += h2f(x[r][b].m) * sy;
            const __m256 q = dot_u8_i8(q5_1_quants(&x[r][b]), qy);
            acc[r] = _mm256_fmadd_ps(q, _mm256_mul_ps(_mm256_set1_ps(h2f(x[r][b].d)), dy), acc[r]);
        }
    }
    for (int r = 0; r < 4; r++) out[r] = hsum8(acc[r]) + summs[r];
}

raif_rows4_fn raif_rows4_for(int wtype) {
    switch (wtype) {
    case RAIF_TYPE_Q4_1: return rows4_q4_1_q8_1;
    case RAIF_TYPE_Q4_0: return rows4_q4_0_q8_0;
    case RAIF_TYPE_Q8_0: return rows4_q8_0_q8_0;
    case RAIF_TYPE_Q5_0: return rows4_q5_0_q8_0;
    case RAIF_TYPE_Q5_1: return rows4_q5_1_q8_1;
    /* K-quants: measured slower than one row at a time (the unpacked super-blocks spill). */
    default: return NULL;
    }
}
