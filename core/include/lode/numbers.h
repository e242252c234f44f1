// lode/numbers.h — figures in Chinese text: a number, its unit, its qualifier.
//
// Reports state their figures in many ways: 2.9万人次, 916,564万元, １３.９４万㎡,
// 二十九, 两千万元, 三分之二, 百分之五, 7.8%左右, 5%—5.5%, 12.3个百分点, 近200名,
// 24万余件, 排名第4. A NumberGrammar finds them in a text and gives each one's
// value as written, its unit as written, and its value in a canonical unit
// (DESIGN.md: currency in 元, area in 平方米, length in 米, mass in 吨, percent
// in %, percentage points in pp, ranks in rank; counts keep their measure word).
//
//   LODE_ASSIGN_OR_RETURN(std::string path, setup.FindDataFile("zh/units.yaml"));
//   LODE_ASSIGN_OR_RETURN(NumberGrammar grammar, NumberGrammar::Load(path));
//   std::optional<Figure> f = grammar.Parse("2.9万人次");
//   // f->value == 2.9, f->unit == "万人次", f->canonical_value == 29000,
//   // f->canonical_unit == "人次", f->family == "count"
//
//   grammar.Scan(doc.text, [&](const Figure& f) { ... f.begin, f.end ... });
//
// What is a figure. A number counts as a figure only with something that says
// it measures: a unit or measure word (元, 平方米, 个, 户 …), a percent sign or
// 个百分点, a fraction (三分之二, 2/3), or 第 before it (an ordinal or rank).
// So 2019年, 6月23日, 5号线 and 一是 are not figures, and neither is 亿元 in
// "亿元以上项目" (a multiplier alone is not a number). Fixed phrases that look
// like figures (二次供水, 四个百万) are for the caller to exclude: they depend
// on the kind of text, not on the grammar.
//
// Units, measure words and qualifier words come from a rule file
// (configs/zh/units.yaml), so users extend them without a rebuild. 十 百 千 万 亿
// between a number and its unit are multipliers built into the grammar: a
// units file lists 元, and 万元 and 亿元 follow. A unit may itself start with
// one (千瓦, 百分点): 5万千瓦 is 5万 of 千瓦, 3百分点 is 3 percentage points.
// Blanks (spaces, tabs) may stand between the digits and what follows them, as
// scraped pages often set them: 125 家, 3.2 亿元, 14.2 个百分点; the figure's
// text then keeps them, its unit does not.
//
// Bad input gives a figure or nothing, never an error: a number that does not
// fit a double, a run of a million 万, a digit run 100,000 long. Scanning takes
// time linear in the text. Texts are UTF-8, as Document::text always is: a
// broken sequence is read as whole as its lead byte claims (to keep the scan
// fast), so a figure right after one may be missed, never misread.
//
// A NumberGrammar is an immutable value, cheap to copy (it shares its compiled
// rules); call it from many threads at once.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lode/data_file.h"
#include "lode/status.h"

