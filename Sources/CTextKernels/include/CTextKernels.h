/*
 * CTextKernels — the verifiers' hot text loops (x86-64, AVX2), called from the Verifiers module.
 *
 * raif_count_byte                  occurrences of one byte in UTF-8 text.
 * raif_utf8_decode                 UTF-8 to code points (Python indexes strings by code point).
 * raif_count_word_starts           how many `\w+` words a text holds.
 * raif_find_u32, raif_find_either_u32   searches over code points.
 * raif_ascii_lower_u32             `str.lower()` of ASCII text.
 *
 * langdetect, as IFEval's reference runs it (DetectorFactory.seed = 0):
 *   raif_mt_*                        CPython's random.Random (MT19937): seed(n), getrandbits,
 *                                    random(), gauss(), _randbelow(); a precomputed output table.
 *   raif_langdetect_scan, _keep      Detector.append's text preparation of plain text.
 *   raif_langdetect_features         Detector._extract_ngrams: feature codes of the known 1-3-grams.
 *   raif_langdetect_probabilities    Detector._detect_block's 7 trials, averaged.
 * Every floating-point operation and its order are langdetect's (no contraction, no reordering),
 * so results are bit-identical to the reference and to the Swift port kept in the tests.
 * The fast trials read precomputed random words, prefetch what the next draws will touch and
 * vectorise; the `_ref` versions are the same arithmetic without any of that (the specification,
 * tested against).
 */
#ifndef RAIF_CTEXTKERNELS_H
#define RAIF_CTEXTKERNELS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// CPython's Mersenne Twister state, plus `random.gauss`'s cached second value.
typedef struct {
    uint32_t mt[624];
    int32_t index;
    int32_t has_gauss_next;
    double gauss_next;
} raif_mt19937;

/// `random.seed(n)` for 0 <= n < 2^32 (CPython's init_by_array with one key word).
void raif_mt_seed(raif_mt19937 *r, uint32_t seed);
/// The next 32 random bits (`getrandbits(32)`).
uint32_t raif_mt_next32(raif_mt19937 *r);
/// `random.random()`: 53 random bits in [0, 1).
double raif_mt_random(raif_mt19937 *r);
/// `random.gauss(0.0, 1.0)`.
double raif_mt_gauss(raif_mt19937 *r);
/// `random._randbelow(n)` through getrandbits, for 0 < n < 2^32.
uint32_t raif_mt_below(raif_mt19937 *r, uint32_t n);

/// The feature codes of langdetect's probability table, read by raif_langdetect_probabilities.
///
/// A feature code `c` is a dense row when `c & dense_flag`: `dense[(c & (dense_flag - 1)) *
/// dense_stride + j]` is P(gram | language j) for every language (0 where none). Otherwise it is a
/// sparse row: `(entry_language[e], entry_probability[e])` for `e` in `row_start[c] ..< row_start[c + 1]`.
typedef struct {
    const int32_t *row_start;
    const uint8_t *entry_language;
    const double *entry_probability;
    const double *dense;
    int32_t dense_flag;
    int32_t dense_stride;
    int32_t languages;
} raif_langdetect_table;

/// Whether langdetect's text preparation has nothing to do but raif_langdetect_keep: no "@"
/// (mail), "://" (URLs), combining mark U+0300-U+0323 (Vietnamese composition) or code point
/// above the BMP (whose case needs Unicode data). When it is (returns 1), also counts what
/// raif_langdetect_keep would: the Latin letters (A-z) and the non-Latin characters among the first
/// 10,000 code points (a run of spaces holds neither, so collapsing it changes no count).
/// `_ref`: one code point at a time.
int raif_langdetect_scan(const uint32_t *text, size_t count, size_t *latin, size_t *non_latin);
int raif_langdetect_scan_ref(const uint32_t *text, size_t count, size_t *latin, size_t *non_latin);

/// langdetect's last preparation step: the first 10,000 code points with runs of spaces collapsed
/// into `kept` (room for min(count, 10000)), with the number of Latin letters (A-z) and of
/// non-Latin ones (from U+0300, Latin Extended Additional excepted). Code points above the BMP
/// must already be 0x10000 (upper case) or 0x10001 (any other), as raif_langdetect_features
/// takes them. Returns how many were kept.
size_t raif_langdetect_keep(const uint32_t *text, size_t count, uint32_t *kept, size_t *latin, size_t *non_latin);

/// The n-gram lookup of langdetect's profiles, read by raif_langdetect_features.
///
/// - char_info[c] for a BMP code point c: bits 0-11 the normalised character's id (0xFFF: in no
///   profile), bit 12 upper case, bit 13 a space. Code points from 0x10000 are never in a profile:
///   0x10000 stands for an upper-case one, anything above for the rest.
/// - unigram[id]: the feature code of a 1-gram (-1: none).
/// - direct_bigram[a * 128 + b]: the feature code of the 2-gram of ids a, b < 128 (-1: none);
///   direct_trigram[(a * 32 + b) * 32 + c] likewise for 3-grams of ids below 32.
/// - slots: open-addressing table of the other 2- and 3-gram keys, `key << 20 | (code + 1)`, 0 = empty;
///   slot of a key = (key * 0x9E3779B97F4A7C15) >> shift, then linear probing.
///   2-gram key: 1 << 36 | a << 12 | b; 3-gram key: a << 24 | b << 12 | c (character ids).
typedef struct {
    const uint16_t *char_info;
    const int32_t *unigram;
    const int32_t *direct_bigram;
    const int32_t *direct_trigram;
    const uint64_t *slots;
    size_t slot_count;
    uint32_t shift;
} raif_langdetect_grams;

