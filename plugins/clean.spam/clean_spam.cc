// clean.spam: keyword stuffing collapsed back to the word it replaced, and page
// chrome (comment prompts, "more articles", font-size bars…) removed, each change
// a `repairs` row whose raw range holds exactly its from_text. README.md gives
// the detection rule; the comments here say why the code is shaped as it is.
#include <re2/re2.h>
#include <re2/set.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstring>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "lode/lode.h"

namespace {

using namespace lode;

// A stuffing phrase is a search query ("place topic year"); longer chains of
// blank-separated tokens are prose or tables, not queries.
constexpr size_t kMaxTokens = 6;
// Edge tokens are glued to the text around them; only this many characters of
// the glued run are considered, which bounds the work per junction.
constexpr size_t kMaxTokenChars = 16;
// One-character tokens ("2019 年", "第 3 名") are how spaced-out numbers and
// units look; stuffing inserts words.
constexpr size_t kMinTokenChars = 2;
// Choosing the word (ChooseWord): neighbour evidence counts from these shares
// of places on, and only at twice the next token's.
constexpr double kPairEvidence = 0.1;
constexpr double kSideEvidence = 0.25;

// ---------------------------------------------------------------------------
// UTF-8 and character classes. Document text is valid UTF-8 by contract.

uint32_t DecodeAt(std::string_view s, size_t i, size_t* len) {
  const auto b = [&](size_t k) { return static_cast<uint32_t>(static_cast<unsigned char>(s[i + k])); };
  uint32_t c = b(0);
  if (c < 0x80) { *len = 1; return c; }
  if (c < 0xE0) { *len = 2; return ((c & 0x1F) << 6) | (b(1) & 0x3F); }
  if (c < 0xF0) { *len = 3; return ((c & 0x0F) << 12) | ((b(1) & 0x3F) << 6) | (b(2) & 0x3F); }
  *len = 4;
  return ((c & 0x07) << 18) | ((b(1) & 0x3F) << 12) | ((b(2) & 0x3F) << 6) | (b(3) & 0x3F);
}

// Start of the code point that ends right before byte i (i > 0).
size_t PrevStart(std::string_view s, size_t i) {
  do { --i; } while (i > 0 && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80);
  return i;
}

bool IsLead(std::string_view s, size_t i) {
  return i >= s.size() || (static_cast<unsigned char>(s[i]) & 0xC0) != 0x80;
}

size_t CountChars(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

// A blank at s[i] within [.., end): its byte length, or 0. Besides the ASCII
// space, scraped pages carry no-break and ideographic spaces where a space was.
size_t BlankAt(std::string_view s, size_t i, size_t end) {
  const auto b = [&](size_t k) { return static_cast<unsigned char>(s[i + k]); };
  unsigned char c = b(0);
  if (c == ' ' || c == '\t') return 1;
  if (c == 0xC2 && i + 1 < end && b(1) == 0xA0) return 2;
  if (c == 0xE3 && i + 2 < end && b(1) == 0x80 && b(2) == 0x80) return 3;
  return 0;
}

// The blank that ends right before byte i, not reaching before `begin`: its length, or 0.
size_t BlankBefore(std::string_view s, size_t i, size_t begin) {
  if (i <= begin) return 0;
  unsigned char c = static_cast<unsigned char>(s[i - 1]);
  if (c == ' ' || c == '\t') return 1;
  if (c == 0xA0 && i - begin >= 2 && static_cast<unsigned char>(s[i - 2]) == 0xC2) return 2;
  if (c == 0x80 && i - begin >= 3 && s.compare(i - 3, 3, "\xE3\x80\x80") == 0) return 3;
  return 0;
}

// The first byte in [i, e) where a blank starts (a space, a tab, a no-break
// space C2 A0, an ideographic space E3 80 80), or e. Sixteen bytes at a time, checking
// the whole sequence: this runs over every byte of every document, and the
// lead byte E3 alone is in every 。 and 、.
size_t NextBlank(std::string_view s, size_t i, size_t e) {
  const char* d = s.data();
#if defined(__SSE2__)
  const __m128i space = _mm_set1_epi8(' '), tab = _mm_set1_epi8('\t'), c2 = _mm_set1_epi8(static_cast<char>(0xC2)),
                a0 = _mm_set1_epi8(static_cast<char>(0xA0)), e3 = _mm_set1_epi8(static_cast<char>(0xE3)),
                x80 = _mm_set1_epi8(static_cast<char>(0x80));
  for (; i + 18 <= e; i += 16) {
    const __m128i v0 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(d + i));
    const __m128i v1 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(d + i + 1));
    const __m128i v2 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(d + i + 2));
    const __m128i nbsp = _mm_and_si128(_mm_cmpeq_epi8(v0, c2), _mm_cmpeq_epi8(v1, a0));
    const __m128i ideo = _mm_and_si128(_mm_and_si128(_mm_cmpeq_epi8(v0, e3), _mm_cmpeq_epi8(v1, x80)),
                                       _mm_cmpeq_epi8(v2, x80));
    const __m128i ascii = _mm_or_si128(_mm_cmpeq_epi8(v0, space), _mm_cmpeq_epi8(v0, tab));
    const __m128i hit = _mm_or_si128(_mm_or_si128(ascii, nbsp), ideo);
    if (const int mask = _mm_movemask_epi8(hit)) return i + static_cast<size_t>(__builtin_ctz(mask));
  }
