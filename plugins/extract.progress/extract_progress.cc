// extract.progress: targets paired with the results reported for them, and
// every percentage a report states about its own numbers recomputed. Reads the
// `metrics` rows of extract.metrics and its `figure` spans; see README.md.
#include <algorithm>
#include <array>
#include <atomic>
#include <charconv>
#include <cmath>
#include <cstring>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "lode/core_tables.h"
#include "lode/data_file.h"
#include "lode/numbers.h"
#include "lode/plugin.h"

namespace lode::progress {
namespace {

constexpr size_t npos = std::string_view::npos;

// A figure as extract.metrics left it: its `metrics` row, and the `figure`
// span that marks it (kind, multiplier, decimals, sentence, the whole of a
// share). Text fields are views into the row and the span, valid during Process.
struct Fig {
  size_t begin = 0, end = 0;
  std::optional<int64_t> item;
  std::string_view field, role, kind, canonical_unit, subject, predicate;
  double value = 0, multiplier = 1, canonical_value = 0;
  // The number in the unit the report wrote, multiplier applied: 45900 for
  // 4.59万平方米, 2.55 for 2.55亩 (audits report the part and whole so).
  double Stated() const { return ScaleDecimal(value, decimals, multiplier); }
  int decimals = 0;
  size_t sentence = 0;
  size_t base_begin = npos, base_end = npos;
  // The words the pairing and the audit test over and over, tested once.
  bool target_field = false, status_field = false;          // field: target (the item's own text), status
  bool target = false, actual = false, rate = false;        // role
  bool quantity = false, percent = false, points = false;  // kind: quantity, percent, pp
  bool rate_unit = false;                                   // canonical unit % or pp
  bool growth = false;                                      // a rate whose predicate states growth (增长, 下降…)
  void Classify();
};

double ToDouble(std::string_view s) {
  double v = 0;
  std::from_chars(s.data(), s.data() + s.size(), v);
  return v;
}

// The decimal digits of s as a number (what extract.metrics wrote; 0 for none).
size_t ToSize(std::string_view s) {
  size_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') break;
    v = v * 10 + size_t(c - '0');
  }
  return v;
}

// k == word, for a word known at compile time: no call to memcmp.
template <size_t N>
bool Is(std::string_view k, const char (&word)[N]) {
  return k.size() == N - 1 && std::memcmp(k.data(), word, N - 1) == 0;
}

void Fig::Classify() {
  target_field = Is(field, "target");
  status_field = Is(field, "status");
  target = Is(role, "target");
  actual = Is(role, "actual");
  rate = Is(role, "rate");
  quantity = Is(kind, "quantity");
  percent = Is(kind, "percent");
  points = Is(kind, "pp");
  rate_unit = Is(canonical_unit, "%") || Is(canonical_unit, "pp");
}

// Where the columns extract.progress reads are in a metrics row.
struct MetricsColumns {
  int item, field, role, subject, predicate, value, canonical_value, canonical_unit;
  MetricsColumns() {
    const TableSchema& t = MetricsTable();
    item = t.ColumnIndex("item");
    field = t.ColumnIndex("field");
    role = t.ColumnIndex("role");
    subject = t.ColumnIndex("subject");
    predicate = t.ColumnIndex("predicate");
    value = t.ColumnIndex("value");
    canonical_value = t.ColumnIndex("canonical_value");
    canonical_unit = t.ColumnIndex("canonical_unit");
  }
};

std::string_view TextCell(const Row& r, int c) {
  const auto* s = std::get_if<std::string>(&r.cells[size_t(c)]);
  return s ? std::string_view(*s) : std::string_view();
}

double RealCell(const Row& r, int c) {
  const Value& v = r.cells[size_t(c)];
  if (const auto* d = std::get_if<double>(&v)) return *d;
  if (const auto* i = std::get_if<int64_t>(&v)) return double(*i);
  return 0;
}

// The figure of span `s`, into a new `f` (in place: a Fig is 200 bytes, and
// returning one copied it twice); false when the span names no metrics row.
bool FromSpan(const Span& s, const std::vector<const Row*>& rows, Fig& f) {
  static const MetricsColumns col;
  f.begin = s.begin;
  f.end = s.end;
  const Row* row = nullptr;
  for (const auto& [key, v] : s.attributes) {
    std::string_view k = key;
    if (Is(k, "row")) {
      size_t i = ToSize(v);
      if (i < rows.size()) row = rows[i];
    } else if (Is(k, "kind")) {
      f.kind = v;
    } else if (Is(k, "multiplier")) {
      f.multiplier = ToDouble(v);
    } else if (Is(k, "decimals")) {
      f.decimals = int(ToSize(v));
    } else if (Is(k, "sentence")) {
      f.sentence = ToSize(v);
    } else if (Is(k, "base_begin")) {
      f.base_begin = ToSize(v);
    } else if (Is(k, "base_end")) {
      f.base_end = ToSize(v);
    }
  }
  if (row == nullptr) return false;
  if (const auto* i = std::get_if<int64_t>(&row->cells[size_t(col.item)])) f.item = *i;
  f.field = TextCell(*row, col.field);
  f.role = TextCell(*row, col.role);
  f.subject = TextCell(*row, col.subject);
  f.predicate = TextCell(*row, col.predicate);
  f.canonical_unit = TextCell(*row, col.canonical_unit);
  f.value = RealCell(*row, col.value);
  f.canonical_value = RealCell(*row, col.canonical_value);
  f.Classify();
  return true;
}

// The last `n` characters of UTF-8 text.
std::string_view Tail(std::string_view s, int n) {
  size_t i = s.size();
  for (int k = 0; k < n && i > 0; ++k) {
    --i;
    while (i > 0 && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) --i;
  }
  return s.substr(i);
}

// How surely two subjects name the same thing: 3 the same, 2 one contains the
// other (担保贷款 / 创业担保贷款), 1 they end alike (住房租赁补贴 / 公租房货币化补贴),
// 0 unrelated or unknown.
int SubjectMatch(std::string_view a, std::string_view b) {
  if (a.empty() || b.empty()) return 0;
  if (a == b) return 3;
  if (a.find(b) != npos || b.find(a) != npos) return 2;
  std::string_view ta = Tail(a, 2), tb = Tail(b, 2);
  if (ta.size() >= 6 && b.find(ta) != npos) return 1;
  if (tb.size() >= 6 && a.find(tb) != npos) return 1;
  return 0;
}

struct Rules {
  std::vector<std::string> growth, target_words, done;
};

// a == b, the last bytes compared first: short Chinese words of one length
// share their lead bytes, and a call to memcmp for each costs more than the test.
bool Same(std::string_view a, std::string_view b) {
  return a.size() == b.size() && (a.empty() || (a.back() == b.back() && a == b));
}

bool Contains(const std::vector<std::string>& words, std::string_view w) {
  for (const std::string& x : words)
    if (Same(x, w)) return true;
  return false;
}

StatusOr<std::shared_ptr<const Rules>> LoadRules(const std::string& path) {
  LODE_ASSIGN_OR_RETURN(DataNode root, LoadDataFile(path));
  if (!root.is_map()) return root.Error("expected growth_predicates, target_words and done_predicates");
  auto rules = std::make_shared<Rules>();
  for (const auto& [key, value] : root.entries()) {
    std::vector<std::string>* into = key.scalar() == "growth_predicates" ? &rules->growth
                                     : key.scalar() == "target_words"    ? &rules->target_words
                                     : key.scalar() == "done_predicates" ? &rules->done
                                                                         : nullptr;
    if (into == nullptr)
      return key.Error("unknown section '" + key.scalar() +
                       "' (expected growth_predicates, target_words, done_predicates)");
    if (!value.is_list()) return value.Error("expected a list of words");
    for (const DataNode& w : value.items()) {
      if (!w.is_scalar() || w.scalar().empty()) return w.Error("expected a word");
      into->push_back(w.scalar());
    }
  }
  return std::shared_ptr<const Rules>(std::move(rules));
}

constexpr std::string_view kSentenceBreaks[] = {";", "!", "?", "\n", "。", "；", "！", "？"};

// The first bytes of kSentenceBreaks: a scan for a break tests one table entry
// per byte and compares only where one may start.
constexpr std::array<bool, 256> kMayStartBreak = [] {
  std::array<bool, 256> t{};
  for (std::string_view b : kSentenceBreaks) t[static_cast<unsigned char>(b[0])] = true;
  return t;
}();

// Whether a sentence break starts at s[i], and its length.
inline bool IsSentenceBreak(std::string_view s, size_t i, size_t& len) {
  if (!kMayStartBreak[static_cast<unsigned char>(s[i])]) return false;
  for (std::string_view b : kSentenceBreaks)
    if (b[0] == s[i] && s.compare(i, b.size(), b) == 0) {
      len = b.size();
      return true;
    }
  return false;
}

std::string Percent(double v) {
  char buf[400];  // the longest double in full
  std::string s(buf, std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed, 2).ptr);
  while (!s.empty() && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s + "%";
}

struct Mismatch {
  uint64_t sequence;
  std::string doc;
  int64_t item;
  double stated, computed;
};

class ExtractProgress final : public Transform {
 public:
  ExtractProgress(std::shared_ptr<const Rules> rules, bool pairs, bool audits)
      : rules_(std::move(rules)), pairs_(pairs), audits_(audits) {}

