/*
 * CKernels — raif's numeric kernels for GGUF tensor types (x86-64, AVX2/FMA/F16C).
 *
 * For every weight type W in { F32, F16, BF16, Q8_0, Q4_0, Q4_1, Q5_0, Q5_1, Q4_K, Q5_K, Q6_K }:
 *   raif_dequantize_row_<w>[_ref](const void *x, float *y, int64_t k)       W row -> f32
 *   raif_vec_dot_<w>_<a>[_ref](int n, float *s, const void *w, const void *a)
 * where <a> is the activation ("vec dot") type llama.cpp uses for W:
 *   F32 -> F32, F16 -> F16, BF16 -> BF16, Q4_0/Q5_0/Q8_0 -> Q8_0, Q4_1/Q5_1 -> Q8_1, K-quants -> Q8_K.
 * Activation quantizers (f32 -> activation type), matching llama.cpp's x86 numerics exactly:
 *   raif_quantize_row_q8_0 / q8_1 / q8_K / f16 / bf16 [_ref]
 * The `_ref` functions are plain scalar C (the specification); the others are AVX2/FMA fast
 * versions tested against them. `n` / `k` must be a multiple of the type's block size.
 *
 * Exactness: the fast dot products and activation quantizers perform llama.cpp's x86 AVX2
 * arithmetic in the same order, so they reproduce ggml-cpu's results bit for bit (tested against
 * fixtures made by ggml, and by scripts/bench/kernels_vs_ggml.sh); the references agree within a
 * stated bound (different float summation order). Activation quants must lie in [-127, 127], as
 * every quantizer here produces (the sign trick of the Q8 x Q8 kernels does not handle -128).
 *
 * Hot path: raif_matvec / raif_matmul run a row range of a weight matrix against one or several
 * already-quantized activation vectors, so callers can split rows across threads.
 *
 * All multi-byte fields are little-endian; f16 = IEEE half, bf16 = upper half of an f32.
 */
#ifndef RAIF_CKERNELS_H
#define RAIF_CKERNELS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef uint16_t raif_fp16_t;  /* IEEE 754 binary16 bits */
typedef uint16_t raif_bf16_t;  /* bfloat16 bits (f32 >> 16) */

#define RAIF_QK 32          /* elements per block of Q4_0 Q4_1 Q5_0 Q5_1 Q8_0 Q8_1 */
#define RAIF_QK_K 256       /* elements per super-block of Q4_K Q5_K Q6_K Q8_K */
#define RAIF_K_SCALE_SIZE 12

/* Tensor types, numbered as ggml's enum ggml_type (the numbers in GGUF files). */
typedef enum raif_type {
    RAIF_TYPE_F32 = 0,
    RAIF_TYPE_F16 = 1,
    RAIF_TYPE_Q4_0 = 2,
    RAIF_TYPE_Q4_1 = 3,
    RAIF_TYPE_Q5_0 = 6,
    RAIF_TYPE_Q5_1 = 7,
    RAIF_TYPE_Q8_0 = 8,
    RAIF_TYPE_Q8_1 = 9,
    RAIF_TYPE_Q4_K = 12,
    RAIF_TYPE_Q5_K = 13,
    RAIF_TYPE_Q6_K = 14,
    RAIF_TYPE_Q8_K = 15,
    RAIF_TYPE_BF16 = 30,
} raif_type;

/* ------------------------------------------------------------------------------------------------
 * Block layouts. Element j of a block is reconstructed as shown; q = unsigned quant, i = signed.
 * --------------------------------------------------------------------------------------------- */

/* Q4_0: 32 elements, 18 bytes.  y[j] = d * (q[j] - 8)
 *   0      2                                  18
 *   +------+----------------------------------+
 *   | d f16| qs[16]: byte b = q[b] | q[b+16]<<4 |
 *   +------+----------------------------------+   (low nibbles: elements 0..15, high: 16..31)
 */
typedef struct { raif_fp16_t d; uint8_t qs[RAIF_QK / 2]; } raif_block_q4_0;
_Static_assert(sizeof(raif_block_q4_0) == 18, "Q4_0 block must be 18 bytes");

/* Q4_1: 32 elements, 20 bytes.  y[j] = d * q[j] + m
 *   0      2      4                        20
 *   +------+------+------------------------+
 *   | d f16| m f16| qs[16] nibbles as Q4_0 |
 *   +------+------+------------------------+
 */
