// The LSH index: band hash → documents that had it, in 8 bytes per entry.
//
// One open-addressing table (linear probing) for all bands; the band number is
// mixed into the key before it gets here. A cell holds 32 bits of the key and
// a 32-bit document number, and its home position is derived from those 32
// bits, so the table can grow without the keys. Two keys that agree on those
// bits both answer a look-up; the caller checks every candidate against its
// full signature, so a stray one costs one read, never a wrong result (about
// entries / 2^32 stray answers per look-up: 0.4% at a million documents).
//
// The table grows by half when 85% full, so it is 57–85% full: with 16 bands a
// document costs 16 × 8 / 0.85 ≈ 150 bytes at best and 16 × 8 / 0.57 ≈ 225 at
// worst (while it grows, the old table is alive too, for a moment).
#pragma once

#include <cstdint>
#include <vector>

namespace lode::dedup_near {

class BandIndex {
 public:
  static constexpr uint32_t kNoDocument = UINT32_MAX;

  // Adds `doc` under `key` unless `max_per_key` documents already have it: a
  // band shared by very many documents (boilerplate) would otherwise make every
  // look-up scan them all.
  void Insert(uint64_t key, uint32_t doc, uint32_t max_per_key) {
    if ((used_ + 1) * 100 > cells_.size() * 85) Grow();
    const uint32_t fp = Fold(key);
    uint32_t same = 0;
    for (size_t i = Home(fp);; i = Next(i)) {
      const uint64_t cell = cells_[i];
      if (cell == kEmpty) {
        if (same < max_per_key) {
          cells_[i] = Cell(fp, doc);
          ++used_;
        }
        return;
      }
      same += Fingerprint(cell) == fp;
    }
  }

  // Calls f(doc) for every document stored under `key`.
  template <typename F>
  void Find(uint64_t key, F&& f) const {
    if (cells_.empty()) return;
    const uint32_t fp = Fold(key);
    for (size_t i = Home(fp);; i = Next(i)) {
      const uint64_t cell = cells_[i];
      if (cell == kEmpty) return;
      if (Fingerprint(cell) == fp) f(static_cast<uint32_t>(cell));
    }
  }

  size_t entries() const { return used_; }
  size_t bytes() const { return cells_.capacity() * sizeof(uint64_t); }

 private:
  static constexpr uint64_t kEmpty = ~uint64_t{0};  // document kNoDocument is never stored
  static uint32_t Fold(uint64_t key) { return static_cast<uint32_t>(key ^ (key >> 32)); }
  static uint64_t Cell(uint32_t fp, uint32_t doc) { return (static_cast<uint64_t>(fp) << 32) | doc; }
  static uint32_t Fingerprint(uint64_t cell) { return static_cast<uint32_t>(cell >> 32); }
  // fp scaled to the table: any size works, not only powers of two.
  size_t Home(uint32_t fp) const { return static_cast<size_t>((uint64_t{fp} * cells_.size()) >> 32); }
  size_t Next(size_t i) const { return i + 1 == cells_.size() ? 0 : i + 1; }

  void Grow() {
    std::vector<uint64_t> old;
    old.swap(cells_);
    cells_.assign(old.empty() ? 1024 : old.size() + old.size() / 2, kEmpty);
    for (uint64_t cell : old) {
      if (cell == kEmpty) continue;
      size_t i = Home(Fingerprint(cell));
      while (cells_[i] != kEmpty) i = Next(i);
      cells_[i] = cell;
    }
  }

  std::vector<uint64_t> cells_;
  size_t used_ = 0;
};

}  // namespace lode::dedup_near
