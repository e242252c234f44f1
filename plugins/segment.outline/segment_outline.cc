// segment.outline: the parts, sections and numbered items of a report, and each
// item's fields (its own text, its responsible units, its status). README.md
// explains the rules; configs/zh/outline.yaml holds them.
#include <algorithm>
#include <atomic>
#include <climits>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "lode/lode.h"
#include "outline_rules.h"

namespace lode::outline {
namespace {

constexpr size_t kNone = static_cast<size_t>(-1);

// Blanks that indent or pad a line: ASCII blanks, NBSP and the ideographic
// space (scraped pages indent with all three).
size_t BlankAt(const std::string& t, size_t i, size_t end) {
  const unsigned char c = static_cast<unsigned char>(t[i]);
  if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') return 1;
  if (c == 0xC2 && i + 1 < end && static_cast<unsigned char>(t[i + 1]) == 0xA0) return 2;
  if (c == 0xE3 && i + 2 < end && static_cast<unsigned char>(t[i + 1]) == 0x80 &&
      static_cast<unsigned char>(t[i + 2]) == 0x80)
    return 3;
  return 0;
}

size_t SkipBlanks(const std::string& t, size_t i, size_t end) {
  while (i < end) {
    size_t n = BlankAt(t, i, end);
    if (n == 0) break;
    i += n;
  }
  return i;
}

size_t TrimBlanksBack(const std::string& t, size_t begin, size_t end) {
  while (end > begin) {
    const unsigned char c = static_cast<unsigned char>(t[end - 1]);
    if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') {
      --end;
    } else if (end - begin >= 2 && c == 0xA0 && static_cast<unsigned char>(t[end - 2]) == 0xC2) {
      end -= 2;
    } else if (end - begin >= 3 && c == 0x80 && static_cast<unsigned char>(t[end - 2]) == 0x80 &&
               static_cast<unsigned char>(t[end - 3]) == 0xE3) {
      end -= 3;
    } else {
      break;
    }
  }
  return end;
}

// The code points of s (which may end in a cut character: it is dropped).
std::u32string CodePoints(std::string_view s, size_t max) {
  std::u32string out;
  for (size_t i = 0; i < s.size() && out.size() < max;) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    size_t n = Utf8SequenceLength(c);
    if (i + n > s.size()) break;
    char32_t cp = n == 1 ? c : n == 2 ? (c & 0x1Fu) : n == 3 ? (c & 0x0Fu) : (c & 0x07u);
    for (size_t k = 1; k < n; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3Fu);
    out.push_back(cp);
    i += n;
  }
  return out;
}

// Whether two headings read alike: the same characters in most places over
// their first 16. A spinner swaps single characters in place, so a re-spun copy
// of a heading still agrees in most positions.
bool ReadsAlike(const std::string& a, const std::string& b) {
  std::u32string x = CodePoints(a, 16), y = CodePoints(b, 16);
  size_t n = std::min(x.size(), y.size());
  if (n < 4) return false;
  size_t same = 0;
  for (size_t i = 0; i < n; ++i) same += x[i] == y[i];
  return same * 4 >= n * 3;
}

// The trimmed lines of t[begin, end) joined with `sep` (blank lines dropped):
// wrapped lines of a title join with nothing, paragraphs of a status with "\n".
std::string JoinLines(const std::string& t, size_t begin, size_t end, std::string_view sep) {
  // Most fields are one line, already trimmed at both ends.
  if (std::memchr(t.data() + begin, '\n', end - begin) == nullptr) return t.substr(begin, end - begin);
  std::string out;
  out.reserve(end - begin);
  size_t i = begin;
  while (i < end) {
    const void* nl = std::memchr(t.data() + i, '\n', end - i);
    size_t line_end = nl ? static_cast<size_t>(static_cast<const char*>(nl) - t.data()) : end;
    size_t b = SkipBlanks(t, i, line_end);
    size_t e = TrimBlanksBack(t, b, line_end);
    if (e > b) {
      if (!out.empty()) out += sep;
      out.append(t, b, e - b);
    }
    i = line_end + 1;
  }
  return out;
}

