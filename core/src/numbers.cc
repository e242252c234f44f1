// The number grammar: one RE2 pattern finds where figures are, a small
// hand-written reader takes each match apart.
//
// RE2 has no lookarounds, so the pattern only says what a figure looks like;
// what it must not follow (a letter, as in C35项目; an opening quote, as in
// “四个百万”) is checked here on the byte before the match. Every match is read
// again by the reader, and a match the reader does not consume exactly is
// dropped, so the two can never disagree into a wrong figure.
#include "lode/numbers.h"

#include <re2/re2.h>

#include <algorithm>
#include <bitset>
#include <charconv>
#include <cmath>
#include <unordered_map>

namespace lode {

std::string_view QualifierName(Qualifier q) {
  switch (q) {
    case Qualifier::kExact: return "";
    case Qualifier::kApprox: return "approx";
    case Qualifier::kAtLeast: return "at_least";
    case Qualifier::kAtMost: return "at_most";
  }
  return "";
}

namespace {

// ---------------------------------------------------------------------------
// UTF-8 in small steps.

// The code point at text[i] and its length; {0xFFFD, 1} on a broken sequence.
[[gnu::always_inline]] inline std::pair<char32_t, size_t> Decode(std::string_view s, size_t i) {
  const auto b = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = b(i);
  if (c < 0x80) return {c, 1};
  if ((c >> 5) == 6 && i + 1 < s.size()) return {char32_t((c & 0x1F) << 6 | (b(i + 1) & 0x3F)), 2};
  if ((c >> 4) == 14 && i + 2 < s.size())
    return {char32_t((c & 0x0F) << 12 | (b(i + 1) & 0x3F) << 6 | (b(i + 2) & 0x3F)), 3};
  if ((c >> 3) == 30 && i + 3 < s.size())
    return {char32_t((c & 0x07) << 18 | (b(i + 1) & 0x3F) << 12 | (b(i + 2) & 0x3F) << 6 | (b(i + 3) & 0x3F)), 4};
  return {0xFFFD, 1};
}

// The code point that ends just before text[i], or 0 at the start.
[[gnu::always_inline]] inline char32_t Previous(std::string_view s, size_t i) {
  if (i == 0) return 0;
  size_t j = i - 1;
  while (j > 0 && i - j < 4 && (static_cast<unsigned char>(s[j]) & 0xC0) == 0x80) --j;
  return Decode(s, j).first;
}

// Called for nearly every byte a figure spans, and nearly always false: the
// first byte settles most calls without a call to memcmp.
[[gnu::always_inline]] inline bool StartsWith(std::string_view s, size_t at, std::string_view w) {
  return at < s.size() && s.size() - at >= w.size() && s[at] == w[0] &&
         std::char_traits<char>::compare(s.data() + at + 1, w.data() + 1, w.size() - 1) == 0;
}

// ---------------------------------------------------------------------------
// Numerals.

int ArabicDigit(char32_t c) {
  if (c >= '0' && c <= '9') return int(c - '0');
  if (c >= 0xFF10 && c <= 0xFF19) return int(c - 0xFF10);
  return -1;
}

int ChineseDigit(char32_t c) {
  switch (c) {
    case U'〇': case U'零': return 0;
    case U'一': case U'壹': return 1;
    case U'二': case U'两': case U'贰': return 2;
    case U'三': case U'叁': return 3;
    case U'四': case U'肆': return 4;
    case U'五': case U'伍': return 5;
    case U'六': case U'陆': return 6;
    case U'七': case U'柒': return 7;
    case U'八': case U'捌': return 8;
    case U'九': case U'玖': return 9;
    default: return -1;
  }
}

// A digit after 点 (三点五): the plain forms only, as in the pattern's kChinese;
// 两 and the financial forms are not written there.
int DecimalDigit(char32_t c) {
  switch (c) {
    case U'两': case U'壹': case U'贰': case U'叁': case U'肆': case U'伍': case U'陆': case U'柒': case U'捌': case U'玖':
      return -1;
    default: return ChineseDigit(c);
  }
}

// 十 百 千 (and their financial forms): multipliers inside a section of four digits.
double SmallUnit(char32_t c) {
  switch (c) {
    case U'十': case U'拾': return 10;
    case U'百': case U'佰': return 100;
    case U'千': case U'仟': return 1000;
    default: return 0;
  }
}

double BigUnit(char32_t c) {
  if (c == U'万') return 1e4;
  if (c == U'亿') return 1e8;
  return 0;
}

bool IsChineseNumeralChar(char32_t c) { return ChineseDigit(c) >= 0 || SmallUnit(c) > 0 || BigUnit(c) > 0; }

// A Chinese integer ("二十九", "三亿五千万", "一千二", "二〇一九"), or nullopt
// when the characters do not form one ("万万", "十十").
// A short sequence of code points kept on the stack: numerals are read at
// every figure and must not allocate.
class Chars {
 public:
  void push_back(char32_t c) {
    if (n_ < kInline) inline_[n_] = c;
    else {
      if (n_ == kInline) heap_.assign(inline_, inline_ + kInline);
      heap_.push_back(c);
    }
    ++n_;
  }
  bool empty() const { return n_ == 0; }
  const char32_t* begin() const { return n_ <= kInline ? inline_ : heap_.data(); }
  const char32_t* end() const { return begin() + n_; }

