#include "pipeline.h"

#include <re2/re2.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "suggest.h"

namespace lode::host {

namespace fs = std::filesystem;

std::string Where(const std::string& file, const YAML::Mark& mark) {
  // yaml-cpp marks are 0-based; editors and compilers count from 1.
  if (mark.line < 0) return file;
  return file + ":" + std::to_string(mark.line + 1) + ":" + std::to_string(mark.column + 1);
}

namespace {

const char* const kTopLevelKeys[] = {"name", "description", "plugin_paths", "input", "stages", "output"};
const char* const kEntryKeys[] = {"use", "with", "enabled"};

std::vector<std::string> Names(const char* const* begin, const char* const* end) {
  return std::vector<std::string>(begin, end);
}

// yaml-cpp accepts a quoted scalar that runs to the end of the file; a user who
// forgot a closing quote should hear so, at the quote.
void CheckUnclosedQuotes(const YAML::Node& node, const std::vector<std::string>& lines,
                         const std::string& file, std::vector<Diagnostic>& out) {
  if (node.IsMap()) {
    for (auto it = node.begin(); it != node.end(); ++it) {
      CheckUnclosedQuotes(it->first, lines, file, out);
      CheckUnclosedQuotes(it->second, lines, file, out);
    }
  } else if (node.IsSequence()) {
    for (const auto& child : node) CheckUnclosedQuotes(child, lines, file, out);
  } else if (node.IsScalar() && node.Tag() == "!") {
    YAML::Mark m = node.Mark();
    if (m.line < 0 || static_cast<size_t>(m.line) >= lines.size()) return;
    const std::string& first = lines[m.line];
    size_t col = static_cast<size_t>(m.column);
    if (col >= first.size() || (first[col] != '"' && first[col] != '\'')) return;
    char quote = first[col];
    size_t line = m.line;
    size_t i = col + 1;
    while (line < lines.size()) {
      const std::string& l = lines[line];
      for (; i < l.size(); ++i) {
        if (quote == '"' && l[i] == '\\') {
          ++i;
          continue;
        }
        if (l[i] == quote) {
          if (quote == '\'' && i + 1 < l.size() && l[i + 1] == '\'') {
            ++i;
            continue;
          }
          return;
        }
      }
      ++line;
      i = 0;
    }
    out.push_back({Where(file, m), std::string("unclosed quote: the string that starts here with ") +
                                       quote + " runs to the end of the file"});
  }
}

void CheckDuplicateKeys(const YAML::Node& node, const std::string& file, std::vector<Diagnostic>& out) {
  if (node.IsMap()) {
    std::map<std::string, YAML::Mark> seen;
    for (auto it = node.begin(); it != node.end(); ++it) {
      if (it->first.IsScalar()) {
        auto [at, fresh] = seen.emplace(it->first.Scalar(), it->first.Mark());
        if (!fresh)
          out.push_back({Where(file, it->first.Mark()),
                         "duplicate key '" + it->first.Scalar() + "' (first at line " +
                             std::to_string(at->second.line + 1) + ")"});
      }
      CheckDuplicateKeys(it->second, file, out);
    }
  } else if (node.IsSequence()) {
    for (const auto& child : node) CheckDuplicateKeys(child, file, out);
  }
}

std::vector<std::string> SplitLines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) lines.push_back(l);
  return lines;
}

std::string Describe(const YAML::Node& n) {
  if (!n || n.IsNull()) return "nothing";
  if (n.IsScalar()) return "'" + n.Scalar() + "'";
  if (n.IsSequence()) return "a list";
  return "a mapping";
}

// ---- Parameter values --------------------------------------------------------

bool ParseInt(const std::string& s, int64_t& out) {
  if (s.empty()) return false;
  errno = 0;
  char* end = nullptr;
  long long v = std::strtoll(s.c_str(), &end, 10);
  if (errno != 0 || *end != '\0') return false;
  out = v;
  return true;
}

bool ParseDouble(const std::string& s, double& out) {
  if (s.empty()) return false;
  errno = 0;
  char* end = nullptr;
  double v = std::strtod(s.c_str(), &end);
  if (errno != 0 || *end != '\0' || !std::isfinite(v)) return false;
  out = v;
  return true;
}

