/*
 * langdetect's feature extraction and trials, and CPython's Mersenne Twister (see CTextKernels.h).
 *
 * Built with -ffp-contract=off: a fused multiply-add would round differently from langdetect.
 */
#include "CTextKernels.h"

#include <immintrin.h>
#include <math.h>

// MARK: CPython's random.Random

static void mt_twist(raif_mt19937 *r) {
    for (int k = 0; k < 624; k++) {
        uint32_t y = (r->mt[k] & 0x80000000u) | (r->mt[(k + 1) % 624] & 0x7FFFFFFFu);
        uint32_t v = r->mt[(k + 397) % 624] ^ (y >> 1);
        if (y & 1) v ^= 0x9908B0DFu;
        r->mt[k] = v;
    }
    r->index = 0;
}

static inline uint32_t mt_temper(uint32_t y) {
    y ^= y >> 11;
    y ^= (y << 7) & 0x9D2C5680u;
    y ^= (y << 15) & 0xEFC60000u;
    y ^= y >> 18;
    return y;
}

void raif_mt_seed(raif_mt19937 *r, uint32_t seed) {
    uint32_t *mt = r->mt;
    mt[0] = 19650218u;
    for (int i = 1; i < 624; i++) mt[i] = 1812433253u * (mt[i - 1] ^ (mt[i - 1] >> 30)) + (uint32_t)i;
    int i = 1;
    for (int k = 0; k < 624; k++) {  // init_by_array with the one key word `seed` (j stays 0)
        mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >> 30)) * 1664525u)) + seed;
        if (++i >= 624) {
            mt[0] = mt[623];
            i = 1;
        }
    }
    for (int k = 0; k < 623; k++) {
        mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >> 30)) * 1566083941u)) - (uint32_t)i;
        if (++i >= 624) {
            mt[0] = mt[623];
            i = 1;
        }
    }
    mt[0] = 0x80000000u;
    r->index = 624;
    r->has_gauss_next = 0;
    r->gauss_next = 0;
}

static inline uint32_t mt_next(raif_mt19937 *r) {
    if (r->index >= 624) mt_twist(r);
    return mt_temper(r->mt[r->index++]);
}

uint32_t raif_mt_next32(raif_mt19937 *r) { return mt_next(r); }

double raif_mt_random(raif_mt19937 *r) {
    double a = (double)(mt_next(r) >> 5);
    double b = (double)(mt_next(r) >> 6);
    return (a * 67108864.0 + b) * (1.0 / 9007199254740992.0);
}

double raif_mt_gauss(raif_mt19937 *r) {
    if (r->has_gauss_next) {
        r->has_gauss_next = 0;
        return r->gauss_next;
    }
    double x2pi = raif_mt_random(r) * 2 * M_PI;
    double g2rad = sqrt(-2.0 * log(1.0 - raif_mt_random(r)));
    r->gauss_next = sin(x2pi) * g2rad;
    r->has_gauss_next = 1;
    return cos(x2pi) * g2rad;
}

/// The bit length of n > 0.
static inline int bit_length(uint32_t n) { return 32 - __builtin_clz(n); }

static inline uint32_t mt_below(raif_mt19937 *r, uint32_t n, int k) {
    for (;;) {
        uint32_t v = mt_next(r) >> (32 - k);
        if (v < n) return v;
    }
}

uint32_t raif_mt_below(raif_mt19937 *r, uint32_t n) { return mt_below(r, n, bit_length(n)); }

// MARK: Text preparation

int raif_langdetect_is_plain(const uint32_t *text, size_t count) {
    for (size_t k = 0; k < count; k++) {
        uint32_t v = text[k];
        if (v == 0x40 || (v >= 0x300 && v <= 0x323) || v >= 0x10000) return 0;
        if (v == 0x3A && k + 2 < count && text[k + 1] == 0x2F && text[k + 2] == 0x2F) return 0;
    }
    return 1;
}

