// export.sqlite: rows and types read back with SQLite's C API, atomic
// replacement, append, awkward text and failures that must leave the previous
// database intact.
#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "lode/lode.h"
#include "lode/testing.h"
#include "test_support.h"

LODE_DECLARE_STATIC_PLUGIN(export_sqlite);

namespace {

using namespace lode;
using lode::testing::ReadFile;
using lode::testing::TempDir;
namespace fs = std::filesystem;

TableSchema TestItemsTable() {
  return {"items",
          "Numbered items.",
          {{"doc_id", ColumnType::kText, "The document."},
           {"item", ColumnType::kInteger, "Item number."},
           {"title", ColumnType::kText, "Its title."},
           {"score", ColumnType::kReal, "A score."},
           {"done", ColumnType::kBoolean, "Whether it is done."}}};
}

// No doc_id or item column: gets no index.
TableSchema TestNotesTable() {
  return {"notes", "Free notes.", {{"note", ColumnType::kText, "The note."}}};
}

OutputContext Context(std::vector<TableSchema> extra = {TestItemsTable(), TestNotesTable()}) {
  OutputContext c;
  c.pipeline_name = "test";
  c.tables = {DocumentsTable(), RunsTable()};
  for (TableSchema& t : extra) c.tables.push_back(std::move(t));
  return c;
}

std::unique_ptr<StageHarness> MakeSink(const std::string& yaml) {
  auto h = StageHarness::Create(lode_plugin_export_sqlite(), "export.sqlite", yaml);
  EXPECT_TRUE(h.ok()) << h.status().ToString();
  return h.ok() ? std::move(*h) : nullptr;
}

std::string PathParam(const std::string& path, const std::string& more = "") {
  return "path: \"" + path + "\"" + (more.empty() ? "" : "\n" + more);
}

Document DocWith(const std::string& id, std::vector<TableRow> rows) {
  Document doc = StageHarness::MakeDocument(id, "text of " + id);
  doc.rows = std::move(rows);
  return doc;
}

TableRow Item(const std::string& doc, int64_t item, Value title, Value score = Value(), Value done = Value()) {
  return {"items", Row{{Value(doc), Value(item), std::move(title), std::move(score), std::move(done)}}};
}

TableRow RunRow(const std::string& run_id) {
  return {"runs", Row{{Value(run_id), Value(std::string("test")), Value(std::string("0.1.0")),
                       Value(std::string("2024-01-01T00:00:00Z")), Value(1.5), Value(int64_t{2}), Value(int64_t{1}),
                       Value(int64_t{1}), Value(int64_t{0}), Value(int64_t{0}), Value(int64_t{10})}}};
}

// Writes one run: every document, then the final rows, then Close().
Status WriteRun(Sink& sink, const std::vector<Document>& docs, const std::vector<TableRow>& final_rows = {},
                const OutputContext& context = Context()) {
  LODE_RETURN_IF_ERROR(sink.Open(context));
  for (const Document& d : docs) LODE_RETURN_IF_ERROR(sink.Write(d));
  return sink.Close(final_rows);
}

// A cell as SQLite stored it: its storage class decides the alternative.
Value CellOf(sqlite3_stmt* q, int i) {
  switch (sqlite3_column_type(q, i)) {
    case SQLITE_INTEGER: return Value(static_cast<int64_t>(sqlite3_column_int64(q, i)));
    case SQLITE_FLOAT: return Value(sqlite3_column_double(q, i));
    case SQLITE_TEXT: {
      const char* s = reinterpret_cast<const char*>(sqlite3_column_text(q, i));
      return Value(std::string(s, static_cast<size_t>(sqlite3_column_bytes(q, i))));
    }
    case SQLITE_NULL: return Value();
    default: return Value(std::string("<blob>"));
  }
}

// Every row of `sql`, or a failed assertion naming SQLite's error.
std::vector<std::vector<Value>> Query(const std::string& db_path, const std::string& sql) {
  std::vector<std::vector<Value>> rows;
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    ADD_FAILURE() << db_path << ": " << sqlite3_errmsg(db);
    sqlite3_close(db);
    return rows;
  }
  sqlite3_stmt* q = nullptr;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &q, nullptr) != SQLITE_OK) {
    ADD_FAILURE() << sql << ": " << sqlite3_errmsg(db);
  } else {
    while (sqlite3_step(q) == SQLITE_ROW) {
      std::vector<Value> row;
      for (int i = 0; i < sqlite3_column_count(q); ++i) row.push_back(CellOf(q, i));
      rows.push_back(std::move(row));
    }
  }
  sqlite3_finalize(q);
  sqlite3_close(db);
  return rows;
}