namespace lode {

// How exact a figure claims to be.
enum class Qualifier {
  kExact,
  kApprox,   // 约, 近, 左右, 余, 多
  kAtLeast,  // 以上, 超过, 不低于
  kAtMost,   // 以内, 以下, 不超过, 不足
};

// "" (exact), "approx", "at_least", "at_most".
std::string_view QualifierName(Qualifier q);

// The shape of a figure.
enum class FigureKind {
  kQuantity,          // a number with a unit or measure word: 2.9万人次, 385.3亿元
  kPercent,           // 9%, ９．１％, 百分之五
  kPercentagePoints,  // 12.3个百分点
  kFraction,          // 三分之二, 2/3: canonical in % (66.67)
  kOrdinal,           // 第二, 排名第4, 第二十九届: canonical in rank
};

// One unit of the rules: the text after a number and how to convert it.
struct Unit {
  std::string text;       // as written after the number (and its multiplier): "平方公里"
  std::string canonical;  // the canonical unit: "平方米"; a measure word is its own
  double factor = 1;      // canonical value = value × multiplier × factor
  std::string family;     // "area", "currency", "count" (measure words), … as the file says
};

// One figure found in a text. Offsets are byte offsets into the text scanned.
struct Figure {
  size_t begin = 0, end = 0;                // all of it, qualifier words included: "约2200米"
  size_t number_begin = 0, number_end = 0;  // the numeral(s), range included: "2200", "5%—5.5"
  FigureKind kind = FigureKind::kQuantity;
  double value = 0;                         // as written, before its multiplier: 2.9 in 2.9万人次
  double multiplier = 1;                    // 十 百 千 万 亿 between number and unit: 10000 in 2.9万人次
  std::optional<double> value_high;         // the top of a range, as written: 5.5 in 5%—5.5%
  std::string unit;                         // as written, multiplier included: "万人次", "%", "个百分点", "届"
  double canonical_value = 0;               // 29000
  std::optional<double> canonical_high;     // the top of a range in the canonical unit
  std::string canonical_unit;               // "人次", "元", "平方米", "%", "pp", "rank"
  std::string family;                       // the unit's family; "percent", "pp", "rank" for those kinds
  Qualifier qualifier = Qualifier::kExact;
  bool chinese_numerals = false;            // the number is written in Chinese numerals (两千, 二十九)
  int decimals = 0;                         // digits after the decimal point as written (55.7 → 1)
};

class NumberGrammar {
 public:
  // Words before or after a figure that make it inexact.
  struct QualifierWord {
    std::string word;          // "左右"
    bool before = false;       // true: written before the number (约); false: after it (以上)
    Qualifier qualifier = Qualifier::kApprox;
  };

  // Builds a grammar from units and qualifier words. Errors: an empty unit
  // text, a factor that is not positive and finite, a unit listed twice.
  static StatusOr<NumberGrammar> Create(std::vector<Unit> units, std::vector<QualifierWord> qualifiers);

  // From the root of a units file (the format of configs/zh/units.yaml: the
  // mappings `physical`, `qualifiers` and the list `measure_words`). Errors
  // carry the file:line:col of the entry at fault.
  static StatusOr<NumberGrammar> FromData(const DataNode& root);

  // LoadDataFile(path), then FromData.
  static StatusOr<NumberGrammar> Load(const std::string& path);

  // An empty grammar: finds nothing. Use Create, FromData or Load.
  NumberGrammar() = default;

  // The figure that `text` is, exactly and entirely ("2.9万人次", "约2200米"),
  // or nullopt.
  std::optional<Figure> Parse(std::string_view text) const;

  // Calls `on_figure` for every figure of `text`, left to right, without
  // overlaps. The Figure passed is valid only during the call.
  void Scan(std::string_view text, const std::function<void(const Figure&)>& on_figure) const;

  // Every figure of `text`, left to right.
  std::vector<Figure> FindAll(std::string_view text) const;

  // The same figures, found by running the grammar's RE2 pattern instead of
  // the scanner that Scan and FindAll use (the pattern compiled by hand, about
  // ten times faster). The pattern is the grammar's definition; tests check
  // that the two agree. Use FindAll.
  std::vector<Figure> FindAllWithPattern(std::string_view text) const;

  // The unit listed as `text` ("平方公里"), or nullptr.
  const Unit* FindUnit(std::string_view text) const;

 private:
  struct Rules;
  std::shared_ptr<const Rules> rules_;
};

// The value of a numeral alone: Arabic with separators and decimals in ASCII or
// full width ("916,564", "１３.９４"), Chinese ("二十九", "两千", "三点五",
// "二〇一九", "叁佰"), or mixed ("2.9万", "1,100万"); nullopt when `text` is
// not exactly one numeral or its value does not fit a double.
std::optional<double> ParseNumeral(std::string_view text);

// `value`, written with `decimals` digits after its point, times `scale`,
// rounded to the places the exact product has: 1.14 × 10000 is 11400, not the
// 11399.999999999998 that binary doubles give. With a scale of up to nine
// decimal places (10000, 0.001) the result is the exact decimal; with any
// other (2000/3, for 亩 in 平方米) it is the product to 15 significant digits.
//
//   ScaleDecimal(1.14, 2, 1e4);      // 11400
//   ScaleDecimal(2.55, 2, 2000.0/3); // 1700 (the plain product is 1699.9999999999998)
//   ScaleDecimal(125, 0, 2000.0/3);  // 83333.3333333333
double ScaleDecimal(double value, int decimals, double scale);

}  // namespace lode
