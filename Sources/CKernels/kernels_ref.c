/*
 * Scalar reference kernels: the specification the AVX2 kernels are tested against.
 * Plain C, one element at a time, integer sums kept exact, no intrinsics.
 */
#include "CKernels.h"

#include <math.h>
#include <string.h>

/* Every multiply and add rounds on its own: no fused multiply-add contraction in the reference. */
#pragma clang fp contract(off)

/* ---------------------------------------------------------------- scalar conversions */

static inline uint32_t f32_bits(float f) { uint32_t u; memcpy(&u, &f, 4); return u; }
static inline float bits_f32(uint32_t u) { float f; memcpy(&f, &u, 4); return f; }

float raif_fp16_to_fp32(raif_fp16_t h) {
    const uint32_t sign = (uint32_t)(h & 0x8000) << 16;
    const uint32_t exp = (h >> 10) & 0x1f;
    const uint32_t man = h & 0x3ff;
    if (exp == 0x1f) return bits_f32(sign | 0x7f800000u | (man << 13));  /* inf / nan */
    if (exp == 0) {
        if (man == 0) return bits_f32(sign);
        /* subnormal: man * 2^-24 is exact in f32 */
        const float v = (float)man * 0x1p-24f;
        return sign ? -v : v;
    }
    return bits_f32(sign | ((exp + 112) << 23) | (man << 13));
}

raif_fp16_t raif_fp32_to_fp16(float f) {
    const uint32_t u = f32_bits(f);
    const uint16_t sign = (uint16_t)((u >> 16) & 0x8000);
    const uint32_t au = u & 0x7fffffffu;
    if (au >= 0x7f800000u) {  /* inf or nan (nan stays quiet nan) */
        return sign | (au > 0x7f800000u ? (uint16_t)(0x7e00 | ((au >> 13) & 0x3ff)) : 0x7c00);
    }
    if (au >= 0x477ff000u) return sign | 0x7c00;  /* rounds to >= 65520: overflow to inf */
    if (au < 0x38800000u) {
        /* result is subnormal (or zero): value / 2^-24, rounded to nearest even */
        const float a = bits_f32(au);
        const float scaled = a * 0x1p24f;  /* exact: scaling by a power of two */
        /* round half to even by hand */
        float fl = floorf(scaled);
        float diff = scaled - fl;
        uint32_t q = (uint32_t)fl;
        if (diff > 0.5f || (diff == 0.5f && (q & 1))) q++;
        return sign | (uint16_t)q;  /* q == 0x400 becomes the smallest normal: bits line up */
    }
    /* normal: rebias exponent, round mantissa from 23 to 10 bits, nearest even */
    uint32_t m = au + 0xfff + ((au >> 13) & 1);
    m -= 0x38000000u;  /* exponent bias 127 -> 15 */
    return sign | (uint16_t)(m >> 13);
}

float raif_bf16_to_fp32(raif_bf16_t h) { return bits_f32((uint32_t)h << 16); }

raif_bf16_t raif_fp32_to_bf16(float f) {
    const uint32_t u = f32_bits(f);
    if ((u & 0x7fffffffu) > 0x7f800000u) return (raif_bf16_t)((u >> 16) | 64);  /* quiet nan */
    return (raif_bf16_t)((u + (0x7fff + ((u >> 16) & 1))) >> 16);
}

#define FP16(x) raif_fp16_to_fp32(x)

/* ---------------------------------------------------------------- dequantization */

void raif_dequantize_row_f32_ref(const void *vx, float *y, int64_t k) { memcpy(y, vx, (size_t)k * sizeof(float)); }

void raif_dequantize_row_f16_ref(const void *vx, float *y, int64_t k) {
    const raif_fp16_t *x = vx;
    for (int64_t i = 0; i < k; i++) y[i] = FP16(x[i]);
}

void raif_dequantize_row_bf16_ref(const void *vx, float *y, int64_t k) {
    const raif_bf16_t *x = vx;
    for (int64_t i = 0; i < k; i++) y[i] = raif_bf16_to_fp32(x[i]);
}

void raif_dequantize_row_q8_0_ref(const void *vx, float *y, int64_t k) {
    const raif_block_q8_0 *x = vx;
    for (int64_t b = 0; b < k / RAIF_QK; b++) {
        const float d = FP16(x[b].d);
        for (int j = 0; j < RAIF_QK; j++) y[b * RAIF_QK + j] = d * x[b].qs[j];
    }
}

