// extract.metrics: every figure of a report as a row of `metrics` and a
// `figure` span, with what it measures, the verb that states it, its period
// and its role. See README.md for the rules and the span attributes.
#include <re2/re2.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <cmath>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "lode/core_tables.h"
#include "lode/data_file.h"
#include "lode/numbers.h"
#include "lode/plugin.h"
#include "matches.h"
#include "word_list.h"

namespace lode::metrics {
namespace {

constexpr size_t npos = std::string_view::npos;

// Every break below is ASCII or in U+3000…U+303F or U+FF00…U+FFEF: Read
// relies on it to pass other characters by undecoded.
inline bool IsSentenceBreak(char32_t c) {
  switch (c) {
    case U'。': case U'；': case U';': case U'！': case U'!': case U'？': case U'?': case '\n': case '\r':
      return true;
    default:
      return false;
  }
}

// Clause breaks bound a figure's subject. Quotes are not breaks: “网上办”实现97.22%
// measures 网上办.
inline bool IsClauseBreak(char32_t c) {
  if (IsSentenceBreak(c)) return true;
  switch (c) {
    case U'，': case ',': case U'、': case U'：': case ':': case U'（': case '(': case U'）': case ')':
    case ' ': case '\t': case U'　': case U'【': case U'】': case U'[': case U']':
      return true;
    default:
      return false;
  }
}

std::optional<int64_t> ParseInt(std::string_view s) {
  int64_t v = 0;
  auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  if (r.ec != std::errc() || r.ptr != s.data() + s.size()) return std::nullopt;
  return v;
}

const std::string* Attr(const Span& span, std::string_view key) {
  for (const auto& [k, v] : span.attributes)
    if (k == key) return &v;
  return nullptr;
}

enum CueTag { kNoCue = 0, kPlan = 1, kForecast = 2, kDone = 3 };
enum SentenceTag { kNoRole = 0, kTarget = 1, kActual = 2 };
// Predicates: a comparison (高于, 低于) is followed by what the figure is
// compared with, not by what it measures.
enum PredicateTag { kStates = 0, kCompares = 1 };

// The rules of configs/zh/metrics.yaml, compiled.
struct Rules {
  NumberGrammar grammar;
  std::unique_ptr<RE2> exceptions;  // null when the file lists none
  std::unique_ptr<RE2> periods;
  std::unique_ptr<RE2> either;  // exceptions|periods: one scan of the text finds where both may start
  WordList predicates, modifiers, rate_words, share_verbs;
  WordList cues;            // tagged kPlan, kForecast, kDone
  WordList unfinished;      // after a figure: what it counts is not done yet
  WordList sentence_roles;  // tagged kTarget, kActual
  WordList rate_verbs;  // 为, 达到 … between a rate word and its number
};

Status ReadWords(const DataNode& node, WordList& into, int tag = 0) {
  if (!node.is_list()) return node.Error("expected a list of words");
  for (const DataNode& w : node.items()) {
    if (!w.is_scalar() || w.scalar().empty()) return w.Error("expected a word");
    into.Add(w.scalar(), tag);
  }
  return OkStatus();
}

// Each pattern is compiled alone first, so that an error names its own line.
Status ReadPatterns(const DataNode& node, std::string& alternation) {
  if (!node.is_list()) return node.Error("expected a list of RE2 patterns");
  for (const DataNode& p : node.items()) {
    if (!p.is_scalar() || p.scalar().empty()) return p.Error("expected an RE2 pattern");
    RE2::Options o;
    o.set_log_errors(false);
    RE2 re(p.scalar(), o);
    if (!re.ok()) return p.Error("invalid RE2 pattern: " + re.error());
    alternation += (alternation.empty() ? "(?:" : "|(?:") + p.scalar() + ")";
  }
  return OkStatus();
}

StatusOr<std::shared_ptr<const Rules>> LoadRules(const std::string& units_path, const std::string& rules_path) {
  auto rules = std::make_shared<Rules>();
  LODE_ASSIGN_OR_RETURN(rules->grammar, NumberGrammar::Load(units_path));
  LODE_ASSIGN_OR_RETURN(DataNode root, LoadDataFile(rules_path));
  if (!root.is_map()) return root.Error("expected a mapping of rule sections");
  std::string exceptions, periods;
  for (const auto& [key, value] : root.entries()) {
    const std::string& k = key.scalar();
    if (k == "exceptions") {
      if (!value.is_map()) return value.Error("expected 'phrases' and 'patterns'");
      for (const auto& [sub, list] : value.entries()) {
        if (sub.scalar() == "phrases") {
          if (!list.is_list()) return list.Error("expected a list of phrases");
          for (const DataNode& p : list.items()) {
            if (!p.is_scalar() || p.scalar().empty()) return p.Error("expected a phrase");
            exceptions += (exceptions.empty() ? "" : "|") + RE2::QuoteMeta(p.scalar());
          }
        } else if (sub.scalar() == "patterns") {
          std::string alt;
          LODE_RETURN_IF_ERROR(ReadPatterns(list, alt));
          if (!alt.empty()) exceptions += (exceptions.empty() ? "" : "|") + alt;
        } else {
          return sub.Error("unknown key '" + sub.scalar() + "' (expected phrases, patterns)");
        }
      }
    } else if (k == "periods") {
      LODE_RETURN_IF_ERROR(ReadPatterns(value, periods));
    } else if (k == "predicates") {
      LODE_RETURN_IF_ERROR(ReadWords(value, rules->predicates));
    } else if (k == "comparisons") {
      LODE_RETURN_IF_ERROR(ReadWords(value, rules->predicates, kCompares));
    } else if (k == "nouns") {
      LODE_RETURN_IF_ERROR(ReadWords(value, rules->predicates, WordList::kBlocked));
    } else if (k == "modifiers") {
      LODE_RETURN_IF_ERROR(ReadWords(value, rules->modifiers));
    } else if (k == "cues" || k == "sentence_roles" || k == "shares") {
      if (!value.is_map()) return value.Error("expected a mapping of word lists");
      for (const auto& [sub, list] : value.entries()) {
        const std::string& s = sub.scalar();
        WordList* into = nullptr;
        int tag = 0;
        if (k == "cues" && s == "unfinished") {
          into = &rules->unfinished;
          tag = 1;
        } else if (k == "cues") {
          into = &rules->cues;
          tag = s == "plan" ? kPlan : s == "forecast" ? kForecast : s == "done" ? kDone : 0;
        } else if (k == "sentence_roles") {
          into = &rules->sentence_roles;
          tag = s == "target" ? kTarget : s == "actual" ? kActual : 0;
        } else {
          into = s == "rate_words" ? &rules->rate_words : s == "verbs" ? &rules->share_verbs : nullptr;
          tag = into ? 1 : 0;
        }
        if (tag == 0) return sub.Error("unknown key '" + s + "' in '" + k + "'");
        LODE_RETURN_IF_ERROR(ReadWords(list, *into, tag));
      }
    } else {
      return key.Error("unknown section '" + k +
                       "' (expected exceptions, periods, predicates, comparisons, nouns, modifiers, cues, "
                       "sentence_roles, shares)");
    }
  }
  RE2::Options o;
  o.set_log_errors(false);
  o.set_max_mem(int64_t{64} << 20);
  if (!exceptions.empty()) {
    rules->exceptions = std::make_unique<RE2>(exceptions, o);
    if (!rules->exceptions->ok()) return root.Error("exceptions: " + rules->exceptions->error());
  }
  if (!periods.empty()) {
    rules->periods = std::make_unique<RE2>(periods, o);
    if (!rules->periods->ok()) return root.Error("periods: " + rules->periods->error());
  }
  if (rules->exceptions && rules->periods) {
    rules->either = std::make_unique<RE2>("(?:" + exceptions + ")|(?:" + periods + ")", o);
    if (!rules->either->ok()) rules->either.reset();  // two scans then, as each compiled alone
  }
  for (const char* w : {"为", "达到", "达", "是", "保持在", "控制在", "稳定在", "提高到", "提升至", "提高至"})
    rules->rate_verbs.Add(w);
  return std::shared_ptr<const Rules>(std::move(rules));
}

// Where a figure is: the field (or item, or nothing) that holds it.
struct Region {
  size_t begin = 0, end = 0;
  std::optional<int64_t> number;  // its item's number (the `item` attribute), none outside items
  std::string field;  // "title", "status", "owners", or "" outside fields
  bool title = false, status = false;  // field is "title", "status"
  int id = -1;        // figures in the same region share it
};

struct Found {
  Figure* f = nullptr;             // in Extract's list of figures
  const Region* region = nullptr;  // owned by Extract
  size_t sentence_begin = 0;
  std::string_view role = "other";  // target, actual, rate, rank or other
  std::string subject, predicate, period;
  size_t base_begin = npos, base_end = npos;  // the whole of a share: 全年任务(13.94万平方米)
  int cue = 0;                                // last status cue: 0 none, 1 plan, 2 forecast, 3 done
  int sentence_cue = 0;                       // outside items: 0 none, 1 target, 2 actual
  bool unfinished = false;                    // in a status: its clause says it is not done yet
};

// What reading one figure leaves for the next: figures come in text order.
struct Cursor {
  std::string before;       // the words before a figure when periods are cut out: no allocation per figure
  size_t period_next = 0;   // the first period that starts after the figure
  const Region* lead_of = nullptr;                      // the region whose opening period is `lead`
  std::vector<std::pair<size_t, size_t>>::const_iterator lead;
};

class ExtractMetrics final : public Transform {
 public:
  ExtractMetrics(std::shared_ptr<const Rules> rules, bool spans) : rules_(std::move(rules)), spans_(spans) {}

