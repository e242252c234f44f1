#include "html.h"

#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstring>
#include <memory>
#include <mutex>

namespace lode::readfiles {
namespace {

bool IsHtmlSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

char LowerAscii(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool StartsWithNoCase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i)
    if (LowerAscii(s[i]) != prefix[i]) return false;
  return true;
}

bool EqualsNoCase(std::string_view a, std::string_view b) { return a.size() == b.size() && StartsWithNoCase(a, b); }

// ---------------------------------------------------------------------------
// What each element does to the text.

enum class Kind : uint8_t {
  kInline,     // its text flows into the line
  kBlock,      // starts and ends a line
  kPre,        // a block whose whitespace is kept
  kBreak,      // <br>: ends the line now
  kCell,       // td, th: separated from the previous cell by a tab
  kDrop,       // not text a reader sees; dropped with everything inside
  kDropBlock,  // dropped, but still separates the lines around it
};

struct ElementKind {
  std::string_view name;
  Kind kind;
};

// Sorted by name for binary search. libxml2 gives element names in lower case.
constexpr ElementKind kElements[] = {
    {"address", Kind::kBlock},   {"article", Kind::kBlock},    {"aside", Kind::kBlock},
    {"audio", Kind::kDrop},      {"blockquote", Kind::kBlock}, {"body", Kind::kBlock},
    {"br", Kind::kBreak},        {"canvas", Kind::kDrop},      {"caption", Kind::kBlock},
    {"center", Kind::kBlock},    {"dd", Kind::kBlock},         {"details", Kind::kBlock},
    {"dialog", Kind::kBlock},    {"dir", Kind::kBlock},        {"div", Kind::kBlock},
    {"dl", Kind::kBlock},        {"dt", Kind::kBlock},         {"fieldset", Kind::kBlock},
    {"figcaption", Kind::kBlock}, {"figure", Kind::kBlock},    {"footer", Kind::kBlock},
    {"form", Kind::kBlock},      {"frameset", Kind::kBlock},   {"h1", Kind::kBlock},
    {"h2", Kind::kBlock},        {"h3", Kind::kBlock},         {"h4", Kind::kBlock},
    {"h5", Kind::kBlock},        {"h6", Kind::kBlock},         {"head", Kind::kBlock},
    {"header", Kind::kBlock},    {"hgroup", Kind::kBlock},     {"hr", Kind::kBlock},
    {"html", Kind::kBlock},      {"iframe", Kind::kDrop},      {"legend", Kind::kBlock},
    {"li", Kind::kBlock},        {"listing", Kind::kPre},      {"main", Kind::kBlock},
    {"math", Kind::kDrop},       {"menu", Kind::kBlock},       {"nav", Kind::kDropBlock},
    {"noframes", Kind::kDrop},   {"noscript", Kind::kDrop},    {"object", Kind::kDrop},
    {"ol", Kind::kBlock},        {"option", Kind::kBlock},     {"p", Kind::kBlock},
    {"plaintext", Kind::kPre},   {"pre", Kind::kPre},          {"script", Kind::kDrop},
    {"section", Kind::kBlock},   {"style", Kind::kDrop},       {"summary", Kind::kBlock},
    {"svg", Kind::kDrop},        {"table", Kind::kBlock},      {"tbody", Kind::kBlock},
    {"td", Kind::kCell},         {"template", Kind::kDrop},    {"textarea", Kind::kPre},
    {"tfoot", Kind::kBlock},     {"th", Kind::kCell},          {"thead", Kind::kBlock},
    {"title", Kind::kBlock},     {"tr", Kind::kBlock},         {"ul", Kind::kBlock},
    {"video", Kind::kDrop},      {"xmp", Kind::kPre},
};

Kind Classify(const xmlChar* name) {
  std::string_view n(reinterpret_cast<const char*>(name));
  auto it = std::lower_bound(std::begin(kElements), std::end(kElements), n,
                             [](const ElementKind& e, std::string_view v) { return e.name < v; });
  return it != std::end(kElements) && it->name == n ? it->kind : Kind::kInline;
}

bool IsBlockish(Kind k) { return k == Kind::kBlock || k == Kind::kPre || k == Kind::kDropBlock; }

// role="navigation" (a role attribute is a list of tokens).
bool HasNavigationRole(const xmlChar** atts) {
  if (atts == nullptr) return false;
  for (size_t i = 0; atts[i] != nullptr; i += 2) {
    if (std::strcmp(reinterpret_cast<const char*>(atts[i]), "role") != 0 || atts[i + 1] == nullptr) continue;
    std::string_view v(reinterpret_cast<const char*>(atts[i + 1]));
    size_t p = 0;
    while (p < v.size()) {
      while (p < v.size() && IsHtmlSpace(v[p])) ++p;
      size_t q = p;
      while (q < v.size() && !IsHtmlSpace(v[q])) ++q;
      if (EqualsNoCase(v.substr(p, q - p), "navigation")) return true;
      p = q;
    }
  }
  return false;
}

size_t Utf8Length(unsigned char lead) {
  if (lead < 0x80) return 1;
  if (lead >= 0xF0) return 4;
  if (lead >= 0xE0) return 3;
  if (lead >= 0xC0) return 2;
  return 1;
}

uint32_t DecodeAt(const char* p, size_t n) {
  const auto* u = reinterpret_cast<const unsigned char*>(p);
  switch (n) {
    case 1: return u[0];
    case 2: return ((u[0] & 0x1Fu) << 6) | (u[1] & 0x3Fu);
    case 3: return ((u[0] & 0x0Fu) << 12) | ((u[1] & 0x3Fu) << 6) | (u[2] & 0x3Fu);
    default: return ((u[0] & 0x07u) << 18) | ((u[1] & 0x3Fu) << 12) | ((u[2] & 0x3Fu) << 6) | (u[3] & 0x3Fu);
  }
}

// Characters between which a line break in the source is not a space (CSS
// Text: segment breaks between East Asian wide characters, Hangul aside).
bool IsCjkWide(uint32_t c) {
  return (c >= 0x2E80 && c <= 0x303F) || (c >= 0x3040 && c <= 0x33FF) || (c >= 0x3400 && c <= 0x4DBF) ||
         (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0xF900 && c <= 0xFAFF) || (c >= 0xFE30 && c <= 0xFE4F) ||
         (c >= 0xFF01 && c <= 0xFF60) || (c >= 0xFFE0 && c <= 0xFFE6) || (c >= 0x20000 && c <= 0x3FFFD);
}

// ---------------------------------------------------------------------------
// The text, built from SAX events.

class TextBuilder {
 public:
  explicit TextBuilder(std::string_view src) : src_(src) { out_.reserve(src.size() / 2); }

