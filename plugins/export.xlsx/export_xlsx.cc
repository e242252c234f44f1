// export.xlsx: one Excel workbook, one sheet per table.
#include <fcntl.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "lode/lode.h"

namespace {

using namespace lode;
namespace fs = std::filesystem;

// Excel's limits.
constexpr lxw_row_t kRowsPerSheet = 1048576;  // the header row included
constexpr size_t kColumnsPerSheet = 16384;
constexpr size_t kCellChars = 32767;          // UTF-16 code units
constexpr size_t kSheetNameChars = 31;

// Column widths, in Excel's units (about one Latin character).
constexpr double kMaxWidth = 60;
constexpr double kMinWidth = 6;
constexpr uint32_t kSampledRows = 100;  // rows per table that set the widths

// Doubles hold every integer up to 2^53 exactly; beyond, a number cell would
// silently change the value.
constexpr int64_t kLargestExactInteger = int64_t{1} << 53;

// Decodes the code point at s[i] and its length; a stray byte counts as one
// U+FFFD (lode text is valid UTF-8, so only a buggy stage would get here).
char32_t NextCodePoint(std::string_view s, size_t i, size_t& length) {
  const auto b = static_cast<unsigned char>(s[i]);
  size_t n = b < 0x80 ? 1 : (b >> 5) == 0x6 ? 2 : (b >> 4) == 0xE ? 3 : (b >> 3) == 0x1E ? 4 : 0;
  if (n == 0 || i + n > s.size()) {
    length = 1;
    return 0xFFFD;
  }
  char32_t cp = n == 1 ? b : b & (0xFF >> (n + 1));
  for (size_t k = 1; k < n; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
  length = n;
  return cp;
}

// East Asian wide characters take two columns in Excel's default font.
bool IsWide(char32_t cp) {
  return (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) || (cp >= 0xAC00 && cp <= 0xD7A3) ||
         (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
         (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x1F300 && cp <= 0x1FAFF) || (cp >= 0x20000 && cp <= 0x3FFFD);
}

double DisplayWidth(std::string_view s) {
  double width = 0;
  for (size_t i = 0, n = 0; i < s.size() && width <= kMaxWidth; i += n) width += IsWide(NextCodePoint(s, i, n)) ? 2 : 1;
  return width;
}

bool IsHex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

// Excel reads "_xHHHH_" in cell text as the character U+HHHH.
bool StartsEscape(std::string_view s, size_t i) {
  return i + 7 <= s.size() && s[i] == '_' && (s[i + 1] == 'x' || s[i + 1] == 'X') && IsHex(s[i + 2]) &&
         IsHex(s[i + 3]) && IsHex(s[i + 4]) && IsHex(s[i + 5]) && s[i + 6] == '_';
}

// A text cell made ready for libxlsxwriter and Excel.
struct CellText {
  bool truncated = false;
  uint64_t kept_chars = 0;  // code points of the original that were kept
  double width = 0;         // display width, counted up to kMaxWidth + 1
  bool has_break = false;
};

// Writes `s` into `out` as a C string that means `s` to Excel: characters that
// XML cannot hold (NUL, U+FFFE, U+FFFF) become Excel's "_xHHHH_" escapes, a
// literal "_xHHHH_" is guarded with "_x005F_" (an escaped underscore) so that it
// is not decoded, and other control characters are left to libxlsxwriter,
// which escapes them the same way. Cut at Excel's 32,767-character limit, on a
// character boundary; every escape counts as its 7 characters, since
// libxlsxwriter checks the limit on what it is given.
CellText PrepareText(std::string_view s, std::string& out) {
  CellText t;
  out.clear();
  size_t units = 0;
  for (size_t i = 0, n = 0; i < s.size(); i += n) {
    const char32_t cp = NextCodePoint(s, i, n);
    const bool escape_here = cp == 0 || cp == 0xFFFE || cp == 0xFFFF;
    const bool guard_here = cp == '_' && StartsEscape(s, i);
    const bool control = cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r';
    const size_t cost = (escape_here || guard_here || control) ? 7 : cp >= 0x10000 ? 2 : 1;
    if (units + cost > kCellChars) {
      t.truncated = true;
      break;
    }
    units += cost;
    if (escape_here) {
      char buffer[8];
      std::snprintf(buffer, sizeof buffer, "_x%04X_", static_cast<unsigned>(cp));
      out += buffer;
    } else {
      if (guard_here) out += "_x005F";
      out.append(s.data() + i, n);
    }
    ++t.kept_chars;
    if (t.width <= kMaxWidth) t.width += IsWide(cp) ? 2 : 1;
    t.has_break = t.has_break || cp == '\n';
  }
  return t;
}

uint64_t CountChars(std::string_view s) {
  uint64_t count = 0;
  for (size_t i = 0, n = 0; i < s.size(); i += n, ++count) NextCodePoint(s, i, n);
  return count;
}

std::string CellName(lxw_row_t row, lxw_col_t col) {
  char name[32];
  lxw_rowcol_to_cell(name, row, col);
  return name;
}

std::string AsciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

// The first `max_chars` characters of `s`.
std::string FirstChars(std::string_view s, size_t max_chars) {
  size_t i = 0, n = 0;
  for (size_t count = 0; i < s.size() && count < max_chars; i += n, ++count) NextCodePoint(s, i, n);
  return std::string(s.substr(0, i));
}

class ExportXlsx final : public Sink {
 public:
  explicit ExportXlsx(const Config& c) : path_(c.GetString("path")), selected_(c.GetList("tables")) {}
  ~ExportXlsx() override { Discard(); }

  Status Open(const OutputContext& context) override {
    Status s = OpenWorkbook(context);
    if (!s.ok()) Discard();
    return s;
  }

  Status Write(const Document& doc) override { return WriteRows(doc.rows); }

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
  // A sheet in the making; a table past Excel's row limit has several.
  struct Sheet {
    lxw_worksheet* worksheet = nullptr;
    std::string name;
    lxw_row_t next_row = 1;  // row 0 is the header
  };

  // One table and its sheets.
  struct TableSheets {
    TableSchema schema;
    std::string base_name;
    std::vector<Sheet> sheets;
    std::vector<double> widths;  // final after kSampledRows rows
    uint32_t sampled = 0;
    int doc_id_column = -1;
  };

  Status OpenWorkbook(const OutputContext& context) {
    if (workbook_ != nullptr || committed_) return FailedPreconditionError(path_ + ": opened twice");
    if (path_.empty()) return InvalidArgumentError("'path' is empty");
    LODE_ASSIGN_OR_RETURN(std::vector<TableSchema> chosen, SelectTables(context.tables, selected_));
    for (const TableSchema& t : chosen)
      if (t.columns.size() > kColumnsPerSheet)
        return InvalidArgumentError("table " + t.name + " has " + std::to_string(t.columns.size()) +
                                    " columns; an Excel sheet holds at most " + std::to_string(kColumnsPerSheet));

    const fs::path dest(path_);
    dir_ = dest.has_parent_path() ? dest.parent_path().string() : ".";
    LODE_RETURN_IF_ERROR(EnsureDirectory(dir_));
    std::error_code ec;
    if (fs::is_directory(dest, ec)) return IoError("cannot write " + path_ + ": it is a folder");

    // libxlsxwriter creates its file only when the workbook is closed: make it
    // now, so that a destination that cannot be written fails before any work.
    tmp_ = path_ + ".tmp-" + std::to_string(::getpid());
    const int fd = ::open(tmp_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
      const int err = errno;
      tmp_.clear();
      return ErrnoError("cannot write " + path_, err);
    }
    ::close(fd);

    // Constant memory: each row goes to a temporary file as soon as the next
    // one starts, so a sheet of a million rows costs no more memory than one.
    // Those files go beside the destination, not into a /tmp that may be small.
    lxw_workbook_options options{};
    options.constant_memory = LXW_TRUE;
    options.tmpdir = dir_.data();
    options.use_zip64 = LXW_FALSE;
    workbook_ = workbook_new_opt(tmp_.c_str(), &options);
    if (workbook_ == nullptr) return IoError("cannot write " + path_ + ": out of memory");
    header_ = workbook_add_format(workbook_);
    format_set_bold(header_);
    wrap_ = workbook_add_format(workbook_);
    format_set_text_wrap(wrap_);
    format_set_align(wrap_, LXW_ALIGN_VERTICAL_TOP);

    for (TableSchema& t : chosen) {
      TableSheets table;
      table.base_name = UniqueSheetName(t.name, "");
      table.doc_id_column = t.ColumnIndex("doc_id");
      for (const Column& c : t.columns) table.widths.push_back(std::min(DisplayWidth(c.name) + 1, kMaxWidth));
      table.schema = std::move(t);
      tables_.push_back(std::move(table));
      LODE_RETURN_IF_ERROR(AddSheet(tables_.back(), tables_.back().base_name));
    }
    return OkStatus();
  }

  // `wanted` made into a sheet name Excel accepts and no other sheet has
  // (Excel compares names without case), ending in `suffix`.
  std::string UniqueSheetName(std::string_view wanted, const std::string& suffix) {
    std::string base;
    for (char c : wanted) base += std::string_view("[]:*?/\\").find(c) == std::string_view::npos ? c : '_';
    while (!base.empty() && base.front() == '\'') base.erase(0, 1);
    if (base.empty()) base = "table";
    if (AsciiLower(base) == "history") base += '_';  // reserved by Excel
    for (int n = 1;; ++n) {
      std::string end = n == 1 ? suffix : suffix + "~" + std::to_string(n);
      std::string name = FirstChars(base, kSheetNameChars - CountChars(end));
      while (!name.empty() && name.back() == '\'') name.pop_back();
      name += end;
      if (std::find(used_names_.begin(), used_names_.end(), AsciiLower(name)) == used_names_.end()) {
        used_names_.push_back(AsciiLower(name));
        return name;
      }
    }
  }

  Status AddSheet(TableSheets& table, const std::string& name) {
    lxw_worksheet* ws = workbook_add_worksheet(workbook_, name.c_str());
    if (ws == nullptr) return IoError("cannot write " + path_ + ": cannot add sheet '" + name + "'");
    table.sheets.push_back({ws, name, 1});
    for (size_t c = 0; c < table.schema.columns.size(); ++c) {
      const lxw_error e =
          worksheet_write_string(ws, 0, static_cast<lxw_col_t>(c), table.schema.columns[c].name.c_str(), header_);
      if (e != LXW_NO_ERROR) return SheetError(name, 0, static_cast<lxw_col_t>(c), e);
    }
    worksheet_freeze_panes(ws, 1, 0);
    return OkStatus();
  }

  TableSheets* Find(std::string_view table) {
    // Rows of one table tend to come in runs: try the last one first.
    if (last_ < tables_.size() && tables_[last_].schema.name == table) return &tables_[last_];
    for (size_t i = 0; i < tables_.size(); ++i) {
      if (tables_[i].schema.name == table) {
        last_ = i;
        return &tables_[i];
      }
    }
    return nullptr;
  }

  Status WriteRows(const std::vector<TableRow>& rows) {
    if (workbook_ == nullptr) return FailedPreconditionError(path_ + ": written before Open() or after Close()");
    for (const TableRow& r : rows) {
      TableSheets* table = Find(r.table);
      if (table == nullptr) continue;
      if (r.row.cells.size() != table->schema.columns.size())
        return InternalError("cannot write " + path_ + ": a row of table " + r.table + " has " +
                             std::to_string(r.row.cells.size()) + " cells for " +
                             std::to_string(table->schema.columns.size()) + " columns");
      if (table->sheets.back().next_row == kRowsPerSheet) {
        const std::string name =
            UniqueSheetName(table->base_name, " (" + std::to_string(table->sheets.size() + 1) + ")");
        LODE_RETURN_IF_ERROR(AddSheet(*table, name));
      }
      Sheet& sheet = table->sheets.back();
      const bool sampling = table->sampled < kSampledRows;
      for (size_t c = 0; c < r.row.cells.size(); ++c)
        LODE_RETURN_IF_ERROR(WriteCell(*table, sheet, static_cast<lxw_col_t>(c), r.row, sampling));
      ++sheet.next_row;
      if (sampling) ++table->sampled;
    }
    return OkStatus();
  }

  Status WriteCell(TableSheets& table, Sheet& sheet, lxw_col_t col, const Row& row, bool sampling) {
    const Value& v = row.cells[col];
    const ColumnType type = table.schema.columns[col].type;
    const lxw_row_t at = sheet.next_row;
    double width = 0;
    lxw_error e = LXW_NO_ERROR;
    if (const auto* s = std::get_if<std::string>(&v)) {
      const CellText t = PrepareText(*s, text_);
      width = t.width;
      if (t.truncated) LODE_RETURN_IF_ERROR(RecordTruncation(table, sheet, col, row, *s, t.kept_chars));
      // Wider than its column as far as the column is known: wrap rather than
      // spill into the next cell or hide behind it.
      const bool wrap = t.has_break || width > std::max(table.widths[col], sampling ? kMaxWidth : 0.0);
      e = worksheet_write_string(sheet.worksheet, at, col, text_.c_str(), wrap ? wrap_ : nullptr);
    } else if (const auto* i = std::get_if<int64_t>(&v)) {
      number_ = std::to_string(*i);
      width = static_cast<double>(number_.size());
      if (type != ColumnType::kReal && (*i > kLargestExactInteger || *i < -kLargestExactInteger))
        e = worksheet_write_string(sheet.worksheet, at, col, number_.c_str(), nullptr);
      else
        e = worksheet_write_number(sheet.worksheet, at, col, static_cast<double>(*i), nullptr);
    } else if (const auto* d = std::get_if<double>(&v)) {
      // Excel has no NaN or infinity; libxlsxwriter would write "nan", which
      // Excel refuses to open. Left empty, as the CSV exporter does.
      if (std::isfinite(*d)) {
        char buffer[32];
        const auto end = std::to_chars(buffer, buffer + sizeof buffer, *d).ptr;
        width = static_cast<double>(end - buffer);
        e = worksheet_write_number(sheet.worksheet, at, col, *d, nullptr);
      }
    } else if (const auto* b = std::get_if<bool>(&v)) {
      width = *b ? 4 : 5;
      e = worksheet_write_boolean(sheet.worksheet, at, col, *b ? 1 : 0, nullptr);
    }
    if (e != LXW_NO_ERROR) return SheetError(sheet.name, at, col, e);
    if (sampling) table.widths[col] = std::min(std::max(table.widths[col], width), kMaxWidth);
    return OkStatus();
  }

  // A cell cut at Excel's limit is listed on the sheet "truncated cells": where
  // it is, its row's doc_id, and how long it was, so nothing is cut silently.
  Status RecordTruncation(const TableSheets& table, const Sheet& sheet, lxw_col_t col, const Row& row,
                          const std::string& original, uint64_t kept_chars) {
    if (truncations_ == nullptr) {
      truncations_name_ = UniqueSheetName("truncated cells", "");
      truncations_ = workbook_add_worksheet(workbook_, truncations_name_.c_str());
      if (truncations_ == nullptr)
        return IoError("cannot write " + path_ + ": cannot add sheet '" + truncations_name_ + "'");
      const char* header[] = {"sheet", "cell", "table", "column", "doc_id", "chars", "kept_chars"};
      const double widths[] = {20, 10, 20, 20, 40, 12, 12};
      for (lxw_col_t c = 0; c < 7; ++c) {
        worksheet_write_string(truncations_, 0, c, header[c], header_);
        worksheet_set_column(truncations_, c, c, widths[c], nullptr);
      }
      worksheet_freeze_panes(truncations_, 1, 0);
    }
    if (truncation_rows_ + 1 >= kRowsPerSheet) return OkStatus();  // a million cut cells say enough
    const lxw_row_t at = ++truncation_rows_;
    const std::string* doc_id =
        table.doc_id_column >= 0 ? std::get_if<std::string>(&row.cells[table.doc_id_column]) : nullptr;
    std::string doc_id_text;
    if (doc_id != nullptr) PrepareText(*doc_id, doc_id_text);
    lxw_error e = worksheet_write_string(truncations_, at, 0, sheet.name.c_str(), nullptr);
    if (e == LXW_NO_ERROR) e = worksheet_write_string(truncations_, at, 1, CellName(sheet.next_row, col).c_str(), nullptr);
    if (e == LXW_NO_ERROR) e = worksheet_write_string(truncations_, at, 2, table.schema.name.c_str(), nullptr);
    if (e == LXW_NO_ERROR)
      e = worksheet_write_string(truncations_, at, 3, table.schema.columns[col].name.c_str(), nullptr);
    if (e == LXW_NO_ERROR && doc_id != nullptr) e = worksheet_write_string(truncations_, at, 4, doc_id_text.c_str(), nullptr);
    if (e == LXW_NO_ERROR) e = worksheet_write_number(truncations_, at, 5, static_cast<double>(CountChars(original)), nullptr);
    if (e == LXW_NO_ERROR) e = worksheet_write_number(truncations_, at, 6, static_cast<double>(kept_chars), nullptr);
    if (e != LXW_NO_ERROR) return SheetError(truncations_name_, at, 0, e);
    return OkStatus();
  }

  Status Commit(const std::vector<TableRow>& final_rows) {
    LODE_RETURN_IF_ERROR(WriteRows(final_rows));
    for (const TableSheets& table : tables_) {
      if (table.schema.columns.empty()) continue;
      const auto last_col = static_cast<lxw_col_t>(table.schema.columns.size() - 1);
      for (const Sheet& sheet : table.sheets) {
        for (size_t c = 0; c < table.schema.columns.size(); ++c) {
          const auto col = static_cast<lxw_col_t>(c);
          worksheet_set_column(sheet.worksheet, col, col, std::max(table.widths[c] + 1, kMinWidth), nullptr);
        }
        worksheet_autofilter(sheet.worksheet, 0, 0, sheet.next_row - 1, last_col);
      }
    }
    LODE_RETURN_IF_ERROR(CheckRowFiles());
    // workbook_close() frees the workbook whatever happens.
    const lxw_error e = workbook_close(workbook_);
    workbook_ = nullptr;
    if (e != LXW_NO_ERROR) return IoError("cannot write " + path_ + ": " + lxw_strerror(e));
    LODE_RETURN_IF_ERROR(ReplaceFile(tmp_, path_));  // libxlsxwriter never syncs
    tmp_.clear();
    committed_ = true;
    return OkStatus();
  }

  // libxlsxwriter ignores write errors on the files that hold each sheet's
  // rows, and would zip what they kept into a workbook that looks complete; so
  // ask the files themselves (the error flag of a stream is sticky).
  Status CheckRowFiles() {
    auto check = [&](lxw_worksheet* ws, const std::string& name) -> Status {
      if (ws == nullptr || ws->optimize_tmpfile == nullptr) return OkStatus();
      if (std::fflush(ws->optimize_tmpfile) == 0 && !std::ferror(ws->optimize_tmpfile)) return OkStatus();
      return IoError("cannot write " + path_ + ": the rows of sheet '" + name + "' could not be written to a "
                     "temporary file in " + dir_ + " (is the disk full?)");
    };
    for (const TableSheets& t : tables_)
      for (const Sheet& s : t.sheets) LODE_RETURN_IF_ERROR(check(s.worksheet, s.name));
    return check(truncations_, truncations_name_);
  }

  // Drops everything not yet committed; the destination is left as it was.
  void Discard() {
    if (workbook_ != nullptr) {
      // libxlsxwriter 1.1 frees a workbook without closing its sheets' row
      // files: close them, or every aborted run keeps a file open and its
      // (deleted) bytes on disk until the process exits.
      auto close_rows = [](lxw_worksheet* ws) {
        if (ws != nullptr && ws->optimize_tmpfile != nullptr) {
          std::fclose(ws->optimize_tmpfile);
          ws->optimize_tmpfile = nullptr;
        }
      };
      for (TableSheets& t : tables_)
        for (Sheet& s : t.sheets) close_rows(s.worksheet);
      close_rows(truncations_);
      lxw_workbook_free(workbook_);
      workbook_ = nullptr;
    }
    tables_.clear();
    used_names_.clear();
    truncations_ = nullptr;
    truncation_rows_ = 0;
    if (!tmp_.empty()) {
      ::unlink(tmp_.c_str());
      tmp_.clear();
    }
  }

  Status SheetError(const std::string& sheet, lxw_row_t row, lxw_col_t col, lxw_error e) const {
    return IoError("cannot write " + path_ + ": sheet '" + sheet + "', cell " + CellName(row, col) + ": " +
                   lxw_strerror(e));
  }

  std::string path_;
  std::vector<std::string> selected_;
  std::string dir_, tmp_;
  lxw_workbook* workbook_ = nullptr;
  lxw_format* header_ = nullptr;
  lxw_format* wrap_ = nullptr;
  std::vector<TableSheets> tables_;
  std::vector<std::string> used_names_;  // lower-cased
  lxw_worksheet* truncations_ = nullptr;
  std::string truncations_name_;
  lxw_row_t truncation_rows_ = 0;
  size_t last_ = 0;
  std::string text_, number_;  // reused for every cell
  bool committed_ = false;
};

Status Register(Registry& registry) {
  StageInfo info;
  info.name = "export.xlsx";
  info.summary = "One Excel workbook (.xlsx): a sheet per table, bold frozen header, numbers as numbers.";
  info.doc =
      "Each table of the run becomes a sheet named after it (at most 31 characters), whose first row names the "
      "columns in bold, frozen, with a filter; column widths come from the header and the first 100 rows (at "
      "most 60 characters); text wider than its column or holding a line break is wrapped. Integers, reals "
      "and booleans are stored as numbers and booleans; integers beyond ±2^53 as text, so that no digit "
      "changes; NaN and infinities are left empty. A table past Excel's 1,048,576 rows per sheet continues on "
      "a sheet '<table> (2)' with the same header. Text past Excel's 32,767 characters per cell is cut, and "
      "each cut cell is listed on a sheet 'truncated cells'. The workbook is written to '<path>.tmp-<pid>' and "
      "renamed over <path> only when the run completes.";
  info.kind = StageKind::kSink;
  info.params = {
      ParamSpec::Path("path", "{out}/lode.xlsx", "The workbook file (its folder is created if missing)."),
      ParamSpec::List("tables", {}, "The tables to write; empty writes every table of the run."),
  };
  info.make_sink = [](const Config& c, const SetupContext&) -> StatusOr<std::unique_ptr<Sink>> {
    return std::unique_ptr<Sink>(new ExportXlsx(c));
  };
  return registry.Add(std::move(info));
}

}  // namespace

LODE_PLUGIN(export_xlsx, "export.xlsx", LODE_VERSION_STRING, "Writes an Excel workbook.", Register)
