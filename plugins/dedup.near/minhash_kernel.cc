// The MinHash inner loop, alone in its file: it is compiled with -O3 (see
// CMakeLists.txt) so that the loop over a block of hashes vectorizes, and on
// x86-64 in three clones (AVX-512, AVX2, baseline) of which the loader picks
// the widest the CPU runs.
#include <algorithm>

#include "minhash.h"

namespace lode::dedup_near {

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define LODE_MINHASH_CLONES __attribute__((target_clones("arch=x86-64-v4", "avx2", "default")))
#else
#define LODE_MINHASH_CLONES
#endif

LODE_MINHASH_CLONES
void UpdateMins(const uint32_t* h, size_t n, const uint32_t* a, const uint32_t* b, size_t permutations,
                uint32_t* mins) {
  for (size_t p = 0; p < permutations; ++p) {
    const uint32_t ap = a[p], bp = b[p];
    uint32_t m = mins[p];
    for (size_t i = 0; i < n; ++i) {
      const uint32_t v = h[i] * ap + bp;
      m = v < m ? v : m;
    }
    mins[p] = m;
  }
}

LODE_MINHASH_CLONES
void SketchMins(const uint32_t* h, size_t n, const uint32_t* a, const uint32_t* b, uint32_t* mins) {
  // Sixteen lanes, kept in registers over the whole line.
  uint32_t m[16];
  for (int p = 0; p < 16; ++p) m[p] = mins[p];
  for (size_t i = 0; i < n; ++i) {
    const uint32_t x = h[i];
    for (int p = 0; p < 16; ++p) {
      const uint32_t v = x * a[p] + b[p];
      m[p] = v < m[p] ? v : m[p];
    }
  }
  for (int p = 0; p < 16; ++p) mins[p] = m[p];
}

}  // namespace lode::dedup_near
