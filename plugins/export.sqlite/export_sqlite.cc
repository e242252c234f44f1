// export.sqlite: one SQLite database, one SQL table per lode table.
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <memory>
#include <new>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "lode/lode.h"

namespace {

using namespace lode;
namespace fs = std::filesystem;

std::string QuoteIdentifier(std::string_view name) {
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + '"';
}

// SQLite has no boolean type: 0/1 in an INTEGER column is what its own docs
// and every client expect.
const char* SqlType(ColumnType type) {
  switch (type) {
    case ColumnType::kText: return "TEXT";
    case ColumnType::kInteger: return "INTEGER";
    case ColumnType::kReal: return "REAL";
    case ColumnType::kBoolean: return "INTEGER";
  }
  return "";
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

// A doc string as an SQL line comment (the caller ends the line): `.schema`
// then shows what each column means, since SQLite keeps the CREATE statement
// as it was written.
std::string SqlComment(std::string_view doc) {
  std::string out = " -- ";
  for (char c : doc) out += (c == '\n' || c == '\r') ? ' ' : c;
  return out;
}

// A document's rows of one table reach SQLite through a virtual table that
// reads them where they are: one `INSERT INTO t SELECT * FROM <feed>` step
// per table and document, with no call per cell to bind it. On the main
// pipeline over 100 MB, export.sqlite took 1.58-1.73 CPU s this way, where
// statements of up to 32 rows of bound parameters took 1.71-1.93 (runs
// alternated).
struct Feed {
  std::vector<ColumnType> types;  // of the table's columns, in order
  const TableRow* const* rows = nullptr;
  size_t count = 0;
};

struct FeedTable {
  sqlite3_vtab base;  // first: SQLite hands back a pointer to it
  const Feed* feed;
};

struct FeedCursor {
  sqlite3_vtab_cursor base;  // first, as above
  const Feed* feed;
  size_t at;
};

// In SQLite's memory: a failed allocation returns SQLITE_NOMEM to SQLite
// instead of throwing through its C frames. (The structs are trivially
// destructible: Free only releases the memory.)
template <typename T, typename Base>
int Allocate(const T& value, Base** out) {
  void* memory = sqlite3_malloc(sizeof(T));
  if (memory == nullptr) return SQLITE_NOMEM;
  *out = &(new (memory) T(value))->base;
  return SQLITE_OK;
}

template <typename Base>
int Free(Base* p) {
  sqlite3_free(p);
  return SQLITE_OK;
}

int FeedConnect(sqlite3* db, void* aux, int, const char* const*, sqlite3_vtab** out, char**) {
  const auto* feed = static_cast<const Feed*>(aux);
  std::string sql = "CREATE TABLE x(";
  for (size_t c = 0; c < feed->types.size(); ++c) sql += (c ? ", c" : "c") + std::to_string(c);
  if (int rc = sqlite3_declare_vtab(db, (sql + ")").c_str()); rc != SQLITE_OK) return rc;
  // Only our own statements read it: not a view or a trigger in the file.
  sqlite3_vtab_config(db, SQLITE_VTAB_DIRECTONLY);
  return Allocate(FeedTable{{}, feed}, out);
}

int FeedBestIndex(sqlite3_vtab* table, sqlite3_index_info* info) {
  info->estimatedCost = 1;
  info->estimatedRows = static_cast<sqlite3_int64>(reinterpret_cast<FeedTable*>(table)->feed->count);
  return SQLITE_OK;
}

int FeedOpen(sqlite3_vtab* table, sqlite3_vtab_cursor** out) {
  return Allocate(FeedCursor{{}, reinterpret_cast<FeedTable*>(table)->feed, 0}, out);
}

int FeedFilter(sqlite3_vtab_cursor* cursor, int, const char*, int, sqlite3_value**) {
  reinterpret_cast<FeedCursor*>(cursor)->at = 0;
  return SQLITE_OK;
}

int FeedNext(sqlite3_vtab_cursor* cursor) {
  ++reinterpret_cast<FeedCursor*>(cursor)->at;
  return SQLITE_OK;
}

int FeedEof(sqlite3_vtab_cursor* cursor) {
  const auto* c = reinterpret_cast<FeedCursor*>(cursor);
  return c->at >= c->feed->count;
}

// Insert() has checked every row's width before the step.
int FeedColumn(sqlite3_vtab_cursor* cursor, sqlite3_context* out, int column) {
  const auto* c = reinterpret_cast<FeedCursor*>(cursor);
  const auto k = static_cast<size_t>(column);
  const Value& v = c->feed->rows[c->at]->row.cells[k];
  if (const auto* s = std::get_if<std::string>(&v))
    // Static: the row outlives the step. The explicit length keeps NUL bytes
    // inside the text.
    sqlite3_result_text64(out, s->data(), s->size(), SQLITE_STATIC, SQLITE_UTF8);
  else if (const auto* i = std::get_if<int64_t>(&v))
    c->feed->types[k] == ColumnType::kReal ? sqlite3_result_double(out, static_cast<double>(*i))
                                           : sqlite3_result_int64(out, *i);
  else if (const auto* d = std::get_if<double>(&v))
    sqlite3_result_double(out, *d);  // NaN reads NULL
  else if (const auto* b = std::get_if<bool>(&v))
    sqlite3_result_int(out, *b ? 1 : 0);
  else
    sqlite3_result_null(out);
  return SQLITE_OK;
}

int FeedRowid(sqlite3_vtab_cursor* cursor, sqlite3_int64* rowid) {
  *rowid = static_cast<sqlite3_int64>(reinterpret_cast<FeedCursor*>(cursor)->at);
  return SQLITE_OK;
}

// Without xCreate the table is eponymous-only: it exists under the module's
// name on this connection and is never written into the database file.
sqlite3_module MakeFeedModule() {
  sqlite3_module m{};
  m.xConnect = FeedConnect;
  m.xBestIndex = FeedBestIndex;
  m.xDisconnect = Free<sqlite3_vtab>;
  m.xDestroy = Free<sqlite3_vtab>;
  m.xOpen = FeedOpen;
  m.xClose = Free<sqlite3_vtab_cursor>;
  m.xFilter = FeedFilter;
  m.xNext = FeedNext;
  m.xEof = FeedEof;
  m.xColumn = FeedColumn;
  m.xRowid = FeedRowid;
  return m;
}

const sqlite3_module kFeedModule = MakeFeedModule();

class ExportSqlite final : public Sink {
 public:
  ExportSqlite(const Config& c, int threads)
      : sort_helpers_(threads > 1 ? threads - 1 : 0),
        path_(c.GetString("path")),
        append_(c.GetString("mode") == "append"),
        selected_(c.GetList("tables")) {}
  ~ExportSqlite() override { Discard(); }

  Status Open(const OutputContext& context) override {
    Status s = OpenTemporary(context);
    if (!s.ok()) Discard();
    return s;
  }

  Status Write(const Document& doc) override {
    LODE_RETURN_IF_ERROR(Insert(doc.rows));
    if (writing_behind_) behind_->Grown();
    return OkStatus();
  }

  // A failed commit cleans up at once (the runner's Abort() then finds nothing
  // to do).
  Status Close(const std::vector<TableRow>& final_rows) override {
    Status s = Commit(final_rows);
    if (!s.ok()) Discard();
    return s;
  }

  void Abort() override { Discard(); }

  std::vector<std::string> Written() const override {
    if (!committed_) return {};
    return {path_};
  }

 private:
  struct Target {
    TableSchema schema;
    // INSERT INTO the table SELECT * FROM its feed, which holds this
    // document's rows of the table while it runs.
    sqlite3_stmt* insert = nullptr;
    std::unique_ptr<Feed> feed;  // SQLite keeps its address (the module's)
    std::vector<const TableRow*> pending;  // this document's rows of the table (Insert), kept for the capacity
    // The index on (doc_id, item) goes in with the rows while the documents
    // come in ascending order of doc_id (see TrackOrder).
    std::string index;     // its name; empty when the table has neither column
    std::string keys;      // its quoted columns, "doc_id", "item"
    int doc_column = -1;   // where doc_id is among the columns
    bool growing = false;  // the index exists and gets its entries as rows go in
    std::string last_doc;  // the largest doc_id written so far
  };

  Status OpenTemporary(const OutputContext& context) {
    if (db_ != nullptr || committed_) return FailedPreconditionError(path_ + ": opened twice");
    if (path_.empty()) return InvalidArgumentError("'path' is empty");
    LODE_ASSIGN_OR_RETURN(std::vector<TableSchema> chosen, SelectTables(context.tables, selected_));

    const fs::path dest(path_);
    LODE_RETURN_IF_ERROR(EnsureDirectory(dest.has_parent_path() ? dest.parent_path().string() : "."));
    std::error_code ec;
    const bool exists = fs::exists(dest, ec);
    if (exists && fs::is_directory(dest, ec)) return IoError("cannot write " + path_ + ": it is a folder");

    tmp_ = path_ + ".tmp-" + std::to_string(::getpid());
    ::unlink(tmp_.c_str());  // left by a killed run whose pid we now have
    // NOMUTEX: a sink is called by one thread at a time, so SQLite's lock
    // around every bind and step only cost time.
    if (sqlite3_open_v2(tmp_.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        nullptr) != SQLITE_OK)
      return Fail("cannot write " + path_);
    // Atomicity comes from the rename in Close(): a half-written temporary file
    // is simply deleted, so it needs neither a journal nor syncs. The largest
    // page: the database is written once in bulk and read mostly by scans, and
    // rows and index entries went in a fifth faster than with 4 KiB pages
    // (fewer page splits and writes). A bigger cache made nothing faster.
    LODE_RETURN_IF_ERROR(
        Exec("PRAGMA page_size=65536; PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA temp_store=FILE; "
             "PRAGMA cache_size=-4096"));
    if (append_ && exists) {
      LODE_RETURN_IF_ERROR(CopyPrevious());
      // A copy of a database in WAL mode is in WAL mode too, which would bring
      // the journal back (into "<tmp>-wal") and make the renamed file look for
      // a "<path>-wal" that may belong to the database it replaced.
      LODE_RETURN_IF_ERROR(Exec("PRAGMA journal_mode=DELETE; PRAGMA journal_mode=OFF"));
    }
    LODE_RETURN_IF_ERROR(Exec("BEGIN"));
    LODE_RETURN_IF_ERROR(ChooseFeedPrefix(chosen));
    for (TableSchema& t : chosen) LODE_RETURN_IF_ERROR(PrepareTable(std::move(t)));
    // A new database grows at its end, and while the indexes grow in order
    // (TrackOrder) SQLite hardly reads back a page it has written out (on the
    // main pipeline, 1 MB read from the disk for a 426 MB database). A copied
    // one takes rows into its old indexes, anywhere in the file.
    writing_behind_ = !(append_ && exists);
    if (writing_behind_) behind_.emplace(tmp_);
    return OkStatus();
  }

  // Indexes are kept up to date as rows go in, not sorted at the end, as long
  // as the documents come in ascending order of doc_id, as read.files gives
  // them: each entry then lands on the last pages of its index. A sort at the
  // end is one step no other thread can share (on the main pipeline, 100 MB,
  // 2 threads: 0.7 s of 4.3), and its buffers were a third of the peak memory.
  // A document out of order would send entries anywhere in a large index
  // through a small cache: the index is dropped then, and built by one sort
  // at the end.
  Status TrackOrder(Target& t, const TableRow* const* rows, size_t n) {
    const auto column = static_cast<size_t>(t.doc_column);
    for (size_t k = 0; k < n && t.growing; ++k) {
      // Insert() has checked the rows' width.
      const auto* doc = std::get_if<std::string>(&rows[k]->row.cells[column]);
      if (doc == nullptr || *doc == t.last_doc) continue;
      if (*doc > t.last_doc) {
        t.last_doc = *doc;
        continue;
      }
      t.growing = false;
      // The sort at the end reads the whole table back: what is still in the
      // cache comes from there. (Not reset: closing its descriptor would drop
      // SQLite's locks on the file.)
      writing_behind_ = false;
      LODE_RETURN_IF_ERROR(Exec("DROP INDEX " + QuoteIdentifier(t.index), "index " + t.index));
    }
    return OkStatus();
  }

  // A name in FROM is a table of the database before it is a module: no
  // table of this run or of the database (append) may start like a feed.
  Status ChooseFeedPrefix(const std::vector<TableSchema>& chosen) {
    std::vector<std::string> names;
    for (const TableSchema& t : chosen) names.push_back(t.name);
    sqlite3_stmt* q = nullptr;
    if (sqlite3_prepare_v2(db_, "SELECT name FROM sqlite_schema", -1, &q, nullptr) != SQLITE_OK)
      return Fail("cannot read " + path_);
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW)
      names.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(q, 0)));
    sqlite3_finalize(q);
    if (rc != SQLITE_DONE) return Fail("cannot read " + path_);
    feed_prefix_ = "lode_feed_";
    auto taken = [&] {
      for (const std::string& n : names)
        if (n.size() >= feed_prefix_.size() && EqualsIgnoreCase(n.substr(0, feed_prefix_.size()), feed_prefix_))
          return true;
      return false;
    };
    while (taken()) feed_prefix_ += '_';
    return OkStatus();
  }

  // Append works on a copy, so that both modes commit the same way (one
  // rename) and a killed append leaves no hot journal beside the user's file.
  // The backup API, unlike a file copy, also picks up pages still in a WAL.
  Status CopyPrevious() {
    sqlite3* previous = nullptr;
    int rc = sqlite3_open_v2(path_.c_str(), &previous, SQLITE_OPEN_READONLY, nullptr);
    Status s;
    if (rc != SQLITE_OK) {
      s = IoError("cannot read " + path_ + " to append to it: " + sqlite3_errmsg(previous));
    } else {
      sqlite3_busy_timeout(previous, 10000);
      sqlite3_backup* copy = sqlite3_backup_init(db_, "main", previous, "main");
      if (copy == nullptr) {
        s = Fail("cannot copy " + path_ + " to append to it");
      } else {
        rc = sqlite3_backup_step(copy, -1);
        sqlite3_backup_finish(copy);
        if (rc != SQLITE_DONE)
          s = IoError("cannot append to " + path_ + ": " + (rc == SQLITE_NOTADB ? std::string("it is not an SQLite database")
                                                                             : std::string(sqlite3_errstr(rc))));
      }
    }
    sqlite3_close(previous);
    return s;
  }

  // Creates the table, or in append mode checks the existing one: a missing
  // column is added (older rows read NULL there), a column of another type is
  // refused, a column this run does not write is left NULL in its rows.
  Status PrepareTable(TableSchema table) {
    LODE_ASSIGN_OR_RETURN(auto existing, ExistingColumns(table.name));
    const std::string name = QuoteIdentifier(table.name);
    if (existing.empty()) {
      std::string sql = "CREATE TABLE " + name + SqlComment(table.doc) + "\n(";
      for (size_t c = 0; c < table.columns.size(); ++c) {
        const Column& col = table.columns[c];
        sql += "\n  " + QuoteIdentifier(col.name) + " " + SqlType(col.type) +
               (c + 1 < table.columns.size() ? "," : "") + SqlComment(col.doc);
      }
      LODE_RETURN_IF_ERROR(Exec(sql + "\n)", "table " + table.name));
    } else {
      for (const Column& col : table.columns) {
        const std::pair<std::string, std::string>* found = nullptr;
        for (const auto& e : existing)
          if (EqualsIgnoreCase(e.first, col.name)) found = &e;
        if (found == nullptr) {
          LODE_RETURN_IF_ERROR(Exec("ALTER TABLE " + name + " ADD COLUMN " + QuoteIdentifier(col.name) + " " +
                                        SqlType(col.type),
                                    "table " + table.name));
        } else if (!EqualsIgnoreCase(found->second, SqlType(col.type))) {
          return InvalidArgumentError("cannot append to " + path_ + ": column " + table.name + "." + col.name +
                                      " is " + (found->second.empty() ? "untyped" : found->second) +
                                      " there, but " + SqlType(col.type) + " (" +
                                      std::string(ColumnTypeName(col.type)) + ") in this run");
        }
      }
    }
    std::string sql = "INSERT INTO " + name + " (";
    for (size_t c = 0; c < table.columns.size(); ++c) sql += (c ? ", " : "") + QuoteIdentifier(table.columns[c].name);
    Target target;
    target.schema = std::move(table);
    for (const char* key : {"doc_id", "item"}) {
      if (target.schema.ColumnIndex(key) < 0) continue;
      target.index += "_" + std::string(key);
      target.keys += (target.keys.empty() ? "" : ", ") + QuoteIdentifier(key);
    }
    if (!target.index.empty()) target.index = target.schema.name + target.index;
    target.doc_column = target.schema.ColumnIndex("doc_id");
    // A table that was there before (append) keeps its index as it is.
    if (existing.empty() && target.doc_column >= 0) {
      LODE_RETURN_IF_ERROR(CreateIndex(target));
      target.growing = true;
    }
    // Rows are inserted in the feed's order, so their rowids are the ones
    // single inserts would give.
    target.feed = std::make_unique<Feed>();
    for (const Column& c : target.schema.columns) target.feed->types.push_back(c.type);
    const std::string module = feed_prefix_ + std::to_string(targets_.size());
    if (sqlite3_create_module_v2(db_, module.c_str(), &kFeedModule, target.feed.get(), nullptr) != SQLITE_OK ||
        sqlite3_prepare_v3(db_, (sql + ") SELECT * FROM " + module).c_str(), -1, SQLITE_PREPARE_PERSISTENT,
                           &target.insert, nullptr) != SQLITE_OK)
      return Fail("cannot write " + path_ + ": table " + target.schema.name);
    targets_.push_back(std::move(target));
    return OkStatus();
  }

  // Column names and declared types of `table` in the database, or nothing.
  StatusOr<std::vector<std::pair<std::string, std::string>>> ExistingColumns(const std::string& table) {
    std::vector<std::pair<std::string, std::string>> columns;
    sqlite3_stmt* q = nullptr;
    if (sqlite3_prepare_v2(db_, "SELECT name, type FROM pragma_table_info(?1)", -1, &q, nullptr) != SQLITE_OK)
      return Fail("cannot read " + path_);
    sqlite3_bind_text(q, 1, table.data(), static_cast<int>(table.size()), SQLITE_STATIC);
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
      auto text = [&](int i) {
        const unsigned char* s = sqlite3_column_text(q, i);
        return s ? std::string(reinterpret_cast<const char*>(s)) : std::string();
      };
      columns.emplace_back(text(0), text(1));
    }
    sqlite3_finalize(q);
    if (rc != SQLITE_DONE) return Fail("cannot read " + path_ + ": table " + table);
    return columns;
  }

  Target* Find(std::string_view table) {
    // Rows of one table tend to come in runs: try the last one first.
    if (last_ < targets_.size() && targets_[last_].schema.name == table) return &targets_[last_];
    for (size_t i = 0; i < targets_.size(); ++i) {
      if (targets_[i].schema.name == table) {
        last_ = i;
        return &targets_[i];
      }
    }
    return nullptr;
  }

  // A document's rows go in table by table, each table's in their order (so
  // its rowids are the same), one statement per table however the stages
  // interleaved the tables: extract.progress writes an item's progress and
  // audits rows in turn.
  Status Insert(const std::vector<TableRow>& rows) {
    if (db_ == nullptr) return FailedPreconditionError(path_ + ": written before Open() or after Close()");
    for (Target& t : targets_) t.pending.clear();
    for (const TableRow& r : rows)
      if (Target* t = Find(r.table)) t->pending.push_back(&r);
    for (Target& t : targets_) {
      if (t.pending.empty()) continue;
      const size_t width = t.schema.columns.size();
      for (const TableRow* r : t.pending)
        if (r->row.cells.size() != width)
          return InternalError("cannot write " + path_ + ": a row of table " + r->table + " has " +
                               std::to_string(r->row.cells.size()) + " cells for " + std::to_string(width) +
                               " columns");
      if (t.growing) LODE_RETURN_IF_ERROR(TrackOrder(t, t.pending.data(), t.pending.size()));
      t.feed->rows = t.pending.data();
      t.feed->count = t.pending.size();
      const int rc = sqlite3_step(t.insert);
      sqlite3_reset(t.insert);
      t.feed->count = 0;
      if (rc != SQLITE_DONE) return Fail("cannot write " + path_ + ": table " + t.schema.name);
    }
    return OkStatus();
  }

  // Joins go through (doc_id, item): one index on both also serves lookups by
  // doc_id alone, and an item number means nothing without its document.
  Status CreateIndex(const Target& t) {
    if (t.index.empty()) return OkStatus();
    return Exec("CREATE INDEX IF NOT EXISTS " + QuoteIdentifier(t.index) + " ON " + QuoteIdentifier(t.schema.name) +
                    " (" + t.keys + ")",
                "index " + t.index);
  }

  // One view per table that hangs off items (item_metrics, item_progress,
  // item_audits): each item with its rows of that table, joined on (doc_id,
  // item). One view over all three would multiply rows.
  Status CreateViews() {
    const Target* items = nullptr;
    for (const Target& t : targets_)
      if (t.schema.name == "items") items = &t;
    if (items == nullptr) return OkStatus();
    for (const Target& t : targets_) {
      if (t.schema.name != "metrics" && t.schema.name != "progress" && t.schema.name != "audits") continue;
      if (t.schema.ColumnIndex("doc_id") < 0 || t.schema.ColumnIndex("item") < 0) continue;
      if (items->schema.ColumnIndex("doc_id") < 0 || items->schema.ColumnIndex("item") < 0) return OkStatus();
      std::string columns = "i.doc_id";
      for (const char* c : {"part", "section", "item", "title", "owners"})
        if (items->schema.ColumnIndex(c) >= 0)
          columns += std::string(", i.") + c + (std::string(c) == "title" ? " AS item_title" : "");
      for (const Column& c : t.schema.columns)
        if (c.name != "doc_id" && c.name != "item") columns += ", x." + QuoteIdentifier(c.name);
      const std::string view = "item_" + t.schema.name;
      LODE_RETURN_IF_ERROR(Exec("CREATE VIEW IF NOT EXISTS " + QuoteIdentifier(view) + " AS SELECT " + columns +
                                    " FROM items AS i JOIN " + QuoteIdentifier(t.schema.name) +
                                    " AS x ON x.doc_id = i.doc_id AND x.item = i.item",
                                "view " + view));
    }
    return OkStatus();
  }

  Status Commit(const std::vector<TableRow>& final_rows) {
    LODE_RETURN_IF_ERROR(Insert(final_rows));
    // The indexes not kept up to date (TrackOrder) are built now. The run's
    // other threads are idle by now: SQLite's sorter may use them (on 1 GB,
    // 2 threads, the indexes took 7.8 s instead of 9.9).
    LODE_RETURN_IF_ERROR(Exec("PRAGMA threads=" + std::to_string(sort_helpers_)));
    for (const Target& t : targets_) LODE_RETURN_IF_ERROR(CreateIndex(t));
    LODE_RETURN_IF_ERROR(CreateViews());
    FinalizeStatements();
    LODE_RETURN_IF_ERROR(Exec("COMMIT"));
    const int rc = sqlite3_close(db_);
    if (rc != SQLITE_OK) return IoError("cannot write " + path_ + ": " + sqlite3_errstr(rc));
    db_ = nullptr;
    behind_.reset();
    // SQLite applies a "<path>-wal" or "<path>-journal" it finds beside a
    // database to that database, whichever file it came from: left by the
    // replaced database (a crashed writer, or a program that still has it open
    // in WAL mode), it would overwrite pages of the new one.
    for (const char* side : {"-wal", "-shm", "-journal"}) {
      const std::string stale = path_ + side;
      if (::unlink(stale.c_str()) != 0 && errno != ENOENT) return ErrnoError("cannot remove " + stale, errno);
    }
    // synchronous=OFF: nothing has reached the disk yet; ReplaceFile syncs.
    LODE_RETURN_IF_ERROR(ReplaceFile(tmp_, path_));
    tmp_.clear();
    committed_ = true;
    return OkStatus();
  }

  void FinalizeStatements() {
    for (Target& t : targets_)
      sqlite3_finalize(t.insert);
    targets_.clear();
  }

  // Drops everything not yet committed; the destination is left as it was.
  void Discard() {
    FinalizeStatements();
    if (db_ != nullptr) {
      sqlite3_close(db_);
      db_ = nullptr;
    }
    behind_.reset();  // after SQLite's close: see WriteBehind on locks
    if (!tmp_.empty()) {
      // The journal mode switch after copying a previous database may leave a
      // "<tmp>-journal"; SQLite would take any such file for live state.
      for (const char* side : {"", "-journal", "-wal", "-shm"}) ::unlink((tmp_ + side).c_str());
      tmp_.clear();
    }
  }

  Status Exec(const std::string& sql, std::string_view what = {}) {
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK) return OkStatus();
    return Fail("cannot write " + path_ + (what.empty() ? "" : ": " + std::string(what)));
  }

  // "<what>: <SQLite's message> (<the system's>)", e.g. "cannot write
  // out/lode.sqlite: table items: disk I/O error (No space left on device)":
  // SQLite's own message alone does not tell a full disk from a bad one.
  Status Fail(const std::string& what) const {
    if (db_ == nullptr) return IoError(what + ": out of memory");
    std::string m = what + ": " + sqlite3_errmsg(db_);
    if (const int err = sqlite3_system_errno(db_); err != 0) m += " (" + std::string(std::strerror(err)) + ")";
    return IoError(std::move(m));
  }

  int sort_helpers_;
  std::string path_;
  bool append_;
  std::vector<std::string> selected_;
  std::string tmp_;
  sqlite3* db_ = nullptr;
  std::optional<WriteBehind> behind_;  // on the temporary file, closed after db_
  bool writing_behind_ = false;        // behind_ is there and the file still grows at its end
  std::vector<Target> targets_;
  size_t last_ = 0;
  std::string feed_prefix_;  // of the feeds' names (ChooseFeedPrefix)
  bool committed_ = false;
};

