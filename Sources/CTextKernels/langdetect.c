/*
 * langdetect's feature extraction and trials, and CPython's Mersenne Twister (see CTextKernels.h).
 *
 * Built with -ffp-contract=off: a fused multiply-add would round differently from langdetect.
 */
#include "CTextKernels.h"

#include <immintrin.h>

#include "lanes.h"
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

/// `random()` from two outputs: 53 random bits in [0, 1).
static inline double random53(uint32_t a, uint32_t b) {
    return ((double)(a >> 5) * 67108864.0 + (double)(b >> 6)) * (1.0 / 9007199254740992.0);
}

/// `gauss()`'s pair from two `random()` values: returns the first, stores the second.
static inline double gauss_pair(double u1, double u2, double *second) {
    double x2pi = u1 * 2 * M_PI;
    double g2rad = sqrt(-2.0 * log(1.0 - u2));
    *second = sin(x2pi) * g2rad;
    return cos(x2pi) * g2rad;
}

double raif_mt_random(raif_mt19937 *r) {
    uint32_t a = mt_next(r);
    return random53(a, mt_next(r));
}

double raif_mt_gauss(raif_mt19937 *r) {
    if (r->has_gauss_next) {
        r->has_gauss_next = 0;
        return r->gauss_next;
    }
    double u1 = raif_mt_random(r);
    double u2 = raif_mt_random(r);
    r->has_gauss_next = 1;
    return gauss_pair(u1, u2, &r->gauss_next);
}

void raif_mt_stream_fill(const raif_mt19937 *start, uint32_t *words, size_t count, raif_mt19937 *after) {
    *after = *start;
    for (size_t k = 0; k < count; k++) words[k] = mt_next(after);
}

/// The bit length of n > 0.
static inline int bit_length(uint32_t n) { return 32 - __builtin_clz(n); }

/// `_randbelow(n)` for n < 2^k: k-bit outputs until one is below n.
static inline uint32_t mt_below(raif_mt19937 *r, uint32_t n, int k) {
    for (;;) {
        uint32_t v = mt_next(r) >> (32 - k);
        if (v < n) return v;
    }
}

uint32_t raif_mt_below(raif_mt19937 *r, uint32_t n) { return mt_below(r, n, bit_length(n)); }

// MARK: Text preparation

/// One code point of the plain-text scan: 0 when it makes the text not plain ("@", the colon of
/// a "://", a combining mark U+0300-U+0323, a code point above the BMP), else 1 after counting it
/// (when within the first `limit`) as a Latin letter or a non-Latin character.
static inline int scan_one(const uint32_t *text, size_t count, size_t k, size_t limit, size_t *l, size_t *n) {
    uint32_t v = text[k];
    if (v == 0x40 || (v >= 0x300 && v <= 0x323) || v >= 0x10000) return 0;
    if (v == 0x3A && k + 2 < count && text[k + 1] == 0x2F && text[k + 2] == 0x2F) return 0;
    if (k < limit) {
        *l += v >= 0x41 && v <= 0x7A;
        *n += v >= 0x300 && !(v >= 0x1E00 && v <= 0x1EFF);
    }
    return 1;
}

int raif_langdetect_scan_ref(const uint32_t *text, size_t count, size_t *latin, size_t *non_latin) {
    size_t limit = count < 10000 ? count : 10000, l = 0, n = 0;
    for (size_t k = 0; k < count; k++)
        if (!scan_one(text, count, k, limit, &l, &n)) return 0;
    *latin = l;
    *non_latin = n;
    return 1;
}