  void StartElement(const xmlChar* name, const xmlChar** atts, uint64_t pos) {
    const RawRange tag = Advance(pos);
    // libxml2 reports a start tag before its '>': step over it so that text
    // is looked for after the tag, never inside it.
    if (cur_ < src_.size() && src_[cur_] == '>') {
      ++cur_;
    } else if (cur_ + 1 < src_.size() && src_[cur_] == '/' && src_[cur_ + 1] == '>') {
      cur_ += 2;
    }
    // Only script and style bodies arrive as raw text (RawText); libxml2 gives
    // HTML names in lower case.
    const char* n = reinterpret_cast<const char*>(name);
    if (std::strcmp(n, "script") == 0 || std::strcmp(n, "style") == 0) {
      raw_element_ = n;
      raw_element_at_ = tag.begin;
    }
    if (skip_ > 0) {
      ++skip_;
      return;
    }
    const Kind kind = Classify(name);
    if (kind == Kind::kDrop || kind == Kind::kDropBlock || HasNavigationRole(atts)) {
      skip_ = 1;
      skip_breaks_ = IsBlockish(kind);
      if (skip_breaks_) Break(tag);
      return;
    }
    if (pre_ > 0) {
      ++pre_;
    } else if (kind == Kind::kPre) {
      pre_ = 1;
    }
    switch (kind) {
      case Kind::kBlock:
      case Kind::kPre: Break(tag); break;
      case Kind::kBreak: HardBreak(tag); break;
      case Kind::kCell:
        pending_cell_ = true;
        cell_range_ = tag;
        break;
      default: break;
    }
  }