std::vector<std::string> TableNames(const std::string& db_path) {
  std::vector<std::string> names;
  for (auto& r : Query(db_path, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"))
    names.push_back(std::get<std::string>(r[0]));
  return names;
}

// Files in `dir` other than `keep`: stray temporary files.
std::vector<std::string> OtherFiles(const std::string& dir, const std::string& keep) {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().filename() != keep) names.push_back(e.path().filename().string());
  return names;
}

TEST(ExportSqlite, WritesTypedColumnsAndReadsBackEveryValue) {
  TempDir dir;
  const std::string db = dir.path() + "/lode.sqlite";
  auto h = MakeSink(PathParam(db));
  std::vector<Document> docs = {
      DocWith("a.txt", {Item("a.txt", 1, Value(std::string("一、目标")), Value(0.25), Value(true)),
                        Item("a.txt", 2, Value(std::string("")), Value(int64_t{3}), Value(false)),
                        Item("a.txt", 3, Value(), Value(), Value())}),
      DocWith("b.txt", {{"notes", Row{{Value(std::string("note"))}}}}),
  };
  ASSERT_TRUE(WriteRun(*h->sink(), docs, {RunRow("run-1")}).ok());
  EXPECT_EQ(h->sink()->Written(), std::vector<std::string>{db});

  EXPECT_EQ(TableNames(db), (std::vector<std::string>{"documents", "items", "notes", "runs"}));
  std::vector<std::vector<Value>> types = Query(db, "SELECT name, type FROM pragma_table_info('items')");
  ASSERT_EQ(types.size(), 5u);
  const char* expected[][2] = {{"doc_id", "TEXT"}, {"item", "INTEGER"}, {"title", "TEXT"},
                               {"score", "REAL"},  {"done", "INTEGER"}};
  for (size_t i = 0; i < 5; ++i) {
    EXPECT_EQ(std::get<std::string>(types[i][0]), expected[i][0]);
    EXPECT_EQ(std::get<std::string>(types[i][1]), expected[i][1]);
  }

  auto rows = Query(db, "SELECT doc_id, item, title, score, done FROM items ORDER BY rowid");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0], (std::vector<Value>{Value(std::string("a.txt")), Value(int64_t{1}),
                                         Value(std::string("一、目标")), Value(0.25), Value(int64_t{1})}));
  // An empty string stays distinct from NULL; an integer in a real column reads as a real.
  EXPECT_EQ(rows[1], (std::vector<Value>{Value(std::string("a.txt")), Value(int64_t{2}), Value(std::string("")),
                                         Value(3.0), Value(int64_t{0})}));
  EXPECT_EQ(rows[2], (std::vector<Value>{Value(std::string("a.txt")), Value(int64_t{3}), Value(), Value(), Value()}));
  EXPECT_EQ(Query(db, "SELECT note FROM notes"), (std::vector<std::vector<Value>>{{Value(std::string("note"))}}));
  auto runs = Query(db, "SELECT run_id, seconds, threads FROM runs");
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_EQ(runs[0], (std::vector<Value>{Value(std::string("run-1")), Value(1.5), Value(int64_t{2})}));

  // Column docs travel in the schema, for `.schema` readers.
  auto sql = Query(db, "SELECT sql FROM sqlite_master WHERE name = 'items'");
  ASSERT_EQ(sql.size(), 1u);
  EXPECT_NE(std::get<std::string>(sql[0][0]).find("-- Item number."), std::string::npos);
  EXPECT_TRUE(OtherFiles(dir.path(), "lode.sqlite").empty());
}