 private:
  static constexpr size_t kInline = 24;
  char32_t inline_[kInline];
  std::vector<char32_t> heap_;
  size_t n_ = 0;
};

std::optional<double> ChineseInteger(const Chars& cs) {
  if (cs.empty()) return std::nullopt;
  bool any_unit = false;
  for (char32_t c : cs) any_unit |= SmallUnit(c) > 0 || BigUnit(c) > 0;
  if (!any_unit) {  // a digit string: 二〇一九
    double v = 0;
    for (char32_t c : cs) v = v * 10 + ChineseDigit(c);
    return std::isfinite(v) ? std::optional<double>(v) : std::nullopt;
  }
  double total = 0, section = 0;
  int pending = -1;            // a digit waiting for its unit
  double last_small = 0;       // the last 十/百/千 of this section (they must decrease)
  double last_unit = 0;        // the unit read just before the pending digit, if adjacent
  bool zero_gap = false;       // a 零 since the last unit: 一百零五 is 105, not 150
  char32_t prev = 0;
  for (char32_t c : cs) {
    if (int d = ChineseDigit(c); d >= 0) {
      if (pending >= 0) return std::nullopt;  // two digits in a row inside a unit number
      if (d == 0) {
        zero_gap = true;
      } else {
        pending = d;
        last_unit = zero_gap ? 0 : (SmallUnit(prev) > 0 ? SmallUnit(prev) : BigUnit(prev));
      }
    } else if (double u = SmallUnit(c); u > 0) {
      if (last_small != 0 && u >= last_small) return std::nullopt;
      double n = pending >= 0 ? pending : (section == 0 && total == 0 && prev == 0 ? 1 : -1);
      if (n < 0) {
        if (u != 10) return std::nullopt;
        n = 1;  // 一百一十: 十 after 百 with its 一 dropped is still 10
      }
      section += n * u;
      last_small = u;
      pending = -1;
      zero_gap = false;
    } else if (double big = BigUnit(c); big > 0) {
      double v = section + (pending > 0 ? pending : 0);
      if (v == 0) {
        if (BigUnit(prev) > 0 && BigUnit(prev) < big) {
          total *= big;  // 万亿
        } else {
          return std::nullopt;
        }
      } else if (big == 1e8) {
        total = (total + v) * big;
      } else {
        total += v * big;
      }
      section = 0;
      pending = -1;
      last_small = 0;
      zero_gap = false;
    } else {
      return std::nullopt;
    }
    prev = c;
    if (!std::isfinite(total)) return std::nullopt;
  }
  if (pending > 0) {
    // 一千二 is 1200 and 三万五 is 35000: a last digit right after 百 or more
    // counts in the next lower place.
    double v = pending;
    if (last_unit >= 100) v *= last_unit / 10;
    section += v;
  }
  total += section;
  if (!std::isfinite(total)) return std::nullopt;
  return total;
}

// A lexed numeral: where it ends and what it is worth.
struct Numeral {
  size_t end = 0;       // Arabic: also when the value does not fit a double (ok false)
  size_t lead_end = 0;  // Arabic: the end of the digits before any separator or point
  double value = 0;
  int decimals = 0;
  bool chinese = false;
  bool ok = false;
};

// The digit at s[k], ASCII or full width (０-９ are EF BC 90-99), into `d`;
// its length, or 0 when none is there.
[[gnu::always_inline]] inline size_t DigitAt(std::string_view s, size_t k, int& d) {
  if (k >= s.size()) return 0;
  const unsigned char c = static_cast<unsigned char>(s[k]);
  if (static_cast<unsigned>(c - '0') <= 9) {
    d = c - '0';
    return 1;
  }
  if (c == 0xEF && k + 2 < s.size() && static_cast<unsigned char>(s[k + 1]) == 0xBC) {
    const unsigned t = static_cast<unsigned char>(s[k + 2]) - 0x90u;
    if (t <= 9) {
      d = int(t);
      return 3;
    }
  }
  return 0;
}

// The length of the thousands separator (',' or '，') at s[k], or 0.
size_t GroupMarkAt(std::string_view s, size_t k) { return StartsWith(s, k, ",") ? 1 : StartsWith(s, k, "，") ? 3 : 0; }

// The length of the decimal point ('.' or '．') at s[k], or 0.
size_t PointAt(std::string_view s, size_t k) { return StartsWith(s, k, ".") ? 1 : StartsWith(s, k, "．") ? 3 : 0; }

// An Arabic numeral at `at`: digits (ASCII or full width), thousands
// separators each followed by three digits, one decimal point with digits
// after it. The syntax is the pattern's (kArabic), greedy as it is: in
// "1,2345" the numeral is "1,234".
Numeral LexArabic(std::string_view s, size_t at) {
  Numeral n;
  // Up to 15 digits: the digits as an integer over a power of ten, both exact
  // in a double, so their quotient is the correctly rounded value, as
  // from_chars would give, without strtod's locale lookups. Past 15 the
  // integer is not used (it may have wrapped) and from_chars reads the digits.
  uint64_t m = 0;
  size_t count = 0;  // digits read, before and after the point
  size_t i = at, len;
  int d;
  while ((len = DigitAt(s, i, d)) > 0) {
    m = m * 10 + uint64_t(d);
    ++count;
    i += len;
  }
  n.lead_end = n.end = i;
  if (i == at) return n;
  while (size_t mark = GroupMarkAt(s, i)) {  // ,564
    size_t k = i + mark;
    uint64_t g = 0;
    int got = 0;
    for (; got < 3 && (len = DigitAt(s, k, d)) > 0; ++got, k += len) g = g * 10 + uint64_t(d);
    if (got != 3) break;
    m = m * 1000 + g;
    count += 3;
    i = k;
  }
  if (size_t point = PointAt(s, i); point && DigitAt(s, i + point, d)) {
    size_t k = i + point;
    while ((len = DigitAt(s, k, d)) > 0) {
      m = m * 10 + uint64_t(d);
      ++count;
      ++n.decimals;
      k += len;
    }
    i = k;
  }
  n.end = i;
  static constexpr double kPow10[] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
  double v = 0;
  if (count <= 15) {
    v = double(m) / kPow10[n.decimals];
  } else {
    std::string digits;  // the numeral as ASCII, separators dropped
    digits.reserve(count + 1);
    for (size_t k = at; k < i;) {
      if ((len = DigitAt(s, k, d)) > 0) {
        digits.push_back(char('0' + d));
      } else if ((len = PointAt(s, k)) > 0) {
        digits.push_back('.');
      } else {
        len = GroupMarkAt(s, k);
      }
      k += len;
    }
    auto r = std::from_chars(digits.data(), digits.data() + digits.size(), v);
    if (r.ec != std::errc() || !std::isfinite(v)) return n;  // ends where it ends, but no value
  }
  n.value = v;
  n.ok = true;
  return n;
}

// A Chinese numeral at `at`, with 点 and digits for a decimal part.
Numeral LexChinese(std::string_view s, size_t at) {
  Numeral n;
  Chars cs;
  size_t i = at;
  while (i < s.size()) {
    auto [c, len] = Decode(s, i);
    if (!IsChineseNumeralChar(c)) break;
    cs.push_back(c);
    i += len;
  }
  if (cs.empty()) return n;
  std::optional<double> whole = ChineseInteger(cs);
  if (!whole) return n;
  double v = *whole;
  if (StartsWith(s, i, "点")) {
    size_t k = i + 3;
    std::string frac = "0.";
    while (k < s.size()) {
      auto [c, len] = Decode(s, k);
      int d = DecimalDigit(c);
      if (d < 0) break;
      frac.push_back(char('0' + d));
      k += len;
    }
    if (frac.size() > 2) {
      double f = 0;
      std::from_chars(frac.data(), frac.data() + frac.size(), f);
      v += f;
      n.decimals = int(frac.size() - 2);
      i = k;
    }
  }
  n.end = i;
  n.value = v;
  n.chinese = true;
  n.ok = std::isfinite(v);
  return n;
}

Numeral LexNumeral(std::string_view s, size_t at) {
  if (at >= s.size()) return {};
  auto [c, len] = Decode(s, at);
  if (ArabicDigit(c) >= 0) return LexArabic(s, at);
  return LexChinese(s, at);
}

// The characters of a Chinese numeral hold a digit (一, 两, 〇 …) or start with
// 十 (十二): 万, 亿 or 千 alone are multipliers, not numbers ("亿元以上项目").
bool HasChineseDigit(std::string_view s, size_t b, size_t e) {
  for (size_t i = b; i < e;) {
    auto [c, len] = Decode(s, i);
    if (ChineseDigit(c) >= 0) return true;
    if (i == b && (c == U'十' || c == U'拾')) return true;
    i += len;
  }
  return false;
}

// Splits a trailing 万/亿 off a Chinese numeral ("三十万" → 30 × 万) so that the
// value as written and the unit as written read as for "30万人次".
void SplitChineseMultiplier(std::string_view s, size_t b, size_t& e, double& multiplier, std::string& written) {
  size_t cut = e;
  while (cut > b) {
    if (StartsWith(s, cut - 3, "万") || StartsWith(s, cut - 3, "亿")) {
      cut -= 3;
    } else {
      break;
    }
  }
  if (cut == e || !HasChineseDigit(s, b, cut)) return;
  for (size_t i = b; i < cut; i += Decode(s, i).second)
    if (BigUnit(Decode(s, i).first) > 0) return;  // 三亿五千万 is one number
  for (size_t i = cut; i < e; i += 3) multiplier *= StartsWith(s, i, "万") ? 1e4 : 1e8;
  written.assign(s.substr(cut, e - cut));
  e = cut;
}

// Whether s[at] is one of the multipliers 十 百 千 万 亿. Asked at every
// place an amount may end, so by their bytes: 十 E5 8D 81, 千 E5 8D 83,
// 百 E7 99 BE, 万 E4 B8 87, 亿 E4 BA BF.
[[gnu::always_inline]] inline bool IsMultiplierAt(std::string_view s, size_t at) {
  if (at + 3 > s.size()) return false;
  const auto b = [&](size_t k) { return static_cast<unsigned char>(s[at + k]); };
  switch (b(0)) {
    case 0xE4: return (b(1) == 0xB8 && b(2) == 0x87) || (b(1) == 0xBA && b(2) == 0xBF);
    case 0xE5: return b(1) == 0x8D && (b(2) == 0x81 || b(2) == 0x83);
    case 0xE7: return b(1) == 0x99 && b(2) == 0xBE;
    default: return false;
  }
}

// 十 百 千 万 亿 after an Arabic numeral: 2.9万, 5千万.
size_t LexMultiplier(std::string_view s, size_t at, double& multiplier, std::string& written) {
  size_t i = at;
  for (; IsMultiplierAt(s, i); i += 3) {
    const char32_t c = Decode(s, i).first;
    multiplier *= SmallUnit(c) > 0 ? SmallUnit(c) : BigUnit(c);
    written.append(s.substr(i, 3));
  }
  return i;
}

size_t SkipSpaces(std::string_view s, size_t i, size_t e) {
  while (i < e && (s[i] == ' ' || s[i] == '\t')) ++i;
  return i;
}

[[gnu::always_inline]] inline size_t LexApprox(std::string_view s, size_t at, bool& approx) {
  if (StartsWith(s, at, "余") || StartsWith(s, at, "多")) {
    approx = true;
    return at + 3;
  }
  return at;
}

// One number of a quantity with its multiplier and 余/多: 24万余, 100多万, 三十万.
struct Amount {
  Numeral numeral;
  size_t end = 0;
  double multiplier = 1;
  std::string multiplier_text;
  bool approx = false;
  bool ok = false;
};

// `lexed`, when given, is LexNumeral(s, at) already read by the caller.
Amount LexAmount(std::string_view s, size_t at, const Numeral* lexed = nullptr) {
  Amount a;
  a.numeral = lexed ? *lexed : LexNumeral(s, at);
  if (!a.numeral.ok) return a;
  size_t i = a.numeral.end;
  if (a.numeral.chinese) {
    if (!HasChineseDigit(s, at, a.numeral.end)) return a;
    // A lone financial numeral is a name far more often than a number (陆家街).
    if (a.numeral.end == at + 3) {
      switch (Decode(s, at).first) {
        case U'壹': case U'贰': case U'叁': case U'肆': case U'伍': case U'陆': case U'柒': case U'捌': case U'玖':
          return a;
        default: break;
      }
    }
    size_t e = a.numeral.end;
    SplitChineseMultiplier(s, at, e, a.multiplier, a.multiplier_text);
    if (e != a.numeral.end) {
      Chars cs;
      for (size_t k = at; k < e;) {
        auto [c, len] = Decode(s, k);
        cs.push_back(c);
        k += len;
      }
      std::optional<double> v = ChineseInteger(cs);
      if (!v) return a;
      a.numeral.value = *v;
      a.numeral.end = e;
    }
    i = LexApprox(s, i, a.approx);
    i = LexMultiplier(s, i, a.multiplier, a.multiplier_text);  // 三点五万
  } else {
    i = LexApprox(s, i, a.approx);
    // 3.2 亿元: scraped pages often set a blank between digits and the Chinese after them.
    if (size_t k = SkipSpaces(s, i, s.size()); k != i && IsMultiplierAt(s, k)) i = k;
    i = LexMultiplier(s, i, a.multiplier, a.multiplier_text);
    i = LexApprox(s, i, a.approx);
  }
  a.end = i;
  a.ok = std::isfinite(a.numeral.value * a.multiplier);
  return a;
}

const std::string_view kSeparators[] = {"——", "—", "－", "–", "~", "～", "〜", "至", "到", "-"};

// The length of the first of kSeparators at s[k], or 0. Their first two
// bytes settle most places without a comparison.
size_t SeparatorAt(std::string_view s, size_t k) {
  static const auto bytes = [] {
    std::pair<std::bitset<256>, std::bitset<256>> b;  // first bytes; second bytes of the multi-byte ones
    for (std::string_view sep : kSeparators) {
      b.first.set(static_cast<unsigned char>(sep[0]));
      if (sep.size() > 1) b.second.set(static_cast<unsigned char>(sep[1]));
    }
    return b;
  }();
  if (k >= s.size()) return 0;
  const unsigned char c = static_cast<unsigned char>(s[k]);
  if (!bytes.first.test(c)) return 0;
  // A lead byte (≥ 0x80) starts a multi-byte separator: its second byte must fit too.
  if (c >= 0x80 && (k + 1 >= s.size() || !bytes.second.test(static_cast<unsigned char>(s[k + 1])))) return 0;
  for (std::string_view sep : kSeparators)
    if (StartsWith(s, k, sep)) return sep.size();
  return 0;
}

// The pattern pieces. Chinese numerals are any run of the numeral characters;
// which runs are numbers is decided by the reader.
constexpr const char* kArabic = "[0-9０-９]+(?:[,，][0-9０-９]{3})*(?:[.．][0-9０-９]+)?";
constexpr const char* kChinese =
    "[〇零一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟]+(?:点[〇零一二三四五六七八九]+)?";

// The syntactic end of the pattern's Arabic numeral at `at` (kArabic), or `at`.
size_t ArabicEnd(std::string_view s, size_t at) { return LexArabic(s, at).end; }

// The syntactic end of the pattern's Chinese numeral at `at` (kChinese), or `at`.
// `lead_end`, when given, gets the end of the numeral characters before 点.
size_t ChineseEnd(std::string_view s, size_t at, size_t* lead_end = nullptr) {
  size_t i = at;
  while (i < s.size()) {
    auto [c, len] = Decode(s, i);
    if (!IsChineseNumeralChar(c)) break;
    i += len;
  }
  if (lead_end) *lead_end = i;
  if (i == at) return at;
  if (StartsWith(s, i, "点")) {
    size_t k = i + 3;
    while (k < s.size() && DecimalDigit(Decode(s, k).first) >= 0) k += 3;
    if (k > i + 3) i = k;
  }
  return i;
}

// Whether c is in \p{Han}, the pattern's class after "/" (0.1元/度): the
// Unicode script Han as RE2 has it (radicals, 々, 〇, Hangzhou numerals and
// the ideograph blocks). A test checks every code point against RE2.
bool IsHan(char32_t c) {
  static constexpr std::pair<char32_t, char32_t> kHan[] = {
      {0x2E80, 0x2E99},   {0x2E9B, 0x2EF3},   {0x2F00, 0x2FD5},   {0x3005, 0x3005},   {0x3007, 0x3007},
      {0x3021, 0x3029},   {0x3038, 0x303B},   {0x3400, 0x4DBF},   {0x4E00, 0x9FFF},   {0xF900, 0xFA6D},
      {0xFA70, 0xFAD9},   {0x16FE2, 0x16FE3}, {0x16FF0, 0x16FF1}, {0x20000, 0x2A6DF}, {0x2A700, 0x2B739},
      {0x2B740, 0x2B81D}, {0x2B820, 0x2CEA1}, {0x2CEB0, 0x2EBE0}, {0x2F800, 0x2FA1D}, {0x30000, 0x3134A},
      {0x31350, 0x323AF}};
  for (const auto& [lo, hi] : kHan)
    if (c <= hi) return c >= lo;
  return false;
}

std::string BuildPattern(const std::vector<std::string>& unit_texts) {
  const std::string a = kArabic, c = kChinese;
  const std::string num = "(?:" + a + "|" + c + ")";
  const std::string amount = "(?:" + a + "(?:余|多)?(?:[ \\t]*[十百千万亿]+)?|" + c + ")(?:余|多)?";
  const std::string sep = "(?:——|—|－|–|~|～|〜|至|到|-)";
  std::string units;
  for (const std::string& u : unit_texts) units += (units.empty() ? "" : "|") + RE2::QuoteMeta(u);
  const std::string unit = "(?:" + units + ")(?:/(?:" + units + "|\\p{Han}))?";
  const std::string tail = "(?:%|％|个百分点|百分点" + (units.empty() ? std::string() : "|" + unit) + ")";
  return "第" + num + "(?:名|位|届|批|期|轮)?" +        // ordinals and ranks
         "|" + num + "分之" + num +                     // fractions, 百分之五
         "|" + a + "/" + a +                            // 2/3
         "|" + amount + "(?:(?:%|％)?[ \\t]*" + sep + "[ \\t]*" + amount + ")?[ \\t]*" + tail;
}

}  // namespace

// ---------------------------------------------------------------------------

struct NumberGrammar::Rules {
  std::unique_ptr<RE2> pattern;
  struct TextHash {
    using is_transparent = void;
    size_t operator()(std::string_view t) const { return std::hash<std::string_view>()(t); }
  };
  std::unordered_map<std::string, Unit, TextHash, std::equal_to<>> units;
  std::vector<QualifierWord> before, after;  // longest first
  // The first bytes of the `after` words and the last bytes of the `before`
  // ones: most figures have no qualifier, and one byte says so.
  std::bitset<256> after_first, before_last;
  // Units by their first code point, longest first: the scanner's tail.
  std::unordered_map<char32_t, std::vector<const Unit*>> units_by_first;
  // A unit with '/' in its text: Read must then split a tail as the pattern does.
  bool unit_with_slash = false;