struct Range {
  size_t begin = 0;
  size_t end = 0;
  bool empty() const { return end <= begin; }
};

struct Line {
  size_t begin = 0;  // first byte
  size_t body = 0;   // first byte after the indentation
  size_t end = 0;    // after the last byte that is not blank
  int indent = 0;    // blank characters before `body`
  bool after_blank = false;  // a blank line (or the start of the text) comes before it
};

struct Heading {
  bool open = false;
  size_t span = 0;  // index of its span, placed when it opens
  int64_t number = 0;
  size_t begin = 0;
  std::string title;
  std::optional<int64_t> declared;
  std::string declared_text;  // "(共72项)"
  Range declared_at;
  int64_t items = 0;
};

struct Item {
  bool open = false;
  int64_t number = 0;
  size_t begin = 0, end = 0;
  int indent = 0;  // paragraphs indented less end the item
  enum Mode { kTitle, kBody, kStatus } mode = kTitle;
  Range title;
  std::vector<Range> owner_fields;
  std::vector<Range> owners;
  Range status{kNone, 0};
};

struct LevelState {
  int64_t last = 0;           // the last number accepted at this level
  bool fresh_parent = true;   // a parent heading opened since
  int64_t nested = 0;         // a list inside an item's text reusing this level's numbers
  int last_style = -1;        // the marker alternative of `last`
  int nested_style = -1;      // the marker alternative of the list's first entry
  bool seen = false;
  std::string first_title;    // the first marker's text in this outline
};

enum class Decision { kText, kNext, kRestart, kGap, kNewOutline };

// Counts for the run summary, added up across threads.
struct Counters {
  std::atomic<uint64_t> documents{0}, items{0}, count_mismatches{0}, gaps{0}, repeated_outlines{0};
};

// Reads one document: one pass over its lines, deciding for each whether it
// opens a part, a section or an item, labels a field, or continues the text.
class Reader {
 public:
  Reader(const OutlineRules& rules, Document& doc, Counters& counters)
      : rules_(rules), doc_(doc), t_(doc.text), counters_(counters), states_(rules.levels.size()) {
    spans_.reserve(16 + t_.size() / 64);  // about six spans per item of ~400 bytes
  }

  void Run() {
    const size_t n = t_.size();
    size_t pos = 0;
    bool after_blank = true;
    while (pos < n) {
      const void* nl = std::memchr(t_.data() + pos, '\n', n - pos);
      const size_t line_end = nl ? static_cast<size_t>(static_cast<const char*>(nl) - t_.data()) : n;
      Line line;
      line.begin = pos;
      size_t i = pos;
      while (i < line_end) {
        size_t b = BlankAt(t_, i, line_end);
        if (b == 0) break;
        i += b;
        ++line.indent;
      }
      line.body = i;
      line.end = TrimBlanksBack(t_, i, line_end);
      pos = line_end + 1;
      if (line.end <= line.body) {
        if (item_.open && item_.mode == Item::kTitle) item_.mode = Item::kBody;
        after_blank = true;
        continue;
      }
      line.after_blank = after_blank;
      after_blank = false;
      OnLine(line);
      last_content_end_ = line.end;
    }
    CloseAll();
    // Spans are written in text order (a heading's span is placed when it
    // opens and completed when it closes); sort only if odd input broke that.
    auto by_place = [](const Span& a, const Span& b) {
      return a.begin != b.begin ? a.begin < b.begin : a.end > b.end;
    };
    if (!std::is_sorted(spans_.begin(), spans_.end(), by_place))
      std::stable_sort(spans_.begin(), spans_.end(), by_place);
    if (doc_.spans.empty()) {
      doc_.spans = std::move(spans_);
    } else {
      doc_.spans.reserve(doc_.spans.size() + spans_.size());
      for (Span& span : spans_) doc_.spans.push_back(std::move(span));
    }
    counters_.documents.fetch_add(1, std::memory_order_relaxed);
    if (outline_ > 1) counters_.repeated_outlines.fetch_add(1, std::memory_order_relaxed);
  }

