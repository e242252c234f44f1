// export.xlsx: workbooks read back with Debian's python3-openpyxl (cell values,
// types, styles, widths, frozen panes), Excel's limits, and failures that must
// leave the previous workbook intact.
#include <dirent.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "lode/lode.h"
#include "lode/testing.h"
#include "test_support.h"

LODE_DECLARE_STATIC_PLUGIN(export_xlsx);

namespace {

using namespace lode;
using lode::testing::ReadFile;
using lode::testing::RunCommand;
using lode::testing::ShellQuote;
using lode::testing::TempDir;
using nlohmann::json;
namespace fs = std::filesystem;

// Prints a workbook as JSON: per sheet its name, frozen cell, filter, column
// widths and, unless "shape" is asked, every cell with its value, type, bold
// and wrap. Text is decoded as Excel decodes it ("_x0000_" is U+0000), which
// openpyxl leaves to its caller. "shape" only reads each sheet's dimension, so
// that a sheet of a million rows is not parsed in Python.
constexpr const char* kDumpScript = R"PY(
import json, re, sys
import openpyxl

ESCAPE = re.compile("_x([0-9A-Fa-f]{4})_")

def excel_text(s):
    return ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), s)

path, shape = sys.argv[1], len(sys.argv) > 2
book = openpyxl.load_workbook(path, read_only=shape)
sheets = []
for ws in book.worksheets:
    sheet = {"name": ws.title}
    if shape:
        sheet["max_row"] = ws.max_row
        sheet["max_column"] = ws.max_column
        sheet["rows"] = [[c.value for c in row] for row in ws.iter_rows()] if ws.max_row <= 10 else []
    else:
        sheet["freeze"] = ws.freeze_panes
        sheet["filter"] = ws.auto_filter.ref
        sheet["widths"] = {k: d.width for k, d in ws.column_dimensions.items()}
        rows = []
        for row in ws.iter_rows():
            cells = []
            for c in row:
                v = excel_text(c.value) if isinstance(c.value, str) else c.value
                cells.append({"v": v, "t": c.data_type, "bold": bool(c.font.b), "wrap": bool(c.alignment.wrap_text)})
            rows.append(cells)
        sheet["rows"] = rows
    sheets.append(sheet)
json.dump(sheets, sys.stdout)
)PY";

// Debian's python3-openpyxl is installed for Debian's python3, which is not
// necessarily the first python3 on PATH.
constexpr const char* kPython = "/usr/bin/python3";

json ReadBack(const std::string& xlsx, bool shape = false) {
  TempDir scripts;
  const std::string script = scripts.Write("dump.py", kDumpScript);
  auto r = RunCommand(std::string(kPython) + " " + ShellQuote(script) + " " + ShellQuote(xlsx) + (shape ? " shape" : ""));
  if (r.exit_code != 0) {
    ADD_FAILURE() << "reading " << xlsx << " with openpyxl failed (scripts/deps.sh installs python3-openpyxl):\n"
                  << r.err;
    return json::array();
  }
  return json::parse(r.out);
}

const json& SheetNamed(const json& sheets, const std::string& name) {
  for (const json& s : sheets)
    if (s["name"] == name) return s;
  static const json none = json::object();
  ADD_FAILURE() << "no sheet '" << name << "'";
  return none;
}

std::vector<std::string> SheetNames(const json& sheets) {
  std::vector<std::string> names;
  for (const json& s : sheets) names.push_back(s["name"]);
  return names;
}

TableSchema TestItemsTable() {
  return {"items",
          "Numbered items.",
          {{"doc_id", ColumnType::kText, "The document."},
           {"item", ColumnType::kInteger, "Item number."},
           {"title", ColumnType::kText, "Its title."},
           {"score", ColumnType::kReal, "A score."},
           {"done", ColumnType::kBoolean, "Whether it is done."}}};
}

TableSchema TestNotesTable() { return {"notes", "Free notes.", {{"note", ColumnType::kText, "The note."}}}; }