  void EndElement(const xmlChar* name, uint64_t pos) {
    const RawRange tag = Advance(pos);
    if (skip_ > 0) {
      if (--skip_ == 0 && skip_breaks_) Break(tag);
      // Closed by its own end tag after all: the tags were strings in it.
      if (skip_ == 0 && !swallowed_.empty() && tag.end < src_.size()) swallowed_.clear();
      return;
    }
    if (pre_ > 0) --pre_;
    const Kind kind = Classify(name);
    if (kind == Kind::kBlock || kind == Kind::kPre) Break(tag);
  }

  // Comments, the doctype, processing instructions, script and style bodies:
  // nothing to keep, but their bytes are behind us.
  void Markup(uint64_t pos) { Advance(pos); }

  // The body of a script or style. One that holds a start tag (<body>, <p>)
  // and runs to the end of the page was never closed: the rest of the page is
  // its body, in a browser too, and its text is lost; the reader is told where.
  // (A script that only writes tags in its strings is closed: EndElement.)
  void RawText(const xmlChar* s, int len, uint64_t pos) {
    Advance(pos);
    if (!swallowed_.empty() || len <= 0) return;
    const std::string_view body(reinterpret_cast<const char*>(s), static_cast<size_t>(len));
    for (size_t at = body.find('<'); at != std::string_view::npos; at = body.find('<', at + 1)) {
      if (at + 1 < body.size() && std::isalpha(static_cast<unsigned char>(body[at + 1]))) {
        swallowed_ = raw_element_.empty() ? "script" : raw_element_;
        swallowed_at_ = raw_element_at_;
        return;
      }
    }
  }

  void Characters(const char* s, size_t len, uint64_t pos) {
    if (len == 0) return;
    const Source from = Locate(s, len, pos);
    if (skip_ > 0) return;
    if (pre_ > 0) {
      EmitPre(s, len, from);
    } else {
      EmitFlow(s, len, from);
    }
  }

  HtmlText Finish() {
    FlushExact();
    HtmlText page{std::move(out_), std::move(map_), {}, 0};
    if (!swallowed_.empty()) {
      page.unclosed = std::move(swallowed_);
      page.unclosed_at = swallowed_at_;
    }
    return page;
  }

 private:
  // Where a chunk of text came from: byte for byte from `begin`, or as a whole
  // from [begin, end).
  struct Source {
    bool exact;
    uint64_t begin, end;
  };

  RawRange Advance(uint64_t pos) {
    pos = std::min<uint64_t>(pos, src_.size());
    RawRange r{cur_, std::max(cur_, pos)};
    cur_ = r.end;
    return r;
  }