  Status Process(Document& doc) override {
    const size_t rows_before = doc.rows.size();
    Status s = Extract(doc);
    const uint64_t added = doc.rows.size() - rows_before;  // Extract adds metrics rows only
    figures_written_ += added;
    documents_with_figures_ += added > 0;
    return s;
  }

  std::vector<std::string> Summary() const override {
    return {std::to_string(figures_written_.load()) + " figures in " + std::to_string(documents_with_figures_.load()) +
            " documents"};
  }

  Status Extract(Document& doc) {
    const std::string& text = doc.text;
    std::vector<Figure> figures = rules_->grammar.FindAll(text);
    if (figures.empty()) return OkStatus();
    Matches phrases, periods;
    if (rules_->either) {
      AllMatchesOfBoth(*rules_->either, *rules_->exceptions, *rules_->periods, text, phrases, periods);
    } else {
      phrases = AllMatches(rules_->exceptions.get(), text);
      periods = AllMatches(rules_->periods.get(), text);
    }
    DropExceptions(phrases, figures);
    std::vector<Region> regions, items;
    Regions(doc, regions, items);

    std::vector<Found> found;
    found.reserve(figures.size());
    // Figures outside fields: in an item, or in no item at all. They share
    // one region id, so sentences run on between them.
    std::vector<Region> outside(items.size() + 1);
    for (size_t k = 0; k < outside.size(); ++k) {
      outside[k].end = text.size();
      if (k < items.size()) outside[k].number = items[k].number;
    }
    size_t r = 0, it = 0;  // regions are sorted and figures come in order
    for (Figure& f : figures) {
      while (r < regions.size() && regions[r].end <= f.begin) ++r;
      while (it < items.size() && items[it].end <= f.begin) ++it;
      Found& x = found.emplace_back();
      x.f = &f;
      if (r < regions.size() && regions[r].begin <= f.begin && f.end <= regions[r].end) {
        x.region = &regions[r];
      } else {
        x.region = &outside[it < items.size() && items[it].begin <= f.begin ? it : items.size()];
      }
    }
    Cursor cursor;
    for (size_t i = 0; i < found.size(); ++i) Read(text, periods, found, i, cursor);
    Emit(doc, found);
    return OkStatus();
  }

