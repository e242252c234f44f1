// segment.outline on pages written for these tests in the seed's style: every
// numbering style, fields, sequences, repeated copies, bad input, the rules file.
#include <thread>

#include "../outline_rules.h"
#include "outline_test_util.h"

namespace lode::outline_test {
namespace {

// A progress report as the seed lays it out: indented paragraphs with blank
// lines between, ASCII brackets in part 一, full-width ones in section (二).
const char kReport[] =
    "2021年清河区《政府工作报告》目标任务上半年完成情况\n"
    "\n"
    "  一、经济社会发展主要预期目标(共2项)\n"
    "\n"
    "  1.地区生产总值增长7%左右(责任单位:区发改局)\n"
    "\n"
    "  完成情况:上半年地区生产总值增长7.5%。\n"
    "\n"
    "  2.一般公共预算收入增长5%(责任单位:区财政局、区税务局)\n"
    "\n"
    "  完成情况:上半年完成12.3亿元,为年初预算的52%。\n"
    "\n"
    "  二、重点工作(共3项)\n"
    "\n"
    "  (一)推动经济高质量发展\n"
    "\n"
    "  3.推进20个重大项目建设(责任单位:区发改局;区建设局)\n"
    "\n"
    "  完成情况:已开工15个项目。\n"
    "\n"
    "  继续推进剩余5个项目前期工作。\n"
    "\n"
    "  4.新建道路3条(牵头单位:区建设局;配合单位:区城管局, 区交通局)\n"
    "\n"
    "  进展情况:2条道路正在施工。\n"
    "\n"
    "  （二）保障和改善民生\n"
    "\n"
    "  5．新增就业3000人（责任单位：区人社局）\n"
    "\n"
    "  工作进展：新增就业1800人，完成全年目标的60%。\n";

TEST(SegmentOutline, ReadsPartsSectionsItemsAndTheirFields) {
  auto h = MakeOutline();
  Document doc = Segment(*h, kReport);
  std::vector<ItemRow> items = Items(doc);
  ASSERT_EQ(items.size(), 5u);

  EXPECT_EQ(items[0].part, 1);
  EXPECT_EQ(items[0].part_title, "经济社会发展主要预期目标");
  EXPECT_EQ(items[0].section, std::nullopt);
  EXPECT_EQ(items[0].item, 1);
  EXPECT_EQ(items[0].title, "地区生产总值增长7%左右");
  EXPECT_EQ(items[0].owners, "区发改局");
  EXPECT_EQ(items[0].status, "上半年地区生产总值增长7.5%。");
  EXPECT_EQ(items[0].line, 5);

  EXPECT_EQ(items[1].owners, "区财政局|区税务局");
  EXPECT_EQ(items[1].line, 9);

  EXPECT_EQ(items[2].part, 2);
  EXPECT_EQ(items[2].part_title, "重点工作");
  EXPECT_EQ(items[2].section, 1);
  EXPECT_EQ(items[2].section_title, "推动经济高质量发展");
  EXPECT_EQ(items[2].owners, "区发改局|区建设局");
  EXPECT_EQ(items[2].status, "已开工15个项目。\n继续推进剩余5个项目前期工作。");

  EXPECT_EQ(items[3].title, "新建道路3条");
  EXPECT_EQ(items[3].owners, "区建设局|区城管局|区交通局");
  EXPECT_EQ(items[3].status, "2条道路正在施工。");

  EXPECT_EQ(items[4].section, 2);
  EXPECT_EQ(items[4].section_title, "保障和改善民生");
  EXPECT_EQ(items[4].item, 5);
  EXPECT_EQ(items[4].owners, "区人社局");
  EXPECT_EQ(items[4].status, "新增就业1800人，完成全年目标的60%。");

  // The item's raw range is the numbered line through its last paragraph.
  const std::string text = kReport;
  EXPECT_EQ(text.substr(items[2].raw_begin, items[2].raw_end - items[2].raw_begin),
            "3.推进20个重大项目建设(责任单位:区发改局;区建设局)\n\n  完成情况:已开工15个项目。\n\n"
            "  继续推进剩余5个项目前期工作。");
  EXPECT_TRUE(Warnings(doc).empty()) << Warnings(doc)[0];
}

TEST(SegmentOutline, WritesSpansAsTheContractSays) {
  auto h = MakeOutline();
  Document doc = Segment(*h, kReport);
  auto parts = SpansOf(doc, "part");
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(Attr(*parts[0], "part"), "1");
  EXPECT_EQ(Attr(*parts[0], "title"), "经济社会发展主要预期目标");
  EXPECT_EQ(Attr(*parts[0], "declared_count"), "2");
  EXPECT_EQ(SpanText(doc, *parts[0]).substr(0, 9), "一、经");  // from its heading…
  EXPECT_TRUE(SpanText(doc, *parts[0]).ends_with("为年初预算的52%。"));  // …to the end of its last item
  EXPECT_EQ(Attr(*parts[1], "declared_count"), "3");
  EXPECT_TRUE(SpanText(doc, *parts[1]).ends_with("完成全年目标的60%。"));

  auto sections = SpansOf(doc, "section");
  ASSERT_EQ(sections.size(), 2u);
  EXPECT_EQ(Attr(*sections[0], "part"), "2");
  EXPECT_EQ(Attr(*sections[0], "section"), "1");
  EXPECT_EQ(Attr(*sections[0], "title"), "推动经济高质量发展");
  EXPECT_TRUE(SpanText(doc, *sections[0]).ends_with("区交通局)\n\n  进展情况:2条道路正在施工。"));
  EXPECT_TRUE(SpanText(doc, *sections[1]).starts_with("（二）保障和改善民生"));

  auto items = SpansOf(doc, "item");
  ASSERT_EQ(items.size(), 5u);
  EXPECT_EQ(Attr(*items[0], "part"), "1");
  EXPECT_EQ(Attr(*items[0], "section"), "");
  EXPECT_EQ(Attr(*items[0], "item"), "1");
  EXPECT_EQ(Attr(*items[4], "section"), "2");
  EXPECT_EQ(Attr(*items[0], "outline"), "<none>");

  EXPECT_EQ(Fields(doc, "4"), (std::vector<std::string>{"title:新建道路3条", "owners:区建设局",
                                                        "owners:区城管局, 区交通局", "status:2条道路正在施工。"}));
  EXPECT_EQ(Fields(doc, "3"),
            (std::vector<std::string>{"title:推进20个重大项目建设", "owners:区发改局;区建设局",
                                      "status:已开工15个项目。\n\n  继续推进剩余5个项目前期工作。"}));
  std::vector<std::string> owners;
  for (const Span* s : SpansOf(doc, "owner"))
    if (Attr(*s, "item") == "4") owners.push_back(Attr(*s, "index") + ":" + SpanText(doc, *s));
  EXPECT_EQ(owners, (std::vector<std::string>{"0:区建设局", "1:区城管局", "2:区交通局"}));

  // Outer spans come first where ranges start together; all are sorted.
  for (size_t i = 1; i < doc.spans.size(); ++i) EXPECT_LE(doc.spans[i - 1].begin, doc.spans[i].begin);
}

TEST(SegmentOutline, EveryItemNumberingStyleReadsAsItems) {
  auto h = MakeOutline();
  Document doc = Segment(*h,
                     "1.甲项任务(责任单位:区发改局)\n完成情况:已完成。\n"
                     "2、乙项任务(责任单位:区财政局)\n完成情况:已完成。\n"
                     "3．丙项任务(责任单位:区商务局)\n完成情况:已完成。\n"
                     "４. 丁项任务(责任单位:区建设局)\n完成情况:已完成。\n"
                     "5 . 戊项任务(责任单位:区城管局)\n完成情况:已完成。\n"
                     "⒍己项任务(责任单位:区水务局)\n完成情况:已完成。\n");
  EXPECT_EQ(ItemNumbers(doc), (std::vector<int64_t>{1, 2, 3, 4, 5, 6}));
  std::vector<ItemRow> items = Items(doc);
  EXPECT_EQ(items[3].title, "丁项任务");
  EXPECT_EQ(items[5].owners, "区水务局");
  for (const ItemRow& r : items) EXPECT_EQ(r.status, "已完成。");
}

TEST(SegmentOutline, ChineseNumbersBeyondTenAndBothBracketStyles) {
  std::string page;
  for (int part = 1; part <= 12; ++part) {
    static const char* kNames[] = {"", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二"};
    page += std::string(kNames[part]) + "、第" + kNames[part] + "部分\n";
    page += std::string(part % 2 ? "(" : "（") + "一" + (part % 2 ? ")" : "）") + "小节\n";
    page += std::to_string(part) + ".任务(责任单位:区政府办)\n完成情况:完成。\n";
  }
  auto h = MakeOutline();
  Document doc = Segment(*h, page);
  std::vector<ItemRow> items = Items(doc);
  ASSERT_EQ(items.size(), 12u);
  for (int i = 0; i < 12; ++i) {
    EXPECT_EQ(items[i].part, i + 1);
    EXPECT_EQ(items[i].section, 1);
    EXPECT_EQ(items[i].item, i + 1);
  }
  EXPECT_EQ(items[11].part_title, "第十二部分");
  EXPECT_TRUE(Warnings(doc).empty());
}

TEST(SegmentOutline, LinesThatMerelyStartWithANumberAreText) {
  auto h = MakeOutline();
  Document doc = Segment(*h,
                     "  1.完成轨道交通5号线征收(责任单位:区征收局)\n"
                     "  完成情况:\n"
                     "  5号线计划完成征地2.55亩。\n"
                     "  2.5平方公里海绵城市建设完成90%。\n"
                     "  2019年完成投资3.2亿元。\n"
                     "  2.新建公厕24座(责任单位:区城管局)\n"
                     "  完成情况:新建19座。\n");
  EXPECT_EQ(ItemNumbers(doc), (std::vector<int64_t>{1, 2}));
  EXPECT_EQ(Items(doc)[0].status, "5号线计划完成征地2.55亩。\n2.5平方公里海绵城市建设完成90%。\n2019年完成投资3.2亿元。");
  EXPECT_TRUE(Warnings(doc).empty());
}

TEST(SegmentOutline, ANumberThatBreaksTheSequenceIsText) {
  auto h = MakeOutline();
  Document doc = Segment(*h,
                     "1.甲(责任单位:区发改局)\n完成情况:完成。\n"
                     "9.乙项不是第9项,只是一段以数字开头的文字\n"
                     "2.丙(责任单位:区财政局)\n完成情况:完成。\n"
                     "1.丁不是新的开始\n");
  EXPECT_EQ(ItemNumbers(doc), (std::vector<int64_t>{1, 2}));
  std::vector<ItemRow> items = Items(doc);
  EXPECT_EQ(items[0].status, "完成。\n9.乙项不是第9项,只是一段以数字开头的文字");
  EXPECT_EQ(items[1].status, "完成。\n1.丁不是新的开始");
}

TEST(SegmentOutline, ASkippedNumberIsReadAndWarned) {
  auto h = MakeOutline();
  Document doc = Segment(*h,
                     "一、重点工作(共3项)\n"
                     "1.甲(责任单位:区发改局)\n完成情况:完成。\n"
                     "2.乙(责任单位:区财政局)\n完成情况:完成。\n"
                     "4.丁(责任单位:区商务局)\n完成情况:完成。\n");
  EXPECT_EQ(ItemNumbers(doc), (std::vector<int64_t>{1, 2, 4}));
  EXPECT_EQ(Warnings(doc), (std::vector<std::string>{"line 6: item 3 is missing: the numbering goes from 2 to 4"}));
  // The declared count (3) agrees with the items found (3): no second warning.
  EXPECT_NE(h->transform()->Summary().at(0).find("1 gap in the numbering"), std::string::npos);
}

TEST(SegmentOutline, HardWrappedLinesAtTheMarginStayInTheirItem) {
  // Paragraphs indented with two ideographic spaces, wrapped at the margin.
  auto h = MakeOutline();
  Document doc = Segment(*h,
                         "　　1.新建微循环道路11条，新增停车泊位5万个\n"
                         "、充电桩4.1万个（责任单位：区建设局）\n"
                         "　　完成情况：5条道路正在施工，2条道路部分完工\n"
                         "，4条道路完成前期工作。\n"
                         "\n"
                         "我要回帖\n");
  std::vector<ItemRow> items = Items(doc);
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].title, "新建微循环道路11条，新增停车泊位5万个、充电桩4.1万个");
  EXPECT_EQ(items[0].owners, "区建设局");
  EXPECT_EQ(items[0].status, "5条道路正在施工，2条道路部分完工\n，4条道路完成前期工作。");
}

TEST(SegmentOutline, TheFirstItemsMissingAreWarnedToo) {
  auto h = MakeOutline();
  Document doc = Segment(*h, "3.丙(责任单位:区发改局)\n完成情况:完成。\n4.丁(责任单位:区财政局)\n完成情况:完成。\n");
  EXPECT_EQ(ItemNumbers(doc), (std::vector<int64_t>{3, 4}));
  EXPECT_EQ(Warnings(doc), (std::vector<std::string>{"line 1: item 1–2 are missing: the numbering starts at 3"}));
}

TEST(SegmentOutline, AHeadingAfterAStatusClosesTheItem) {
  auto h = MakeOutline();
  Document doc = Segment(*h,
                     "  一、主要预期目标(共1项)\n"
                     "  1.社会消费品零售总额增长10%左右(责任单位:区商务局)\n"
                     "  完成情况:上半年完成385.3亿元,同比增长9.1%\n"
                     "  二、五个方面重点工作(共1项)\n"
                     "  (一)深化动力变革\n"
                     "  2.实施项目提速计划(责任单位:区发改局)\n"
                     "  完成情况:8个项目已开工。\n");
  std::vector<ItemRow> items = Items(doc);
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].status, "上半年完成385.3亿元,同比增长9.1%");
  EXPECT_EQ(items[1].part, 2);
  EXPECT_EQ(items[1].part_title, "五个方面重点工作");
  EXPECT_EQ(items[1].section, 1);
  EXPECT_TRUE(Warnings(doc).empty());
}

