#include <map>

#include "host_registry.h"
#include "lode/testing.h"
#include "pipeline.h"

namespace lode {

namespace {

class HarnessImpl : public StageHarness {
 public:
  std::unique_ptr<host::HostRegistry> registry;
  std::unique_ptr<Source> source_stage;
  std::unique_ptr<Transform> transform_stage;
  std::unique_ptr<Sink> sink_stage;
  std::string name;
  std::map<std::string, const TableSchema*, std::less<>> tables;

  Status Process(Document& doc) override {
    if (!transform_stage) return FailedPreconditionError(name + " is not a transform");
    const size_t before = doc.rows.size();
    LODE_RETURN_IF_ERROR(transform_stage->Process(doc));
    return CheckRows(doc.rows, before);
  }
  Status Finish(std::vector<TableRow>& rows) override {
    if (!transform_stage) return FailedPreconditionError(name + " is not a transform");
    const size_t before = rows.size();
    LODE_RETURN_IF_ERROR(transform_stage->Finish(rows));
    return CheckRows(rows, before);
  }
  Source* source() override { return source_stage.get(); }
  Transform* transform() override { return transform_stage.get(); }
  Sink* sink() override { return sink_stage.get(); }

 private:
  Status CheckRows(const std::vector<TableRow>& rows, size_t from) const {
    for (size_t i = from; i < rows.size(); ++i) {
      auto it = tables.find(rows[i].table);
      if (it == tables.end()) return InternalError(name + " wrote to undeclared table '" + rows[i].table + "'");
      const TableSchema& t = *it->second;
      if (rows[i].row.cells.size() != t.columns.size())
        return InternalError(name + " wrote a row of the wrong width to table '" + t.name + "'");
      for (size_t c = 0; c < t.columns.size(); ++c)
        if (!ValueFits(rows[i].row.cells[c], t.columns[c].type))
          return InternalError(name + " wrote a wrongly typed value to " + t.name + "." + t.columns[c].name);
    }
    return OkStatus();
  }
};

}  // namespace

StatusOr<std::unique_ptr<StageHarness>> StageHarness::Create(const PluginDescriptor* plugin, std::string_view stage,
                                                             std::string_view yaml_params, SetupContext setup) {
  auto h = std::make_unique<HarnessImpl>();
  h->registry = std::make_unique<host::HostRegistry>();
  h->name = std::string(stage);
  LODE_RETURN_IF_ERROR(h->registry->Register(plugin, "<static>"));
  const host::StageEntry* entry = h->registry->Find(stage);
  if (entry == nullptr) return NotFoundError("the plugin has no stage '" + std::string(stage) + "'");
  host::PipelineFile pf = host::ParsePipelineText(std::string(yaml_params), "<snippet>");
  std::vector<host::Diagnostic> diags = pf.diagnostics;
  Config config;
  if (diags.empty()) {
    YAML::Node with = pf.root;
    config = host::BuildConfig(entry->info, with, "<snippet>", host::Variables{}, diags);
  }
  if (!diags.empty()) {
    std::string m;
    for (const auto& d : diags) m += (m.empty() ? "" : "\n") + d.ToString();
    return InvalidArgumentError(m);
  }
  for (const TableSchema& t : entry->info.tables) h->tables[t.name] = &t;
  h->tables["warnings"] = &WarningsTable();  // every stage may warn
  switch (entry->info.kind) {
    case StageKind::kSource: {
      LODE_ASSIGN_OR_RETURN(h->source_stage, entry->info.make_source(config, setup));
      break;
    }
    case StageKind::kTransform: {
      LODE_ASSIGN_OR_RETURN(h->transform_stage, entry->info.make_transform(config, setup));
      break;
    }
    case StageKind::kSink: {
      LODE_ASSIGN_OR_RETURN(h->sink_stage, entry->info.make_sink(config, setup));
      break;
    }
  }
  return std::unique_ptr<StageHarness>(std::move(h));
}

Document StageHarness::MakeDocument(std::string id, std::string text) {
  Document doc;
  doc.id = id;
  doc.source = std::move(id);
  doc.raw = text;
  doc.source_range = {0, text.size()};
  doc.encoding = "UTF-8";
  doc.encoding_confidence = 1;
  doc.SetTextFromRaw();
  doc.IndexLines();
  return doc;
}

}  // namespace lode
