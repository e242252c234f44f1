#include "lode/params.h"

#include <cinttypes>
#include <cstdio>
#include <cstdlib>

namespace lode {

std::string_view ParamTypeName(ParamType type) {
  switch (type) {
    case ParamType::kString: return "string";
    case ParamType::kInt: return "int";
    case ParamType::kDouble: return "double";
    case ParamType::kBool: return "bool";
    case ParamType::kSize: return "size";
    case ParamType::kEnum: return "enum";
    case ParamType::kList: return "list";
    case ParamType::kRegex: return "regex";
    case ParamType::kPath: return "path";
  }
  return "unknown";
}

namespace {
ParamSpec Make(std::string name, ParamType type, ParamValue def, std::string doc) {
  ParamSpec p;
  p.name = std::move(name);
  p.type = type;
  p.default_value = std::move(def);
  p.doc = std::move(doc);
  return p;
}
}  // namespace

ParamSpec ParamSpec::String(std::string n, std::string def, std::string doc) {
  return Make(std::move(n), ParamType::kString, std::move(def), std::move(doc));
}
ParamSpec ParamSpec::Int(std::string n, int64_t def, std::string doc) {
  return Make(std::move(n), ParamType::kInt, def, std::move(doc));
}
ParamSpec ParamSpec::Double(std::string n, double def, std::string doc) {
  return Make(std::move(n), ParamType::kDouble, def, std::move(doc));
}
ParamSpec ParamSpec::Bool(std::string n, bool def, std::string doc) {
  return Make(std::move(n), ParamType::kBool, def, std::move(doc));
}
ParamSpec ParamSpec::Size(std::string n, int64_t def, std::string doc) {
  return Make(std::move(n), ParamType::kSize, def, std::move(doc));
}
ParamSpec ParamSpec::Enum(std::string n, std::string def, std::vector<std::string> choices,
                          std::string doc) {
  ParamSpec p = Make(std::move(n), ParamType::kEnum, std::move(def), std::move(doc));
  p.choices = std::move(choices);
  return p;
}
ParamSpec ParamSpec::List(std::string n, std::vector<std::string> def, std::string doc) {
  return Make(std::move(n), ParamType::kList, std::move(def), std::move(doc));
}
ParamSpec ParamSpec::Regex(std::string n, std::string def, std::string doc) {
  return Make(std::move(n), ParamType::kRegex, std::move(def), std::move(doc));
}
ParamSpec ParamSpec::Path(std::string n, std::string def, std::string doc) {
  return Make(std::move(n), ParamType::kPath, std::move(def), std::move(doc));
}

namespace {
std::string FormatSize(int64_t bytes) {
  static const char* const kUnits[] = {"KiB", "MiB", "GiB", "TiB"};
  if (bytes < 1024 || bytes % 1024 != 0) return std::to_string(bytes);
  int unit = -1;
  while (bytes % 1024 == 0 && bytes >= 1024 && unit < 3) {
    bytes /= 1024;
    ++unit;
  }
  return std::to_string(bytes) + " " + kUnits[unit];
}

std::string QuoteIfNeeded(const std::string& s) {
  if (s.empty() || s.find_first_of(":#{}[],&*!|>'\"%@`") != std::string::npos ||
      s.front() == ' ' || s.back() == ' ') {
    std::string q = "\"";
    for (char c : s) {
      if (c == '"' || c == '\\') q += '\\';
      q += c;
    }
    return q + "\"";
  }
  return s;
}
}  // namespace

std::string FormatParamValue(const ParamValue& v, ParamType type) {
  if (std::holds_alternative<std::monostate>(v)) return "";
  if (auto* b = std::get_if<bool>(&v)) return *b ? "true" : "false";
  if (auto* i = std::get_if<int64_t>(&v)) return type == ParamType::kSize ? FormatSize(*i) : std::to_string(*i);
  if (auto* d = std::get_if<double>(&v)) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", *d);
    return buf;
  }
  if (auto* s = std::get_if<std::string>(&v)) return QuoteIfNeeded(*s);
  const auto& list = std::get<std::vector<std::string>>(v);
  std::string out = "[";
  for (size_t i = 0; i < list.size(); ++i) {
    if (i) out += ", ";
    out += QuoteIfNeeded(list[i]);
  }
  return out + "]";
}

const ParamValue& Config::Get(std::string_view name, const char* getter) const {
  auto it = values_.find(name);
  if (it == values_.end()) {
    std::fprintf(stderr, "lode: bug in stage '%s': %s(\"%.*s\") asks for a parameter it did not declare\n",
                 stage_.c_str(), getter, static_cast<int>(name.size()), name.data());
    std::abort();
  }
  return it->second;
}

namespace {
[[noreturn]] void WrongGetter(const std::string& stage, std::string_view name, const char* getter) {
  std::fprintf(stderr, "lode: bug in stage '%s': %s(\"%.*s\") does not match the parameter's declared type\n",
               stage.c_str(), getter, static_cast<int>(name.size()), name.data());
  std::abort();
}
}  // namespace

const std::string& Config::GetString(std::string_view name) const {
  if (auto* s = std::get_if<std::string>(&Get(name, "GetString"))) return *s;
  WrongGetter(stage_, name, "GetString");
}
int64_t Config::GetInt(std::string_view name) const {
  if (auto* i = std::get_if<int64_t>(&Get(name, "GetInt"))) return *i;
  WrongGetter(stage_, name, "GetInt");
}
double Config::GetDouble(std::string_view name) const {
  const ParamValue& v = Get(name, "GetDouble");
  if (auto* d = std::get_if<double>(&v)) return *d;
  WrongGetter(stage_, name, "GetDouble");
}
bool Config::GetBool(std::string_view name) const {
  if (auto* b = std::get_if<bool>(&Get(name, "GetBool"))) return *b;
  WrongGetter(stage_, name, "GetBool");
}
const std::vector<std::string>& Config::GetList(std::string_view name) const {
  if (auto* l = std::get_if<std::vector<std::string>>(&Get(name, "GetList"))) return *l;
  WrongGetter(stage_, name, "GetList");
}

}  // namespace lode