  Status Process(Document& doc) override {
    const size_t rows_before = doc.rows.size();
    Status s = Extract(doc);
    // Counted for the run summary (locally first: the counters are shared by all threads).
    uint64_t pairs = 0, audits = 0;
    for (size_t i = rows_before; i < doc.rows.size(); ++i) {
      if (Is(doc.rows[i].table, "progress")) ++pairs;
      else if (Is(doc.rows[i].table, "audits")) ++audits;
    }
    pairs_written_ += pairs;
    audits_written_ += audits;
    return s;
  }

  Status Extract(Document& doc) {
    std::vector<const Row*> rows;
    rows.reserve(doc.rows.size());
    for (const TableRow& r : doc.rows)
      if (Is(r.table, "metrics")) rows.push_back(&r.row);
    if (rows.empty()) return OkStatus();
    std::vector<Fig> figs;
    figs.reserve(rows.size());
    for (const Span& s : doc.spans) {
      if (!Is(s.kind, "figure")) continue;
      if (Fig& f = figs.emplace_back(); FromSpan(s, rows, f)) {
        f.growth = f.rate_unit && Contains(rules_->growth, f.predicate);  // read for rates only
      } else {
        figs.pop_back();
      }
    }
    auto by_place = [](const Fig& a, const Fig& b) { return a.begin < b.begin; };
    if (!std::is_sorted(figs.begin(), figs.end(), by_place)) std::stable_sort(figs.begin(), figs.end(), by_place);
    // Items are contiguous stretches of figures with the same `item`.
    for (size_t b = 0; b < figs.size();) {
      size_t e = b + 1;
      while (e < figs.size() && figs[e].item == figs[b].item) ++e;
      if (figs[b].item) {
        std::vector<const Fig*> item;
        for (size_t k = b; k < e; ++k) item.push_back(&figs[k]);
        if (pairs_) Pair(doc, item);
        if (audits_) Audit(doc, item);
      }
      b = e;
    }
    return OkStatus();
  }