// Rows go in several to a statement when a document brings many of one table
// in a row: every row must still arrive, in its order (rowid order is the
// order a user sees without ORDER BY), whatever the run lengths around the
// statement's size.
TEST(ExportSqlite, LongRunsOfRowsArriveWholeAndInOrder) {
  TempDir dir;
  const std::string db = dir.path() + "/lode.sqlite";
  auto h = MakeSink(PathParam(db));
  std::vector<Document> docs;
  int64_t n = 0;
  // Runs of 1, 31, 32, 33, 65 and 100 items, each followed by a note, then
  // 23 items and notes in turn (as extract.progress writes progress and
  // audits rows): 285 items, grouped by table.
  std::vector<TableRow> rows;
  std::vector<int> runs{1, 31, 32, 33, 65, 100};
  runs.insert(runs.end(), 23, 1);
  for (int run : runs) {
    for (int k = 0; k < run; ++k, ++n)
      rows.push_back(Item("a", n, Value("t" + std::to_string(n)), Value(0.5 * static_cast<double>(n)), Value(n % 2 == 0)));
    rows.push_back({"notes", Row{{Value("after " + std::to_string(n))}}});
  }
  docs.push_back(DocWith("a", std::move(rows)));
  docs.push_back(DocWith("b", {Item("b", 0, Value(std::string("alone")))}));
  ASSERT_TRUE(WriteRun(*h->sink(), docs).ok());

  auto items = Query(db, "SELECT doc_id, item, title, score, done FROM items ORDER BY rowid");
  ASSERT_EQ(items.size(), static_cast<size_t>(n + 1));
  for (int64_t i = 0; i < n; ++i) {
    const std::vector<Value> expected{Value(std::string("a")), Value(i), Value("t" + std::to_string(i)),
                                      Value(0.5 * static_cast<double>(i)), Value(int64_t{i % 2 == 0})};
    EXPECT_EQ(items[static_cast<size_t>(i)], expected) << "row " << i;
  }
  EXPECT_EQ(items.back()[2], Value(std::string("alone")));
  std::vector<std::string> notes, expected_notes;
  for (auto& r : Query(db, "SELECT note FROM notes ORDER BY rowid")) notes.push_back(std::get<std::string>(r[0]));
  int64_t after = 0;
  for (int run : runs) expected_notes.push_back("after " + std::to_string(after += run));
  EXPECT_EQ(notes, expected_notes);
}

// Rows reach SQLite through virtual tables named lode_feed_<n> on the
// connection: tables of the run, or of a database appended to, with such names
// keep their own rows, and no feed lands in the file.
TEST(ExportSqlite, TablesNamedLikeTheRowFeedsKeepTheirOwnRows) {
  TempDir dir;
  const std::string db = dir.path() + "/lode.sqlite";
  auto table = [](const std::string& name) {
    return TableSchema{name, "A table.", {{"note", ColumnType::kText, "The note."}}};
  };
  // After documents and runs, these are the run's tables 2 and 3, each named
  // like the other's feed.
  auto context = Context({table("lode_feed_3"), table("LODE_FEED_2")});
  auto note = [](const std::string& t, const std::string& text) { return TableRow{t, Row{{Value(text)}}}; };
  for (const std::string mode : {"replace", "append"}) {
    auto h = MakeSink(PathParam(db, "mode: " + mode));
    ASSERT_TRUE(WriteRun(*h->sink(),
                         {DocWith("a", {note("lode_feed_3", "three " + mode), note("LODE_FEED_2", "two " + mode)})},
                         {}, context)
                    .ok());
  }
  EXPECT_EQ(Query(db, "SELECT note FROM lode_feed_3 ORDER BY rowid"),
            (std::vector<std::vector<Value>>{{Value(std::string("three replace"))},
                                             {Value(std::string("three append"))}}));
  EXPECT_EQ(Query(db, "SELECT note FROM lode_feed_2 ORDER BY rowid"),
            (std::vector<std::vector<Value>>{{Value(std::string("two replace"))}, {Value(std::string("two append"))}}));
  EXPECT_EQ(TableNames(db), (std::vector<std::string>{"LODE_FEED_2", "documents", "lode_feed_3", "runs"}));
  EXPECT_EQ(Query(db, "SELECT count(*) FROM sqlite_master WHERE sql LIKE '%VIRTUAL%'"),
            (std::vector<std::vector<Value>>{{Value(int64_t{0})}}));
}

// A malformed row inside a run fails the write naming the table, whatever its
// place in the statement's rows.
TEST(ExportSqlite, AShortRowInsideARunFailsNamingItsTable) {
  TempDir dir;
  auto h = MakeSink(PathParam(dir.path() + "/lode.sqlite"));
  std::vector<TableRow> rows;
  for (int64_t i = 0; i < 40; ++i) rows.push_back(Item("a", i, Value(std::string("t"))));
  rows[37].row.cells.pop_back();
  ASSERT_TRUE(h->sink()->Open(Context()).ok());
  const Status s = h->sink()->Write(DocWith("a", std::move(rows)));
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("a row of table items has 4 cells for 5 columns"), std::string::npos) << s.ToString();
  h->sink()->Abort();
  // Not even a doc_id: the same refusal (the index's order check must not read it).
  ASSERT_TRUE(h->sink()->Open(Context()).ok());
  const Status empty = h->sink()->Write(DocWith("a", {TableRow{"items", Row{}}}));
  EXPECT_NE(empty.message().find("a row of table items has 0 cells for 5 columns"), std::string::npos)
      << empty.ToString();
  h->sink()->Abort();
}

