#include "html_text.h"

#include <array>
#include <cmath>
#include <charconv>
#include <optional>

#include "lode/text.h"

namespace lode::html {

namespace {

// 0: copied as it is; 1: needs a character reference; 2: a control character.
constexpr std::array<unsigned char, 256> MakeClasses() {
  std::array<unsigned char, 256> c{};
  for (int b = 0; b < 0x20; ++b) c[b] = 2;
  c['\t'] = c['\n'] = c['\r'] = 0;
  c[0x7F] = 2;
  c['&'] = c['<'] = c['>'] = c['"'] = c['\''] = 1;
  return c;
}
constexpr std::array<unsigned char, 256> kClass = MakeClasses();

void AppendValidEscaped(std::string& out, std::string_view s) {
  const char* p = s.data();
  const char* const end = p + s.size();
  while (p < end) {
    const char* run = p;
    while (p < end && kClass[static_cast<unsigned char>(*p)] == 0) ++p;
    out.append(run, p - run);
    if (p == end) break;
    const unsigned char b = static_cast<unsigned char>(*p++);
    switch (b) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      case 0x7F:
        out += "\xE2\x90\xA1";
        break;  // ␡
      default:  // U+2400 + b: ␀ ␁ … ␟
        out += "\xE2\x90";
        out += static_cast<char>(0x80 + b);
    }
  }
}

// Removes trailing zeros of a fixed-point rendering ("12.500" → "12.5", "3.0" → "3").
void TrimZeros(std::string& s) {
  if (s.find('.') == std::string::npos) return;
  while (!s.empty() && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  if (s == "-0") s = "0";
}

// Adds thousands separators to the integer digits of a plain decimal rendering.
std::string Group(const std::string& s) {
  size_t digits_begin = (!s.empty() && s[0] == '-') ? 1 : 0;
  size_t digits_end = s.find('.');
  if (digits_end == std::string::npos) digits_end = s.size();
  const size_t n = digits_end - digits_begin;
  if (n <= 4) return s;  // 2019 and 9999 read better without a comma
  std::string out(s, 0, digits_begin);
  for (size_t i = 0; i < n; ++i) {
    if (i && (n - i) % 3 == 0) out += ',';
    out += s[digits_begin + i];
  }
  out.append(s, digits_end);
  return out;
}

// std::to_chars prints what printf's %f and %g print, without the locale
// lookups that made printf a visible part of a report's time.
std::string Fixed(double v, int decimals) {
  char buf[400];  // the longest double in full
  std::string s(buf, std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed, decimals).ptr);
  TrimZeros(s);
  return s;
}

}  // namespace

void AppendEscaped(std::string& out, std::string_view text) {
  // Rows are checked for types, not for UTF-8; a stray byte must not make the
  // whole page undecodable, so anything invalid becomes U+FFFD.
  while (!text.empty()) {
    const std::optional<size_t> bad = FindInvalidUtf8(text);
    if (!bad) {
      AppendValidEscaped(out, text);
      return;
    }
    AppendValidEscaped(out, text.substr(0, *bad));
    out += "\xEF\xBF\xBD";
    text.remove_prefix(*bad + 1);
  }
}

std::string_view CutAtCharacter(std::string_view text, size_t max_bytes) {
  if (max_bytes == 0 || text.size() <= max_bytes) return text;
  size_t cut = max_bytes;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return text.substr(0, cut);
}

std::string FormatNumber(double v) {
  if (!std::isfinite(v)) return "—";
  const double a = std::fabs(v);
  if (a >= 1e15) {
    char buf[64];
    return std::string(buf, std::to_chars(buf, buf + sizeof buf, v, std::chars_format::general, 6).ptr);
  }
  if (v == std::trunc(v)) return Group(Fixed(v, 0));
  if (a < 1) {
    char buf[64];
    return std::string(buf, std::to_chars(buf, buf + sizeof buf, v, std::chars_format::general, 6).ptr);
  }
  const int digits = static_cast<int>(std::floor(std::log10(a))) + 1;
  return Group(Fixed(v, digits >= 6 ? 0 : 6 - digits));
}

std::string FormatCount(uint64_t n) {
  std::string digits = std::to_string(n), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string FormatPercent(double v) {
  if (!std::isfinite(v)) return "—";
  return Group(Fixed(v, 1));
}

std::string FormatQuantity(double v, std::string_view unit) {
  if (!std::isfinite(v)) return "—";
  if (unit == "%") return FormatNumber(v) + "%";
  if (unit == "pp") return FormatNumber(v) + " pp";
  if (unit == "rank") return "rank " + FormatNumber(v);
  if (unit.empty()) return FormatNumber(v);
  const double a = std::fabs(v);
  // The reports themselves write 385.3亿元 and 2.9万人次, not 38,530,000,000 元.
  if (a >= 1e8 && a < 1e16) return Group(Fixed(v / 1e8, 4)) + " 亿" + std::string(unit);
  if (a >= 1e4 && a < 1e8) return Fixed(v / 1e4, 4) + " 万" + std::string(unit);
  return FormatNumber(v) + " " + std::string(unit);
}

std::string ChineseNumeral(long long n) {
  static const char* const kDigits[] = {"", "一", "二", "三", "四", "五", "六", "七", "八", "九"};
  if (n <= 0 || n >= 100) return std::to_string(n);
  std::string out;
  const long long tens = n / 10, ones = n % 10;
  if (tens > 1) out += kDigits[tens];
  if (tens > 0) out += "十";
  out += kDigits[ones];
  return out;
}

}  // namespace lode::html
