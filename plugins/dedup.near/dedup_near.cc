// dedup.near and dedup.signature: the same report across pages, by MinHash
// with LSH over character shingles; copies whose figures differ are linked as
// revisions and both kept.
//
// dedup.near is ordered: it sees documents one at a time, in input order, so
// "the first copy is kept" means the same thing on any number of threads. The
// expensive part, the signature, depends on one document only; dedup.signature
// computes it in parallel, just before, and passes it on in the document's
// metadata. Without it dedup.near computes the signature itself: same result,
// one thread.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#define XXH_INLINE_ALL
#include <xxhash.h>

#include "band_index.h"
#include "figures.h"
#include "lode/lode.h"
#include "minhash.h"
#include "record.h"

namespace lode::dedup_near {

namespace {

// Metadata key under which dedup.signature leaves a document's record.
constexpr char kMetadataKey[] = "dedup.signature";

// At most this many documents are indexed under one band value.
constexpr uint32_t kMaxPerKey = 64;

// Bands used when they are chosen from the threshold: memory grows with them
// (band_index.h), and 16 keep the index under 256 bytes per document.
constexpr int kMaxAutoBands = 16;

std::vector<ParamSpec> SignatureParams() {
  return {
      ParamSpec::Int("shingle", 5,
                     "Characters per shingle. Blanks are not counted and a figure counts as one character; a text "
                     "shorter than one shingle is one shingle.")
          .Range(1, 64),
      ParamSpec::Int("permutations", 128,
                     "MinHash values per document. More estimate similarity more closely (the error is about "
                     "sqrt(J(1-J)/permutations)) and cost proportionally more time.")
          .Range(8, 1024),
      ParamSpec::Int("seed", 1,
                     "Seed of the shingle hash and of the permutations. Signatures made with different seeds "
                     "cannot be compared.")
          .Min(0),
  };
}

MinHashFamily FamilyFrom(const Config& c) {
  return MinHashFamily(static_cast<int>(c.GetInt("shingle")), static_cast<int>(c.GetInt("permutations")),
                       static_cast<uint64_t>(c.GetInt("seed")));
}

// The share of equal MinHash values: an estimate of the Jaccard similarity.
double Estimate(const std::vector<uint32_t>& a, const std::vector<uint32_t>& b) {
  if (a.size() != b.size() || a.empty()) return 0;
  size_t same = 0;
  for (size_t i = 0; i < a.size(); ++i) same += a[i] == b[i];
  return static_cast<double>(same) / static_cast<double>(a.size());
}

std::string FormatSimilarity(double j) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.2f", j);
  return buf;
}

class DedupSignature : public Transform {
 public:
  explicit DedupSignature(const Config& c) : family_(FamilyFrom(c)) {}

  Status Process(Document& doc) override {
    std::unique_ptr<RecordBuilder> builder = Acquire();
    NearRecord r;
    builder->Build(doc, r);
    Release(std::move(builder));
    auto& md = doc.metadata;
    md.erase(std::remove_if(md.begin(), md.end(), [](const auto& kv) { return kv.first == kMetadataKey; }),
             md.end());
    md.emplace_back(kMetadataKey, Base64Encode(Serialize(r)));
    return OkStatus();
  }

 private:
  // Builders keep ~200 KB of buffers: one per thread at work, reused.
  std::unique_ptr<RecordBuilder> Acquire() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (!free_.empty()) {
        std::unique_ptr<RecordBuilder> b = std::move(free_.back());
        free_.pop_back();
        return b;
      }
    }
    return std::make_unique<RecordBuilder>(family_);
  }
  void Release(std::unique_ptr<RecordBuilder> b) {
    std::lock_guard<std::mutex> lock(mu_);
    free_.push_back(std::move(b));
  }

  const MinHashFamily family_;
  std::mutex mu_;
  std::vector<std::unique_ptr<RecordBuilder>> free_;
};

