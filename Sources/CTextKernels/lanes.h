/*
 * AVX2 helpers shared by the CTextKernels sources (not part of the module's interface).
 */
#ifndef RAIF_CTEXTKERNELS_LANES_H
#define RAIF_CTEXTKERNELS_LANES_H

#include <immintrin.h>
#include <stdint.h>

/// All-ones lanes where `v` is in lo...lo + span (unsigned).
static inline __m256i lanes_in(__m256i v, uint32_t lo, uint32_t span) {
    __m256i d = _mm256_sub_epi32(v, _mm256_set1_epi32((int)lo));
    return _mm256_cmpeq_epi32(_mm256_min_epu32(d, _mm256_set1_epi32((int)span)), d);
}

#endif