  Source Locate(const char* s, size_t len, uint64_t reported) {
    const uint64_t n = src_.size();
    const uint64_t pos = std::min<uint64_t>(reported, n);
    // Plain text continues where the last event left off. libxml2 reports a
    // long run in ~1000-byte chunks whose position can trail by one character,
    // so look for it from the cursor up to the reported position.
    const uint64_t last_start = std::max(pos, cur_);
    for (uint64_t k = cur_; k <= last_start && k + len <= n;) {
      const void* f = std::memchr(src_.data() + k, s[0], static_cast<size_t>(std::min(last_start, n - 1) - k + 1));
      if (f == nullptr) break;
      k = static_cast<uint64_t>(static_cast<const char*>(f) - src_.data());
      if (k + len > n) break;
      // Text never starts at '&' unless it is a reference, which maps as a whole.
      if (src_[k] != '&' && std::memcmp(src_.data() + k, s, len) == 0) {
        cur_ = k + len;
        return {true, k, k + len};
      }
      ++k;
    }
    // A character or entity reference: libxml2 reports it right after its ';'.
    if (pos > cur_) {
      if (const void* amp = std::memchr(src_.data() + cur_, '&', static_cast<size_t>(pos - cur_))) {
        const uint64_t r = static_cast<uint64_t>(static_cast<const char*>(amp) - src_.data());
        last_reference_ = {r, pos};
        cur_ = pos;
        return {false, r, pos};
      }
    }
    // Text libxml2 changed (a control character it dropped): map it to the
    // stretch it came from. A long chunk may end one character past `pos`.
    uint64_t end = pos;
    if (len >= 1000 && end < n && src_[end] != '<' && src_[end] != '&')
      end = std::min(n, end + Utf8Length(static_cast<unsigned char>(src_[end])));
    if (end <= cur_) {
      // The rest of an unknown reference ("&foo;" comes as "&" then "foo").
      if (last_reference_.end == cur_ && last_reference_.end > last_reference_.begin)
        return {false, last_reference_.begin, last_reference_.end};
      return {false, cur_, cur_};
    }
    Source out{false, cur_, end};
    cur_ = end;
    return out;
  }

  bool AtLineStart() const { return out_.empty() || out_.back() == '\n'; }

  void Break(RawRange cause) {
    if (!pending_break_) break_range_ = cause;
    pending_break_ = true;
  }

  void HardBreak(RawRange cause) {
    ResolveBreak();
    pending_space_ = pending_cell_ = false;
    AppendNewline(cause, false);
  }

  // A pending block boundary becomes a line break before the next text.
  void ResolveBreak() {
    if (!pending_break_) return;
    pending_break_ = false;
    if (!AtLineStart()) AppendNewline(break_range_, false);
  }

  // Never a blank line at the start, never two in a row.
  void AppendNewline(RawRange from, bool exact) {
    if (out_.empty()) return;
    if (out_.size() >= 2 && out_[out_.size() - 1] == '\n' && out_[out_.size() - 2] == '\n') return;
    Append("\n", 1, from.begin, from.end, exact);
  }

  void Append(const char* s, size_t len, uint64_t raw_begin, uint64_t raw_end, bool exact) {
    out_.append(s, len);
    if (exact) {
      if (run_len_ > 0 && run_raw_ + run_len_ == raw_begin) {
        run_len_ += len;
      } else {
        FlushExact();
        run_raw_ = raw_begin;
        run_len_ = len;
      }
    } else {
      FlushExact();
      map_.Append(len, raw_begin, raw_end - raw_begin, false);
    }
  }

  void FlushExact() {
    if (run_len_ > 0) map_.Append(run_len_, run_raw_, run_len_, true);
    run_len_ = 0;
  }

  uint32_t LastCodePoint() const {
    size_t i = out_.size();
    while (i > 0 && (static_cast<unsigned char>(out_[i - 1]) & 0xC0) == 0x80) --i;
    if (i == 0) return 0;
    --i;
    return DecodeAt(out_.data() + i, out_.size() - i);
  }

  // Whatever separates the coming text from what is already there.
  void BeforeText(const char* s, size_t len) {
    if (pending_break_) {
      ResolveBreak();
      pending_space_ = pending_cell_ = false;
      return;
    }
    if (pending_cell_) {
      pending_cell_ = pending_space_ = false;
      if (!AtLineStart()) Append("\t", 1, cell_range_.begin, cell_range_.end, false);
      return;
    }
    if (pending_space_) {
      pending_space_ = false;
      if (AtLineStart()) return;
      if (space_newline_ && IsCjkWide(LastCodePoint()) &&
          IsCjkWide(DecodeAt(s, std::min(len, Utf8Length(static_cast<unsigned char>(s[0]))))))
        return;
      Append(" ", 1, space_range_.begin, space_range_.end, space_exact_);
    }
  }

