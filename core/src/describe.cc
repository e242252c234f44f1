#include "describe.h"

#include "lode/text.h"

namespace lode::host {

namespace {

std::string Constraints(const ParamSpec& p) {
  std::string c;
  auto num = [&](double v) {
    return p.type == ParamType::kDouble ? FormatParamValue(v, p.type)
                                        : FormatParamValue(static_cast<int64_t>(v), p.type);
  };
  if (p.min && p.max) c = num(*p.min) + " to " + num(*p.max);
  else if (p.min) c = ">= " + num(*p.min);
  else if (p.max) c = "<= " + num(*p.max);
  if (p.type == ParamType::kEnum) {
    c = "one of: ";
    for (size_t i = 0; i < p.choices.size(); ++i) c += (i ? ", " : "") + p.choices[i];
  }
  if (p.type == ParamType::kRegex) c = "an RE2 pattern";
  if (p.type == ParamType::kPath) c = "{input} and {out} are substituted";
  return c;
}

std::string DefaultText(const ParamSpec& p) {
  if (p.required) return "(required)";
  std::string d = FormatParamValue(p.default_value, p.type);
  return d.empty() ? "\"\"" : d;
}

std::string Quote(const std::string& s) {
  std::string out = "\"";
  AppendJsonEscaped(out, s);
  return out + "\"";
}

std::string JsonValue(const ParamValue& v) {
  if (std::holds_alternative<std::monostate>(v)) return "null";
  if (auto* b = std::get_if<bool>(&v)) return *b ? "true" : "false";
  if (auto* i = std::get_if<int64_t>(&v)) return std::to_string(*i);
  if (auto* d = std::get_if<double>(&v)) {
    std::string out;
    AppendJsonNumber(out, *d);
    return out;
  }
  if (auto* s = std::get_if<std::string>(&v)) return Quote(*s);
  std::string out = "[";
  const auto& l = std::get<std::vector<std::string>>(v);
  for (size_t i = 0; i < l.size(); ++i) out += (i ? ", " : "") + Quote(l[i]);
  return out + "]";
}

const char* JsonType(ParamType t) {
  switch (t) {
    case ParamType::kInt:
    case ParamType::kSize: return "integer";  // a size may also be written "64MiB"
    case ParamType::kDouble: return "number";
    case ParamType::kBool: return "boolean";
    case ParamType::kList: return "array";
    default: return "string";
  }
}

std::string MdCell(std::string s) {
  std::string out;
  for (char c : s) {
    if (c == '|') out += "\\|";
    else if (c == '\n') out += ' ';
    else out += c;
  }
  return out;
}

std::string TablesMarkdown(const std::vector<TableSchema>& tables, const char* heading) {
  std::string out;
  for (const TableSchema& t : tables) {
    out += std::string(heading) + " `" + t.name + "`\n\n" + t.doc + "\n\n| column | type | meaning |\n|---|---|---|\n";
    for (const Column& c : t.columns)
      out += "| `" + c.name + "` | " + std::string(ColumnTypeName(c.type)) + " | " + MdCell(c.doc) + " |\n";
    out += "\n";
  }
  return out;
}

}  // namespace

std::string ListPlugins(const HostRegistry& registry) {
  std::string out;
  for (const auto& p : registry.plugins()) {
    out += p->name + " " + p->version + "  " + p->file + "\n";
    if (!p->description.empty()) out += "  " + p->description + "\n";
    for (const std::string& s : p->stages) {
      const StageEntry* e = registry.Find(s);
      std::string name = s;
      name.resize(std::max<size_t>(name.size(), 18), ' ');
      out += "    " + name + " " + std::string(StageKindName(e->info.kind)) + "  " + e->info.summary + "\n";
    }
  }
  return out;
}

std::string DescribeStage(const StageEntry& stage, DescribeFormat format) {
  const StageInfo& info = stage.info;
  std::string out;
  if (format == DescribeFormat::kText) {
    out += info.name + " (" + std::string(StageKindName(info.kind));
    if (info.kind == StageKind::kTransform)
      out += info.execution == Execution::kParallel ? ", parallel" : ", ordered";
    out += ") — plugin " + stage.plugin->name + " " + stage.plugin->version + "\n  " + info.summary + "\n";
    if (!info.doc.empty()) out += "\n" + info.doc + "\n";
    out += "\nParameters:\n";
    if (info.params.empty()) out += "  (none)\n";
    for (const ParamSpec& p : info.params) {
      out += "  " + p.name + " (" + std::string(ParamTypeName(p.type)) + ", default " + DefaultText(p);
      std::string c = Constraints(p);
      if (!c.empty()) out += "; " + c;
      out += ")\n      " + p.doc + "\n";
    }
    out += "\nTables written:\n";
    if (info.tables.empty()) out += "  (none)\n";
    for (const TableSchema& t : info.tables) {
      out += "  " + t.name + ": " + t.doc + "\n";
      for (const Column& c : t.columns)
        out += "    " + c.name + " (" + std::string(ColumnTypeName(c.type)) + ")  " + c.doc + "\n";
    }
    return out;
  }
  if (format == DescribeFormat::kMarkdown) {
    out += "## `" + info.name + "`\n\n" + info.summary + "\n\n";
    if (!info.doc.empty()) out += info.doc + "\n\n";
    out += "Kind: " + std::string(StageKindName(info.kind));
    if (info.kind == StageKind::kTransform)
      out += info.execution == Execution::kParallel ? " (parallel)" : " (ordered)";
    out += ". Plugin: `" + stage.plugin->name + "` " + stage.plugin->version + ".\n\n";
    if (!info.params.empty()) {
      out += "| parameter | type | default | constraints | meaning |\n|---|---|---|---|---|\n";
      for (const ParamSpec& p : info.params)
        out += "| `" + p.name + "` | " + std::string(ParamTypeName(p.type)) + " | `" + MdCell(DefaultText(p)) + "` | " +
               MdCell(Constraints(p)) + " | " + MdCell(p.doc) + " |\n";
      out += "\n";
    }
    out += TablesMarkdown(info.tables, "### Table");
    return out;
  }
  // JSON Schema of the `with:` mapping.
  out += "{\n  \"$schema\": \"https://json-schema.org/draft/2020-12/schema\",\n";
  out += "  \"title\": " + Quote(info.name) + ",\n  \"description\": " + Quote(info.summary) + ",\n";
  out += "  \"x-lode-kind\": " + Quote(std::string(StageKindName(info.kind))) + ",\n";
  out += "  \"x-lode-plugin\": " + Quote(stage.plugin->name) + ",\n";
  out += "  \"type\": \"object\",\n  \"additionalProperties\": false,\n  \"properties\": {";
  std::string required;
  for (size_t i = 0; i < info.params.size(); ++i) {
    const ParamSpec& p = info.params[i];
    out += std::string(i ? "," : "") + "\n    " + Quote(p.name) + ": {\"type\": \"" + JsonType(p.type) + "\"";
    if (p.type == ParamType::kList) out += ", \"items\": {\"type\": \"string\"}";
    if (p.type == ParamType::kEnum) {
      out += ", \"enum\": [";
      for (size_t c = 0; c < p.choices.size(); ++c) out += (c ? ", " : "") + Quote(p.choices[c]);
      out += "]";
    }
    if (p.min) out += ", \"minimum\": " + JsonValue(*p.min);
    if (p.max) out += ", \"maximum\": " + JsonValue(*p.max);
    if (!p.required) out += ", \"default\": " + JsonValue(p.default_value);
    out += ", \"x-lode-type\": \"" + std::string(ParamTypeName(p.type)) + "\"";
    out += ", \"description\": " + Quote(p.doc) + "}";
    if (p.required) required += (required.empty() ? "" : ", ") + Quote(p.name);
  }
  out += "\n  },\n  \"required\": [" + required + "],\n  \"x-lode-tables\": [";
  for (size_t i = 0; i < info.tables.size(); ++i) {
    const TableSchema& t = info.tables[i];
    out += std::string(i ? "," : "") + "\n    {\"name\": " + Quote(t.name) + ", \"description\": " + Quote(t.doc) +
           ", \"columns\": [";
    for (size_t c = 0; c < t.columns.size(); ++c)
      out += std::string(c ? ", " : "") + "{\"name\": " + Quote(t.columns[c].name) + ", \"type\": \"" +
             std::string(ColumnTypeName(t.columns[c].type)) + "\", \"description\": " + Quote(t.columns[c].doc) + "}";
    out += "]}";
  }
  out += "\n  ]\n}\n";
  return out;
}

std::string DescribeTables(const std::vector<TableSchema>& tables) {
  return TablesMarkdown(tables, "##");
}

}  // namespace lode::host