 private:
  // Drops the figures whose number an exception phrase covers. The phrases
  // come from a pass over the text: matches are rare, and a pass costs less
  // than trying the phrases around every figure.
  static void DropExceptions(const Matches& phrases, std::vector<Figure>& figures) {
    if (phrases.empty()) return;
    size_t k = 0;
    auto covered = [&](const Figure& f) {
      while (k < phrases.size() && phrases[k].second <= f.number_begin) ++k;
      return k < phrases.size() && phrases[k].first < f.number_end;
    };
    figures.erase(std::remove_if(figures.begin(), figures.end(), covered), figures.end());
  }

  // The `field` and the `item` spans as regions, each in text order: one
  // pass over the spans, which are mostly sentences and words.
  static void Regions(const Document& doc, std::vector<Region>& fields, std::vector<Region>& items) {
    for (const Span& s : doc.spans) {
      if (s.end <= s.begin || (s.kind.size() != 5 && s.kind.size() != 4)) continue;
      const std::string_view kind = s.kind;
      std::vector<Region>* into = kind == "field" ? &fields : kind == "item" ? &items : nullptr;
      if (into == nullptr) continue;
      Region& reg = into->emplace_back();
      reg.begin = s.begin;
      reg.end = s.end;
      if (const std::string* v = Attr(s, "item")) reg.number = ParseInt(*v);
      if (const std::string* v = Attr(s, "field")) reg.field = *v;
      reg.title = reg.field == "title";
      reg.status = reg.field == "status";
    }
    auto by_begin = [](const Region& a, const Region& b) { return a.begin < b.begin; };
    for (auto* list : {&fields, &items}) {
      std::sort(list->begin(), list->end(), by_begin);
      for (size_t i = 0; i < list->size(); ++i) (*list)[i].id = int(i) + (list == &items ? 1 << 20 : 0);
    }
  }

  // Trims spaces, quotes and modifier words from both ends of s[b, e).
  void Trim(std::string_view s, size_t& b, size_t& e) const {
    for (bool changed = true; changed && b < e;) {
      changed = false;
      auto [c, len] = DecodeAt(s, b);
      if (c == ' ' || c == U'“' || c == U'”' || c == '"' || c == U'《' || c == U'》' || c == U'　' || c == U'‘' ||
          c == U'’') {
        b += len;
        changed = true;
        continue;
      }
      size_t p = PreviousStart(s, e);
      char32_t last = DecodeAt(s, p).first;
      if (last == ' ' || last == U'“' || last == U'”' || last == '"' || last == U'《' || last == U'》' ||
          last == U'　' || last == U'‘' || last == U'’') {
        e = p;
        changed = true;
        continue;
      }
      if (size_t n = rules_->modifiers.MatchAt(s, b, e); n > 0) {
        b += n;
        changed = true;
        continue;
      }
      if (size_t n = rules_->modifiers.SuffixAt(s, b, e); n > 0) {
        e -= n;
        changed = true;
      }
    }
  }

