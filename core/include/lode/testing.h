// lode/testing.h — drive one stage in isolation, in a unit test.
//
// A StageHarness builds a single transform (or source, or sink) from a plugin
// linked statically into the test and a YAML snippet of its parameters, exactly
// as the host would from a pipeline file (same validation, same defaults). Push
// documents through it and look at their text, spans and rows. No files, no
// threads, no sleeps.
//
//   LODE_DECLARE_STATIC_PLUGIN(dedup);
//   auto h = lode::StageHarness::Create(lode_plugin_dedup(), "dedup.repeats",
//                                       "min_lines: 3");
//   ASSERT_TRUE(h.ok()) << h.status().ToString();
//   lode::Document doc = lode::StageHarness::MakeDocument("a", "line\nline\n");
//   ASSERT_TRUE((*h)->Process(doc).ok());
//   EXPECT_EQ(doc.rows.size(), 1u);
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "lode/plugin.h"
#include "lode/stage.h"
#include "lode/status.h"

namespace lode {

class StageHarness {
 public:
  // Registers `plugin` (with the same checks as the plugin loader) and builds
  // `stage` from `yaml_params` (a YAML mapping, may be empty). Errors read as the
  // pipeline validator's, with "<snippet>:line:col".
  static StatusOr<std::unique_ptr<StageHarness>> Create(const PluginDescriptor* plugin,
                                                        std::string_view stage,
                                                        std::string_view yaml_params,
                                                        SetupContext setup = {});

  // A kept document whose raw bytes and text are `text` (identity offsets).
  static Document MakeDocument(std::string id, std::string text);

  virtual ~StageHarness() = default;

  // Transforms: Process(doc) as the runner calls it, including the check of
  // every row against the stage's declared tables. Errors are returned, and
  // the document is not quarantined (the runner does that).
  virtual Status Process(Document& doc) = 0;
  // Transforms: Finish().
  virtual Status Finish(std::vector<TableRow>& rows) = 0;

  // The stage itself (for sources and sinks, call its methods directly).
  virtual Source* source() = 0;
  virtual Transform* transform() = 0;
  virtual Sink* sink() = 0;
};

}  // namespace lode