/// `Detector._extract_ngrams` over `text[0..<count]`: writes the feature codes of the known
/// n-grams to `out` (room for 3 * count) and returns how many. The text need not have its runs of
/// spaces collapsed (a second space yields no n-gram and leaves the state as the first did).
size_t raif_langdetect_features(const raif_langdetect_grams *grams, const uint32_t *text, size_t count, int32_t *out);

/// The outputs of CPython's generator from some state (which has no cached gauss value), the
/// first `count` precomputed: every detection starts from the state after `random.seed(0)`, so
/// its draws read a table instead of twisting and tempering (raif_mt_stream_fill).
typedef struct {
    /// The first `count` outputs (`getrandbits(32)`).
    const uint32_t *words;
    size_t count;
    /// The generator after them, for detections that draw more.
    const raif_mt19937 *after;
} raif_mt_stream;

/// Writes the first `count` outputs of the generator `start` to `words` and the generator that
/// follows them to `after`.
void raif_mt_stream_fill(const raif_mt19937 *start, uint32_t *words, size_t count, raif_mt19937 *after);

/// langdetect's 7 trials over `features[0..<count]` (count > 0) drawing from `random`, adding each
/// trial's probabilities / 7 to `total[0..<languages]` (which the caller zeroes). `scratch` holds
/// 2 * dense_stride doubles.
///
/// With `stop_when_decided`, stops after the first trial at which the leading language can no
/// longer be overtaken (its lead exceeds what the remaining trials can add): `total` is then
/// partial, but its argmax is the full run's. Returns the number of trials run.
///
/// `_ref`: the same arithmetic drawing from the generator itself (advanced), without vector code
/// or prefetching.
int raif_langdetect_probabilities(
    const raif_langdetect_table *table, const int32_t *features, size_t count, const raif_mt_stream *random,
    double *total, double *scratch, int stop_when_decided);
int raif_langdetect_probabilities_ref(
    const raif_langdetect_table *table, const int32_t *features, size_t count, raif_mt19937 *random,
    double *total, double *scratch, int stop_when_decided);

/// How many times `byte` occurs in `bytes[0..<count]` (AVX2; `_ref`: one byte at a time).
size_t raif_count_byte(const uint8_t *bytes, size_t count, uint8_t byte);
size_t raif_count_byte_ref(const uint8_t *bytes, size_t count, uint8_t byte);

/// Decodes valid UTF-8 `bytes[0..<count]` to code points in `out` (room for `count`); returns how
/// many. The fast version widens 32 bytes at a time with AVX2 and keeps the ASCII run before the
/// first other byte (so ASCII between non-ASCII characters costs no per-byte step).
size_t raif_utf8_decode(const uint8_t *bytes, size_t count, uint32_t *out);
size_t raif_utf8_decode_ref(const uint8_t *bytes, size_t count, uint32_t *out);

/// The number of maximal runs of `\w` characters (Python's `re.findall(r"\w+")`) in
/// `text[0..<count]`, where `bmp[v] & word` says whether a code point below U+10000 is one; SIZE_MAX
/// when the text holds a code point above the BMP (the caller classifies those). The fast
/// version classifies 8 ASCII code points at a time with AVX2.
size_t raif_count_word_starts(const uint32_t *text, size_t count, const uint8_t *bmp, uint8_t word);
size_t raif_count_word_starts_ref(const uint32_t *text, size_t count, const uint8_t *bmp, uint8_t word);

/// Python's `str.lower()` of ASCII code points: writes `text[0..<count]` lowercased to `out` and
/// returns 1, or returns 0 (out partly written) when the text holds a code point above U+007F.
int raif_ascii_lower_u32(const uint32_t *text, size_t count, uint32_t *out);
int raif_ascii_lower_u32_ref(const uint32_t *text, size_t count, uint32_t *out);

/// The first offset at or after `from` where `needle[0..<length]` occurs in `haystack[0..<count]`,
/// or SIZE_MAX (an empty needle occurs at `from` when from <= count). The fast version tests 8
/// candidate offsets at a time on the needle's first and last code points (AVX2).
size_t raif_find_u32(const uint32_t *haystack, size_t count, size_t from, const uint32_t *needle, size_t length);
size_t raif_find_u32_ref(const uint32_t *haystack, size_t count, size_t from, const uint32_t *needle, size_t length);

/// The first offset at or after `from` holding `a` or `b` in `text[0..<count]`, or `count`.
size_t raif_find_either_u32(const uint32_t *text, size_t count, size_t from, uint32_t a, uint32_t b);
size_t raif_find_either_u32_ref(const uint32_t *text, size_t count, size_t from, uint32_t a, uint32_t b);

#ifdef __cplusplus
}
#endif

#endif