 private:
  std::string_view Prefix(size_t from, size_t end) const {
    return std::string_view(t_.data() + from, std::min(end - from, OutlineRules::kLineStartBytes));
  }

  void OnLine(const Line& line) {
    const std::string_view prefix = Prefix(line.body, line.end);
    if (size_t n = rules_.status_labels.MatchAt(prefix, 0)) return OnStatusLabel(line, n);
    if (size_t n = OwnersLabelAt(prefix))
      return OnOwnersLine(line, n, prefix.substr(0, 1) == "(" || prefix.substr(0, 3) == "（");
    if (TryMarker(line, prefix))
      return;
    OnText(line);
  }

  // "(责任单位:" or "责任单位：" at the start of a line: the length, or 0.
  size_t OwnersLabelAt(std::string_view prefix) const {
    size_t at = 0;
    if (prefix.substr(0, 1) == "(") at = 1;
    else if (prefix.substr(0, 3) == "（") at = 3;
    for (size_t b; (b = BlankAt(t_, static_cast<size_t>(prefix.data() - t_.data()) + at,
                                static_cast<size_t>(prefix.data() - t_.data()) + prefix.size())) > 0;)
      at += b;
    const size_t n = rules_.owner_labels.MatchAt(prefix, at);
    return n ? at + n : 0;
  }

  bool TryMarker(const Line& line, std::string_view prefix) {
    // Most lines start with no marker. Asking only whether one matches lets RE2
    // answer with its DFA; reading the groups takes its slower engines, which
    // then run only on the marker itself.
    re2::StringPiece whole_marker;
    if (!rules_.markers->Match(prefix, 0, prefix.size(), RE2::ANCHOR_START, &whole_marker, 1)) return false;
    prefix = prefix.substr(0, whole_marker.size());
    thread_local std::vector<re2::StringPiece> groups;
    groups.assign(static_cast<size_t>(rules_.marker_groups) + 1, re2::StringPiece());
    if (!rules_.markers->Match(prefix, 0, prefix.size(), RE2::ANCHOR_START, groups.data(),
                               static_cast<int>(groups.size())))
      return false;
    for (const MarkerAlternative& alt : rules_.marker_alternatives) {
      const re2::StringPiece& whole = groups[static_cast<size_t>(alt.group)];
      if (whole.data() == nullptr) continue;
      const re2::StringPiece& number = groups[static_cast<size_t>(alt.group) + 1];
      const Level& level = rules_.levels[static_cast<size_t>(alt.level)];
      const MarkerStyle& style = level.styles[static_cast<size_t>(alt.style)];
      const size_t marker_end = line.body + whole.size();
      if (style.reject_next) {
        std::string_view next = Prefix(marker_end, line.end);
        if (style.reject_next->Match(next, 0, next.size(), RE2::ANCHOR_START, nullptr, 0)) return false;
      }
      std::optional<int64_t> value = ParseOutlineNumber(std::string_view(number.data(), number.size()));
      if (!value) return false;
      const size_t title_begin = SkipBlanks(t_, marker_end, line.end);
      const int alternative = static_cast<int>(&alt - rules_.marker_alternatives.data());
      Decision d = Decide(alt.level, alternative, *value, title_begin, line.end);
      if (d == Decision::kText) return false;
      Accept(alt.level, alternative, *value, d, line, title_begin);
      return true;
    }
    return false;
  }

