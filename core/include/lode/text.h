// lode/text.h — small UTF-8 helpers that every stage needs.
#pragma once

#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>

namespace lode {

// The byte offset of the first invalid UTF-8 sequence in `s` (overlong forms,
// surrogates and code points above U+10FFFF are invalid), or nullopt when `s` is
// valid UTF-8.
std::optional<size_t> FindInvalidUtf8(std::string_view s);

// Number of code points in valid UTF-8 text.
uint64_t CountCodePoints(std::string_view s);

// Length in bytes of the UTF-8 sequence that `lead` starts (1 for ASCII, and
// for a byte that starts none, so that a scan always moves on).
inline size_t Utf8SequenceLength(unsigned char lead) {
  return lead < 0xC0 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
}

// The code point that starts at byte `i` of valid UTF-8 text `s` (a sequence
// cut by the end of `s` decodes from the bytes there are). `*length`, when
// given, receives its length in bytes.
char32_t DecodeUtf8(std::string_view s, size_t i, size_t* length = nullptr);

// Appends code point `c` as UTF-8 (nothing for a surrogate or above U+10FFFF).
void AppendUtf8(std::string& out, char32_t c);

// A byte count for a summary line: "24.6 KB" below a megabyte, "786.4 MB"
// from there on (decimal units, one decimal), so that a few sample pages do
// not read "0.0 MB". Inline: it adds nothing to the plugin ABI.
inline std::string FormatBytes(double bytes) {
  char out[32];
  std::snprintf(out, sizeof out, "%.1f %s", bytes < 1e6 ? bytes / 1e3 : bytes / 1e6, bytes < 1e6 ? "KB" : "MB");
  return out;
}

// Appends `s` as the body of a JSON string (without quotes): `"`, `\` and
// control characters are escaped; everything else is copied as UTF-8.
void AppendJsonEscaped(std::string& out, std::string_view s);

// Appends a double the shortest way that reads back as the same value ("0.1",
// "1e+300"), whole numbers below 2^53 without exponent ("1250000000"); NaN and
// infinities as "null".
void AppendJsonNumber(std::string& out, double v);

}  // namespace lode