TEST(SegmentOutline, ADeclaredCountThatDisagreesIsWarned) {
  auto h = MakeOutline();
  Document doc = Segment(*h,
                     "一、重点工作(共4项)\n"
                     "1.甲(责任单位:区发改局)\n完成情况:完成。\n"
                     "2.乙(责任单位:区财政局)\n完成情况:完成。\n"
                     "二、民生实事（共一项）\n"
                     "3.丙(责任单位:区民政局)\n完成情况:完成。\n");
  EXPECT_EQ(ItemNumbers(doc), (std::vector<int64_t>{1, 2, 3}));
  EXPECT_EQ(Warnings(doc),
            (std::vector<std::string>{"line 1: part 1 \"重点工作\" declares 4 items (共4项) but 2 were found"}));
  EXPECT_EQ(Attr(*SpansOf(doc, "part")[1], "declared_count"), "1");
  EXPECT_NE(h->transform()->Summary().at(0).find("1 declared count that disagrees with the items found"),
            std::string::npos);
}

TEST(SegmentOutline, ItemsRestartUnderEachSectionWhenTheReportNumbersThatWay) {
  auto h = MakeOutline();
  Document doc = Segment(*h,
                     "（一）经济发展\n1.甲(责任单位:区发改局)\n完成情况:完成。\n2.乙(责任单位:区财政局)\n完成情况:完成。\n"
                     "（二）社会事业\n1.丙(责任单位:区教育局)\n完成情况:完成。\n2.丁(责任单位:区卫健局)\n完成情况:完成。\n");
  std::vector<ItemRow> items = Items(doc);
  ASSERT_EQ(items.size(), 4u);
  EXPECT_EQ(items[2].section, 2);
  EXPECT_EQ(items[2].item, 1);
  EXPECT_EQ(items[2].part, std::nullopt);
  EXPECT_TRUE(Warnings(doc).empty());
}

