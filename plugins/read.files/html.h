// HTML pages to text for read.files, with libxml2's HTML parser driven through
// SAX callbacks (no tree is built, so depth costs no stack).
//
// What the text holds: what a reader of the page sees, one block per line.
// script, style, noscript, template, nav (and any element with
// role="navigation"), and embedded content (iframe, object, svg …) are dropped;
// block elements (p, div, li, tr, h1–h6, title, table …) and <br> end a line;
// table cells are separated by a tab; entities are decoded; outside <pre>, runs
// of HTML whitespace become one space and vanish at line ends and between two
// CJK characters across a source line break; at most one blank line in a row.
//
// Provenance: every byte of the text maps to bytes of the input. Text that
// equals its source (most of it) maps byte for byte; an entity maps to the
// whole reference (&amp;); a collapsed space to the whitespace it replaced; an
// inserted line break or tab to the tag that caused it.
#pragma once

#include <string>
#include <string_view>

#include "lode/offsets.h"
#include "lode/status.h"

namespace lode::readfiles {

// Prepares libxml2 for use from many threads; call once before any parse.
void InitHtmlParser();

// .html, .htm, .xhtml, .shtml (any case).
bool HasHtmlExtension(std::string_view path);

// True when `head`, after leading whitespace, opens like an HTML document
// (<!DOCTYPE html, <html, <head, <body, <p, <div, <!-- …), as browsers sniff.
bool LooksLikeHtml(std::string_view head);

// The charset a page declares near its start (<meta charset=…>, <meta
// http-equiv="Content-Type" content="…; charset=…">, <?xml … encoding=…?>), or
// "" when it declares none. Looks at the first 4 KiB only.
std::string FindDeclaredCharset(std::string_view page);

struct HtmlText {
  std::string text;
  OffsetMap map;  // text offsets → byte offsets of the HTML input
  // A script or style element never closed whose content holds markup
  // ("style"): the rest of the page is its content, and its text is lost;
  // `unclosed_at` is where it opens. Empty when none.
  std::string unclosed;
  uint64_t unclosed_at = 0;
};

// The text of an HTML document given as UTF-8 without NUL bytes. libxml2
// recovers from any malformed markup; errors are only failures to run it.
StatusOr<HtmlText> HtmlToText(std::string_view html);

}  // namespace lode::readfiles