  // The text of s[b, e) without the characters of any `holes` inside it.
  static std::string Cut(std::string_view s, size_t b, size_t e, const std::vector<std::pair<size_t, size_t>>& holes) {
    std::string out;
    Cut(s, b, e, holes, out);
    return out;
  }
  // The same, into `out` (reused across figures: no allocation per figure).
  static void Cut(std::string_view s, size_t b, size_t e, const std::vector<std::pair<size_t, size_t>>& holes,
                  std::string& out) {
    out.clear();
    size_t at = b;
    // Holes are sorted and do not overlap: start at the first that ends after b.
    auto first = std::lower_bound(holes.begin(), holes.end(), b,
                                  [](const std::pair<size_t, size_t>& h, size_t pos) { return h.second <= pos; });
    for (auto h = first; h != holes.end() && h->first < e; ++h) {
      const auto [hb, he] = *h;
      if (he <= at) continue;
      if (hb > at) out.append(s.substr(at, hb - at));
      at = std::max(at, he);
    }
    if (at < e) out.append(s.substr(at, e - at));
  }

  std::string Clean(std::string_view s) const {
    size_t b = 0, e = s.size();
    Trim(s, b, e);
    // 比一季度提高, 较上半年提高: the period is cut out of the words before the
    // figure, and 比 or 较 (than) left alone names nothing.
    if (const std::string_view rest = s.substr(b, e - b); rest == "比" || rest == "较") return "";
    std::string out;
    // Quotes inside go: “马上办” → 马上办. Their bytes start with '"', E2 80
    // (“ ”) or E3 80 (《 》); a subject without any is copied whole.
    bool quoted = false;
    for (size_t i = b; i < e && !quoted; ++i)
      quoted = s[i] == '"' || ((s[i] == '\xE2' || s[i] == '\xE3') && i + 1 < e && s[i + 1] == '\x80');
    if (!quoted) {
      out.assign(s.substr(b, e - b));
    } else {
      for (size_t i = b; i < e;) {
        auto [c, len] = DecodeAt(s, i);
        if (c != U'“' && c != U'”' && c != '"' && c != U'《' && c != U'》') out.append(s.substr(i, len));
        i += len;
      }
    }
    // Keep a subject short; the head noun of a Chinese phrase is at its end.
    constexpr size_t kMax = 3 * 24;
    if (out.size() > kMax) {
      size_t cut = out.size() - kMax;
      while (cut < out.size() && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) ++cut;
      out.erase(0, cut);
    }
    return out;
  }

  // What follows a figure when it is a noun: 17010个|停车泊位, 1000户|…发放|住房租赁补贴.
  // Sets `verb` when the subject is the object of a verb after the figure.
  // Sets `clause` when a verb follows the noun: then the noun may open a new
  // clause whose comma the page lost (7.8%左右固定资产投资增长15%).
  std::string AfterSubject(std::string_view s, size_t b, size_t e, std::string& verb, bool& clause) const {
    clause = false;
    e = std::min(e, b + 3 * 24);
    if (b >= e) return "";
    if (rules_->predicates.MatchAt(s, b, e) || rules_->cues.MatchAt(s, b, e)) return "";
    auto [c, len] = DecodeAt(s, b);
    if (c == U'的' || c == U'等' || c < 0x80 || c == U'了' || c == U'中' || c == U'以' || c == U'共' || c == U'和')
      return "";
    auto [p, plen] = rules_->predicates.First(s, b, e);
    size_t stop = p == npos ? e : p;
    size_t de = std::string_view(s.data() + b, stop - b).find("的");
    if (de != npos) {
      if (p != npos) {  // 符合政策条件的家庭发放住房租赁补贴: the object of the verb
        auto [q, qlen] = rules_->predicates.Last(s, p, e);
        std::string obj = Clean(s.substr(q + qlen, e - q - qlen));
        if (!obj.empty()) {
          verb.assign(s.substr(q, qlen));
          return obj;
        }
      }
      stop = b + de;
    }
    clause = p != npos;
    return Clean(s.substr(b, stop - b));
  }

