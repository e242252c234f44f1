// export.html: text and numbers as they are written into the page.
//
// Everything that comes from a document (titles, owners, figures, reasons,
// ids) passes through AppendEscaped before it reaches the page; the only
// unescaped bytes in a report are the page's own markup.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace lode::html {

// Appends `text` safe for HTML text and for a double- or single-quoted
// attribute value alike: & < > " ' become character references; control
// characters other than tab, line feed and carriage return (which HTML parsers
// drop or refuse) become their visible Control Pictures symbol (NUL → ␀); bytes
// that are not valid UTF-8 become U+FFFD.
void AppendEscaped(std::string& out, std::string_view text);

// The longest prefix of `text` of at most `max_bytes` bytes that ends on a
// character boundary; `text` itself when max_bytes is 0 or the text is shorter.
std::string_view CutAtCharacter(std::string_view text, size_t max_bytes);

// A number for people: integers grouped in thousands ("9,165,640"), other
// values to six significant digits ("62.3", "0.125"); "—" for NaN and
// infinities.
std::string FormatNumber(double v);

// A count of things, grouped in thousands from 1,000 on ("1,000 documents").
std::string FormatCount(uint64_t n);

// A percentage to one decimal at most ("62.3", "100"): for progress and audits.
std::string FormatPercent(double v);

// A value with its canonical unit as a Chinese reader expects it: "7.8%",
// "1.2 pp", "rank 2", "385.3 亿元", "2.9 万人次", "50 个". Large values of
// other units are shown in 万 and 亿; FormatNumber gives the exact value.
std::string FormatQuantity(double v, std::string_view unit);

// 1 → "一", 12 → "十二", 21 → "二十一"; other values (0, negatives, ≥ 100)
// as decimal digits.
std::string ChineseNumeral(long long n);

}  // namespace lode::html
