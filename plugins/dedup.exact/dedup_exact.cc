// dedup.exact: documents whose cleaned text is byte for byte the same.
//
// An ordered stage: the first document with a given text (in input order) is
// kept, every later one is marked a duplicate of it. The index holds a 128-bit
// hash of each kept text (xxHash's XXH3-128: a collision among 10^9 texts has
// a probability near 10^-21) and where the id of its document is on disk.
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#define XXH_INLINE_ALL
#include <xxhash.h>

#include "lode/lode.h"

namespace {

using namespace lode;

// Open addressing over 128-bit hashes. The kept documents' ids are in a
// scratch file: memory holds 24 bytes a slot, in a table at most three
// quarters full (32 to 64 bytes a distinct text), whatever the ids' length.
class TextIndex {
 public:
  explicit TextIndex(std::unique_ptr<ScratchFile> ids) : ids_(std::move(ids)) {}

  // The id stored for `h` (into `found`, true), or false after storing `id`
  // for it.
  StatusOr<bool> FindOrInsert(XXH128_hash_t h, std::string_view id, std::string& found) {
    if ((used_ + 1) * 4 > slots_.size() * 3) Grow();
    const size_t mask = slots_.size() - 1;
    for (size_t s = static_cast<size_t>(h.low64) & mask;; s = (s + 1) & mask) {
      Slot& slot = slots_[s];
      if (slot.id == kEmpty) {
        // A cut id would name another document in duplicate_of.
        if (id.size() > kMaxIdBytes) return DataError("a document id longer than 16 MiB cannot be indexed");
        LODE_ASSIGN_OR_RETURN(uint64_t at, ids_->Append(id));
        if (at >= kMaxOffset) return InternalError("more than 2^40 bytes of document ids in " + ids_->dir());
        slot = {h.low64, h.high64, at << kLengthBits | id.size()};
        ++used_;
        return false;
      }
      if (slot.low == h.low64 && slot.high == h.high64) {
        LODE_RETURN_IF_ERROR(ids_->Read(slot.id >> kLengthBits, slot.id & kMaxIdBytes, found));
        return true;
      }
    }
  }

  size_t size() const { return used_; }
  size_t bytes() const { return slots_.capacity() * sizeof(Slot); }
  uint64_t id_bytes() const { return ids_->size(); }

 private:
  // A slot's id: its offset in the scratch file, and its length in the low bits.
  static constexpr int kLengthBits = 24;
  static constexpr uint64_t kMaxIdBytes = (uint64_t{1} << kLengthBits) - 1;
  static constexpr uint64_t kMaxOffset = (uint64_t{1} << (64 - kLengthBits)) - 1;  // below kEmpty's
  static constexpr uint64_t kEmpty = UINT64_MAX;
  struct Slot {
    uint64_t low = 0, high = 0;
    uint64_t id = kEmpty;
  };

  void Grow() {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(old.empty() ? 1024 : old.size() * 2, Slot{});
    const size_t mask = slots_.size() - 1;
    for (const Slot& o : old) {
      if (o.id == kEmpty) continue;
      size_t s = static_cast<size_t>(o.low) & mask;
      while (slots_[s].id != kEmpty) s = (s + 1) & mask;
      slots_[s] = o;
    }
  }

  std::unique_ptr<ScratchFile> ids_;
  std::vector<Slot> slots_;
  size_t used_ = 0;
};

class DedupExact : public Transform {
 public:
  explicit DedupExact(std::unique_ptr<ScratchFile> ids) : index_(std::move(ids)) {}

  Status Process(Document& doc) override {
    // An empty text is not a copy of anything: there is nothing to keep once.
    if (doc.text.empty()) return OkStatus();
    const XXH128_hash_t h = XXH3_128bits(doc.text.data(), doc.text.size());
    std::string of;
    LODE_ASSIGN_OR_RETURN(bool copy, index_.FindOrInsert(h, doc.id, of));
    if (!copy) return OkStatus();
    const RawRange raw = doc.ToRaw(0, doc.text.size());
    doc.AddRow("duplicates", {Value(doc.id), Value(std::string("exact")), Value(of), Value(1.0),
                              Value(static_cast<int64_t>(raw.begin)), Value(static_cast<int64_t>(raw.end))});
    doc.MarkDuplicate(of, "same text as " + of);
    ++dropped_;
    return OkStatus();
  }

  std::vector<std::string> Summary() const override {
    if (index_.size() == 0) return {};
    // The total first: on a small run the table's least size, divided by a
    // few texts, reads as a cost per text it is not.
    const double bytes = static_cast<double>(index_.bytes());
    char line[200];
    std::snprintf(line, sizeof line,
                  "index: %zu distinct texts, %s in memory (%.0f bytes each), %.1f MB of ids on disk",
                  index_.size(), FormatBytes(bytes).c_str(), bytes / static_cast<double>(index_.size()),
                  static_cast<double>(index_.id_bytes()) / 1e6);
    if (dropped_ == 0) return {line};
    return {std::to_string(dropped_) + (dropped_ == 1 ? " document" : " documents") +
                " dropped as exact copies; " + std::to_string(index_.size()) + " distinct texts",
            line};
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
      "a 24-byte slot per distinct text in a table at most three quarters full (32 to 64 bytes); the kept "
      "documents' ids go to a temporary file in spill_dir.";
  info.kind = StageKind::kTransform;
  info.execution = Execution::kOrdered;
  info.tables = {DuplicatesTable()};
  info.params = {
      ParamSpec::Path("spill_dir", "",
                      "Folder of the temporary file of kept documents' ids; empty: $TMPDIR, else /tmp."),
  };
  info.make_transform = [](const Config& c, const SetupContext&) -> StatusOr<std::unique_ptr<Transform>> {
    LODE_ASSIGN_OR_RETURN(std::unique_ptr<ScratchFile> ids, ScratchFile::Open(c.GetString("spill_dir")));
    return std::unique_ptr<Transform>(new DedupExact(std::move(ids)));
  };
  return registry.Add(std::move(info));
}

}  // namespace

LODE_PLUGIN(dedup_exact, "dedup.exact", LODE_VERSION_STRING, "Drops documents whose text is an exact copy.",
            Register)
