// export.html through the harness: what the page says about items, figures,
// pairs, audits, duplicates, repairs and quarantined documents; escaping of
// hostile text; tables that are absent; atomic replacement and failures.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>

#include <cmath>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "html_text.h"
#include "lode/lode.h"
#include "lode/testing.h"
#include "report_fixture.h"
#include "test_support.h"

LODE_DECLARE_STATIC_PLUGIN(export_html);

namespace lode {
namespace {

namespace fs = std::filesystem;
using namespace lode::html_fixture;
using lode::testing::ReadFile;
using lode::testing::TempDir;

std::unique_ptr<StageHarness> Make(const std::string& params) {
  auto h = StageHarness::Create(lode_plugin_export_html(), "export.html", params);
  EXPECT_TRUE(h.ok()) << h.status().ToString();
  return h.ok() ? std::move(*h) : nullptr;
}

// Runs the sink over `docs` and returns the page.
std::string Render(const TempDir& dir, const OutputContext& context, const std::vector<Document>& docs,
                   const std::vector<TableRow>& final_rows, const std::string& extra_params = "") {
  const std::string path = dir.path() + "/report.html";
  auto h = Make("path: " + path + "\n" + extra_params);
  if (h == nullptr) return "";
  Status s = h->sink()->Open(context);
  EXPECT_TRUE(s.ok()) << s.ToString();
  for (const Document& d : docs) {
    s = h->sink()->Write(d);
    EXPECT_TRUE(s.ok()) << s.ToString();
  }
  s = h->sink()->Close(final_rows);
  EXPECT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(h->sink()->Written(), std::vector<std::string>{path});
  return ReadFile(path);
}

size_t Occurrences(const std::string& hay, const std::string& needle) {
  size_t n = 0;
  for (size_t at = hay.find(needle); at != std::string::npos; at = hay.find(needle, at + 1)) ++n;
  return n;
}

// The <mark …>…</mark> elements whose content is `text`, each whole.
std::vector<std::string> MarksOf(const std::string& page, const std::string& text) {
  std::vector<std::string> out;
  const std::string close = ">" + text + "</mark>";
  for (size_t at = page.find(close); at != std::string::npos; at = page.find(close, at + 1)) {
    const size_t open = page.rfind("<mark", at);
    out.push_back(page.substr(open, at + close.size() - open));
  }
  return out;
}

// The <article> of item `anchor` ("d0-2"), whole.
std::string Article(const std::string& page, const std::string& anchor) {
  const size_t id = page.find("id=\"" + anchor + "\"");
  if (id == std::string::npos) return "";
  const size_t begin = page.rfind("<article", id);
  const size_t end = page.find("</article>", id);
  return page.substr(begin, end + 10 - begin);
}

TEST(ExportHtml, ShowsItemsWithTheirFiguresMarkedInTheText) {
  TempDir dir;
  const std::string page =
      Render(dir, FullContext(), {HandWrittenReport("r1", 0)}, {RunsRow("work-report", 1, 1, 0, 0)});

  // The outline: part and section headings as the report numbers them.
  EXPECT_NE(page.find("<h3 class=\"part\">一、经济社会发展主要预期目标</h3>"), std::string::npos);
  EXPECT_NE(page.find("<h3 class=\"part\">二、五个方面重点工作</h3>"), std::string::npos);
  EXPECT_NE(page.find("<h4 class=\"section\">（一）深化动力变革，推动经济发展增质增效</h4>"), std::string::npos);
  EXPECT_NE(page.find("<h4 class=\"section\">（二）加快城市更新，提升城区功能品质</h4>"), std::string::npos);
  EXPECT_EQ(Occurrences(page, "<h3 class=\"part\">"), 2u);

  // Item 3: number, owners, and each figure marked where it stands.
  const std::string item3 = Article(page, "d0-2");
  EXPECT_NE(item3.find("<div class=\"num\">3.</div>"), std::string::npos);
  EXPECT_NE(item3.find("<span class=\"owner\">区城管局</span>、<span class=\"owner\">区住房保障局</span>"),
            std::string::npos);
  EXPECT_NE(item3.find("新建停车泊位<mark class=\"r-target\""), std::string::npos) << item3;
  EXPECT_NE(item3.find("已建成停车泊位<mark class=\"r-actual\""), std::string::npos);
  EXPECT_NE(item3.find(">1300个</mark>，完成年度目标任务的<mark class=\"r-rate\""), std::string::npos);

  // The title attribute gives the canonical value and unit.
  const auto money = MarksOf(page, "812,430万元");
  ASSERT_EQ(money.size(), 1u);
  EXPECT_NE(money[0].find("class=\"r-actual\""), std::string::npos);
  EXPECT_NE(money[0].find("title=\"result: 地方一般公共预算收入 完成\n= 8,124,300,000 元\nperiod: 上半年\""),
            std::string::npos)
      << money[0];
  const auto approx = MarksOf(page, "7.5%");
  ASSERT_EQ(approx.size(), 1u);
  EXPECT_NE(approx[0].find("= 7.5%\nqualifier: approx"), std::string::npos) << approx[0];
  const auto pp = MarksOf(page, "8.3个百分点");
  ASSERT_EQ(pp.size(), 1u);
  EXPECT_NE(pp[0].find("= 8.3 pp"), std::string::npos);
  const auto rank = MarksOf(page, "第二");
  ASSERT_EQ(rank.size(), 1u);
  EXPECT_NE(rank[0].find("class=\"r-rank\""), std::string::npos);
  EXPECT_NE(rank[0].find("= rank 2"), std::string::npos);

  // "16个" is a figure of the title and of the status: marked in both.
  EXPECT_EQ(MarksOf(page, "16个").size(), 2u);
  EXPECT_EQ(MarksOf(page, "5200户").size(), 2u);
  // Every one of the 18 figures found its place.
  EXPECT_EQ(Occurrences(page, "<mark class=\"r-"), 18u + 5u);  // + the legend's five samples
  EXPECT_EQ(page.find("Other figures of this item"), std::string::npos);
  EXPECT_NE(page.find("18 of 18 figures were found in their item's text"), std::string::npos);
}

TEST(ExportHtml, ShowsProgressForEveryPairWithBothNumbers) {
  TempDir dir;
  const std::string page = Render(dir, FullContext(), {HandWrittenReport("r1", 0)}, {});
  // A count: share of the target, both numbers, a bar as wide as the share.
  const std::string item3 = Article(page, "d0-2");
  EXPECT_NE(item3.find("<i class=\"\" style=\"left:0;width:65.0%\"></i>"), std::string::npos) << item3;
  EXPECT_NE(item3.find("<strong>65%</strong> of target · 1300 个 of 2000 个"), std::string::npos) << item3;
  // A count reached: the bar is full and marked as reached.
  const std::string item4 = Article(page, "d0-3");
  EXPECT_NE(item4.find("<i class=\"over\" style=\"left:0;width:100.0%\"></i>"), std::string::npos);
  EXPECT_NE(item4.find("<strong>100%</strong> of target · 16 个 of 16 个"), std::string::npos);
  // Rates: result against target, and the gap in percentage points.
  const std::string item1 = Article(page, "d0-0");
  EXPECT_NE(item1.find("result <strong>8.2%</strong> vs target 7.5% · <span class=\"gap-pos\">+0.7 pp</span>"),
            std::string::npos)
      << item1;
  EXPECT_NE(item1.find("result <strong>10.4%</strong> vs target 12% · <span class=\"gap-neg\">-1.6 pp</span>"),
            std::string::npos);
  EXPECT_EQ(Occurrences(page, "<div class=\"prog\">"), 5u);
}

TEST(ExportHtml, FlagsAuditMismatchesInRedWithBothNumbers) {
  TempDir dir;
  const std::string page = Render(dir, FullContext(), {HandWrittenReport("r1", 0)}, {});
  const std::string item3 = Article(page, "d0-2");
  EXPECT_EQ(item3.rfind("<article class=\"item bad\"", 0), 0u) << item3;
  EXPECT_NE(item3.find("<div class=\"audit mismatch\">✗ Stated <span class=\"nums\">60.4%</span>, but its own "
                       "figures give <span class=\"nums\">65%</span> (1300 ÷ 2000)"),
            std::string::npos)
      << item3;
  // The ok and the uncheckable ones are there too, quietly.
  EXPECT_NE(Article(page, "d0-3").find("<p class=\"audit ok\">✓ Stated <span class=\"nums\">100%</span> checks out"),
            std::string::npos);
  EXPECT_NE(Article(page, "d0-1").find("<p class=\"audit unverifiable\">? Stated <span class=\"nums\">58.3%</span>"),
            std::string::npos);
  EXPECT_EQ(Article(page, "d0-0").rfind("<article class=\"item\"", 0), 0u);
  // The document's heading line and the summary count it, and the summary links to it.
  EXPECT_NE(page.find("<details class=\"doc has-bad\" id=\"d0\" open>"), std::string::npos);
  EXPECT_NE(page.find("<span class=\"bad\">1 audit mismatch</span>"), std::string::npos);
  EXPECT_NE(page.find("<div class=\"card alert\"><b>1</b><span>audit mismatches</span></div>"), std::string::npos);
  EXPECT_NE(page.find("<h2>Audit mismatches: 1</h2>"), std::string::npos);
  EXPECT_NE(page.find("<tr><td class=\"t\"><a href=\"#d0-2\">r1</a></td><td class=\"n\">3</td><td class=\"n\">60.4%"
                      "</td><td class=\"n\">65%</td>"),
            std::string::npos);
}

TEST(ExportHtml, SummarisesTheRunDuplicatesRepairsAndQuarantinedDocuments) {
  TempDir dir;
  Document kept = HandWrittenReport("reports/a.html", 0);
  Document copy;
  copy.id = "mirror/a.html";
  copy.sequence = 1;
  AddDuplicate(copy, "near", "reports/a.html", 0.93);
  copy.MarkDuplicate("reports/a.html", "near copy of reports/a.html (estimated similarity 0.93)");
  AddDocumentRow(copy);
  Document bad;
  bad.id = "broken/<b>x</b>.html";
  bad.source = "broken/<b>x</b>.html";
  bad.sequence = 2;
  bad.Quarantine("read.files: byte 17: not valid GB18030 & not <UTF-8>");
  AddDocumentRow(bad);

  const std::string page = Render(dir, FullContext(), {kept, copy, bad}, {RunsRow("work-report", 3, 1, 1, 1)});
  EXPECT_NE(page.find("Pipeline <b>work-report</b> · lode <b>" LODE_VERSION_STRING
                      "</b> · started 2024-07-04T08:15:00Z · 3.25 s · 2 threads · 0.14 MB read"),
            std::string::npos);
  EXPECT_NE(page.find("<div class=\"card\"><b>3</b><span>documents</span></div>"
                      "<div class=\"card\"><b>1</b><span>kept</span></div>"
                      "<div class=\"card\"><b>1</b><span>duplicates dropped</span></div>"
                      "<div class=\"card alert\"><b>1</b><span>quarantined</span></div>"),
            std::string::npos);
  // Duplicates: the kinds, and the list with the dropped copy and the pasted repeat.
  EXPECT_NE(page.find("<li><b>1</b> near <span class=\"note\">(near copy)</span></li>"), std::string::npos);
  EXPECT_NE(page.find("<li><b>1</b> repeat <span class=\"note\">(pasted twice in one page)</span></li>"),
            std::string::npos);
  EXPECT_NE(page.find("<tr><td class=\"t\">mirror/a.html</td><td>near</td><td class=\"t\">reports/a.html</td>"
                      "<td class=\"n\">0.93</td><td class=\"t\">near copy of reports/a.html (estimated similarity "
                      "0.93)</td></tr>"),
            std::string::npos);
  EXPECT_NE(page.find("<tr><td class=\"t\"><a href=\"#d0\">reports/a.html</a></td><td>repeat</td>"), std::string::npos);
  // Repairs by kind, with the most frequent pairs.
  EXPECT_NE(page.find("<h2>Repairs: 5</h2>"), std::string::npos);
  EXPECT_NE(page.find("<li><b>2</b> lookalike <span class=\"note\">(look-alike characters)</span></li>"),
            std::string::npos);
  EXPECT_NE(page.find("<tr><td>keyword</td><td class=\"t\">巡司河 水质 2019</td><td class=\"t\">水质</td>"
                      "<td class=\"n\">1</td></tr>"),
            std::string::npos);
  // The kept document lists its own repairs and says a pasted copy was removed.
  EXPECT_NE(page.find("<summary>5 repairs: chrome 1 · keyword 1 · lookalike 2 · traditional 1</summary>"),
            std::string::npos);
  EXPECT_NE(page.find("A copy of the report pasted again in this page was removed · similarity 0.99"),
            std::string::npos);
  // Quarantined, with the reason, escaped.
  EXPECT_NE(page.find("<tr><td class=\"t\">broken/&lt;b&gt;x&lt;/b&gt;.html</td><td class=\"t\">broken/&lt;b&gt;x"
                      "&lt;/b&gt;.html</td><td class=\"t\">read.files: byte 17: not valid GB18030 &amp; not "
                      "&lt;UTF-8&gt;</td></tr>"),
            std::string::npos);
  // Only the kept document has a section.
  EXPECT_EQ(Occurrences(page, "<details class=\"doc"), 1u);
  // The summary comes last in the file and is shown first.
  EXPECT_LT(page.find("<main id=\"documents\""), page.find("<section id=\"summary\">"));
  EXPECT_NE(page.find("#summary{order:-1}"), std::string::npos);
}

TEST(ExportHtml, EscapesHostileText) {
  TempDir dir;
  Document doc;
  doc.id = "x\"><script>alert(1)</script>";
  doc.source = "pages/'quote'.html";
  const std::string script = "<script>alert(\"x\")</script>";
  const std::string formula = "=cmd|' /C calc'!A0";
  const std::string nul(1, '\0');
  const std::string title = script + " & " + formula + nul + "\x01" + "新建<b>2000个</b>";
  const std::string status = "第一段\n第二段 \xED\xA0\x80 \xFF end";  // a lone surrogate and a stray byte
  AddItem(doc, 1, "<i>part</i>", 1, "\"section\"", 7, title, "<img src=x onerror=alert(1)>|区'局", status, 3);
  AddMetric(doc, 7, "target", "target", "\"><script>alert(2)</script>", "'", "2000个", 2000, "个", 2000, "<个>");
  AddProgress(doc, 7, "<svg onload=alert(3)>", "count", 2000, 100, "\"个");
  AddAudit(doc, 7, 5, 100, 2000, "mismatch", "<script>alert(4)</script>");
  AddRepair(doc, "<kind>", "<from>", "'to'", 1);
  doc.AddRow("warnings",
             {Value(doc.id), Value(std::string("<stage>")), Value(std::string("<msg> & \"q\"")), Value(), Value()});
  const std::string page = Render(dir, FullContext("<pipe>"), {doc}, {}, "title: \"<T> & 'x'\"");

  // Only the page's own script; no markup from the data survives as markup.
  EXPECT_EQ(Occurrences(page, "<script"), 1u);
  EXPECT_EQ(Occurrences(page, "<img"), 0u);
  EXPECT_EQ(Occurrences(page, "<svg"), 0u);
  EXPECT_EQ(Occurrences(page, "<b>2000"), 0u);
  EXPECT_EQ(Occurrences(page, "<i>part"), 0u);
  EXPECT_NE(
      page.find("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; =cmd|&#39; /C calc&#39;!A0␀␁新建&lt;b&gt;"
                "<mark class=\"r-target\" title=\"target: &quot;&gt;&lt;script&gt;alert(2)&lt;/script&gt; "
                "&#39;\n= 2000 &lt;个&gt;\">2000个</mark>&lt;/b&gt;"),
      std::string::npos);
  EXPECT_NE(page.find("第一段\n第二段 \xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD \xEF\xBF\xBD end"), std::string::npos);
  EXPECT_NE(page.find("<span class=\"owner\">&lt;img src=x onerror=alert(1)&gt;</span>、<span class=\"owner\">区&#39;局"
                      "</span>"),
            std::string::npos);
  EXPECT_NE(page.find("<title>&lt;T&gt; &amp; &#39;x&#39;</title>"), std::string::npos);
  EXPECT_NE(page.find("<span class=\"docid\">x&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;</span>"),
            std::string::npos);
  EXPECT_NE(page.find("&lt;script&gt;alert(4)&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(page.find("⚠ &lt;stage&gt;: &lt;msg&gt; &amp; &quot;q&quot;"), std::string::npos);
  // The page is valid UTF-8 and holds no control character but tab and line breaks.
  EXPECT_FALSE(FindInvalidUtf8(page).has_value());
  size_t controls = 0;
  for (char c : page) controls += static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t';
  EXPECT_EQ(controls, 0u);
  // The script that does run is the page's own, by nonce.
  const size_t csp = page.find("script-src 'nonce-");
  ASSERT_NE(csp, std::string::npos);
  const std::string nonce = page.substr(csp + 18, 32);
  EXPECT_NE(page.find("<script nonce=\"" + nonce + "\">"), std::string::npos);
}

TEST(ExportHtml, TablesThePipelineDoesNotWriteAreLeftOut) {
  TempDir dir;
  Document doc;
  doc.id = "plain.txt";
  doc.source = "plain.txt";
  AddDocumentRow(doc);
  const std::string page = Render(dir, OutputContext{"passthrough", {DocumentsTable(), RunsTable()}}, {doc},
                                  {RunsRow("passthrough", 1, 1, 0, 0)});
  EXPECT_NE(page.find("<span class=\"docid\">plain.txt</span>"), std::string::npos);
  for (const char* absent : {"items</span>", "figures</span>", "paired targets", "audit mismatches", "id=\"repairs\"",
                             "id=\"duplicates\"", "id=\"mismatches\"", "only-bad\"", "class=\"legend\""})
    EXPECT_EQ(page.find(absent), std::string::npos) << absent;
  EXPECT_NE(page.find("<h2>Quarantined: 0</h2>"), std::string::npos);

  // Items without metrics, progress or audits: the items, and nothing marked.
  TempDir dir2;
  Document doc2 = HandWrittenReport("r", 0);
  std::erase_if(doc2.rows, [](const TableRow& r) { return r.table != "items" && r.table != "documents"; });
  const std::string page2 =
      Render(dir2, OutputContext{"outline", {DocumentsTable(), RunsTable(), ItemsTable()}}, {doc2}, {});
  EXPECT_NE(page2.find("新建停车泊位2000个"), std::string::npos);
  EXPECT_EQ(page2.find("<mark"), std::string::npos);
  EXPECT_EQ(page2.find("class=\"prog\""), std::string::npos);
  EXPECT_NE(page2.find("<b>4</b><span>items</span>"), std::string::npos);
}

TEST(ExportHtml, ACustomTableIsShownAsAPlainTable) {
  TempDir dir;
  const TableSchema budget{"budget_lines",
                           "Budget lines.",
                           {{"doc_id", ColumnType::kText, "The document."},
                            {"project", ColumnType::kText, "The project."},
                            {"amount", ColumnType::kReal, "Amount in 元."},
                            {"approved", ColumnType::kBoolean, "Approved."}}};
  OutputContext ctx = FullContext();
  ctx.tables.push_back(budget);
  Document doc = HandWrittenReport("r", 0);
  doc.AddRow("budget_lines", {Value(doc.id), Value(std::string("<道路>")), Value(1.5e8), Value(true)});
  const std::string page = Render(dir, ctx, {doc}, {});
  EXPECT_NE(page.find("<summary>budget_lines: 1 row</summary>"), std::string::npos);
  EXPECT_NE(page.find("<th title=\"The project.\">project</th><th title=\"Amount in 元.\">amount</th>"),
            std::string::npos);
  EXPECT_NE(page.find("<tr><td class=\"t\">&lt;道路&gt;</td><td class=\"n\">150,000,000</td><td>true</td></tr>"),
            std::string::npos);
}

TEST(ExportHtml, FiguresAreMarkedInOrderAndUnplacedOnesAreListed) {
  TempDir dir;
  Document doc;
  doc.id = "r";
  AddItem(doc, 2, "重点工作", 0, "", 5, "推动16个项目开工、16个项目完工", "区发改局", "完成情况待报", 9);
  AddMetric(doc, 5, "target", "target", "项目", "开工", "16个", 16, "个", 16, "个");
  AddMetric(doc, 5, "target", "target", "项目", "完工", "16个", 16, "个", 16, "个");
  AddMetric(doc, 5, "status", "actual", "项目", "完成", "9个", 9, "个", 9, "个");  // not in the status text
  AddMetric(doc, 0, "", "other", "", "", "2019年", 2019, "年", 2019, "年");        // outside every item
  const std::string page = Render(dir, FullContext(), {doc}, {});
  const std::string item = Article(page, "d0-0");
  EXPECT_NE(item.find("推动<mark class=\"r-target\" title=\"target: 项目 开工\n= 16 个\">16个</mark>项目开工、"
                      "<mark class=\"r-target\" title=\"target: 项目 完工\n= 16 个\">16个</mark>项目完工"),
            std::string::npos)
      << item;
  EXPECT_NE(item.find("<p class=\"extra\">Other figures of this item: <mark class=\"r-actual\""), std::string::npos);
  const std::string outside = Article(page, "d0-x");
  EXPECT_NE(outside.find("Outside the numbered items"), std::string::npos);
  EXPECT_NE(outside.find(">2019年</mark>"), std::string::npos);
}

TEST(ExportHtml, ARepeatedItemNumberGetsTheFiguresItsTextHolds) {
  // Numbered per part: two items 1. A figure goes to the one whose text holds it;
  // pairs and audits, which carry no text, to the first.
  TempDir dir;
  Document doc;
  doc.id = "r";
  AddItem(doc, 1, "主要目标", 0, "", 1, "城镇新增就业8000人", "区人社局", "已新增就业5100人", 4);
  AddItem(doc, 2, "重点工作", 0, "", 1, "新建口袋公园12个", "区园林局", "已建成7个", 9);
  AddMetric(doc, 1, "target", "target", "口袋公园", "新建", "12个", 12, "个", 12, "个");
  AddMetric(doc, 1, "status", "actual", "口袋公园", "建成", "7个", 7, "个", 7, "个");
  AddMetric(doc, 1, "target", "target", "新增就业", "新增", "8000人", 8000, "人", 8000, "人");
  AddProgress(doc, 1, "新增就业", "count", 8000, 5100, "人");
  const std::string page = Render(dir, FullContext(), {doc}, {});
  const std::string first = Article(page, "d0-0"), second = Article(page, "d0-1");
  EXPECT_NE(first.find(">8000人</mark>"), std::string::npos) << first;
  EXPECT_NE(first.find("class=\"prog\""), std::string::npos);
  EXPECT_NE(second.find("新建口袋公园<mark class=\"r-target\""), std::string::npos) << second;
  EXPECT_NE(second.find("已建成<mark class=\"r-actual\""), std::string::npos);
  EXPECT_EQ(second.find("class=\"prog\""), std::string::npos);
}

TEST(ExportHtml, LongTextIsCutAtACharacterBoundaryUnlessAsked) {
  std::string huge;
  while (huge.size() < (1u << 20)) huge += "完成情况良好，";
  Document doc;
  doc.id = "big";
  AddItem(doc, 1, "目标", 0, "", 1, "新建停车泊位2000个", "区城管局", huge, 4);
  {
    TempDir dir;
    const std::string page = Render(dir, FullContext(), {doc}, {});
    EXPECT_LT(page.size(), 120u * 1024);
    EXPECT_NE(page.find(" more bytes not shown</span>"), std::string::npos);
    EXPECT_FALSE(FindInvalidUtf8(page).has_value());
  }
  {
    TempDir dir;
    const std::string page = Render(dir, FullContext(), {doc}, {}, "max_text: 0");
    EXPECT_NE(page.find(huge), std::string::npos);
    EXPECT_EQ(page.find("not shown"), std::string::npos);
  }
}

TEST(ExportHtml, OnlyTheFirstDocumentsOpenExpanded) {
  TempDir dir;
  const std::string page =
      Render(dir, FullContext(), {HandWrittenReport("a", 0), HandWrittenReport("b", 1), HandWrittenReport("c", 2)}, {},
             "expanded: 2");
  EXPECT_NE(page.find("id=\"d0\" open>"), std::string::npos);
  EXPECT_NE(page.find("id=\"d1\" open>"), std::string::npos);
  EXPECT_NE(page.find("id=\"d2\">"), std::string::npos);
}

// Past max_documents a kept document keeps its heading line, its source and
// its audit mismatches (the summary links to them); its items are left out,
// but the summary still counts everything.
TEST(ExportHtml, DocumentsPastMaxDocumentsShowCountsAndMismatchesOnly) {
  TempDir dir;
  const std::vector<Document> docs = {HandWrittenReport("a", 0), HandWrittenReport("b", 1), HandWrittenReport("c", 2)};
  const std::string page = Render(dir, FullContext(), docs, {}, "max_documents: 2");
  EXPECT_NE(Article(page, "d1-2"), "");
  EXPECT_EQ(Article(page, "d2-2"), "");
  EXPECT_EQ(Occurrences(page, "<div class=\"num\">3.</div>"), 2u);
  EXPECT_EQ(Occurrences(page, "Counts only: the report shows the items of the first 2 kept documents"), 1u);
  const size_t c = page.find("id=\"d2\"");
  ASSERT_NE(c, std::string::npos);
  const std::string brief = page.substr(c, page.find("</details>", c) - c);
  EXPECT_NE(brief.find("<span class=\"bad\">1 audit mismatch</span>"), std::string::npos) << brief;
  EXPECT_NE(brief.find("<div class=\"audit mismatch\">✗ Stated <span class=\"nums\">60.4%</span>"),
            std::string::npos)
      << brief;
  EXPECT_EQ(brief.find("audit ok"), std::string::npos);
  EXPECT_NE(page.find("<a href=\"#d2\">c</a></td><td class=\"n\">3</td><td class=\"n\">60.4%"), std::string::npos);
  // The summary: every document's rows counted, the figures placed out of those shown, and why.
  EXPECT_NE(page.find("<div class=\"card alert\"><b>3</b><span>audit mismatches</span></div>"), std::string::npos);
  EXPECT_NE(page.find("<b>54</b><span>figures</span>"), std::string::npos);
  EXPECT_NE(page.find("36 of 36 figures were found in their item's text"), std::string::npos);
  EXPECT_NE(page.find("Items and figures are shown for the first 2 of the 3 kept documents (max_documents)"),
            std::string::npos);
  EXPECT_NE(page.find("3 stated percentages check out"), std::string::npos);

  // 0: every document in full, and no note.
  TempDir all;
  const std::string full = Render(all, FullContext(), docs, {}, "max_documents: 0");
  EXPECT_NE(Article(full, "d2-2"), "");
  EXPECT_EQ(full.find("Counts only"), std::string::npos);
  EXPECT_EQ(full.find("(max_documents)"), std::string::npos);
}

// Past max_listed kept documents are counted, not shown, and each list of the
// summary stops at max_listed entries and names the table that has them all:
// a crawl of a million pages still makes a page a browser opens.
TEST(ExportHtml, ListsStopAtMaxListedAndTheCountsStayWhole) {
  TempDir dir;
  std::vector<Document> docs = {HandWrittenReport("a", 0), HandWrittenReport("b", 1), HandWrittenReport("c", 2),
                                HandWrittenReport("d", 3)};
  for (int i = 0; i < 3; ++i) {
    Document q;
    q.id = "q" + std::to_string(i);
    q.sequence = static_cast<uint64_t>(4 + i);
    q.Quarantine("unreadable #" + std::to_string(i) + ";");
    docs.push_back(std::move(q));
  }
  const std::string page = Render(dir, FullContext(), docs, {}, "max_documents: 1\nmax_listed: 2");
  EXPECT_NE(page.find("id=\"d0\""), std::string::npos);
  EXPECT_NE(page.find("id=\"d1\""), std::string::npos);
  EXPECT_EQ(page.find("id=\"d2\""), std::string::npos);
  EXPECT_EQ(page.find("id=\"d3\""), std::string::npos);
  EXPECT_NE(page.find("2 kept documents after the first 2 are counted above but not listed (max_listed)"),
            std::string::npos);
  // Counted whole: four documents' mismatches and figures.
  EXPECT_NE(page.find("<div class=\"card alert\"><b>4</b><span>audit mismatches</span></div>"), std::string::npos);
  EXPECT_NE(page.find("<b>72</b><span>figures</span>"), std::string::npos);
  EXPECT_NE(page.find("<h2>Audit mismatches: 4</h2>"), std::string::npos);
  // The first two mismatches are listed and linked, the others counted.
  EXPECT_NE(page.find("<a href=\"#d0-2\">a</a></td>"), std::string::npos);
  EXPECT_NE(page.find("<a href=\"#d1\">b</a></td>"), std::string::npos);
  EXPECT_EQ(page.find("<td class=\"t\">c</td>"), std::string::npos);
  EXPECT_NE(page.find("2 more not listed (max_listed); the audits table has every one."), std::string::npos);
  EXPECT_NE(page.find("<h2>Quarantined: 3</h2>"), std::string::npos);
  EXPECT_NE(page.find("#1;</td>"), std::string::npos);
  EXPECT_EQ(page.find("#2;</td>"), std::string::npos);
  EXPECT_NE(page.find("1 more not listed (max_listed); the documents table has every one."), std::string::npos);
}

TEST(ExportHtml, LongListsGoThroughDiskAndAllReachThePage) {
  // Enough quarantined documents that the list spills out of its buffer.
  TempDir dir;
  std::vector<Document> docs;
  for (int i = 0; i < 3000; ++i) {
    Document d;
    d.id = "q" + std::to_string(i);
    d.sequence = i;
    d.Quarantine("unreadable: " + std::string(40, 'x') + " #" + std::to_string(i) + ";");
    docs.push_back(std::move(d));
  }
  const std::string page = Render(dir, FullContext(), docs, {}, "max_listed: 0");
  EXPECT_NE(page.find("<h2>Quarantined: 3,000</h2>"), std::string::npos);
  EXPECT_EQ(page.find("not listed"), std::string::npos);
  size_t last = 0;
  for (int i = 0; i < 3000; i += 7) {
    const size_t at = page.find("#" + std::to_string(i) + ";</td>");
    ASSERT_NE(at, std::string::npos) << i;
    EXPECT_GT(at, last);  // in input order
    last = at;
  }
  // No temporary file is left beside the report.
  std::vector<std::string> files;
  for (const auto& e : fs::directory_iterator(dir.path())) files.push_back(e.path().filename().string());
  EXPECT_EQ(files, std::vector<std::string>{"report.html"});
}

TEST(ExportHtml, CreatesAMissingFolderAndRefusesAFolderAsThePath) {
  TempDir dir;
  const std::string nested = dir.path() + "/out/html";
  auto h = Make("path: " + nested + "/r.html");
  ASSERT_TRUE(h->sink()->Open(FullContext()).ok());
  ASSERT_TRUE(h->sink()->Close({}).ok());
  EXPECT_TRUE(fs::exists(nested + "/r.html"));

  auto folder = Make("path: " + nested);
  const Status s = folder->sink()->Open(FullContext());
  EXPECT_EQ(s.code(), StatusCode::kIo);
  EXPECT_EQ(s.message(), "cannot write " + nested + ": it is a folder");
}

TEST(ExportHtml, AbortLeavesThePreviousReport) {
  TempDir dir;
  dir.Write("report.html", "old");
  auto h = Make("path: " + dir.path() + "/report.html");
  ASSERT_TRUE(h->sink()->Open(FullContext()).ok());
  ASSERT_TRUE(h->sink()->Write(HandWrittenReport("a", 0)).ok());
  h->sink()->Abort();
  EXPECT_EQ(ReadFile(dir.path() + "/report.html"), "old");
  size_t files = 0;
  for (const auto& e : fs::directory_iterator(dir.path())) files += e.is_regular_file();
  EXPECT_EQ(files, 1u);
  EXPECT_TRUE(h->sink()->Written().empty());
}

// Files may grow only to `bytes` while alive: a disk that fills up mid-run.
class FileSizeLimit {
 public:
  explicit FileSizeLimit(rlim_t bytes) {
    old_handler_ = ::signal(SIGXFSZ, SIG_IGN);
    ::getrlimit(RLIMIT_FSIZE, &old_);
    rlimit lower = old_;
    lower.rlim_cur = bytes;
    ::setrlimit(RLIMIT_FSIZE, &lower);
  }
  ~FileSizeLimit() {
    ::setrlimit(RLIMIT_FSIZE, &old_);
    ::signal(SIGXFSZ, old_handler_);
  }

 private:
  rlimit old_{};
  sighandler_t old_handler_;
};

TEST(ExportHtml, AFullDiskFailsNamingTheFileAndKeepsThePreviousReport) {
  TempDir dir;
  dir.Write("report.html", "old");
  const std::string path = dir.path() + "/report.html";
  auto h = Make("path: " + path);
  ASSERT_TRUE(h->sink()->Open(FullContext()).ok());
  Status s;
  {
    FileSizeLimit limit(512 * 1024);
    for (int i = 0; i < 200 && s.ok(); ++i) s = h->sink()->Write(GeneratedReport("g" + std::to_string(i), i, 75, i));
    if (s.ok()) s = h->sink()->Close({});
  }
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kIo);
  EXPECT_NE(s.message().find("cannot write " + path), std::string::npos) << s.message();
  h->sink()->Abort();
  EXPECT_EQ(ReadFile(path), "old");
  size_t files = 0;
  for (const auto& e : fs::directory_iterator(dir.path())) files += e.is_regular_file();
  EXPECT_EQ(files, 1u);
}

TEST(HtmlText, EscapesFormatsAndCuts) {
  std::string out;
  html::AppendEscaped(out, std::string("a&b<c>d\"e'f\tg\n") + '\0' + "\x7F");
  EXPECT_EQ(out, "a&amp;b&lt;c&gt;d&quot;e&#39;f\tg\n␀␡");
  EXPECT_EQ(html::CutAtCharacter("完成", 4), "完");
  EXPECT_EQ(html::CutAtCharacter("完成", 0), "完成");
  EXPECT_EQ(html::FormatNumber(9165640000), "9,165,640,000");
  EXPECT_EQ(html::FormatNumber(2019), "2019");
  EXPECT_EQ(html::FormatNumber(62.3), "62.3");
  EXPECT_EQ(html::FormatNumber(-1.6), "-1.6");
  EXPECT_EQ(html::FormatNumber(12345.678), "12,345.7");
  EXPECT_EQ(html::FormatNumber(NAN), "—");
  EXPECT_EQ(html::FormatPercent(65.0), "65");
  EXPECT_EQ(html::FormatCount(1000), "1,000");
  EXPECT_EQ(html::FormatCount(999), "999");
  EXPECT_EQ(html::FormatCount(1234567), "1,234,567");
  EXPECT_EQ(html::FormatPercent(62.34), "62.3");
  EXPECT_EQ(html::FormatQuantity(38530000000, "元"), "385.3 亿元");
  EXPECT_EQ(html::FormatQuantity(29000, "人次"), "2.9 万人次");
  EXPECT_EQ(html::FormatQuantity(1300, "个"), "1300 个");
  EXPECT_EQ(html::FormatQuantity(2, "rank"), "rank 2");
  EXPECT_EQ(html::FormatQuantity(2.4, "pp"), "2.4 pp");
  EXPECT_EQ(html::FormatQuantity(7.8, "%"), "7.8%");
  EXPECT_EQ(html::ChineseNumeral(1), "一");
  EXPECT_EQ(html::ChineseNumeral(10), "十");
  EXPECT_EQ(html::ChineseNumeral(12), "十二");
  EXPECT_EQ(html::ChineseNumeral(21), "二十一");
  EXPECT_EQ(html::ChineseNumeral(100), "100");
}

}  // namespace
}  // namespace lode