#endif
  for (; i < e; ++i) {
    const unsigned char c = static_cast<unsigned char>(d[i]);
    if ((c == ' ' || c == '\t' || c == 0xC2 || c == 0xE3) && BlankAt(s, i, e)) return i;
  }
  return e;
}

// Letters, ideographs and digits: what a keyword token is made of. Punctuation,
// symbols (㎡, Ⅲ, ┅) and spaces end a token.
bool IsWordChar(uint32_t cp) {
  if (cp < 0x80) return (cp >= '0' && cp <= '9') || ((cp | 0x20) >= 'a' && (cp | 0x20) <= 'z');
  if (cp < 0xC0 || cp == 0xD7 || cp == 0xF7) return false;
  if (cp >= 0x2000 && cp < 0x2C00) return false;
  if (cp >= 0x2E00 && cp < 0x2E80) return false;
  if (cp >= 0x3000 && cp < 0x3040) return false;
  if (cp >= 0x3200 && cp < 0x3400) return false;
  if (cp >= 0xFE10 && cp < 0xFE70) return false;
  if (cp >= 0xFF00 && cp < 0xFF10) return false;
  if (cp >= 0xFF1A && cp < 0xFF21) return false;
  if (cp >= 0xFF3B && cp < 0xFF41) return false;
  if (cp >= 0xFF5B && cp < 0xFF66) return false;
  if (cp >= 0xFFE0 && cp < 0xFFF0) return false;
  return true;
}

bool IsDigit(uint32_t cp) { return (cp >= '0' && cp <= '9') || (cp >= 0xFF10 && cp <= 0xFF19); }

bool IsWordText(std::string_view s) {
  for (size_t i = 0, n; i < s.size(); i += n)
    if (!IsWordChar(DecodeAt(s, i, &n))) return false;
  return !s.empty();
}

// "2019", "2019年", "2019-07": dates and numbers that queries carry along. They
// are never the word a phrase stands for.
bool IsNumericToken(std::string_view s) {
  bool digit = false;
  for (size_t i = 0, n; i < s.size(); i += n) {
    uint32_t cp = DecodeAt(s, i, &n);
    if (IsDigit(cp)) {
      digit = true;
    } else if (!(cp == '.' || cp == '-' || cp == '/' || cp == 0x5E74 /*年*/ || cp == 0x6708 /*月*/ ||
                 cp == 0x65E5 /*日*/ || cp == 0xFF0E || cp == 0xFF0D || cp == 0xFF0F)) {
      return false;
    }
  }
  return digit;
}

bool StartsWithDigit(std::string_view s) {
  size_t n;
  return !s.empty() && IsDigit(DecodeAt(s, 0, &n));
}
bool EndsWithDigit(std::string_view s) {
  size_t n;
  return !s.empty() && IsDigit(DecodeAt(s, PrevStart(s, s.size()), &n));
}

// The code point before byte i within [begin, ..), or 0 at the start.
uint32_t CharBefore(std::string_view s, size_t i, size_t begin) {
  if (i <= begin) return 0;
  size_t n;
  return DecodeAt(s, PrevStart(s, i), &n);
}
uint32_t CharAt(std::string_view s, size_t i, size_t end) {
  if (i >= end) return 0;
  size_t n;
  return DecodeAt(s, i, &n);
}

// text.find(needle, from), through memmem: string_view::find looks for the
// first byte and compares, and the lead byte of a CJK needle is in every few
// bytes of Chinese text.
size_t Find(std::string_view text, std::string_view needle, size_t from) {
  if (from > text.size()) return std::string_view::npos;
  const void* hit = ::memmem(text.data() + from, text.size() - from, needle.data(), needle.size());
  return hit ? static_cast<size_t>(static_cast<const char*>(hit) - text.data()) : std::string_view::npos;
}

// Splits a keyword or a pattern list entry at blanks of any kind.
std::vector<std::string> SplitBlanks(std::string_view s) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < s.size()) {
    size_t b = BlankAt(s, i, s.size());
    if (b) { i += b; continue; }
    size_t j = i;
    while (j < s.size() && BlankAt(s, j, s.size()) == 0) ++j;
    out.emplace_back(s.substr(i, j - i));
    i = j;
  }
  return out;
}

// ---------------------------------------------------------------------------
// Chrome rules

struct ChromeRules {
  std::vector<std::unique_ptr<RE2>> each;  // for the rare DFA budget overflow of the set
  std::unique_ptr<RE2::Set> set;
  std::vector<std::string> sources;        // "file:line:col" or "chrome_patterns[2]", per pattern

  bool empty() const { return each.empty(); }