TEST(SegmentOutline, ARestartWithoutANewParentIsAListInsideTheStatus) {
  auto h = MakeOutline();
  Document doc = Segment(*h,
                     "  1.推进三项改革(责任单位:区发改局)\n"
                     "  完成情况:\n"
                     "  1、完成机构改革;\n"
                     "  2、完成事业单位改革;\n"
                     "  3、完成国企改革。\n"
                     "  2.新建学校2所(责任单位:区教育局)\n"
                     "  完成情况:已开工。\n");
  EXPECT_EQ(ItemNumbers(doc), (std::vector<int64_t>{1, 2}));
  EXPECT_EQ(Items(doc)[0].status, "1、完成机构改革;\n2、完成事业单位改革;\n3、完成国企改革。");
}

TEST(SegmentOutline, AListAsLongAsItsItemsNumberDoesNotSwallowTheNextItem) {
  auto h = MakeOutline();
  // Item 2's status lists two points; the next item is 3. Written like the
  // items ("3.") and not like the list ("1、"), it is item 3.
  Document doc = Segment(*h,
                         "1.甲(责任单位:区发改局)\n完成情况:完成。\n"
                         "2.乙(责任单位:区财政局)\n完成情况:\n1、完成预算;\n2、完成决算。\n"
                         "3.丙(责任单位:区商务局)\n完成情况:完成。\n");
  EXPECT_EQ(ItemNumbers(doc), (std::vector<int64_t>{1, 2, 3}));
  EXPECT_EQ(Items(doc)[1].status, "1、完成预算;\n2、完成决算。");
  // Written alike, the item still shows itself by its owners label.
  doc = Segment(*h,
                "1.甲(责任单位:区发改局)\n完成情况:\n1.完成预算;\n"
                "2.乙(责任单位:区财政局)\n完成情况:完成。\n");
  EXPECT_EQ(ItemNumbers(doc), (std::vector<int64_t>{1, 2}));
}