size_t raif_langdetect_keep(const uint32_t *text, size_t count, uint32_t *kept, size_t *latin, size_t *non_latin) {
    size_t limit = count < 10000 ? count : 10000;
    size_t k = 0, l = 0, n = 0;
    uint32_t previous = 0;
    for (size_t i = 0; i < limit; i++) {
        uint32_t c = text[i];
        if (c != 0x20 || previous != 0x20) {
            kept[k++] = c;
            l += c >= 0x41 && c <= 0x7A;
            n += c >= 0x300 && !(c >= 0x1E00 && c <= 0x1EFF);
        }
        previous = c;
    }
    *latin = l;
    *non_latin = n;
    return k;
}

// MARK: Feature extraction

enum { ID_MASK = 0x0FFF, UNKNOWN = 0x0FFF, UPPER = 1 << 12, SPACE = 1 << 13 };

static inline uint16_t char_info(const uint16_t *table, uint32_t c) {
    if (c < 0x10000) return table[c];
    return c == 0x10000 ? (UNKNOWN | UPPER) : UNKNOWN;
}

static inline uint64_t bigram_key(uint32_t a, uint32_t b) { return (1ull << 36) | (uint64_t)a << 12 | b; }

static inline uint64_t trigram_key(uint32_t a, uint32_t b, uint32_t c) {
    return (uint64_t)a << 24 | (uint64_t)b << 12 | c;
}

static inline size_t slot_of(uint64_t key, uint32_t shift) {
    return (size_t)((key * 0x9E3779B97F4A7C15ull) >> shift);
}

static inline int32_t lookup(const raif_langdetect_grams *g, uint64_t key) {
    size_t mask = g->slot_count - 1;
    size_t slot = slot_of(key, g->shift);
    for (;;) {
        uint64_t value = g->slots[slot];
        if (value == 0) return -1;
        if (value >> 20 == key) return (int32_t)(value & 0xFFFFF) - 1;
        slot = (slot + 1) & mask;
    }
}

enum { DIRECT_BIGRAM_IDS = 128, DIRECT_TRIGRAM_IDS = 32 };

static inline int32_t bigram(const raif_langdetect_grams *g, uint32_t a, uint32_t b) {
    if ((a | b) < DIRECT_BIGRAM_IDS) return g->direct_bigram[a * DIRECT_BIGRAM_IDS + b];
    return lookup(g, bigram_key(a, b));
}

static inline int32_t trigram(const raif_langdetect_grams *g, uint32_t a, uint32_t b, uint32_t c) {
    if ((a | b | c) < DIRECT_TRIGRAM_IDS) return g->direct_trigram[(a * DIRECT_TRIGRAM_IDS + b) * DIRECT_TRIGRAM_IDS + c];
    return lookup(g, trigram_key(a, b, c));
}

/// How far ahead (in characters) the fast extraction prefetches hash slots.
enum { GRAM_AHEAD = 12 };

/// langdetect's n-gram buffer, kept as its last two characters: after a space it restarts as
/// " " + ch (a 1- and a 2-gram); otherwise it holds the last three characters (1-, 2- and 3-gram),
/// and nothing is counted while a word continues in capitals.
static inline __attribute__((always_inline)) size_t extract(
    const raif_langdetect_grams *g, const uint32_t *text, size_t count, int32_t *out, int prefetch) {
    const uint16_t *table = g->char_info;
    const uint16_t space_info = table[0x20];
    uint16_t last = space_info, before_last = space_info;
    size_t found = 0;
    // Branch-free: the slot past the last feature is overwritten by the next one (out has room
    // for 3 * count codes and at most that many are written).
#define EMIT(code)                      \
    do {                                \
        int32_t c_ = (code);            \
        out[found] = c_;                \
        found += (size_t)(c_ >= 0);     \
    } while (0)
    // The ids of the two characters before the one GRAM_AHEAD on, for prefetching.
    uint32_t ahead_a = ID_MASK, ahead_b = ID_MASK;
    if (prefetch && count > GRAM_AHEAD) {
        ahead_a = char_info(table, text[GRAM_AHEAD - 2]) & ID_MASK;
        ahead_b = char_info(table, text[GRAM_AHEAD - 1]) & ID_MASK;
    }
    for (size_t i = 0; i < count; i++) {
        if (prefetch && i + GRAM_AHEAD < count) {
            // The keys the character GRAM_AHEAD on will most likely look up (ignoring the
            // space and capital rules, which only make some of these unnecessary).
            uint32_t a = ahead_a, b = ahead_b, c = char_info(table, text[i + GRAM_AHEAD]) & ID_MASK;
            if ((b | c) >= DIRECT_BIGRAM_IDS)
                _mm_prefetch((const char *)(g->slots + slot_of(bigram_key(b, c), g->shift)), _MM_HINT_T0);
            if ((a | b | c) >= DIRECT_TRIGRAM_IDS)
                _mm_prefetch((const char *)(g->slots + slot_of(trigram_key(a, b, c), g->shift)), _MM_HINT_T0);
            ahead_a = b;
            ahead_b = c;
        }
        uint16_t ch = char_info(table, text[i]);
        uint32_t id = ch & ID_MASK;
        if (last & SPACE) {
            if (ch & SPACE) continue;
            EMIT(g->unigram[id]);
            EMIT(bigram(g, space_info & ID_MASK, id));
        } else if (!(ch & UPPER) || !(last & UPPER)) {
            if (!(ch & SPACE)) EMIT(g->unigram[id]);
            EMIT(bigram(g, last & ID_MASK, id));
            EMIT(trigram(g, before_last & ID_MASK, last & ID_MASK, id));
        }
        before_last = last;
        last = ch;
    }
#undef EMIT
    return found;
}