  // Whether a numbered line continues the outline. Numbers must run on within
  // their level; the exceptions are a restart at 1 under a new parent, a small
  // gap, and a restart of the whole outline (a second copy of the report).
  Decision Decide(int level_index, int style, int64_t n, size_t title_begin, size_t title_end) {
    LevelState& s = states_[static_cast<size_t>(level_index)];
    const Level& level = rules_.levels[static_cast<size_t>(level_index)];
    // A list inside an item's status ("1、…2、…") may reach the next item's
    // number. The line is the next item when it is written like the items
    // and not like the list, or carries an owners label; otherwise the list
    // goes on.
    if (s.nested > 0 && n == s.nested + 1) {
      size_t at = 0, end = 0;
      const bool item_like = n == s.last + 1 && ((style == s.last_style && style != s.nested_style) ||
                                                 rules_.owner_labels.Find(t_, title_begin, title_end, at, end));
      if (!item_like) {
        s.nested = n;
        return Decision::kText;
      }
    }
    if (n == s.last + 1) return Decision::kNext;
    if (n == 1 && s.last >= 1) {
      if (s.fresh_parent && level.restarts) return Decision::kRestart;
      if (level_index <= outermost_) {
        // The outermost level starting again is a second outline when it
        // stands outside any item (after a page title, say) or repeats the
        // first heading; inside an item it is more likely a list there.
        std::string title = t_.substr(title_begin, std::min<size_t>(title_end - title_begin, 64));
        if (!item_.open || ReadsAlike(title, s.first_title)) return Decision::kNewOutline;
      }
      if (item_.open) {
        s.nested = 1;
        s.nested_style = style;
      }
      return Decision::kText;
    }
    if (n > s.last + 1 && n - s.last - 1 <= level.max_gap) return Decision::kGap;
    return Decision::kText;
  }

  void Accept(int level_index, int style, int64_t n, Decision d, const Line& line, size_t title_begin) {
    if (d == Decision::kNewOutline) {
      CloseAll();
      ++outline_;
      for (LevelState& s : states_) s = LevelState{};
      outermost_ = INT_MAX;
      Warn("numbering starts again at " + std::string(RoleName(rules_.levels[static_cast<size_t>(level_index)].role)) +
               " 1: outline " + std::to_string(outline_) + " begins here (a second copy of the report?)",
           line.body, line.end);
    }
    const Level& level = rules_.levels[static_cast<size_t>(level_index)];
    LevelState& s = states_[static_cast<size_t>(level_index)];
    if (d == Decision::kGap) {
      std::string role(RoleName(level.role));
      std::string missing = s.last + 2 == n ? std::to_string(s.last + 1)
                                            : std::to_string(s.last + 1) + "–" + std::to_string(n - 1);
      Warn(role + " " + missing + (s.last + 2 == n ? " is" : " are") + " missing: the numbering " +
               (s.last == 0 ? "starts at " + std::to_string(n)
                            : "goes from " + std::to_string(s.last) + " to " + std::to_string(n)),
           line.body, line.end);
      counters_.gaps.fetch_add(1, std::memory_order_relaxed);
    }
    switch (level.role) {
      case Role::kPart:
        CloseItem();
        CloseHeading(section_, Role::kSection);
        CloseHeading(part_, Role::kPart);
        OpenHeading(part_, n, line, title_begin);
        break;
      case Role::kSection:
        CloseItem();
        CloseHeading(section_, Role::kSection);
        OpenHeading(section_, n, line, title_begin);
        break;
      case Role::kItem:
        CloseItem();
        OpenItem(n, line, title_begin);
        break;
      case Role::kPoint:
        break;  // points never reach here: they are not in the line-start set
    }
    s.last = n;
    s.last_style = style;
    s.fresh_parent = false;
    s.nested = 0;
    if (!s.seen) {
      s.seen = true;
      s.first_title = t_.substr(title_begin, std::min<size_t>(line.end - title_begin, 64));
    }
    for (size_t k = static_cast<size_t>(level_index) + 1; k < states_.size(); ++k) {
      states_[k].fresh_parent = true;
      states_[k].nested = 0;
    }
    outermost_ = std::min(outermost_, level_index);
  }

