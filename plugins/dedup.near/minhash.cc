#include "minhash.h"

#include <algorithm>

namespace lode::dedup_near {

namespace {

uint64_t SplitMix64(uint64_t& state) {
  uint64_t z = (state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

// MurmurHash3's 64-bit finalizer: every input bit reaches every output bit.
inline uint64_t Mix(uint64_t x) {
  x ^= x >> 33;
  x *= 0xFF51AFD7ED558CCDull;
  x ^= x >> 33;
  x *= 0xC4CEB9FE1A85EC53ull;
  x ^= x >> 33;
  return x;
}

inline uint32_t Fold(uint64_t h) { return static_cast<uint32_t>(h ^ (h >> 32)); }

}  // namespace

MinHashFamily::MinHashFamily(int shingle, int permutations, uint64_t seed) : shingle_(shingle), seed_(seed) {
  uint64_t state = seed;
  base_ = SplitMix64(state) | 1;  // odd: no code point is multiplied away
  key_ = SplitMix64(state);
  base_top_ = 1;
  for (int i = 1; i < shingle; ++i) base_top_ *= base_;
  a_.resize(static_cast<size_t>(permutations));
  b_.resize(static_cast<size_t>(permutations));
  for (int p = 0; p < permutations; ++p) {
    a_[p] = static_cast<uint32_t>(SplitMix64(state)) | 1u;  // odd: a bijection mod 2^32
    b_[p] = static_cast<uint32_t>(SplitMix64(state));
  }
}

SignatureBuilder::SignatureBuilder(const MinHashFamily& family)
    : family_(family), hashes_(kBlock), mins_(static_cast<size_t>(family.permutations())) {
  Reset();
}

void SignatureBuilder::Reset() {
  pending_ = 0;
  have_last_ = false;
  any_ = false;
  std::fill(mins_.begin(), mins_.end(), UINT32_MAX);
}

inline void SignatureBuilder::Push(uint32_t h) {
  // A run of one repeated shingle (a page of one character) costs one hash.
  if (have_last_ && h == last_hash_) return;
  last_hash_ = h;
  have_last_ = true;
  hashes_[pending_++] = h;
  if (pending_ == kBlock) {
    UpdateMins(hashes_.data(), pending_, family_.a(), family_.b(), mins_.size(), mins_.data());
    pending_ = 0;
  }
}

void SignatureBuilder::AddShingles(const uint32_t* cps, size_t n) {
  const size_t k = static_cast<size_t>(family_.shingle());
  if (n < k) return;
  any_ = true;
  const uint64_t base = family_.base(), top = family_.base_top(), key = family_.key();
  uint64_t h = 0;
  for (size_t j = 0; j < k; ++j) h = h * base + cps[j];
  Push(Fold(Mix(h ^ key)));
  for (size_t i = 1; i + k <= n; ++i) {
    h = (h - cps[i - 1] * top) * base + cps[i + k - 1];
    Push(Fold(Mix(h ^ key)));
  }
}

void SignatureBuilder::Finish(const uint32_t* short_text, size_t n, std::vector<uint32_t>& signature) {
  if (!any_) {
    if (n == 0) {
      signature.clear();
      return;
    }
    // Shorter than a shingle: hashed whole, its length mixed in so that it
    // cannot equal a full shingle's hash by construction.
    uint64_t h = n;
    for (size_t j = 0; j < n; ++j) h = h * family_.base() + short_text[j];
    Push(Fold(Mix(h ^ ~family_.key())));
  }
  if (pending_) UpdateMins(hashes_.data(), pending_, family_.a(), family_.b(), mins_.size(), mins_.data());
  pending_ = 0;
  signature.assign(mins_.begin(), mins_.end());
}

}  // namespace lode::dedup_near