  std::vector<std::string> Summary() const override {
    std::vector<Mismatch> first;
    uint64_t count;
    bool one_doc;
    {
      std::lock_guard<std::mutex> lock(mu_);
      first = first_;
      count = mismatch_count_;
      one_doc = one_doc_;
    }
    // The count always, so that a clean run says so (0 mismatches) in the
    // summary a user reads first.
    std::vector<std::string> lines = {std::to_string(pairs_written_.load()) + " targets paired with results, " +
                                      std::to_string(audits_written_.load()) + " stated percentages audited, " +
                                      std::to_string(count) + (count == 1 ? " mismatch" : " mismatches")};
    if (count == 0) return lines;
    std::string line = std::to_string(count) + (count == 1 ? " audit mismatch: " : " audit mismatches: ");
    for (size_t i = 0; i < first.size(); ++i) {
      const Mismatch& m = first[i];
      if (i) line += ", ";
      line += (one_doc ? "" : m.doc + " ") + "item " + std::to_string(m.item) + " (" + Percent(m.stated) + " stated, " +
              Percent(m.computed) + " computed)";
    }
    if (count > first.size()) line += ", … (the audits table lists them all)";
    lines.push_back(line);
    return lines;
  }

 private:

  // The best-matching pairs are made first, whichever target comes first:
  // 推进190个区级重大项目建设 must not take the result that shares one word
  // with it when the next target, 中勘大厦等16个项目, names it.
  void Pair(Document& doc, const std::vector<const Fig*>& item) const {
    struct Candidate {
      int score;
      size_t target, result;
    };
    std::vector<Candidate> candidates;
    for (size_t i = 0; i < item.size(); ++i) {
      const Fig* t = item[i];
      if (!t->target_field || !t->target) continue;
      if (!t->quantity && !t->percent && !t->points) continue;
      for (size_t k = 0; k < item.size(); ++k) {
        const Fig* a = item[k];
        if (!a->status_field || !a->actual) continue;
        // The same kind (t is a quantity, a percent or points) and unit.
        if (a->quantity != t->quantity || a->percent != t->percent || a->points != t->points) continue;
        if (!Same(a->canonical_unit, t->canonical_unit)) continue;
        int subject = SubjectMatch(t->subject, a->subject);
        if (subject == 0) continue;
        // A growth target is met by growth, a level by a level.
        if (t->rate_unit && t->growth != a->growth) continue;
        int score = subject * 4;
        if (!t->predicate.empty() && Same(t->predicate, a->predicate)) score += 2;
        if (Contains(rules_->done, a->predicate)) score += 1;
        candidates.push_back({score, i, k});
      }
    }
    // Ties go to the earlier target, then the earlier result.
    std::stable_sort(candidates.begin(), candidates.end(),
                     [](const Candidate& x, const Candidate& y) { return x.score > y.score; });
    std::vector<size_t> result_of(item.size(), npos);
    std::vector<bool> used(item.size(), false);
    for (const Candidate& c : candidates) {
      if (result_of[c.target] != npos || used[c.result]) continue;
      result_of[c.target] = c.result;
      used[c.result] = true;
    }
    for (size_t i = 0; i < item.size(); ++i) {
      if (result_of[i] == npos) continue;
      const Fig* t = item[i];
      const Fig* a = item[result_of[i]];
      const bool rate = t->rate_unit;
      Value progress_pct, gap_pp;
      if (rate) {
        gap_pp = Round(a->canonical_value - t->canonical_value);
      } else if (t->canonical_value != 0) {
        progress_pct = Round(a->canonical_value / t->canonical_value * 100);
      }
      // Cells are made in place: a braced list would copy every string once more.
      std::vector<Value> cells;
      cells.reserve(9);
      cells.emplace_back(doc.id);
      cells.emplace_back(*t->item);
      cells.emplace_back(std::in_place_type<std::string>, t->subject);
      cells.emplace_back(std::in_place_type<std::string>, rate ? "rate" : "count");
      cells.emplace_back(t->canonical_value);
      cells.emplace_back(a->canonical_value);
      cells.emplace_back(std::in_place_type<std::string>, t->canonical_unit);
      cells.push_back(std::move(progress_pct));
      cells.push_back(std::move(gap_pp));
      doc.AddRow("progress", std::move(cells));
    }
  }