TEST(ExportSqlite, AwkwardTextComesBackByteForByte) {
  TempDir dir;
  const std::string db = dir.path() + "/lode.sqlite";
  std::vector<std::string> texts = {
      std::string("before\0after", 12),
      "a \"quoted\" 'word'; DROP TABLE items; --",
      "line one\nline two\r\nline three",
      "=cmd|' /C calc'!A0",
      "@SUM(1+1)",
      "完成 😀 唍成",
      std::string(1 << 20, 'x') + "end",
  };
  std::vector<TableRow> rows;
  for (size_t i = 0; i < texts.size(); ++i) rows.push_back(Item("d", static_cast<int64_t>(i), Value(texts[i])));
  auto h = MakeSink(PathParam(db));
  ASSERT_TRUE(WriteRun(*h->sink(), {DocWith("d", rows)}).ok());
  auto back = Query(db, "SELECT title FROM items ORDER BY item");
  ASSERT_EQ(back.size(), texts.size());
  for (size_t i = 0; i < texts.size(); ++i) {
    const std::string* s = std::get_if<std::string>(&back[i][0]);
    ASSERT_NE(s, nullptr) << "row " << i;
    EXPECT_EQ(*s, texts[i]) << "row " << i;
  }
}

TEST(ExportSqlite, IndexesDocIdAndItemWhereATableHasThem) {
  TempDir dir;
  const std::string db = dir.path() + "/lode.sqlite";
  auto h = MakeSink(PathParam(db));
  ASSERT_TRUE(WriteRun(*h->sink(), {DocWith("a", {Item("a", 1, Value(std::string("t")))})}).ok());
  auto columns_of = [&](const std::string& table) {
    std::vector<std::string> out;
    for (auto& index : Query(db, "SELECT name FROM pragma_index_list('" + table + "')")) {
      std::string cols;
      for (auto& c : Query(db, "SELECT name FROM pragma_index_info('" + std::get<std::string>(index[0]) +
                                   "') ORDER BY seqno"))
        cols += (cols.empty() ? "" : ",") + std::get<std::string>(c[0]);
      out.push_back(cols);
    }
    return out;
  };
  EXPECT_EQ(columns_of("items"), std::vector<std::string>{"doc_id,item"});
  EXPECT_EQ(columns_of("documents"), std::vector<std::string>{"doc_id"});
  EXPECT_TRUE(columns_of("notes").empty());
  EXPECT_TRUE(columns_of("runs").empty());
  // The lookup a user makes uses the index.
  auto plan = Query(db, "EXPLAIN QUERY PLAN SELECT * FROM items WHERE doc_id = 'a' AND item = 1");
  ASSERT_FALSE(plan.empty());
  EXPECT_NE(std::get<std::string>(plan[0][3]).find("USING INDEX items_doc_id_item"), std::string::npos);
}

// The index grows with the rows while documents come in order of doc_id; a
// document out of order makes it be built at the end. Either way the database
// ends with a whole, consistent index.
TEST(ExportSqlite, TheIndexIsWholeWhateverTheOrderOfTheDocuments) {
  for (const std::vector<std::string>& order : {std::vector<std::string>{"a", "b", "c"}, {"b", "c", "a"}}) {
    TempDir dir;
    const std::string db = dir.path() + "/lode.sqlite";
    auto h = MakeSink(PathParam(db));
    std::vector<Document> docs;
    for (const std::string& id : order) {
      std::vector<TableRow> rows;
      for (int64_t i = 3; i > 0; --i) rows.push_back(Item(id, i, Value(id + std::to_string(i))));
      docs.push_back(DocWith(id, std::move(rows)));
    }
    ASSERT_TRUE(WriteRun(*h->sink(), docs).ok());
    EXPECT_EQ(Query(db, "PRAGMA integrity_check"), (std::vector<std::vector<Value>>{{Value(std::string("ok"))}}));
    for (const std::string& id : order)
      EXPECT_EQ(Query(db, "SELECT group_concat(title) FROM (SELECT title FROM items INDEXED BY items_doc_id_item "
                          "WHERE doc_id = '" + id + "' ORDER BY item)"),
                (std::vector<std::vector<Value>>{{Value(id + "1," + id + "2," + id + "3")}}))
          << "order " << order[0] << order[1] << order[2];
  }
}