  bool Matches(std::string_view line) const {
    if (each.empty()) return false;
    RE2::Set::ErrorInfo info{RE2::Set::kNoError};
    if (set->Match(line, nullptr, &info)) return true;
    if (info.kind == RE2::Set::kNoError) return false;
    for (const auto& re : each)
      if (RE2::FullMatch(line, *re)) return true;
    return false;
  }
};

RE2::Options PatternOptions() {
  RE2::Options o;
  o.set_log_errors(false);
  return o;
}

// Checks one pattern and adds it. Returns a message (empty when fine) for the
// caller to place.
std::string AddChromePattern(ChromeRules& rules, const std::string& pattern, std::string source) {
  if (pattern.size() < 2 || pattern.front() != '^' || pattern.back() != '$')
    return "a chrome pattern must match a whole line: start it with ^ and end it with $";
  auto re = std::make_unique<RE2>(pattern, PatternOptions());
  if (!re->ok()) return "bad RE2 pattern: " + re->error();
  if (RE2::FullMatch("", *re))
    return "this pattern matches an empty line; chrome patterns must name what they remove";
  std::string error;
  if (rules.set->Add(pattern, &error) < 0) return "bad RE2 pattern: " + error;
  rules.each.push_back(std::move(re));
  rules.sources.push_back(std::move(source));
  return "";
}

Status LoadChromeFile(const std::string& path, ChromeRules& rules) {
  LODE_ASSIGN_OR_RETURN(DataNode root, LoadDataFile(path));
  if (!root.is_map()) return root.Error("expected a mapping with a 'lines:' list of patterns");
  for (const auto& [key, value] : root.entries())
    if (key.scalar() != "lines") return key.Error("unknown key '" + key.scalar() + "' (the file has only 'lines')");
  const DataNode* lines = root.Find("lines");
  if (lines == nullptr) return root.Error("expected a 'lines:' list of patterns");
  if (lines->is_null()) return OkStatus();
  if (!lines->is_list()) return lines->Error("'lines' must be a list of RE2 patterns");
  for (const DataNode& item : lines->items()) {
    if (!item.is_scalar()) return item.Error("expected an RE2 pattern (a string)");
    std::string problem = AddChromePattern(rules, item.scalar(), item.where());
    if (!problem.empty()) return item.Error(problem);
  }
  return OkStatus();
}

// ---------------------------------------------------------------------------
// Keywords named in the pipeline

struct NamedKeyword {
  std::vector<std::string> tokens;
  int word = -1;  // index of the bracketed token, or -1: chosen like a detected phrase's
};

StatusOr<NamedKeyword> ParseKeyword(const std::string& spec, size_t index) {
  const std::string where = "keywords[" + std::to_string(index) + "] '" + spec + "'";
  NamedKeyword k;
  for (std::string& t : SplitBlanks(spec)) {
    if (t.size() >= 2 && t.front() == '[' && t.back() == ']') {
      if (k.word >= 0) return InvalidArgumentError(where + ": only one token may be marked as the word");
      t = t.substr(1, t.size() - 2);
      if (t.empty()) return InvalidArgumentError(where + ": '[]' marks no word");
      k.word = static_cast<int>(k.tokens.size());
    }
    if (!IsWordText(t))
      return InvalidArgumentError(where + ": token '" + t + "' has punctuation; tokens are words, numbers or years");
    k.tokens.push_back(std::move(t));
  }
  if (k.tokens.size() < 2)
    return InvalidArgumentError(where + ": a keyword phrase has at least two blank-separated tokens");
  if (k.tokens.size() > kMaxTokens)
    return InvalidArgumentError(where + ": at most " + std::to_string(kMaxTokens) + " tokens");
  return k;
}

// ---------------------------------------------------------------------------
// Per-document analysis

struct Line {
  size_t begin, end, next;  // [begin, end) without "\r\n"; next: where the following line starts
  bool chrome = false;
  bool echo = false;        // the page title, or a chrome line: where stuffing is echoed
};

// A stretch of non-blank text inside a line, with the word characters at its
// two ends (what a glued edge token can be).
struct Run {
  size_t begin, end;
  size_t tail;   // trailing word characters start here (at most kMaxTokenChars)
  size_t head;   // leading word characters end here (at most kMaxTokenChars)
  bool all_word;
};

// One place where a candidate phrase may sit: the left run's word tail ends at
// a single blank, inner runs follow, and the right run's word head starts after
// the last blank.
struct Window {
  uint32_t line;
  size_t left_begin, tail, left_end;  // left run and where its word tail starts
  size_t right_begin, head, right_end;
  bool echo;
};

struct Group {
  uint32_t tokens = 0;
  std::vector<std::string_view> inner;
  std::vector<Window> windows;
  uint32_t body = 0, echo = 0;
};

struct Place {
  size_t begin, end;  // from the first token's first byte to the last token's last byte
  uint32_t line;
  bool echo;
};

struct Phrase {
  std::vector<std::string> tokens;
  int word = -1;
  bool named = false;
  std::vector<Place> places;
  uint32_t body = 0;
};

