#include "report_fixture.h"

#include <cmath>
#include <cstdio>

namespace lode::html_fixture {

namespace {

Value S(const std::string& s) { return s.empty() ? Value() : Value(s); }
Value I(int64_t v) { return Value(v); }
Value R(double v) { return std::isnan(v) ? Value() : Value(v); }

// Small deterministic generator: the same seed gives the same report on any
// platform (std:: distributions are not specified bit for bit).
class Rng {
 public:
  explicit Rng(uint64_t seed) : s_(seed * 0x9E3779B97F4A7C15ull + 1) {}
  uint64_t Next() {
    s_ ^= s_ << 13;
    s_ ^= s_ >> 7;
    s_ ^= s_ << 17;
    return s_;
  }
  int Between(int lo, int hi) { return lo + static_cast<int>(Next() % static_cast<uint64_t>(hi - lo + 1)); }
  double Tenths(int lo, int hi) { return Between(lo * 10, hi * 10) / 10.0; }

 private:
  uint64_t s_;
};

std::string Num(double v) {
  char buf[64];
  if (v == std::trunc(v)) {
    std::snprintf(buf, sizeof buf, "%.0f", v);
  } else {
    std::snprintf(buf, sizeof buf, "%.1f", v);
  }
  return buf;
}

double Round1(double v) { return std::round(v * 10) / 10; }

const char* const kOwners[] = {"区发改局", "区财政局", "区商务局",     "区住房保障局", "区城管局",
                               "区教育局", "区卫健局", "区市场监管局", "区科技局",     "区生态环境分局"};
const char* const kSections[] = {"深化动力变革，推动经济发展增质增效", "加快城市更新，提升城区功能品质",
                                 "守住生态底线，推进绿色发展", "办好民生实事，增进群众福祉",
                                 "加强自身建设，提升治理能力"};
const char* const kPlaces[] = {"滨江", "南湖", "东湖", "白沙洲", "杨园", "首义", "积玉桥", "紫阳"};
const char* const kRanks[] = {"", "第一", "第二", "第三", "第四", "第五", "第六", "第七"};

std::string Owners(Rng& rng) {
  std::string o = kOwners[rng.Next() % 10];
  if (rng.Next() % 3 == 0) o += std::string("|") + kOwners[rng.Next() % 10];
  return o;
}

}  // namespace

OutputContext FullContext(const std::string& pipeline) {
  return OutputContext{pipeline,
                       {DocumentsTable(), RunsTable(), WarningsTable(), RepairsTable(), DuplicatesTable(),
                        DisagreementsTable(), ItemsTable(), MetricsTable(), ProgressTable(), AuditsTable()}};
}

void AddDocumentRow(Document& doc, int64_t bytes, int64_t chars) {
  doc.AddRow("documents",
             {S(doc.id), S(doc.source), S(doc.encoding.empty() ? "UTF-8" : doc.encoding), I(bytes), I(chars),
              S(std::string(DocumentStatusName(doc.status))), S(doc.duplicate_of), S(doc.reason), R(1.0)});
}

void AddItem(Document& doc, int64_t part, const std::string& part_title, int64_t section,
             const std::string& section_title, int64_t item, const std::string& title, const std::string& owners,
             const std::string& status, int64_t line) {
  doc.AddRow("items", {S(doc.id), I(part), S(part_title), section > 0 ? I(section) : Value(), S(section_title), I(item),
                       S(title), S(owners), S(status), I(line), I(line * 120), I(line * 120 + 300)});
}

void AddMetric(Document& doc, int64_t item, const std::string& field, const std::string& role,
               const std::string& subject, const std::string& predicate, const std::string& text, double value,
               const std::string& unit, double canonical, const std::string& canonical_unit,
               const std::string& qualifier, const std::string& period) {
  doc.AddRow("metrics", {S(doc.id), item > 0 ? I(item) : Value(), S(field), S(role), S(subject), S(predicate), S(text),
                         R(value), S(unit), R(canonical), Value(), S(canonical_unit), S(qualifier), S(period), Value(),
                         I(item * 500), I(item * 500 + 10)});
}

void AddProgress(Document& doc, int64_t item, const std::string& subject, const std::string& kind, double target,
                 double actual, const std::string& unit) {
  const bool rate = kind == "rate";
  doc.AddRow("progress", {S(doc.id), I(item), S(subject), S(kind), R(target), R(actual), S(unit),
                          rate || target == 0 ? Value() : R(Round1(actual / target * 100)),
                          rate ? R(Round1(actual - target)) : Value()});
}

void AddAudit(Document& doc, int64_t item, double stated, double part, double whole, const std::string& verdict,
              const std::string& text) {
  const bool computable = !std::isnan(part) && !std::isnan(whole) && whole != 0;
  doc.AddRow("audits", {S(doc.id), I(item), R(stated), R(part), R(whole),
                        computable ? R(std::round(part / whole * 100000) / 1000) : Value(), S(verdict), S(text),
                        I(item * 500), I(item * 500 + 60)});
}

void AddRepair(Document& doc, const std::string& kind, const std::string& from, const std::string& to,
               int64_t raw_begin) {
  doc.AddRow("repairs",
             {S(doc.id), S(kind), S(from), S(to), I(raw_begin), I(raw_begin + static_cast<int64_t>(from.size()))});
}

void AddDuplicate(Document& doc, const std::string& kind, const std::string& of, double similarity) {
  doc.AddRow("duplicates", {S(doc.id), S(kind), S(of), R(similarity), I(4000), I(8000)});
}

TableRow RunsRow(const std::string& pipeline, int64_t documents, int64_t kept, int64_t duplicates,
                 int64_t quarantined) {
  return TableRow{
      "runs", Row{{S("20240704T081500Z-4242"), S(pipeline), S(LODE_VERSION_STRING), S("2024-07-04T08:15:00Z"), R(3.25),
                   I(2), I(documents), I(kept), I(duplicates), I(quarantined), I(documents * 48000)}}};
}

Document HandWrittenReport(const std::string& id, uint64_t sequence) {
  Document doc;
  doc.id = id;
  doc.source = "pages/" + id;
  doc.sequence = sequence;
  doc.encoding = "GB18030";
  AddDocumentRow(doc, 13512, 4480);
  AddRepair(doc, "lookalike", "唍", "完", 310);
  AddRepair(doc, "lookalike", "偠", "要", 95);
  AddRepair(doc, "traditional", "預", "预", 140);
  AddRepair(doc, "keyword", "巡司河 水质 2019", "水质", 12);
  AddRepair(doc, "chrome", "我要回帖", "", 8800);
  AddDuplicate(doc, "repeat", id, 0.99);

  const std::string p1 = "经济社会发展主要预期目标", p2 = "五个方面重点工作";
  AddItem(doc, 1, p1, 0, "", 1, "地区生产总值增长7.5%左右，固定资产投资增长12%", "区发改局|区统计局",
          "上半年地区生产总值同比增长8.2%，排名中心城区第二；固定资产投资增长10.4%。", 5);
  AddItem(doc, 1, p1, 0, "", 2, "地方一般公共预算收入增长6%", "区财政局",
          "上半年完成地方一般公共预算收入812,430万元，为年初预算的58.3%，超预算进度8.3个百分点。", 9);
  AddItem(doc, 2, p2, 1, kSections[0], 3, "新建停车泊位2000个", "区城管局|区住房保障局",
          "已建成停车泊位1300个，完成年度目标任务的60.4%。", 15);
  AddItem(doc, 2, p2, 2, kSections[1], 4, "完成老旧小区改造16个，惠及居民5200户", "区住房保障局",
          "已开工改造16个小区，其中8个已完工，惠及居民5200户，完成率为100%。", 21);

  AddMetric(doc, 1, "target", "target", "地区生产总值", "增长", "7.5%", 7.5, "%", 7.5, "%", "approx");
  AddMetric(doc, 1, "target", "target", "固定资产投资", "增长", "12%", 12, "%", 12, "%");
  AddMetric(doc, 1, "status", "actual", "地区生产总值", "增长", "8.2%", 8.2, "%", 8.2, "%", "", "上半年");
  AddMetric(doc, 1, "status", "rank", "地区生产总值", "排名", "第二", 2, "", 2, "rank");
  AddMetric(doc, 1, "status", "actual", "固定资产投资", "增长", "10.4%", 10.4, "%", 10.4, "%");
  AddMetric(doc, 2, "target", "target", "地方一般公共预算收入", "增长", "6%", 6, "%", 6, "%");
  AddMetric(doc, 2, "status", "actual", "地方一般公共预算收入", "完成", "812,430万元", 812430, "万元", 8124300000, "元",
            "", "上半年");
  AddMetric(doc, 2, "status", "rate", "地方一般公共预算收入", "为", "58.3%", 58.3, "%", 58.3, "%");
  AddMetric(doc, 2, "status", "other", "预算进度", "超", "8.3个百分点", 8.3, "个百分点", 8.3, "pp");
  AddMetric(doc, 3, "target", "target", "停车泊位", "新建", "2000个", 2000, "个", 2000, "个");
  AddMetric(doc, 3, "status", "actual", "停车泊位", "建成", "1300个", 1300, "个", 1300, "个");
  AddMetric(doc, 3, "status", "rate", "年度目标任务", "完成", "60.4%", 60.4, "%", 60.4, "%");
  AddMetric(doc, 4, "target", "target", "老旧小区改造", "完成", "16个", 16, "个", 16, "个");
  AddMetric(doc, 4, "target", "target", "居民", "惠及", "5200户", 5200, "户", 5200, "户");
  AddMetric(doc, 4, "status", "actual", "老旧小区改造", "开工", "16个", 16, "个", 16, "个");
  AddMetric(doc, 4, "status", "actual", "老旧小区改造", "完工", "8个", 8, "个", 8, "个");
  AddMetric(doc, 4, "status", "actual", "居民", "惠及", "5200户", 5200, "户", 5200, "户");
  AddMetric(doc, 4, "status", "rate", "老旧小区改造", "完成", "100%", 100, "%", 100, "%");

  AddProgress(doc, 1, "地区生产总值", "rate", 7.5, 8.2, "%");
  AddProgress(doc, 1, "固定资产投资", "rate", 12, 10.4, "%");
  AddProgress(doc, 3, "停车泊位", "count", 2000, 1300, "个");
  AddProgress(doc, 4, "老旧小区改造", "count", 16, 16, "个");
  AddProgress(doc, 4, "居民", "count", 5200, 5200, "户");

  AddAudit(doc, 2, 58.3, 8124300000, NAN, "unverifiable",
           "上半年完成地方一般公共预算收入812,430万元，为年初预算的58.3%");
  AddAudit(doc, 3, 60.4, 1300, 2000, "mismatch", "已建成停车泊位1300个，完成年度目标任务的60.4%。");
  AddAudit(doc, 4, 100, 5200, 5200, "ok", "惠及居民5200户，完成率为100%。");
  return doc;
}

Document GeneratedReport(const std::string& id, uint64_t sequence, int items, uint64_t seed) {
  Rng rng(seed);
  Document doc;
  doc.id = id;
  doc.source = "corpus/" + id;
  doc.sequence = sequence;
  doc.encoding = "UTF-8";
  AddDocumentRow(doc, 30000 + items * 400, 10000 + items * 130);
  const std::string p1 = "经济社会发展主要预期目标", p2 = "五个方面重点工作";

  for (int n = 1; n <= items; ++n) {
    const bool target_part = n <= 3;
    const int64_t part = target_part ? 1 : 2;
    const int64_t section = target_part ? 0 : 1 + (n - 4) * 5 / std::max(1, items - 3);
    const std::string part_title = target_part ? p1 : p2;
    const std::string section_title = target_part ? "" : kSections[section - 1];
    const std::string place = kPlaces[rng.Next() % 8];
    const int64_t line = 4 + 4 * n;
    std::string title, status;
    switch (target_part ? 0 : rng.Between(1, 10)) {
      case 0: {  // a growth target and the growth reached
        const double a = rng.Tenths(5, 9), b = rng.Tenths(4, 11);
        const int rank = rng.Between(1, 7);
        const std::string subject = n == 1 ? "地区生产总值" : n == 2 ? "社会消费品零售总额" : "固定资产投资";
        title = subject + "增长" + Num(a) + "%左右";
        status = "上半年" + subject + "同比增长" + Num(b) + "%，排名中心城区" + kRanks[rank] + "。";
        AddMetric(doc, n, "target", "target", subject, "增长", Num(a) + "%", a, "%", a, "%", "approx");
        AddMetric(doc, n, "status", "actual", subject, "增长", Num(b) + "%", b, "%", b, "%", "", "上半年");
        AddMetric(doc, n, "status", "rank", subject, "排名", kRanks[rank], rank, "", rank, "rank");
        AddProgress(doc, n, subject, "rate", a, b, "%");
        break;
      }
      case 1: {  // a count, its result and a stated completion rate
        const int target = rng.Between(2, 60) * 50, done = rng.Between(target / 4, target);
        double stated = Round1(done * 100.0 / target);
        const bool wrong = rng.Next() % 12 == 0;
        if (wrong) stated = Round1(stated - rng.Between(3, 9));
        title = "新建" + place + "片区停车泊位" + std::to_string(target) + "个，缓解停车难";
        status = "已建成停车泊位" + std::to_string(done) + "个，完成年度目标任务的" + Num(stated) + "%。";
        AddMetric(doc, n, "target", "target", "停车泊位", "新建", std::to_string(target) + "个", target, "个", target,
                  "个");
        AddMetric(doc, n, "status", "actual", "停车泊位", "建成", std::to_string(done) + "个", done, "个", done, "个");
        AddMetric(doc, n, "status", "rate", "年度目标任务", "完成", Num(stated) + "%", stated, "%", stated, "%");
        AddProgress(doc, n, "停车泊位", "count", target, done, "个");
        AddAudit(doc, n, stated, done, target, wrong ? "mismatch" : "ok",
                 "已建成停车泊位" + std::to_string(done) + "个，完成年度目标任务的" + Num(stated) + "%");
        break;
      }
      case 2: {  // money against a budget that the page does not print
        const int wan = rng.Between(20000, 900000);
        const double pct = rng.Tenths(30, 80);
        title = "加大" + place + "重点项目投资力度，全年完成投资增长8%以上";
        status = "上半年完成投资" + std::to_string(wan) + "万元，占年初预算的" + Num(pct) + "%。";
        AddMetric(doc, n, "target", "target", "投资", "增长", "8%", 8, "%", 8, "%", "at_least");
        AddMetric(doc, n, "status", "actual", "投资", "完成", std::to_string(wan) + "万元", wan, "万元", wan * 1e4,
                  "元", "", "上半年");
        AddMetric(doc, n, "status", "rate", "年初预算", "占", Num(pct) + "%", pct, "%", pct, "%");
        AddAudit(doc, n, pct, wan * 1e4, NAN, "unverifiable", "占年初预算的" + Num(pct) + "%");
        break;
      }
      case 3: {  // projects started and finished
        const int planned = rng.Between(5, 40), started = rng.Between(1, planned);
        title = "实施项目提速计划，力促" + place + "片等" + std::to_string(planned) + "个项目新开工";
        status = place + "片、生物所片等" + std::to_string(started) + "个项目已开工建设，其余项目正在办理前期手续。";
        AddMetric(doc, n, "target", "target", "项目", "新开工", std::to_string(planned) + "个", planned, "个", planned,
                  "个");
        AddMetric(doc, n, "status", "actual", "项目", "开工", std::to_string(started) + "个", started, "个", started,
                  "个");
        AddProgress(doc, n, "项目新开工", "count", planned, started, "个");
        break;
      }
      default: {  // work described without figures
        title = "深化“放管服”改革，推进" + place + "街道政务服务“一网通办”，持续优化营商环境";
        status = "梳理公布政务服务事项清单，推行“一窗受理、集成服务”，群众办事满意度持续提升。";
        break;
      }
    }
    AddItem(doc, part, part_title, section, section_title, n, title, Owners(rng), status, line);
  }
  for (int r = 0; r < 24; ++r) {
    static const char* const kFrom[] = {"唍", "偠", "罙", "夶", "荇", "垺", "預", "實"};
    static const char* const kTo[] = {"完", "要", "深", "大", "行", "服", "预", "实"};
    const int k = rng.Between(0, 7);
    AddRepair(doc, k >= 6 ? "traditional" : "lookalike", kFrom[k], kTo[k], 200 + r * 311);
  }
  AddRepair(doc, "chrome", "我要回帖", "", 40000);
  return doc;
}

}  // namespace lode::html_fixture