  void OpenHeading(Heading& h, int64_t n, const Line& line, size_t title_begin) {
    h = Heading{};
    h.open = true;
    h.number = n;
    h.begin = line.body;
    h.span = spans_.size();
    spans_.push_back(Span{});
    size_t title_end = line.end;
    re2::StringPiece g[2];
    if (rules_.declared_count &&
        rules_.declared_count->Match(t_, title_begin, title_end, RE2::UNANCHORED, g, 2)) {
      h.declared = ParseOutlineNumber(std::string_view(g[1].data(), g[1].size()));
      const size_t at = static_cast<size_t>(g[0].data() - t_.data());
      h.declared_at = {at, at + g[0].size()};
      h.declared_text.assign(g[0].data(), g[0].size());
      // The count is kept in `declared_count`; the title reads without it.
      h.title = t_.substr(title_begin, TrimBlanksBack(t_, title_begin, at) - title_begin);
      const size_t rest = SkipBlanks(t_, h.declared_at.end, title_end);
      h.title.append(t_, rest, title_end - rest);
    } else {
      h.title = t_.substr(title_begin, title_end - title_begin);
    }
  }

  void CloseHeading(Heading& h, Role role) {
    if (!h.open) return;
    h.open = false;
    Span& span = spans_[h.span];
    span.kind = RoleName(role);
    span.begin = h.begin;
    span.end = std::max(h.begin, last_content_end_);
    Attributes& a = span.attributes;
    if (role == Role::kPart) {
      a.emplace_back("part", std::to_string(h.number));
      a.emplace_back("title", h.title);
      if (h.declared) a.emplace_back("declared_count", std::to_string(*h.declared));
    } else {
      a.emplace_back("part", part_.open ? std::to_string(part_.number) : "");
      a.emplace_back("section", std::to_string(h.number));
      a.emplace_back("title", h.title);
      if (h.declared) a.emplace_back("declared_count", std::to_string(*h.declared));
    }
    if (outline_ > 1) a.emplace_back("outline", std::to_string(outline_));
    if (h.declared && *h.declared != h.items) {
      Warn(std::string(RoleName(role)) + " " + std::to_string(h.number) + " \"" + h.title + "\" declares " +
               std::to_string(*h.declared) + " items " + h.declared_text + " but " + std::to_string(h.items) +
               (h.items == 1 ? " was" : " were") + " found",
           h.declared_at.begin, h.declared_at.end);
      counters_.count_mismatches.fetch_add(1, std::memory_order_relaxed);
    }
  }

  void OpenItem(int64_t n, const Line& line, size_t title_begin) {
    // Reuse the owner vectors' memory from item to item.
    std::vector<Range> owner_fields = std::move(item_.owner_fields), owners = std::move(item_.owners);
    owner_fields.clear();
    owners.clear();
    item_ = Item{};
    item_.owner_fields = std::move(owner_fields);
    item_.owners = std::move(owners);
    item_.open = true;
    item_.number = n;
    item_.begin = line.body;
    item_.end = line.end;
    item_.indent = line.indent;
    item_.title = {title_begin, title_begin};
    ReadTitleLine(title_begin, line.end);
  }

  // A line of the item's own text: the title, up to an owners label if the
  // line has one (then the owners, then perhaps the status on the same line).
  void ReadTitleLine(size_t from, size_t to) {
    size_t label_at = 0, label_end = 0;
    if (!rules_.owner_labels.Find(t_, from, to, label_at, label_end)) {
      item_.title.end = to;
      return;
    }
    // An opening bracket before the label belongs to it: "(责任单位:…)".
    size_t start = TrimBlanksBack(t_, from, label_at);
    bool bracketed = false;
    if (start >= from + 1 && t_[start - 1] == '(') start -= 1, bracketed = true;
    else if (start >= from + 3 && t_.compare(start - 3, 3, "（") == 0) start -= 3, bracketed = true;
    const size_t title_end = TrimBlanksBack(t_, from, bracketed ? start : label_at);
    if (title_end > from) item_.title.end = title_end;
    ReadOwnersAfterLabel(label_end, to, bracketed);
    if (item_.mode == Item::kTitle) item_.mode = Item::kBody;
  }