// Non-overlapping byte ranges claimed by accepted phrases.
class Claims {
 public:
  bool Overlaps(size_t b, size_t e) const {
    auto it = ranges_.upper_bound(b);
    if (it != ranges_.end() && it->first < e) return true;
    if (it != ranges_.begin() && std::prev(it)->second > b) return true;
    return false;
  }
  void Add(size_t b, size_t e) { ranges_[b] = e; }

 private:
  std::map<size_t, size_t> ranges_;
};

// ---------------------------------------------------------------------------
// The stage

struct Options {
  bool detect = true;
  int64_t min_repeats = 3;
  bool require_echo = true;
  size_t max_chrome_line = 512;
  std::vector<NamedKeyword> keywords;
};

class CleanSpam : public Transform {
 public:
  CleanSpam(Options options, ChromeRules chrome) : opt_(std::move(options)), chrome_(std::move(chrome)) {}

  Status Process(Document& doc) override {
    const std::string_view text = doc.text;
    std::vector<Line> lines = SplitLines(text);
    size_t chrome_lines = MarkChromeAndTitle(text, lines);

    std::vector<Phrase> phrases;
    if (opt_.detect || !opt_.keywords.empty()) phrases = FindPhrases(text, lines);
    if (chrome_lines == 0 && phrases.empty()) return OkStatus();

    struct Removal {
      size_t begin, end;   // the repairs row's text
      size_t cut_begin, cut_end, keep_begin, keep_end;  // the edit: [cut_begin, cut_end) minus [keep_begin, keep_end)
      const char* kind;
      std::string to;
    };
    std::vector<Removal> removals;
    for (const Line& l : lines)
      if (l.chrome) removals.push_back({l.begin, l.end, l.begin, l.next, l.next, l.next, "chrome", ""});
    size_t places = 0;
    for (const Phrase& p : phrases) {
      for (const Place& pl : p.places) {
        if (lines[pl.line].chrome) continue;  // the whole line goes
        auto [wb, we] = TokenSpan(text, pl, p.word);
        removals.push_back({pl.begin, pl.end, pl.begin, pl.end, wb, we, "keyword", p.tokens[p.word]});
        ++places;
      }
    }
    std::sort(removals.begin(), removals.end(),
              [](const Removal& a, const Removal& b) { return a.cut_begin < b.cut_begin; });

    std::vector<TextEdit> edits;
    edits.reserve(removals.size() * 2);
    for (const Removal& r : removals) {
      const RawRange raw = doc.ToRaw(r.begin, r.end);
      doc.AddRow("repairs", {Value(doc.id), Value(std::string(r.kind)),
                             Value(std::string(text.substr(r.begin, r.end - r.begin))), Value(r.to),
                             Value(static_cast<int64_t>(raw.begin)), Value(static_cast<int64_t>(raw.end))});
      // The kept word is not rewritten, so it keeps its byte-for-byte provenance.
      if (r.cut_begin < r.keep_begin) edits.push_back({r.cut_begin, r.keep_begin, ""});
      if (r.keep_end < r.cut_end) edits.push_back({r.keep_end, r.cut_end, ""});
    }
    if (!doc.ApplyEdits(edits)) return InternalError("clean.spam produced overlapping edits");

    chrome_lines_ += chrome_lines;
    if (chrome_lines) ++chrome_docs_;
    if (!phrases.empty()) {
      ++stuffed_docs_;
      phrases_ += phrases.size();
      keyword_places_ += places;
    }
    return OkStatus();
  }

  std::vector<std::string> Summary() const override {
    std::vector<std::string> out;
    if (stuffed_docs_)
      out.push_back(std::to_string(keyword_places_.load()) + " stuffed keyword places collapsed (" +
                    std::to_string(phrases_.load()) + " phrases in " + std::to_string(stuffed_docs_.load()) +
                    " documents)");
    if (chrome_docs_)
      out.push_back(std::to_string(chrome_lines_.load()) + " page chrome lines removed from " +
                    std::to_string(chrome_docs_.load()) + " documents");
    return out;
  }

 private:
  static std::vector<Line> SplitLines(std::string_view text) {
    std::vector<Line> lines;
    size_t b = 0;
    while (b < text.size()) {
      const void* nl = std::memchr(text.data() + b, '\n', text.size() - b);
      size_t e = nl ? static_cast<size_t>(static_cast<const char*>(nl) - text.data()) : text.size();
      size_t next = nl ? e + 1 : e;
      if (e > b && text[e - 1] == '\r') --e;
      lines.push_back({b, e, next});
      b = next;
    }
    return lines;
  }

  static bool HasContent(std::string_view text, const Line& l) {
    for (size_t i = l.begin; i < l.end;) {
      size_t b = BlankAt(text, i, l.end);
      if (!b) return true;
      i += b;
    }
    return false;
  }

