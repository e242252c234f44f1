// budget.projects: investment and budget figures per project — "新生路片项目总投资
// 12.5亿元", "安排专项资金3000万元用于…" — one row per amount, with the project
// it belongs to. It reuses lode's number grammar (lode/numbers.h) for the
// amounts, so 916,564万元, 3.2亿 and 两千万元 all come out in 元.
#include <cctype>
#include <string>
#include <string_view>
#include <vector>

#include "lode/lode.h"
#include "lode/numbers.h"

namespace {

using namespace lode;

const TableSchema& BudgetTable() {
  static const TableSchema table{
      "budget_lines",
      "Investment and budget amounts per project, in 元.",
      {{"doc_id", ColumnType::kText, "The document."},
       {"project", ColumnType::kText, "The project the amount belongs to (the clause's words before the keyword)."},
       {"keyword", ColumnType::kText, "The word that makes it a budget line (总投资, 投资, 预算, 资金 …)."},
       {"amount_yuan", ColumnType::kReal, "The amount in 元."},
       {"qualifier", ColumnType::kText, "approx, at_least, at_most; empty when exact."},
       {"text", ColumnType::kText, "The amount as written."},
       {"line", ColumnType::kInteger, "1-based line in the input file."},
       {"raw_begin", ColumnType::kInteger, "Byte offset of the amount in the input file."},
       {"raw_end", ColumnType::kInteger, "End of that byte range."}}};
  return table;
}

// Clauses end at these; a project and its amount stand in one clause.
bool IsClauseEnd(std::string_view text, size_t at, size_t& width) {
  static const std::string_view kEnds[] = {"。", "；", "，", "：", "\n", ";", ",", ":", "、"};
  for (std::string_view e : kEnds) {
    if (text.substr(at, e.size()) == e) {
      // "3,200万元": a comma between digits separates thousands, not clauses.
      if (e == "," && at > 0 && at + 1 < text.size() && std::isdigit(static_cast<unsigned char>(text[at - 1])) &&
          std::isdigit(static_cast<unsigned char>(text[at + 1])))
        return false;
      width = e.size();
      return true;
    }
  }
  return false;
}

class BudgetProjects : public Transform {
 public:
  BudgetProjects(NumberGrammar grammar, std::vector<std::string> keywords, double min_yuan)
      : grammar_(std::move(grammar)), keywords_(std::move(keywords)), min_yuan_(min_yuan) {}

  Status Process(Document& doc) override {
    const std::string_view text = doc.text;
    size_t clause_begin = 0;
    size_t width = 0;
    for (size_t at = 0; at <= text.size(); at += width ? width : 1) {
      width = 0;
      if (at < text.size() && !IsClauseEnd(text, at, width)) {
        width = 1;
        continue;
      }
      Clause(doc, clause_begin, at);
      clause_begin = at + (width ? width : 1);
    }
    return OkStatus();
  }

 private:
  void Clause(Document& doc, size_t begin, size_t end) {
    if (end <= begin) return;
    std::string_view clause = std::string_view(doc.text).substr(begin, end - begin);
    for (const Figure& f : grammar_.FindAll(clause)) {
      if (f.family != "currency" || f.canonical_value < min_yuan_) continue;
      // The keyword that ends nearest before the amount decides (the longer
      // one when two end together: 总投资 over 投资); the words before it name
      // the project.
      size_t best = std::string_view::npos, best_end = 0;
      const std::string* keyword = nullptr;
      for (const std::string& k : keywords_) {
        size_t k_at = f.begin >= k.size() ? clause.rfind(k, f.begin - k.size()) : std::string_view::npos;
        if (k_at == std::string_view::npos) continue;
        size_t k_end = k_at + k.size();
        if (keyword == nullptr || k_end > best_end || (k_end == best_end && k_at < best)) {
          best = k_at;
          best_end = k_end;
          keyword = &k;
        }
      }
      if (keyword == nullptr) continue;
      std::string project(clause.substr(0, best));
      while (!project.empty() && (project.back() == ' ' || project.back() == '\t')) project.pop_back();
      RawRange raw = doc.ToRaw(begin + f.begin, begin + f.end);
      doc.AddRow("budget_lines",
                 {Value(doc.id), project.empty() ? Value() : Value(project), Value(*keyword), Value(f.canonical_value),
                  f.qualifier == Qualifier::kExact ? Value() : Value(std::string(QualifierName(f.qualifier))),
                  Value(std::string(clause.substr(f.begin, f.end - f.begin))),
                  Value(static_cast<int64_t>(doc.LineOf(raw.begin))), Value(static_cast<int64_t>(raw.begin)),
                  Value(static_cast<int64_t>(raw.end))});
    }
  }

  NumberGrammar grammar_;
  std::vector<std::string> keywords_;
  double min_yuan_;
};

Status Register(Registry& registry) {
  StageInfo info;
  info.name = "budget.projects";
  info.summary = "Investment and budget amounts per project (项目 … 投资 … 亿元), in 元.";
  info.doc =
      "In every clause (text between 。；，： and line breaks) each currency amount that follows one of the "
      "keywords becomes a row of budget_lines, with the clause's words before the keyword as the project.";
  info.kind = StageKind::kTransform;
  info.execution = Execution::kParallel;
  info.params = {
      ParamSpec::List("keywords", {"总投资", "投资", "预算", "资金", "拨付"},
                      "Words that make an amount after them a budget line; the nearest one before the amount wins."),
      ParamSpec::Double("min_yuan", 0, "Amounts below this many 元 are left out.").Min(0),
      ParamSpec::Path("units", "zh/units.yaml", "The number grammar's units file (found among lode's configs)."),
  };
  info.tables = {BudgetTable()};
  info.make_transform = [](const Config& c, const SetupContext& setup) -> StatusOr<std::unique_ptr<Transform>> {
    LODE_ASSIGN_OR_RETURN(std::string units, setup.FindDataFile(c.GetString("units")));
    LODE_ASSIGN_OR_RETURN(NumberGrammar grammar, NumberGrammar::Load(units));
    return std::unique_ptr<Transform>(
        new BudgetProjects(std::move(grammar), c.GetList("keywords"), c.GetDouble("min_yuan")));
  };
  return registry.Add(std::move(info));
}

}  // namespace

LODE_PLUGIN(budget, "budget", "1.0.0", "Investment and budget figures per project.", Register)
