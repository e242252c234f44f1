#include "decode.h"

#include <unicode/ucnv.h>
#include <unicode/utf16.h>
#include <uchardet/uchardet.h>

#include <algorithm>
#include <cstring>
#include <memory>

#include "lode/text.h"

namespace lode::readfiles {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

std::string_view Trim(std::string_view s) {
  auto junk = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '"' || c == '\''; };
  while (!s.empty() && junk(s.front())) s.remove_prefix(1);
  while (!s.empty() && junk(s.back())) s.remove_suffix(1);
  return s;
}

// Labels that pages and tools use loosely. The GB and Big5 families follow the
// WHATWG Encoding Standard: a page labelled gb2312 or gbk routinely holds
// characters outside that set, and browsers read it with the GB18030 decoder.
struct Label {
  const char* label;
  const char* name;
  const char* converter;
};
constexpr Label kLabels[] = {
    {"utf-8", "UTF-8", "UTF-8"},
    {"utf8", "UTF-8", "UTF-8"},
    {"unicode-1-1-utf-8", "UTF-8", "UTF-8"},
    {"ascii", "UTF-8", "UTF-8"},  // uchardet's answer for pure ASCII
    {"us-ascii", "UTF-8", "UTF-8"},
    {"gb18030", "GB18030", "gb18030"},
    {"gbk", "GB18030", "gb18030"},
    {"x-gbk", "GB18030", "gb18030"},
    {"gb2312", "GB18030", "gb18030"},
    {"gb_2312", "GB18030", "gb18030"},
    {"gb_2312-80", "GB18030", "gb18030"},
    {"csgb2312", "GB18030", "gb18030"},
    {"csiso58gb231280", "GB18030", "gb18030"},
    {"iso-ir-58", "GB18030", "gb18030"},
    {"chinese", "GB18030", "gb18030"},
    {"cp936", "GB18030", "gb18030"},
    {"ms936", "GB18030", "gb18030"},
    {"windows-936", "GB18030", "gb18030"},
    {"euc-cn", "GB18030", "gb18030"},
    {"big5", "Big5", "windows-950-2000"},
    {"big-5", "Big5", "windows-950-2000"},
    {"cn-big5", "Big5", "windows-950-2000"},
    {"csbig5", "Big5", "windows-950-2000"},
    {"x-x-big5", "Big5", "windows-950-2000"},
    {"cp950", "Big5", "windows-950-2000"},
    {"ms950", "Big5", "windows-950-2000"},
    {"windows-950", "Big5", "windows-950-2000"},
    {"big5-hkscs", "Big5-HKSCS", "ibm-1375_P100-2008"},
    {"big5hkscs", "Big5-HKSCS", "ibm-1375_P100-2008"},
    // WHATWG: a bare "utf-16" label means little endian.
    {"utf-16", "UTF-16LE", "UTF-16LE"},
    {"utf-16le", "UTF-16LE", "UTF-16LE"},
    {"unicode", "UTF-16LE", "UTF-16LE"},
    {"ucs-2", "UTF-16LE", "UTF-16LE"},
    {"utf-16be", "UTF-16BE", "UTF-16BE"},
    {"unicodefffe", "UTF-16BE", "UTF-16BE"},
    {"utf-32", "UTF-32LE", "UTF-32LE"},
    {"utf-32le", "UTF-32LE", "UTF-32LE"},
    {"utf-32be", "UTF-32BE", "UTF-32BE"},
};

struct ConverterCloser {
  void operator()(UConverter* c) const { ucnv_close(c); }
};
using ConverterPtr = std::unique_ptr<UConverter, ConverterCloser>;

// Where decoding may be cut into independent chunks without splitting a
// character, so that the unit and offset buffers stay small.
enum class Cut { kAnywhere, kAfterNewline, kUtf16Le, kUtf16Be, kUtf32, kNowhere };

Cut CutFor(UConverterType type) {
  switch (type) {
    case UCNV_SBCS:
    case UCNV_LATIN_1:
    case UCNV_US_ASCII:
      return Cut::kAnywhere;
    // ASCII-based multibyte encodings (GB18030, GBK, Big5, Shift_JIS, EUC …)
    // never use 0x0A inside a multibyte character.
    case UCNV_UTF8:
    case UCNV_MBCS:
      return Cut::kAfterNewline;
    case UCNV_UTF16_LittleEndian:
      return Cut::kUtf16Le;
    case UCNV_UTF16_BigEndian:
      return Cut::kUtf16Be;
    case UCNV_UTF32_LittleEndian:
    case UCNV_UTF32_BigEndian:
      return Cut::kUtf32;
    default:  // stateful encodings (ISO-2022, HZ, UTF-7 …): shift state spans lines
      return Cut::kNowhere;
  }
}