  void Read(std::string_view text, const std::vector<std::pair<size_t, size_t>>& periods, std::vector<Found>& all,
            size_t i, Cursor& cursor) const {
    size_t& period_next = cursor.period_next;
    std::string& before = cursor.before;
    Found& x = all[i];
    const Figure& f = *x.f;
    const Found* prev = i > 0 && all[i - 1].region->id == x.region->id ? &all[i - 1] : nullptr;
    const Found* next = i + 1 < all.size() && all[i + 1].region->id == x.region->id ? &all[i + 1] : nullptr;
    const size_t prev_end = prev ? prev->f->end : x.region->begin;
    const size_t next_begin = next ? next->f->begin : x.region->end;

    // The clause and the sentence around the figure.
    size_t clause_begin = npos, sentence_begin = npos;
    const auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
    for (size_t at = f.begin; at > prev_end && (clause_begin == npos || sentence_begin == npos);) {
      // The start of the character before `at`: ASCII, or (nearly all of a
      // Chinese page) three bytes back, else whatever PreviousStart finds.
      size_t p = byte(at - 1) < 0x80                                                           ? at - 1
                 : at >= 3 && (byte(at - 3) & 0xF0) == 0xE0 && (byte(at - 2) & 0xC0) == 0x80 ? at - 3
                                                                                            : PreviousStart(text, at);
      if (p < prev_end) break;
      // Breaks are ASCII or in the two punctuation blocks (U+3000…, U+FF00…,
      // lead bytes E3 and EF): ideographs go by undecoded.
      const unsigned char lead = static_cast<unsigned char>(text[p]);
      if (lead >= 0x80 && lead != 0xE3 && lead != 0xEF) {
        at = p;
        continue;
      }
      char32_t c = DecodeAt(text, p).first;
      if (clause_begin == npos && IsClauseBreak(c)) clause_begin = at;
      if (sentence_begin == npos && IsSentenceBreak(c)) sentence_begin = at;
      at = p;
    }
    if (clause_begin == npos) clause_begin = prev_end;
    if (sentence_begin == npos) sentence_begin = prev ? prev->sentence_begin : x.region->begin;
    x.sentence_begin = sentence_begin;
    const bool same_sentence = prev && prev->sentence_begin == sentence_begin;
    clause_begin = std::max(clause_begin, f.begin > 3 * 64 ? f.begin - 3 * 64 : size_t{0});
    while (clause_begin < f.begin && (static_cast<unsigned char>(text[clause_begin]) & 0xC0) == 0x80) ++clause_begin;
    size_t clause_end = f.end;
    while (clause_end < next_begin && clause_end < f.end + 3 * 64 && !IsClauseBreak(DecodeAt(text, clause_end).first))
      clause_end += DecodeAt(text, clause_end).second;
    clause_end = std::min(clause_end, next_begin);

    // Period: the nearest before the figure in its sentence, else the one that opens its field.
    while (period_next < periods.size() && periods[period_next].first <= f.begin) ++period_next;
    auto it = periods.begin() + std::ptrdiff_t(period_next);
    while (it != periods.begin()) {
      --it;
      if (it->second <= f.begin && it->first >= sentence_begin) {
        x.period.assign(text.substr(it->first, it->second - it->first));
        break;
      }
      if (it->first < sentence_begin) break;
    }
    if (x.period.empty() && !x.region->field.empty()) {
      if (cursor.lead_of != x.region) {  // the figures of a region come one after another
        cursor.lead_of = x.region;
        cursor.lead = std::lower_bound(periods.begin(), periods.end(), std::make_pair(x.region->begin, size_t{0}));
      }
      auto lead = cursor.lead;
      if (lead != periods.end() && lead->first < x.region->begin + 6 && lead->second <= f.begin)
        x.period.assign(text.substr(lead->first, lead->second - lead->first));
    }

    // Cues since the previous figure, carried over within a sentence: status
    // cues in a status field, sentence roles outside fields.
    const bool in_status = x.region->status;
    const bool outside = x.region->field.empty();
    if (in_status || outside) {
      const size_t cue_from = same_sentence ? prev->f->end : sentence_begin;
      // Not past a rate: in 完成年度目标的51.61%,新开工重大项目5个 the plan word
      // names the rate's whole, and 5个 is a result.
      x.cue = same_sentence && prev->role != "rate" ? prev->cue : kNoCue;
      // 预计新增, 计划完成: a done verb right after a plan or forecast belongs to
      // it. 超额完成年度目标任务,开展…: a plan word right after a done verb is
      // what was done, unless the figure stands right after it, in brackets or
      // not (完成全年任务(13.94万平方米): the plan restated).
      size_t last_end = npos;
      for (size_t at = cue_from; in_status && at < f.begin;) {
        int tag = kNoCue;
        if (size_t n = rules_->cues.MatchAt(text, at, f.begin, &tag)) {
          const bool joined = at == last_end;
          const size_t after = at + n;
          const bool figure_next = after == f.begin || (after + 1 == f.begin && text[after] == '(') ||
                                   (after + 3 == f.begin && text.compare(after, 3, "（") == 0);
          if (!(joined && tag == kDone && (x.cue == kPlan || x.cue == kForecast)) &&
              !(joined && tag == kPlan && x.cue == kDone && !figure_next))
            x.cue = tag;
          last_end = at + n;
          at += n;
        } else {
          at += DecodeAt(text, at).second;
        }
      }
      // 5条道路正在施工: the verb comes after what it counts, and not done
      // yet outweighs any cue before (it is not carried on to the next figure).
      x.unfinished = in_status && rules_->unfinished.First(text, f.end, clause_end).first != npos;
      int tag = kNoRole;
      x.sentence_cue = outside && rules_->sentence_roles.Last(text, cue_from, f.begin, &tag).first != npos ? tag
                       : same_sentence                                                           ? prev->sentence_cue
                                                                                                 : kNoRole;
    }

    // The words before the figure in its clause, without periods: the text
    // itself when no period reaches into the clause (periods are sorted and
    // do not overlap, so the last one to start before the figure decides).
    size_t last = period_next;
    while (last > 0 && periods[last - 1].first >= f.begin) --last;
    std::string_view bv;
    if (last > 0 && periods[last - 1].second > clause_begin) {
      Cut(text, clause_begin, f.begin, periods, before);
      bv = before;
    } else {
      bv = text.substr(clause_begin, f.begin - clause_begin);
    }
    bool rate = false;
    bool have_subject = false;

    if (f.kind == FigureKind::kPercent && bv.size() >= 3 && bv.substr(bv.size() - 3) == "的") {
      // A share: 占全年任务(13.94万平方米)的55.28%. Look back past figures and
      // brackets for the verb that opens the whole.
      size_t de = f.begin;
      for (int k = 0; k < 8 && de > 0 && text.compare(PreviousStart(text, de), 3, "的") != 0; ++k)
        de = PreviousStart(text, de);
      if (de > 0) de = PreviousStart(text, de);
      int depth = 0;
      size_t limit = std::max(sentence_begin, de > 3 * 60 ? de - 3 * 60 : size_t{0});
      for (size_t at = de; at > limit;) {
        size_t p = PreviousStart(text, at);
        char32_t c = DecodeAt(text, p).first;
        if (c == ')' || c == U'）') ++depth;
        else if (c == '(' || c == U'（') depth = std::max(0, depth - 1);
        else if (depth == 0 && IsClauseBreak(c)) break;
        if (depth == 0) {
          if (size_t n = rules_->share_verbs.MatchAt(text, p, de); n > 0) {
            x.base_begin = p + n;
            x.base_end = de;
            x.predicate.assign(text.substr(p, n));
            break;
          }
        }
        at = p;
      }
      if (x.base_begin != npos) {
        // The whole's words without its figures and brackets.
        std::vector<std::pair<size_t, size_t>> holes;
        for (size_t k = i; k-- > 0 && all[k].f->end > x.base_begin;)
          if (all[k].f->begin < x.base_end) holes.push_back({all[k].f->begin, all[k].f->end});
        std::reverse(holes.begin(), holes.end());
        std::string whole = Cut(text, x.base_begin, x.base_end, holes);
        std::string plain;
        int d = 0;
        for (size_t k = 0; k < whole.size();) {
          auto [c, len] = DecodeAt(whole, k);
          if (c == '(' || c == U'（') ++d;
          else if (c == ')' || c == U'）') d = std::max(0, d - 1);
          else if (d == 0) plain.append(whole, k, len);
          k += len;
        }
        x.subject = Clean(plain);
        rate = true;
        have_subject = true;
      }
    }

    if (!have_subject) {
      // A rate word: 完成率为73.9%, 空气质量优良率达到74%以上.
      size_t e = bv.size();
      size_t verb = rules_->rate_verbs.SuffixAt(bv, 0, e);
      size_t stem_end = e - verb;
      if (stem_end >= 3 && bv.compare(stem_end - 3, 3, "率") == 0 &&
          (f.kind == FigureKind::kPercent || f.kind == FigureKind::kPercentagePoints)) {
        // Only the rate phrase: after the clause's last verb (…持续下降|空气质量优良率),
        // unless that verb is part of the rate's name (完成率, 覆盖率).
        size_t b = 0;
        auto [p, plen] = rules_->predicates.Last(bv, 0, stem_end);
        if (p != npos && stem_end - (p + plen) > 3) b = p + plen;
        x.subject = Clean(bv.substr(b, stem_end - b));
        if (verb) x.predicate.assign(bv.substr(stem_end, verb));
        size_t rw = rules_->rate_words.SuffixAt(bv, 0, stem_end);
        rate = rw > 0;
        have_subject = true;
      }
    }

    bool own_subject = have_subject;
    if (!have_subject) {
      // The verb nearest the figure states it; the subject is what stands
      // between them (新增|停车泊位|5万个), else before it (地区生产总值|增长|9%).
      int ptag = kStates;
      auto [p, plen] = rules_->predicates.Last(bv, 0, bv.size(), &ptag);
      std::string after_verb;
      bool after_clause = false;
      // Only counts and amounts take the noun after them (17010个|停车泊位);
      // a percentage never does.
      const bool may_follow = f.kind == FigureKind::kQuantity;
      std::string after = may_follow ? AfterSubject(text, f.end, clause_end, after_verb, after_clause) : "";
      std::string own;
      if (p != npos) {
        x.predicate.assign(bv.substr(p, plen));
        // 增速高于|全市平均水平|0.5个百分点: after a comparison stands what the
        // figure is compared with; the words before it, if any, say what it measures.
        if (ptag != kCompares) own = Clean(bv.substr(p + plen));
        if (own.empty()) {
          size_t hb = rules_->predicates.Last(bv, 0, p).first;
          hb = hb == npos ? 0 : hb + rules_->predicates.MatchAt(bv, hb, p);
          own = Clean(bv.substr(hb, p - hb));
        }
      } else {
        own = Clean(bv);
      }
      // 中勘大厦等16个项目: the names before 等 are examples of what is
      // counted, and the only words that tell this count from the others.
      const bool examples = !own.empty() && bv.size() >= 3 && bv.substr(bv.size() - 3) == "等";
      // …50个在建项目有序施工建设中勘大厦等16个: words that run into the next
      // figure's examples (the page lost a comma) have no end we can tell.
      const bool runs_on = clause_end == next_begin && next != nullptr &&
                           text.compare(PreviousStart(text, next_begin), 3, "等") == 0;
      if (runs_on) after.clear();
      if (!after.empty() && !examples && (own.empty() || !after_clause)) {
        x.subject = std::move(after);
        if (!after_verb.empty()) x.predicate = after_verb;
      } else {
        x.subject = std::move(own);
      }
      own_subject = !x.subject.empty();
    }
    // 385.3亿元,同比增长9.1%: a figure without words of its own speaks of the
    // previous one in its sentence; 新增停车泊位5万个、充电桩4.1万个: a list
    // shares its verb.
    if (same_sentence && prev->role != "rate" && prev->f->kind != FigureKind::kOrdinal) {
      if (!own_subject) {
        x.subject = prev->subject;
        if (x.predicate.empty()) x.predicate = prev->predicate;
      } else if (x.predicate.empty() && clause_begin > 0 &&
                 text.compare(PreviousStart(text, clause_begin), 3, "、") == 0) {
        x.predicate = prev->predicate;
      }
    }

    // Role.
    if (f.kind == FigureKind::kOrdinal) {
      x.role = "rank";
    } else if (rate) {
      x.role = "rate";
    } else if (x.region->title) {
      x.role = "target";
    } else if (x.region->status) {
      x.role = x.cue == kPlan ? "target" : x.cue == kForecast || x.unfinished ? "other" : "actual";
    } else {
      x.role = x.sentence_cue == kTarget ? "target" : x.sentence_cue == kActual ? "actual" : "other";
    }
  }