  size_t MarkChromeAndTitle(std::string_view text, std::vector<Line>& lines) const {
    size_t n = 0;
    bool title_found = false;
    for (Line& l : lines) {
      if (l.end == l.begin) continue;
      if (!chrome_.empty() && l.end - l.begin <= opt_.max_chrome_line &&
          chrome_.Matches(text.substr(l.begin, l.end - l.begin))) {
        l.chrome = l.echo = true;
        ++n;
        continue;
      }
      if (!title_found && HasContent(text, l)) {
        title_found = true;
        l.echo = true;
      }
    }
    return n;
  }

  // Splits a line into runs when it has at least one single-blank junction
  // between two non-blank characters; `single[k]` tells whether runs k and k+1
  // are joined by exactly one (non-tab) blank.
  static bool Tokenize(std::string_view text, const Line& l, std::vector<Run>& runs, std::vector<bool>& single) {
    bool junction = false;
    size_t from = l.begin;
    while (from < l.end) {  // indentation is never a junction
      const size_t b = BlankAt(text, from, l.end);
      if (b == 0) break;
      from += b;
    }
    for (size_t i = NextBlank(text, from, l.end); i < l.end; i = NextBlank(text, i, l.end)) {
      const size_t b = BlankAt(text, i, l.end);
      if (text[i] != '\t' && BlankBefore(text, i, l.begin) == 0 && i + b < l.end &&
          BlankAt(text, i + b, l.end) == 0) {
        junction = true;
        break;
      }
      i += b;
    }
    if (!junction) return false;
    runs.clear();
    single.clear();
    size_t i = l.begin;
    size_t blanks = 0;
    bool tab = false;
    while (i < l.end) {
      size_t b = BlankAt(text, i, l.end);
      if (b) {
        ++blanks;
        tab |= text[i] == '\t';
        i += b;
        continue;
      }
      const size_t j = NextBlank(text, i, l.end);
      if (!runs.empty()) single.push_back(blanks == 1 && !tab);
      runs.push_back(MakeRun(text, i, j));
      blanks = 0;
      tab = false;
      i = j;
    }
    return true;
  }

  static Run MakeRun(std::string_view text, size_t b, size_t e) {
    Run r{b, e, e, b, true};
    size_t n = 0, count = 0;
    for (size_t i = b; i < e; i += n) {
      if (!IsWordChar(DecodeAt(text, i, &n))) {
        r.all_word = false;
        break;
      }
    }
    for (size_t i = b; i < e && count < kMaxTokenChars; i += n, ++count) {
      if (!IsWordChar(DecodeAt(text, i, &n))) break;
      r.head = i + n;
    }
    count = 0;
    for (size_t i = e; i > b && count < kMaxTokenChars; ++count) {
      size_t s = PrevStart(text, i);
      if (!IsWordChar(DecodeAt(text, s, &n))) break;
      r.tail = i = s;
    }
    return r;
  }