OutputContext Context(std::vector<TableSchema> extra = {TestItemsTable(), TestNotesTable()}) {
  OutputContext c;
  c.pipeline_name = "test";
  c.tables = {DocumentsTable(), RunsTable()};
  for (TableSchema& t : extra) c.tables.push_back(std::move(t));
  return c;
}

std::unique_ptr<StageHarness> MakeSink(const std::string& path, const std::string& more = "") {
  auto h = StageHarness::Create(lode_plugin_export_xlsx(), "export.xlsx",
                                "path: \"" + path + "\"" + (more.empty() ? "" : "\n" + more));
  EXPECT_TRUE(h.ok()) << h.status().ToString();
  return h.ok() ? std::move(*h) : nullptr;
}

Document DocWith(const std::string& id, std::vector<TableRow> rows) {
  Document doc = StageHarness::MakeDocument(id, "text of " + id);
  doc.rows = std::move(rows);
  return doc;
}

TableRow Item(const std::string& doc, int64_t item, Value title, Value score = Value(), Value done = Value()) {
  return {"items", Row{{Value(doc), Value(item), std::move(title), std::move(score), std::move(done)}}};
}

Status WriteRun(Sink& sink, const std::vector<Document>& docs, const std::vector<TableRow>& final_rows = {},
                const OutputContext& context = Context()) {
  LODE_RETURN_IF_ERROR(sink.Open(context));
  for (const Document& d : docs) LODE_RETURN_IF_ERROR(sink.Write(d));
  return sink.Close(final_rows);
}

std::vector<std::string> OtherFiles(const std::string& dir, const std::string& keep) {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().filename() != keep) names.push_back(e.path().filename().string());
  return names;
}

int OpenDescriptors() {
  int n = 0;
  for (const auto& e : fs::directory_iterator("/proc/self/fd")) (void)e, ++n;
  return n;
}

TEST(ExportXlsx, OneSheetPerTableWithTypedCellsAndABoldFrozenHeader) {
  TempDir dir;
  const std::string xlsx = dir.path() + "/lode.xlsx";
  auto h = MakeSink(xlsx);
  std::vector<Document> docs = {DocWith(
      "a.txt", {Item("a.txt", 1, Value(std::string("一、目标")), Value(0.25), Value(true)),
                Item("a.txt", 2, Value(std::string("")), Value(int64_t{3}), Value(false)),
                Item("a.txt", 3, Value(), Value(std::nan("")), Value()),
                Item("a.txt", (int64_t{1} << 53) + 1, Value(std::string("big")), Value(-1e300), Value())})};
  ASSERT_TRUE(WriteRun(*h->sink(), docs).ok());
  EXPECT_EQ(h->sink()->Written(), std::vector<std::string>{xlsx});
  EXPECT_TRUE(OtherFiles(dir.path(), "lode.xlsx").empty());

  json book = ReadBack(xlsx);
  EXPECT_EQ(SheetNames(book), (std::vector<std::string>{"documents", "runs", "items", "notes"}));
  const json& items = SheetNamed(book, "items");
  EXPECT_EQ(items["freeze"], "A2");
  EXPECT_EQ(items["filter"], "A1:E5");
  const json& rows = items["rows"];
  ASSERT_EQ(rows.size(), 5u);
  const char* header[] = {"doc_id", "item", "title", "score", "done"};
  for (int c = 0; c < 5; ++c) {
    EXPECT_EQ(rows[0][c]["v"], header[c]);
    EXPECT_TRUE(rows[0][c]["bold"].get<bool>());
    EXPECT_FALSE(rows[1][c]["bold"].get<bool>());
  }
  auto expect_cell = [&](int r, int c, const json& v, const char* type) {
    EXPECT_EQ(rows[r][c]["v"], v) << "row " << r << " column " << c;
    EXPECT_EQ(rows[r][c]["t"], type) << "row " << r << " column " << c;
  };
  expect_cell(1, 0, "a.txt", "s");
  expect_cell(1, 1, 1, "n");
  expect_cell(1, 2, "一、目标", "s");
  expect_cell(1, 3, 0.25, "n");
  expect_cell(1, 4, true, "b");
  expect_cell(2, 2, nullptr, "n");  // Excel keeps no empty text: an empty cell
  expect_cell(2, 3, 3, "n");        // an integer in a real column is a number
  expect_cell(2, 4, false, "b");
  expect_cell(3, 2, nullptr, "n");
  expect_cell(3, 3, nullptr, "n");  // NaN: empty
  expect_cell(3, 4, nullptr, "n");
  expect_cell(4, 1, "9007199254740993", "s");  // past 2^53 as text, every digit kept
  expect_cell(4, 3, -1e300, "n");
  EXPECT_EQ(SheetNamed(book, "notes")["rows"].size(), 1u);  // the header of an empty table
}