  void EmitFlow(const char* s, size_t len, const Source& from) {
    size_t i = 0;
    while (i < len) {
      size_t j = i;
      if (IsHtmlSpace(s[i])) {
        bool newline = false;
        while (j < len && IsHtmlSpace(s[j])) newline |= s[j++] == '\n';
        RawRange r = from.exact ? RawRange{from.begin + i, from.begin + j} : RawRange{from.begin, from.end};
        if (!pending_space_) {
          pending_space_ = true;
          space_range_ = r;
          space_newline_ = newline;
          space_exact_ = from.exact && j - i == 1 && s[i] == ' ';
        } else {
          space_range_.end = std::max(space_range_.end, r.end);
          space_newline_ |= newline;
          space_exact_ = false;
        }
      } else {
        while (j < len && !IsHtmlSpace(s[j])) ++j;
        BeforeText(s + i, j - i);
        if (from.exact)
          Append(s + i, j - i, from.begin + i, from.begin + j, true);
        else
          Append(s + i, j - i, from.begin, from.end, false);
      }
      i = j;
    }
  }

  void EmitPre(const char* s, size_t len, const Source& from) {
    size_t i = 0;
    while (i < len) {
      if (s[i] == '\n') {
        ResolveBreak();
        pending_space_ = pending_cell_ = false;
        if (from.exact)
          AppendNewline({from.begin + i, from.begin + i + 1}, true);
        else
          AppendNewline({from.begin, from.end}, false);
        ++i;
        continue;
      }
      size_t j = i;
      while (j < len && s[j] != '\n') ++j;
      BeforeText(s + i, j - i);
      if (from.exact)
        Append(s + i, j - i, from.begin + i, from.begin + j, true);
      else
        Append(s + i, j - i, from.begin, from.end, false);
      i = j;
    }
  }

  std::string_view src_;
  uint64_t cur_ = 0;  // input bytes before this have been accounted for
  RawRange last_reference_{0, 0};

  std::string out_;
  OffsetMap map_;
  uint64_t run_raw_ = 0, run_len_ = 0;  // an exact run not yet in map_

  int64_t skip_ = 0;  // open elements inside a dropped one, itself included
  bool skip_breaks_ = false;
  std::string raw_element_;  // the script or style last opened, and where
  uint64_t raw_element_at_ = 0;
  std::string swallowed_;    // a script or style never closed that took markup
  uint64_t swallowed_at_ = 0;
  int64_t pre_ = 0;   // open elements inside a <pre>, itself included