  // The candidates for the whole of a stated percentage, best first.
  std::vector<const Fig*> Wholes(const std::vector<const Fig*>& item, size_t rate_index, const Fig* part,
                                 const Fig& rate) const {
    std::vector<const Fig*> inside, plans, targets;
    for (size_t k = 0; k < item.size(); ++k) {
      const Fig* f = item[k];
      if (f == part || !f->quantity) continue;
      if (part && f->canonical_unit != part->canonical_unit) continue;
      if (rate.base_begin != npos) {
        if (f->begin >= rate.base_begin && f->end <= rate.base_end) inside.push_back(f);
      } else if (k < rate_index && f->field == rate.field && f->target) {
        plans.push_back(f);
      }
      if (f->target_field && f->target) targets.push_back(f);
    }
    if (!inside.empty()) return inside;
    // Nearest plan first, a plan of the same subject before any other.
    std::reverse(plans.begin(), plans.end());
    if (part)
      std::stable_sort(plans.begin(), plans.end(), [&](const Fig* a, const Fig* b) {
        return (SubjectMatch(a->subject, part->subject) >= 2) > (SubjectMatch(b->subject, part->subject) >= 2);
      });
    return rate.base_begin == npos ? Concat(plans, targets) : targets;
  }

  static std::vector<const Fig*> Concat(std::vector<const Fig*> a, const std::vector<const Fig*>& b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
  }

