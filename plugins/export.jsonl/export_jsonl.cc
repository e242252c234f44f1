// export.jsonl: JSON Lines, one object per table row, or one per document.
#include <string>
#include <vector>

#include "lode/lode.h"

namespace {

using namespace lode;

void AppendValue(std::string& out, const Value& v) {
  if (auto* s = std::get_if<std::string>(&v)) {
    out += '"';
    AppendJsonEscaped(out, *s);
    out += '"';
  } else if (auto* i = std::get_if<int64_t>(&v)) {
    out += std::to_string(*i);
  } else if (auto* d = std::get_if<double>(&v)) {
    AppendJsonNumber(out, *d);
  } else if (auto* b = std::get_if<bool>(&v)) {
    out += *b ? "true" : "false";
  } else {
    out += "null";
  }
}

void AppendKey(std::string& out, std::string_view key) {
  out += '"';
  AppendJsonEscaped(out, key);
  out += "\":";
}

void AppendAttributes(std::string& out, const Attributes& attrs) {
  out += '{';
  for (size_t i = 0; i < attrs.size(); ++i) {
    if (i) out += ',';
    AppendKey(out, attrs[i].first);
    out += '"';
    AppendJsonEscaped(out, attrs[i].second);
    out += '"';
  }
  out += '}';
}

void AppendRow(std::string& out, const TableSchema& schema, const Row& row) {
  out += '{';
  for (size_t c = 0; c < schema.columns.size(); ++c) {
    if (c) out += ',';
    AppendKey(out, schema.columns[c].name);
    AppendValue(out, row.cells[c]);
  }
  out += "}\n";
}

class ExportJsonl : public Sink {
 public:
  explicit ExportJsonl(const Config& c)
      : dir_(c.GetString("dir")), documents_shape_(c.GetString("shape") == "documents"), tables_(c.GetList("tables")) {}

  Status Open(const OutputContext& context) override {
    if (!documents_shape_) return files_.Open(context.tables, tables_, dir_, ".jsonl");
    if (!tables_.empty()) return InvalidArgumentError("'tables' selects tables for shape: rows, not shape: documents");
    // One line per document: its row of the documents table, then text,
    // metadata and spans.
    return files_.Open(context.tables, {"documents"}, dir_, ".jsonl");
  }

  Status Write(const Document& doc) override {
    if (documents_shape_) return WriteDocument(doc);
    for (const TableRow& r : doc.rows) {
      TableFiles::File* f = files_.Find(r.table);
      if (f == nullptr) continue;
      line_.clear();
      AppendRow(line_, f->schema, r.row);
      LODE_RETURN_IF_ERROR(f->out->Write(line_));
    }
    return OkStatus();
  }

  Status Close(const std::vector<TableRow>& final_rows) override {
    if (!documents_shape_) {
      for (const TableRow& r : final_rows) {
        TableFiles::File* f = files_.Find(r.table);
        if (f == nullptr) continue;
        line_.clear();
        AppendRow(line_, f->schema, r.row);
        LODE_RETURN_IF_ERROR(f->out->Write(line_));
      }
    }
    return files_.CommitAll();
  }

  void Abort() override { files_.AbortAll(); }
  std::vector<std::string> Written() const override { return files_.Paths(); }

 private:
  Status WriteDocument(const Document& doc) {
    TableFiles::File& f = files_.files().front();
    line_.clear();
    for (const TableRow& r : doc.rows) {
      if (r.table != "documents") continue;
      AppendRow(line_, f.schema, r.row);
      line_.resize(line_.size() - 2);  // reopen the object: drop "}\n"
    }
    if (line_.empty()) line_ += '{';
    else line_ += ',';
    AppendKey(line_, "text");
    line_ += '"';
    AppendJsonEscaped(line_, doc.text);
    line_ += "\",";
    AppendKey(line_, "metadata");
    AppendAttributes(line_, doc.metadata);
    line_ += ',';
    AppendKey(line_, "spans");
    line_ += '[';
    for (size_t i = 0; i < doc.spans.size(); ++i) {
      const Span& s = doc.spans[i];
      RawRange raw = doc.ToRaw(s.begin, s.end);
      if (i) line_ += ',';
      line_ += "{\"kind\":\"";
      AppendJsonEscaped(line_, s.kind);
      line_ += "\",\"begin\":" + std::to_string(s.begin) + ",\"end\":" + std::to_string(s.end) +
               ",\"raw_begin\":" + std::to_string(raw.begin) + ",\"raw_end\":" + std::to_string(raw.end) +
               ",\"attributes\":";
      AppendAttributes(line_, s.attributes);
      line_ += '}';
    }
    line_ += "]}\n";
    return f.out->Write(line_);
  }

  std::string dir_;
  bool documents_shape_;
  std::vector<std::string> tables_;
  TableFiles files_;
  std::string line_;
};

Status Register(Registry& registry) {
  StageInfo info;
  info.name = "export.jsonl";
  info.summary = "JSON Lines: one file per table (<dir>/<table>.jsonl), or one object per document.";
  info.doc =
      "shape: rows writes one object per row, keyed by column name, into <dir>/<table>.jsonl; empty cells are "
      "null. shape: documents writes <dir>/documents.jsonl with one object per document: its row of the "
      "documents table, its text, metadata and spans (with raw byte offsets). Files appear only when the run "
      "completes.";
  info.kind = StageKind::kSink;
  info.params = {
      ParamSpec::Path("dir", "{out}", "Folder the files are written to (created if missing)."),
      ParamSpec::Enum("shape", "rows", {"rows", "documents"},
                      "rows: one object per table row; documents: one object per document with its text and spans."),
      ParamSpec::List("tables", {}, "With shape: rows, the tables to write; empty writes every table of the run."),
  };
  info.make_sink = [](const Config& c, const SetupContext&) -> StatusOr<std::unique_ptr<Sink>> {
    return std::unique_ptr<Sink>(new ExportJsonl(c));
  };
  return registry.Add(std::move(info));
}

}  // namespace

LODE_PLUGIN(export_jsonl, "export.jsonl", LODE_VERSION_STRING, "Writes JSON Lines.", Register)