class DedupNear : public Transform {
 public:
  DedupNear(const Config& c, int bands, int rows, std::unique_ptr<ScratchFile> store)
      : family_(FamilyFrom(c)),
        params_(ParamsFingerprint(family_)),
        builder_(family_),
        threshold_(c.GetDouble("threshold")),
        bands_(bands),
        rows_(rows),
        max_candidates_(static_cast<size_t>(c.GetInt("max_candidates"))),
        store_(std::move(store)) {}

  Status Process(Document& doc) override {
    LODE_RETURN_IF_ERROR(TakeRecord(doc));
    if (mine_.signature.empty()) return OkStatus();  // no content: nothing to compare

    std::vector<uint64_t> keys = BandKeys(mine_.signature);
    std::vector<uint32_t> candidates = Candidates(keys);

    // The earlier documents that are near copies, most similar first.
    struct Related {
      uint32_t slot;
      double similarity;
      NearRecord record;
    };
    std::vector<Related> related;
    for (uint32_t slot : candidates) {
      Related r{slot, 0, {}};
      LODE_RETURN_IF_ERROR(LoadHead(slot, r.record));
      r.similarity = Estimate(mine_.signature, r.record.signature);
      if (r.similarity >= threshold_) related.push_back(std::move(r));
    }
    std::stable_sort(related.begin(), related.end(),
                     [](const Related& a, const Related& b) { return a.similarity > b.similarity; });

    // A near copy with the same figures is a duplicate of the first such
    // (most similar) kept copy; one whose figures differ from all of them is
    // a revision of the most similar, and is kept.
    const Related* revised = nullptr;
    std::vector<Disagreement> differences;
    if (!related.empty() && !ParseBody(my_body_, mine_)) return InternalError("a corrupt record of this document");
    for (Related& r : related) {
      LODE_RETURN_IF_ERROR(LoadBody(r.slot, r.record));
      std::vector<Disagreement> d = CompareFigures(r.record, mine_);
      if (d.empty()) {
        const RawRange raw = doc.ToRaw(0, doc.text.size());
        doc.AddRow("duplicates", {Value(doc.id), Value(std::string("near")), Value(r.record.id),
                                  Value(r.similarity), Value(static_cast<int64_t>(raw.begin)),
                                  Value(static_cast<int64_t>(raw.end))});
        doc.MarkDuplicate(r.record.id,
                          "near copy of " + r.record.id + " (estimated similarity " + FormatSimilarity(r.similarity) +
                              ")");
        ++near_;
        return OkStatus();
      }
      if (revised == nullptr) {
        revised = &r;
        differences = std::move(d);
      }
    }
    if (revised != nullptr) {
      const RawRange raw = doc.ToRaw(0, doc.text.size());
      const NearRecord& other = revised->record;
      doc.AddRow("duplicates", {Value(doc.id), Value(std::string("revision")), Value(other.id),
                                Value(revised->similarity), Value(static_cast<int64_t>(raw.begin)),
                                Value(static_cast<int64_t>(raw.end))});
      for (const Disagreement& d : differences) {
        const Figure& theirs = other.figures[d.earlier];
        const Figure& ours = mine_.figures[d.later];
        doc.AddRow("disagreements",
                   {Value(doc.id), Value(other.id), Value(static_cast<int64_t>(ours.raw_begin)),
                    Value(static_cast<int64_t>(ours.raw_end)), Value(static_cast<int64_t>(theirs.raw_begin)),
                    Value(static_cast<int64_t>(theirs.raw_end)), Value(ours.text), Value(theirs.text)});
      }
      ++revisions_;
      disagreements_ += differences.size();
    }
    return Index(keys);
  }