bool ParseBool(std::string s, bool& out) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (s == "true" || s == "yes" || s == "on") return out = true, true;
  if (s == "false" || s == "no" || s == "off") return out = false, true;
  return false;
}

// "4096", "64KiB", "64 MiB", "1.5GB": KiB/MiB/GiB/TiB and bare K/M/G/T count in
// 1024s, KB/MB/GB/TB in 1000s.
bool ParseSize(const std::string& s, int64_t& out) {
  size_t i = 0;
  while (i < s.size() && (std::isdigit(static_cast<unsigned char>(s[i])) || s[i] == '.')) ++i;
  double number;
  if (!ParseDouble(s.substr(0, i), number) || number < 0) return false;
  std::string unit = s.substr(i);
  while (!unit.empty() && unit.front() == ' ') unit.erase(0, 1);
  static const std::map<std::string, double> kUnits = {
      {"", 1},         {"B", 1},         {"K", 1024.0},    {"KiB", 1024.0},  {"KB", 1e3},
      {"k", 1024.0},   {"kB", 1e3},      {"M", 1048576.0}, {"MiB", 1048576.0}, {"MB", 1e6},
      {"G", 1073741824.0}, {"GiB", 1073741824.0}, {"GB", 1e9}, {"T", 1099511627776.0},
      {"TiB", 1099511627776.0}, {"TB", 1e12}};
  auto it = kUnits.find(unit);
  if (it == kUnits.end()) return false;
  double bytes = number * it->second;
  if (bytes > 9.2e18) return false;
  out = static_cast<int64_t>(std::llround(bytes));
  return true;
}

std::string RangeText(const ParamSpec& p) {
  auto fmt = [&](double v) {
    return p.type == ParamType::kDouble ? FormatParamValue(v, p.type)
                                        : FormatParamValue(static_cast<int64_t>(v), p.type);
  };
  if (p.min && p.max) return " between " + fmt(*p.min) + " and " + fmt(*p.max);
  if (p.min) return " of at least " + fmt(*p.min);
  if (p.max) return " of at most " + fmt(*p.max);
  return "";
}

// Substitutes {input} and {out}; returns false with `error` set on an unknown
// variable or a missing input.
bool Substitute(const std::string& in, const Variables& vars, std::string& out, std::string& error) {
  out.clear();
  size_t i = 0;
  while (i < in.size()) {
    size_t open = in.find('{', i);
    if (open == std::string::npos) {
      out.append(in, i);
      break;
    }
    size_t close = in.find('}', open);
    if (close == std::string::npos) {
      out.append(in, i);
      break;
    }
    out.append(in, i, open - i);
    std::string var = in.substr(open + 1, close - open - 1);
    // Only {name} is a variable: a pattern's {2,3} or {n} stays as written.
    bool is_name = !var.empty();
    for (char c : var) is_name = is_name && ((c >= 'a' && c <= 'z') || c == '_');
    if (!is_name) {
      out.append(in, open, close - open + 1);
      i = close + 1;
      continue;
    }
    if (var == "out") {
      out += vars.out;
    } else if (var == "input") {
      if (vars.inputs.empty()) {
        if (!vars.inputs_optional) {
          error = "'{input}' is used, but no input was given (lode run PIPELINE INPUT…)";
          return false;
        }
        out += "{input}";
      } else if (vars.inputs.size() > 1) {
        error = "'{input}' stands inside a longer value, so it can take only one input, but " +
                std::to_string(vars.inputs.size()) + " were given";
        return false;
      } else {
        out += vars.inputs[0];
      }
    } else {
      error = "unknown variable '{" + var + "}' (known: {input}, {out})";
      return false;
    }
    i = close + 1;
  }
  return true;
}