TEST(ExportXlsx, AwkwardTextIsWrittenAsTextAndReadsBackTheSame) {
  TempDir dir;
  const std::string xlsx = dir.path() + "/lode.xlsx";
  std::vector<std::string> texts = {
      std::string("before\0after", 12),
      "a \"quoted\" 'word' <tag> & more",
      "line one\nline two\r\nline three",
      "=cmd|' /C calc'!A0",
      "=1+1",
      "@SUM(A1)",
      "literal _x0041_ and _X004a_ stay",
      "control \x01\x1f and \xEF\xBF\xBF noncharacter",
      "完成 😀 唍成",
  };
  std::vector<TableRow> rows;
  for (size_t i = 0; i < texts.size(); ++i) rows.push_back(Item("d", static_cast<int64_t>(i), Value(texts[i])));
  auto h = MakeSink(xlsx);
  ASSERT_TRUE(WriteRun(*h->sink(), {DocWith("d", rows)}).ok());

  json book = ReadBack(xlsx);
  const json& sheet = SheetNamed(book, "items");
  ASSERT_EQ(sheet["rows"].size(), texts.size() + 1);
  for (size_t i = 0; i < texts.size(); ++i) {
    const json& cell = sheet["rows"][i + 1][2];
    EXPECT_EQ(cell["t"], "s") << texts[i];  // never a formula
    EXPECT_EQ(cell["v"].get<std::string>(), texts[i]);
  }
  EXPECT_TRUE(sheet["rows"][3][2]["wrap"].get<bool>());   // line breaks wrap
  EXPECT_FALSE(sheet["rows"][4][2]["wrap"].get<bool>());  // a short line does not
  // No formula anywhere in the sheet's XML.
  auto xml = RunCommand(std::string(kPython) + " -c " +
                        ShellQuote("import sys, zipfile; sys.stdout.write(zipfile.ZipFile(sys.argv[1]).read("
                                   "'xl/worksheets/sheet3.xml').decode())") +
                        " " + ShellQuote(xlsx));
  ASSERT_EQ(xml.exit_code, 0) << xml.err;
  EXPECT_NE(xml.out.find("=cmd|' /C calc'!A0"), std::string::npos);
  EXPECT_EQ(xml.out.find("<f>"), std::string::npos);
}