  // Consumes `found`: its strings move into the rows and spans.
  void Emit(Document& doc, std::vector<Found>& found) const {
    const std::string& text = doc.text;
    // The figure spans point at their rows by index among the document's
    // metrics rows (another stage may have written some before).
    size_t row_index = 0;
    if (spans_)
      for (const TableRow& r : doc.rows) row_index += r.table == "metrics";
    doc.rows.reserve(doc.rows.size() + found.size());
    if (spans_) doc.spans.reserve(doc.spans.size() + found.size());
    // Kinds and keys are made once, not from literals for every figure.
    static const std::string kMetrics = "metrics", kFigure = "figure", kRow = "row", kKind = "kind",
                             kMultiplier = "multiplier", kDecimals = "decimals", kFamily = "family",
                             kSentence = "sentence", kBaseBegin = "base_begin", kBaseEnd = "base_end";
    size_t cursor = 0, line_cursor = 0;  // figures come in text order
    for (Found& x : found) {
      Figure& f = *x.f;
      const RawRange raw = doc.ToRaw(f.begin, f.end, cursor);
      std::string_view q = QualifierName(f.qualifier);
      // The row and its cells are made in place: a moved string still costs
      // a copy of its bytes.
      TableRow& row = doc.rows.emplace_back();
      row.table = kMetrics;
      std::vector<Value>& cells = row.row.cells;
      cells.reserve(17);
      auto text_or_null = [&cells](std::string&& s) {
        if (s.empty()) cells.emplace_back();
        else cells.emplace_back(std::move(s));
      };
      auto view_or_null = [&cells](std::string_view s) {
        if (s.empty()) cells.emplace_back();
        else cells.emplace_back(std::in_place_type<std::string>, s);
      };
      // The span contract calls the item's own text `title`; the metrics
      // table calls a figure in it a `target` (DESIGN.md, "Tables").
      const std::string_view field = x.region->title ? std::string_view("target") : x.region->field;
      cells.emplace_back(doc.id);
      if (x.region->number) cells.emplace_back(*x.region->number);
      else cells.emplace_back();
      view_or_null(field);
      cells.emplace_back(std::in_place_type<std::string>, x.role);
      text_or_null(std::move(x.subject));
      text_or_null(std::move(x.predicate));
      cells.emplace_back(std::in_place_type<std::string>, text.substr(f.begin, f.end - f.begin));
      cells.emplace_back(f.value);
      text_or_null(std::move(f.unit));
      cells.emplace_back(f.canonical_value);
      if (f.canonical_high) cells.emplace_back(*f.canonical_high);
      else cells.emplace_back();
      cells.emplace_back(std::move(f.canonical_unit));
      view_or_null(q);
      text_or_null(std::move(x.period));
      const uint64_t line = doc.LineOf(raw.begin, line_cursor);
      if (line) cells.emplace_back(static_cast<int64_t>(line));
      else cells.emplace_back();
      cells.emplace_back(int64_t(raw.begin));
      cells.emplace_back(int64_t(raw.end));
      if (!spans_) continue;
      // What the row says is not repeated here: the span carries what a
      // reader of the figure needs beyond it (docs/spans.md).
      Span& span = doc.spans.emplace_back();
      span.kind = kFigure;
      span.begin = f.begin;
      span.end = f.end;
      Attributes& a = span.attributes;
      a.reserve(5 + (f.multiplier != 1) + 2 * (x.base_begin != npos));
      // Values are written into their place: a moved string still copies its bytes.
      auto number = [&a](const std::string& key, auto v) {
        char buf[32];
        const char* end = std::to_chars(buf, buf + sizeof buf, v).ptr;
        a.emplace_back(std::piecewise_construct, std::forward_as_tuple(key), std::forward_as_tuple(buf, size_t(end - buf)));
      };
      number(kRow, row_index++);
      a.emplace_back(kKind, KindName(f.kind));
      if (f.multiplier != 1) number(kMultiplier, f.multiplier);
      number(kDecimals, f.decimals);
      a.emplace_back(kFamily, std::move(f.family));
      number(kSentence, x.sentence_begin);
      if (x.base_begin != npos) {
        number(kBaseBegin, x.base_begin);
        number(kBaseEnd, x.base_end);
      }
    }
  }