typedef struct { raif_fp16_t d; raif_fp16_t m; uint8_t qs[RAIF_QK / 2]; } raif_block_q4_1;
_Static_assert(sizeof(raif_block_q4_1) == 20, "Q4_1 block must be 20 bytes");

/* Q5_0: 32 elements, 22 bytes.  y[j] = d * ((q4[j] | bit_j(qh) << 4) - 16)
 *   0      2             6                        22
 *   +------+-------------+------------------------+
 *   | d f16| qh u32 (LE) | qs[16] nibbles as Q4_0 |    bit j of qh = 5th bit of element j
 *   +------+-------------+------------------------+
 */
typedef struct { raif_fp16_t d; uint8_t qh[4]; uint8_t qs[RAIF_QK / 2]; } raif_block_q5_0;
_Static_assert(sizeof(raif_block_q5_0) == 22, "Q5_0 block must be 22 bytes");

/* Q5_1: 32 elements, 24 bytes.  y[j] = d * (q4[j] | bit_j(qh) << 4) + m
 *   0      2      4             8                        24
 *   +------+------+-------------+------------------------+
 *   | d f16| m f16| qh u32 (LE) | qs[16] nibbles as Q4_0 |
 *   +------+------+-------------+------------------------+
 */
typedef struct { raif_fp16_t d; raif_fp16_t m; uint8_t qh[4]; uint8_t qs[RAIF_QK / 2]; } raif_block_q5_1;
_Static_assert(sizeof(raif_block_q5_1) == 24, "Q5_1 block must be 24 bytes");

/* Q8_0: 32 elements, 34 bytes.  y[j] = d * qs[j]
 *   0      2                 34
 *   +------+-----------------+
 *   | d f16| qs[32] int8     |
 *   +------+-----------------+
 */
typedef struct { raif_fp16_t d; int8_t qs[RAIF_QK]; } raif_block_q8_0;
_Static_assert(sizeof(raif_block_q8_0) == 34, "Q8_0 block must be 34 bytes");

/* Q8_1 (activations only): 32 elements, 36 bytes.  y[j] = d * qs[j];  s = f16(d * sum(qs))
 *   0      2      4                 36
 *   +------+------+-----------------+
 *   | d f16| s f16| qs[32] int8     |
 *   +------+------+-----------------+
 */
typedef struct { raif_fp16_t d; raif_fp16_t s; int8_t qs[RAIF_QK]; } raif_block_q8_1;
_Static_assert(sizeof(raif_block_q8_1) == 36, "Q8_1 block must be 36 bytes");

/* Q4_K: 256 elements in 8 sub-blocks of 32, 144 bytes.
 *   y = d * sc[s] * q - dmin * mn[s]   for element in sub-block s (q in 0..15)
 *   0      2        4                16                               144
 *   +------+--------+----------------+--------------------------------+
 *   | d f16|dmin f16| scales[12]     | qs[128]                        |
 *   +------+--------+----------------+--------------------------------+
 *   scales: 8 six-bit scales sc[] and 8 six-bit mins mn[]:
 *     s < 4:  sc = scales[s] & 63,            mn = scales[s+4] & 63
 *     s >= 4: sc = (scales[s+4] & 15) | (scales[s-4] >> 6) << 4
 *             mn = (scales[s+4] >> 4) | (scales[s]   >> 6) << 4
 *   qs: 4 chunks of 32 bytes; chunk c holds sub-block 2c in low nibbles, 2c+1 in high nibbles.
 */
typedef struct {
    raif_fp16_t d;
    raif_fp16_t dmin;
    uint8_t scales[RAIF_K_SCALE_SIZE];
    uint8_t qs[RAIF_QK_K / 2];
} raif_block_q4_K;
_Static_assert(sizeof(raif_block_q4_K) == 144, "Q4_K block must be 144 bytes");

/* Q5_K: 256 elements in 8 sub-blocks of 32, 176 bytes.  As Q4_K with a fifth bit (q in 0..31):
 *   0      2        4                16              48                             176
 *   +------+--------+----------------+---------------+------------------------------+
 *   | d f16|dmin f16| scales[12]     | qh[32]        | qs[128] (as Q4_K)            |
 *   +------+--------+----------------+---------------+------------------------------+
 *   element e (0..31) of sub-block s takes its fifth bit from bit s of qh[e].
 */
