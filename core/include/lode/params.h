// lode/params.h — a stage's parameters, declared once.
//
// Each stage declares its parameters as a list of ParamSpec. From that one list
// the host validates the pipeline file before anything runs (unknown keys with
// "did you mean", wrong types, constraints, required values, each as
// file:line:col), builds the `Config` the stage receives, prints
// `lode plugins describe`, and generates the docs. A stage never sees YAML.
//
//   std::vector<ParamSpec> params = {
//       ParamSpec::Double("threshold", 0.8, "Jaccard similarity above which two "
//                         "documents are near copies.").Range(0, 1),
//       ParamSpec::Enum("keep", "first", {"first", "cleanest"},
//                       "Which copy of a cluster is kept."),
//       ParamSpec::Path("dir", "Folder the files are written to.").Required(),
//   };
//   ...
//   double t = config.GetDouble("threshold");   // validated, default applied
//
// A parameter without a doc string is refused when its plugin registers.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace lode {

enum class ParamType {
  kString,
  kInt,     // signed 64-bit
  kDouble,
  kBool,    // true/false (also yes/no, on/off)
  kSize,    // a byte count: 4096, "64KiB", "64MiB", "1GB"
  kEnum,    // one of `choices`
  kList,    // a list of strings; a single string is a list of one
  kRegex,   // a string that must compile as an RE2 pattern
  kPath,    // a string; "{input}" and "{out}" are substituted
};

// "string", "int", "double", "bool", "size", "enum", "list", "regex", "path".
std::string_view ParamTypeName(ParamType type);

// A parameter value after validation. kInt and kSize hold int64_t, kDouble
// double, kBool bool, kList a vector, every other type a string.
using ParamValue =
    std::variant<std::monostate, bool, int64_t, double, std::string, std::vector<std::string>>;

// One declared parameter. Build it with the named constructors, then refine it.
struct ParamSpec {
  std::string name;
  ParamType type = ParamType::kString;
  std::string doc;
  ParamValue default_value;           // monostate: no default
  bool required = false;              // must be given in the pipeline file
  std::optional<double> min, max;     // kInt, kDouble, kSize: inclusive bounds
  std::vector<std::string> choices;   // kEnum: the allowed values

  static ParamSpec String(std::string name, std::string def, std::string doc);
  static ParamSpec Int(std::string name, int64_t def, std::string doc);
  static ParamSpec Double(std::string name, double def, std::string doc);
  static ParamSpec Bool(std::string name, bool def, std::string doc);
  static ParamSpec Size(std::string name, int64_t def_bytes, std::string doc);
  static ParamSpec Enum(std::string name, std::string def, std::vector<std::string> choices,
                        std::string doc);
  static ParamSpec List(std::string name, std::vector<std::string> def, std::string doc);
  static ParamSpec Regex(std::string name, std::string def, std::string doc);
  static ParamSpec Path(std::string name, std::string def, std::string doc);

  // The value must be given; the default is dropped.
  ParamSpec& Required() {
    required = true;
    default_value = std::monostate{};
    return *this;
  }
  ParamSpec& Min(double v) { min = v; return *this; }
  ParamSpec& Max(double v) { max = v; return *this; }
  ParamSpec& Range(double lo, double hi) { min = lo; max = hi; return *this; }
};

// Renders a value as it would be written in YAML ("0.8", "[a, b]", "64 MiB").
std::string FormatParamValue(const ParamValue& v, ParamType type);

// The validated parameters a stage receives: every declared parameter is present,
// of its declared type, within its constraints. Asking for an undeclared name or
// with the wrong getter is a bug in the stage and aborts with a message naming
// both.
class Config {
 public:
  Config() = default;
  Config(std::string stage, std::map<std::string, ParamValue, std::less<>> values)
      : stage_(std::move(stage)), values_(std::move(values)) {}

  const std::string& GetString(std::string_view name) const;  // kString, kEnum, kRegex, kPath
  int64_t GetInt(std::string_view name) const;                // kInt, kSize
  double GetDouble(std::string_view name) const;
  bool GetBool(std::string_view name) const;
  const std::vector<std::string>& GetList(std::string_view name) const;

  // The stage this configuration belongs to ("dedup.near").
  const std::string& stage() const { return stage_; }
  const std::map<std::string, ParamValue, std::less<>>& values() const { return values_; }

 private:
  const ParamValue& Get(std::string_view name, const char* getter) const;

  std::string stage_;
  std::map<std::string, ParamValue, std::less<>> values_;
};

}  // namespace lode