size_t raif_langdetect_features(const raif_langdetect_grams *g, const uint32_t *text, size_t count, int32_t *out) {
    return extract(g, text, count, out, 1);
}

size_t raif_langdetect_features_ref(
    const raif_langdetect_grams *g, const uint32_t *text, size_t count, int32_t *out) {
    return extract(g, text, count, out, 0);
}

// MARK: Trials

/// How many random draws ahead the fast trials prefetch probability rows.
enum { DRAW_AHEAD = 4 };

/// Prefetches the row a feature code reads.
static inline void prefetch_row(const raif_langdetect_table *t, int32_t code) {
    if (code & t->dense_flag) {
        const char *row = (const char *)(t->dense + (size_t)(code & (t->dense_flag - 1)) * t->dense_stride);
        size_t bytes = (size_t)t->languages * sizeof(double);
        for (size_t offset = 0; offset < bytes + 63; offset += 64) _mm_prefetch(row + offset, _MM_HINT_T0);
    } else {
        int32_t start = t->row_start[code];
        _mm_prefetch((const char *)(t->entry_probability + start), _MM_HINT_T0);
        _mm_prefetch((const char *)(t->entry_language + start), _MM_HINT_T0);
    }
}

/// `prob[j] = prob[j] * (weight + row[j])` for j < n (n rounded up to 4 may be touched: the
/// caller's arrays are dense_stride long, a multiple of 4, with zero padding).
static inline void update_dense(double *prob, const double *row, double weight, int n, int fast) {
    if (fast) {
        __m256d w = _mm256_set1_pd(weight);
        for (int j = 0; j < n; j += 4) {
            __m256d p = _mm256_loadu_pd(prob + j);
            __m256d q = _mm256_loadu_pd(row + j);
            _mm256_storeu_pd(prob + j, _mm256_mul_pd(p, _mm256_add_pd(w, q)));
        }
    } else {
        for (int j = 0; j < n; j++) prob[j] = prob[j] * (weight + row[j]);
    }
}

/// `prob[j] /= sum` for j < n, returning the largest result (division is exact per lane, so
/// the vector version gives the same bits; the zero padding up to a multiple of 4 stays zero).
static inline double normalize(double *prob, double sum, int n, int fast) {
    if (fast) {
        __m256d s = _mm256_set1_pd(sum);
        __m256d m = _mm256_setzero_pd();
        for (int j = 0; j < n; j += 4) {
            __m256d p = _mm256_div_pd(_mm256_loadu_pd(prob + j), s);
            _mm256_storeu_pd(prob + j, p);
            m = _mm256_max_pd(m, p);
        }
        __m128d half = _mm_max_pd(_mm256_castpd256_pd128(m), _mm256_extractf128_pd(m, 1));
        return _mm_cvtsd_f64(_mm_max_sd(half, _mm_unpackhi_pd(half, half)));
    }
    double maximum = 0.0;
    for (int j = 0; j < n; j++) {
        prob[j] = prob[j] / sum;
        if (maximum < prob[j]) maximum = prob[j];
    }
    return maximum;
}

