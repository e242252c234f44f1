// OutlineRules: how reports number their parts, sections and items, and how an
// item labels its fields, read from a rules file (configs/zh/outline.yaml).
//
//   LODE_ASSIGN_OR_RETURN(auto rules, OutlineRules::Load(path));
//   size_t n = rules->status_labels.MatchAt(line, 0);   // "完成情况:" → its length
//   RE2::Match(line, …, *rules->markers, groups …);      // which marker, and its number
//
// The rules are immutable once loaded and shared by every thread of a run (RE2
// objects may be used from many threads at once).
#pragma once

#include <re2/re2.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lode/data_file.h"
#include "lode/status.h"

namespace lode::outline {

// What a level of the outline is for.
enum class Role {
  kPart,     // a heading; `part` of the items under it
  kSection,  // a heading; `section` of the items under it
  kItem,     // a numbered item: one row of `items`
  kPoint,    // a numbered point inside an item: read as the item's text
};

std::string_view RoleName(Role role);

// One way of writing a level's numbers ("1." or "1、").
struct MarkerStyle {
  std::string name;
  std::unique_ptr<RE2> marker;       // matched at the start of a line; group 1 is the number
  std::unique_ptr<RE2> reject_next;  // may be null: text after the marker that unmakes it
};

struct Level {
  std::string name;
  Role role = Role::kPoint;
  bool restarts = true;  // may start again at 1 under a new parent heading
  int max_gap = 2;       // missing numbers tolerated before a number is text
  std::vector<MarkerStyle> styles;
};

// One alternative of OutlineRules::markers.
struct MarkerAlternative {
  int level = -1;  // index into levels
  int style = -1;  // index into the level's styles
  int group = 0;   // its group in `markers`; group + 1 is the number
};

// Field labels: literal words followed by optional blanks and a colon (: or
// ：), as in "完成情况:" and "责任单位：". Matched with plain comparisons.
class LabelSet {
 public:
  void Add(std::string label) { labels_.push_back(std::move(label)); }
  // The length of "label[blanks]colon" at text[at], or 0.
  size_t MatchAt(std::string_view text, size_t at) const;
  // The first label and colon in text[from, to): sets [begin, end) and
  // returns true, or returns false.
  bool Find(std::string_view text, size_t from, size_t to, size_t& begin, size_t& end) const;

 private:
  std::vector<std::string> labels_;
};

class OutlineRules {
 public:
  // Reads and checks a rules file: every error names file:line:col.
  static StatusOr<std::shared_ptr<const OutlineRules>> Load(const std::string& path);
  static StatusOr<std::shared_ptr<const OutlineRules>> FromNode(const DataNode& root);

  std::vector<Level> levels;  // outermost first
  int item_level = -1;        // the level with Role::kItem

  // The status labels (完成情况 …) and the owners labels (责任单位 …).
  LabelSet status_labels;
  LabelSet owner_labels;
  // Searched for in a heading: "(共72项)"; group 1 is the number.
  std::unique_ptr<RE2> declared_count;
  std::vector<std::string> owner_separators;
  bool dedent_ends_item = true;

  // Every marker of a part, section or item level as one alternation,
  // "(?:(m1)|(m2)|…)", matched once per line: RE2 rejects most lines with its
  // DFA before it looks for groups, and the first alternative that matched
  // says which level and style the line is.
  std::unique_ptr<RE2> markers;
  std::vector<MarkerAlternative> marker_alternatives;
  int marker_groups = 0;  // capturing groups of `markers`

  // The longest prefix of a line worth matching: markers and labels are short,
  // and a line may be megabytes long.
  static constexpr size_t kLineStartBytes = 96;
};

// The value of a number as an outline writes it: ASCII or full-width digits
// ("12", "１２"), Chinese numerals ("十二", "二十三", "一百零五"), or one
// enclosed numeral ("⑫", "⑿", "⒓"). nullopt for anything else or above 99999.
std::optional<int64_t> ParseOutlineNumber(std::string_view s);

}  // namespace lode::outline
