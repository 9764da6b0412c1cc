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