  std::vector<Phrase> FindPhrases(std::string_view text, const std::vector<Line>& lines) const {
    std::vector<Phrase> named(opt_.keywords.size());
    for (size_t k = 0; k < opt_.keywords.size(); ++k) {
      named[k].tokens = opt_.keywords[k].tokens;
      named[k].word = opt_.keywords[k].word;
      named[k].named = true;
    }
    std::unordered_map<std::string, Group> groups;
    std::vector<Run> runs;
    std::vector<bool> single;
    std::string key;
    for (uint32_t li = 0; li < lines.size(); ++li) {
      const Line& l = lines[li];
      if (!Tokenize(text, l, runs, single)) continue;
      for (size_t a = 0; a < runs.size();) {
        size_t z = a;
        while (z + 1 < runs.size() && single[z]) ++z;
        for (size_t i = a; i < z; ++i) {
          for (size_t j = i + 1; j <= z && j - i + 1 <= kMaxTokens; ++j) {
            if (j - 1 > i && !runs[j - 1].all_word) break;  // inner tokens are whole words
            const Run& L = runs[i];
            const Run& R = runs[j];
            MatchNamed(text, runs, i, j, li, l.echo, named);
            if (!opt_.detect) continue;
            std::string_view tail = text.substr(L.tail, L.end - L.tail);
            std::string_view head = text.substr(R.begin, R.head - R.begin);
            if (CountChars(tail) < kMinTokenChars || CountChars(head) < kMinTokenChars) continue;
            // Grouped by the inner tokens and two characters on each side of the
            // outer junctions: every occurrence of one phrase shares them.
            key.assign(1, static_cast<char>('0' + (j - i + 1)));
            for (size_t k = i + 1; k < j; ++k) {
              key.append(text.substr(runs[k].begin, runs[k].end - runs[k].begin));
              key.push_back('\x1f');
            }
            size_t t2 = PrevStart(text, PrevStart(text, L.end));
            key.append(text.substr(t2, L.end - t2));
            key.push_back('\x1e');
            size_t n1, n2;
            DecodeAt(text, R.begin, &n1);
            DecodeAt(text, R.begin + n1, &n2);
            key.append(text.substr(R.begin, n1 + n2));
            Group& g = groups[key];
            if (g.windows.empty()) {
              g.tokens = static_cast<uint32_t>(j - i + 1);
              for (size_t k = i + 1; k < j; ++k) g.inner.push_back(text.substr(runs[k].begin, runs[k].end - runs[k].begin));
            }
            g.windows.push_back({li, L.begin, L.tail, L.end, R.begin, R.head, R.end, l.echo});
            (l.echo ? g.echo : g.body)++;
          }
        }
        a = z + 1;
      }
    }

    Claims claims;
    std::vector<Phrase> accepted;
    // Named keywords first: the pipeline said so.
    for (Phrase& p : named) {
      if (p.places.empty()) continue;
      std::sort(p.places.begin(), p.places.end(), [](const Place& a, const Place& b) { return a.begin < b.begin; });
      std::vector<Place> kept;
      for (const Place& pl : p.places) {
        if (claims.Overlaps(pl.begin, pl.end)) continue;
        claims.Add(pl.begin, pl.end);
        kept.push_back(pl);
      }
      if (kept.empty()) continue;
      p.places = std::move(kept);
      if (p.word < 0) p.word = ChooseWord(text, p);
      accepted.push_back(std::move(p));
    }
    if (!opt_.detect) return accepted;

    std::vector<Phrase> found;
    for (auto& [k, g] : groups) {
      if (g.body < static_cast<uint64_t>(opt_.min_repeats)) continue;
      if (opt_.require_echo && g.echo == 0) continue;
      std::optional<Phrase> p = Evaluate(text, g);
      if (p) found.push_back(std::move(*p));
    }
    // Longer phrases first, so "A B C" wins over the "A B" and "B C" inside it.
    std::sort(found.begin(), found.end(), [](const Phrase& a, const Phrase& b) {
      if (a.tokens.size() != b.tokens.size()) return a.tokens.size() > b.tokens.size();
      if (a.body != b.body) return a.body > b.body;
      return a.places.front().begin < b.places.front().begin;
    });
    for (Phrase& p : found) {
      std::vector<Place> kept;
      uint32_t body = 0, echo = 0;
      for (const Place& pl : p.places) {
        if (claims.Overlaps(pl.begin, pl.end)) continue;
        if (!kept.empty() && kept.back().end > pl.begin) continue;
        kept.push_back(pl);
        (pl.echo ? echo : body)++;
      }
      if (body < static_cast<uint64_t>(opt_.min_repeats) || (opt_.require_echo && echo == 0)) continue;
      for (const Place& pl : kept) claims.Add(pl.begin, pl.end);
      p.places = std::move(kept);
      p.body = body;
      p.word = ChooseWord(text, p);
      if (p.word < 0) continue;
      accepted.push_back(std::move(p));
    }
    return accepted;
  }

  void MatchNamed(std::string_view text, const std::vector<Run>& runs, size_t i, size_t j, uint32_t li, bool echo,
                  std::vector<Phrase>& named) const {
    const size_t m = j - i + 1;
    for (Phrase& p : named) {
      if (p.tokens.size() != m) continue;
      bool inner = true;
      for (size_t k = 1; k + 1 < m && inner; ++k)
        inner = text.substr(runs[i + k].begin, runs[i + k].end - runs[i + k].begin) == p.tokens[k];
      if (!inner) continue;
      const std::string& first = p.tokens.front();
      const std::string& last = p.tokens.back();
      const Run& L = runs[i];
      const Run& R = runs[j];
      if (L.end - L.begin < first.size() || text.compare(L.end - first.size(), first.size(), first) != 0) continue;
      if (R.end - R.begin < last.size() || text.compare(R.begin, last.size(), last) != 0) continue;
      const size_t b = L.end - first.size(), e = R.begin + last.size();
      // "2019" must not be read out of "12019" or "20190".
      if (StartsWithDigit(first) && IsDigit(CharBefore(text, b, L.begin))) continue;
      if (EndsWithDigit(last) && IsDigit(CharAt(text, e, R.end))) continue;
      p.places.push_back({b, e, li, echo});
    }
  }