constexpr size_t kChunk = 64 * 1024;

size_t NextCut(std::string_view raw, size_t begin, size_t pos, Cut cut) {
  const size_t size = raw.size();
  if (size - pos <= kChunk || cut == Cut::kNowhere) return size;
  size_t end = pos + kChunk;
  switch (cut) {
    case Cut::kAnywhere:
      return end;
    case Cut::kAfterNewline: {
      const void* nl = memrchr(raw.data() + pos, '\n', end - pos);
      if (nl != nullptr) return static_cast<size_t>(static_cast<const char*>(nl) - raw.data()) + 1;
      nl = std::memchr(raw.data() + end, '\n', size - end);
      return nl == nullptr ? size : static_cast<size_t>(static_cast<const char*>(nl) - raw.data()) + 1;
    }
    case Cut::kUtf16Le:
    case Cut::kUtf16Be: {
      end -= (end - begin) % 2;
      // Never between the two halves of a surrogate pair.
      const unsigned char high = static_cast<unsigned char>(raw[cut == Cut::kUtf16Le ? end - 1 : end - 2]);
      if ((high & 0xFC) == 0xD8) end -= 2;
      return end;
    }
    case Cut::kUtf32:
      return end - (end - begin) % 4;
    case Cut::kNowhere:
      break;
  }
  return size;
}

// Appends code point `c` as UTF-8; returns the number of bytes.
size_t AppendUtf8(std::string& out, uint32_t c) {
  char b[4];
  size_t n;
  if (c < 0x80) {
    b[0] = static_cast<char>(c);
    n = 1;
  } else if (c < 0x800) {
    b[0] = static_cast<char>(0xC0 | (c >> 6));
    b[1] = static_cast<char>(0x80 | (c & 0x3F));
    n = 2;
  } else if (c < 0x10000) {
    b[0] = static_cast<char>(0xE0 | (c >> 12));
    b[1] = static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    b[2] = static_cast<char>(0x80 | (c & 0x3F));
    n = 3;
  } else {
    b[0] = static_cast<char>(0xF0 | (c >> 18));
    b[1] = static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    b[2] = static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    b[3] = static_cast<char>(0x80 | (c & 0x3F));
    n = 4;
  }
  out.append(b, n);
  return n;
}

// Builds a map character by character, merging runs that map byte for byte
// before they reach the OffsetMap (one Append per run, not per character).
class MapBuilder {
 public:
  explicit MapBuilder(OffsetMap& map) : map_(map) {}
  ~MapBuilder() { Flush(); }

  void Exact(uint64_t raw_begin, uint64_t len) {
    if (run_len_ > 0 && run_raw_ + run_len_ == raw_begin) {
      run_len_ += len;
      return;
    }
    Flush();
    run_raw_ = raw_begin;
    run_len_ = len;
  }
  void Whole(uint64_t text_len, uint64_t raw_begin, uint64_t raw_len) {
    Flush();
    map_.Append(text_len, raw_begin, raw_len, false);
  }
  void Flush() {
    if (run_len_ > 0) map_.Append(run_len_, run_raw_, run_len_, true);
    run_len_ = 0;
  }

 private:
  OffsetMap& map_;
  uint64_t run_raw_ = 0, run_len_ = 0;
};

constexpr char kReplacementChar[] = "\xEF\xBF\xBD";  // U+FFFD

}  // namespace

StatusOr<Charset> ResolveCharset(std::string_view label) {
  std::string key = Lower(Trim(label));
  if (key.empty()) return NotFoundError("empty encoding name");
  for (const Label& l : kLabels)
    if (key == l.label) return Charset{l.name, l.converter};
  UErrorCode err = U_ZERO_ERROR;
  ConverterPtr cnv(ucnv_open(key.c_str(), &err));
  if (U_FAILURE(err) || cnv == nullptr)
    return NotFoundError("encoding '" + std::string(Trim(label)) + "' is not known to ICU");
  const char* icu_name = ucnv_getName(cnv.get(), &err);
  if (U_FAILURE(err)) return NotFoundError("encoding '" + std::string(Trim(label)) + "' is not known to ICU");
  // Report the IANA name ("Shift_JIS", "windows-1252"), not ICU's table name.
  UErrorCode e2 = U_ZERO_ERROR;
  const char* iana = ucnv_getStandardName(icu_name, "IANA", &e2);
  std::string name = (U_SUCCESS(e2) && iana != nullptr) ? iana : icu_name;
  // The GB and Big5 families resolve through the table above; an ICU alias of
  // them (such as "EUC-CN" spelled differently) lands here and keeps its name.
  return Charset{name, icu_name};
}

