// MinHash signatures over character shingles.
//
// Each shingle (k consecutive code points of the normalized text) is hashed
// once to 64 bits: a polynomial rolling hash over the code points (one step
// per shingle, whatever k) finished with a 64-bit mixer, then folded to 32
// bits. Permutation p maps that value h to (a_p * h + b_p) mod 2^32, a_p odd: a
// bijection of the 32-bit hash space. The signature keeps, per permutation,
// the smallest value seen. The update runs over a block of shingle hashes per
// permutation, a loop the compiler vectorizes (8 lanes with AVX2, 16 with
// AVX-512; the widest the CPU has is picked at run time).
//
// Documents are fed in pieces (SignatureBuilder::AddShingles), so memory stays
// bounded whatever their length.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace lode::dedup_near {

// The shingle hash and the permutations, derived from a seed. Immutable;
// share between threads.
class MinHashFamily {
 public:
  MinHashFamily(int shingle, int permutations, uint64_t seed);

  int shingle() const { return shingle_; }
  int permutations() const { return static_cast<int>(a_.size()); }
  uint64_t seed() const { return seed_; }
  const uint32_t* a() const { return a_.data(); }
  const uint32_t* b() const { return b_.data(); }
  // Rolling hash: base, base^(shingle-1), and the mixer's key.
  uint64_t base() const { return base_; }
  uint64_t base_top() const { return base_top_; }
  uint64_t key() const { return key_; }

 private:
  int shingle_;
  uint64_t seed_;
  uint64_t base_, base_top_, key_;
  std::vector<uint32_t> a_, b_;
};

// Builds one document's signature. Not thread-safe; one per thread.
class SignatureBuilder {
 public:
  explicit SignatureBuilder(const MinHashFamily& family);

  const MinHashFamily& family() const { return family_; }

  void Reset();
  // Folds in every shingle that starts in cps[0, n - shingle + 1) (none when
  // n < shingle). The caller keeps the last shingle - 1 code points and puts
  // them first in the next call, so that no shingle is lost or counted twice.
  void AddShingles(const uint32_t* cps, size_t n);
  // The signature (one value per permutation). `short_text` is the whole text
  // when it is shorter than one shingle (it then counts as one shingle); an
  // empty text gives an empty signature.
  void Finish(const uint32_t* short_text, size_t n, std::vector<uint32_t>& signature);

 private:
  static constexpr size_t kBlock = 1024;
  const MinHashFamily& family_;
  std::vector<uint32_t> hashes_;  // one block of shingle hashes
  size_t pending_ = 0;
  uint32_t last_hash_ = 0;
  bool have_last_ = false;
  bool any_ = false;
  std::vector<uint32_t> mins_;

  void Push(uint32_t h);
};

// The same over sixteen permutations at once (line sketches, record.h).
void SketchMins(const uint32_t* h, size_t n, const uint32_t* a, const uint32_t* b, uint32_t* mins);

// The vectorized update: mins[p] = min(mins[p], min over i of a[p] * h[i] + b[p]).
void UpdateMins(const uint32_t* h, size_t n, const uint32_t* a, const uint32_t* b, size_t permutations,
                uint32_t* mins);

}  // namespace lode::dedup_near