TEST(ExportSqlite, TablesSelectsAndUnknownNamesAreRefused) {
  TempDir dir;
  const std::string db = dir.path() + "/lode.sqlite";
  auto h = MakeSink(PathParam(db, "tables: [items]"));
  ASSERT_TRUE(WriteRun(*h->sink(), {DocWith("a", {Item("a", 1, Value(std::string("t"))),
                                                  {"notes", Row{{Value(std::string("n"))}}}})},
                       {RunRow("r")})
                  .ok());
  EXPECT_EQ(TableNames(db), std::vector<std::string>{"items"});

  auto bad = MakeSink(PathParam(dir.path() + "/other.sqlite", "tables: [items, itmes]"));
  Status s = bad->sink()->Open(Context());
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(), "table 'itmes' is not written by this pipeline (its tables: documents, runs, items, notes)");
  EXPECT_FALSE(fs::exists(dir.path() + "/other.sqlite"));
  EXPECT_EQ(OtherFiles(dir.path(), "lode.sqlite"), std::vector<std::string>{});
}

TEST(ExportSqlite, NothingAppearsBeforeCloseAndNoTemporaryFileStays) {
  TempDir dir;
  const std::string db = dir.path() + "/out/lode.sqlite";  // the folder is created
  auto h = MakeSink(PathParam(db));
  ASSERT_TRUE(h->sink()->Open(Context()).ok());
  ASSERT_TRUE(h->sink()->Write(DocWith("a", {Item("a", 1, Value(std::string("t")))})).ok());
  EXPECT_FALSE(fs::exists(db));
  EXPECT_EQ(OtherFiles(dir.path() + "/out", "").size(), 1u);  // the temporary file
  EXPECT_TRUE(h->sink()->Written().empty());
  ASSERT_TRUE(h->sink()->Close({}).ok());
  EXPECT_TRUE(fs::exists(db));
  EXPECT_TRUE(OtherFiles(dir.path() + "/out", "lode.sqlite").empty());
}

TEST(ExportSqlite, ReplaceModeHoldsOnlyTheLatestRun) {
  TempDir dir;
  const std::string db = dir.path() + "/lode.sqlite";
  ASSERT_TRUE(WriteRun(*MakeSink(PathParam(db))->sink(), {DocWith("a", {Item("a", 1, Value(std::string("old")))})},
                       {RunRow("run-1")})
                  .ok());
  ASSERT_TRUE(WriteRun(*MakeSink(PathParam(db))->sink(), {DocWith("b", {Item("b", 1, Value(std::string("new")))})},
                       {RunRow("run-2")})
                  .ok());
  EXPECT_EQ(Query(db, "SELECT doc_id, title FROM items"),
            (std::vector<std::vector<Value>>{{Value(std::string("b")), Value(std::string("new"))}}));
  EXPECT_EQ(Query(db, "SELECT run_id FROM runs"), (std::vector<std::vector<Value>>{{Value(std::string("run-2"))}}));
}

TEST(ExportSqlite, AbortLeavesThePreviousDatabaseUntouched) {
  TempDir dir;
  const std::string db = dir.path() + "/lode.sqlite";
  ASSERT_TRUE(WriteRun(*MakeSink(PathParam(db))->sink(), {DocWith("a", {Item("a", 1, Value(std::string("old")))})},
                       {RunRow("run-1")})
                  .ok());
  const std::string before = ReadFile(db);
  for (const char* mode : {"replace", "append"}) {
    auto h = MakeSink(PathParam(db, std::string("mode: ") + mode));
    ASSERT_TRUE(h->sink()->Open(Context()).ok());
    ASSERT_TRUE(h->sink()->Write(DocWith("b", {Item("b", 1, Value(std::string("new")))})).ok());
    h->sink()->Abort();
    EXPECT_EQ(ReadFile(db), before) << mode;
    EXPECT_TRUE(OtherFiles(dir.path(), "lode.sqlite").empty()) << mode;
    EXPECT_TRUE(h->sink()->Written().empty());
  }
  // A sink destroyed mid-run (the runner unwinding) behaves the same.
  {
    auto h = MakeSink(PathParam(db));
    ASSERT_TRUE(h->sink()->Open(Context()).ok());
    ASSERT_TRUE(h->sink()->Write(DocWith("b", {Item("b", 1, Value(std::string("new")))})).ok());
  }
  EXPECT_EQ(ReadFile(db), before);
  EXPECT_TRUE(OtherFiles(dir.path(), "lode.sqlite").empty());
}