  std::vector<std::string> Summary() const override {
    std::vector<std::string> out;
    if (near_ || revisions_)
      out.push_back(std::to_string(near_) + " near copies dropped; " + std::to_string(revisions_) +
                    " revisions kept and linked, " + std::to_string(disagreements_) + " figures differ");
    const size_t docs = offsets_.size();
    if (docs) {
      const double bytes = static_cast<double>(index_.bytes() + offsets_.capacity() * sizeof(uint64_t));
      char buf[200];
      // The total first, as dedup.exact's: a small run's least table size,
      // divided by a few documents, is no cost per document.
      std::snprintf(buf, sizeof buf,
                    "index: %zu documents, %s in memory (%.0f bytes each; %d bands x %d rows), %.1f MB of "
                    "records on disk",
                    docs, FormatBytes(bytes).c_str(), bytes / static_cast<double>(docs), bands_, rows_,
                    static_cast<double>(store_->size()) / 1e6);
      out.push_back(buf);
    }
    return out;
  }

 private:
  // This document's record: from dedup.signature when it ran with the same
  // parameters on the same text, otherwise built here.
  Status TakeRecord(Document& doc) {
    auto& md = doc.metadata;
    std::string encoded;
    for (auto it = md.begin(); it != md.end(); ++it) {
      if (it->first == kMetadataKey) {
        encoded = std::move(it->second);
        md.erase(it);
        break;
      }
    }
    uint32_t head = 0, body = 0;
    if (!encoded.empty() && Base64Decode(encoded, blob_) && ParsePrefix(blob_, head, body) &&
        blob_.size() == kPrefixBytes + head + body &&
        ParseHead(std::string_view(blob_).substr(kPrefixBytes, head), mine_) && mine_.params == params_ &&
        mine_.text_hash == TextHash(doc.text) && mine_.id == doc.id) {
      my_body_ = std::string_view(blob_).substr(kPrefixBytes + head, body);
      return OkStatus();
    }
    builder_.Build(doc, mine_);
    blob_ = Serialize(mine_);
    if (!ParsePrefix(blob_, head, body)) return InternalError("a record could not be serialized");
    my_body_ = std::string_view(blob_).substr(kPrefixBytes + head, body);
    return OkStatus();
  }

  std::vector<uint64_t> BandKeys(const std::vector<uint32_t>& sig) const {
    std::vector<uint64_t> keys(static_cast<size_t>(bands_));
    for (int b = 0; b < bands_; ++b)
      keys[b] = XXH3_64bits_withSeed(&sig[static_cast<size_t>(b) * rows_], static_cast<size_t>(rows_) * 4,
                                     family_.seed() + 0x9E3779B97F4A7C15ull * static_cast<uint64_t>(b + 1));
    return keys;
  }