// The seed is pasted twice; when dedup.repeats leaves the copy in, it is a
// second outline with its own numbers, never items 4–6.
TEST(SegmentOutline, ASecondCopyOfTheReportIsANewOutline) {
  // Laid out as the seed: a blank line between paragraphs.
  const std::string copy =
      "  一、主要预期目标(共1项)\n\n"
      "  1.地区生产总值增长7%(责任单位:区发改局)\n\n"
      "  完成情况:增长7.5%。\n\n"
      "  二、重点工作(共1项)\n\n"
      "  (一)经济发展\n\n"
      "  2.推进重大项目(责任单位:区发改局)\n\n"
      "  完成情况:已开工。\n\n";
  const std::string page = "2021年目标任务完成情况\n\n" + copy + "2021年目标任务完成情况\n\n" + copy + "我要回帖\n";
  auto h = MakeOutline();
  Document doc = Segment(*h, page);
  std::vector<ItemRow> items = Items(doc);
  ASSERT_EQ(items.size(), 4u);
  EXPECT_EQ(ItemNumbers(doc), (std::vector<int64_t>{1, 2, 1, 2}));
  EXPECT_EQ(items[2].part, 1);
  EXPECT_EQ(items[3].part, 2);
  EXPECT_EQ(items[3].section, 1);
  EXPECT_EQ(items[2].line, 21);
  // The page title between the copies and the chrome after them are new
  // paragraphs at the margin: they end the item before them instead of
  // joining its status.
  EXPECT_EQ(items[1].status, "已开工。");
  EXPECT_EQ(items[3].status, "已开工。");
  EXPECT_EQ(Warnings(doc), (std::vector<std::string>{
                               "line 19: numbering starts again at part 1: outline 2 begins here (a second copy of "
                               "the report?)"}));
  auto spans = SpansOf(doc, "item");
  EXPECT_EQ(Attr(*spans[1], "outline"), "<none>");
  EXPECT_EQ(Attr(*spans[2], "outline"), "2");
  EXPECT_EQ(Attr(*SpansOf(doc, "part")[2], "outline"), "2");
  EXPECT_NE(h->transform()->Summary().at(0).find("1 document whose numbering starts again"), std::string::npos);
}