void raif_dequantize_row_q8_1_ref(const void *vx, float *y, int64_t k) {
    const raif_block_q8_1 *x = vx;
    for (int64_t b = 0; b < k / RAIF_QK; b++) {
        const float d = FP16(x[b].d);
        for (int j = 0; j < RAIF_QK; j++) y[b * RAIF_QK + j] = d * x[b].qs[j];
    }
}

void raif_dequantize_row_q8_K_ref(const void *vx, float *y, int64_t k) {
    const raif_block_q8_K *x = vx;
    for (int64_t b = 0; b < k / RAIF_QK_K; b++) {
        for (int j = 0; j < RAIF_QK_K; j++) y[b * RAIF_QK_K + j] = x[b].d * x[b].qs[j];
    }
}

/* Element j (0..31) of a 16-byte nibble array: low nibbles hold 0..15, high nibbles 16..31. */
static inline int nibble(const uint8_t *qs, int j) { return j < 16 ? (qs[j] & 15) : (qs[j - 16] >> 4); }

/* Bit j of a little-endian 32-bit high-bit mask. */
static inline int high_bit(const uint8_t *qh, int j) { return (qh[j >> 3] >> (j & 7)) & 1; }

void raif_dequantize_row_q4_0_ref(const void *vx, float *y, int64_t k) {
    const raif_block_q4_0 *x = vx;
    for (int64_t b = 0; b < k / RAIF_QK; b++) {
        const float d = FP16(x[b].d);
        for (int j = 0; j < RAIF_QK; j++) y[b * RAIF_QK + j] = d * (float)(nibble(x[b].qs, j) - 8);
    }
}

void raif_dequantize_row_q4_1_ref(const void *vx, float *y, int64_t k) {
    const raif_block_q4_1 *x = vx;
    for (int64_t b = 0; b < k / RAIF_QK; b++) {
        const float d = FP16(x[b].d), m = FP16(x[b].m);
        for (int j = 0; j < RAIF_QK; j++) y[b * RAIF_QK + j] = d * (float)nibble(x[b].qs, j) + m;
    }
}

void raif_dequantize_row_q5_0_ref(const void *vx, float *y, int64_t k) {
    const raif_block_q5_0 *x = vx;
    for (int64_t b = 0; b < k / RAIF_QK; b++) {
        const float d = FP16(x[b].d);
        for (int j = 0; j < RAIF_QK; j++) {
            const int q = nibble(x[b].qs, j) | (high_bit(x[b].qh, j) << 4);
            y[b * RAIF_QK + j] = d * (float)(q - 16);
        }
    }
}

void raif_dequantize_row_q5_1_ref(const void *vx, float *y, int64_t k) {
    const raif_block_q5_1 *x = vx;
    for (int64_t b = 0; b < k / RAIF_QK; b++) {
        const float d = FP16(x[b].d), m = FP16(x[b].m);
        for (int j = 0; j < RAIF_QK; j++) {
            const int q = nibble(x[b].qs, j) | (high_bit(x[b].qh, j) << 4);
            y[b * RAIF_QK + j] = d * (float)q + m;
        }
    }
}

/* Six-bit scale and min of sub-block s (0..7) of a Q4_K / Q5_K super-block. */
static inline void k_scale_min(const uint8_t *scales, int s, int *sc, int *mn) {
    if (s < 4) {
        *sc = scales[s] & 63;
        *mn = scales[s + 4] & 63;
    } else {
        *sc = (scales[s + 4] & 15) | ((scales[s - 4] >> 6) << 4);
        *mn = (scales[s + 4] >> 4) | ((scales[s] >> 6) << 4);
    }
}

/* Element e (0..255) of a Q4_K / Q5_K quant array: 4 chunks of 32 bytes, low then high nibbles. */
static inline int k_nibble(const uint8_t *qs, int e) {
    const int s = e / 32, l = e % 32;
    const uint8_t byte = qs[(s / 2) * 32 + l];
    return (s & 1) ? (byte >> 4) : (byte & 15);
}