TEST(ExportSqlite, AKilledRunLeavesThePreviousDatabaseUntouched) {
  TempDir dir;
  const std::string db = dir.path() + "/lode.sqlite";
  ASSERT_TRUE(WriteRun(*MakeSink(PathParam(db))->sink(), {DocWith("a", {Item("a", 1, Value(std::string("old")))})},
                       {RunRow("run-1")})
                  .ok());
  const std::string before = ReadFile(db);
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    auto h = MakeSink(PathParam(db));
    if (h == nullptr || !h->sink()->Open(Context()).ok()) ::_exit(1);
    for (int d = 0; d < 100; ++d) {
      std::vector<TableRow> rows;
      for (int i = 0; i < 100; ++i) rows.push_back(Item("d" + std::to_string(d), i, Value(std::string(1000, 'n'))));
      if (!h->sink()->Write(DocWith("d" + std::to_string(d), rows)).ok()) ::_exit(1);
    }
    ::raise(SIGKILL);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << "the child failed before it was killed";
  EXPECT_EQ(ReadFile(db), before);
  EXPECT_EQ(Query(db, "SELECT title FROM items"), (std::vector<std::vector<Value>>{{Value(std::string("old"))}}));
  // What a killed run leaves: its temporary file, named so that it cannot be
  // taken for the database.
  EXPECT_EQ(OtherFiles(dir.path(), "lode.sqlite"),
            std::vector<std::string>{"lode.sqlite.tmp-" + std::to_string(child)});
}

TEST(ExportSqlite, AppendAddsRowsAndOneRunsRowPerRun) {
  TempDir dir;
  const std::string db = dir.path() + "/lode.sqlite";
  ASSERT_TRUE(WriteRun(*MakeSink(PathParam(db, "mode: append"))->sink(),  // no database yet: created
                       {DocWith("a", {Item("a", 1, Value(std::string("first")))})}, {RunRow("run-1")})
                  .ok());
  ASSERT_TRUE(WriteRun(*MakeSink(PathParam(db, "mode: append"))->sink(),
                       {DocWith("b", {Item("b", 1, Value(std::string("second")))})}, {RunRow("run-2")})
                  .ok());
  EXPECT_EQ(Query(db, "SELECT doc_id, title FROM items ORDER BY rowid"),
            (std::vector<std::vector<Value>>{{Value(std::string("a")), Value(std::string("first"))},
                                             {Value(std::string("b")), Value(std::string("second"))}}));
  EXPECT_EQ(Query(db, "SELECT run_id FROM runs ORDER BY rowid"),
            (std::vector<std::vector<Value>>{{Value(std::string("run-1"))}, {Value(std::string("run-2"))}}));
  // The index made by the first run is kept, not duplicated.
  EXPECT_EQ(Query(db, "SELECT count(*) FROM pragma_index_list('items')"),
            (std::vector<std::vector<Value>>{{Value(int64_t{1})}}));
  EXPECT_TRUE(OtherFiles(dir.path(), "lode.sqlite").empty());
}

