// lode/data_file.h — rule data files, read with their positions.
//
// Plugins keep their rules in YAML files under configs/ (look-alike tables,
// outline patterns, units) so users can extend them without a rebuild. A
// malformed entry must be reported where it is, as the pipeline validator does:
// "configs/zh/lookalikes.yaml:14:7: …". DataFile gives plugins that, without
// exposing a YAML library in the SDK.
//
//   LODE_ASSIGN_OR_RETURN(std::string path, setup.FindDataFile("zh/lookalikes.yaml"));
//   LODE_ASSIGN_OR_RETURN(DataNode root, LoadDataFile(path));
//   const DataNode* pairs = root.Find("pairs");
//   if (pairs == nullptr || !pairs->is_map()) return root.Error("expected a 'pairs:' mapping");
//   for (const auto& [from, to] : pairs->entries()) {
//     if (!to.is_scalar()) return to.Error("expected the character it stands for");
//     table.Add(from.scalar(), to.scalar());
//   }
//
// Duplicate keys, tabs and unclosed quotes are syntax errors with their place.
// A DataNode is an immutable value; share it freely between threads.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "lode/status.h"

namespace lode {

class DataNode {
 public:
  enum class Kind { kNull, kScalar, kList, kMap };

  DataNode() = default;

  Kind kind() const { return kind_; }
  bool is_null() const { return kind_ == Kind::kNull; }
  bool is_scalar() const { return kind_ == Kind::kScalar; }
  bool is_list() const { return kind_ == Kind::kList; }
  bool is_map() const { return kind_ == Kind::kMap; }

  // The text of a scalar (empty for other kinds).
  const std::string& scalar() const { return scalar_; }
  // The elements of a list.
  const std::vector<DataNode>& items() const { return items_; }
  // The key/value pairs of a mapping, in file order.
  const std::vector<std::pair<DataNode, DataNode>>& entries() const { return entries_; }
  // The value of `key` in a mapping, or nullptr.
  const DataNode* Find(std::string_view key) const;

  // "file:line:col" (1-based) of this node.
  std::string where() const;
  // An InvalidArgument status "file:line:col: message" for this node.
  Status Error(std::string_view message) const;

  // For the loader.
  static DataNode Make(Kind kind, std::string file, int line, int column);
  std::string& mutable_scalar() { return scalar_; }
  std::vector<DataNode>& mutable_items() { return items_; }
  std::vector<std::pair<DataNode, DataNode>>& mutable_entries() { return entries_; }

 private:
  Kind kind_ = Kind::kNull;
  std::shared_ptr<const std::string> file_;
  int line_ = 0, column_ = 0;  // 1-based; 0 when unknown
  std::string scalar_;
  std::vector<DataNode> items_;
  std::vector<std::pair<DataNode, DataNode>> entries_;
};

// Reads a YAML data file. Errors name the file and the place.
StatusOr<DataNode> LoadDataFile(const std::string& path);

// Parses YAML text; `name` stands for the file in positions.
StatusOr<DataNode> ParseDataText(const std::string& text, const std::string& name);

}  // namespace lode