void raif_dequantize_row_q4_K_ref(const void *vx, float *y, int64_t k) {
    const raif_block_q4_K *x = vx;
    for (int64_t b = 0; b < k / RAIF_QK_K; b++) {
        const float d = FP16(x[b].d), dmin = FP16(x[b].dmin);
        for (int s = 0; s < 8; s++) {
            int sc, mn;
            k_scale_min(x[b].scales, s, &sc, &mn);
            const float ds = d * (float)sc, ms = dmin * (float)mn;
            for (int l = 0; l < 32; l++) y[b * RAIF_QK_K + s * 32 + l] = ds * (float)k_nibble(x[b].qs, s * 32 + l) - ms;
        }
    }
}

void raif_dequantize_row_q5_K_ref(const void *vx, float *y, int64_t k) {
    const raif_block_q5_K *x = vx;
    for (int64_t b = 0; b < k / RAIF_QK_K; b++) {
        const float d = FP16(x[b].d), dmin = FP16(x[b].dmin);
        for (int s = 0; s < 8; s++) {
            int sc, mn;
            k_scale_min(x[b].scales, s, &sc, &mn);
            const float ds = d * (float)sc, ms = dmin * (float)mn;
            for (int l = 0; l < 32; l++) {
                const int q = k_nibble(x[b].qs, s * 32 + l) | (((x[b].qh[l] >> s) & 1) << 4);
                y[b * RAIF_QK_K + s * 32 + l] = ds * (float)q - ms;
            }
        }
    }
}

/* Element e (0..255) of a Q6_K super-block, 0..63. */
static inline int q6_value(const raif_block_q6_K *x, int e) {
    const int half = e / 128, r = e % 128, quarter = r / 32, l = r % 32;
    const uint8_t *ql = x->ql + half * 64, *qh = x->qh + half * 32;
    const int low = (quarter & 1) ? ql[l + 32] : ql[l];
    const int lo4 = (quarter < 2) ? (low & 15) : (low >> 4);
    return lo4 | (((qh[l] >> (2 * quarter)) & 3) << 4);
}

void raif_dequantize_row_q6_K_ref(const void *vx, float *y, int64_t k) {
    const raif_block_q6_K *x = vx;
    for (int64_t b = 0; b < k / RAIF_QK_K; b++) {
        const float d = FP16(x[b].d);
        for (int e = 0; e < RAIF_QK_K; e++) {
            y[b * RAIF_QK_K + e] = d * (float)x[b].scales[e / 16] * (float)(q6_value(&x[b], e) - 32);
        }
    }
}

/* ---------------------------------------------------------------- activation quantization */

/* Round half to even (the x86 default rounding mode, as _mm256_round_ps(_MM_ROUND_NEAREST)). */
static inline int round_even(float v) { return (int)nearbyintf(v); }

void raif_quantize_row_f32_ref(const float *x, void *vy, int64_t k) { memcpy(vy, x, (size_t)k * sizeof(float)); }

void raif_quantize_row_f16_ref(const float *x, void *vy, int64_t k) {
    raif_fp16_t *y = vy;
    for (int64_t i = 0; i < k; i++) y[i] = raif_fp32_to_fp16(x[i]);
}

void raif_quantize_row_bf16_ref(const float *x, void *vy, int64_t k) {
    raif_bf16_t *y = vy;
    for (int64_t i = 0; i < k; i++) y[i] = raif_fp32_to_bf16(x[i]);
}

void raif_quantize_row_q8_0_ref(const float *x, void *vy, int64_t k) {
    raif_block_q8_0 *y = vy;
    for (int64_t b = 0; b < k / RAIF_QK; b++, x += RAIF_QK) {
        float amax = 0.0f;
        for (int j = 0; j < RAIF_QK; j++) amax = fmaxf(amax, fabsf(x[j]));
        const float d = amax / 127.0f;
        const float id = amax != 0.0f ? 127.0f / amax : 0.0f;
        y[b].d = raif_fp32_to_fp16(d);
        for (int j = 0; j < RAIF_QK; j++) y[b].qs[j] = (int8_t)round_even(x[j] * id);
    }
}