  // Reads owners from just after a label to the bracket that closes the
  // label's bracket (or the end of the line), then a status label that may
  // follow on the same line.
  void ReadOwnersAfterLabel(size_t from, size_t to, bool bracketed) {
    size_t end = to, after = to;
    int depth = bracketed ? 1 : 0;
    for (size_t i = from; i < to;) {
      const size_t n = Utf8SequenceLength(static_cast<unsigned char>(t_[i]));
      std::string_view c(t_.data() + i, std::min(n, to - i));
      if (c == "(" || c == "（") {
        ++depth;
      } else if (c == ")" || c == "）") {
        if (depth <= 1) {
          end = i;
          after = i + c.size();
          break;
        }
        --depth;
      }
      i += n;
    }
    size_t at = 0, label_end = 0;
    if (rules_.status_labels.Find(t_, from, end, at, label_end)) end = after = at;
    // Several labels may share one bracket: "(牵头单位:区发改局;配合单位:区统计局)".
    size_t segment = from;
    while (segment < end && rules_.owner_labels.Find(t_, segment, end, at, label_end)) {
      AddOwners(segment, at);
      segment = label_end;
    }
    AddOwners(segment, end);
    const size_t s = SkipBlanks(t_, after, to);
    if (s < to) {
      if (size_t n = rules_.status_labels.MatchAt(Prefix(s, to), 0)) StartStatus(s + n, to, item_.indent);
    }
  }

  bool IsSeparatorAt(size_t i, size_t end, size_t& len) const {
    for (const std::string& sep : rules_.owner_separators) {
      if (end - i >= sep.size() && t_.compare(i, sep.size(), sep) == 0) {
        len = sep.size();
        return true;
      }
    }
    return false;
  }

  // One owners text: the field, then each unit between separators.
  void AddOwners(size_t begin, size_t end) {
    begin = SkipBlanks(t_, begin, end);
    // Strip separators and full stops left at the end ("区发改局;", "区财政局。").
    for (bool stripped = true; stripped;) {
      stripped = false;
      end = TrimBlanksBack(t_, begin, end);
      for (const std::string& p : rules_.owner_separators)
        if (end - begin >= p.size() && t_.compare(end - p.size(), p.size(), p) == 0) {
          end -= p.size();
          stripped = true;
          break;
        }
      if (!stripped && end - begin >= 3 && t_.compare(end - 3, 3, "。") == 0) {
        end -= 3;
        stripped = true;
      }
    }
    if (end <= begin) return;
    item_.owner_fields.push_back({begin, end});
    size_t unit = begin;
    for (size_t i = begin; i < end;) {
      size_t len = 0;
      if (IsSeparatorAt(i, end, len)) {
        AddUnit(unit, i);
        i += len;
        unit = i;
      } else {
        i += Utf8SequenceLength(static_cast<unsigned char>(t_[i]));
      }
    }
    AddUnit(unit, end);
  }

  void AddUnit(size_t begin, size_t end) {
    begin = SkipBlanks(t_, begin, end);
    end = TrimBlanksBack(t_, begin, end);
    if (end > begin) item_.owners.push_back({begin, end});
  }

  void StartStatus(size_t from, size_t to, int indent) {
    item_.mode = Item::kStatus;
    item_.indent = std::min(item_.indent, indent);
    from = SkipBlanks(t_, from, to);
    if (from < to) {
      if (item_.status.begin == kNone) item_.status.begin = from;
      item_.status.end = to;
    }
  }

  void OnStatusLabel(const Line& line, size_t label_length) {
    if (!item_.open) return;  // a status outside any item has nothing to belong to
    StartStatus(line.body + label_length, line.end, line.indent);
    item_.end = line.end;
  }

  void OnOwnersLine(const Line& line, size_t label_length, bool bracketed) {
    if (!item_.open) return;
    ReadOwnersAfterLabel(line.body + label_length, line.end, bracketed);
    if (item_.mode == Item::kTitle) item_.mode = Item::kBody;
    item_.end = line.end;
  }

  void OnText(const Line& line) {
    if (!item_.open) return;
    // Page titles and chrome start at the margin; the report's paragraphs are
    // indented: a paragraph that sits further left ends the item. Only a new
    // paragraph: a hard-wrapped line goes on at the margin under an indented
    // first line.
    if (rules_.dedent_ends_item && line.after_blank && line.indent < item_.indent) return CloseItem();
    switch (item_.mode) {
      case Item::kTitle:
        ReadTitleLine(line.body, line.end);
        break;
      case Item::kBody:
        break;  // neither the title nor a labelled field: the item's span only
      case Item::kStatus:
        if (item_.status.begin == kNone) item_.status.begin = line.body;
        item_.status.end = line.end;
        break;
    }
    item_.end = line.end;
  }

