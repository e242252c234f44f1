// segment.words: one span per word, from ICU's dictionary word breaks, with
// every figure kept whole (a number, its multiplier, its unit). README.md.
#include <unicode/brkiter.h>
#include <unicode/rbbi.h>
#include <unicode/uchar.h>
#include <unicode/ustring.h>
#include <unicode/utext.h>

#include <algorithm>
#include <climits>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "lode/lode.h"
#include "lode/pool.h"

namespace lode::words {
namespace {

// Walks UTF-8 text forward, turning increasing UTF-16 indexes (ICU's) into
// UTF-8 byte offsets (lode's) without a table as large as the text.
class Utf16ToUtf8 {
 public:
  explicit Utf16ToUtf8(const std::string& t) : t_(t) {}
  size_t At(int32_t u16) {
    while (u16_ < u16 && u8_ < t_.size()) {
      const size_t n = Utf8SequenceLength(static_cast<unsigned char>(t_[u8_]));
      u8_ += n;
      u16_ += n == 4 ? 2 : 1;
    }
    return u8_;
  }

 private:
  const std::string& t_;
  size_t u8_ = 0;
  int32_t u16_ = 0;
};

// ICU break iterators are not thread-safe; each call borrows its own copy.
using IteratorPool = ClonePool<icu::BreakIterator>;

// Strings that may follow a number, found by longest match. Indexed by first
// byte so that a lookup compares only a handful of candidates.
class Suffixes {
 public:
  void Add(const std::string& s) {
    auto& list = by_first_[static_cast<unsigned char>(s[0])];
    list.push_back(s);
    std::sort(list.begin(), list.end(), [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  }
  // Length of the longest entry that t has at byte i, or 0.
  size_t Match(const std::string& t, size_t i) const {
    if (i >= t.size()) return 0;
    for (const std::string& s : by_first_[static_cast<unsigned char>(t[i])])
      if (t.compare(i, s.size(), s) == 0) return s.size();
    return 0;
  }

 private:
  std::vector<std::string> by_first_[256];
};

struct FigureRules {
  Suffixes multipliers, approximations, units;
};

StatusOr<FigureRules> LoadFigureRules(const std::string& path) {
  LODE_ASSIGN_OR_RETURN(DataNode root, LoadDataFile(path));
  if (!root.is_map()) return root.Error("expected a mapping with multipliers, approximations and units");
  FigureRules rules;
  for (const auto& [key, value] : root.entries()) {
    Suffixes* target = key.scalar() == "multipliers"      ? &rules.multipliers
                       : key.scalar() == "approximations" ? &rules.approximations
                       : key.scalar() == "units"          ? &rules.units
                                                          : nullptr;
    if (target == nullptr)
      return key.Error("unknown key '" + key.scalar() + "' (expected multipliers, approximations or units)");
    if (!value.is_list()) return value.Error("expected a list of strings");
    for (const DataNode& s : value.items()) {
      if (!s.is_scalar() || s.scalar().empty()) return s.Error("expected a non-empty string");
      if (FindInvalidUtf8(s.scalar())) return s.Error("not valid UTF-8");
      target->Add(s.scalar());
    }
  }
  return rules;
}

bool IsAsciiDigit(unsigned char c) { return c >= '0' && c <= '9'; }
bool IsAsciiLetter(unsigned char c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; }

// Length of a full-width digit (０-９, EF BC 90-99) at i, or 0.
size_t WideDigit(const std::string& t, size_t i) {
  return i + 2 < t.size() && static_cast<unsigned char>(t[i]) == 0xEF && static_cast<unsigned char>(t[i + 1]) == 0xBC &&
                 static_cast<unsigned char>(t[i + 2]) >= 0x90 && static_cast<unsigned char>(t[i + 2]) <= 0x99
             ? 3
             : 0;
}

size_t DigitAt(const std::string& t, size_t i) {
  if (i < t.size() && IsAsciiDigit(static_cast<unsigned char>(t[i]))) return 1;
  return WideDigit(t, i);
}

size_t SkipDigits(const std::string& t, size_t i) {
  for (size_t n; (n = DigitAt(t, i)) > 0;) i += n;
  return i;
}

struct Range {
  size_t begin, end;
};

// Every figure of the text: number, multiplier, approximation, unit. These
// ranges are never cut, whatever the word breaker says.
std::vector<Range> FindFigures(const std::string& t, const FigureRules& rules) {
  std::vector<Range> out;
  const size_t n = t.size();
  for (size_t i = 0; i < n;) {
    const unsigned char c = static_cast<unsigned char>(t[i]);
    const size_t d = IsAsciiDigit(c) ? 1 : c == 0xEF ? WideDigit(t, i) : 0;
    if (d == 0) {
      i += Utf8SequenceLength(c);
      continue;
    }
    // A digit inside a code or name ("K3", "P2P", "v1.2.3") belongs to it.
    if (i > 0) {
      const unsigned char p = static_cast<unsigned char>(t[i - 1]);
      if (IsAsciiLetter(p) || p == '_' || p == '.') {
        i = SkipDigits(t, i);
        continue;
      }
    }
    const size_t begin = i;
    size_t e = SkipDigits(t, i);
    // Thousands: ",564" — exactly three digits, then no fourth.
    while (e + 4 <= n && t[e] == ',' && IsAsciiDigit(t[e + 1]) && IsAsciiDigit(t[e + 2]) && IsAsciiDigit(t[e + 3]) &&
           !DigitAt(t, e + 4))
      e += 4;
    // Decimals: "23.4", "２３．４"; fractions: "2/3".
    if (e < n && (t[e] == '.' || t[e] == '/') && DigitAt(t, e + 1)) {
      e = SkipDigits(t, e + 1);
    } else if (e + 3 < n && t.compare(e, 3, "．") == 0 && DigitAt(t, e + 3)) {
      e = SkipDigits(t, e + 3);
    }
    size_t end = e;
    end += rules.multipliers.Match(t, end);
    end += rules.approximations.Match(t, end);
    const size_t unit = rules.units.Match(t, end);
    end += unit;
    // "5A级", "3D": a number glued to Latin letters is a code, not a figure.
    if (unit == 0 && end == e && end < n && IsAsciiLetter(static_cast<unsigned char>(t[end]))) {
      i = end;
      continue;
    }
    out.push_back({begin, end});
    i = end;
  }
  return out;
}

class SegmentWords final : public Transform {
 public:
  SegmentWords(std::unique_ptr<icu::BreakIterator> prototype, FigureRules rules)
      : pool_(std::move(prototype)), rules_(std::move(rules)) {}

  Status Process(Document& doc) override {
    const std::string& t = doc.text;
    if (t.empty()) return OkStatus();
    if (t.size() > static_cast<size_t>(INT32_MAX / 2)) return DataError("text too long for ICU (over 1 GB)");
    const std::vector<Range> figures = FindFigures(t, rules_);

    std::vector<UChar> u16(t.size() + 1);
    int32_t u16_len = 0;
    UErrorCode status = U_ZERO_ERROR;
    u_strFromUTF8(u16.data(), static_cast<int32_t>(u16.size()), &u16_len, t.data(), static_cast<int32_t>(t.size()),
                  &status);
    if (U_FAILURE(status)) return InternalError(std::string("UTF-8 to UTF-16: ") + u_errorName(status));
    UText ut = UTEXT_INITIALIZER;
    utext_openUChars(&ut, u16.data(), u16_len, &status);
    std::unique_ptr<icu::BreakIterator> it = pool_.Acquire();
    it->setText(&ut, status);
    if (U_FAILURE(status)) {
      utext_close(&ut);
      pool_.Release(std::move(it));
      return InternalError(std::string("ICU word iterator: ") + u_errorName(status));
    }

    doc.spans.reserve(doc.spans.size() + t.size() / 5);
    const Span word{"word", 0, 0, {}};
    auto emit = [&](size_t b, size_t e) {
      doc.spans.push_back(word);
      doc.spans.back().begin = b;
      doc.spans.back().end = e;
    };
    Utf16ToUtf8 map(t);
    size_t prev = 0, skip_until = 0, f = 0;
    for (int32_t b = it->next(); b != icu::BreakIterator::DONE; b = it->next()) {
      const size_t s = prev, e = map.At(b);
      prev = e;
      const bool icu_word = it->getRuleStatus() != UBRK_WORD_NONE;
      // ICU's boundaries inside a figure are dropped; the figure's own ends
      // are added. What ICU found around it stays as ICU found it.
      for (size_t cur = std::max(s, skip_until); cur < e;) {
        while (f < figures.size() && figures[f].end <= cur) ++f;
        if (f < figures.size() && figures[f].begin <= cur) {
          emit(figures[f].begin, figures[f].end);
          cur = skip_until = figures[f].end;
          ++f;
          continue;
        }
        const size_t next = f < figures.size() && figures[f].begin < e ? figures[f].begin : e;
        if (cur == s && next == e ? icu_word : HasWordCharacter(t, cur, next)) emit(cur, next);
        cur = next;
      }
    }
    utext_close(&ut);
    pool_.Release(std::move(it));
    return OkStatus();
  }

 private:
  static bool HasWordCharacter(const std::string& t, size_t b, size_t e) {
    for (size_t i = b; i < e; i += Utf8SequenceLength(static_cast<unsigned char>(t[i]))) {
      const UChar32 cp = DecodeUtf8(t, i);
      if (u_isalnum(cp) || u_hasBinaryProperty(cp, UCHAR_IDEOGRAPHIC)) return true;
    }
    return false;
  }

  IteratorPool pool_;
  const FigureRules rules_;
};

Status Register(Registry& registry) {
  StageInfo info;
  info.name = "segment.words";
  info.summary = "One span per word: ICU's dictionary word breaks, with every figure kept whole.";
  info.doc =
      "Words follow ICU's word rules (Unicode UAX #29) with its dictionary for Chinese and Japanese text. Spaces "
      "and punctuation get no span. A figure is never cut apart: a number (digits, ASCII or full width, with "
      "thousands separators, a decimal part or a fraction) together with what follows it from the rules file (a "
      "multiplier 万/亿, an approximation 余/多, a unit or measure word 元/平方米/个/%/个百分点 …) is one word: "
      "'23.4%', '3480.83万元', '916,564万元', '2.8万余平方米'. Digits glued to Latin letters ('K3', 'P2P', '5A') are "
      "left to ICU.";
  info.kind = StageKind::kTransform;
  info.execution = Execution::kParallel;
  info.params = {
      ParamSpec::Path("rules", "zh/words.yaml",
                      "What stays attached to a number: multipliers, approximations and units. A relative path is "
                      "looked up in the configs folders."),
      ParamSpec::String("locale", "zh", "ICU locale of the word rules."),
  };
  info.make_transform = [](const Config& c, const SetupContext& setup) -> StatusOr<std::unique_ptr<Transform>> {
    LODE_ASSIGN_OR_RETURN(std::string path, setup.FindDataFile(c.GetString("rules")));
    LODE_ASSIGN_OR_RETURN(FigureRules rules, LoadFigureRules(path));
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::BreakIterator> it(
        icu::BreakIterator::createWordInstance(icu::Locale(c.GetString("locale").c_str()), status));
    if (U_FAILURE(status) || it == nullptr)
      return InternalError(std::string("cannot create ICU's word iterator: ") + u_errorName(status));
    return std::unique_ptr<Transform>(new SegmentWords(std::move(it), std::move(rules)));
  };
  return registry.Add(std::move(info));
}

}  // namespace
}  // namespace lode::words

LODE_PLUGIN(segment_words, "segment.words", LODE_VERSION_STRING, "Words: ICU's dictionary breaks, figures kept whole.",
            lode::words::Register)
