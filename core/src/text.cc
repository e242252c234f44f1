#include "lode/text.h"

#include <charconv>
#include <cmath>
#include <cstring>

namespace lode {

namespace {

constexpr uint64_t kOnes = 0x0101010101010101ULL;
constexpr uint64_t kHighs = 0x8080808080808080ULL;

inline uint64_t Load8(const unsigned char* p) {
  uint64_t w;
  std::memcpy(&w, p, 8);
  return w;
}

// Bytes of `w` that are zero get their high bit set (exact, no false positives).
inline uint64_t ZeroBytes(uint64_t w) { return ~(((w & ~kHighs) + ~kHighs) | w | ~kHighs); }

}  // namespace

std::optional<size_t> FindInvalidUtf8(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const size_t n = s.size();
  size_t i = 0;
  while (i < n) {
    unsigned char c = p[i];
    if (c < 0x80) {
      // ASCII runs (markup, digits, blanks) go eight bytes at a time.
      ++i;
      while (i + 8 <= n && !(Load8(p + i) & kHighs)) i += 8;
      continue;
    }
    if ((c & 0xF0) == 0xE0) {
      // Three-byte sequences are nearly all of a Chinese page: check them first.
      if (i + 3 > n) return i;
      unsigned char c1 = p[i + 1], c2 = p[i + 2];
      if ((c1 & 0xC0) != 0x80 || (c2 & 0xC0) != 0x80) return i;
      if (c == 0xE0 && c1 < 0xA0) return i;   // overlong
      if (c == 0xED && c1 >= 0xA0) return i;  // a UTF-16 surrogate
      i += 3;
      continue;
    }
    if ((c & 0xE0) == 0xC0) {
      if (c < 0xC2 || i + 2 > n || (p[i + 1] & 0xC0) != 0x80) return i;  // C0, C1 are overlong
      i += 2;
      continue;
    }
    if (c >= 0xF0 && c <= 0xF4) {
      if (i + 4 > n) return i;
      unsigned char c1 = p[i + 1];
      if ((c1 & 0xC0) != 0x80 || (p[i + 2] & 0xC0) != 0x80 || (p[i + 3] & 0xC0) != 0x80) return i;
      if (c == 0xF0 && c1 < 0x90) return i;   // overlong
      if (c == 0xF4 && c1 >= 0x90) return i;  // above U+10FFFF
      i += 4;
      continue;
    }
    return i;  // a stray continuation byte, or F5..FF
  }
  return std::nullopt;
}

uint64_t CountCodePoints(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const size_t n = s.size();
  uint64_t continuation = 0;
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t w = Load8(p + i);
    // Continuation bytes are 10xxxxxx: high bit set, next bit clear. Each
    // byte's flag moved to its low bit, one multiply adds the eight up: the
    // baseline x86-64 target has no popcount instruction, and the library
    // call it makes instead was 0.3 % of the main pipeline's samples.
    const uint64_t flags = (w & ~(w << 1) & kHighs) >> 7;
    continuation += (flags * 0x0101010101010101ULL) >> 56;
  }
  for (; i < n; ++i) continuation += (p[i] & 0xC0) == 0x80;
  return n - continuation;
}

char32_t DecodeUtf8(std::string_view s, size_t i, size_t* length) {
  const auto lead = static_cast<unsigned char>(s[i]);
  const size_t n = Utf8SequenceLength(lead);
  char32_t cp = n == 1 ? lead : n == 2 ? (lead & 0x1F) : n == 3 ? (lead & 0x0F) : (lead & 0x07);
  for (size_t k = 1; k < n && i + k < s.size(); ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
  if (length) *length = n;
  return cp;
}

void AppendUtf8(std::string& out, char32_t c) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    if (c >= 0xD800 && c <= 0xDFFF) return;
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c <= 0x10FFFF) {
    out += static_cast<char>(0xF0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
}

void AppendJsonEscaped(std::string& out, std::string_view s) {
  static const char kHex[] = "0123456789abcdef";
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const size_t n = s.size();
  size_t run = 0;  // start of the pending run of bytes that need no escape
  size_t i = 0;
  while (i < n) {
    // Skip eight bytes at a time while none is a control character, '"' or '\\'.
    while (i + 8 <= n) {
      uint64_t w = Load8(p + i);
      uint64_t control = ZeroBytes(w & 0xE0E0E0E0E0E0E0E0ULL);  // bytes below 0x20
      uint64_t special = control | ZeroBytes(w ^ (kOnes * '"')) | ZeroBytes(w ^ (kOnes * '\\'));
      if (special) break;
      i += 8;
    }
    if (i >= n) break;
    unsigned char c = p[i];
    if (c >= 0x20 && c != '"' && c != '\\') {
      ++i;
      continue;
    }
    out.append(s.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        out += "\\u00";
        out += kHex[c >> 4];
        out += kHex[c & 15];
    }
    ++i;
  }
  out.append(s.data() + run, n - run);
}

void AppendJsonNumber(std::string& out, double v) {
  if (!std::isfinite(v)) {
    out += "null";
    return;
  }
  char buf[32];
  // Whole amounts read as written (1250000000, not 1.25e+09): spreadsheets and
  // people both prefer it, and every double below 2^53 prints exactly.
  if (v == std::floor(v) && std::fabs(v) < 9007199254740992.0) {
    auto r = std::to_chars(buf, buf + sizeof buf, static_cast<int64_t>(v));
    out.append(buf, r.ptr);
    return;
  }
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, r.ptr);
}

}  // namespace lode
