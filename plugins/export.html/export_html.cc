// export.html: the run as one self-contained HTML page, for a reader in a browser.
//
// The page is written as the documents arrive: each kept document's section
// goes to the file when its Write() comes, and only counters and a few bounded
// tallies stay in memory. Lists that grow with the corpus (mismatches,
// duplicates, quarantined documents) are spooled to an unlinked temporary file
// and copied into the summary at Close. The summary comes last in the file and
// is shown first with CSS (flex order), so nothing has to be held back.
#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "html_text.h"
#include "lode/lode.h"
#include "page_assets.h"

namespace {

using namespace lode;
using html::AppendEscaped;
using html::FormatNumber;
using html::FormatPercent;
using html::FormatQuantity;

namespace fs = std::filesystem;

// ---------------------------------------------------------------------------
// Cells, looked up by column name: stages may add columns, and a table may be
// missing altogether, so nothing here assumes a column's position.

std::string_view Text(const Row* r, int c) {
  if (r == nullptr || c < 0 || static_cast<size_t>(c) >= r->cells.size()) return {};
  if (const auto* s = std::get_if<std::string>(&r->cells[c])) return *s;
  return {};
}

std::optional<double> Number(const Row* r, int c) {
  if (r == nullptr || c < 0 || static_cast<size_t>(c) >= r->cells.size()) return std::nullopt;
  if (const auto* d = std::get_if<double>(&r->cells[c])) return *d;
  if (const auto* i = std::get_if<int64_t>(&r->cells[c])) return static_cast<double>(*i);
  return std::nullopt;
}

std::optional<int64_t> Integer(const Row* r, int c) {
  if (r == nullptr || c < 0 || static_cast<size_t>(c) >= r->cells.size()) return std::nullopt;
  if (const auto* i = std::get_if<int64_t>(&r->cells[c])) return *i;
  if (const auto* d = std::get_if<double>(&r->cells[c]))
    if (std::isfinite(*d) && *d == std::trunc(*d) && std::fabs(*d) < 9e15) return static_cast<int64_t>(*d);
  return std::nullopt;
}

enum class Kind {
  kDocuments,
  kRuns,
  kWarnings,
  kItems,
  kMetrics,
  kProgress,
  kAudits,
  kRepairs,
  kDuplicates,
  kDisagreements,
  kOther,
};

Kind KindOf(std::string_view name) {
  static const std::pair<std::string_view, Kind> kKnown[] = {
      {"documents", Kind::kDocuments},   {"runs", Kind::kRuns},
      {"warnings", Kind::kWarnings},     {"items", Kind::kItems},
      {"metrics", Kind::kMetrics},       {"progress", Kind::kProgress},
      {"audits", Kind::kAudits},         {"repairs", Kind::kRepairs},
      {"duplicates", Kind::kDuplicates}, {"disagreements", Kind::kDisagreements},
  };
  for (const auto& [n, k] : kKnown)
    if (n == name) return k;
  return Kind::kOther;
}

// A table of the run as the page uses it: its kind, its declaration (a copy:
// the OutputContext lives only during Open) and the columns asked for by name.
struct TableInfo {
  Kind kind = Kind::kOther;
  TableSchema schema;
  int Col(std::string_view name) const { return schema.ColumnIndex(name); }
};

struct ItemCols {
  int part = -1, part_title = -1, section = -1, section_title = -1, item = -1, title = -1, owners = -1,
      status_text = -1, line = -1;
};
struct MetricCols {
  int item = -1, field = -1, role = -1, subject = -1, predicate = -1, text = -1, canonical_value = -1,
      canonical_value_high = -1, canonical_unit = -1, qualifier = -1, period = -1;
};
struct ProgressCols {
  int item = -1, subject = -1, kind = -1, target_value = -1, actual_value = -1, canonical_unit = -1, progress_pct = -1,
      gap_pp = -1;
};
struct AuditCols {
  int item = -1, stated_pct = -1, part_value = -1, whole_value = -1, computed_pct = -1, verdict = -1, text = -1;
};
struct RepairCols {
  int kind = -1, from_text = -1, to_text = -1, raw_begin = -1, raw_end = -1;
};
struct DuplicateCols {
  int kind = -1, of_doc_id = -1, similarity = -1, raw_begin = -1, raw_end = -1;
};
struct DocumentCols {
  int source = -1, encoding = -1, encoding_confidence = -1, bytes = -1, chars = -1;
};
struct RunCols {
  int pipeline = -1, lode_version = -1, started_at = -1, seconds = -1, threads = -1, documents = -1, bytes = -1;
};

// ---------------------------------------------------------------------------

// A list that grows with the corpus, kept on disk until Close copies it into
// the page, so that the sink's memory does not grow with the number of
// documents. Its first `head` entries stay in memory: the page shows them in
// view and the rest behind a <details>. The file is unlinked as soon as it is
// made: nothing is left behind, whatever happens to the run.
class Spool {
 public:
  explicit Spool(uint64_t head) : head_limit_(head) {}
  Spool(const Spool&) = delete;
  Spool& operator=(const Spool&) = delete;
  ~Spool() {
    if (file_ != nullptr) std::fclose(file_);
  }

  // `limit`: most entries kept (0: all); later ones are only counted.
  void Init(std::string dir, std::string report, uint64_t limit) {
    dir_ = std::move(dir);
    report_ = std::move(report);
    limit_ = limit;
  }

  // Adds one entry (already HTML).
  Status Append(std::string_view html) {
    if (limit_ != 0 && entries_ >= limit_) {
      ++unlisted_;
      return OkStatus();
    }
    if (++entries_ <= head_limit_) {
      head_.append(html);
      return OkStatus();
    }
    buffer_.append(html);
    return buffer_.size() >= kBuffer ? Flush() : OkStatus();
  }

  uint64_t entries() const { return entries_; }  // stored: at most the limit
  uint64_t rest() const { return entries_ > head_limit_ ? entries_ - head_limit_ : 0; }
  uint64_t unlisted() const { return unlisted_; }  // past the limit

  // Writes the first entries to `out`.
  Status CopyHead(AtomicFile& out) const { return out.Write(head_); }

  // Writes the other entries, in order, to `out`.
  Status CopyRest(AtomicFile& out) {
    if (file_ == nullptr) return out.Write(buffer_);
    LODE_RETURN_IF_ERROR(Flush());
    if (std::fflush(file_) != 0 || std::fseek(file_, 0, SEEK_SET) != 0) return Error(errno);
    std::string chunk(kBuffer, '\0');
    for (;;) {
      const size_t n = std::fread(chunk.data(), 1, chunk.size(), file_);
      if (n > 0) LODE_RETURN_IF_ERROR(out.Write(std::string_view(chunk.data(), n)));
      if (n < chunk.size()) {
        if (std::ferror(file_)) return Error(EIO);
        break;
      }
    }
    return OkStatus();
  }

 private:
  static constexpr size_t kBuffer = 1 << 16;

  Status Flush() {
    if (buffer_.empty()) return OkStatus();
    if (file_ == nullptr) {
      std::string name = (fs::path(dir_) / ".lode-html-list-XXXXXX").string();
      const int fd = ::mkstemp(name.data());
      if (fd < 0) return Error(errno);
      ::unlink(name.c_str());
      file_ = ::fdopen(fd, "w+b");
      if (file_ == nullptr) {
        const int err = errno;
        ::close(fd);
        return Error(err);
      }
    }
    if (std::fwrite(buffer_.data(), 1, buffer_.size(), file_) != buffer_.size()) return Error(errno ? errno : EIO);
    buffer_.clear();
    return OkStatus();
  }

  Status Error(int err) const {
    return ErrnoError("cannot write " + report_ + " (its temporary list in " + dir_ + ")", err);
  }

  uint64_t head_limit_;
  std::string dir_, report_;
  std::string head_, buffer_;
  std::FILE* file_ = nullptr;
  uint64_t limit_ = 0, entries_ = 0, unlisted_ = 0;
};

// Counts of a few distinct keys (repair kinds, duplicate kinds); keys past the
// cap are counted together, so the tally stays small whatever the input.
class Tally {
 public:
  explicit Tally(size_t cap) : cap_(cap) {}
  void Add(std::string_view key, uint64_t n = 1) {
    auto it = counts_.find(key);
    if (it != counts_.end()) {
      it->second += n;
    } else if (counts_.size() < cap_) {
      counts_.emplace(std::string(key), n);
    } else {
      others_ += n;
    }
    total_ += n;
  }
  const std::map<std::string, uint64_t, std::less<>>& counts() const { return counts_; }
  uint64_t others() const { return others_; }
  uint64_t total() const { return total_; }
  size_t size() const { return counts_.size(); }