TEST(ExportXlsx, CellsPastExcelsLimitAreCutAndListed) {
  TempDir dir;
  const std::string xlsx = dir.path() + "/lode.xlsx";
  const std::string megabyte = std::string(1 << 20, 'x') + "end";
  std::string emoji;
  for (int i = 0; i < 20000; ++i) emoji += "😀";  // two UTF-16 units each in Excel
  auto h = MakeSink(xlsx);
  ASSERT_TRUE(WriteRun(*h->sink(), {DocWith("big.txt", {Item("big.txt", 1, Value(megabyte)),
                                                        Item("big.txt", 2, Value(emoji)),
                                                        Item("big.txt", 3, Value(std::string(32767, 'y')))})})
                  .ok());
  json book = ReadBack(xlsx);
  EXPECT_EQ(SheetNames(book), (std::vector<std::string>{"documents", "runs", "items", "notes", "truncated cells"}));
  const json& items = SheetNamed(book, "items")["rows"];
  EXPECT_EQ(items[1][2]["v"].get<std::string>(), std::string(32767, 'x'));
  EXPECT_TRUE(items[1][2]["wrap"].get<bool>());
  std::string kept_emoji;
  for (int i = 0; i < 16383; ++i) kept_emoji += "😀";
  EXPECT_EQ(items[2][2]["v"].get<std::string>(), kept_emoji);
  EXPECT_EQ(items[3][2]["v"].get<std::string>(), std::string(32767, 'y'));  // exactly at the limit: whole

  const json& cut = SheetNamed(book, "truncated cells")["rows"];
  ASSERT_EQ(cut.size(), 3u);
  std::vector<json> expected_header = {"sheet", "cell", "table", "column", "doc_id", "chars", "kept_chars"};
  std::vector<json> first = {"items", "C2", "items", "title", "big.txt", (1 << 20) + 3, 32767};
  std::vector<json> second = {"items", "C3", "items", "title", "big.txt", 20000, 16383};
  for (size_t c = 0; c < 7; ++c) {
    EXPECT_EQ(cut[0][c]["v"], expected_header[c]);
    EXPECT_EQ(cut[1][c]["v"], first[c]) << c;
    EXPECT_EQ(cut[2][c]["v"], second[c]) << c;
  }
}

TEST(ExportXlsx, ColumnWidthsFollowTheHeaderAndFirstRowsWithinACap) {
  TempDir dir;
  const std::string xlsx = dir.path() + "/lode.xlsx";
  std::vector<TableRow> rows = {Item("a", 1, Value(std::string("短标题")), Value(0.5)),
                                Item("a", 2, Value(std::string(200, 'w')), Value(0.125))};
  // Past the sampled rows, a wider cell no longer widens its column: it wraps.
  for (int i = 0; i < 150; ++i) rows.push_back(Item("a", 3 + i, Value(std::string("x"))));
  rows.push_back(Item("a", 999, Value(std::string("a")), Value(), Value()));
  rows.back().row.cells[0] = Value(std::string(30, 'd'));
  auto h = MakeSink(xlsx);
  ASSERT_TRUE(WriteRun(*h->sink(), {DocWith("a", rows)}).ok());
  json book = ReadBack(xlsx);
  const json& items = SheetNamed(book, "items");
  auto width = [&](const char* col) { return items["widths"][col].get<double>(); };
  EXPECT_NEAR(width("A"), 8, 1);   // "doc_id" and "a": the minimum
  EXPECT_NEAR(width("B"), 6, 1);   // "item", numbers of up to 3 digits
  EXPECT_NEAR(width("C"), 61, 1);  // 200 characters: capped
  EXPECT_NEAR(width("D"), 7, 1);   // "0.125"
  const json& last = items["rows"][items["rows"].size() - 1];
  EXPECT_TRUE(last[0]["wrap"].get<bool>());
  EXPECT_TRUE(items["rows"][2][2]["wrap"].get<bool>());   // the 200-character title
  EXPECT_FALSE(items["rows"][1][2]["wrap"].get<bool>());  // 短标题
}

TEST(ExportXlsx, SheetNamesAreValidAndDistinct) {
  TempDir dir;
  const std::string xlsx = dir.path() + "/lode.xlsx";
  auto table = [](std::string name) {
    return TableSchema{std::move(name), "A table.", {{"x", ColumnType::kInteger, "A number."}}};
  };
  auto h = MakeSink(xlsx);
  ASSERT_TRUE(WriteRun(*h->sink(), {}, {},
                       Context({table("budget_lines_by_project_and_district_2019"),
                                table("budget_lines_by_project_and_district_2020"), table("a/b:c*d?[e]"),
                                table("Items"), table("ITEMS"), table("'quoted'"), table("history")}))
                  .ok());
  json book = ReadBack(xlsx);
  EXPECT_EQ(SheetNames(book), (std::vector<std::string>{"documents", "runs", "budget_lines_by_project_and_dis",
                                                        "budget_lines_by_project_and_d~2", "a_b_c_d__e_", "Items",
                                                        "ITEMS~2", "quoted", "history_"}));
}