// Converts one YAML value to a parameter value of `p`'s type, or explains why not.
bool ConvertValue(const ParamSpec& p, const YAML::Node& node, const Variables& vars, ParamValue& out,
                  std::string& error) {
  const std::string intro = "parameter '" + p.name + "' ";
  if (!node || node.IsNull()) {
    error = intro + "has no value";
    return false;
  }
  if (p.type == ParamType::kList) {
    std::vector<std::string> items;
    std::vector<YAML::Node> nodes;
    if (node.IsSequence()) {
      for (const auto& n : node) nodes.push_back(n);
    } else {
      nodes.push_back(node);
    }
    for (const auto& n : nodes) {
      if (!n.IsScalar()) {
        error = intro + "must be a list of strings, but an element is " + Describe(n);
        return false;
      }
      // A whole element "{input}" stands for every input given.
      if (n.Scalar() == "{input}" && !vars.inputs.empty()) {
        items.insert(items.end(), vars.inputs.begin(), vars.inputs.end());
        continue;
      }
      std::string v;
      if (!Substitute(n.Scalar(), vars, v, error)) {
        error = "parameter '" + p.name + "': " + error;
        return false;
      }
      items.push_back(std::move(v));
    }
    out = std::move(items);
    return true;
  }
  if (!node.IsScalar()) {
    error = intro + "must be " + (p.type == ParamType::kInt ? "an " : "a ") +
            std::string(ParamTypeName(p.type)) + ", not " + Describe(node);
    return false;
  }
  const std::string& s = node.Scalar();
  auto bounded = [&](double v) {
    if ((p.min && v < *p.min) || (p.max && v > *p.max)) {
      error = intro + "must be a number" + RangeText(p) + ", not " + s;
      return false;
    }
    return true;
  };
  switch (p.type) {
    case ParamType::kString:
      out = s;
      return true;
    case ParamType::kInt: {
      int64_t v;
      if (!ParseInt(s, v)) {
        error = intro + "must be a whole number" + RangeText(p) + ", not '" + s + "'";
        return false;
      }
      if (!bounded(static_cast<double>(v))) return false;
      out = v;
      return true;
    }
    case ParamType::kDouble: {
      double v;
      if (!ParseDouble(s, v)) {
        error = intro + "must be a number" + RangeText(p) + ", not '" + s + "'";
        return false;
      }
      if (!bounded(v)) return false;
      out = v;
      return true;
    }
    case ParamType::kBool: {
      bool v;
      if (!ParseBool(s, v)) {
        error = intro + "must be true or false, not '" + s + "'";
        return false;
      }
      out = v;
      return true;
    }
    case ParamType::kSize: {
      int64_t v;
      if (!ParseSize(s, v)) {
        error = intro + "must be a size such as 4096, 64KiB or 1GiB, not '" + s + "'";
        return false;
      }
      if ((p.min && v < *p.min) || (p.max && v > *p.max)) {
        error = intro + "must be a size" + RangeText(p) + ", not " + s;
        return false;
      }
      out = v;
      return true;
    }
    case ParamType::kEnum:
      for (const std::string& c : p.choices) {
        if (c == s) {
          out = s;
          return true;
        }
      }
      error = intro + "must be one of " + JoinNames(p.choices) + ", not '" + s + "'" +
              DidYouMean(s, p.choices);
      return false;
    case ParamType::kRegex: {
      RE2::Options options;
      options.set_log_errors(false);
      RE2 re(s, options);
      if (!re.ok()) {
        error = intro + "is not a valid RE2 pattern: " + re.error();
        return false;
      }
      out = s;
      return true;
    }
    case ParamType::kPath: {
      std::string v;
      if (!Substitute(s, vars, v, error)) {
        error = "parameter '" + p.name + "': " + error;
        return false;
      }
      out = std::move(v);
      return true;
    }
    case ParamType::kList:
      break;  // handled above
  }
  error = intro + "has an unknown type";
  return false;
}

std::vector<std::string> ParamNames(const StageInfo& info) {
  std::vector<std::string> names;
  for (const ParamSpec& p : info.params) names.push_back(p.name);
  return names;
}

const ParamSpec* FindParam(const StageInfo& info, const std::string& name) {
  for (const ParamSpec& p : info.params)
    if (p.name == name) return &p;
  return nullptr;
}