TEST(SegmentOutline, ACopyGluedToTheLastItemIsStillANewOutline) {
  // No title and no change of indentation between the copies: the restart is
  // recognised because it repeats the first item.
  const std::string copy =
      "1.地区生产总值增长7%(责任单位:区发改局)\n完成情况:增长7.5%。\n"
      "2.一般公共预算收入增长5%(责任单位:区财政局)\n完成情况:增长6%。\n";
  auto h = MakeOutline();
  Document doc = Segment(*h, copy + copy);
  EXPECT_EQ(ItemNumbers(doc), (std::vector<int64_t>{1, 2, 1, 2}));
  EXPECT_EQ(Items(doc)[1].status, "增长6%。");
  EXPECT_EQ(Warnings(doc).size(), 1u);
}

TEST(SegmentOutline, AnnualWorkReportWithoutNumberedItemsHasNoItems) {
  // An annual government work report: parts, sections and paragraphs, with
  // "一是…二是…" enumerations and figures at line starts, but no numbered items.
  const char kWorkReport[] =
      "清河区2021年政府工作报告\n"
      "\n"
      "　　各位代表：\n"
      "　　现在，我代表区人民政府向大会报告工作，请予审议。\n"
      "\n"
      "　　一、2020年工作回顾\n"
      "\n"
      "　　过去一年，全区地区生产总值达到1250亿元，增长3.5%。\n"
      "　　（一）坚持稳中求进，经济运行持续向好。\n"
      "　　一是项目建设提速。全年实施重大项目120个，完成投资380亿元。\n"
      "　　二是消费市场回暖。社会消费品零售总额增长4.2%。\n"
      "　　2.5万家市场主体新登记注册，同比增长12%。\n"
      "　　（二）坚持民生优先，群众获得感不断增强。\n"
      "　　新增城镇就业2.1万人，城镇登记失业率控制在3%以内。\n"
      "\n"
      "　　二、2021年主要目标和重点工作\n"
      "\n"
      "　　今年经济社会发展的主要预期目标是：地区生产总值增长7%左右。\n"
      "　　（一）扩大有效投资。\n"
      "　　①加快重大项目建设；②推进老旧小区改造。\n"
      "　　（二）办好民生实事。\n"
      "　　2021年，我们将新建学校5所。\n"
      "\n"
      "　　三、加强政府自身建设\n"
      "　　各位代表，新的征程已经开启。\n";
  auto h = MakeOutline();
  Document doc = Segment(*h, kWorkReport);
  EXPECT_TRUE(Items(doc).empty());
  EXPECT_TRUE(SpansOf(doc, "item").empty());
  auto parts = SpansOf(doc, "part");
  ASSERT_EQ(parts.size(), 3u);
  EXPECT_EQ(Attr(*parts[0], "title"), "2020年工作回顾");
  EXPECT_EQ(Attr(*parts[2], "title"), "加强政府自身建设");
  EXPECT_TRUE(SpanText(doc, *parts[2]).ends_with("新的征程已经开启。"));
  auto sections = SpansOf(doc, "section");
  ASSERT_EQ(sections.size(), 4u);
  EXPECT_EQ(Attr(*sections[0], "title"), "坚持稳中求进，经济运行持续向好。");
  EXPECT_EQ(Attr(*sections[2], "part"), "2");
  EXPECT_EQ(Attr(*sections[2], "section"), "1");
  EXPECT_TRUE(SpanText(doc, *sections[1]).ends_with("控制在3%以内。"));
  EXPECT_TRUE(Warnings(doc).empty());
}