typedef struct {
    raif_fp16_t d;
    raif_fp16_t dmin;
    uint8_t scales[RAIF_K_SCALE_SIZE];
    uint8_t qh[RAIF_QK_K / 8];
    uint8_t qs[RAIF_QK_K / 2];
} raif_block_q5_K;
_Static_assert(sizeof(raif_block_q5_K) == 176, "Q5_K block must be 176 bytes");

/* Q6_K: 256 elements in 16 sub-blocks of 16, 210 bytes.  y = d * scales[s] * (q - 32), q in 0..63
 *   0                     128              192                208    210
 *   +---------------------+----------------+------------------+------+
 *   | ql[128] low 4 bits  | qh[64] high 2  | scales[16] int8  | d f16|
 *   +---------------------+----------------+------------------+------+
 *   Two halves of 128 elements (ql += 64, qh += 32 per half); within a half, for l in 0..31:
 *     e = l      : ql[l]    & 15 | ((qh[l] >> 0) & 3) << 4
 *     e = l + 32 : ql[l+32] & 15 | ((qh[l] >> 2) & 3) << 4
 *     e = l + 64 : ql[l]    >> 4 | ((qh[l] >> 4) & 3) << 4
 *     e = l + 96 : ql[l+32] >> 4 | ((qh[l] >> 6) & 3) << 4
 */
typedef struct {
    uint8_t ql[RAIF_QK_K / 2];
    uint8_t qh[RAIF_QK_K / 4];
    int8_t scales[RAIF_QK_K / 16];
    raif_fp16_t d;
} raif_block_q6_K;
_Static_assert(sizeof(raif_block_q6_K) == 210, "Q6_K block must be 210 bytes");

/* Q8_K (activations only): 256 elements, 292 bytes.  y[j] = d * qs[j]
 *   0        4                     260                       292
 *   +--------+---------------------+-------------------------+
 *   | d f32  | qs[256] int8        | bsums[16] int16         |   bsums[g] = sum of qs[16g..16g+15]
 *   +--------+---------------------+-------------------------+
 */
typedef struct { float d; int8_t qs[RAIF_QK_K]; int16_t bsums[RAIF_QK_K / 16]; } raif_block_q8_K;
_Static_assert(sizeof(raif_block_q8_K) == 292, "Q8_K block must be 292 bytes");

/* ------------------------------------------------------------------------------------------------
 * Scalar conversions.
 * --------------------------------------------------------------------------------------------- */

/* f16 -> f32 (exact) and f32 -> f16 (round to nearest even, as F16C / ggml). */
float raif_fp16_to_fp32(raif_fp16_t h);
raif_fp16_t raif_fp32_to_fp16(float f);
/* bf16 -> f32 (exact) and f32 -> bf16 (round to nearest even; NaN stays quiet NaN, as ggml). */
float raif_bf16_to_fp32(raif_bf16_t h);
raif_bf16_t raif_fp32_to_bf16(float f);

/* ------------------------------------------------------------------------------------------------
 * Dequantization: k elements (a multiple of the block size) of type W at x -> f32 at y.
 * --------------------------------------------------------------------------------------------- */
#define RAIF_DECLARE_DEQUANT(t)                                                     \
    void raif_dequantize_row_##t(const void *x, float *y, int64_t k);              \
    void raif_dequantize_row_##t##_ref(const void *x, float *y, int64_t k);
RAIF_DECLARE_DEQUANT(f32)
RAIF_DECLARE_DEQUANT(f16)
RAIF_DECLARE_DEQUANT(bf16)
RAIF_DECLARE_DEQUANT(q8_0)
RAIF_DECLARE_DEQUANT(q4_0)
RAIF_DECLARE_DEQUANT(q4_1)
RAIF_DECLARE_DEQUANT(q5_0)
RAIF_DECLARE_DEQUANT(q5_1)
RAIF_DECLARE_DEQUANT(q4_K)
RAIF_DECLARE_DEQUANT(q5_K)
RAIF_DECLARE_DEQUANT(q6_K)
RAIF_DECLARE_DEQUANT(q8_1)
RAIF_DECLARE_DEQUANT(q8_K)
#undef RAIF_DECLARE_DEQUANT