  // Earlier documents sharing a band, those sharing most bands first (then in
  // input order), at most max_candidates.
  std::vector<uint32_t> Candidates(const std::vector<uint64_t>& keys) const {
    std::vector<uint32_t> hits;
    for (uint64_t k : keys) index_.Find(k, [&](uint32_t slot) { hits.push_back(slot); });
    std::sort(hits.begin(), hits.end());
    std::vector<std::pair<uint32_t, uint32_t>> counted;  // (bands shared, slot)
    for (size_t i = 0; i < hits.size();) {
      size_t j = i;
      while (j < hits.size() && hits[j] == hits[i]) ++j;
      counted.emplace_back(static_cast<uint32_t>(j - i), hits[i]);
      i = j;
    }
    std::stable_sort(counted.begin(), counted.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    if (counted.size() > max_candidates_) counted.resize(max_candidates_);
    std::vector<uint32_t> out;
    for (const auto& c : counted) out.push_back(c.second);
    return out;
  }

  Status LoadHead(uint32_t slot, NearRecord& r) {
    const uint64_t at = offsets_[slot];
    // One read for the prefix and, usually, the whole head.
    const size_t guess = kPrefixBytes + 64 + mine_.signature.size() * sizeof(uint32_t) + 256;
    LODE_RETURN_IF_ERROR(store_->Read(at, std::min<uint64_t>(guess, store_->size() - at), io_));
    uint32_t head = 0, body = 0;
    if (!ParsePrefix(io_, head, body)) return InternalError("a corrupt record in the store");
    if (io_.size() < kPrefixBytes + head) LODE_RETURN_IF_ERROR(store_->Read(at, kPrefixBytes + head, io_));
    if (!ParseHead(std::string_view(io_).substr(kPrefixBytes, head), r))
      return InternalError("a corrupt record in the store");
    return OkStatus();
  }

  Status LoadBody(uint32_t slot, NearRecord& r) {
    const uint64_t at = offsets_[slot];
    LODE_RETURN_IF_ERROR(store_->Read(at, kPrefixBytes, io_));
    uint32_t head = 0, body = 0;
    if (!ParsePrefix(io_, head, body)) return InternalError("a corrupt record in the store");
    LODE_RETURN_IF_ERROR(store_->Read(at + kPrefixBytes + head, body, io_));
    if (!ParseBody(io_, r)) return InternalError("a corrupt record in the store");
    return OkStatus();
  }

  Status Index(const std::vector<uint64_t>& keys) {
    if (offsets_.size() >= BandIndex::kNoDocument)
      return FailedPreconditionError("the index is full (4 billion documents)");
    LODE_ASSIGN_OR_RETURN(uint64_t at, store_->Append(blob_));
    const auto slot = static_cast<uint32_t>(offsets_.size());
    offsets_.push_back(at);
    for (uint64_t k : keys) index_.Insert(k, slot, kMaxPerKey);
    return OkStatus();
  }

  const MinHashFamily family_;
  const uint64_t params_;
  RecordBuilder builder_;
  const double threshold_;
  const int bands_, rows_;
  const size_t max_candidates_;
  std::unique_ptr<ScratchFile> store_;  // the kept documents' records

  BandIndex index_;
  std::vector<uint64_t> offsets_;  // per indexed document: where its record is in the store

  NearRecord mine_;
  std::string blob_;  // mine_, serialized
  std::string_view my_body_;
  std::string io_;

  uint64_t near_ = 0, revisions_ = 0, disagreements_ = 0;
};

// Bands and rows: as given, or chosen from the threshold so that a pair at the
// threshold becomes a candidate with probability at least 0.95, with as many
// rows per band as that allows (fewer stray candidates).
Status ChooseBands(const Config& c, int& bands, int& rows) {
  const int perms = static_cast<int>(c.GetInt("permutations"));
  bands = static_cast<int>(c.GetInt("bands"));
  rows = static_cast<int>(c.GetInt("rows"));
  if (bands > 0 && rows == 0) rows = std::max(1, perms / bands);
  if (rows > 0 && bands == 0) bands = std::max(1, perms / rows);
  if (bands > 0 && rows > 0) {
    if (bands * rows > perms)
      return InvalidArgumentError("bands × rows (" + std::to_string(bands) + " × " + std::to_string(rows) +
                                  ") is more than permutations (" + std::to_string(perms) + ")");
    return OkStatus();
  }
  const double t = c.GetDouble("threshold");
  for (int r = std::max(1, perms / kMaxAutoBands); r >= 1; --r) {
    const int b = std::min(kMaxAutoBands, perms / r);
    if (1 - std::pow(1 - std::pow(t, r), b) >= 0.95 || r == 1) {
      bands = b;
      rows = r;
      break;
    }
  }
  return OkStatus();
}

Status Register(Registry& registry) {
  {
    StageInfo info;
    info.name = "dedup.signature";
    info.summary = "MinHash signatures for dedup.near, computed in parallel.";
    info.doc =
        "Put it right before dedup.near, with the same shingle, permutations and seed: it computes each "
        "document's signature and figure outline on many threads and hands them to dedup.near in the document's "
        "metadata (key dedup.signature, removed by dedup.near). Without it dedup.near computes them itself, on "
        "one thread, with the same result. A signature made with other parameters, or on a text a stage in "
        "between changed, is not used: dedup.near computes its own.";
    info.kind = StageKind::kTransform;
    info.execution = Execution::kParallel;
    info.params = SignatureParams();
    info.make_transform = [](const Config& c, const SetupContext&) -> StatusOr<std::unique_ptr<Transform>> {
      return std::unique_ptr<Transform>(new DedupSignature(c));
    };
    LODE_RETURN_IF_ERROR(registry.Add(std::move(info)));
  }
  StageInfo info;
  info.name = "dedup.near";
  info.summary = "The same report across pages (MinHash LSH); copies whose figures differ are kept as revisions.";
  info.doc =
      "Shingles of the cleaned text (blanks dropped, full-width ASCII folded, every figure folded to one "
      "placeholder) are summarized by MinHash; documents sharing an LSH band are compared by their full "
      "signatures. A document whose estimated Jaccard similarity with an earlier kept one reaches threshold is "
      "a near copy of it. Then the figures decide: the two texts' lines are aligned (same words, figures aside; "
      "a line with a look-alike or a reworded phrase is paired by its sketch) and their figures compared by "
      "value. If some differ, the two are revisions: both kept, a `duplicates` row of kind revision and one "
      "`disagreements` row per differing figure. If none differ, the later document is a duplicate (kind "
      "near) of the earlier, which is kept. Dates and figures on very short lines count only when there is "
      "nothing else to compare. Input order decides which copy is first, so the result is the same on any "
      "number of threads. Memory: about 220 bytes per kept document with the default 16 bands (at most 242); "
      "each kept document's signature, line outline and figures go to a temporary file in spill_dir.";
  info.kind = StageKind::kTransform;
  info.execution = Execution::kOrdered;
  info.params = SignatureParams();
  info.params.push_back(ParamSpec::Double("threshold", 0.7,
                                          "Estimated Jaccard similarity of the shingle sets from which two "
                                          "documents are near copies.")
                            .Range(0.05, 1));
  info.params.push_back(ParamSpec::Int("bands", 0,
                                       "LSH bands; 0 chooses them with rows from threshold (at most 16, so that "
                                       "a pair at the threshold is found with probability 0.95 or more).")
                            .Range(0, 1024));
  info.params.push_back(
      ParamSpec::Int("rows", 0, "MinHash values per LSH band; 0 chooses them (see bands). bands × rows must not "
                                "exceed permutations.")
          .Range(0, 1024));
  info.params.push_back(ParamSpec::Enum(
      "keep", "first", {"first", "cleanest"},
      "Which copy of a cluster is kept: first in input order. cleanest (the copy with the fewest repairs) is "
      "refused: documents leave the stage one by one, so a copy already passed on cannot be dropped for a "
      "cleaner one that comes later."));
  info.params.push_back(ParamSpec::Int("max_candidates", 32,
                                       "Earlier documents compared with each document at most (those sharing "
                                       "the most bands first).")
                            .Range(1, 100000));
  info.params.push_back(ParamSpec::Path("spill_dir", "",
                                        "Folder for the temporary file of kept documents' signatures and figures "
                                        "(unlinked at once, gone when the run ends); empty: $TMPDIR or /tmp."));
  info.tables = {DuplicatesTable(), DisagreementsTable()};
  info.make_transform = [](const Config& c, const SetupContext&) -> StatusOr<std::unique_ptr<Transform>> {
    if (c.GetString("keep") == "cleanest")
      return InvalidArgumentError(
          "dedup.near: keep: cleanest is not supported: the stage passes each document on before it sees the "
          "later copies, so it cannot go back and drop a kept copy for a cleaner one; use keep: first");
    int bands = 0, rows = 0;
    LODE_RETURN_IF_ERROR(ChooseBands(c, bands, rows));
    LODE_ASSIGN_OR_RETURN(std::unique_ptr<ScratchFile> store, ScratchFile::Open(c.GetString("spill_dir")));
    return std::unique_ptr<Transform>(new DedupNear(c, bands, rows, std::move(store)));
  };
  return registry.Add(std::move(info));
}

}  // namespace

}  // namespace lode::dedup_near

LODE_PLUGIN(dedup_near, "dedup.near", LODE_VERSION_STRING,
            "Near-duplicate reports across pages (MinHash LSH), with revisions told apart by their figures.",
            lode::dedup_near::Register)