  void Audit(Document& doc, const std::vector<const Fig*>& item) {
    const std::string& text = doc.text;
    for (size_t i = 0; i < item.size(); ++i) {
      const Fig& r = *item[i];
      if (!r.rate || !r.percent) continue;
      // The part: the nearest figure before it in its field; for a share
      // whose whole is stated (占全年任务111.33万平方米的64.4%), one measured
      // like the whole; for a completion rate, the nearest result.
      std::string inside_unit;
      if (r.base_begin != npos)
        for (const Fig* w : item)
          if (w->begin >= r.base_begin && w->end <= r.base_end && w->quantity) {
            inside_unit = w->canonical_unit;
            break;
          }
      const Fig* part = nullptr;
      const size_t before = r.base_begin != npos ? r.base_begin : r.begin;
      for (size_t k = i; k-- > 0;) {
        const Fig* f = item[k];
        if (f->field != r.field || !f->quantity || f->end > before) continue;
        if (r.base_begin != npos ? (inside_unit.empty() || f->canonical_unit == inside_unit) : f->actual) {
          part = f;
          break;
        }
      }
      std::vector<const Fig*> wholes;
      if (part) {
        wholes = Wholes(item, i, part, r);
        // Wholes of the part's own subject, when there are any, are the only
        // readings: another figure of the same unit (书院湿地等24个 beside
        // 口袋公园27个) could agree with a wrong percentage by chance.
        std::vector<const Fig*> related;
        for (const Fig* w : wholes)
          if (SubjectMatch(w->subject, part->subject) >= 2) related.push_back(w);
        if (!related.empty()) wholes = std::move(related);
        if (r.base_begin != npos && !wholes.empty() && wholes[0]->target_field) {
          // A share of a whole the report names only in words: its own target
          // when the words say so ("完成年度目标任务的60.4%"), else unstated ("年初预算").
          std::string_view words(text.data() + r.base_begin, r.base_end - r.base_begin);
          bool says_target = false;
          for (const std::string& w : rules_->target_words) says_target |= words.find(w) != npos;
          if (!says_target) wholes.clear();
        }
      }
      const double stated = r.value;
      const double unit = std::pow(10.0, -r.decimals);
      const Fig* whole = nullptr;
      std::optional<double> computed;
      for (const Fig* w : wholes) {
        if (w->canonical_value == 0) continue;
        double c = part->canonical_value / w->canonical_value * 100;
        if (!whole) whole = w, computed = c;  // the best reading, if none agrees
        if (std::fabs(c - stated) <= unit + 1e-9) {
          whole = w, computed = c;
          break;
        }
      }
      const char* verdict = !computed                                          ? "unverifiable"
                            : std::fabs(*computed - stated) <= unit + 1e-9 ? "ok"
                                                                           : "mismatch";
      // The sentence that states it.
      size_t sb = std::min(r.sentence, r.begin), se = r.end;
      for (size_t len = 0; se < text.size(); ++se)  // the table first: a call per byte costs
        if (kMayStartBreak[static_cast<unsigned char>(text[se])] && IsSentenceBreak(text, se, len)) break;
      if (se < text.size()) {
        size_t len = 0;
        if (IsSentenceBreak(text, se, len) && text.compare(se, len, "\n") != 0) se += len;
      }
      const RawRange raw = doc.ToRaw(sb, se);
      std::vector<Value> cells;
      cells.reserve(10);
      cells.emplace_back(doc.id);
      cells.emplace_back(*r.item);
      cells.emplace_back(stated);
      cells.push_back(part ? Value(part->Stated()) : Value());
      cells.push_back(whole ? Value(whole->Stated()) : Value());
      cells.push_back(computed ? Value(Round(*computed, 3)) : Value());
      cells.emplace_back(std::in_place_type<std::string>, verdict);
      cells.emplace_back(std::in_place_type<std::string>, text.substr(sb, se - sb));
      cells.emplace_back(int64_t(raw.begin));
      cells.emplace_back(int64_t(raw.end));
      doc.AddRow("audits", std::move(cells));
      if (std::strcmp(verdict, "mismatch") == 0) NoteMismatch({doc.sequence, doc.id, *r.item, stated, *computed});
    }
  }