std::string UnknownParamMessage(const StageInfo& info, const std::string& key) {
  std::vector<std::string> names = ParamNames(info);
  std::string m = "stage " + info.name + ": parameter '" + key + "' is not known" + DidYouMean(key, names);
  m += names.empty() ? "; it takes no parameters" : "; its parameters are: " + JoinNames(names);
  return m;
}

// A value given for a parameter: from the file, or from --set.
struct Given {
  std::string key;
  YAML::Node value;
  std::string where;
};

Config BuildConfigFrom(const StageInfo& info, const std::vector<Given>& given, const std::string& entry_where,
                       const Variables& vars, std::vector<Diagnostic>& diagnostics) {
  std::map<std::string, ParamValue> values;
  std::set<std::string> set_here;
  for (const Given& g : given) {
    const ParamSpec* p = FindParam(info, g.key);
    if (p == nullptr) {
      diagnostics.push_back({g.where, UnknownParamMessage(info, g.key)});
      continue;
    }
    set_here.insert(p->name);  // given, even if wrongly: "required" would only add noise
    ParamValue v;
    std::string error;
    if (!ConvertValue(*p, g.value, vars, v, error)) {
      diagnostics.push_back({g.where, "stage " + info.name + ": " + error});
      continue;
    }
    values[p->name] = std::move(v);
  }
  for (const ParamSpec& p : info.params) {
    if (set_here.count(p.name)) continue;
    if (p.required) {
      diagnostics.push_back({entry_where, "stage " + info.name + ": parameter '" + p.name +
                                              "' is required (" + p.doc + ")"});
      continue;
    }
    ParamValue def = p.default_value;
    // Defaults may use variables too ("{out}/lode.sqlite").
    std::string error;
    if (auto* s = std::get_if<std::string>(&def); s && p.type == ParamType::kPath) {
      std::string v;
      if (Substitute(*s, vars, v, error)) *s = v;
    } else if (auto* l = std::get_if<std::vector<std::string>>(&def)) {
      std::vector<std::string> expanded;
      for (const std::string& item : *l) {
        if (item == "{input}" && !vars.inputs.empty()) {
          expanded.insert(expanded.end(), vars.inputs.begin(), vars.inputs.end());
          continue;
        }
        std::string v;
        expanded.push_back(Substitute(item, vars, v, error) ? v : item);
      }
      *l = std::move(expanded);
    }
    values[p.name] = std::move(def);
  }
  std::map<std::string, ParamValue, std::less<>> typed(values.begin(), values.end());
  return Config(info.name, std::move(typed));
}

struct SetOption {
  std::string text;  // as given, for messages
  std::string stage;
  std::string param;
  YAML::Node value;
  bool used = false;
};

}  // namespace

PipelineFile ParsePipelineText(const std::string& text, const std::string& name) {
  PipelineFile pf;
  pf.path = name;
  pf.name = fs::path(name).stem().string();
  try {
    pf.root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    std::string message = e.msg;
    std::vector<std::string> lines = SplitLines(text);
    if (e.mark.line >= 0 && static_cast<size_t>(e.mark.line) < lines.size() &&
        lines[e.mark.line].find('\t') != std::string::npos && message.find("tab") == std::string::npos)
      message += " (this line holds a tab; YAML indents with spaces only)";
    pf.diagnostics.push_back({Where(name, e.mark), message});
    return pf;
  }
  CheckUnclosedQuotes(pf.root, SplitLines(text), name, pf.diagnostics);
  CheckDuplicateKeys(pf.root, name, pf.diagnostics);
  return pf;
}

StatusOr<PipelineFile> ReadPipelineFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFoundError("cannot read pipeline file " + path + ": " + std::strerror(errno));
  std::stringstream buffer;
  buffer << in.rdbuf();
  PipelineFile pf = ParsePipelineText(buffer.str(), path);
  if (pf.diagnostics.empty() && pf.root.IsMap()) {
    if (auto paths = pf.root["plugin_paths"]; paths && paths.IsSequence()) {
      fs::path base = fs::path(path).parent_path();
      for (const auto& p : paths)
        if (p.IsScalar()) pf.plugin_paths.push_back((base / p.Scalar()).lexically_normal().string());
    }
  }
  return pf;
}

