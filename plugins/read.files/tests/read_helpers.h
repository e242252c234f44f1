// Helpers shared by read.files' tests: read files through the stage as the
// runner does, and convert text with ICU to make inputs in other encodings.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "lode/testing.h"

LODE_DECLARE_STATIC_PLUGIN(read_files);

namespace lode::readtest {

// Every input of read.files with `params` (a YAML mapping), as the runner reads
// them: Next() then Decode(); a failed Decode() quarantines the document with
// its message, as the runner does (rows cleared).
std::vector<Document> ReadAll(const std::string& params);

// The one document read from `path`; `extra` adds parameters ("encoding: GBK").
Document ReadOne(const std::string& path, const std::string& extra = "");

// UTF-8 text converted to `encoding` with ICU (no byte-order mark).
std::string Encode(std::string_view utf8, const char* encoding);
// Bytes in `encoding` converted to UTF-8 with ICU.
std::string DecodeWith(std::string_view bytes, const char* encoding);

// [begin, end) of each code point of valid UTF-8 text.
std::vector<std::pair<size_t, size_t>> CodePoints(std::string_view utf8);

// The lines of `text` with leading and trailing whitespace removed, blank lines
// left out.
std::vector<std::string> NonBlankLines(std::string_view text);

// The repository's sibling folder with the seed pages, or "" when absent.
std::string SharedDir();

}  // namespace lode::readtest