  // The summary names the first kShown mismatches in input order, and counts
  // the rest: only those are kept, so that memory does not grow with the
  // corpus (a 1 GB run has 88,858 mismatches; all of them are in the audits
  // table). Documents arrive out of order on several threads.
  void NoteMismatch(Mismatch m) {
    std::lock_guard<std::mutex> lock(mu_);
    if (mismatch_count_++ == 0) first_sequence_ = m.sequence;
    else if (m.sequence != first_sequence_) one_doc_ = false;
    const auto before = [](const Mismatch& a, const Mismatch& b) {
      return a.sequence != b.sequence ? a.sequence < b.sequence : a.item < b.item;
    };
    if (first_.size() == kShown && !before(m, first_.back())) return;
    // Within a document, mismatches come in item order: equal keys keep it.
    first_.insert(std::upper_bound(first_.begin(), first_.end(), m, before), std::move(m));
    if (first_.size() > kShown) first_.pop_back();
  }

  static double Round(double v, int digits = 4) {
    const double p = std::pow(10.0, digits);
    return std::round(v * p) / p;
  }



  std::shared_ptr<const Rules> rules_;
  bool pairs_, audits_;
  static constexpr size_t kShown = 8;
  mutable std::mutex mu_;
  std::vector<Mismatch> first_;  // the first kShown mismatches in input order
  uint64_t mismatch_count_ = 0, first_sequence_ = 0;
  bool one_doc_ = true;  // every mismatch so far is in one document
  std::atomic<uint64_t> pairs_written_{0}, audits_written_{0};
};

Status Register(Registry& registry) {
  StageInfo info;
  info.name = "extract.progress";
  info.summary = "Targets paired with their results (progress), and the report's stated percentages checked (audits).";
  info.doc =
      "Reads the `metrics` rows of extract.metrics and the `figure` spans that point at them. Within each item, a target figure of the item's own text "
      "is paired with the status figure that reports on it: same canonical unit and the same or an "
      "overlapping subject (新增停车泊位5万个 ↔ 已建成17010个停车泊位); counts give progress_pct, growth "
      "and ratio targets give gap_pp. Every stated share (完成率为73.9%, 占全年任务…的64.4%, 完成年度目标"
      "任务的60.4%) is recomputed from its part and whole, the whole being the item's own target when the "
      "share names it in words: ok within one unit of the stated last digit, mismatch otherwise, "
      "unverifiable when the whole is not stated. The run summary names the mismatches.";
  info.kind = StageKind::kTransform;
  info.execution = Execution::kParallel;
  info.params = {
      ParamSpec::Path("rules", "zh/progress.yaml",
                      "Growth verbs, target words and done verbs used for pairing, found over the data folders."),
      ParamSpec::Bool("pairs", true, "Write the `progress` table (targets paired with results)."),
      ParamSpec::Bool("audits", true, "Write the `audits` table (stated percentages recomputed)."),
  };
  info.tables = {ProgressTable(), AuditsTable()};
  info.make_transform = [](const Config& config,
                           const SetupContext& setup) -> StatusOr<std::unique_ptr<Transform>> {
    LODE_ASSIGN_OR_RETURN(std::string path, setup.FindDataFile(config.GetString("rules")));
    LODE_ASSIGN_OR_RETURN(std::shared_ptr<const Rules> rules, LoadRules(path));
    return std::unique_ptr<Transform>(
        new ExtractProgress(std::move(rules), config.GetBool("pairs"), config.GetBool("audits")));
  };
  return registry.Add(std::move(info));
}

}  // namespace
}  // namespace lode::progress

LODE_PLUGIN(extract_progress, "extract.progress", "0.1.0",
            "Targets paired with results; stated percentages recomputed.", lode::progress::Register)