  // What MatchAt read on its way, so that Read need not read it again.
  struct Lexed {
    bool has_first = false;       // `first` was read: the numeral at the match's start
    Numeral first;
    bool range = false;           // the match is a range (5-10万元)
    size_t tail = std::string_view::npos;  // where the tail begins
    const Unit* unit = nullptr;            // the unit it starts with, if it does
  };

  // Reads every figure of `text` into `*slot`, left to right; after each
  // one, `next(figure)` gives the slot for the next.
  template <class Next>
  void ScanAll(std::string_view text, Figure* slot, Next next) const;

  // The end of the match of `pattern` anchored at `b`, found by hand, or 0
  // when none starts there; `skip` is where the next try may start.
  size_t MatchAt(std::string_view s, size_t b, size_t& skip, Lexed& lexed) const;
  // The longest unit at s[at], or nullptr.
  const Unit* UnitAt(std::string_view s, size_t at) const;
  // The end of the tail at s[at] or 0; `unit` is set when the tail starts with one.
  size_t TailEnd(std::string_view s, size_t at, const Unit** unit = nullptr) const;

  // Reads the match [b, e) of `s` into `f`; false when it is not a figure.
  // `lexed`, when given, is what MatchAt read of this match.
  bool Read(std::string_view s, size_t b, size_t e, Figure& f, const Lexed* lexed = nullptr) const;
  // `lexed`, when given, is the numeral at `b` already read, and what MatchAt read.
  bool ReadQuantity(std::string_view s, size_t b, size_t e, Figure& f, const Numeral* numeral = nullptr,
                    const Lexed* lexed = nullptr) const;
  void Qualify(std::string_view s, Figure& f, bool inner_approx) const;