/* ------------------------------------------------------------------------------------------------
 * Activation quantization: k f32 values at x -> activation type at y (llama.cpp x86 numerics:
 * Q8_0/Q8_1: d = amax/127, q = round-half-even(x * (127/amax)); Q8_1 also s = f16(d * sum q);
 * Q8_K: scale by -127/max (max = signed value of largest magnitude), round half even, d = 1/scale).
 * --------------------------------------------------------------------------------------------- */
#define RAIF_DECLARE_QUANT(t)                                                       \
    void raif_quantize_row_##t(const float *x, void *y, int64_t k);                \
    void raif_quantize_row_##t##_ref(const float *x, void *y, int64_t k);
RAIF_DECLARE_QUANT(q8_0)
RAIF_DECLARE_QUANT(q8_1)
RAIF_DECLARE_QUANT(q8_K)
RAIF_DECLARE_QUANT(f16)
RAIF_DECLARE_QUANT(bf16)
RAIF_DECLARE_QUANT(f32)
#undef RAIF_DECLARE_QUANT

/* ------------------------------------------------------------------------------------------------
 * Dot products: *s = dot(w[0..n), a[0..n)) with w of type W, a of W's activation type.
 * --------------------------------------------------------------------------------------------- */
#define RAIF_DECLARE_DOT(w, a)                                                              \
    void raif_vec_dot_##w##_##a(int n, float *s, const void *w_, const void *a_);           \
    void raif_vec_dot_##w##_##a##_ref(int n, float *s, const void *w_, const void *a_);
RAIF_DECLARE_DOT(f32, f32)
RAIF_DECLARE_DOT(f16, f16)
RAIF_DECLARE_DOT(bf16, bf16)
RAIF_DECLARE_DOT(q8_0, q8_0)
RAIF_DECLARE_DOT(q4_0, q8_0)
RAIF_DECLARE_DOT(q4_1, q8_1)
RAIF_DECLARE_DOT(q5_0, q8_0)
RAIF_DECLARE_DOT(q5_1, q8_1)
RAIF_DECLARE_DOT(q4_K, q8_K)
RAIF_DECLARE_DOT(q5_K, q8_K)
RAIF_DECLARE_DOT(q6_K, q8_K)
#undef RAIF_DECLARE_DOT

/* ------------------------------------------------------------------------------------------------
 * Type traits and dispatch.
 * --------------------------------------------------------------------------------------------- */

typedef void (*raif_dequantize_fn)(const void *x, float *y, int64_t k);
typedef void (*raif_quantize_fn)(const float *x, void *y, int64_t k);
typedef void (*raif_vec_dot_fn)(int n, float *s, const void *w, const void *a);

/* Everything the engine needs to know about one type. Unsupported entries are NULL / 0. */
typedef struct raif_type_traits {
    const char *name;              /* ggml name, e.g. "q4_K" */
    int block_size;                /* elements per block */
    int type_size;                 /* bytes per block */
    raif_type vec_dot_type;        /* activation type for dot products with this weight type */
    raif_dequantize_fn dequantize;      /* fast */
    raif_dequantize_fn dequantize_ref;  /* scalar reference */
    raif_quantize_fn quantize;          /* fast f32 -> this type (activation types only) */
    raif_quantize_fn quantize_ref;      /* scalar reference */
    raif_vec_dot_fn vec_dot;            /* fast, weights of this type x vec_dot_type activations */
    raif_vec_dot_fn vec_dot_ref;        /* scalar reference */
} raif_type_traits;

/* Traits of `type`, or NULL if the type is not supported by these kernels. */
const raif_type_traits *raif_get_type_traits(int type);

/* Bytes taken by `n` elements of `type` (n a multiple of the block size), 0 if unsupported. */
size_t raif_row_size(int type, int64_t n);