  // The phrase a group of windows agrees on, if it passes the checks that tell
  // stuffing from legitimately spaced text.
  std::optional<Phrase> Evaluate(std::string_view text, const Group& g) const {
    // The first token is the longest tail all left runs share, the last the
    // longest head all right runs share: the phrase is the same everywhere,
    // its surroundings are not.
    size_t suffix = SIZE_MAX, prefix = SIZE_MAX;
    const Window& w0 = g.windows.front();
    std::string_view t0 = text.substr(w0.tail, w0.left_end - w0.tail);
    std::string_view h0 = text.substr(w0.right_begin, w0.head - w0.right_begin);
    for (const Window& w : g.windows) {
      std::string_view t = text.substr(w.tail, w.left_end - w.tail);
      std::string_view h = text.substr(w.right_begin, w.head - w.right_begin);
      size_t s = 0, limit = std::min({t.size(), t0.size(), suffix});
      while (s < limit && t[t.size() - 1 - s] == t0[t0.size() - 1 - s]) ++s;
      suffix = s;
      size_t p = 0;
      limit = std::min({h.size(), h0.size(), prefix});
      while (p < limit && h[p] == h0[p]) ++p;
      prefix = p;
    }
    while (suffix > 0 && !IsLead(t0, t0.size() - suffix)) --suffix;
    while (prefix > 0 && !IsLead(h0, prefix)) --prefix;
    std::string_view first = t0.substr(t0.size() - suffix);
    std::string_view last = h0.substr(0, prefix);

    Phrase p;
    p.tokens.emplace_back(first);
    for (std::string_view t : g.inner) p.tokens.emplace_back(t);
    p.tokens.emplace_back(last);
    size_t words = 0;
    for (const std::string& t : p.tokens) {
      if (CountChars(t) < kMinTokenChars) return std::nullopt;
      words += !IsNumericToken(t);
    }
    // A word and a year ("水质 2019") reads like a spaced date ("2019 年度");
    // a query of two words or more does not.
    if (words < 2) return std::nullopt;

    size_t glued = 0, body = 0;
    for (const Window& w : g.windows) {
      const size_t b = w.left_end - first.size(), e = w.right_begin + last.size();
      p.places.push_back({b, e, w.line, w.echo});
      if (w.echo) continue;
      ++body;
      glued += b > w.left_begin || e < w.right_end;
    }
    // Stuffing replaces a word inside running text, so the phrase is glued to
    // its neighbours; text segmented into blank-separated words is not.
    if (glued * 2 < body) return std::nullopt;
    std::sort(p.places.begin(), p.places.end(), [](const Place& a, const Place& b) { return a.begin < b.begin; });
    p.body = static_cast<uint32_t>(body);
    return p;
  }

  // Byte range of token `word` within a place (blanks between tokens vary).
  static std::pair<size_t, size_t> TokenSpan(std::string_view text, const Place& pl, int word) {
    size_t i = pl.begin;
    size_t end = i;
    for (int k = 0;; ++k) {
      end = i;
      while (end < pl.end && BlankAt(text, end, pl.end) == 0) ++end;
      if (k == word) return {i, end};
      i = end + BlankAt(text, end, pl.end);
    }
  }

  // Which token the phrase stands for. README.md, "Which token is the word".
  int ChooseWord(std::string_view text, const Phrase& p) const {
    std::vector<int> candidates;
    for (size_t k = 0; k < p.tokens.size(); ++k)
      if (!IsNumericToken(p.tokens[k])) candidates.push_back(static_cast<int>(k));
    if (candidates.empty()) return -1;
    if (candidates.size() == 1) return candidates.front();

    auto inside_place = [&](size_t b, size_t e) {
      auto it = std::upper_bound(p.places.begin(), p.places.end(), b,
                                 [](size_t v, const Place& pl) { return v < pl.begin; });
      if (it != p.places.end() && it->begin < e) return true;
      return it != p.places.begin() && std::prev(it)->end > b;
    };

    // The evidence, strongest first (README.md, "Which token is the word").
    struct Evidence {
      int token;
      size_t free = 0;     // times the token stands outside the phrase
      double pair = 0;     // share of places whose (left, right) neighbours also surround it elsewhere
      double side = 0;     // the same, one side at a time (half a place each)
    };
    std::vector<Evidence> ev;
    for (int k : candidates) {
      const std::string& t = p.tokens[k];
      std::unordered_set<uint32_t> before, after;
      std::unordered_set<uint64_t> around;
      Evidence e{k};
      for (size_t at = Find(text, t, 0); at != std::string_view::npos; at = Find(text, t, at + t.size())) {
        if (inside_place(at, at + t.size())) continue;
        ++e.free;
        const uint32_t lc = CharBefore(text, at, 0), rc = CharAt(text, at + t.size(), text.size());
        before.insert(lc);
        after.insert(rc);
        around.insert(uint64_t{lc} << 32 | rc);
      }
      for (const Place& pl : p.places) {
        const uint32_t lc = CharBefore(text, pl.begin, 0), rc = CharAt(text, pl.end, text.size());
        e.pair += around.count(uint64_t{lc} << 32 | rc) ? 1 : 0;
        e.side += 0.5 * (lc && before.count(lc)) + 0.5 * (rc && after.count(rc));
      }
      e.pair /= static_cast<double>(p.places.size());
      e.side /= static_cast<double>(p.places.size());
      ev.push_back(e);
    }
    // The one token that clearly leads on a measure, or -1.
    const auto leader = [&](double Evidence::*m, double at_least) {
      std::stable_sort(ev.begin(), ev.end(), [m](const Evidence& a, const Evidence& b) { return a.*m > b.*m; });
      return ev[0].*m >= at_least && ev[0].*m >= 2 * (ev[1].*m) ? ev[0].token : -1;
    };

    // 1. A stuffer that replaced the word everywhere leaves it nowhere else:
    //    the one token that only ever stands inside the phrase.
    size_t bound = 0;
    for (const Evidence& e : ev) bound += e.free == 0;
    if (bound == 1)
      for (const Evidence& e : ev)
        if (e.free == 0) return e.token;
    // 2. The phrase took the word's place, so where the word still stands on
    //    its own it has the neighbours it has at the stuffed places: first
    //    both neighbours at once, then one side at a time (weaker: a frequent
    //    token has many neighbours).
    if (int k = leader(&Evidence::pair, kPairEvidence); k >= 0) return k;
    if (int k = leader(&Evidence::side, kSideEvidence); k >= 0) return k;
    // 3. The token standing alone least (the stuffer took most of the
    //    word's places), then the later one (queries name the place first).
    std::sort(ev.begin(), ev.end(), [](const Evidence& a, const Evidence& b) {
      return a.free != b.free ? a.free < b.free : a.token > b.token;
    });
    return ev[0].token;
  }

