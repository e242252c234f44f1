// What both fuzz targets do to their input first.
#pragma once

#include <string>
#include <string_view>

#include "lode/text.h"

namespace lode::fuzz {

// `bytes` as valid UTF-8, as lode's text always is: each byte that does not
// start a well-formed sequence becomes U+FFFD.
inline std::string ValidUtf8(std::string_view bytes) {
  std::string out;
  for (size_t i = 0; i < bytes.size();) {
    const size_t bad = FindInvalidUtf8(bytes.substr(i)).value_or(bytes.size() - i);
    out.append(bytes.substr(i, bad));
    i += bad;
    if (i < bytes.size()) {
      AppendUtf8(out, 0xFFFD);
      ++i;
    }
  }
  return out;
}

}  // namespace lode::fuzz