int raif_langdetect_scan(const uint32_t *text, size_t count, size_t *latin, size_t *non_latin) {
    size_t limit = count < 10000 ? count : 10000, l = 0, n = 0, k = 0;
    __m256i count_l = _mm256_setzero_si256(), count_n = _mm256_setzero_si256();
    const __m256i at = _mm256_set1_epi32(0x40), colon = _mm256_set1_epi32(0x3A);
    const __m256i bmp_last = _mm256_set1_epi32(0xFFFF), below_marks = _mm256_set1_epi32(0x2FF);
    // Eight code points at a time; a block holding "@", a colon, a mark or a code point above the
    // BMP goes through the scalar step instead (a colon is rarely a URL's).
    for (; k + 8 <= limit; k += 8) {
        __m256i v = _mm256_loadu_si256((const __m256i *)(text + k));
        __m256i odd = _mm256_or_si256(
            _mm256_or_si256(_mm256_cmpeq_epi32(v, at), _mm256_cmpeq_epi32(v, colon)),
            _mm256_or_si256(lanes_in(v, 0x300, 0x23), _mm256_cmpgt_epi32(v, bmp_last)));
        if (_mm256_testz_si256(odd, odd)) {
            count_l = _mm256_sub_epi32(count_l, lanes_in(v, 0x41, 0x39));
            __m256i non_latin_lanes = _mm256_andnot_si256(lanes_in(v, 0x1E00, 0xFF), _mm256_cmpgt_epi32(v, below_marks));
            count_n = _mm256_sub_epi32(count_n, non_latin_lanes);
        } else {
            for (size_t j = k; j < k + 8; j++)
                if (!scan_one(text, count, j, limit, &l, &n)) return 0;
        }
    }
    uint32_t lanes[16];
    _mm256_storeu_si256((__m256i *)lanes, count_l);
    _mm256_storeu_si256((__m256i *)(lanes + 8), count_n);
    for (int j = 0; j < 8; j++) {
        l += lanes[j];
        n += lanes[8 + j];
    }
    for (; k < count; k++)
        if (!scan_one(text, count, k, limit, &l, &n)) return 0;
    *latin = l;
    *non_latin = n;
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

/// langdetect's n-gram buffer, kept as its last two characters: after a space it restarts as
/// " " + ch (a 1- and a 2-gram); otherwise it holds the last three characters (1-, 2- and 3-gram),
/// and nothing is counted while a word continues in capitals.
///
/// Written as the reference's branches. Measured on the IFEval language answers (minimum of 15
/// interleaved passes, ns per character, plain Latin text / all text): 4.8 / 5.6 as here, 6.1 / 9.5
/// branch-free (every n-gram looked up, then masked), 4.8 / 5.6 word by word. Prefetching the hash
/// slots ahead was 5% faster alone but about 10% slower inside the scorer (interleaved runs).
size_t raif_langdetect_features(const raif_langdetect_grams *g, const uint32_t *text, size_t count, int32_t *out) {
    const uint16_t *table = g->char_info;
    const uint16_t space_info = table[0x20];
    uint16_t last = space_info, before_last = space_info;
    size_t found = 0;
    for (size_t i = 0; i < count; i++) {
        uint16_t ch = char_info(table, text[i]);
        uint32_t id = ch & ID_MASK;
        int32_t code;
        if (last & SPACE) {
            if (ch & SPACE) continue;
            if ((code = g->unigram[id]) >= 0) out[found++] = code;
            if ((code = bigram(g, space_info & ID_MASK, id)) >= 0) out[found++] = code;
        } else if (!(ch & UPPER) || !(last & UPPER)) {
            if (!(ch & SPACE) && (code = g->unigram[id]) >= 0) out[found++] = code;
            if ((code = bigram(g, last & ID_MASK, id)) >= 0) out[found++] = code;
            if ((code = trigram(g, before_last & ID_MASK, last & ID_MASK, id)) >= 0) out[found++] = code;
        }
        before_last = last;
        last = ch;
    }
    return found;
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

/// Where the trials take their random words: the precomputed outputs `words[pos..<count]`, then
/// the generator `live` (set from `after` when first needed). The reference has no words and
/// draws from its generator from the start.
typedef struct {
    const uint32_t *words;
    size_t count, pos;
    const raif_mt19937 *after;
    raif_mt19937 *live;
    int live_ready;
    int has_gauss_next;
    double gauss_next;
} word_source;

static inline uint32_t next_word(word_source *w) {
    if (w->pos < w->count) return w->words[w->pos++];
    if (!w->live_ready) {
        *w->live = *w->after;
        w->live_ready = 1;
    }
    return mt_next(w->live);
}

static inline uint32_t word_below(word_source *w, uint32_t n, int k) {
    for (;;) {
        uint32_t v = next_word(w) >> (32 - k);
        if (v < n) return v;
    }
}

static inline double word_gauss(word_source *w) {
    if (w->has_gauss_next) {
        w->has_gauss_next = 0;
        return w->gauss_next;
    }
    uint32_t a = next_word(w), b = next_word(w);
    double u1 = random53(a, b);
    a = next_word(w);
    b = next_word(w);
    w->has_gauss_next = 1;
    return gauss_pair(u1, random53(a, b), &w->gauss_next);
}

static inline __attribute__((always_inline)) int trials(
    const raif_langdetect_table *t, const int32_t *features, size_t count, word_source *random, double *total,
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
        double alpha = 0.5 + word_gauss(random) * 0.05;
        double weight = alpha / 10000;
        for (int i = 0;; i++) {
            if (fast && random->pos + DRAW_AHEAD < random->count) {
                // The row of the draw DRAW_AHEAD on, if no draw before it is rejected.
                uint32_t ahead = random->words[random->pos + DRAW_AHEAD] >> (32 - bits);
                if (ahead < draws) prefetch_row(t, features[ahead]);
            }
            int32_t code = features[word_below(random, draws, bits)];
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
    const raif_langdetect_table *table, const int32_t *features, size_t count, const raif_mt_stream *random,
    double *total, double *scratch, int stop_when_decided) {
    raif_mt19937 live;
    word_source source = {random->words, random->count, 0, random->after, &live, 0, 0, 0};
    return trials(table, features, count, &source, total, scratch, stop_when_decided, 1);
}

int raif_langdetect_probabilities_ref(
    const raif_langdetect_table *table, const int32_t *features, size_t count, raif_mt19937 *random, double *total,
    double *scratch, int stop_when_decided) {
    word_source source = {NULL, 0, 0, NULL, random, 1, random->has_gauss_next, random->gauss_next};
    int run = trials(table, features, count, &source, total, scratch, stop_when_decided, 0);
    random->has_gauss_next = source.has_gauss_next;
    random->gauss_next = source.gauss_next;
    return run;
}