Config BuildConfig(const StageInfo& info, const YAML::Node& with, const std::string& file,
                   const Variables& vars, std::vector<Diagnostic>& diagnostics) {
  std::vector<Given> given;
  std::string where = file;
  if (with && with.IsMap()) {
    where = Where(file, with.Mark());
    for (auto it = with.begin(); it != with.end(); ++it)
      given.push_back({it->first.Scalar(), it->second, Where(file, it->first.Mark())});
  } else if (with && !with.IsNull()) {
    diagnostics.push_back({Where(file, with.Mark()), "stage " + info.name +
                                                         ": parameters must be a mapping of name: value, not " +
                                                         Describe(with)});
  }
  return BuildConfigFrom(info, given, where, vars, diagnostics);
}

ResolveResult ResolvePipeline(const PipelineFile& pf, const HostRegistry& registry, const Variables& vars,
                              const std::vector<std::string>& sets) {
  ResolveResult result;
  auto& diags = result.diagnostics;
  diags = pf.diagnostics;
  const std::string& file = pf.path;
  result.pipeline.file = file;
  result.pipeline.name = pf.name;

  std::vector<SetOption> options;
  for (const std::string& s : sets) {
    const std::string where = "--set " + s;
    size_t eq = s.find('=');
    size_t dot = eq == std::string::npos ? std::string::npos : s.rfind('.', eq);
    if (eq == std::string::npos || dot == std::string::npos || dot == 0) {
      diags.push_back({where, "expected STAGE.PARAMETER=VALUE, such as dedup.near.threshold=0.9"});
      continue;
    }
    SetOption o{s, s.substr(0, dot), s.substr(dot + 1, eq - dot - 1), {}, false};
    try {
      o.value = YAML::Load(s.substr(eq + 1));
    } catch (const YAML::Exception& e) {
      diags.push_back({where, "the value is not valid YAML: " + e.msg});
      continue;
    }
    options.push_back(std::move(o));
  }

  if (!pf.diagnostics.empty()) return result;  // a tree with syntax errors is not worth checking
  const YAML::Node& root = pf.root;
  if (!root.IsMap()) {
    diags.push_back({Where(file, root.Mark()),
                     "a pipeline file is a mapping with the keys input:, stages: and output:"});
    return result;
  }
  const auto top = Names(std::begin(kTopLevelKeys), std::end(kTopLevelKeys));
  for (auto it = root.begin(); it != root.end(); ++it) {
    const std::string key = it->first.Scalar();
    if (std::find(top.begin(), top.end(), key) == top.end())
      diags.push_back({Where(file, it->first.Mark()), "'" + key + "' is not a pipeline key" +
                                                          DidYouMean(key, top) + "; the keys are: " +
                                                          JoinNames(top)});
  }
  if (auto n = root["name"]; n && n.IsScalar()) result.pipeline.name = n.Scalar();
  if (auto p = root["plugin_paths"]; p && !p.IsSequence())
    diags.push_back({Where(file, p.Mark()), "plugin_paths must be a list of folders or files"});

  struct Section {
    const char* key;
    StageKind kind;
    std::vector<StageDecl>* out;
    bool required;
  };
  Section sections[] = {{"input", StageKind::kSource, &result.pipeline.inputs, true},
                        {"stages", StageKind::kTransform, &result.pipeline.stages, false},
                        {"output", StageKind::kSink, &result.pipeline.outputs, true}};
  const auto entry_keys = Names(std::begin(kEntryKeys), std::end(kEntryKeys));
  std::vector<std::string> disabled;  // named in --set messages like the others
  for (const Section& section : sections) {
    const size_t disabled_before = disabled.size();
    YAML::Node list = root[section.key];
    if (!list || list.IsNull()) {
      if (section.required)
        diags.push_back({Where(file, root.Mark()),
                         std::string("the pipeline has no '") + section.key + ":' list (it needs at least one " +
                             std::string(StageKindName(section.kind)) + ")"});
      continue;
    }
    if (!list.IsSequence()) {
      diags.push_back({Where(file, list.Mark()), std::string("'") + section.key +
                                                     ":' must be a list of entries such as '- use: " +
                                                     (section.kind == StageKind::kSource ? "read.files'" : "...'")});
      continue;
    }
    for (const auto& entry : list) {
      const std::string where = Where(file, entry.Mark());
      if (!entry.IsMap()) {
        diags.push_back({where, "an entry must be a mapping with 'use:' (and optionally 'with:'), not " +
                                    Describe(entry)});
        continue;
      }
      for (auto it = entry.begin(); it != entry.end(); ++it) {
        const std::string key = it->first.Scalar();
        if (std::find(entry_keys.begin(), entry_keys.end(), key) == entry_keys.end())
          diags.push_back({Where(file, it->first.Mark()), "'" + key + "' is not known in a stage entry" +
                                                              DidYouMean(key, entry_keys) +
                                                              "; an entry has 'use:', 'with:' and 'enabled:'"});
      }
      YAML::Node use = entry["use"];
      if (!use || !use.IsScalar()) {
        diags.push_back({where, "this entry has no 'use: STAGE'"});
        continue;
      }
      const std::string name = use.Scalar();
      const std::string use_where = Where(file, use.Mark());
      const StageEntry* stage = registry.Find(name);
      if (stage == nullptr) {
        diags.push_back({use_where, "unknown stage '" + name + "'" + DidYouMean(name, registry.StageNames()) +
                                        " (lode plugins lists the stages)"});
        continue;
      }
      if (stage->info.kind != section.kind) {
        const char* belongs = stage->info.kind == StageKind::kSource      ? "input"
                              : stage->info.kind == StageKind::kTransform ? "stages"
                                                                           : "output";
        diags.push_back({use_where, "stage " + name + " is a " + std::string(StageKindName(stage->info.kind)) +
                                        "; it belongs under '" + belongs + ":', not '" + section.key + ":'"});
        continue;
      }
      std::vector<Given> given;
      YAML::Node with = entry["with"];
      if (with && with.IsMap()) {
        for (auto it = with.begin(); it != with.end(); ++it)
          given.push_back({it->first.Scalar(), it->second, Where(file, it->first.Mark())});
      } else if (with && !with.IsNull()) {
        diags.push_back({Where(file, with.Mark()),
                         "stage " + name + ": 'with:' must be a mapping of parameter: value, not " + Describe(with)});
      }
      // `enabled: false` keeps an entry in the file, checked, without running
      // it: an output a user asks for with --set STAGE.enabled=true.
      bool enabled = true;
      auto read_enabled = [&](const YAML::Node& node, const std::string& at) {
        bool value = false;
        if (node.IsScalar() && YAML::convert<bool>::decode(node, value)) {
          enabled = value;
        } else {
          diags.push_back({at, "stage " + name + ": 'enabled' must be true or false, not " + Describe(node)});
        }
      };
      if (YAML::Node e = entry["enabled"]) read_enabled(e, Where(file, e.Mark()));
      for (SetOption& o : options) {
        if (o.stage != name) continue;
        o.used = true;
        if (o.param == "enabled") {
          read_enabled(o.value, "--set " + o.text);
        } else {
          given.push_back({o.param, o.value, "--set " + o.text});
        }
      }
      StageDecl decl;
      decl.use = name;
      decl.entry = stage;
      decl.where = use_where;
      decl.config = BuildConfigFrom(stage->info, given, use_where, vars, diags);
      if (enabled) section.out->push_back(std::move(decl));
      else disabled.push_back(name);
    }
    if (section.required && section.out->empty() && disabled.size() > disabled_before)
      diags.push_back({Where(file, list.Mark()), std::string("every entry of '") + section.key +
                                                     ":' is disabled (enabled: false); enable one"});
  }
  for (const SetOption& o : options) {
    if (o.used) continue;
    std::vector<std::string> used = disabled;
    for (const auto* list : {&result.pipeline.inputs, &result.pipeline.stages, &result.pipeline.outputs})
      for (const StageDecl& d : *list) used.push_back(d.use);
    diags.push_back({"--set " + o.text, "stage '" + o.stage + "' is not in this pipeline" + DidYouMean(o.stage, used)});
  }
  return result;
}

}  // namespace lode::host
