#include "lode/data_file.h"

#include <fstream>
#include <sstream>

#include "pipeline.h"

namespace lode {

const DataNode* DataNode::Find(std::string_view key) const {
  for (const auto& [k, v] : entries_)
    if (k.scalar_ == key) return &v;
  return nullptr;
}

std::string DataNode::where() const {
  std::string w = file_ ? *file_ : std::string("<data>");
  if (line_ > 0) w += ":" + std::to_string(line_) + ":" + std::to_string(column_);
  return w;
}

Status DataNode::Error(std::string_view message) const {
  return InvalidArgumentError(where() + ": " + std::string(message));
}

DataNode DataNode::Make(Kind kind, std::string file, int line, int column) {
  DataNode n;
  n.kind_ = kind;
  n.file_ = std::make_shared<const std::string>(std::move(file));
  n.line_ = line;
  n.column_ = column;
  return n;
}

namespace {

// yaml-cpp counts columns in bytes; a person editing a table of Chinese
// characters counts characters.
int CharacterColumn(const std::vector<std::string>& lines, int line, int byte_column) {
  if (line < 0 || static_cast<size_t>(line) >= lines.size()) return byte_column + 1;
  const std::string& l = lines[line];
  int chars = 0;
  for (int i = 0; i < byte_column && static_cast<size_t>(i) < l.size(); ++i)
    chars += (static_cast<unsigned char>(l[i]) & 0xC0) != 0x80;
  return chars + 1;
}

DataNode Convert(const YAML::Node& node, const std::shared_ptr<const std::string>& file,
                 const std::vector<std::string>& lines) {
  DataNode::Kind kind = node.IsScalar()     ? DataNode::Kind::kScalar
                        : node.IsSequence() ? DataNode::Kind::kList
                        : node.IsMap()      ? DataNode::Kind::kMap
                                            : DataNode::Kind::kNull;
  YAML::Mark m = node.Mark();
  DataNode out = DataNode::Make(kind, *file, m.line >= 0 ? m.line + 1 : 0,
                                m.line >= 0 ? CharacterColumn(lines, m.line, m.column) : 0);
  if (node.IsScalar()) {
    out.mutable_scalar() = node.Scalar();
  } else if (node.IsSequence()) {
    for (const auto& child : node) out.mutable_items().push_back(Convert(child, file, lines));
  } else if (node.IsMap()) {
    for (auto it = node.begin(); it != node.end(); ++it)
      out.mutable_entries().emplace_back(Convert(it->first, file, lines), Convert(it->second, file, lines));
  }
  return out;
}

}  // namespace

StatusOr<DataNode> ParseDataText(const std::string& text, const std::string& name) {
  host::PipelineFile parsed = host::ParsePipelineText(text, name);
  if (!parsed.diagnostics.empty()) {
    std::string message;
    for (const auto& d : parsed.diagnostics) message += (message.empty() ? "" : "\n") + d.ToString();
    return InvalidArgumentError(message);
  }
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) lines.push_back(l);
  return Convert(parsed.root, std::make_shared<const std::string>(name), lines);
}

StatusOr<DataNode> LoadDataFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFoundError("cannot read data file " + path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return ParseDataText(buffer.str(), path);
}

}  // namespace lode