Status Register(Registry& registry) {
  StageInfo info;
  info.name = "export.sqlite";
  info.summary = "One SQLite database: a typed SQL table per lode table, indexed by doc_id and item.";
  info.doc =
      "Each table of the run becomes an SQL table of the same name with typed columns (text TEXT, integer "
      "INTEGER, real REAL, boolean INTEGER 0/1; empty cells NULL) and an index on (doc_id, item), or on "
      "whichever of the two the table has. The database is written into '<path>.tmp-<pid>' in one "
      "transaction and renamed over <path> only when the run completes: a failed or killed run leaves the "
      "previous database as it was. mode: append adds this run's rows to the existing database (a copy of "
      "it, renamed into place the same way): missing tables and columns are added, and the runs table gets "
      "one more row.";
  info.kind = StageKind::kSink;
  info.params = {
      ParamSpec::Path("path", "{out}/lode.sqlite", "The database file (its folder is created if missing)."),
      ParamSpec::Enum("mode", "replace", {"replace", "append"},
                      "replace: the database holds this run only; append: this run's rows are added to the "
                      "existing database."),
      ParamSpec::List("tables", {}, "The tables to write; empty writes every table of the run."),
  };
  info.make_sink = [](const Config& c, const SetupContext& setup) -> StatusOr<std::unique_ptr<Sink>> {
    return std::unique_ptr<Sink>(new ExportSqlite(c, setup.threads));
  };
  return registry.Add(std::move(info));
}

}  // namespace

LODE_PLUGIN(export_sqlite, "export.sqlite", LODE_VERSION_STRING, "Writes an SQLite database.", Register)
