/*
 * Byte scans over UTF-8 text (see CTextKernels.h).
 */
#include "CTextKernels.h"

#include <immintrin.h>
#include <string.h>

#include "lanes.h"

size_t raif_count_byte(const uint8_t *bytes, size_t count, uint8_t byte) {
    size_t found = 0;
    size_t i = 0;
    const __m256i needle = _mm256_set1_epi8((char)byte);
    for (; i + 32 <= count; i += 32) {
        __m256i chunk = _mm256_loadu_si256((const __m256i *)(bytes + i));
        uint32_t mask = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(chunk, needle));
        found += (size_t)__builtin_popcount(mask);
    }
    for (; i < count; i++) found += bytes[i] == byte;
    return found;
}

size_t raif_count_byte_ref(const uint8_t *bytes, size_t count, uint8_t byte) {
    size_t found = 0;
    for (size_t i = 0; i < count; i++) found += bytes[i] == byte;
    return found;
}

/// Decodes one multi-byte sequence starting at bytes[*i] (valid UTF-8) and advances *i.
static inline uint32_t decode_multibyte(const uint8_t *bytes, size_t *i) {
    uint32_t b0 = bytes[*i];
    uint32_t v;
    if (b0 < 0xE0) {
        v = ((b0 & 0x1F) << 6) | (bytes[*i + 1] & 0x3Fu);
        *i += 2;
    } else if (b0 < 0xF0) {
        v = ((b0 & 0x0F) << 12) | ((bytes[*i + 1] & 0x3Fu) << 6) | (bytes[*i + 2] & 0x3Fu);
        *i += 3;
    } else {
        v = ((b0 & 0x07) << 18) | ((bytes[*i + 1] & 0x3Fu) << 12) | ((bytes[*i + 2] & 0x3Fu) << 6)
            | (bytes[*i + 3] & 0x3Fu);
        *i += 4;
    }
    return v;
}

size_t raif_utf8_decode(const uint8_t *bytes, size_t count, uint32_t *out) {
    size_t i = 0, k = 0;
    while (i + 32 <= count) {
        // 32 bytes widened to 32 code points when they start with ASCII; the ASCII ones before
        // the first other byte stand (the rest is overwritten: out has room for count code points
        // and k <= i). Text of multi-byte characters only costs the test.
        __m256i chunk = _mm256_loadu_si256((const __m256i *)(bytes + i));
        uint32_t high = (uint32_t)_mm256_movemask_epi8(chunk);
        size_t ascii = high ? (size_t)__builtin_ctz(high) : 32;
        if (ascii) {
            __m128i lo = _mm256_castsi256_si128(chunk), hi = _mm256_extracti128_si256(chunk, 1);
            _mm256_storeu_si256((__m256i *)(out + k), _mm256_cvtepu8_epi32(lo));
            _mm256_storeu_si256((__m256i *)(out + k + 8), _mm256_cvtepu8_epi32(_mm_srli_si128(lo, 8)));
            _mm256_storeu_si256((__m256i *)(out + k + 16), _mm256_cvtepu8_epi32(hi));
            _mm256_storeu_si256((__m256i *)(out + k + 24), _mm256_cvtepu8_epi32(_mm_srli_si128(hi, 8)));
            i += ascii;
            k += ascii;
        }
        if (high) out[k++] = decode_multibyte(bytes, &i);
    }
    while (i < count) out[k++] = bytes[i] < 0x80 ? bytes[i++] : decode_multibyte(bytes, &i);
    return k;
}

size_t raif_utf8_decode_ref(const uint8_t *bytes, size_t count, uint32_t *out) {
    size_t i = 0, k = 0;
    while (i < count) out[k++] = bytes[i] < 0x80 ? bytes[i++] : decode_multibyte(bytes, &i);
    return k;
}

/// Whether the code point is a `\w` character: `bmp[v] & word` in the Basic Multilingual Plane;
/// -1 above it (the caller decides those).
static inline int word_class(uint32_t v, const uint8_t *bmp, uint8_t word) {
    if (v > 0xFFFF) return -1;
    return (bmp[v] & word) != 0;
}

size_t raif_count_word_starts_ref(const uint32_t *text, size_t count, const uint8_t *bmp, uint8_t word) {
    size_t starts = 0;
    int previous = 0;
    for (size_t k = 0; k < count; k++) {
        int current = word_class(text[k], bmp, word);
        if (current < 0) return SIZE_MAX;
        starts += current && !previous;
        previous = current;
    }
    return starts;
}

