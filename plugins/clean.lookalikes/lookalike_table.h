// The look-alike table of clean.lookalikes, read from zh/lookalikes.yaml.
//
//   lookalikes:
//     - {from: 唍, to: 完}
//     - {from: 汾, to: 分, keep: [汾河]}
//     - {from: Φ, to: 中, always: true}
//   genuine: [垅]
//
//   LODE_ASSIGN_OR_RETURN(DataNode root, LoadDataFile(path));
//   LODE_ASSIGN_OR_RETURN(LookalikeTable table, LookalikeTable::FromData(root));
//   if (const Lookalike* l = table.Find(U'唍')) ... l->to == U'完'
//
// The file's header comment is the format's manual. Every malformed entry is
// an error naming the file, line and column. A const LookalikeTable may be
// shared between threads.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "lode/data_file.h"
#include "lode/status.h"

namespace lode::clean_lookalikes {

struct Lookalike {
  char32_t from = 0;
  char32_t to = 0;
  std::string to_utf8;
  // Repaired without the dictionary's confirmation of the repaired text.
  bool always = false;
  // Words containing `from` in which it is genuine.
  std::vector<std::u32string> keep;
};

class LookalikeTable {
 public:
  static StatusOr<LookalikeTable> FromData(const DataNode& root);

  // The entry for `c`, or nullptr.
  const Lookalike* Find(char32_t c) const {
    auto it = index_.find(c);
    return it == index_.end() ? nullptr : &entries_[it->second];
  }
  // Position of `l` in entries() (for per-entry counters).
  size_t IndexOf(const Lookalike* l) const { return static_cast<size_t>(l - entries_.data()); }
  // Listed under `genuine:`: never a suspect.
  bool IsGenuine(char32_t c) const { return genuine_.count(c) != 0; }

  const std::vector<Lookalike>& entries() const { return entries_; }
  // The longest `keep` word, in characters (0 when there is none).
  size_t longest_keep() const { return longest_keep_; }

 private:
  std::vector<Lookalike> entries_;
  std::unordered_map<char32_t, size_t> index_;
  std::unordered_set<char32_t> genuine_;
  size_t longest_keep_ = 0;
};

// UTF-8 ↔ code points for table data (valid UTF-8 only).
std::u32string DecodeUtf8(const std::string& s);

}  // namespace lode::clean_lookalikes