  void CloseItem() {
    if (!item_.open) return;
    item_.open = false;
    const std::string item = std::to_string(item_.number);
    const std::string part = part_.open ? std::to_string(part_.number) : "";
    const std::string section = section_.open ? std::to_string(section_.number) : "";
    // Kinds and keys are built once: constructing them from literals for
    // every span (strlen, then a copy out of an initializer list) showed up.
    static const std::string kItem = "item", kField = "field", kOwner = "owner", kPart = "part",
                             kSection = "section", kIndex = "index", kOutline = "outline";
    const size_t extra = outline_ > 1 ? 1 : 0;
    {
      Span& span = spans_.emplace_back();
      span.kind = kItem;
      span.begin = item_.begin;
      span.end = item_.end;
      span.attributes.reserve(3 + extra);
      span.attributes.emplace_back(kPart, part);
      span.attributes.emplace_back(kSection, section);
      span.attributes.emplace_back(kItem, item);
      if (extra) span.attributes.emplace_back(kOutline, std::to_string(outline_));
    }
    auto add = [&](const std::string& kind, const Range& r, const std::string& key, std::string value) {
      Span& span = spans_.emplace_back();
      span.kind = kind;
      span.begin = r.begin;
      span.end = r.end;
      span.attributes.reserve(2 + extra);
      span.attributes.emplace_back(kItem, item);
      span.attributes.emplace_back(key, std::move(value));
      if (extra) span.attributes.emplace_back(kOutline, std::to_string(outline_));
    };
    if (!item_.title.empty()) add(kField, item_.title, kField, "title");
    std::string owners;
    size_t unit = 0;
    for (const Range& field : item_.owner_fields) {
      add(kField, field, kField, "owners");
      for (; unit < item_.owners.size() && item_.owners[unit].begin < field.end; ++unit) {
        add(kOwner, item_.owners[unit], kIndex, std::to_string(unit));
        if (unit) owners += '|';
        owners.append(t_, item_.owners[unit].begin, item_.owners[unit].end - item_.owners[unit].begin);
      }
    }
    const bool has_status = item_.status.begin != kNone;
    if (has_status) add(kField, item_.status, kField, "status");

    const RawRange raw = doc_.ToRaw(item_.begin, item_.end);
    const uint64_t line = doc_.LineOf(raw.begin);
    // Built by moving: an initializer list would copy every string once more.
    std::vector<Value> cells;
    cells.reserve(12);
    cells.emplace_back(doc_.id);
    cells.push_back(part_.open ? Value(part_.number) : Value());
    cells.push_back(part_.open ? Value(part_.title) : Value());
    cells.push_back(section_.open ? Value(section_.number) : Value());
    cells.push_back(section_.open ? Value(section_.title) : Value());
    cells.emplace_back(item_.number);
    cells.emplace_back(JoinLines(t_, item_.title.begin, std::max(item_.title.begin, item_.title.end), ""));
    cells.emplace_back(std::move(owners));
    cells.push_back(has_status ? Value(JoinLines(t_, item_.status.begin, item_.status.end, "\n")) : Value());
    cells.push_back(line > 0 ? Value(static_cast<int64_t>(line)) : Value());
    cells.emplace_back(static_cast<int64_t>(raw.begin));
    cells.emplace_back(static_cast<int64_t>(raw.end));
    doc_.AddRow("items", std::move(cells));
    if (part_.open) ++part_.items;
    if (section_.open) ++section_.items;
    counters_.items.fetch_add(1, std::memory_order_relaxed);
  }

  void CloseAll() {
    CloseItem();
    CloseHeading(section_, Role::kSection);
    CloseHeading(part_, Role::kPart);
  }