/* ------------------------------------------------------------------------------------------------
 * Fused matrix-vector products (the engine's hot path).
 *
 * w: a row-major matrix of `rows` x `cols` elements of `wtype` (row stride = raif_row_size(wtype,
 *    cols)), pointing at row 0. Only rows [row_begin, row_end) are read, so threads can split rows.
 * act: activation vector(s) already converted to the vec_dot type of wtype (raif_quantize_row_*),
 *    `nvec` of them, `act_stride` bytes apart.
 * out: out[v * out_stride + r] = dot(row r, act v) for r in [row_begin, row_end) (absolute row index;
 *    out_stride in floats).
 * Returns 0, or -1 if wtype is unsupported, cols is not a multiple of its block size, or the row
 * range is inverted.
 * raif_matvec runs 4 rows at a time for Q4_0/Q4_1/Q5_0/Q5_1/Q8_0 (one activation block load for
 * four rows); raif_matmul walks 16-row tiles and unpacks each weight block once for up to 4 vectors
 * (batched decode / prefill). Every output is bit-identical to the single raif_vec_dot_* call.
 * --------------------------------------------------------------------------------------------- */
int raif_matvec(int wtype, int64_t cols, int64_t row_begin, int64_t row_end, const void *w,
                const void *act, float *out);
int raif_matmul(int wtype, int64_t cols, int64_t row_begin, int64_t row_end, const void *w,
                int64_t nvec, const void *act, size_t act_stride, float *out, size_t out_stride);
/* Same with the scalar reference dot products (for tests and benchmarks). */
int raif_matmul_ref(int wtype, int64_t cols, int64_t row_begin, int64_t row_end, const void *w,
                    int64_t nvec, const void *act, size_t act_stride, float *out, size_t out_stride);

/* ------------------------------------------------------------------------------------------------
 * Decode attention (kernels_attention.c): one query head q[head_dim] against `positions` cached
 * F16 keys and values (row p at keys + p * kv_stride, values + p * kv_stride), with the numerics of
 * ggml's flash_attn_ext_f16_one_chunk: F16 query, ggml_vec_dot_f16 scores times `scale`, online
 * softmax with an F16 value accumulator. scratch: 2 * head_dim F16 elements. out: head_dim floats.
 * The _ref version is the scalar reference; both agree bit for bit.
 * --------------------------------------------------------------------------------------------- */
void raif_attend_f16(const float *q, const raif_fp16_t *keys, const raif_fp16_t *values, int64_t kv_stride,
                     int64_t positions, int64_t head_dim, float scale, raif_fp16_t *scratch, float *out);
void raif_attend_f16_ref(const float *q, const raif_fp16_t *keys, const raif_fp16_t *values, int64_t kv_stride,
                         int64_t positions, int64_t head_dim, float scale, raif_fp16_t *scratch, float *out);

/* Tiled (prefill) attention (kernels_attention.c): `rows` query rows of one head of one sequence,
 * with the numerics of ggml's flash_attn_ext_tiled (F32 queries, cache positions in tiles of 64,
 * ggml's vector expf, double sums per 8-lane group). Row r's query is at q + r * q_stride and it
 * attends to cache positions 0...positions[r] (non-decreasing in r); its result goes to
 * out + r * out_stride. head_dim must be a multiple of 8. scratch: at least
 * raif_attend_tiled_scratch_floats(rows, head_dim) floats. The _ref version is the scalar
 * reference; both agree bit for bit. */
size_t raif_attend_tiled_scratch_floats(int64_t rows, int64_t head_dim);
void raif_attend_tiled_f16(const float *q, int64_t q_stride, const int64_t *positions, int64_t rows,
                           const raif_fp16_t *keys, const raif_fp16_t *values, int64_t kv_stride, int64_t head_dim,
                           float scale, float *scratch, float *out, int64_t out_stride);
void raif_attend_tiled_f16_ref(const float *q, int64_t q_stride, const int64_t *positions, int64_t rows,
                               const raif_fp16_t *keys, const raif_fp16_t *values, int64_t kv_stride,
                               int64_t head_dim, float scale, float *scratch, float *out, int64_t out_stride);

/* gate[i] = silu(gate[i]) * up[i] for i < n, as ggml's swiglu rounds it (its vector expf for whole
 * 8-lane groups, libm expf for the tail); _ref is the scalar reference, equal bit for bit. */
void raif_swiglu_f32(float *gate, const float *up, int64_t n);
void raif_swiglu_f32_ref(float *gate, const float *up, int64_t n);

/* One spin-wait hint (x86 PAUSE) for threads polling a shared flag. */
static inline void raif_cpu_relax(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
}

#ifdef __cplusplus
}
#endif

#endif /* RAIF_CKERNELS_H */