/// Whether the language ahead in `total` after `done` of the 7 trials stays ahead whatever the
/// remaining trials give: each adds at most (1 + rounding) / 7 to one language, so a lead above
/// (7 - done) / 7 plus a wide margin decides the argmax (and the winner's total then exceeds 0.1).
static int decided(const double *total, int n, int done) {
    double first = 0, second = 0;
    for (int j = 0; j < n; j++) {
        if (total[j] > first) {
            second = first;
            first = total[j];
        } else if (total[j] > second) {
            second = total[j];
        }
    }
    return first - second > (7 - done) / 7.0 + 1e-6;
}

static inline __attribute__((always_inline)) int trials(
    const raif_langdetect_table *t, const int32_t *features, size_t count, raif_mt19937 *random, double *total,
    double *scratch, int stop_when_decided, int fast) {
    const int n = t->languages;
    const int stride = t->dense_stride;
    double *prob = scratch;
    double *saved = scratch + stride;
    const uint32_t draws = (uint32_t)count;
    const int bits = bit_length(draws);
    for (int j = n; j < stride; j++) prob[j] = 0;
    for (int trial = 0; trial < 7; trial++) {
        for (int j = 0; j < n; j++) prob[j] = 1.0 / n;
        double alpha = 0.5 + raif_mt_gauss(random) * 0.05;
        double weight = alpha / 10000;
        for (int i = 0;; i++) {
            if (fast && random->index + DRAW_AHEAD < 624) {
                // The row of the draw DRAW_AHEAD on, if no draw before it is rejected.
                uint32_t ahead = mt_temper(random->mt[random->index + DRAW_AHEAD]) >> (32 - bits);
                if (ahead < draws) prefetch_row(t, features[ahead]);
            }
            int32_t code = features[mt_below(random, draws, bits)];
            if (code & t->dense_flag) {
                const double *row = t->dense + (size_t)(code & (t->dense_flag - 1)) * stride;
                update_dense(prob, row, weight, n, fast);
            } else {
                // P = 0 for the languages not listed: prob * (weight + 0.0) == prob * weight.
                int32_t start = t->row_start[code], end = t->row_start[code + 1];
                for (int32_t e = start; e < end; e++) saved[t->entry_language[e]] = prob[t->entry_language[e]];
                if (fast) {
                    __m256d w = _mm256_set1_pd(weight);
                    for (int j = 0; j < n; j += 4) _mm256_storeu_pd(prob + j, _mm256_mul_pd(_mm256_loadu_pd(prob + j), w));
                } else {
                    for (int j = 0; j < n; j++) prob[j] *= weight;
                }
                for (int32_t e = start; e < end; e++) {
                    int language = t->entry_language[e];
                    prob[language] = saved[language] * (weight + t->entry_probability[e]);
                }
            }
            if (i % 5 == 0) {
                double sum = 0.0;  // in order, as Python's sum()
                for (int j = 0; j < n; j++) sum += prob[j];
                if (normalize(prob, sum, n, fast) > 0.99999 || i >= 1000) break;
            }
        }
        for (int j = 0; j < n; j++) total[j] += prob[j] / 7;
        if (stop_when_decided && trial < 6 && decided(total, n, trial + 1)) return trial + 1;
    }
    return 7;
}

int raif_langdetect_probabilities(
    const raif_langdetect_table *table, const int32_t *features, size_t count, raif_mt19937 *random, double *total,
    double *scratch, int stop_when_decided) {
    return trials(table, features, count, random, total, scratch, stop_when_decided, 1);
}

int raif_langdetect_probabilities_ref(
    const raif_langdetect_table *table, const int32_t *features, size_t count, raif_mt19937 *random, double *total,
    double *scratch, int stop_when_decided) {
    return trials(table, features, count, random, total, scratch, stop_when_decided, 0);
}