void raif_quantize_row_q8_1_ref(const float *x, void *vy, int64_t k) {
    raif_block_q8_1 *y = vy;
    for (int64_t b = 0; b < k / RAIF_QK; b++, x += RAIF_QK) {
        float amax = 0.0f;
        for (int j = 0; j < RAIF_QK; j++) amax = fmaxf(amax, fabsf(x[j]));
        const float d = amax / 127.0f;
        const float id = amax != 0.0f ? 127.0f / amax : 0.0f;
        int sum = 0;
        for (int j = 0; j < RAIF_QK; j++) {
            y[b].qs[j] = (int8_t)round_even(x[j] * id);
            sum += y[b].qs[j];
        }
        y[b].d = raif_fp32_to_fp16(d);
        y[b].s = raif_fp32_to_fp16(d * (float)sum);
    }
}

void raif_quantize_row_q8_K_ref(const float *x, void *vy, int64_t k) {
    raif_block_q8_K *y = vy;
    for (int64_t b = 0; b < k / RAIF_QK_K; b++, x += RAIF_QK_K) {
        float max = 0.0f, amax = 0.0f;
        for (int j = 0; j < RAIF_QK_K; j++) {
            if (fabsf(x[j]) > amax) { amax = fabsf(x[j]); max = x[j]; }
        }
        if (amax == 0.0f) {
            memset(&y[b], 0, sizeof y[b]);
            continue;
        }
        const float iscale = -127.0f / max;
        for (int j = 0; j < RAIF_QK_K; j++) {
            const int v = round_even(iscale * x[j]);
            y[b].qs[j] = (int8_t)(v > 127 ? 127 : v);
        }
        for (int g = 0; g < RAIF_QK_K / 16; g++) {
            int sum = 0;
            for (int j = 0; j < 16; j++) sum += y[b].qs[g * 16 + j];
            y[b].bsums[g] = (int16_t)sum;
        }
        y[b].d = 1.0f / iscale;
    }
}

/* ---------------------------------------------------------------- dot products */

void raif_vec_dot_f32_f32_ref(int n, float *s, const void *vw, const void *va) {
    const float *w = vw, *a = va;
    double sum = 0.0;
    for (int i = 0; i < n; i++) sum += (double)w[i] * (double)a[i];
    *s = (float)sum;
}

void raif_vec_dot_f16_f16_ref(int n, float *s, const void *vw, const void *va) {
    const raif_fp16_t *w = vw, *a = va;
    double sum = 0.0;
    for (int i = 0; i < n; i++) sum += (double)FP16(w[i]) * (double)FP16(a[i]);
    *s = (float)sum;
}

void raif_vec_dot_bf16_bf16_ref(int n, float *s, const void *vw, const void *va) {
    const raif_bf16_t *w = vw, *a = va;
    double sum = 0.0;
    for (int i = 0; i < n; i++) sum += (double)raif_bf16_to_fp32(w[i]) * (double)raif_bf16_to_fp32(a[i]);
    *s = (float)sum;
}

void raif_vec_dot_q8_0_q8_0_ref(int n, float *s, const void *vw, const void *va) {
    const raif_block_q8_0 *w = vw;
    const raif_block_q8_0 *a = va;
    float sum = 0.0f;
    for (int b = 0; b < n / RAIF_QK; b++) {
        int isum = 0;
        for (int j = 0; j < RAIF_QK; j++) isum += w[b].qs[j] * a[b].qs[j];
        sum += (float)isum * (FP16(w[b].d) * FP16(a[b].d));
    }
    *s = sum;
}

void raif_vec_dot_q4_0_q8_0_ref(int n, float *s, const void *vw, const void *va) {
    const raif_block_q4_0 *w = vw;
    const raif_block_q8_0 *a = va;
    float sum = 0.0f;
    for (int b = 0; b < n / RAIF_QK; b++) {
        int isum = 0;
        for (int j = 0; j < RAIF_QK; j++) isum += (nibble(w[b].qs, j) - 8) * a[b].qs[j];
        sum += (float)isum * (FP16(w[b].d) * FP16(a[b].d));
    }
    *s = sum;
}

void raif_vec_dot_q4_1_q8_1_ref(int n, float *s, const void *vw, const void *va) {
    const raif_block_q4_1 *w = vw;
    const raif_block_q8_1 *a = va;
    float sum = 0.0f;
    for (int b = 0; b < n / RAIF_QK; b++) {
        int isum = 0;
        for (int j = 0; j < RAIF_QK; j++) isum += nibble(w[b].qs, j) * a[b].qs[j];
        /* sum_j (d q_j + m) (da qa_j) = d da sum q qa + m (da sum qa), and a.s = da sum qa */
        sum += (float)isum * (FP16(w[b].d) * FP16(a[b].d)) + FP16(w[b].m) * FP16(a[b].s);
    }
    *s = sum;
}