TEST(ExportXlsx, TablesSelectsAndUnknownNamesAreRefused) {
  TempDir dir;
  const std::string xlsx = dir.path() + "/lode.xlsx";
  auto h = MakeSink(xlsx, "tables: [items]");
  ASSERT_TRUE(WriteRun(*h->sink(), {DocWith("a", {Item("a", 1, Value(std::string("t"))),
                                                  {"notes", Row{{Value(std::string("n"))}}}})})
                  .ok());
  EXPECT_EQ(SheetNames(ReadBack(xlsx)), std::vector<std::string>{"items"});

  auto bad = MakeSink(dir.path() + "/other.xlsx", "tables: [itmes]");
  Status s = bad->sink()->Open(Context());
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(), "table 'itmes' is not written by this pipeline (its tables: documents, runs, items, notes)");
  EXPECT_TRUE(OtherFiles(dir.path(), "lode.xlsx").empty());
}

TEST(ExportXlsx, NothingAppearsBeforeClose) {
  TempDir dir;
  const std::string xlsx = dir.path() + "/out/lode.xlsx";  // the folder is created
  auto h = MakeSink(xlsx);
  ASSERT_TRUE(h->sink()->Open(Context()).ok());
  ASSERT_TRUE(h->sink()->Write(DocWith("a", {Item("a", 1, Value(std::string("t")))})).ok());
  EXPECT_FALSE(fs::exists(xlsx));
  EXPECT_TRUE(h->sink()->Written().empty());
  ASSERT_TRUE(h->sink()->Close({}).ok());
  EXPECT_TRUE(fs::exists(xlsx));
  EXPECT_TRUE(OtherFiles(dir.path() + "/out", "lode.xlsx").empty());
}

TEST(ExportXlsx, AbortLeavesThePreviousWorkbookAndReleasesItsFiles) {
  TempDir dir;
  const std::string xlsx = dir.path() + "/lode.xlsx";
  ASSERT_TRUE(WriteRun(*MakeSink(xlsx)->sink(), {DocWith("a", {Item("a", 1, Value(std::string("old")))})}).ok());
  const std::string before = ReadFile(xlsx);
  const int descriptors = OpenDescriptors();
  {
    auto h = MakeSink(xlsx);
    ASSERT_TRUE(h->sink()->Open(Context()).ok());
    ASSERT_TRUE(h->sink()->Write(DocWith("b", {Item("b", 1, Value(std::string("new")))})).ok());
    h->sink()->Abort();
    EXPECT_EQ(ReadFile(xlsx), before);
    EXPECT_TRUE(OtherFiles(dir.path(), "lode.xlsx").empty());
    EXPECT_TRUE(h->sink()->Written().empty());
  }
  {
    // Destroyed mid-run, without Abort().
    auto h = MakeSink(xlsx);
    ASSERT_TRUE(h->sink()->Open(Context()).ok());
    ASSERT_TRUE(h->sink()->Write(DocWith("b", {Item("b", 1, Value(std::string("new")))})).ok());
  }
  EXPECT_EQ(ReadFile(xlsx), before);
  EXPECT_TRUE(OtherFiles(dir.path(), "lode.xlsx").empty());
  EXPECT_EQ(OpenDescriptors(), descriptors);
}

TEST(ExportXlsx, AKilledRunLeavesThePreviousWorkbookUntouched) {
  TempDir dir;
  const std::string xlsx = dir.path() + "/lode.xlsx";
  ASSERT_TRUE(WriteRun(*MakeSink(xlsx)->sink(), {DocWith("a", {Item("a", 1, Value(std::string("old")))})}).ok());
  const std::string before = ReadFile(xlsx);
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    auto h = MakeSink(xlsx);
    if (h == nullptr || !h->sink()->Open(Context()).ok()) ::_exit(1);
    for (int i = 0; i < 1000; ++i)
      if (!h->sink()->Write(DocWith("d", {Item("d", i, Value(std::string(100, 'n')))})).ok()) ::_exit(1);
    ::raise(SIGKILL);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << "the child failed before it was killed";
  EXPECT_EQ(ReadFile(xlsx), before);
  // What a killed run leaves: an empty temporary file, named so that it cannot
  // be taken for the workbook (the row files were unlinked when made).
  EXPECT_EQ(OtherFiles(dir.path(), "lode.xlsx"), std::vector<std::string>{"lode.xlsx.tmp-" + std::to_string(child)});
}