  Options opt_;
  ChromeRules chrome_;
  std::atomic<uint64_t> chrome_lines_{0}, chrome_docs_{0}, stuffed_docs_{0}, phrases_{0}, keyword_places_{0};
};

StatusOr<std::unique_ptr<Transform>> Make(const Config& c, const SetupContext& setup) {
  Options opt;
  opt.detect = c.GetBool("detect_keywords");
  opt.min_repeats = c.GetInt("min_repeats");
  opt.require_echo = c.GetBool("require_echo");
  opt.max_chrome_line = static_cast<size_t>(c.GetInt("max_chrome_line_bytes"));
  const auto& keywords = c.GetList("keywords");
  for (size_t i = 0; i < keywords.size(); ++i) {
    LODE_ASSIGN_OR_RETURN(NamedKeyword k, ParseKeyword(keywords[i], i));
    opt.keywords.push_back(std::move(k));
  }

  ChromeRules chrome;
  chrome.set = std::make_unique<RE2::Set>(PatternOptions(), RE2::ANCHOR_BOTH);
  const std::string& file = c.GetString("chrome_rules");
  if (!file.empty()) {
    LODE_ASSIGN_OR_RETURN(std::string path, setup.FindDataFile(file));
    LODE_RETURN_IF_ERROR(LoadChromeFile(path, chrome));
  }
  const auto& extra = c.GetList("chrome_patterns");
  for (size_t i = 0; i < extra.size(); ++i) {
    std::string where = "chrome_patterns[" + std::to_string(i) + "]";
    std::string problem = AddChromePattern(chrome, extra[i], where);
    if (!problem.empty()) return InvalidArgumentError(where + " '" + extra[i] + "': " + problem);
  }
  if (!chrome.empty() && !chrome.set->Compile())
    return InvalidArgumentError("the chrome patterns are too large to compile together");
  return std::unique_ptr<Transform>(new CleanSpam(std::move(opt), std::move(chrome)));
}

Status Register(Registry& registry) {
  StageInfo info;
  info.name = "clean.spam";
  info.summary = "Collapses SEO keyword stuffing back to the word it replaced and removes page chrome lines.";
  info.doc =
      "Keyword stuffing: a phrase of 2–6 blank-separated tokens that recurs through the body (min_repeats), glued "
      "into the running text, and is echoed in the page title or a chrome line (such as \"更多关于 巡司河 水质 2019 "
      "的文章\") is replaced by the one token the text had there: the token that stands nowhere else on the page, or "
      "the one whose own neighbours elsewhere match those of the stuffed places. Phrases named in `keywords` are collapsed "
      "wherever they occur. Page chrome: whole lines matching the RE2 patterns of chrome_rules or chrome_patterns are "
      "removed. Every change is a row of `repairs` (kind keyword or chrome) whose raw range holds its from_text.";
  info.kind = StageKind::kTransform;
  info.execution = Execution::kParallel;
  info.params = {
      ParamSpec::Bool("detect_keywords", true,
                      "Find stuffed keyword phrases without being told them; false collapses only `keywords`."),
      ParamSpec::List("keywords", {},
                      "Keyword phrases to collapse wherever they occur, tokens separated by blanks, e.g. "
                      "'巡司河 [水质] 2019'; brackets mark the word the phrase stands for (otherwise it is chosen as "
                      "for a detected phrase)."),
      ParamSpec::Int("min_repeats", 3,
                     "A detected phrase must occur at least this many times in the body (outside the title and "
                     "chrome lines).")
          .Min(2),
      ParamSpec::Bool("require_echo", true,
                      "A detected phrase must also occur in the page title (its first line) or a chrome line; "
                      "false relies on repetition alone."),
      ParamSpec::Path("chrome_rules", "zh/chrome.yaml",
                      "YAML file of chrome line patterns (`lines:` list), looked up in the configs folders; empty "
                      "for none."),
      ParamSpec::List("chrome_patterns", {},
                      "More RE2 patterns for chrome lines, each matching a whole line: '^…$'."),
      ParamSpec::Size("max_chrome_line_bytes", 512,
                      "Longer lines are never taken for chrome (report paragraphs are long; chrome is short).")
          .Min(1),
  };
  info.tables = {RepairsTable()};
  info.make_transform = Make;
  return registry.Add(std::move(info));
}

}  // namespace

LODE_PLUGIN(clean_spam, "clean.spam", LODE_VERSION_STRING,
            "Removes keyword stuffing and page chrome from scraped pages.", Register)