size_t raif_count_word_starts(const uint32_t *text, size_t count, const uint8_t *bmp, uint8_t word) {
    size_t starts = 0, k = 0;
    uint32_t previous = 0;  // 1 when the code point before k is a word character
    const __m256i ascii_last = _mm256_set1_epi32(0x7F), case_bit = _mm256_set1_epi32(0x20);
    const __m256i underscore = _mm256_set1_epi32('_');
    for (; k + 8 <= count; k += 8) {
        __m256i v = _mm256_loadu_si256((const __m256i *)(text + k));
        __m256i beyond = _mm256_cmpgt_epi32(v, ascii_last);
        uint32_t mask;
        if (_mm256_testz_si256(beyond, beyond)) {
            // ASCII: \w is [0-9A-Za-z_] (the table says the same; tests check).
            __m256i letter = lanes_in(_mm256_or_si256(v, case_bit), 'a', 25);
            __m256i w = _mm256_or_si256(
                _mm256_or_si256(letter, lanes_in(v, '0', 9)), _mm256_cmpeq_epi32(v, underscore));
            mask = (uint32_t)_mm256_movemask_ps(_mm256_castsi256_ps(w));
        } else {
            mask = 0;
            for (int j = 0; j < 8; j++) {
                int current = word_class(text[k + j], bmp, word);
                if (current < 0) return SIZE_MAX;
                mask |= (uint32_t)current << j;
            }
        }
        starts += (size_t)__builtin_popcount(mask & ~((mask << 1) | previous));
        previous = mask >> 7;
    }
    for (; k < count; k++) {
        int current = word_class(text[k], bmp, word);
        if (current < 0) return SIZE_MAX;
        starts += current && !previous;
        previous = (uint32_t)current;
    }
    return starts;
}

size_t raif_find_u32_ref(const uint32_t *haystack, size_t count, size_t from, const uint32_t *needle, size_t length) {
    if (length == 0) return from <= count ? from : SIZE_MAX;
    for (size_t i = from; i + length <= count; i++) {
        size_t k = 0;
        while (k < length && haystack[i + k] == needle[k]) k++;
        if (k == length) return i;
    }
    return SIZE_MAX;
}

size_t raif_find_u32(const uint32_t *haystack, size_t count, size_t from, const uint32_t *needle, size_t length) {
    if (length == 0 || from + length > count) return raif_find_u32_ref(haystack, count, from, needle, length);
    // Eight candidate starts at a time: the first and the last code point of the needle must
    // match (the classic first/last filter), then the middle is compared.
    const __m256i first = _mm256_set1_epi32((int)needle[0]), last = _mm256_set1_epi32((int)needle[length - 1]);
    size_t i = from;
    for (; i + length - 1 + 8 <= count; i += 8) {
        __m256i a = _mm256_loadu_si256((const __m256i *)(haystack + i));
        __m256i b = _mm256_loadu_si256((const __m256i *)(haystack + i + length - 1));
        __m256i both = _mm256_and_si256(_mm256_cmpeq_epi32(a, first), _mm256_cmpeq_epi32(b, last));
        uint32_t mask = (uint32_t)_mm256_movemask_ps(_mm256_castsi256_ps(both));
        while (mask) {
            size_t at = i + (size_t)__builtin_ctz(mask);
            if (length <= 2 || memcmp(haystack + at + 1, needle + 1, (length - 2) * sizeof(uint32_t)) == 0) return at;
            mask &= mask - 1;
        }
    }
    return raif_find_u32_ref(haystack, count, i, needle, length);
}

size_t raif_find_either_u32_ref(const uint32_t *text, size_t count, size_t from, uint32_t a, uint32_t b) {
    for (size_t i = from; i < count; i++)
        if (text[i] == a || text[i] == b) return i;
    return count;
}

size_t raif_find_either_u32(const uint32_t *text, size_t count, size_t from, uint32_t a, uint32_t b) {
    const __m256i va = _mm256_set1_epi32((int)a), vb = _mm256_set1_epi32((int)b);
    size_t i = from;
    for (; i + 8 <= count; i += 8) {
        __m256i v = _mm256_loadu_si256((const __m256i *)(text + i));
        __m256i hit = _mm256_or_si256(_mm256_cmpeq_epi32(v, va), _mm256_cmpeq_epi32(v, vb));
        uint32_t mask = (uint32_t)_mm256_movemask_ps(_mm256_castsi256_ps(hit));
        if (mask) return i + (size_t)__builtin_ctz(mask);
    }
    return raif_find_either_u32_ref(text, count, i, a, b);
}

int raif_ascii_lower_u32_ref(const uint32_t *text, size_t count, uint32_t *out) {
    for (size_t i = 0; i < count; i++) {
        uint32_t v = text[i];
        if (v > 0x7F) return 0;
        out[i] = v >= 0x41 && v <= 0x5A ? v + 32 : v;
    }
    return 1;
}

int raif_ascii_lower_u32(const uint32_t *text, size_t count, uint32_t *out) {
    const __m256i ascii_last = _mm256_set1_epi32(0x7F), case_bit = _mm256_set1_epi32(0x20);
    size_t i = 0;
    for (; i + 8 <= count; i += 8) {
        __m256i v = _mm256_loadu_si256((const __m256i *)(text + i));
        __m256i beyond = _mm256_cmpgt_epi32(v, ascii_last);
        if (!_mm256_testz_si256(beyond, beyond)) return 0;
        __m256i upper = lanes_in(v, 0x41, 25);
        _mm256_storeu_si256((__m256i *)(out + i), _mm256_or_si256(v, _mm256_and_si256(upper, case_bit)));
    }
    return raif_ascii_lower_u32_ref(text + i, count - i, out + i);
}