void raif_vec_dot_q5_0_q8_0_ref(int n, float *s, const void *vw, const void *va) {
    const raif_block_q5_0 *w = vw;
    const raif_block_q8_0 *a = va;
    float sum = 0.0f;
    for (int b = 0; b < n / RAIF_QK; b++) {
        int isum = 0;
        for (int j = 0; j < RAIF_QK; j++) {
            const int q = nibble(w[b].qs, j) | (high_bit(w[b].qh, j) << 4);
            isum += (q - 16) * a[b].qs[j];
        }
        sum += (float)isum * (FP16(w[b].d) * FP16(a[b].d));
    }
    *s = sum;
}

void raif_vec_dot_q5_1_q8_1_ref(int n, float *s, const void *vw, const void *va) {
    const raif_block_q5_1 *w = vw;
    const raif_block_q8_1 *a = va;
    float sum = 0.0f;
    for (int b = 0; b < n / RAIF_QK; b++) {
        int isum = 0;
        for (int j = 0; j < RAIF_QK; j++) {
            const int q = nibble(w[b].qs, j) | (high_bit(w[b].qh, j) << 4);
            isum += q * a[b].qs[j];
        }
        sum += (float)isum * (FP16(w[b].d) * FP16(a[b].d)) + FP16(w[b].m) * FP16(a[b].s);
    }
    *s = sum;
}

void raif_vec_dot_q4_K_q8_K_ref(int n, float *s, const void *vw, const void *va) {
    const raif_block_q4_K *w = vw;
    const raif_block_q8_K *a = va;
    float sum = 0.0f;
    for (int b = 0; b < n / RAIF_QK_K; b++) {
        int scaled = 0, mins = 0;
        for (int sb = 0; sb < 8; sb++) {
            int sc, mn;
            k_scale_min(w[b].scales, sb, &sc, &mn);
            int isum = 0;
            for (int l = 0; l < 32; l++) isum += k_nibble(w[b].qs, sb * 32 + l) * a[b].qs[sb * 32 + l];
            scaled += sc * isum;
            mins += mn * (a[b].bsums[2 * sb] + a[b].bsums[2 * sb + 1]);
        }
        sum += FP16(w[b].d) * a[b].d * (float)scaled - FP16(w[b].dmin) * a[b].d * (float)mins;
    }
    *s = sum;
}

void raif_vec_dot_q5_K_q8_K_ref(int n, float *s, const void *vw, const void *va) {
    const raif_block_q5_K *w = vw;
    const raif_block_q8_K *a = va;
    float sum = 0.0f;
    for (int b = 0; b < n / RAIF_QK_K; b++) {
        int scaled = 0, mins = 0;
        for (int sb = 0; sb < 8; sb++) {
            int sc, mn;
            k_scale_min(w[b].scales, sb, &sc, &mn);
            int isum = 0;
            for (int l = 0; l < 32; l++) {
                const int q = k_nibble(w[b].qs, sb * 32 + l) | (((w[b].qh[l] >> sb) & 1) << 4);
                isum += q * a[b].qs[sb * 32 + l];
            }
            scaled += sc * isum;
            mins += mn * (a[b].bsums[2 * sb] + a[b].bsums[2 * sb + 1]);
        }
        sum += FP16(w[b].d) * a[b].d * (float)scaled - FP16(w[b].dmin) * a[b].d * (float)mins;
    }
    *s = sum;
}

void raif_vec_dot_q6_K_q8_K_ref(int n, float *s, const void *vw, const void *va) {
    const raif_block_q6_K *w = vw;
    const raif_block_q8_K *a = va;
    float sum = 0.0f;
    for (int b = 0; b < n / RAIF_QK_K; b++) {
        int scaled = 0;
        for (int sb = 0; sb < 16; sb++) {
            int isum = 0;
            for (int l = 0; l < 16; l++) {
                const int e = sb * 16 + l;
                isum += (q6_value(&w[b], e) - 32) * a[b].qs[e];
            }
            scaled += w[b].scales[sb] * isum;
        }
        sum += FP16(w[b].d) * a[b].d * (float)scaled;
    }
    *s = sum;
}