// A house style is a rules file: items numbered "(1)", "①" or "一是", sections
// "一、" — no rebuild.
std::string HouseStyle(const std::string& item_marker) {
  return "levels:\n"
         "  - {name: section, role: section, styles: [{marker: '([一二三四五六七八九十]+)、'}]}\n"
         "  - {name: item, role: item, styles: [{marker: '" +
         item_marker +
         "'}]}\n"
         "labels: {owners: [责任单位], status: [完成情况]}\n";
}

TEST(SegmentOutline, AHouseStyleWithBracketedItems) {
  testing::TempDir dir;
  std::string rules = dir.Write("house.yaml", HouseStyle(R"([(（]([0-9]+)[)）])"));
  auto h = MakeOutline("rules: " + rules);
  Document doc = Segment(*h,
                     "一、城市建设\n（1）新建道路3条（责任单位：区建设局）\n完成情况：完成2条。\n"
                     "(2)改造管网5公里(责任单位:区水务局)\n完成情况:完成3公里。\n"
                     "二、社会事业\n（1）新建学校1所（责任单位：区教育局）\n完成情况：已开工。\n");
  std::vector<ItemRow> items = Items(doc);
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(items[1].title, "改造管网5公里");
  EXPECT_EQ(items[2].section, 2);
  EXPECT_EQ(items[2].item, 1);
  EXPECT_EQ(items[2].part, std::nullopt);
}

TEST(SegmentOutline, AHouseStyleWithCircledItems) {
  testing::TempDir dir;
  std::string rules = dir.Write("house.yaml", HouseStyle("([①-⑳])"));
  auto h = MakeOutline("rules: " + rules);
  Document doc = Segment(*h,
                     "一、城市建设\n①新建道路3条(责任单位:区建设局)\n完成情况:完成2条。\n"
                     "②改造管网5公里(责任单位:区水务局)\n完成情况:完成3公里。\n"
                     "④新建公园1个(责任单位:区园林局)\n完成情况:在建。\n");
  EXPECT_EQ(ItemNumbers(doc), (std::vector<int64_t>{1, 2, 4}));
  EXPECT_EQ(Items(doc)[2].owners, "区园林局");
  EXPECT_EQ(Warnings(doc).size(), 1u);
}

TEST(SegmentOutline, AHouseStyleWithEnumeratedItems) {
  testing::TempDir dir;
  std::string rules = dir.Write("house.yaml", HouseStyle("([一二三四五六七八九十]+)是"));
  auto h = MakeOutline("rules: " + rules);
  Document doc = Segment(*h,
                     "一是新建道路3条(责任单位:区建设局)\n完成情况:完成2条。\n"
                     "二是改造管网5公里(责任单位:区水务局)\n完成情况:完成3公里。\n"
                     "十是不是第十项\n");
  std::vector<ItemRow> items = Items(doc);
  EXPECT_EQ(ItemNumbers(doc), (std::vector<int64_t>{1, 2}));
  EXPECT_EQ(items[1].title, "改造管网5公里");
  EXPECT_EQ(items[1].status, "完成3公里。\n十是不是第十项");
}

TEST(SegmentOutline, PointsInsideAnItemStayItsText) {
  auto h = MakeOutline();
  Document doc = Segment(*h,
                     "1.推进改革(责任单位:区发改局)\n"
                     "完成情况:一是完成机构改革;\n"
                     "(1)撤并机构3个;\n"
                     "（2）精简编制20名。\n"
                     "①完成事业单位分类;\n"
                     "二是完成国企改革。\n"
                     "2.新建学校(责任单位:区教育局)\n"
                     "完成情况:已开工。\n");
  EXPECT_EQ(ItemNumbers(doc), (std::vector<int64_t>{1, 2}));
  EXPECT_EQ(Items(doc)[0].status,
            "一是完成机构改革;\n(1)撤并机构3个;\n（2）精简编制20名。\n①完成事业单位分类;\n二是完成国企改革。");
}