  bool pending_break_ = false;
  RawRange break_range_{0, 0};
  bool pending_cell_ = false;
  RawRange cell_range_{0, 0};
  bool pending_space_ = false;
  RawRange space_range_{0, 0};
  bool space_newline_ = false;
  bool space_exact_ = false;
};

// SAX1 callbacks receive the parser context; the builder hangs off _private.
TextBuilder& BuilderOf(void* ctx) { return *static_cast<TextBuilder*>(static_cast<xmlParserCtxtPtr>(ctx)->_private); }

uint64_t Position(void* ctx) {
  long consumed = xmlByteConsumed(static_cast<xmlParserCtxtPtr>(ctx));
  return consumed < 0 ? 0 : static_cast<uint64_t>(consumed);
}

void OnStartElement(void* ctx, const xmlChar* name, const xmlChar** atts) {
  BuilderOf(ctx).StartElement(name, atts, Position(ctx));
}
void OnEndElement(void* ctx, const xmlChar* name) { BuilderOf(ctx).EndElement(name, Position(ctx)); }
void OnCharacters(void* ctx, const xmlChar* s, int len) {
  BuilderOf(ctx).Characters(reinterpret_cast<const char*>(s), len < 0 ? 0 : static_cast<size_t>(len), Position(ctx));
}
void OnRawText(void* ctx, const xmlChar* s, int len) { BuilderOf(ctx).RawText(s, len, Position(ctx)); }
void OnComment(void* ctx, const xmlChar*) { BuilderOf(ctx).Markup(Position(ctx)); }
void OnProcessingInstruction(void* ctx, const xmlChar*, const xmlChar*) { BuilderOf(ctx).Markup(Position(ctx)); }
void OnInternalSubset(void* ctx, const xmlChar*, const xmlChar*, const xmlChar*) {
  BuilderOf(ctx).Markup(Position(ctx));
}

struct ContextFree {
  void operator()(htmlParserCtxtPtr c) const { htmlFreeParserCtxt(c); }
};

// ---------------------------------------------------------------------------
// <meta> prescan.

// Attributes of a tag starting after its name, up to '>': name → value.
template <typename F>
void ForEachAttribute(std::string_view s, size_t& i, F&& f) {
  while (i < s.size() && s[i] != '>') {
    while (i < s.size() && (IsHtmlSpace(s[i]) || s[i] == '/')) ++i;
    size_t n0 = i;
    while (i < s.size() && !IsHtmlSpace(s[i]) && s[i] != '=' && s[i] != '>' && s[i] != '/') ++i;
    std::string_view name = s.substr(n0, i - n0);
    while (i < s.size() && IsHtmlSpace(s[i])) ++i;
    std::string_view value;
    if (i < s.size() && s[i] == '=') {
      ++i;
      while (i < s.size() && IsHtmlSpace(s[i])) ++i;
      if (i < s.size() && (s[i] == '"' || s[i] == '\'')) {
        const char q = s[i++];
        size_t v0 = i;
        while (i < s.size() && s[i] != q) ++i;
        value = s.substr(v0, i - v0);
        if (i < s.size()) ++i;
      } else {
        size_t v0 = i;
        while (i < s.size() && !IsHtmlSpace(s[i]) && s[i] != '>') ++i;
        value = s.substr(v0, i - v0);
      }
    }
    if (name.empty()) {
      if (i < s.size() && s[i] != '>') ++i;  // a stray character: step over it
      continue;
    }
    f(name, value);
  }
}

// "text/html; charset=gbk" → "gbk".
std::string CharsetFromContentType(std::string_view v) {
  for (size_t i = 0; i + 7 <= v.size(); ++i) {
    if (!StartsWithNoCase(v.substr(i), "charset")) continue;
    size_t j = i + 7;
    while (j < v.size() && IsHtmlSpace(v[j])) ++j;
    if (j >= v.size() || v[j] != '=') continue;
    ++j;
    while (j < v.size() && (IsHtmlSpace(v[j]) || v[j] == '"' || v[j] == '\'')) ++j;
    size_t k = j;
    while (k < v.size() && !IsHtmlSpace(v[k]) && v[k] != ';' && v[k] != '"' && v[k] != '\'') ++k;
    return std::string(v.substr(j, k - j));
  }
  return "";
}

}  // namespace

void InitHtmlParser() {
  static std::once_flag once;
  std::call_once(once, [] { xmlInitParser(); });
}

bool HasHtmlExtension(std::string_view path) {
  const size_t slash = path.find_last_of('/');
  const size_t dot = path.find_last_of('.');
  if (dot == std::string_view::npos || (slash != std::string_view::npos && dot < slash)) return false;
  std::string_view ext = path.substr(dot + 1);
  for (std::string_view e : {"html", "htm", "xhtml", "shtml"})
    if (EqualsNoCase(ext, e)) return true;
  return false;
}

bool LooksLikeHtml(std::string_view head) {
  size_t i = 0;
  while (i < head.size() && IsHtmlSpace(head[i])) ++i;
  std::string_view s = head.substr(i);
  if (StartsWithNoCase(s, "<!--")) return true;
  // The tags browsers sniff for, each followed by a space or '>'.
  static constexpr std::string_view kTags[] = {"<!doctype html", "<html", "<head",  "<script", "<iframe",
                                               "<h1",            "<div",  "<font",  "<table",  "<a",
                                               "<style",         "<title", "<b",    "<body",   "<br",
                                               "<p",             "<meta"};
  for (std::string_view t : kTags) {
    if (!StartsWithNoCase(s, t) || s.size() == t.size()) continue;
    const char next = s[t.size()];
    if (next == '>' || IsHtmlSpace(next)) return true;
  }
  return false;
}

