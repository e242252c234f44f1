// dedup.exact: documents whose cleaned text is byte for byte the same.
//
// An ordered stage: the first document with a given text (in input order) is
// kept, every later one is marked a duplicate of it. The index holds a 128-bit
// hash of each kept text (xxHash's XXH3-128: a collision among 10^9 texts has
// a probability near 10^-21) and the id of its document.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#define XXH_INLINE_ALL
#include <xxhash.h>

#include "lode/lode.h"

namespace {

using namespace lode;

// Open addressing over 128-bit hashes; the value is an offset into one string
// arena holding the kept documents' ids (no allocation per document).
class TextIndex {
 public:
  // The id stored for `h`, or nullopt after storing `id` for it. The view is
  // valid until the next call.
  std::optional<std::string_view> FindOrInsert(XXH128_hash_t h, std::string_view id) {
    if ((used_ + 1) * 4 > slots_.size() * 3) Grow();
    const size_t mask = slots_.size() - 1;
    for (size_t s = static_cast<size_t>(h.low64) & mask;; s = (s + 1) & mask) {
      Slot& slot = slots_[s];
      if (slot.id_len == kEmpty) {
        slot = {h.low64, h.high64, arena_.size(), static_cast<uint32_t>(id.size())};
        arena_.append(id);
        ++used_;
        return std::nullopt;
      }
      if (slot.low == h.low64 && slot.high == h.high64)
        return std::string_view(arena_).substr(slot.id_at, slot.id_len);
    }
  }

  size_t size() const { return used_; }
  size_t bytes() const { return slots_.capacity() * sizeof(Slot) + arena_.capacity(); }

 private:
  static constexpr uint32_t kEmpty = UINT32_MAX;
  struct Slot {
    uint64_t low = 0, high = 0;
    uint64_t id_at = 0;
    uint32_t id_len = kEmpty;
  };

  void Grow() {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(old.empty() ? 1024 : old.size() * 2, Slot{});
    const size_t mask = slots_.size() - 1;
    for (const Slot& o : old) {
      if (o.id_len == kEmpty) continue;
      size_t s = static_cast<size_t>(o.low) & mask;
      while (slots_[s].id_len != kEmpty) s = (s + 1) & mask;
      slots_[s] = o;
    }
  }

  std::vector<Slot> slots_;
  size_t used_ = 0;
  std::string arena_;
};

class DedupExact : public Transform {
 public:
  Status Process(Document& doc) override {
    // An empty text is not a copy of anything: there is nothing to keep once.
    if (doc.text.empty()) return OkStatus();
    const XXH128_hash_t h = XXH3_128bits(doc.text.data(), doc.text.size());
    const std::optional<std::string_view> kept = index_.FindOrInsert(h, doc.id);
    if (!kept) return OkStatus();
    const std::string of(*kept);
    const RawRange raw = doc.ToRaw(0, doc.text.size());
    doc.AddRow("duplicates", {Value(doc.id), Value(std::string("exact")), Value(of), Value(1.0),
                              Value(static_cast<int64_t>(raw.begin)), Value(static_cast<int64_t>(raw.end))});
    doc.MarkDuplicate(of, "same text as " + of);
    ++dropped_;
    return OkStatus();
  }

  std::vector<std::string> Summary() const override {
    if (dropped_ == 0) return {};
    return {std::to_string(dropped_) + (dropped_ == 1 ? " document" : " documents") +
            " dropped as exact copies; " + std::to_string(index_.size()) + " distinct texts"};
  }

 private:
  TextIndex index_;
  uint64_t dropped_ = 0;
};

Status Register(Registry& registry) {
  StageInfo info;
  info.name = "dedup.exact";
  info.summary = "Documents with identical text: the first is kept, the others are duplicates.";
  info.doc =
      "Compares the current (cleaned) text of every document, byte for byte, through a 128-bit hash. The first "
      "document with a text, in input order, is kept; each later one gets status duplicate, duplicate_of the "
      "kept one, and a row of `duplicates` (kind exact, similarity 1). Empty documents are left alone. Memory: "
      "a 32-byte slot per distinct text in a table at most three quarters full (43 to 85 bytes), plus the "
      "kept document's id.";
  info.kind = StageKind::kTransform;
  info.execution = Execution::kOrdered;
  info.tables = {DuplicatesTable()};
  info.make_transform = [](const Config&, const SetupContext&) -> StatusOr<std::unique_ptr<Transform>> {
    return std::unique_ptr<Transform>(new DedupExact());
  };
  return registry.Add(std::move(info));
}

}  // namespace

LODE_PLUGIN(dedup_exact, "dedup.exact", LODE_VERSION_STRING, "Drops documents whose text is an exact copy.",
            Register)
