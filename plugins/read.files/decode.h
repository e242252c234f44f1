// Bytes to UTF-8 for read.files: byte-order marks, charset labels, detection
// with uchardet and conversion with ICU, keeping a map from every decoded
// character back to the bytes it came from.
//
//   auto cs = ResolveCharset("gbk");              // {"GB18030", "gb18030"}
//   auto d = DecodeBytes(raw, 0, *cs, OnInvalid::kReplace);
//   d->map.ToRaw(0, 3);                           // the two bytes of the first 中
//
// Everything here is stateless: call it from many threads at once.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lode/offsets.h"
#include "lode/status.h"

namespace lode::readfiles {

// What to do with bytes that are not valid in the encoding.
enum class OnInvalid {
  kQuarantine,  // stop at the first invalid sequence
  kReplace,     // replace each with U+FFFD and go on
};

// An encoding as lode reports it, and how ICU reads it.
struct Charset {
  std::string name;       // "GB18030", "Big5", "UTF-8", "UTF-16LE", or the IANA name
  std::string converter;  // an ICU converter name
  bool operator==(const Charset& o) const { return name == o.name; }
};

// The charset a label names: a pipeline's `encoding`, a page's <meta charset>, or
// uchardet's answer. Labels of the GB family (gb2312, gbk, gb18030, cp936 …) read
// as GB18030, their superset, as browsers do. NotFound when ICU knows no such
// encoding.
StatusOr<Charset> ResolveCharset(std::string_view label);

bool IsUtf8(const Charset& c);
// UTF-16 and UTF-32: NUL bytes are part of their text, and lines do not end
// at a '\n' byte.
bool IsWide(const Charset& c);

// A byte-order mark at the start of `raw` (UTF-8, UTF-16LE/BE, GB18030).
struct ByteOrderMark {
  Charset charset;
  size_t length;
};
std::optional<ByteOrderMark> FindByteOrderMark(std::string_view raw);

// uchardet's answer for `raw` ("GB18030", "BIG5", "UTF-8", "ASCII" …), or ""
// when it has none. It looks at `limit` bytes from the first non-ASCII one.
std::string DetectCharsetLabel(std::string_view raw, size_t limit = size_t{64} << 10);

// One byte sequence that is not valid in the encoding, in raw offsets.
struct InvalidBytes {
  uint64_t raw_begin;
  uint64_t raw_end;
};

struct Decoded {
  std::string text;  // valid UTF-8
  OffsetMap map;     // text offsets → offsets into the raw bytes
  // kReplace: every sequence replaced by a U+FFFD. kQuarantine: at most one,
  // and then `text` stops before it.
  std::vector<InvalidBytes> invalid;
  // The raw offset of a U+0000 decoded from a wide encoding (binary data);
  // decoding stops there.
  std::optional<uint64_t> nul_at;
  // Whether a private-use character (U+E000–U+F8FF) was decoded: legacy
  // charsets map vendor and user-defined codes there (windows-950 reads a stray
  // 0xFF as U+F8F8), so it is weak evidence against the charset.
  bool private_use = false;
  bool clean() const { return invalid.empty() && !nul_at; }
};

// Decodes raw[begin, end) with `charset`. Characters whose UTF-8 bytes equal
// their raw bytes (ASCII, or UTF-8 read as UTF-8) map byte for byte; every other
// character maps as a whole to the raw bytes it was decoded from.
// Errors are ICU failures only; bytes that do not decode are in `invalid`.
StatusOr<Decoded> DecodeBytes(std::string_view raw, size_t begin, const Charset& charset, OnInvalid mode);

// `bytes` as \xNN escapes: "\xFF\x81".
std::string EscapeBytes(std::string_view bytes);

}  // namespace lode::readfiles