TEST(SegmentOutline, OwnersInEveryWayTheyAreWritten) {
  auto h = MakeOutline();
  Document doc = Segment(*h,
                     "1.甲(责任单位:区发改局、区统计局，区财政局)\n完成情况:完成。\n"
                     "2.乙\n责任部门：区建设局;区城管局\n推进情况：推进中。\n"
                     "3.丙（牵头单位：区政府办(区外事办)；配合单位：区商务局,区文旅局。）\n完成情况：完成。\n"
                     "4.丁(责任单位:区民政局)完成情况:已完成。\n");
  std::vector<ItemRow> items = Items(doc);
  ASSERT_EQ(items.size(), 4u);
  EXPECT_EQ(items[0].owners, "区发改局|区统计局|区财政局");
  EXPECT_EQ(items[1].title, "乙");
  EXPECT_EQ(items[1].owners, "区建设局|区城管局");
  EXPECT_EQ(items[1].status, "推进中。");
  EXPECT_EQ(items[2].owners, "区政府办(区外事办)|区商务局|区文旅局");
  EXPECT_EQ(items[3].owners, "区民政局");
  EXPECT_EQ(items[3].status, "已完成。");
}

TEST(SegmentOutline, AnItemWithoutFieldsIsStillAnItem) {
  auto h = MakeOutline();
  Document doc = Segment(*h, "1.甲\n乙\n\n丙\n2.丁");
  std::vector<ItemRow> items = Items(doc);
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].title, "甲乙");  // a wrapped title joins; the paragraph after a blank line is not title
  EXPECT_EQ(items[0].owners, "");
  EXPECT_FALSE(items[0].has_status);
  EXPECT_EQ(items[1].title, "丁");
  EXPECT_EQ(Fields(doc, "1"), (std::vector<std::string>{"title:甲\n乙"}));
}

TEST(SegmentOutline, LinesAreThoseOfTheOriginalFileAfterEdits) {
  auto h = MakeOutline();
  Document doc = StageHarness::MakeDocument("page.txt", "广告\n广告\n1.甲(责任单位:区发改局)\n完成情况:完成。\n");
  ASSERT_TRUE(doc.ApplyEdits({{0, 14, ""}}));  // a cleaner removed the two ad lines
  ASSERT_TRUE(h->Process(doc).ok());
  std::vector<ItemRow> items = Items(doc);
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].line, 3);
  EXPECT_EQ(items[0].raw_begin, 14);
}

TEST(SegmentOutline, TenMegabytesWithoutALineBreak) {
  std::string page = "1.甲(责任单位:区发改局)完成情况:";
  const std::string clause = "全区新增就业1.2万人，完成年度目标的60%，2.5平方公里海绵城市建设完成90%；";
  while (page.size() < 10'000'000) page += clause;
  auto h = MakeOutline();
  Document doc = Segment(*h, page);
  std::vector<ItemRow> items = Items(doc);
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].owners, "区发改局");
  EXPECT_EQ(items[0].status.size(), page.size() - std::string("1.甲(责任单位:区发改局)完成情况:").size());
  EXPECT_EQ(doc.spans.size(), 5u);  // item, title, owners, owner, status
}

TEST(SegmentOutline, ManyShortNumberedLinesStayLinear) {
  // Pathological input: a million lines that all look like item 1.
  std::string page;
  for (int i = 0; i < 1'000'000; ++i) page += "1.\n";
  auto h = MakeOutline();
  Document doc = Segment(*h, page);
  EXPECT_EQ(ItemNumbers(doc), (std::vector<int64_t>{1}));
}

// kParallel: one stage called from several threads at once gives each
// document the rows it gets alone.
TEST(SegmentOutline, ManyThreadsAtOnceGiveTheSameRows) {
  auto h = MakeOutline();
  std::vector<std::string> pages;
  for (int i = 0; i < 32; ++i) {
    std::string page = kReport;
    page += "  二、民生实事(共" + std::to_string(i % 3) + "项)\n";
    for (int k = 0; k < i % 5; ++k) page += "  " + std::to_string(6 + k) + ".甲(责任单位:区民政局)\n  完成情况:完成。\n";
    pages.push_back(page);
  }
  std::vector<size_t> alone(pages.size()), together(pages.size());
  std::vector<size_t> warnings_alone(pages.size()), warnings_together(pages.size());
  for (size_t i = 0; i < pages.size(); ++i) {
    Document doc = Segment(*h, pages[i]);
    alone[i] = Items(doc).size();
    warnings_alone[i] = Warnings(doc).size();
  }
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int round = 0; round < 10; ++round)
        for (size_t i = static_cast<size_t>(t); i < pages.size(); i += 4) {
          Document doc = StageHarness::MakeDocument("page.txt", pages[i]);
          if (!h->transform()->Process(doc).ok()) continue;
          size_t items = 0, warnings = 0;
          for (const TableRow& r : doc.rows) (r.table == "items" ? items : warnings) += 1;
          together[i] = items;
          warnings_together[i] = warnings;
        }
    });
  for (auto& th : threads) th.join();
  EXPECT_EQ(together, alone);
  EXPECT_EQ(warnings_together, warnings_alone);
}