  void Warn(std::string message, size_t begin, size_t end) {
    const RawRange raw = doc_.ToRaw(begin, end);
    const uint64_t line = doc_.LineOf(raw.begin);
    if (line > 0) message = "line " + std::to_string(line) + ": " + message;
    doc_.Warn(std::move(message), begin, end);
  }

  const OutlineRules& rules_;
  Document& doc_;
  const std::string& t_;
  Counters& counters_;
  std::vector<LevelState> states_;
  std::vector<Span> spans_;
  Heading part_, section_;
  Item item_;
  int outline_ = 1;
  int outermost_ = INT_MAX;  // the outermost level used in this outline
  size_t last_content_end_ = 0;
};

class SegmentOutline final : public Transform {
 public:
  explicit SegmentOutline(std::shared_ptr<const OutlineRules> rules) : rules_(std::move(rules)) {}

  Status Process(Document& doc) override {
    Reader(*rules_, doc, counters_).Run();
    return OkStatus();
  }

  std::vector<std::string> Summary() const override {
    const uint64_t docs = counters_.documents.load(), items = counters_.items.load();
    std::string line = std::to_string(items) + " item" + (items == 1 ? "" : "s") + " in " + std::to_string(docs) +
                       " document" + (docs == 1 ? "" : "s");
    auto add = [&line](uint64_t n, const char* one, const char* many) {
      if (n > 0) line += "; " + std::to_string(n) + " " + (n == 1 ? one : many);
    };
    add(counters_.count_mismatches.load(), "declared count that disagrees with the items found",
        "declared counts that disagree with the items found");
    add(counters_.gaps.load(), "gap in the numbering", "gaps in the numbering");
    add(counters_.repeated_outlines.load(), "document whose numbering starts again (a second copy?)",
        "documents whose numbering starts again (second copies?)");
    return {line};
  }

 private:
  std::shared_ptr<const OutlineRules> rules_;
  Counters counters_;
};

Status Register(Registry& registry) {
  StageInfo info;
  info.name = "segment.outline";
  info.summary = "Parts, sections and numbered items of a report, with each item's text, responsible units and status.";
  info.doc =
      "Reads the outline of a progress report line by line: parts (一、), sections ((一)), numbered items (1.) and "
      "their fields: the item's own text, its responsible units (责任单位 …) and its status (完成情况 … with every "
      "continuation paragraph). A numbered line counts only when its number runs on within its level, restarts "
      "at 1 under a new heading, or skips at most a few numbers (a warning names the gap); anything else is text, "
      "so '2.5平方公里…' at a line start is not item 2. Numbering that starts again at the outermost level opens a "
      "new outline (a second copy of the report): its items keep their printed numbers, their spans carry "
      "outline=2, and a warning says where it begins. Declared counts such as (共72项) are checked against the "
      "items found. Writes part, section, item, field and owner spans (docs/spans.md) and one row of `items` per "
      "item. The rules live in a YAML file (configs/zh/outline.yaml) that users may extend.";
  info.kind = StageKind::kTransform;
  info.execution = Execution::kParallel;
  info.params = {
      ParamSpec::Path("rules", "zh/outline.yaml",
                      "The outline rules: the numbering styles of each level, the field labels and the owner "
                      "separators. A relative path is looked up in the configs folders (beside the pipeline file, "
                      "LODE_CONFIG_PATH, the installed configs)."),
  };
  info.tables = {ItemsTable()};
  info.make_transform = [](const Config& c, const SetupContext& setup) -> StatusOr<std::unique_ptr<Transform>> {
    LODE_ASSIGN_OR_RETURN(std::string path, setup.FindDataFile(c.GetString("rules")));
    LODE_ASSIGN_OR_RETURN(std::shared_ptr<const OutlineRules> rules, OutlineRules::Load(path));
    return std::unique_ptr<Transform>(new SegmentOutline(std::move(rules)));
  };
  return registry.Add(std::move(info));
}

}  // namespace
}  // namespace lode::outline

LODE_PLUGIN(segment_outline, "segment.outline", LODE_VERSION_STRING,
            "Report outline: parts, sections, numbered items and their fields.", lode::outline::Register)