bool IsUtf8(const Charset& c) { return c.name == "UTF-8"; }

bool IsWide(const Charset& c) { return c.name.rfind("UTF-16", 0) == 0 || c.name.rfind("UTF-32", 0) == 0; }

std::optional<ByteOrderMark> FindByteOrderMark(std::string_view raw) {
  if (raw.substr(0, 3) == "\xEF\xBB\xBF") return ByteOrderMark{{"UTF-8", "UTF-8"}, 3};
  if (raw.substr(0, 4) == std::string_view("\x84\x31\x95\x33", 4)) return ByteOrderMark{{"GB18030", "gb18030"}, 4};
  if (raw.substr(0, 2) == "\xFF\xFE") return ByteOrderMark{{"UTF-16LE", "UTF-16LE"}, 2};
  if (raw.substr(0, 2) == "\xFE\xFF") return ByteOrderMark{{"UTF-16BE", "UTF-16BE"}, 2};
  return std::nullopt;
}

std::string DetectCharsetLabel(std::string_view raw, size_t limit) {
  // ASCII tells uchardet nothing, and an HTML page can open with many KB of it.
  size_t first = 0;
  while (first < raw.size() && static_cast<unsigned char>(raw[first]) < 0x80) ++first;
  if (first == raw.size()) return "ASCII";
  raw.remove_prefix(first);
  uchardet_t ud = uchardet_new();
  if (ud == nullptr) return "";
  std::string label;
  if (uchardet_handle_data(ud, raw.data(), std::min(raw.size(), limit)) == 0) {
    uchardet_data_end(ud);
    const char* cs = uchardet_get_charset(ud);
    if (cs != nullptr) label = cs;
  }
  uchardet_delete(ud);
  return label;
}

std::string EscapeBytes(std::string_view bytes) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(bytes.size() * 4);
  for (unsigned char b : bytes) {
    out += "\\x";
    out += kHex[b >> 4];
    out += kHex[b & 15];
  }
  return out;
}

