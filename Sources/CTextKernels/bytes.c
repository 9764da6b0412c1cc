/*
 * Byte scans over UTF-8 text (see CTextKernels.h).
 */
#include "CTextKernels.h"

#include <immintrin.h>

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
        // 32 bytes widened to 32 code points; the ASCII ones before the first other byte stand
        // (the rest is overwritten: out has room for count code points and k <= i).
        __m256i chunk = _mm256_loadu_si256((const __m256i *)(bytes + i));
        __m128i lo = _mm256_castsi256_si128(chunk), hi = _mm256_extracti128_si256(chunk, 1);
        _mm256_storeu_si256((__m256i *)(out + k), _mm256_cvtepu8_epi32(lo));
        _mm256_storeu_si256((__m256i *)(out + k + 8), _mm256_cvtepu8_epi32(_mm_srli_si128(lo, 8)));
        _mm256_storeu_si256((__m256i *)(out + k + 16), _mm256_cvtepu8_epi32(hi));
        _mm256_storeu_si256((__m256i *)(out + k + 24), _mm256_cvtepu8_epi32(_mm_srli_si128(hi, 8)));
        uint32_t high = (uint32_t)_mm256_movemask_epi8(chunk);
        size_t ascii = high ? (size_t)__builtin_ctz(high) : 32;
        i += ascii;
        k += ascii;
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