std::string FindDeclaredCharset(std::string_view page) {
  std::string_view s = page.substr(0, 4096);
  if (StartsWithNoCase(s, "<?xml")) {
    size_t i = 5;
    std::string found;
    ForEachAttribute(s.substr(0, s.find("?>")), i, [&](std::string_view name, std::string_view value) {
      if (EqualsNoCase(name, "encoding") && found.empty()) found = std::string(value);
    });
    if (!found.empty()) return found;
  }
  for (size_t at = 0; (at = s.find('<', at)) != std::string_view::npos; ++at) {
    if (StartsWithNoCase(s.substr(at), "<!--")) {
      size_t close = s.find("-->", at + 4);
      if (close == std::string_view::npos) break;
      at = close + 2;
      continue;
    }
    if (!StartsWithNoCase(s.substr(at), "<meta") || at + 5 >= s.size() ||
        !(IsHtmlSpace(s[at + 5]) || s[at + 5] == '/'))
      continue;
    size_t i = at + 5;
    std::string charset, content;
    bool content_type = false;
    ForEachAttribute(s, i, [&](std::string_view name, std::string_view value) {
      if (EqualsNoCase(name, "charset")) charset = std::string(value);
      if (EqualsNoCase(name, "content")) content = std::string(value);
      if (EqualsNoCase(name, "http-equiv") && EqualsNoCase(value, "content-type")) content_type = true;
    });
    if (!charset.empty()) return charset;
    if (content_type) {
      std::string c = CharsetFromContentType(content);
      if (!c.empty()) return c;
    }
    at = i;
  }
  return "";
}

StatusOr<HtmlText> HtmlToText(std::string_view html) {
  TextBuilder builder(html);
  if (html.empty()) return builder.Finish();
  if (html.size() > static_cast<size_t>(INT32_MAX)) return DataError("page too large for libxml2 (2 GiB at most)");
  std::unique_ptr<htmlParserCtxt, ContextFree> ctxt(htmlNewParserCtxt());
  if (ctxt == nullptr || ctxt->sax == nullptr) return InternalError("libxml2 could not create an HTML parser");

  htmlSAXHandler sax;
  std::memset(&sax, 0, sizeof sax);
  sax.startElement = OnStartElement;
  sax.endElement = OnEndElement;
  sax.characters = OnCharacters;
  sax.ignorableWhitespace = OnCharacters;
  // The bodies of script and style arrive as CDATA; both are dropped.
  sax.cdataBlock = OnRawText;
  sax.comment = OnComment;
  sax.processingInstruction = OnProcessingInstruction;
  sax.internalSubset = OnInternalSubset;
  *ctxt->sax = sax;
  ctxt->_private = &builder;

  // IGNORE_ENC: the input is already UTF-8, whatever its <meta> says. NONET:
  // never fetch anything. No HTML_PARSE_HUGE: libxml2's size limits stay on.
  htmlCtxtUseOptions(ctxt.get(), HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                                     HTML_PARSE_NONET | HTML_PARSE_COMPACT | HTML_PARSE_IGNORE_ENC);
  // Declaring UTF-8 this way installs no converter; naming "UTF-8" as the
  // document's encoding would pass the input through a UTF-8 → UTF-8 converter
  // and make parsing several times slower.
  xmlParserInputBufferPtr buffer =
      xmlParserInputBufferCreateMem(html.data(), static_cast<int>(html.size()), XML_CHAR_ENCODING_UTF8);
  if (buffer == nullptr) return InternalError("libxml2 could not take the page");
  xmlParserInputPtr input = xmlNewIOInputStream(ctxt.get(), buffer, XML_CHAR_ENCODING_UTF8);
  if (input == nullptr) {
    xmlFreeParserInputBuffer(buffer);
    return InternalError("libxml2 could not take the page");
  }
  if (inputPush(ctxt.get(), input) < 0) {
    xmlFreeInputStream(input);
    return InternalError("libxml2 could not take the page");
  }
  htmlParseDocument(ctxt.get());
  return builder.Finish();
}

}  // namespace lode::readfiles