TEST(ExportSqlite, AppendTakesRowsStillInTheWriteAheadLogOfTheDatabase) {
  TempDir dir;
  const std::string db = dir.path() + "/lode.sqlite";
  ASSERT_TRUE(WriteRun(*MakeSink(PathParam(db))->sink(), {DocWith("a", {Item("a", 1, Value(std::string("old")))})}).ok());
  // Another program holds the database open in WAL mode with a row not yet
  // checkpointed into the file itself.
  sqlite3* other = nullptr;
  ASSERT_EQ(sqlite3_open(db.c_str(), &other), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(other,
                         "PRAGMA journal_mode=WAL; PRAGMA wal_autocheckpoint=0;"
                         "INSERT INTO items (doc_id, item, title) VALUES ('w', 1, 'in the log')",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  ASSERT_TRUE(fs::exists(db + "-wal"));
  Status s = WriteRun(*MakeSink(PathParam(db, "mode: append"))->sink(),
                      {DocWith("b", {Item("b", 1, Value(std::string("new")))})});
  sqlite3_close(other);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(Query(db, "SELECT title FROM items ORDER BY rowid"),
            (std::vector<std::vector<Value>>{{Value(std::string("old"))},
                                             {Value(std::string("in the log"))},
                                             {Value(std::string("new"))}}));
  // The copy is an ordinary rollback-journal database, whatever the original was.
  EXPECT_EQ(Query(db, "PRAGMA journal_mode"), (std::vector<std::vector<Value>>{{Value(std::string("delete"))}}));
  EXPECT_TRUE(OtherFiles(dir.path(), "lode.sqlite").empty());
}

TEST(ExportSqlite, ReplacingADatabaseOpenInWalModeIgnoresItsLog) {
  TempDir dir;
  const std::string db = dir.path() + "/lode.sqlite";
  ASSERT_TRUE(WriteRun(*MakeSink(PathParam(db))->sink(), {DocWith("a", {Item("a", 1, Value(std::string("old")))})}).ok());
  sqlite3* other = nullptr;
  ASSERT_EQ(sqlite3_open(db.c_str(), &other), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(other,
                         "PRAGMA journal_mode=WAL; PRAGMA wal_autocheckpoint=0;"
                         "UPDATE items SET title = 'changed in the log'",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  Status s = WriteRun(*MakeSink(PathParam(db))->sink(), {DocWith("b", {Item("b", 1, Value(std::string("new")))})});
  ASSERT_TRUE(s.ok()) << s.ToString();
  // Read while the other program still has the replaced database open: its
  // log must not be applied to the new file.
  EXPECT_EQ(Query(db, "SELECT doc_id, title FROM items"),
            (std::vector<std::vector<Value>>{{Value(std::string("b")), Value(std::string("new"))}}));
  sqlite3_close(other);
  EXPECT_EQ(Query(db, "SELECT doc_id, title FROM items"),
            (std::vector<std::vector<Value>>{{Value(std::string("b")), Value(std::string("new"))}}));
}

TEST(ExportSqlite, AppendAddsNewColumnsAndRefusesChangedTypes) {
  TempDir dir;
  const std::string db = dir.path() + "/lode.sqlite";
  TableSchema narrow = TestItemsTable();
  narrow.columns.resize(3);  // doc_id, item, title
  ASSERT_TRUE(WriteRun(*MakeSink(PathParam(db))->sink(),
                       {DocWith("a", {{"items", Row{{Value(std::string("a")), Value(int64_t{1}),
                                                     Value(std::string("old"))}}}})},
                       {}, Context({narrow}))
                  .ok());
  ASSERT_TRUE(WriteRun(*MakeSink(PathParam(db, "mode: append"))->sink(),
                       {DocWith("b", {Item("b", 2, Value(std::string("new")), Value(0.5), Value(true))})})
                  .ok());
  EXPECT_EQ(Query(db, "SELECT doc_id, score, done FROM items ORDER BY rowid"),
            (std::vector<std::vector<Value>>{{Value(std::string("a")), Value(), Value()},
                                             {Value(std::string("b")), Value(0.5), Value(int64_t{1})}}));

  const std::string before = ReadFile(db);
  TableSchema retyped = TestItemsTable();
  retyped.columns[1].type = ColumnType::kText;
  auto h = MakeSink(PathParam(db, "mode: append"));
  Status s = h->sink()->Open(Context({retyped, TestNotesTable()}));
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(), "cannot append to " + db +
                             ": column items.item is INTEGER there, but TEXT (text) in this run");
  EXPECT_EQ(ReadFile(db), before);
  EXPECT_TRUE(OtherFiles(dir.path(), "lode.sqlite").empty());
}

TEST(ExportSqlite, AppendToAFileThatIsNotADatabaseFailsNamingIt) {
  TempDir dir;
  const std::string db = dir.Write("lode.sqlite", "name,value\nnot,sqlite\n");
  auto h = MakeSink(PathParam(db, "mode: append"));
  Status s = h->sink()->Open(Context());
  EXPECT_EQ(s.code(), StatusCode::kIo);
  EXPECT_EQ(s.message(), "cannot append to " + db + ": it is not an SQLite database");
  EXPECT_EQ(ReadFile(db), "name,value\nnot,sqlite\n");
  EXPECT_TRUE(OtherFiles(dir.path(), "lode.sqlite").empty());
}

TEST(ExportSqlite, APathThatIsAFolderFailsBeforeAnyWork) {
  TempDir dir;
  fs::create_directories(dir.path() + "/lode.sqlite");
  auto h = MakeSink(PathParam(dir.path() + "/lode.sqlite"));
  Status s = h->sink()->Open(Context());
  EXPECT_EQ(s.code(), StatusCode::kIo);
  EXPECT_EQ(s.message(), "cannot write " + dir.path() + "/lode.sqlite: it is a folder");
}

TEST(ExportSqlite, ParametersAreValidated) {
  auto h = StageHarness::Create(lode_plugin_export_sqlite(), "export.sqlite", "mode: merge");
  ASSERT_FALSE(h.ok());
  EXPECT_NE(h.status().message().find("merge"), std::string::npos) << h.status().message();
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

TEST(ExportSqlite, AFullDiskFailsNamingThePathAndKeepsThePreviousDatabase) {
  TempDir dir;
  const std::string db = dir.path() + "/lode.sqlite";
  ASSERT_TRUE(WriteRun(*MakeSink(PathParam(db))->sink(), {DocWith("a", {Item("a", 1, Value(std::string("old")))})},
                       {RunRow("run-1")})
                  .ok());
  const std::string before = ReadFile(db);
  for (const char* mode : {"replace", "append"}) {
    auto h = MakeSink(PathParam(db, std::string("mode: ") + mode));
    Status s;
    {
      FileSizeLimit limit(1 << 20);
      s = h->sink()->Open(Context());
      for (int d = 0; d < 40 && s.ok(); ++d) {
        std::vector<TableRow> rows;
        for (int i = 0; i < 100; ++i) rows.push_back(Item("d" + std::to_string(d), i, Value(std::string(1000, 'x'))));
        s = h->sink()->Write(DocWith("d" + std::to_string(d), rows));
      }
      if (s.ok()) s = h->sink()->Close({RunRow("run-2")});
      else h->sink()->Abort();  // as the runner does after a failed Write
    }
    ASSERT_FALSE(s.ok()) << mode;
    EXPECT_EQ(s.code(), StatusCode::kIo) << mode;
    EXPECT_NE(s.message().find("cannot write " + db), std::string::npos) << s.message();
    EXPECT_EQ(ReadFile(db), before) << mode;
    EXPECT_TRUE(OtherFiles(dir.path(), "lode.sqlite").empty()) << mode;
    EXPECT_TRUE(h->sink()->Written().empty());
  }
}

TEST(ExportSqlite, ViewsJoinItemsWithTheirMetricsProgressAndAudits) {
  TempDir dir;
  auto sink = MakeSink("path: " + dir.path() + "/lode.sqlite");
  ASSERT_TRUE(sink->sink()->Open(Context({ItemsTable(), MetricsTable(), ProgressTable(), AuditsTable()})).ok());
  Document doc = StageHarness::MakeDocument("p1", "x");
  std::vector<Value> item(ItemsTable().columns.size());
  item[0] = Value(std::string("p1"));
  item[ItemsTable().ColumnIndex("item")] = Value(int64_t{7});
  item[ItemsTable().ColumnIndex("title")] = Value(std::string("新增停车泊位5万个"));
  doc.AddRow("items", item);
  for (double v : {50000.0, 17010.0}) {
    std::vector<Value> m(MetricsTable().columns.size());
    m[0] = Value(std::string("p1"));
    m[MetricsTable().ColumnIndex("item")] = Value(int64_t{7});
    m[MetricsTable().ColumnIndex("canonical_value")] = Value(v);
    doc.AddRow("metrics", m);
  }
  ASSERT_TRUE(sink->sink()->Write(doc).ok());
  ASSERT_TRUE(sink->sink()->Close({}).ok());
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir.path() + "/lode.sqlite").c_str(), &db), SQLITE_OK);
  sqlite3_stmt* q = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "SELECT item_title, SUM(canonical_value), COUNT(*) FROM item_metrics GROUP BY item", -1,
                               &q, nullptr),
            SQLITE_OK)
      << sqlite3_errmsg(db);
  ASSERT_EQ(sqlite3_step(q), SQLITE_ROW);
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(sqlite3_column_text(q, 0))), "新增停车泊位5万个");
  EXPECT_EQ(sqlite3_column_double(q, 1), 67010.0);
  EXPECT_EQ(sqlite3_column_int(q, 2), 2);
  sqlite3_finalize(q);
  for (const char* view : {"item_progress", "item_audits"}) {
    std::string sql = std::string("SELECT COUNT(*) FROM ") + view;
    ASSERT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &q, nullptr), SQLITE_OK) << view;
    ASSERT_EQ(sqlite3_step(q), SQLITE_ROW);
    EXPECT_EQ(sqlite3_column_int(q, 0), 0);
    sqlite3_finalize(q);
  }
  sqlite3_close(db);
}

}  // namespace
