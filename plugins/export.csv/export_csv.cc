// export.csv: one RFC 4180 file per table.
#include <string>
#include <vector>

#include "lode/lode.h"

namespace {

using namespace lode;

// Leading characters that make Excel and LibreOffice read a cell as a formula.
bool LooksLikeFormula(const std::string& s) {
  return !s.empty() && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' || s[0] == '\r');
}

void AppendField(std::string& out, const std::string& s, bool excel_safe) {
  const bool guard = excel_safe && LooksLikeFormula(s);
  if (!guard && s.find_first_of(",\"\r\n") == std::string::npos) {
    out += s;
    return;
  }
  out += '"';
  if (guard) out += '\'';
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

void AppendCell(std::string& out, const Value& v, bool excel_safe) {
  if (auto* s = std::get_if<std::string>(&v)) {
    AppendField(out, *s, excel_safe);
  } else if (auto* i = std::get_if<int64_t>(&v)) {
    out += std::to_string(*i);
  } else if (auto* d = std::get_if<double>(&v)) {
    std::string n;
    AppendJsonNumber(n, *d);
    if (n != "null") out += n;
  } else if (auto* b = std::get_if<bool>(&v)) {
    out += *b ? "true" : "false";
  }
}

class ExportCsv : public Sink {
 public:
  explicit ExportCsv(const Config& c)
      : dir_(c.GetString("dir")), bom_(c.GetBool("bom")), excel_safe_(c.GetBool("excel_safe")),
        tables_(c.GetList("tables")) {}

  Status Open(const OutputContext& context) override {
    LODE_RETURN_IF_ERROR(files_.Open(context.tables, tables_, dir_, ".csv"));
    for (TableFiles::File& f : files_.files()) {
      line_ = bom_ ? "\xEF\xBB\xBF" : "";
      for (size_t c = 0; c < f.schema.columns.size(); ++c) {
        if (c) line_ += ',';
        AppendField(line_, f.schema.columns[c].name, false);
      }
      line_ += "\r\n";
      LODE_RETURN_IF_ERROR(f.out->Write(line_));
    }
    return OkStatus();
  }

  Status Write(const Document& doc) override { return WriteRows(doc.rows); }

  Status Close(const std::vector<TableRow>& final_rows) override {
    LODE_RETURN_IF_ERROR(WriteRows(final_rows));
    return files_.CommitAll();
  }

  void Abort() override { files_.AbortAll(); }
  std::vector<std::string> Written() const override { return files_.Paths(); }

 private:
  Status WriteRows(const std::vector<TableRow>& rows) {
    for (const TableRow& r : rows) {
      TableFiles::File* f = files_.Find(r.table);
      if (f == nullptr) continue;
      line_.clear();
      for (size_t c = 0; c < r.row.cells.size(); ++c) {
        if (c) line_ += ',';
        AppendCell(line_, r.row.cells[c], excel_safe_);
      }
      line_ += "\r\n";
      LODE_RETURN_IF_ERROR(f->out->Write(line_));
    }
    return OkStatus();
  }

  std::string dir_;
  bool bom_, excel_safe_;
  std::vector<std::string> tables_;
  TableFiles files_;
  std::string line_;
};

Status Register(Registry& registry) {
  StageInfo info;
  info.name = "export.csv";
  info.summary = "CSV (RFC 4180): one file per table, <dir>/<table>.csv.";
  info.doc =
      "Fields holding a comma, a quote or a line break are quoted, quotes doubled; lines end in CRLF; the "
      "first line names the columns; empty cells are empty. bom: true starts each file with a UTF-8 "
      "byte-order mark so that Excel shows Chinese text; excel_safe: true prefixes text cells that begin "
      "with = + - @ (which spreadsheets would run as formulas) with an apostrophe.";
  info.kind = StageKind::kSink;
  info.params = {
      ParamSpec::Path("dir", "{out}", "Folder the files are written to (created if missing)."),
      ParamSpec::Bool("bom", false, "Start each file with a UTF-8 byte-order mark (for Excel)."),
      ParamSpec::Bool("excel_safe", false,
                      "Guard text cells that begin with = + - @ against formula injection by prefixing an "
                      "apostrophe."),
      ParamSpec::List("tables", {}, "The tables to write; empty writes every table of the run."),
  };
  info.make_sink = [](const Config& c, const SetupContext&) -> StatusOr<std::unique_ptr<Sink>> {
    return std::unique_ptr<Sink>(new ExportCsv(c));
  };
  return registry.Add(std::move(info));
}

}  // namespace

LODE_PLUGIN(export_csv, "export.csv", LODE_VERSION_STRING, "Writes CSV files.", Register)