  static const char* KindName(FigureKind k) {
    switch (k) {
      case FigureKind::kQuantity: return "quantity";
      case FigureKind::kPercent: return "percent";
      case FigureKind::kPercentagePoints: return "pp";
      case FigureKind::kFraction: return "fraction";
      case FigureKind::kOrdinal: return "ordinal";
    }
    return "quantity";
  }

  std::shared_ptr<const Rules> rules_;
  bool spans_;
  std::atomic<uint64_t> figures_written_{0}, documents_with_figures_{0};
};

Status Register(Registry& registry) {
  StageInfo info;
  info.name = "extract.metrics";
  info.summary = "Every figure as a metrics row: value, unit, canonical value, subject, predicate, period, role.";
  info.doc =
      "Finds the figures of a report with lode's number grammar (lode/numbers.h; units in zh/units.yaml) and "
      "reads from the words around each what it measures (subject), the verb that states it (predicate), the "
      "period it refers to and its role: target in an item's own text, actual in its status (完成情况), rate "
      "for a stated share (完成率, 占…的N%), rank for ordinals. Outside numbered items the sentence decides "
      "(预期目标是… marks targets, 比上年/同比/完成 results). Reads `item` and `field` spans "
      "(segment.outline) when present; writes one `figure` span per figure, with the attributes that "
      "extract.progress reads back. Rules (exceptions, periods, predicates, cues) are in zh/metrics.yaml.";
  info.kind = StageKind::kTransform;
  info.execution = Execution::kParallel;
  info.params = {
      ParamSpec::Path("units", "zh/units.yaml",
                      "The number grammar's units and qualifier words, found over the data folders."),
      ParamSpec::Path("rules", "zh/metrics.yaml",
                      "Exceptions, periods, predicates, modifiers and role cues, found over the data folders."),
      ParamSpec::Bool("spans", true,
                      "Mark each figure with a `figure` span: its kind, multiplier, decimals, unit family, "
                      "sentence and the index of its metrics row (extract.progress needs them)."),
  };
  info.tables = {MetricsTable()};
  info.make_transform = [](const Config& config,
                           const SetupContext& setup) -> StatusOr<std::unique_ptr<Transform>> {
    LODE_ASSIGN_OR_RETURN(std::string units, setup.FindDataFile(config.GetString("units")));
    LODE_ASSIGN_OR_RETURN(std::string rules_path, setup.FindDataFile(config.GetString("rules")));
    LODE_ASSIGN_OR_RETURN(std::shared_ptr<const Rules> rules, LoadRules(units, rules_path));
    return std::unique_ptr<Transform>(new ExtractMetrics(std::move(rules), config.GetBool("spans")));
  };
  return registry.Add(std::move(info));
}

}  // namespace
}  // namespace lode::metrics

LODE_PLUGIN(extract_metrics, "extract.metrics", "0.1.0",
            "Figures of a report: value, unit, canonical value, subject, role.", lode::metrics::Register)