TEST(SegmentOutlineRules, AnInvalidPatternIsAnErrorWithItsPlace) {
  testing::TempDir dir;
  std::string rules = dir.Write("bad.yaml",
                                "levels:\n"
                                "  - name: item\n"
                                "    role: item\n"
                                "    styles:\n"
                                "      - marker: '([0-9]+)[.'\n"
                                "labels: {owners: [责任单位], status: [完成情况]}\n");
  auto h = StageHarness::Create(lode_plugin_segment_outline(), "segment.outline", "rules: " + rules, DataSetup());
  ASSERT_FALSE(h.ok());
  EXPECT_EQ(h.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(h.status().message(),
            rules + ":5:17: not a valid RE2 pattern: missing ]: [.");
}

TEST(SegmentOutlineRules, MistakesInTheRulesFileNameThePlace) {
  testing::TempDir dir;
  struct Case {
    std::string yaml, message;
  } cases[] = {
      {"levels:\n  - {name: item, role: itme, styles: [{marker: '(1)'}]}\nlabels: {owners: [a], status: [b]}\n",
       ":2:24: unknown role 'itme' (expected part, section, item or point)"},
      {"levels:\n  - {name: item, role: item, styles: [{marker: '1'}]}\nlabels: {owners: [a], status: [b]}\n",
       ":2:48: the pattern needs a group, ( … ), around the number"},
      {"levels:\n  - {name: part, role: part, styles: [{marker: '(1)'}]}\nlabels: {owners: [a], status: [b]}\n",
       ":2:3: no level has the role item"},
      {"levels:\n  - {name: item, role: item, styles: [{marker: '(1)'}]}\nlabel: {owners: [a], status: [b]}\n",
       ":3:1: unknown key 'label' (expected one of: levels, labels, owner_separators, declared_count, "
       "dedent_ends_item)"},
  };
  for (const Case& c : cases) {
    std::string rules = dir.Write("r.yaml", c.yaml);
    auto h = StageHarness::Create(lode_plugin_segment_outline(), "segment.outline", "rules: " + rules, DataSetup());
    ASSERT_FALSE(h.ok()) << c.yaml;
    EXPECT_EQ(h.status().message(), rules + c.message);
  }
}

TEST(SegmentOutlineRules, AMissingRulesFileIsNotFound) {
  auto h = StageHarness::Create(lode_plugin_segment_outline(), "segment.outline", "rules: zh/nope.yaml", DataSetup());
  ASSERT_FALSE(h.ok());
  EXPECT_EQ(h.status().code(), StatusCode::kNotFound);
}

TEST(SegmentOutlineRules, NumbersReadInEveryScript) {
  using outline::ParseOutlineNumber;
  EXPECT_EQ(ParseOutlineNumber("12"), 12);
  EXPECT_EQ(ParseOutlineNumber("１２"), 12);
  EXPECT_EQ(ParseOutlineNumber("一"), 1);
  EXPECT_EQ(ParseOutlineNumber("十"), 10);
  EXPECT_EQ(ParseOutlineNumber("十二"), 12);
  EXPECT_EQ(ParseOutlineNumber("二十"), 20);
  EXPECT_EQ(ParseOutlineNumber("七十二"), 72);
  EXPECT_EQ(ParseOutlineNumber("一百零五"), 105);
  EXPECT_EQ(ParseOutlineNumber("一〇"), 10);
  EXPECT_EQ(ParseOutlineNumber("两"), 2);
  EXPECT_EQ(ParseOutlineNumber("⑫"), 12);
  EXPECT_EQ(ParseOutlineNumber("㉑"), 21);
  EXPECT_EQ(ParseOutlineNumber("㊿"), 50);
  EXPECT_EQ(ParseOutlineNumber("⑿"), 12);
  EXPECT_EQ(ParseOutlineNumber("⒓"), 12);
  EXPECT_EQ(ParseOutlineNumber("1a"), std::nullopt);
  EXPECT_EQ(ParseOutlineNumber(""), std::nullopt);
  EXPECT_EQ(ParseOutlineNumber("甲"), std::nullopt);
}

TEST(SegmentOutlineRules, EveryParameterAndColumnIsDocumented) {
  auto h = MakeOutline();
  ASSERT_NE(h, nullptr);  // the loader refuses undocumented parameters and columns
}

}  // namespace
}  // namespace lode::outline_test