 private:
  size_t cap_;
  std::map<std::string, uint64_t, std::less<>> counts_;
  uint64_t others_ = 0, total_ = 0;
};

// Only these roles become class names; anything else a stage writes is "other",
// so no text from a row ever reaches an attribute unescaped.
std::string_view RoleClass(std::string_view role) {
  for (std::string_view r : {"target", "actual", "rate", "rank"})
    if (role == r) return r;
  return "other";
}

std::string_view RoleLabel(std::string_view role_class) {
  if (role_class == "target") return "target";
  if (role_class == "actual") return "result";
  if (role_class == "rate") return "rate";
  if (role_class == "rank") return "rank";
  return "figure";
}

// "1 item", "75 items".
std::string Counted(uint64_t n, std::string_view one, std::string_view many) {
  return html::FormatCount(n) + " " + std::string(n == 1 ? one : many);
}

std::string Percent1(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

// A nonce for the page's Content-Security-Policy: only the page's own script
// may run, so even text that slipped past escaping could not execute.
std::string MakeNonce() {
  std::string out;
  try {
    std::random_device rd;
    for (int i = 0; i < 4; ++i) {
      char buf[16];
      std::snprintf(buf, sizeof buf, "%08x", static_cast<unsigned>(rd()));
      out += buf;
    }
  } catch (...) {
    // No entropy source: a weaker nonce still keeps the policy in force.
    std::mt19937_64 g(static_cast<uint64_t>(::getpid()) ^ reinterpret_cast<uintptr_t>(&out));
    char buf[40];
    std::snprintf(buf, sizeof buf, "%016llx%016llx", static_cast<unsigned long long>(g()),
                  static_cast<unsigned long long>(g()));
    out = buf;
  }
  return out;
}

// ---------------------------------------------------------------------------

class ExportHtml : public Sink {
 public:
  explicit ExportHtml(const Config& c)
      : path_(c.GetString("path")),
        title_(c.GetString("title")),
        expanded_(c.GetInt("expanded")),
        max_documents_(static_cast<uint64_t>(c.GetInt("max_documents"))),
        max_listed_(static_cast<uint64_t>(c.GetInt("max_listed"))),
        max_text_(static_cast<size_t>(c.GetInt("max_text"))),
        max_list_rows_(static_cast<size_t>(c.GetInt("max_list_rows"))) {}

  Status Open(const OutputContext& context) override {
    const fs::path dest(path_);
    const std::string dir = dest.has_parent_path() ? dest.parent_path().string() : ".";
    LODE_RETURN_IF_ERROR(EnsureDirectory(dir));
    std::error_code ec;
    if (fs::is_directory(dest, ec)) return IoError("cannot write " + path_ + ": it is a folder");
    for (Spool* s : {&mismatch_list_, &duplicate_list_, &quarantine_list_}) s->Init(dir, path_, max_listed_);

    pipeline_ = context.pipeline_name;
    for (const TableSchema& t : context.tables) AddTable(t);

    LODE_ASSIGN_OR_RETURN(file_, AtomicFile::Create(path_));
    nonce_ = MakeNonce();
    std::string& o = out_;
    o.clear();
    o += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
         "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
         "img-src data:; script-src 'nonce-";
    o += nonce_;
    o += "'; base-uri 'none'; form-action 'none'\">\n<meta name=\"generator\" content=\"lode " LODE_VERSION_STRING
         " export.html\">\n<title>";
    AppendEscaped(o, PageTitle());
    o += "</title>\n<style>";
    o += html::kStyle;
    o +=
        "</style>\n</head>\n<body>\n<div class=\"page\">\n<main id=\"documents\" lang=\"zh-Hans\">\n<h2>Reports</h2>\n";
    return file_->Write(o);
  }

  Status Write(const Document& doc) override {
    if (file_ == nullptr) return FailedPreconditionError(path_ + ": written before it was opened");
    Bucket(doc.rows);
    ++documents_;
    for (const Row* r : rows_.duplicates) LODE_RETURN_IF_ERROR(NoteDuplicateRow(doc, r));
    for (const Row* r : rows_.repairs) CountRepair(r);
    switch (doc.status) {
      case DocumentStatus::kKept:
        ++kept_;
        return WriteKept(doc);
      case DocumentStatus::kDuplicate:
        ++duplicates_;
        if (rows_.duplicates.empty()) return NoteUnlistedDuplicate(doc);
        return OkStatus();
      case DocumentStatus::kQuarantined:
        ++quarantined_;
        return NoteQuarantined(doc);
    }
    return OkStatus();
  }

  Status Close(const std::vector<TableRow>& final_rows) override {
    if (file_ == nullptr) return FailedPreconditionError(path_ + ": closed before it was opened");
    Status s = WriteSummary(final_rows);
    if (s.ok()) s = file_->Commit();
    if (!s.ok()) {
      // The runner does not call Abort() after a failed Close.
      file_->Abort();
      return s;
    }
    committed_ = true;
    return OkStatus();
  }

  void Abort() override {
    if (file_ != nullptr) file_->Abort();
  }

  std::vector<std::string> Written() const override {
    if (!committed_) return {};
    return {path_};
  }

 private:
  // Rows of the current document, sorted by table. Reused across documents.
  struct DocRows {
    const Row* document = nullptr;
    std::vector<const Row*> items, metrics, progress, audits, repairs, duplicates, disagreements, warnings;
    std::vector<std::pair<const TableInfo*, const Row*>> other;
    void Clear() {
      document = nullptr;
      for (auto* v : {&items, &metrics, &progress, &audits, &repairs, &duplicates, &disagreements, &warnings})
        v->clear();
      other.clear();
    }
  };

  // What belongs to one item row: its figures (by field), pairs and audits.
  struct ItemRows {
    std::vector<const Row*> target, status, extra, progress, audits;
    bool bad = false;
    void Clear() {
      for (auto* v : {&target, &status, &extra, &progress, &audits}) v->clear();
      bad = false;
    }
  };

  struct Mark {
    size_t begin, end;
    const Row* metric;
  };

  std::string PageTitle() const {
    if (!title_.empty()) return title_;
    return pipeline_.empty() ? "lode report" : "lode report: " + pipeline_;
  }

  void AddTable(const TableSchema& t) {
    if (index_.count(t.name)) return;
    TableInfo info{KindOf(t.name), t};
    switch (info.kind) {
      case Kind::kItems:
        has_items_ = true;
        ic_ = {info.Col("part"),          info.Col("part_title"),  info.Col("section"),
               info.Col("section_title"), info.Col("item"),        info.Col("title"),
               info.Col("owners"),        info.Col("status_text"), info.Col("line")};
        break;
      case Kind::kMetrics:
        has_metrics_ = true;
        mc_ = {info.Col("item"),
               info.Col("field"),
               info.Col("role"),
               info.Col("subject"),
               info.Col("predicate"),
               info.Col("text"),
               info.Col("canonical_value"),
               info.Col("canonical_value_high"),
               info.Col("canonical_unit"),
               info.Col("qualifier"),
               info.Col("period")};
        break;
      case Kind::kProgress:
        has_progress_ = true;
        pc_ = {info.Col("item"),         info.Col("subject"),        info.Col("kind"),         info.Col("target_value"),
               info.Col("actual_value"), info.Col("canonical_unit"), info.Col("progress_pct"), info.Col("gap_pp")};
        break;
      case Kind::kAudits:
        has_audits_ = true;
        ac_ = {info.Col("item"),         info.Col("stated_pct"), info.Col("part_value"), info.Col("whole_value"),
               info.Col("computed_pct"), info.Col("verdict"),    info.Col("text")};
        break;
      case Kind::kRepairs:
        has_repairs_ = true;
        rc_ = {info.Col("kind"), info.Col("from_text"), info.Col("to_text"), info.Col("raw_begin"),
               info.Col("raw_end")};
        break;
      case Kind::kDuplicates:
        has_duplicates_ = true;
        dc_ = {info.Col("kind"), info.Col("of_doc_id"), info.Col("similarity"), info.Col("raw_begin"),
               info.Col("raw_end")};
        break;
      case Kind::kDocuments:
        doc_c_ = {info.Col("source"), info.Col("encoding"), info.Col("encoding_confidence"), info.Col("bytes"),
                  info.Col("chars")};
        break;
      case Kind::kRuns:
        run_c_ = {info.Col("pipeline"), info.Col("lode_version"), info.Col("started_at"), info.Col("seconds"),
                  info.Col("threads"),  info.Col("documents"),    info.Col("bytes")};
        break;
      case Kind::kWarnings:
        has_warnings_ = true;
        break;
      default:
        break;
    }
    tables_.push_back(std::make_unique<TableInfo>(std::move(info)));
    index_.emplace(t.name, tables_.back().get());
  }

  const TableInfo* Find(std::string_view name) const {
    auto it = index_.find(std::string(name));
    return it == index_.end() ? nullptr : it->second;
  }

  void Bucket(const std::vector<TableRow>& rows) {
    rows_.Clear();
    for (const TableRow& r : rows) {
      const TableInfo* t = Find(r.table);
      if (t == nullptr) continue;  // not declared: the host would have refused it; nothing to show
      switch (t->kind) {
        case Kind::kDocuments:
          rows_.document = &r.row;
          break;
        case Kind::kItems:
          rows_.items.push_back(&r.row);
          break;
        case Kind::kMetrics:
          rows_.metrics.push_back(&r.row);
          break;
        case Kind::kProgress:
          rows_.progress.push_back(&r.row);
          break;
        case Kind::kAudits:
          rows_.audits.push_back(&r.row);
          break;
        case Kind::kRepairs:
          rows_.repairs.push_back(&r.row);
          break;
        case Kind::kDuplicates:
          rows_.duplicates.push_back(&r.row);
          break;
        case Kind::kDisagreements:
          rows_.disagreements.push_back(&r.row);
          break;
        case Kind::kWarnings:
          rows_.warnings.push_back(&r.row);
          break;
        case Kind::kRuns:
        case Kind::kOther:
          rows_.other.emplace_back(t, &r.row);
          break;
      }
    }
  }

  // --- the summary's inputs ------------------------------------------------

  void CountRepair(const Row* r) {
    const std::string_view kind = Text(r, rc_.kind);
    repair_kinds_.Add(kind.empty() ? "(no kind)" : kind);
    // Keyed on cut text: a 1 MB removal must not become a 1 MB key.
    std::string key(html::CutAtCharacter(kind, 40));
    key += '\x1F';
    key += html::CutAtCharacter(Text(r, rc_.from_text), 60);
    key += '\x1F';
    key += html::CutAtCharacter(Text(r, rc_.to_text), 60);
    repair_pairs_.Add(key);
  }

  void AppendDocLink(std::string& o, const Document& doc, bool linked) {
    if (linked) {
      o += "<a href=\"#d";
      o += std::to_string(doc.sequence);
      o += "\">";
      AppendEscaped(o, doc.id);
      o += "</a>";
    } else {
      AppendEscaped(o, doc.id);
    }
  }

  Status NoteDuplicateRow(const Document& doc, const Row* r) {
    const std::string_view kind = Text(r, dc_.kind);
    duplicate_kinds_.Add(kind.empty() ? "(no kind)" : kind);
    std::string& o = line_;
    o.clear();
    o += "<tr><td class=\"t\">";
    AppendDocLink(o, doc, doc.kept());
    o += "</td><td>";
    AppendEscaped(o, kind);
    o += "</td><td class=\"t\">";
    AppendEscaped(o, html::CutAtCharacter(Text(r, dc_.of_doc_id), 2000));
    o += "</td><td class=\"n\">";
    if (auto s = Number(r, dc_.similarity)) o += FormatNumber(*s);
    o += "</td><td class=\"t\">";
    AppendEscaped(o, html::CutAtCharacter(doc.kept() ? "" : doc.reason, 2000));
    o += "</td></tr>\n";
    return duplicate_list_.Append(o);
  }

  Status NoteUnlistedDuplicate(const Document& doc) {
    duplicate_kinds_.Add("(not in duplicates)");
    std::string& o = line_;
    o.clear();
    o += "<tr><td class=\"t\">";
    AppendEscaped(o, doc.id);
    o += "</td><td>—</td><td class=\"t\">";
    AppendEscaped(o, doc.duplicate_of);
    o += "</td><td class=\"n\"></td><td class=\"t\">";
    AppendEscaped(o, html::CutAtCharacter(doc.reason, 2000));
    o += "</td></tr>\n";
    return duplicate_list_.Append(o);
  }

  Status NoteQuarantined(const Document& doc) {
    std::string& o = line_;
    o.clear();
    o += "<tr><td class=\"t\">";
    AppendEscaped(o, doc.id);
    o += "</td><td class=\"t\">";
    AppendEscaped(o, doc.source);
    o += "</td><td class=\"t\">";
    AppendEscaped(o, html::CutAtCharacter(doc.reason, 4000));
    o += "</td></tr>\n";
    return quarantine_list_.Append(o);
  }

  // `anchor`: where the document's audit is on the page; empty for a
  // document past max_listed, which the page does not show.
  Status NoteMismatch(const Document& doc, const std::string& anchor, std::optional<int64_t> item, const Row* a) {
    std::string& o = line_;
    o.clear();
    o += "<tr><td class=\"t\">";
    if (!anchor.empty()) o += "<a href=\"#" + anchor + "\">";
    AppendEscaped(o, doc.id);
    if (!anchor.empty()) o += "</a>";
    o += "</td><td class=\"n\">";
    if (item) o += std::to_string(*item);
    o += "</td><td class=\"n\">";
    if (auto v = Number(a, ac_.stated_pct)) o += FormatPercent(*v) + "%";
    o += "</td><td class=\"n\">";
    if (auto v = Number(a, ac_.computed_pct)) o += FormatPercent(*v) + "%";
    o += "</td><td class=\"t\">";
    AppendCut(o, Text(a, ac_.text), 600);
    o += "</td></tr>\n";
    return mismatch_list_.Append(o);
  }

  // Escaped text cut to `limit` bytes (0: max_text), with a note of what was cut.
  void AppendCut(std::string& o, std::string_view text, size_t limit = 0) {
    const std::string_view shown = html::CutAtCharacter(text, limit ? limit : max_text_);
    AppendEscaped(o, shown);
    if (shown.size() < text.size()) AppendCutNote(o, text.size() - shown.size());
  }

  // What a repair turned the text into; a removal says so instead of showing nothing.
  void AppendReplacement(std::string& o, std::string_view to, size_t limit) {
    if (to.empty()) {
      o += "<span class=\"note\">(removed)</span>";
    } else if (limit) {
      AppendCut(o, to, limit);
    } else {
      AppendEscaped(o, to);
    }
  }

  void AppendCutNote(std::string& o, size_t bytes) {
    o += "<span class=\"cut\"> … ";
    o += FormatNumber(static_cast<double>(bytes));
    o += " more bytes not shown</span>";
  }

  // --- one kept document ---------------------------------------------------

  Status WriteKept(const Document& doc) {
    const std::string id = "d" + std::to_string(doc.sequence);

    size_t mismatches = 0;
    for (const Row* a : rows_.audits) mismatches += Text(a, ac_.verdict) == "mismatch";
    items_ += rows_.items.size();
    figures_ += rows_.metrics.size();
    pairs_ += rows_.progress.size();
    warnings_ += rows_.warnings.size();
    if (PastMaxListed()) return CountUnlisted(doc);

    std::string& o = out_;
    o.clear();
    o += "<details class=\"doc";
    if (mismatches) o += " has-bad";
    o += "\" id=\"";
    o += id;
    o += "\"";
    if (kept_ <= static_cast<uint64_t>(expanded_)) o += " open";
    o += ">\n<summary><span class=\"docid\">";
    AppendEscaped(o, doc.id);
    o += "</span><span class=\"docstats\">";
    std::vector<std::string> stats;
    if (has_items_) stats.push_back(Counted(rows_.items.size(), "item", "items"));
    if (has_metrics_) stats.push_back(Counted(rows_.metrics.size(), "figure", "figures"));
    if (has_progress_) stats.push_back(Counted(rows_.progress.size(), "paired target", "paired targets"));
    if (has_repairs_) stats.push_back(Counted(rows_.repairs.size(), "repair", "repairs"));
    for (size_t i = 0; i < stats.size(); ++i) o += (i ? " · " : "") + stats[i];
    if (mismatches) {
      o += stats.empty() ? "" : " · ";
      o += "<span class=\"bad\">";
      o += std::to_string(mismatches);
      o += mismatches == 1 ? " audit mismatch" : " audit mismatches";
      o += "</span>";
    }
    o += "</span></summary>\n<div class=\"docbody\">\n";
    AppendDocMeta(o, doc);
    if (PastMaxDocuments()) return WriteBrief(doc, id);
    figures_detailed_ += rows_.metrics.size();
    AssignToItems();
    AppendDocNotes(o);

    // Items, with their part and section headings when these change. A missing
    // number is kNone, so that "no section" compares like any other value.
    constexpr int64_t kNone = INT64_MIN;
    int64_t part = kNone, section = kNone;
    std::string_view part_title, section_title;
    bool first = true;
    for (size_t i = 0; i < rows_.items.size(); ++i) {
      const Row* it = rows_.items[i];
      const int64_t p = Integer(it, ic_.part).value_or(kNone);
      const std::string_view pt = Text(it, ic_.part_title);
      if (first || p != part || pt != part_title) {
        if (p != kNone || !pt.empty()) {
          o += "<h3 class=\"part\">";
          if (p != kNone) o += html::ChineseNumeral(p) + "、";
          AppendCut(o, pt, 2000);
          o += "</h3>\n";
        }
        part = p;
        part_title = pt;
        section = kNone;
        section_title = {};
      }
      const int64_t s = Integer(it, ic_.section).value_or(kNone);
      const std::string_view st = Text(it, ic_.section_title);
      if ((s != kNone || !st.empty()) && (s != section || st != section_title)) {
        o += "<h4 class=\"section\">";
        if (s != kNone) o += "（" + html::ChineseNumeral(s) + "）";
        AppendCut(o, st, 2000);
        o += "</h4>\n";
      }
      section = s;
      section_title = st;
      first = false;
      LODE_RETURN_IF_ERROR(AppendItem(o, doc, id + "-" + std::to_string(i), it, item_rows_[i]));
      LODE_RETURN_IF_ERROR(FlushIfLarge());
    }
    LODE_RETURN_IF_ERROR(AppendOutside(o, doc, id));
    if (rows_.items.empty() && has_items_)
      o += "<p class=\"note\">No numbered items were found in this document.</p>\n";
    AppendRepairs(o);
    AppendOtherTables(o);
    o += "</div>\n</details>\n";
    return file_->Write(o);
  }

  // A kept document past max_listed: counted, not shown. Its mismatches still
  // go to the run's list, unlinked, while that list has room.
  Status CountUnlisted(const Document& doc) {
    for (const Row* a : rows_.audits) {
      const std::string_view verdict = Text(a, ac_.verdict);
      if (verdict == "mismatch") {
        ++audit_mismatch_;
        LODE_RETURN_IF_ERROR(NoteMismatch(doc, "", Integer(a, ac_.item), a));
      } else {
        CountAudit(verdict);
      }
    }
    return OkStatus();
  }

  // A kept document past max_documents: its heading line and source (already
  // in out_), and only what the summary points at, its audit mismatches. The
  // items and figures of thousands of documents would make a page no browser
  // opens, and they are all in the run's tables.
  Status WriteBrief(const Document& doc, const std::string& id) {
    std::string& o = out_;
    o += "<p class=\"note\">Counts only: the report shows the items of the first " + Count(max_documents_) +
         " kept documents (max_documents).</p>\n";
    for (const Row* a : rows_.audits) {
      if (Text(a, ac_.verdict) == "mismatch") {
        LODE_RETURN_IF_ERROR(AppendAudit(o, doc, id, Integer(a, ac_.item), a));
      } else {
        CountAudit(Text(a, ac_.verdict));
      }
    }
    o += "</div>\n</details>\n";
    return file_->Write(o);
  }

  // Keeps the document's buffer small: a document with thousands of items is
  // written in pieces.
  Status FlushIfLarge() {
    if (out_.size() < (1u << 20)) return OkStatus();
    LODE_RETURN_IF_ERROR(file_->Write(out_));
    out_.clear();
    return OkStatus();
  }

  // Gives each figure, pair and audit to the item row it belongs to. Item
  // numbers are unique in a report, but a page numbered per part may repeat
  // one: a figure then goes to the first item whose text holds it.
  void AssignToItems() {
    if (item_rows_.size() < rows_.items.size()) item_rows_.resize(rows_.items.size());
    for (size_t i = 0; i < rows_.items.size(); ++i) item_rows_[i].Clear();
    outside_.Clear();
    first_with_number_.clear();
    for (size_t i = 0; i < rows_.items.size(); ++i)
      if (auto n = Integer(rows_.items[i], ic_.item)) first_with_number_.try_emplace(*n, i);

    auto first_item = [&](const Row* r, int col) -> ItemRows* {
      auto n = Integer(r, col);
      if (!n) return nullptr;
      auto it = first_with_number_.find(*n);
      return it == first_with_number_.end() ? nullptr : &item_rows_[it->second];
    };

    for (const Row* m : rows_.metrics) {
      const std::string_view field = Text(m, mc_.field);
      const bool in_target = field == "target", in_status = field == "status";
      ItemRows* home = nullptr;
      if (auto n = Integer(m, mc_.item); n && (in_target || in_status)) {
        const std::string_view text = Text(m, mc_.text);
        auto first = first_with_number_.find(*n);
        for (size_t j = first == first_with_number_.end() ? rows_.items.size() : first->second;
             j < rows_.items.size() && home == nullptr; ++j) {
          const Row* item = rows_.items[j];
          if (Integer(item, ic_.item) == n &&
              Text(item, in_target ? ic_.title : ic_.status_text).find(text) != std::string_view::npos)
            home = &item_rows_[j];
        }
      }
      if (home != nullptr) {
        (in_target ? home->target : home->status).push_back(m);
      } else if (ItemRows* any = first_item(m, mc_.item)) {
        any->extra.push_back(m);
      } else {
        outside_.extra.push_back(m);
      }
    }
    for (const Row* p : rows_.progress) {
      ItemRows* home = first_item(p, pc_.item);
      (home ? home : &outside_)->progress.push_back(p);
    }
    for (const Row* a : rows_.audits) {
      ItemRows* home = first_item(a, ac_.item);
      home = home ? home : &outside_;
      home->audits.push_back(a);
      if (Text(a, ac_.verdict) == "mismatch") home->bad = true;
    }
  }

  void AppendDocMeta(std::string& o, const Document& doc) {
    const Row* d = rows_.document;
    std::vector<std::string> parts;
    std::string s;
    const std::string_view source = d ? Text(d, doc_c_.source) : std::string_view(doc.source);
    if (!source.empty()) {
      s.clear();
      AppendCut(s, source, 2000);
      parts.push_back(s);
    }
    const std::string_view enc = d ? Text(d, doc_c_.encoding) : std::string_view(doc.encoding);
    if (!enc.empty()) {
      s.clear();
      AppendEscaped(s, html::CutAtCharacter(enc, 100));
      if (auto c = Number(d, doc_c_.encoding_confidence); c && *c < 1) s += " (confidence " + FormatNumber(*c) + ")";
      parts.push_back(s);
    }
    if (auto c = Number(d, doc_c_.chars)) parts.push_back(FormatNumber(*c) + " characters");
    if (auto b = Number(d, doc_c_.bytes)) parts.push_back(FormatNumber(*b) + " bytes");
    if (parts.empty()) return;
    o += "<p class=\"docmeta\">";
    for (size_t i = 0; i < parts.size(); ++i) o += (i ? " · " : "") + parts[i];
    o += "</p>\n";
  }

  // What the cleaning and dedup stages noted about the document as a whole.
  void AppendDocNotes(std::string& o) {
    const TableInfo* w = Find("warnings");
    for (const Row* r : rows_.warnings) {
      o += "<p class=\"warn\">⚠ ";
      const std::string_view stage = Text(r, w ? w->Col("stage") : -1);
      if (!stage.empty()) {
        AppendEscaped(o, html::CutAtCharacter(stage, 200));
        o += ": ";
      }
      AppendCut(o, Text(r, w ? w->Col("message") : -1), 4000);
      o += "</p>\n";
    }
    for (const Row* r : rows_.duplicates) {
      const std::string_view kind = Text(r, dc_.kind);
      if (kind != "repeat" && kind != "revision") continue;
      o += "<p class=\"note\">";
      if (kind == "repeat") {
        o += "A copy of the report pasted again in this page was removed";
      } else {
        o += "A revision of ";
        AppendEscaped(o, html::CutAtCharacter(Text(r, dc_.of_doc_id), 2000));
        o += " (both kept; figures that differ are listed below)";
      }
      if (auto s = Number(r, dc_.similarity)) o += " · similarity " + FormatNumber(*s);
      auto b = Integer(r, dc_.raw_begin), e = Integer(r, dc_.raw_end);
      if (b && e) o += " · input bytes " + std::to_string(*b) + "–" + std::to_string(*e);
      o += ".</p>\n";
    }
    const TableInfo* dis = Find("disagreements");
    for (const Row* r : rows_.disagreements) {
      o += "<p class=\"warn\">Differs from ";
      AppendEscaped(o, html::CutAtCharacter(Text(r, dis ? dis->Col("other_doc_id") : -1), 2000));
      o += ": here “<b>";
      AppendCut(o, Text(r, dis ? dis->Col("text") : -1), 2000);
      o += "</b>”, there “<b>";
      AppendCut(o, Text(r, dis ? dis->Col("other_text") : -1), 2000);
      o += "</b>”.</p>\n";
    }
  }

  Status AppendItem(std::string& o, const Document& doc, const std::string& anchor, const Row* it,
                    const ItemRows& rows) {
    o += "<article class=\"item";
    if (rows.bad) o += " bad";
    o += "\" id=\"";
    o += anchor;
    o += "\"><div class=\"num\">";
    const auto n = Integer(it, ic_.item);
    if (n) o += std::to_string(*n) + ".";
    o += "</div><div>\n<p class=\"target\">";
    AppendMarked(o, Text(it, ic_.title), rows.target);
    if (auto line = Integer(it, ic_.line)) o += "<span class=\"line\">line " + std::to_string(*line) + "</span>";
    o += "</p>\n";
    const std::string_view owners = Text(it, ic_.owners);
    if (!owners.empty()) {
      o += "<div class=\"f\"><span class=\"lbl\">责任单位</span><p class=\"owners\">";
      size_t at = 0, shown = 0;
      while (at <= owners.size()) {
        size_t bar = owners.find('|', at);
        if (bar == std::string_view::npos) bar = owners.size();
        const std::string_view one = owners.substr(at, bar - at);
        if (!one.empty()) {
          if (shown) o += "、";
          o += "<span class=\"owner\">";
          AppendCut(o, one, 400);
          o += "</span>";
          if (++shown == 50 && bar < owners.size()) {
            AppendCutNote(o, owners.size() - bar);
            break;
          }
        }
        at = bar + 1;
      }
      o += "</p></div>\n";
    }
    const std::string_view status = Text(it, ic_.status_text);
    if (!status.empty() || !rows.status.empty()) {
      o += "<div class=\"f\"><span class=\"lbl\">完成情况</span><p>";
      AppendMarked(o, status, rows.status);
      o += "</p></div>\n";
    }
    AppendExtraFigures(o, rows.extra, "Other figures of this item");
    for (const Row* p : rows.progress) AppendProgress(o, p);
    for (const Row* a : rows.audits) LODE_RETURN_IF_ERROR(AppendAudit(o, doc, anchor, n, a));
    o += "</div></article>\n";
    return OkStatus();
  }

  // Figures, pairs and audits that belong to no item row of this document.
  Status AppendOutside(std::string& o, const Document& doc, const std::string& id) {
    if (outside_.extra.empty() && outside_.progress.empty() && outside_.audits.empty()) return OkStatus();
    const std::string anchor = id + "-x";
    o += "<article class=\"item";
    if (outside_.bad) o += " bad";
    o += "\" id=\"";
    o += anchor;
    o += "\"><div class=\"num\">—</div><div>\n<p class=\"note\">Outside the numbered items</p>\n";
    AppendExtraFigures(o, outside_.extra, "Figures");
    for (const Row* p : outside_.progress) AppendProgress(o, p);
    for (const Row* a : outside_.audits) LODE_RETURN_IF_ERROR(AppendAudit(o, doc, anchor, std::nullopt, a));
    o += "</div></article>\n";
    return OkStatus();
  }

  std::string Tooltip(const Row* m) {
    std::string t;
    const std::string_view role = RoleClass(Text(m, mc_.role));
    t += RoleLabel(role);
    const std::string_view subject = Text(m, mc_.subject), predicate = Text(m, mc_.predicate);
    if (!subject.empty() || !predicate.empty()) {
      t += ": ";
      t += html::CutAtCharacter(subject, 200);
      if (!subject.empty() && !predicate.empty()) t += ' ';
      t += html::CutAtCharacter(predicate, 100);
    }
    const std::string_view unit = Text(m, mc_.canonical_unit);
    if (auto v = Number(m, mc_.canonical_value)) {
      t += "\n= ";
      const std::string u(html::CutAtCharacter(unit, 40));
      auto exact = [&u](double x) {
        if (u == "%") return FormatNumber(x) + "%";
        if (u == "rank") return "rank " + FormatNumber(x);
        return u.empty() ? FormatNumber(x) : FormatNumber(x) + " " + u;
      };
      t += exact(*v);
      if (auto hi = Number(m, mc_.canonical_value_high)) t += " – " + exact(*hi);
    }
    const std::string_view q = Text(m, mc_.qualifier), period = Text(m, mc_.period);
    if (!q.empty()) t += "\nqualifier: " + std::string(html::CutAtCharacter(q, 100));
    if (!period.empty()) t += "\nperiod: " + std::string(html::CutAtCharacter(period, 100));
    return t;
  }

  void AppendMark(std::string& o, const Row* m, std::string_view text) {
    o += "<mark class=\"r-";
    o += RoleClass(Text(m, mc_.role));
    o += "\" title=\"";
    AppendEscaped(o, Tooltip(m));
    o += "\">";
    AppendEscaped(o, text);
    o += "</mark>";
  }

  // The field's text, escaped, with each figure found in it wrapped in <mark>.
  // Figures are looked for in their row order, each after the previous one, so
  // that "16个 … 16个" marks each occurrence once; one not found after the
  // previous is looked for from the start, in a place no other mark holds.
  void AppendMarked(std::string& o, std::string_view field, const std::vector<const Row*>& metrics) {
    marks_.clear();
    size_t cursor = 0;
    auto free_at = [&](size_t b, size_t e) {
      for (const Mark& k : marks_)
        if (b < k.end && k.begin < e) return false;
      return true;
    };
    for (const Row* m : metrics) {
      const std::string_view text = Text(m, mc_.text);
      if (text.empty()) continue;
      size_t at = field.find(text, cursor);
      if (at == std::string_view::npos || !free_at(at, at + text.size())) {
        at = field.find(text);
        while (at != std::string_view::npos && !free_at(at, at + text.size())) at = field.find(text, at + 1);
      }
      if (at == std::string_view::npos) continue;
      marks_.push_back({at, at + text.size(), m});
      cursor = at + text.size();
    }
    std::sort(marks_.begin(), marks_.end(), [](const Mark& a, const Mark& b) { return a.begin < b.begin; });
    marks_placed_ += marks_.size();

    const std::string_view shown = html::CutAtCharacter(field, max_text_);
    size_t at = 0;
    for (const Mark& k : marks_) {
      if (k.end > shown.size()) break;
      AppendEscaped(o, shown.substr(at, k.begin - at));
      AppendMark(o, k.metric, shown.substr(k.begin, k.end - k.begin));
      at = k.end;
    }
    AppendEscaped(o, shown.substr(at));
    if (shown.size() < field.size()) AppendCutNote(o, field.size() - shown.size());
  }

  void AppendExtraFigures(std::string& o, const std::vector<const Row*>& metrics, std::string_view label) {
    if (metrics.empty()) return;
    o += "<p class=\"extra\">";
    o += label;
    o += ": ";
    for (const Row* m : metrics) AppendMark(o, m, html::CutAtCharacter(Text(m, mc_.text), 200));
    o += "</p>\n";
  }

  void AppendProgress(std::string& o, const Row* p) {
    const std::string_view kind = Text(p, pc_.kind);
    const std::string unit(html::CutAtCharacter(Text(p, pc_.canonical_unit), 40));
    const auto target = Number(p, pc_.target_value), actual = Number(p, pc_.actual_value);
    o += "<div class=\"prog\"><span class=\"subj\" title=\"";
    const std::string_view subject = html::CutAtCharacter(Text(p, pc_.subject), 400);
    AppendEscaped(o, subject);
    o += "\">";
    AppendEscaped(o, subject.empty() ? std::string_view("(target)") : subject);
    o += "</span>";
    if (kind == "rate") {
      // A growth or ratio target: where the result stands against the target
      // on one axis that includes zero; the gap in percentage points.
      std::optional<double> gap = Number(p, pc_.gap_pp);
      if (!gap && target && actual) gap = *actual - *target;
      if (target && actual && std::isfinite(*target) && std::isfinite(*actual)) {
        const double lo = std::min({0.0, *target, *actual}), hi = std::max({0.0, *target, *actual});
        o += "<span class=\"bar\">";
        if (hi > lo) {
          const double zero = (0 - lo) / (hi - lo) * 100, at = (*actual - lo) / (hi - lo) * 100;
          const double tick = (*target - lo) / (hi - lo) * 100;
          o += "<i class=\"";
          o += *actual < 0 ? "neg" : (*actual >= *target ? "over" : "short");
          o += "\" style=\"left:" + Percent1(std::min(zero, at)) + "%;width:" + Percent1(std::fabs(at - zero)) +
               "%\"></i><b style=\"left:" + Percent1(std::min(tick, 99.5)) + "%\" title=\"target\"></b>";
        }
        o += "</span>";
      } else {
        o += "<span></span>";
      }
      o += "<span class=\"nums\">result <strong>";
      AppendEscaped(o, actual ? FormatQuantity(*actual, unit) : "—");
      o += "</strong> vs target ";
      AppendEscaped(o, target ? FormatQuantity(*target, unit) : "—");
      if (gap) {
        o += *gap < 0 ? " · <span class=\"gap-neg\">" : " · <span class=\"gap-pos\">";
        if (*gap > 0) o += "+";
        o += FormatNumber(std::round(*gap * 100) / 100);
        o += " pp</span>";
      }
      o += "</span></div>\n";
      return;
    }
    std::optional<double> pct = Number(p, pc_.progress_pct);
    if (!pct && target && actual && *target != 0) pct = *actual / *target * 100;
    o += "<span class=\"bar\">";
    if (pct && std::isfinite(*pct)) {
      o += "<i class=\"";
      o += *pct >= 100 ? "over" : (*pct < 0 ? "neg" : "");
      o += "\" style=\"left:0;width:" + Percent1(std::clamp(*pct, 0.0, 100.0)) + "%\"></i>";
    }
    o += "</span><span class=\"nums\"><strong>";
    o += pct ? FormatPercent(*pct) + "%" : "—";
    o += "</strong> of target · ";
    AppendEscaped(o, actual ? FormatQuantity(*actual, unit) : "—");
    o += " of ";
    AppendEscaped(o, target ? FormatQuantity(*target, unit) : "—");
    o += "</span></div>\n";
  }

  Status AppendAudit(std::string& o, const Document& doc, const std::string& anchor, std::optional<int64_t> item,
                     const Row* a) {
    const std::string_view verdict = Text(a, ac_.verdict);
    const auto stated = Number(a, ac_.stated_pct), computed = Number(a, ac_.computed_pct);
    const auto part = Number(a, ac_.part_value), whole = Number(a, ac_.whole_value);
    const std::string stated_s = stated ? FormatPercent(*stated) + "%" : "—";
    const std::string computed_s = computed ? FormatPercent(*computed) + "%" : "—";
    if (verdict == "mismatch") {
      ++audit_mismatch_;
      o += "<div class=\"audit mismatch\">✗ Stated <span class=\"nums\">";
      o += stated_s;
      o += "</span>, but its own figures give <span class=\"nums\">";
      o += computed_s;
      o += "</span>";
      if (part && whole) o += " (" + FormatNumber(*part) + " ÷ " + FormatNumber(*whole) + ")";
      const std::string_view text = Text(a, ac_.text);
      if (!text.empty()) {
        o += "<span class=\"why\">";
        AppendCut(o, text, 4000);
        o += "</span>";
      }
      o += "</div>\n";
      return NoteMismatch(doc, anchor, item, a);
    }
    CountAudit(verdict);
    if (verdict == "ok") {
      o += "<p class=\"audit ok\">✓ Stated <span class=\"nums\">" + stated_s + "</span> checks out (computed " +
           computed_s + ")</p>\n";
    } else {
      o += "<p class=\"audit unverifiable\">? Stated <span class=\"nums\">" + stated_s + "</span>: ";
      if (verdict == "unverifiable" || verdict.empty()) {
        o += "cannot be checked against figures the report gives";
      } else {
        o += "verdict ";
        AppendEscaped(o, html::CutAtCharacter(verdict, 100));
      }
      o += "</p>\n";
    }
    return OkStatus();
  }

  void AppendRepairs(std::string& o) {
    if (rows_.repairs.empty()) return;
    Tally kinds(64);
    for (const Row* r : rows_.repairs) kinds.Add(Text(r, rc_.kind));
    o += "<details class=\"more\"><summary>";
    o += FormatNumber(static_cast<double>(rows_.repairs.size()));
    o += rows_.repairs.size() == 1 ? " repair: " : " repairs: ";
    bool first = true;
    for (const auto& [k, n] : kinds.counts()) {
      o += first ? "" : " · ";
      AppendEscaped(o, html::CutAtCharacter(k, 60));
      o += " " + FormatNumber(static_cast<double>(n));
      first = false;
    }
    o += "</summary>\n<table class=\"rows compact\"><tr><th>kind</th><th>was</th><th>became</th><th class=\"n\">input "
         "bytes</th></tr>\n";
    size_t shown = 0;
    for (const Row* r : rows_.repairs) {
      if (max_list_rows_ && shown == max_list_rows_) break;
      ++shown;
      o += "<tr><td>";
      AppendEscaped(o, html::CutAtCharacter(Text(r, rc_.kind), 60));
      o += "</td><td class=\"t\">";
      AppendCut(o, Text(r, rc_.from_text), 400);
      o += "</td><td class=\"t\">";
      AppendReplacement(o, Text(r, rc_.to_text), 400);
      o += "</td><td class=\"n\">";
      auto b = Integer(r, rc_.raw_begin), e = Integer(r, rc_.raw_end);
      if (b && e) o += std::to_string(*b) + "–" + std::to_string(*e);
      o += "</td></tr>\n";
    }
    o += "</table>\n";
    if (shown < rows_.repairs.size())
      o += "<p class=\"note\">… and " + FormatNumber(static_cast<double>(rows_.repairs.size() - shown)) +
           " more (all are in the repairs table).</p>\n";
    o += "</details>\n";
  }

  static void AppendCell(std::string& o, const Value& v, size_t limit) {
    if (const auto* s = std::get_if<std::string>(&v)) {
      o += "<td class=\"t\">";
      const std::string_view shown = html::CutAtCharacter(*s, limit);
      AppendEscaped(o, shown);
      if (shown.size() < s->size()) o += "<span class=\"cut\"> …</span>";
    } else if (const auto* i = std::get_if<int64_t>(&v)) {
      o += "<td class=\"n\">" + std::to_string(*i);
    } else if (const auto* d = std::get_if<double>(&v)) {
      o += "<td class=\"n\">" + FormatNumber(*d);
    } else if (const auto* b = std::get_if<bool>(&v)) {
      o += *b ? "<td>true" : "<td>false";
    } else {
      o += "<td>";
    }
    o += "</td>";
  }

  // Any table the page has no special place for (a custom extractor's), as a
  // plain table: the report shows every row a stage wrote for the document.
  void AppendOtherTables(std::string& o) {
    if (rows_.other.empty()) return;
    std::stable_sort(rows_.other.begin(), rows_.other.end(),
                     [](const auto& a, const auto& b) { return a.first->schema.name < b.first->schema.name; });
    for (size_t i = 0; i < rows_.other.size();) {
      const TableInfo* t = rows_.other[i].first;
      size_t j = i;
      while (j < rows_.other.size() && rows_.other[j].first == t) ++j;
      AppendGenericTable(o, *t, rows_.other, i, j);
      i = j;
    }
  }

  void AppendGenericTable(std::string& o, const TableInfo& t,
                          const std::vector<std::pair<const TableInfo*, const Row*>>& rows, size_t from, size_t to) {
    const int skip = t.Col("doc_id");
    o += "<details class=\"more\"><summary>";
    AppendEscaped(o, t.schema.name);
    o += ": " + FormatNumber(static_cast<double>(to - from)) + (to - from == 1 ? " row" : " rows");
    o += "</summary>\n<table class=\"rows\"><tr>";
    for (size_t c = 0; c < t.schema.columns.size(); ++c) {
      if (static_cast<int>(c) == skip) continue;
      o += "<th title=\"";
      AppendEscaped(o, t.schema.columns[c].doc);
      o += "\">";
      AppendEscaped(o, t.schema.columns[c].name);
      o += "</th>";
    }
    o += "</tr>\n";
    size_t shown = 0;
    for (size_t r = from; r < to; ++r) {
      if (max_list_rows_ && shown == max_list_rows_) break;
      ++shown;
      o += "<tr>";
      const Row& row = *rows[r].second;
      for (size_t c = 0; c < row.cells.size() && c < t.schema.columns.size(); ++c)
        if (static_cast<int>(c) != skip)
          AppendCell(o, row.cells[c], max_text_ ? std::min<size_t>(max_text_, 2000) : 2000);
      o += "</tr>\n";
    }
    o += "</table>\n";
    if (shown < to - from)
      o += "<p class=\"note\">… and " + FormatNumber(static_cast<double>(to - from - shown)) + " more.</p>\n";
    o += "</details>\n";
  }

  // --- the summary ---------------------------------------------------------

  static std::string Count(uint64_t n) { return html::FormatCount(n); }

  void AppendCard(std::string& o, uint64_t n, std::string_view label, bool alert = false) {
    o += alert && n ? "<div class=\"card alert\"><b>" : "<div class=\"card\"><b>";
    o += Count(n);
    o += "</b><span>";
    o += label;
    o += "</span></div>";
  }

  // Whether the kept documents so far are more than max_documents: the
  // current one is written brief, and the summary says some were.
  bool PastMaxDocuments() const { return max_documents_ != 0 && kept_ > max_documents_; }
  bool PastMaxListed() const { return max_listed_ != 0 && kept_ > max_listed_; }

  // The verdicts other than mismatch, for the summary's sentence on them.
  void CountAudit(std::string_view verdict) { ++(verdict == "ok" ? audit_ok_ : audit_other_); }

  Status WriteSummary(const std::vector<TableRow>& final_rows) {
    const Row* run = nullptr;
    std::vector<std::pair<const TableInfo*, const Row*>> others;
    for (const TableRow& r : final_rows) {
      const TableInfo* t = Find(r.table);
      if (t == nullptr) continue;
      if (t->kind == Kind::kRuns && run == nullptr) {
        run = &r.row;
      } else {
        others.emplace_back(t, &r.row);
      }
    }

    std::string& o = out_;
    o.clear();
    if (kept_ == 0) o += "<p class=\"note\">No document was kept.</p>\n";
    o += "</main>\n<section id=\"summary\">\n<header>\n<h1>";
    AppendEscaped(o, PageTitle());
    o += "</h1>\n<p class=\"runline\">";
    std::string_view pipeline = run ? Text(run, run_c_.pipeline) : std::string_view();
    if (pipeline.empty()) pipeline = pipeline_;
    if (!pipeline.empty()) {
      o += "Pipeline <b>";
      AppendEscaped(o, pipeline);
      o += "</b> · ";
    }
    o += "lode <b>";
    const std::string_view version = run ? Text(run, run_c_.lode_version) : std::string_view();
    AppendEscaped(o, version.empty() ? std::string_view(LODE_VERSION_STRING) : version);
    o += "</b>";
    if (const std::string_view at = Text(run, run_c_.started_at); !at.empty()) {
      o += " · started ";
      AppendEscaped(o, at);
    }
    if (auto s = Number(run, run_c_.seconds))
      o += " · " + FormatNumber(*s < 10 ? std::round(*s * 100) / 100 : std::round(*s * 10) / 10) + " s";
    if (auto t = Integer(run, run_c_.threads)) o += " · " + std::to_string(*t) + (*t == 1 ? " thread" : " threads");
    if (auto b = Number(run, run_c_.bytes)) o += " · " + FormatNumber(std::round(*b / 1e4) / 100) + " MB read";
    o += "</p>\n</header>\n<div class=\"cards\">";
    uint64_t total = documents_;
    if (auto n = Integer(run, run_c_.documents); n && *n >= 0) total = std::max<uint64_t>(total, *n);
    AppendCard(o, total, "documents");
    AppendCard(o, kept_, "kept");
    AppendCard(o, duplicates_, "duplicates dropped");
    AppendCard(o, quarantined_, "quarantined", true);
    if (has_items_) AppendCard(o, items_, "items");
    if (has_metrics_) AppendCard(o, figures_, "figures");
    if (has_progress_) AppendCard(o, pairs_, "paired targets");
    if (has_audits_) AppendCard(o, audit_mismatch_, "audit mismatches", true);
    if (has_repairs_) AppendCard(o, repair_kinds_.total(), "repairs");
    if (has_warnings_ && warnings_) AppendCard(o, warnings_, "warnings");
    o += "</div>\n";

    o += "<div class=\"controls\" id=\"controls\" hidden><button type=\"button\" data-act=\"open\">Expand all</button>"
         "<button type=\"button\" data-act=\"close\">Collapse all</button>";
    if (has_audits_) o += "<label><input type=\"checkbox\" id=\"only-bad\"> only items with audit mismatches</label>";
    o += "<input type=\"search\" id=\"find\" placeholder=\"Find a document by name…\" aria-label=\"Find a document\">"
         "</div>\n";
    if (has_metrics_)
      o += "<p class=\"legend\">In the text: <mark class=\"r-target\">target</mark><mark "
           "class=\"r-actual\">result</mark>"
           "<mark class=\"r-rate\">rate</mark><mark class=\"r-rank\">rank</mark><mark class=\"r-other\">other "
           "figure</mark>"
           " — point at a figure for its value in the canonical unit. Bars: the share of a count target reached; for "
           "a rate, the result on a scale from zero, with the target as a black tick. " +
           Count(marks_placed_) + " of " + Count(figures_detailed_) +
           " figures were found in their item's text; the others are listed under their item.</p>\n";
    if (PastMaxDocuments())
      o += "<p class=\"note\">Items and figures are shown for the first " + Count(max_documents_) + " of the " +
           Count(kept_) +
           " kept documents (max_documents); the others show their counts and audit mismatches. Every row is in "
           "the run's tables.</p>\n";
    if (PastMaxListed())
      o += "<p class=\"note\">" + Count(kept_ - max_listed_) +
           " kept documents after the first " + Count(max_listed_) +
           " are counted above but not listed (max_listed): the page stays one a browser opens however large the "
           "corpus. The documents table lists them all.</p>\n";
    LODE_RETURN_IF_ERROR(file_->Write(o));

    if (has_audits_) {
      o.clear();
      o += "<section class=\"block\" id=\"mismatches\"><h2>Audit mismatches: " + Count(audit_mismatch_) + "</h2>\n";
      o += "<p class=\"note\">Percentages a report states (完成…的60.4%) that its own figures do not give. " +
           Count(audit_ok_) + " stated percentages check out; " + Count(audit_other_) +
           " cannot be checked against figures the report gives.</p>\n";
      LODE_RETURN_IF_ERROR(WriteList(o, mismatch_list_,
                                     "<tr><th>document</th><th class=\"n\">item</th><th class=\"n\">stated</th>"
                                     "<th class=\"n\">computed</th><th>sentence</th></tr>\n",
                                     "audits"));
      o += "</section>\n";
      LODE_RETURN_IF_ERROR(file_->Write(o));
    }

    LODE_RETURN_IF_ERROR(file_->Write("<div class=\"blocks\">\n"));
    if (has_duplicates_ || duplicates_) {
      o.clear();
      o += "<section class=\"block\" id=\"duplicates\"><h2>Duplicates: " + Count(duplicates_) +
           " dropped</h2>\n<p class=\"note\">" +
           (duplicates_ == 0   ? std::string("No document was dropped as a copy of another")
            : duplicates_ == 1 ? std::string("1 document was dropped as a copy of another")
                               : Count(duplicates_) + " documents were dropped as copies of others") +
           "; copies pasted twice inside a page were cut out of it.</p>\n";
      AppendKinds(o, duplicate_kinds_,
                  {{"repeat", "pasted twice in one page"},
                   {"exact", "identical text"},
                   {"near", "near copy"},
                   {"revision", "same report, other figures: kept"}});
      LODE_RETURN_IF_ERROR(WriteList(o, duplicate_list_,
                                     "<tr><th>document</th><th>kind</th><th>copy of</th><th class=\"n\">similarity</th>"
                                     "<th>reason</th></tr>\n",
                                     "duplicates"));
      o += "</section>\n";
      LODE_RETURN_IF_ERROR(file_->Write(o));
    }

    if (has_repairs_) {
      o.clear();
      o += "<section class=\"block\" id=\"repairs\"><h2>Repairs: " + Count(repair_kinds_.total()) + "</h2>\n";
      o += "<p class=\"note\">Changes cleaning made to the text, each traceable to the input bytes (repairs "
           "table).</p>\n";
      AppendKinds(o, repair_kinds_,
                  {{"lookalike", "look-alike characters"},
                   {"traditional", "traditional → simplified"},
                   {"keyword", "keyword stuffing"},
                   {"chrome", "page chrome"},
                   {"suspect", "suspect, left as is"},
                   {"invalid", "undecodable bytes"}});
      if (repair_pairs_.size()) AppendTopRepairs(o);
      o += "</section>\n";
      LODE_RETURN_IF_ERROR(file_->Write(o));
    }

    o.clear();
    o += quarantined_ ? "<section class=\"block wide\" id=\"quarantined\">"
                      : "<section class=\"block\" id=\"quarantined\">";
    o += "<h2>Quarantined: " + Count(quarantined_) + "</h2>\n";
    if (quarantine_list_.entries()) {
      o += "<p class=\"note\">Documents that could not be processed; the run went on without them.</p>\n";
      LODE_RETURN_IF_ERROR(
          WriteList(o, quarantine_list_, "<tr><th>document</th><th>source</th><th>reason</th></tr>\n", "documents"));
    } else {
      o += "<p class=\"note\">Every document was read and processed.</p>\n";
    }
    o += "</section>\n</div>\n";

    if (!others.empty()) {
      o += "<section class=\"block\" id=\"final-rows\"><h2>Rows written at the end of the run</h2>\n";
      std::stable_sort(others.begin(), others.end(),
                       [](const auto& a, const auto& b) { return a.first->schema.name < b.first->schema.name; });
      for (size_t i = 0; i < others.size();) {
        size_t j = i;
        while (j < others.size() && others[j].first == others[i].first) ++j;
        AppendGenericTable(o, *others[i].first, others, i, j);
        i = j;
      }
      o += "</section>\n";
    }
    o += "</section>\n</div>\n<script nonce=\"" + nonce_ + "\">";
    o += html::kScript;
    o += "</script>\n</body>\n</html>\n";
    return file_->Write(o);
  }

  // A spooled list as a table: its first entries in view, the others behind
  // a <details> that says how many. Writes `o` first; leaves it empty.
  // `table`: the run's table that holds every entry, named when some are not listed.
  Status WriteList(std::string& o, Spool& list, std::string_view header, std::string_view table) {
    if (list.entries() > list.rest()) {
      o += "<table class=\"rows\">";
      o += header;
      LODE_RETURN_IF_ERROR(file_->Write(o));
      LODE_RETURN_IF_ERROR(list.CopyHead(*file_));
      o = "</table>\n";
    }
    if (list.rest()) {
      o += "<details class=\"more\"><summary>";
      o += list.rest() == list.entries() ? "All " + Count(list.rest()) : Count(list.rest()) + " more";
      o += "</summary>\n<table class=\"rows\">";
      o += header;
      LODE_RETURN_IF_ERROR(file_->Write(o));
      LODE_RETURN_IF_ERROR(list.CopyRest(*file_));
      o = "</table></details>\n";
    }
    if (list.unlisted())
      o += "<p class=\"note\">" + Count(list.unlisted()) + " more not listed (max_listed); the " +
           std::string(table) + " table has every one.</p>\n";
    LODE_RETURN_IF_ERROR(file_->Write(o));
    o.clear();
    return OkStatus();
  }

  void AppendKinds(std::string& o, const Tally& t,
                   std::initializer_list<std::pair<std::string_view, std::string_view>> gloss) {
    if (t.counts().empty()) return;
    o += "<ul class=\"kinds\">";
    for (const auto& [k, n] : t.counts()) {
      o += "<li><b>" + Count(n) + "</b> ";
      AppendEscaped(o, html::CutAtCharacter(k, 60));
      for (const auto& [name, meaning] : gloss)
        if (name == k) {
          o += " <span class=\"note\">(";
          o += meaning;
          o += ")</span>";
        }
      o += "</li>";
    }
    if (t.others()) o += "<li><b>" + Count(t.others()) + "</b> other kinds</li>";
    o += "</ul>\n";
  }

  void AppendTopRepairs(std::string& o) {
    std::vector<std::pair<uint64_t, const std::string*>> top;
    for (const auto& [k, n] : repair_pairs_.counts()) top.emplace_back(n, &k);
    const size_t shown = std::min<size_t>(top.size(), 200);
    std::partial_sort(top.begin(), top.begin() + shown, top.end(), [](const auto& a, const auto& b) {
      return a.first != b.first ? a.first > b.first : *a.second < *b.second;
    });
    o += "<details class=\"more\"><summary>The " + Count(shown) + " most frequent of " +
         (repair_pairs_.others() ? "more than " : "") + Count(repair_pairs_.size()) +
         " distinct repairs</summary>\n<table class=\"rows compact\"><tr><th>kind</th><th>was</th><th>became</th><th "
         "class=\"n\">times</th>"
         "</tr>\n";
    for (size_t i = 0; i < shown; ++i) {
      const std::string& key = *top[i].second;
      const size_t a = key.find('\x1F'), b = key.find('\x1F', a + 1);
      o += "<tr><td>";
      AppendEscaped(o, std::string_view(key).substr(0, a));
      o += "</td><td class=\"t\">";
      AppendEscaped(o, std::string_view(key).substr(a + 1, b - a - 1));
      o += "</td><td class=\"t\">";
      AppendReplacement(o, std::string_view(key).substr(b + 1), 0);
      o += "</td><td class=\"n\">" + Count(top[i].first) + "</td></tr>\n";
    }
    o += "</table></details>\n";
  }

  // Configuration.
  std::string path_, title_;
  int64_t expanded_;
  uint64_t max_documents_, max_listed_;
  size_t max_text_, max_list_rows_;

  // Set up at Open.
  std::string pipeline_, nonce_;
  std::vector<std::unique_ptr<TableInfo>> tables_;
  std::unordered_map<std::string, const TableInfo*> index_;
  bool has_items_ = false, has_metrics_ = false, has_progress_ = false, has_audits_ = false, has_repairs_ = false,
       has_duplicates_ = false, has_warnings_ = false;
  ItemCols ic_;
  MetricCols mc_;
  ProgressCols pc_;
  AuditCols ac_;
  RepairCols rc_;
  DuplicateCols dc_;
  DocumentCols doc_c_;
  RunCols run_c_;
  std::unique_ptr<AtomicFile> file_;
  bool committed_ = false;

  // Scratch space, reused from one document to the next.
  DocRows rows_;
  std::vector<ItemRows> item_rows_;
  ItemRows outside_;
  std::unordered_map<int64_t, size_t> first_with_number_;
  std::vector<Mark> marks_;
  std::string out_, line_;

  // The summary: counters, bounded tallies and the spooled lists.
  uint64_t documents_ = 0, kept_ = 0, duplicates_ = 0, quarantined_ = 0;
  uint64_t items_ = 0, figures_ = 0, marks_placed_ = 0, figures_detailed_ = 0, pairs_ = 0, warnings_ = 0;
  uint64_t audit_ok_ = 0, audit_mismatch_ = 0, audit_other_ = 0;
  Tally repair_kinds_{64}, duplicate_kinds_{64}, repair_pairs_{20000};
  // In view: the first ten mismatches and quarantined documents; duplicates
  // all behind their <details>, as they matter less to a reader.
  Spool mismatch_list_{10}, duplicate_list_{0}, quarantine_list_{10};
};

Status Register(Registry& registry) {
  StageInfo info;
  info.name = "export.html";
  info.summary = "A self-contained HTML report of the run, for reading in a browser.";
  info.doc =
      "One HTML file with no external assets (inline CSS, a few lines of optional script): a summary of the run "
      "(documents kept, dropped as duplicates and quarantined, with reasons; audit mismatches; repairs by kind), "
      "then the kept documents (the first max_documents with their items, the others up to max_listed with "
      "their counts and audit mismatches): items with part and section headings, number, target, responsible "
      "units and status, the figures marked in the text (hover for the canonical value and unit), a progress bar "
      "for every paired target and the audit of every stated percentage, mismatches in red with both numbers. "
      "Tables that the pipeline does not write are left out; other tables are shown as plain tables per document. "
      "Written as the documents arrive: memory does not grow with the corpus, and with max_listed neither does "
      "the page.";
  info.kind = StageKind::kSink;
  info.params = {
      ParamSpec::Path("path", "{out}/report.html", "The report file. Its folder is created if missing."),
      ParamSpec::String("title", "", "The page's title; empty: \"lode report: <pipeline name>\"."),
      ParamSpec::Int("expanded", 25,
                     "How many documents are shown open when the page loads; later ones show only their heading "
                     "line until clicked (keeps a large report quick to open).")
          .Min(0),
      ParamSpec::Int("max_documents", 100,
                     "How many kept documents are shown with their items, figures and pairs; later ones show their "
                     "heading line (counts), source and audit mismatches only. Keeps the page one a browser opens "
                     "(the seed page alone makes a 150 KB report). 0: no limit.")
          .Min(0),
      ParamSpec::Size("max_text", 64 * 1024,
                      "Longest text shown for one cell (an item's target or status, a sentence), in bytes; longer "
                      "text is cut at a character boundary with a note of how much was left out. 0: no limit.")
          .Min(0),
      ParamSpec::Int("max_listed", 2000,
                     "Most entries in each of the page's lists: kept documents (the first max_documents in full, "
                     "the others as their heading line), audit mismatches, duplicates, quarantined documents. "
                     "Later ones are counted, not listed; every one is in the run's tables. 0: no limit.")
          .Min(0),
      ParamSpec::Int("max_list_rows", 200,
                     "Most rows listed per document for repairs and for tables the page has no place for; the "
                     "rest are counted. 0: no limit.")
          .Min(0),
  };
  info.make_sink = [](const Config& c, const SetupContext&) -> StatusOr<std::unique_ptr<Sink>> {
    return std::unique_ptr<Sink>(new ExportHtml(c));
  };
  return registry.Add(std::move(info));
}

}  // namespace

LODE_PLUGIN(export_html, "export.html", LODE_VERSION_STRING, "Writes a self-contained HTML report.", Register)
