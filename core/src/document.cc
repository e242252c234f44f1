#include "lode/document.h"

#include <algorithm>
#include <cstring>

namespace lode {

std::string_view DocumentStatusName(DocumentStatus status) {
  switch (status) {
    case DocumentStatus::kKept: return "kept";
    case DocumentStatus::kDuplicate: return "duplicate";
    case DocumentStatus::kQuarantined: return "quarantined";
  }
  return "unknown";
}

uint64_t Document::LineOf(uint64_t raw_offset) const {
  if (line_starts.empty()) return 0;
  auto it = std::upper_bound(line_starts.begin(), line_starts.end(), raw_offset);
  return static_cast<uint64_t>(it - line_starts.begin());
}

uint64_t Document::LineOf(uint64_t raw_offset, size_t& cursor) const {
  const size_t n = line_starts.size();
  if (cursor >= n || line_starts[cursor] > raw_offset) {  // no cursor yet, or going back
    const uint64_t line = LineOf(raw_offset);
    cursor = line > 0 ? line - 1 : 0;
    return line;
  }
  // line_starts[cursor] <= raw_offset: the line is cursor + 1 or later.
  for (int step = 0; step < 4; ++step, ++cursor)
    if (cursor + 1 == n || line_starts[cursor + 1] > raw_offset) return cursor + 1;
  auto it = std::upper_bound(line_starts.begin() + cursor + 1, line_starts.end(), raw_offset);
  cursor = static_cast<size_t>(it - line_starts.begin()) - 1;
  return cursor + 1;
}

void Document::IndexLines() {
  line_starts.clear();
  line_starts.push_back(source_range.begin);
  const char* p = raw.data();
  const char* end = p + raw.size();
  while ((p = static_cast<const char*>(std::memchr(p, '\n', static_cast<size_t>(end - p)))) != nullptr) {
    ++p;
    if (p < end) line_starts.push_back(source_range.begin + static_cast<uint64_t>(p - raw.data()));
  }
}

void Document::SetTextFromRaw() {
  text = raw;
  offsets = OffsetMap::Identity(source_range.begin, text.size());
}

void Document::Warn(std::string message, uint64_t begin, uint64_t end) {
  RawRange r = ToRaw(begin, end);
  // The host fills in the stage when it checks the stage's rows.
  AddRow("warnings", {Value(id), Value(), Value(std::move(message)), Value(static_cast<int64_t>(r.begin)),
                      Value(static_cast<int64_t>(r.end))});
}

bool Document::ApplyEdits(const std::vector<TextEdit>& edits) {
  uint64_t cursor = 0;
  size_t grown = text.size();
  for (const TextEdit& e : edits) {
    if (e.begin < cursor || e.end < e.begin || e.end > text.size()) return false;
    cursor = e.end;
    grown += e.replacement.size();
  }
  std::string out;
  out.reserve(grown);
  cursor = 0;
  for (const TextEdit& e : edits) {
    out.append(text, cursor, e.begin - cursor);
    out += e.replacement;
    cursor = e.end;
  }
  out.append(text, cursor, std::string::npos);
  offsets = offsets.Compose(edits);
  text = std::move(out);
  return true;
}

}  // namespace lode