StatusOr<Decoded> DecodeBytes(std::string_view raw, size_t begin, const Charset& charset, OnInvalid mode) {
  Decoded d;
  if (IsUtf8(charset)) {
    std::string_view body = raw.substr(begin);
    if (!FindInvalidUtf8(body)) {
      d.text.assign(body);
      d.map = OffsetMap::Identity(begin, body.size());
      return d;
    }
    // Invalid UTF-8: ICU's converter finds each maximal ill-formed subpart.
  }

  UErrorCode err = U_ZERO_ERROR;
  ConverterPtr cnv(ucnv_open(charset.converter.c_str(), &err));
  if (U_FAILURE(err) || cnv == nullptr)
    return InternalError("ICU cannot open the converter " + charset.converter + ": " + u_errorName(err));
  ucnv_setToUCallBack(cnv.get(), UCNV_TO_U_CALLBACK_STOP, nullptr, nullptr, nullptr, &err);
  const Cut cut = CutFor(ucnv_getType(cnv.get()));

  d.text.reserve((raw.size() - begin) + (raw.size() - begin) / 2);
  std::vector<UChar> units;
  std::vector<int32_t> offsets;
  MapBuilder map(d.map);
  const char* const base = raw.data();

  // Appends the characters of one call: units [0, n) whose offsets are
  // relative to `from`; the last one ends at raw offset `end`.
  auto emit = [&](size_t n, uint64_t from, uint64_t end) -> bool {
    size_t i = 0;
    uint64_t prev_end = from;
    while (i < n) {
      const int32_t o = offsets[i];
      // A run of ASCII read from the same ASCII bytes (most of the markup and
      // digits of a GB18030 or Big5 page): one append, one exact piece.
      if (units[i] < 0x80 && units[i] != 0 && o >= 0) {
        const uint64_t rb = from + static_cast<uint64_t>(o);
        size_t j = i;
        while (j < n && units[j] < 0x80 && units[j] != 0 && offsets[j] == o + static_cast<int32_t>(j - i) &&
               static_cast<unsigned char>(base[rb + (j - i)]) == units[j])
          ++j;
        const uint64_t run_end = j < n ? from + static_cast<uint64_t>(offsets[j]) : end;
        if (j > i && run_end == rb + (j - i)) {
          for (size_t k = i; k < j; ++k) d.text.push_back(static_cast<char>(units[k]));
          map.Exact(rb, j - i);
          prev_end = run_end;
          i = j;
          continue;
        }
      }
      // Units with the same source offset came from one byte sequence: a
      // surrogate pair, or a sequence that maps to several code points.
      size_t j = i + 1;
      while (j < n && (offsets[j] == o || offsets[j] < 0)) ++j;
      const uint64_t rb = o < 0 ? prev_end : from + static_cast<uint64_t>(o);
      const uint64_t re = j < n ? from + static_cast<uint64_t>(offsets[j]) : end;
      const size_t text_before = d.text.size();
      for (size_t k = i; k < j;) {
        uint32_t c = units[k++];
        if (U16_IS_LEAD(c) && k < j && U16_IS_TRAIL(units[k])) {
          c = U16_GET_SUPPLEMENTARY(c, units[k]);
          ++k;
        } else if (U16_IS_SURROGATE(c)) {
          c = 0xFFFD;  // converters never emit a lone surrogate; keep the text valid if one does
        }
        if (c >= 0xE000 && c <= 0xF8FF) d.private_use = true;
        if (c == 0) {
          d.text.resize(text_before);
          d.nul_at = rb;
          return false;
        }
        AppendUtf8(d.text, c);
      }
      const size_t tl = d.text.size() - text_before;
      if (tl == re - rb && std::memcmp(d.text.data() + text_before, base + rb, tl) == 0)
        map.Exact(rb, tl);
      else
        map.Whole(tl, rb, re - rb);
      prev_end = re;
      i = j;
    }
    return true;
  };

  size_t pos = begin;
  while (pos < raw.size()) {
    const size_t chunk_end = NextCut(raw, begin, pos, cut);
    const char* src = base + pos;
    const char* const limit = base + chunk_end;
    const size_t capacity = (chunk_end - pos) + 16;
    if (units.size() < capacity) {
      units.resize(capacity);
      offsets.resize(capacity);
    }
    // Each chunk ends between characters, so it is flushed on its own; a call
    // stops at each invalid sequence and the next one goes on after it.
    while (true) {
      const char* call_start = src;
      UChar* target = units.data();
      err = U_ZERO_ERROR;
      ucnv_toUnicode(cnv.get(), &target, units.data() + units.size(), &src, limit, offsets.data(), true, &err);
      const size_t n = static_cast<size_t>(target - units.data());
      const bool bad = err == U_ILLEGAL_CHAR_FOUND || err == U_INVALID_CHAR_FOUND || err == U_TRUNCATED_CHAR_FOUND;
      char bad_bytes[32];
      int8_t bad_len = 0;
      if (bad) {
        bad_len = sizeof bad_bytes;
        UErrorCode e2 = U_ZERO_ERROR;
        ucnv_getInvalidChars(cnv.get(), bad_bytes, &bad_len, &e2);
        if (U_FAILURE(e2)) bad_len = 0;
      }
      const uint64_t out_end = static_cast<uint64_t>(src - base) - static_cast<uint64_t>(bad_len);
      if (!emit(n, static_cast<uint64_t>(call_start - base), out_end)) {
        map.Flush();
        return d;
      }
      if (bad) {
        const InvalidBytes ib{out_end, out_end + static_cast<uint64_t>(bad_len)};
        d.invalid.push_back(ib);
        if (mode == OnInvalid::kQuarantine) {
          map.Flush();
          return d;
        }
        d.text += kReplacementChar;
        map.Whole(3, ib.raw_begin, ib.raw_end - ib.raw_begin);
        if (src < limit) continue;
        break;
      }
      if (err == U_BUFFER_OVERFLOW_ERROR) continue;
      if (U_FAILURE(err)) return InternalError(std::string("ICU failed to decode ") + charset.name + ": " + u_errorName(err));
      if (src >= limit) break;
    }
    pos = chunk_end;
  }
  map.Flush();
  return d;
}

}  // namespace lode::readfiles
