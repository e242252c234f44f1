// The single-character traditional → simplified table of normalize.text.
//
// ICU's Traditional-Simplified transliterator is correct but slow (~9 MB/s):
// it tries thousands of phrase rules at every position. normalize.text asks it
// once, at start-up, what each character it can change becomes on its own,
// keeps the answers that are one character, and then maps text in one pass.
//
//   LODE_ASSIGN_OR_RETURN(auto base, SimplifiedTable::FromIcu());
//   SimplifiedTable table = *base;            // a copy to adjust
//   table.Remove(U'著');
//   char32_t s = table.Find(U'實');            // U'实'; 0 when unchanged
//
// A SimplifiedTable is a value; a const one may be shared between threads.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "lode/data_file.h"
#include "lode/status.h"

namespace lode::normalize_text {

class SimplifiedTable {
 public:
  // The table read off ICU's transliterator, built on first use and shared by
  // every stage of the process (building it costs ~30 ms).
  static StatusOr<std::shared_ptr<const SimplifiedTable>> FromIcu();

  // The simplified form of `c`, or 0 when the table leaves it alone.
  char32_t Find(char32_t c) const {
    auto it = map_.find(c);
    return it == map_.end() ? 0 : it->second;
  }
  void Add(char32_t from, char32_t to) { map_[from] = to; }
  void Remove(char32_t c) { map_.erase(c); }
  size_t size() const { return map_.size(); }
  const std::unordered_map<char32_t, char32_t>& entries() const { return map_; }

  // How the ICU table was built, for the summary and the README's numbers.
  double build_ms() const { return build_ms_; }
  // Characters the transliterator turns into more than one character on their
  // own (left out of the table).
  const std::vector<char32_t>& dropped() const { return dropped_; }

  // Applies the corrections of a zh/traditional.yaml file (`keep:`, `add:`).
  Status ApplyRules(const DataNode& root);

 private:
  static StatusOr<std::shared_ptr<const SimplifiedTable>> BuildFromIcu();

  std::unordered_map<char32_t, char32_t> map_;
  std::vector<char32_t> dropped_;
  double build_ms_ = 0;
};

// The one code point of `s`, or an error at `node` saying what is wrong.
StatusOr<char32_t> SingleCharacter(const DataNode& node, const char* what);


}  // namespace lode::normalize_text