  // What the tail of a quantity is: %, percentage points, or a unit (with a
  // '/' at `slash`, or npos).
  struct Tail {
    FigureKind kind = FigureKind::kQuantity;
    const Unit* unit = nullptr;
    size_t slash = std::string_view::npos;
  };
  // Whether s[at, e) is a tail the grammar knows, into `tail`.
  bool ClassifyTail(std::string_view s, size_t at, size_t e, const Lexed* lexed, Tail& tail) const;
};

const Unit* NumberGrammar::Rules::UnitAt(std::string_view s, size_t at) const {
  if (at >= s.size()) return nullptr;
  const auto [c, len] = Decode(s, at);
  auto it = units_by_first.find(c);
  if (it == units_by_first.end()) return nullptr;
  // Every unit of the list starts with the code point at `at`: compare the
  // rest byte by byte (units are a few bytes; a call to memcmp costs more).
  // U+FFFD may stand for a broken byte: compare all of it.
  const size_t first = c == 0xFFFD ? 0 : len;
  for (const Unit* u : it->second) {
    const std::string& t = u->text;
    if (s.size() - at < t.size()) continue;
    size_t k = first;
    while (k < t.size() && s[at + k] == t[k]) ++k;
    if (k == t.size()) return u;
  }
  return nullptr;
}

// (%|％|个百分点|百分点|UNIT(/(UNIT|\p{Han}))?)
size_t NumberGrammar::Rules::TailEnd(std::string_view s, size_t at, const Unit** unit) const {
  if (StartsWith(s, at, "%")) return at + 1;
  if (StartsWith(s, at, "％")) return at + 3;
  if (StartsWith(s, at, "个百分点")) return at + 12;
  if (StartsWith(s, at, "百分点")) return at + 9;
  const Unit* u = UnitAt(s, at);
  if (u == nullptr) return 0;
  if (unit) *unit = u;
  const size_t e = at + u->text.size();
  if (StartsWith(s, e, "/")) {
    if (const Unit* v = UnitAt(s, e + 1)) return e + 1 + v->text.size();
    if (e + 1 < s.size()) {
      auto [c, len] = Decode(s, e + 1);
      if (IsHan(c)) return e + 1 + len;
    }
  }
  return e;
}

size_t NumberGrammar::Rules::MatchAt(std::string_view s, size_t b, size_t& skip, Lexed& lexed) const {
  auto [first, first_len] = Decode(s, b);
  skip = b + first_len;
  auto numeral_end = [&](size_t at) {
    size_t e = ArabicEnd(s, at);
    return e != at ? e : ChineseEnd(s, at);
  };
  if (first == U'第') {
    size_t e = numeral_end(b + 3);
    if (e == b + 3) return 0;
    for (const char* m : {"名", "位", "届", "批", "期", "轮"})
      if (StartsWith(s, e, m)) return e + 3;
    return e;
  }
  const bool arabic = ArabicDigit(first) >= 0;
  // An Arabic numeral is read whole here, value and all, for Read to take
  // over; a Chinese one only measured (most runs of 一 and 十 are words).
  size_t n, lead;
  if (arabic) {
    lexed.has_first = true;
    lexed.first = LexArabic(s, b);
    n = lexed.first.end;
    lead = lexed.first.lead_end;
  } else {
    n = ChineseEnd(s, b, &lead);
  }
  if (n == b) return 0;
  // Every later start inside this numeral fails alike, up to a separator or
  // a point: the pattern finds 2345个 in 1,2345个 and 三万零名 in 三亿点三万零名.
  skip = lead;
  if (StartsWith(s, n, "分之")) {
    size_t e = numeral_end(n + 6);
    if (e != n + 6) return e;
  }
  if (arabic && StartsWith(s, n, "/")) {
    size_t e = ArabicEnd(s, n + 1);
    if (e != n + 1) return e;
  }
  // amount: ANUM(余|多)?[十百千万亿]* | CNUM, then (余|多)?
  // `numeral`, when given, is the end of the numeral at `at` already found
  // (the one at `b`: Arabic when `arabic`, else Chinese).
  auto amount_end = [&](size_t at, size_t numeral = 0) -> size_t {
    bool approx = false;  // not needed here: only where the amount ends
    size_t e = numeral == 0 ? ArabicEnd(s, at) : arabic ? numeral : at;
    if (e != at) {
      e = LexApprox(s, e, approx);
      if (size_t k = SkipSpaces(s, e, s.size()); k != e && IsMultiplierAt(s, k)) e = k;
      while (IsMultiplierAt(s, e)) e += 3;
    } else {
      e = numeral != 0 ? numeral : ChineseEnd(s, at);
      if (e == at) return at;
    }
    return LexApprox(s, e, approx);
  };
  // The tail after the amount [begin, end); when none fits there, one that
  // starts with the amount's last multipliers (5万千瓦, 3百分点), as the
  // pattern backtracks into them, longest amount first.
  auto tail_after = [&](size_t begin, size_t end, bool range) -> size_t {
    for (size_t t = SkipSpaces(s, end, s.size());; t -= 3) {
      const Unit* unit = nullptr;
      if (size_t e = TailEnd(s, t, &unit)) {
        lexed.range = range;
        lexed.tail = t;
        lexed.unit = unit;
        return e;
      }
      if (t <= begin + 3 || !IsMultiplierAt(s, t - 3)) return 0;
    }
  };
  const size_t a = amount_end(b, n);
  // With a range first, as the pattern prefers it.
  {
    size_t k = a;
    if (StartsWith(s, k, "%")) k += 1;
    else if (StartsWith(s, k, "％")) k += 3;
    while (k < s.size() && (s[k] == ' ' || s[k] == '\t')) ++k;
    if (size_t sep = SeparatorAt(s, k)) {
      size_t m = k + sep;
      while (m < s.size() && (s[m] == ' ' || s[m] == '\t')) ++m;
      size_t a2 = amount_end(m);
      if (a2 != m)
        if (size_t e = tail_after(m, a2, true)) return e;
    }
  }
  return tail_after(b, a, false);
}

bool NumberGrammar::Rules::Read(std::string_view s, size_t b, size_t e, Figure& f, const Lexed* lexed) const {
  // Every field reset in place: assigning a new Figure would build and
  // destroy three strings for each try.
  f.begin = f.number_begin = b;
  f.kind = FigureKind::kQuantity;
  f.value = 0;
  f.multiplier = 1;
  f.value_high.reset();
  f.unit.clear();
  f.canonical_value = 0;
  f.canonical_high.reset();
  f.canonical_unit.clear();
  f.family.clear();
  f.qualifier = Qualifier::kExact;
  f.chinese_numerals = false;
  f.decimals = 0;
  f.end = f.number_end = e;
  const char32_t first = Decode(s, b).first;
  const char32_t before = Previous(s, b);
  if (ArabicDigit(first) >= 0) {
    // A number glued to a letter or a plus is part of a name: C35项目, PM2.5, 3+1+2.
    if ((before < 0x80 && (std::isalpha(int(before)) || before == '+' || before == '.' || before == '_' ||
                           before == '/' || before == '#')) ||
        (before >= 0xFF21 && before <= 0xFF5A))
      return false;
  }

  if (first == U'第') {
    Numeral n = LexNumeral(s, b + 3);
    if (!n.ok || (n.chinese && !HasChineseDigit(s, b + 3, n.end))) return false;
    if (n.value < 1 || n.value != std::floor(n.value)) return false;
    // 第七O一研究所: an ordinal running into letters or digits is a name.
    if (n.end < s.size()) {
      char32_t next = Decode(s, n.end).first;
      if ((next < 0x80 && std::isalnum(int(next))) || next == U'Ｏ' || next == U'〇') return false;
    }
    f.kind = FigureKind::kOrdinal;
    f.value = f.canonical_value = n.value;
    f.chinese_numerals = n.chinese;
    f.number_begin = b + 3;
    f.number_end = n.end;
    f.unit.assign(s.substr(n.end, e - n.end));
    f.canonical_unit = "rank";
    f.family = "rank";
    Qualify(s, f, false);
    return true;
  }

  if (ArabicDigit(first) < 0 && before != 0) {
    // “四个百万”, 《三字经》: a Chinese numeral right after an opening quote is
    // a slogan or a title.
    switch (before) {
      case U'“': case U'"': case U'《': case U'「': case U'『': case U'‘': case U'【': return false;
      default: break;
    }
  }

  const Numeral n = lexed && lexed->has_first ? lexed->first : LexNumeral(s, b);
  if (!n.ok) return false;
  if (StartsWith(s, n.end, "分之")) {
    Numeral d = LexNumeral(s, n.end + 6);
    if (!d.ok || d.end != e) return false;
    if (n.chinese && !HasChineseDigit(s, b, n.end) && n.value != 100 && n.value != 1000) return false;
    if (d.chinese && !HasChineseDigit(s, n.end + 6, d.end) && d.value != 100) return false;
    if (n.value == 0) return false;
    f.chinese_numerals = n.chinese || d.chinese;
    f.number_begin = n.end + 6;
    f.number_end = d.end;
    if (n.value == 100 || n.value == 1000) {  // 百分之五, 千分之三
      f.kind = FigureKind::kPercent;
      f.value = d.value;
      f.decimals = d.decimals;
      f.unit.assign(s.substr(b, n.end + 6 - b));
      f.canonical_value = d.value * 100 / n.value;
    } else {
      f.kind = FigureKind::kFraction;
      f.value = d.value / n.value;
      f.unit = "分之";
      f.canonical_value = f.value * 100;
      f.number_begin = b;
    }
    f.canonical_unit = "%";
    f.family = "percent";
    Qualify(s, f, false);
    return std::isfinite(f.canonical_value);
  }
  if (!n.chinese && n.end < e && s[n.end] == '/') {
    Numeral d = LexArabic(s, n.end + 1);
    if (!d.ok || d.end != e || d.value == 0) return false;
    f.kind = FigureKind::kFraction;
    f.value = n.value / d.value;
    f.unit = "/";
    f.canonical_value = f.value * 100;
    f.canonical_unit = "%";
    f.family = "percent";
    Qualify(s, f, false);
    return std::isfinite(f.canonical_value);
  }
  return ReadQuantity(s, b, e, f, &n, lexed);
}

bool NumberGrammar::Rules::ClassifyTail(std::string_view s, size_t at, size_t e, const Lexed* lexed,
                                       Tail& tail) const {
  const std::string_view t = s.substr(at, e - at);
  tail.unit = nullptr;
  tail.slash = std::string_view::npos;
  if (t == "%" || t == "％") {
    tail.kind = FigureKind::kPercent;
    return true;
  }
  if (t == "个百分点" || t == "百分点") {
    tail.kind = FigureKind::kPercentagePoints;
    return true;
  }
  tail.kind = FigureKind::kQuantity;
  // The unit MatchAt found where this tail begins, or the one its text names.
  if (lexed && lexed->tail == at && lexed->unit && !unit_with_slash) {
    tail.unit = lexed->unit;
    if (t.size() > tail.unit->text.size()) tail.slash = tail.unit->text.size();
    return true;
  }
  if (t.empty()) return false;
  tail.slash = t.find('/');
  auto it = units.find(t.substr(0, tail.slash));
  if (it == units.end()) return false;
  tail.unit = &it->second;
  return true;
}

bool NumberGrammar::Rules::ReadQuantity(std::string_view s, size_t b, size_t e, Figure& f, const Numeral* numeral,
                                        const Lexed* lexed) const {
  Amount low = LexAmount(s, b, numeral);
  if (!low.ok || low.end > e) return false;
  size_t i = low.end;
  std::optional<Amount> high;
  size_t high_begin = 0;
  // A range: 5-10个, 5至10, 5%—5.5%. (Not when MatchAt found none: after a
  // single amount comes its tail, which no separator starts.)
  if (!lexed || lexed->range) {
    size_t k = i;
    if (StartsWith(s, k, "%")) k += 1;
    else if (StartsWith(s, k, "％")) k += 3;
    k = SkipSpaces(s, k, e);
    if (size_t sep = SeparatorAt(s, k)) {
      size_t m = SkipSpaces(s, k + sep, e);
      if (m < e) {
        Amount h = LexAmount(s, m);
        if (h.ok && h.end <= e) {
          high = std::move(h);
          high_begin = m;
          i = high->end;
        }
      }
    }
  }
  Tail tail;
  i = SkipSpaces(s, i, e);
  if (!ClassifyTail(s, i, e, lexed, tail)) {
    // A unit that starts with a multiplier (5万千瓦, 3百分点): the amount
    // gives its last multipliers back, as the pattern does, longest amount first.
    Amount& last = high ? *high : low;
    const size_t last_begin = high ? high_begin : b;
    bool fits = false;
    for (size_t t = i; !fits && t > last_begin + 3 && IsMultiplierAt(s, t - 3);) {
      t -= 3;
      if (!ClassifyTail(s, t, e, lexed, tail)) continue;
      Amount shorter = LexAmount(s.substr(0, t), last_begin);
      if (!shorter.ok || SkipSpaces(s, shorter.end, t) != t) continue;
      last = std::move(shorter);
      i = t;
      fits = true;
    }
    if (!fits) return false;
  }
  const std::string_view written = s.substr(i, e - i);

  double multiplier = low.multiplier;
  const std::string* multiplier_text = &low.multiplier_text;
  if (high) {
    // 5-10万元: a multiplier written once applies to both ends.
    if (low.multiplier == 1 && high->multiplier != 1) multiplier = high->multiplier;
    if (!high->multiplier_text.empty()) multiplier_text = &high->multiplier_text;
  }
  // The unit as written: the multiplier, then the tail (万人次, 万%).
  f.unit.assign(*multiplier_text).append(written);
  f.value = low.numeral.value;
  f.decimals = low.numeral.decimals;
  f.chinese_numerals = low.numeral.chinese;
  f.number_begin = b;
  f.number_end = high ? high->numeral.end : low.numeral.end;
  if (high) f.value_high = high->numeral.value;

  double factor = 1;
  f.kind = tail.kind;
  if (tail.kind == FigureKind::kPercent) {
    f.canonical_unit = "%";
    f.family = "percent";
  } else if (tail.kind == FigureKind::kPercentagePoints) {
    f.canonical_unit = "pp";
    f.family = "pp";
  } else {
    const Unit& u = *tail.unit;
    factor = u.factor;
    f.canonical_unit = u.canonical;
    f.family = u.family;
    if (tail.slash != std::string_view::npos) {  // 0.1元/度: a rate keeps its denominator
      f.canonical_unit.append(written.substr(tail.slash));
      f.family = "per_" + u.family;
    }
  }
  f.multiplier = multiplier;
  f.canonical_value = ScaleDecimal(f.value, f.decimals, multiplier * factor);
  if (high) {
    double hm = high->multiplier == 1 ? multiplier : high->multiplier;
    f.canonical_high = ScaleDecimal(high->numeral.value, high->numeral.decimals, hm * factor);
    if (!std::isfinite(*f.canonical_high)) return false;
  }
  if (!std::isfinite(f.canonical_value)) return false;
  Qualify(s, f, low.approx || (high && high->approx));
  return true;
}

void NumberGrammar::Rules::Qualify(std::string_view s, Figure& f, bool inner_approx) const {
  Qualifier q = inner_approx ? Qualifier::kApprox : Qualifier::kExact;
  const bool may_before = f.begin > 0 && before_last.test(static_cast<unsigned char>(s[f.begin - 1]));
  for (size_t k = 0; may_before && k < before.size(); ++k) {
    const QualifierWord& w = before[k];
    if (f.begin >= w.word.size() && s[f.begin - 1] == w.word.back() &&
        s.compare(f.begin - w.word.size(), w.word.size(), w.word) == 0) {
      // 约 and 近 end many words (签约272户, 最近3年): not qualifiers there.
      if (w.word == "约" || w.word == "近") {
        char32_t p = Previous(s, f.begin - w.word.size());
        static const std::u32string_view kWords = U"签合节预公条制履违特相契邀守最附临";
        if (kWords.find(p) != std::u32string_view::npos) continue;
      }
      q = w.qualifier;
      f.begin -= w.word.size();
      break;
    }
  }
  const bool may_after = f.end < s.size() && after_first.test(static_cast<unsigned char>(s[f.end]));
  for (size_t k = 0; may_after && k < after.size(); ++k) {
    const QualifierWord& w = after[k];
    if (StartsWith(s, f.end, w.word)) {
      q = w.qualifier;
      f.end += w.word.size();
      break;
    }
  }
  f.qualifier = q;
}

// ---------------------------------------------------------------------------

StatusOr<NumberGrammar> NumberGrammar::Create(std::vector<Unit> units, std::vector<QualifierWord> qualifiers) {
  auto rules = std::make_shared<Rules>();
  std::vector<std::string> texts;
  for (Unit& u : units) {
    if (u.text.empty()) return InvalidArgumentError("a unit with no text");
    if (!(u.factor > 0) || !std::isfinite(u.factor))
      return InvalidArgumentError("unit '" + u.text + "': the factor must be a positive number");
    if (u.canonical.empty()) u.canonical = u.text;
    if (u.family.empty()) u.family = "count";
    if (rules->units.count(u.text)) return InvalidArgumentError("unit '" + u.text + "' is listed twice");
    texts.push_back(u.text);
    rules->units.emplace(u.text, std::move(u));
  }
  // Longest first: the pattern prefers the first alternative that fits, so 人次 before 人.
  std::sort(texts.begin(), texts.end(), [](const std::string& x, const std::string& y) {
    return x.size() != y.size() ? x.size() > y.size() : x < y;
  });
  for (const std::string& t : texts) {  // longest first
    const Unit& u = rules->units.find(t)->second;
    rules->units_by_first[Decode(t, 0).first].push_back(&u);
    rules->unit_with_slash |= t.find('/') != std::string::npos;
  }
  for (QualifierWord& w : qualifiers) {
    if (w.word.empty()) return InvalidArgumentError("an empty qualifier word");
    (w.before ? rules->before : rules->after).push_back(std::move(w));
  }
  for (auto* list : {&rules->before, &rules->after})
    std::stable_sort(list->begin(), list->end(),
                     [](const QualifierWord& x, const QualifierWord& y) { return x.word.size() > y.word.size(); });
  for (const QualifierWord& w : rules->after) rules->after_first.set(static_cast<unsigned char>(w.word.front()));
  for (const QualifierWord& w : rules->before) rules->before_last.set(static_cast<unsigned char>(w.word.back()));
  RE2::Options options;
  options.set_log_errors(false);
  // The pattern's DFA is large (a class of every Han character after "/");
  // with the default budget RE2 would fall back to its slower NFA on long texts.
  options.set_max_mem(int64_t{256} << 20);
  rules->pattern = std::make_unique<RE2>(BuildPattern(texts), options);
  if (!rules->pattern->ok()) return InternalError("number pattern: " + rules->pattern->error());
  NumberGrammar g;
  g.rules_ = std::move(rules);
  return g;
}

namespace {

std::optional<double> ParseFactor(const std::string& text) {
  auto number = [](std::string_view t) -> std::optional<double> {
    double v = 0;
    auto r = std::from_chars(t.data(), t.data() + t.size(), v);
    if (r.ec != std::errc() || r.ptr != t.data() + t.size()) return std::nullopt;
    return v;
  };
  size_t slash = text.find('/');
  if (slash == std::string::npos) return number(text);
  auto a = number(std::string_view(text).substr(0, slash));
  auto b = number(std::string_view(text).substr(slash + 1));
  if (!a || !b || *b == 0) return std::nullopt;
  return *a / *b;
}

}  // namespace

StatusOr<NumberGrammar> NumberGrammar::FromData(const DataNode& root) {
  if (!root.is_map()) return root.Error("expected a mapping with 'physical', 'measure_words' and 'qualifiers'");
  std::vector<Unit> units;
  std::vector<QualifierWord> words;
  std::unordered_map<std::string, const DataNode*> seen;
  auto note = [&](const DataNode& key) -> Status {
    auto [it, fresh] = seen.emplace(key.scalar(), &key);
    if (!fresh) return key.Error("unit '" + key.scalar() + "' is already listed at " + it->second->where());
    return OkStatus();
  };
  for (const auto& [key, value] : root.entries()) {
    const std::string& section = key.scalar();
    if (section == "physical") {
      if (!value.is_map()) return value.Error("expected a mapping of unit → {canonical, factor, family}");
      for (const auto& [name, spec] : value.entries()) {
        if (!name.is_scalar() || name.scalar().empty()) return name.Error("expected a unit");
        LODE_RETURN_IF_ERROR(note(name));
        if (!spec.is_map()) return spec.Error("expected {canonical: …, factor: …, family: …}");
        Unit u;
        u.text = name.scalar();
        for (const auto& [k, v] : spec.entries()) {
          if (!v.is_scalar()) return v.Error("expected a value");
          if (k.scalar() == "canonical") {
            u.canonical = v.scalar();
          } else if (k.scalar() == "family") {
            u.family = v.scalar();
          } else if (k.scalar() == "factor") {
            std::optional<double> f = ParseFactor(v.scalar());
            if (!f || !(*f > 0) || !std::isfinite(*f))
              return v.Error("expected a positive number or a fraction such as 2000/3");
            u.factor = *f;
          } else {
            return k.Error("unknown key '" + k.scalar() + "' (expected canonical, factor, family)");
          }
        }
        if (u.canonical.empty()) return spec.Error("unit '" + u.text + "' needs a canonical unit");
        if (u.family.empty()) return spec.Error("unit '" + u.text + "' needs a family");
        units.push_back(std::move(u));
      }
    } else if (section == "measure_words") {
      if (!value.is_list()) return value.Error("expected a list of measure words");
      for (const DataNode& w : value.items()) {
        if (!w.is_scalar() || w.scalar().empty()) return w.Error("expected a measure word");
        LODE_RETURN_IF_ERROR(note(w));
        units.push_back(Unit{w.scalar(), w.scalar(), 1, "count"});
      }
    } else if (section == "qualifiers") {
      if (!value.is_map()) return value.Error("expected 'before' and 'after' mappings");
      for (const auto& [where, list] : value.entries()) {
        bool is_before = where.scalar() == "before";
        if (!is_before && where.scalar() != "after")
          return where.Error("expected 'before' or 'after', not '" + where.scalar() + "'");
        if (!list.is_map()) return list.Error("expected a mapping of word → approx|at_least|at_most");
        for (const auto& [word, q] : list.entries()) {
          QualifierWord w;
          w.word = word.scalar();
          w.before = is_before;
          if (q.scalar() == "approx") w.qualifier = Qualifier::kApprox;
          else if (q.scalar() == "at_least") w.qualifier = Qualifier::kAtLeast;
          else if (q.scalar() == "at_most") w.qualifier = Qualifier::kAtMost;
          else return q.Error("expected approx, at_least or at_most, not '" + q.scalar() + "'");
          if (w.word.empty()) return word.Error("expected a word");
          words.push_back(std::move(w));
        }
      }
    } else {
      return key.Error("unknown section '" + section + "' (expected physical, measure_words, qualifiers)");
    }
  }
  auto g = Create(std::move(units), std::move(words));
  if (!g.ok()) return root.Error(g.status().message());
  return g;
}

StatusOr<NumberGrammar> NumberGrammar::Load(const std::string& path) {
  LODE_ASSIGN_OR_RETURN(DataNode root, LoadDataFile(path));
  return FromData(root);
}

namespace {

// Code points that can start a figure (a full-width digit, a Chinese numeral
// or 第), a bit each over the Basic Multilingual Plane: 8 KB that stay in
// cache, and most characters of a text are tested against them.
const uint64_t* StartBits() {
  static const std::vector<uint64_t> bits = [] {
    std::vector<uint64_t> v(0x10000 / 64, 0);
    for (char32_t c = 0; c < 0x10000; ++c)
      if ((c >= 0xFF10 && c <= 0xFF19) || c == U'第' || IsChineseNumeralChar(c)) v[c / 64] |= uint64_t{1} << (c % 64);
    return v;
  }();
  return bits.data();
}

}  // namespace

template <class Next>
void NumberGrammar::Rules::ScanAll(std::string_view text, Figure* slot, Next next) const {
  // The pattern, compiled by hand: try it anchored at each byte that can
  // start a figure (NumberGrammar::FindAllWithPattern runs the RE2 pattern
  // itself; tests check that the two agree). A failed try skips the numeral
  // it read, so a long run of digits or of 万 is read once: linear time.
  size_t last_end = 0;
  const uint64_t* starts = StartBits();
  const size_t n = text.size();
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  for (size_t i = 0; i < n;) {
    // Skip what cannot start a figure: an ASCII digit may, and of the rest
    // only three-byte characters (the starts are all in the BMP above U+0800).
    const unsigned char c = byte(i);
    if (c < 0x80) {
      if (static_cast<unsigned>(c - '0') > 9) {
        ++i;
        continue;
      }
    } else if ((c >> 4) == 14 && i + 2 < n) {
      // The bit of code point cp is bit cp % 64 of word cp / 64: the third
      // byte's six bits pick the bit, the first two bytes' the word.
      const uint64_t word = starts[(c & 0x0Fu) << 6 | (byte(i + 1) & 0x3Fu)];
      if (!(word >> (byte(i + 2) & 0x3Fu) & 1)) {
        i += 3;
        continue;
      }
    } else {
      i += (c >> 5) == 6 ? 2 : (c >> 3) == 30 ? 4 : 1;
      continue;
    }
    size_t skip = i + 1;
    Lexed lexed;
    size_t e = MatchAt(text, i, skip, lexed);
    if (e > i && Read(text, i, e, *slot, &lexed)) {
      if (slot->begin < last_end) slot->begin = i;
      last_end = i = slot->end;
      slot = next(*slot);
    } else {
      i = e > i ? std::max(e, skip) : skip;
    }
  }
}

void NumberGrammar::Scan(std::string_view text, const std::function<void(const Figure&)>& on_figure) const {
  if (!rules_) return;
  Figure f;
  rules_->ScanAll(text, &f, [&](Figure& found) {
    on_figure(found);
    return &found;
  });
}

std::vector<Figure> NumberGrammar::FindAllWithPattern(std::string_view text) const {
  std::vector<Figure> out;
  if (!rules_) return out;
  const RE2& re = *rules_->pattern;
  re2::StringPiece input(text.data(), text.size());
  re2::StringPiece match;
  size_t pos = 0;
  Figure f;
  size_t last_end = 0;
  while (pos < text.size() && re.Match(input, pos, text.size(), RE2::UNANCHORED, &match, 1)) {
    size_t b = size_t(match.data() - text.data());
    size_t e = b + match.size();
    if (e == b) {
      pos = b + 1;
      continue;
    }
    if (rules_->Read(text, b, e, f)) {
      if (f.begin < last_end) f.begin = b;
      out.push_back(f);
      last_end = f.end;
      pos = f.end;
    } else {
      pos = e;
    }
  }
  return out;
}

std::vector<Figure> NumberGrammar::FindAll(std::string_view text) const {
  std::vector<Figure> out;
  if (!rules_) return out;
  out.reserve(text.size() / 40);  // reports carry one figure per 50 to 150 bytes: no regrowth
  // Each figure is read into its place in `out`, not copied there.
  rules_->ScanAll(text, &out.emplace_back(), [&](Figure&) { return &out.emplace_back(); });
  out.pop_back();  // the place no figure was read into
  return out;
}

std::optional<Figure> NumberGrammar::Parse(std::string_view text) const {
  std::optional<Figure> found;
  int n = 0;
  Scan(text, [&](const Figure& f) {
    if (++n == 1) found = f;
  });
  if (n != 1 || found->begin != 0 || found->end != text.size()) return std::nullopt;
  return found;
}

const Unit* NumberGrammar::FindUnit(std::string_view text) const {
  if (!rules_) return nullptr;
  auto it = rules_->units.find(text);
  return it == rules_->units.end() ? nullptr : &it->second;
}

double ScaleDecimal(double value, int decimals, double scale) {
  const double product = value * scale;
  if (!std::isfinite(product) || product == 0 || decimals < 0) return product;
  int places = -1;
  double s = std::fabs(scale);
  for (int j = 0; j <= 9; ++j, s *= 10) {
    // Absolute: 2000/3 × 10^9 is 666666666666.67, off an integer by a third.
    // (Rounded by a cast, not a call to round: s is positive, and from 2^52
    // on every double is an integer.)
    const double nearest = s < 4.5e15 ? double(int64_t(s + 0.5)) : s;
    if (std::fabs(s - nearest) <= 1e-7) {
      places = decimals + j;
      break;
    }
  }
  // Any other scale: 15 significant digits, all a double holds for sure
  // (2.55亩 × 2000/3 is 1700, not 1699.9999999999998).
  if (places < 0 || places > 15) places = 15 - int(std::ceil(std::log10(std::fabs(product))));
  // Exact powers of ten from a table: std::pow was a visible share of a figure's cost.
  static constexpr double kPowers[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                                       1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
  const double p = places >= 0 && places < 23 ? kPowers[places] : std::pow(10.0, places);
  if (std::fabs(product) * p >= 9e15) return product;  // past 2^53 rounding cannot help
  return std::round(product * p) / p;
}

std::optional<double> ParseNumeral(std::string_view text) {
  if (text.empty()) return std::nullopt;
  Amount a = LexAmount(text, 0);
  if (!a.ok || a.approx || a.end != text.size()) {
    // A Chinese numeral that is only multipliers ("百") is still a numeral here.
    Numeral n = LexNumeral(text, 0);
    if (n.ok && n.end == text.size()) return n.value;
    return std::nullopt;
  }
  return a.numeral.value * a.multiplier;
}

}  // namespace lode