TEST(ExportXlsx, ATablePastExcelsRowLimitContinuesOnANewSheet) {
  TempDir dir;
  const std::string xlsx = dir.path() + "/lode.xlsx";
  TableSchema counts{"counts", "Numbers.", {{"n", ColumnType::kInteger, "A number."}}};
  auto h = MakeSink(xlsx, "tables: [counts]");
  ASSERT_TRUE(h->sink()->Open(Context({counts})).ok());
  const int64_t total = 1048576 + 1;  // the first sheet holds 1,048,575 under its header
  for (int64_t n = 1; n <= total;) {
    Document doc = DocWith("d", {});
    for (int i = 0; i < 4096 && n <= total; ++i, ++n) doc.AddRow("counts", {Value(n)});
    ASSERT_TRUE(h->sink()->Write(doc).ok());
  }
  ASSERT_TRUE(h->sink()->Close({}).ok());
  json book = ReadBack(xlsx, /*shape=*/true);
  ASSERT_EQ(SheetNames(book), (std::vector<std::string>{"counts", "counts (2)"}));
  EXPECT_EQ(book[0]["max_row"], 1048576);
  EXPECT_EQ(book[1]["rows"], json::parse(R"([["n"], [1048576], [1048577]])"));
}

// The file size limit makes every write past it fail as a full disk would
// (EFBIG instead of ENOSPC), without needing a small file system.
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

TEST(ExportXlsx, AFullDiskFailsNamingThePathAndKeepsThePreviousWorkbook) {
  TempDir dir;
  const std::string xlsx = dir.path() + "/lode.xlsx";
  ASSERT_TRUE(WriteRun(*MakeSink(xlsx)->sink(), {DocWith("a", {Item("a", 1, Value(std::string("old")))})}).ok());
  const std::string before = ReadFile(xlsx);
  auto h = MakeSink(xlsx);
  Status s;
  {
    FileSizeLimit limit(1 << 20);
    s = h->sink()->Open(Context());
    // Random-looking text, so that the zip cannot squeeze it under the limit.
    uint64_t x = 88172645463325252ull;
    for (int d = 0; d < 40 && s.ok(); ++d) {
      std::vector<TableRow> rows;
      for (int i = 0; i < 100; ++i) {
        std::string text;
        for (int k = 0; k < 1000; ++k) {
          x ^= x << 13, x ^= x >> 7, x ^= x << 17;
          text += static_cast<char>('!' + x % 90);
        }
        rows.push_back(Item("d", i, Value(text)));
      }
      s = h->sink()->Write(DocWith("d", rows));
    }
    if (s.ok()) s = h->sink()->Close({});
    else h->sink()->Abort();
  }
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kIo);
  EXPECT_NE(s.message().find("cannot write " + xlsx), std::string::npos) << s.message();
  EXPECT_EQ(ReadFile(xlsx), before);
  EXPECT_TRUE(OtherFiles(dir.path(), "lode.xlsx").empty());
  EXPECT_TRUE(h->sink()->Written().empty());
}

TEST(ExportXlsx, APathThatIsAFolderFailsBeforeAnyWork) {
  TempDir dir;
  fs::create_directories(dir.path() + "/lode.xlsx");
  auto h = MakeSink(dir.path() + "/lode.xlsx");
  Status s = h->sink()->Open(Context());
  EXPECT_EQ(s.code(), StatusCode::kIo);
  EXPECT_EQ(s.message(), "cannot write " + dir.path() + "/lode.xlsx: it is a folder");
}

}  // namespace
