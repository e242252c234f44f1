// `lode new-plugin NAME`: writes a buildable out-of-tree plugin — a stage with a
// documented parameter that fills a table of its own, a test through the SDK's
// harness, and a README that says how to build, test and use it.
#include "new_plugin.h"

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "lode/version.h"

namespace lode::cli {

namespace {

namespace fs = std::filesystem;

const char* const kCMakeLists = R"(cmake_minimum_required(VERSION 3.20)
project(@NAME@ LANGUAGES CXX)
set(CMAKE_CXX_STANDARD 20)
set(CMAKE_CXX_STANDARD_REQUIRED ON)

# lode's SDK and lode_add_plugin(); set CMAKE_PREFIX_PATH if lode is installed
# somewhere other than a standard prefix.
find_package(lode 0.1 REQUIRED)

# Builds @NAME@.so (load it through LODE_PLUGIN_PATH) and a static library for tests.
lode_add_plugin(NAME @NAME@ SOURCES @NAME@.cc)

enable_testing()
find_package(GTest REQUIRED)
include(GoogleTest)
add_executable(@NAME@_test tests/@NAME@_test.cc)
target_link_libraries(@NAME@_test PRIVATE lode_plugin_@NAME@_static GTest::gtest_main)
gtest_discover_tests(@NAME@_test)
)";

const char* const kSource = R"(// @NAME@.mentions: counts how often each of a list of words occurs in a
// document, and where it first occurs. A starting point: replace the counting
// with your own extraction, keep the shape.
#include <string>
#include <vector>

#include "lode/lode.h"

namespace {

using namespace lode;

// The table this stage writes. Exporters write it like any of lode's own.
const TableSchema& MentionsTable() {
  static const TableSchema table{
      "@NAME@_mentions",
      "How often each word of the 'words' parameter occurs in a document.",
      {{"doc_id", ColumnType::kText, "The document."},
       {"word", ColumnType::kText, "The word counted."},
       {"count", ColumnType::kInteger, "How often it occurs."},
       {"first_raw_begin", ColumnType::kInteger, "Byte offset in the input file of its first occurrence."}}};
  return table;
}

// Configured once, then called from many threads at once: it keeps no state
// that changes after construction.
class Mentions : public Transform {
 public:
  explicit Mentions(const Config& config) : words_(config.GetList("words")) {}

  Status Process(Document& doc) override {
    for (const std::string& word : words_) {
      if (word.empty()) continue;
      int64_t count = 0;
      size_t first = std::string::npos;
      for (size_t at = doc.text.find(word); at != std::string::npos; at = doc.text.find(word, at + word.size())) {
        if (count++ == 0) first = at;
        doc.spans.push_back({"@NAME@.mention", at, at + word.size(), {{"word", word}}});
      }
      if (count == 0) continue;
      RawRange raw = doc.ToRaw(first, first + word.size());
      doc.AddRow("@NAME@_mentions", {Value(doc.id), Value(word), Value(count), Value(static_cast<int64_t>(raw.begin))});
    }
    return OkStatus();
  }

 private:
  std::vector<std::string> words_;
};

Status Register(Registry& registry) {
  StageInfo info;
  info.name = "@NAME@.mentions";
  info.summary = "Counts how often each of a list of words occurs in a document.";
  info.kind = StageKind::kTransform;
  info.execution = Execution::kParallel;
  info.params = {ParamSpec::List("words", {"完成"}, "The words to count.")};
  info.tables = {MentionsTable()};
  info.make_transform = [](const Config& c, const SetupContext&) -> StatusOr<std::unique_ptr<Transform>> {
    return std::unique_ptr<Transform>(new Mentions(c));
  };
  return registry.Add(std::move(info));
}

}  // namespace

LODE_PLUGIN(@NAME@, "@NAME@", "0.1.0", "Counts words (a plugin made by lode new-plugin).", Register)
)";

const char* const kTest = R"(#include <gtest/gtest.h>

#include "lode/testing.h"

LODE_DECLARE_STATIC_PLUGIN(@NAME@);

namespace {

TEST(Mentions, CountsEachWordAndMapsItToTheInput) {
  auto stage = lode::StageHarness::Create(lode_plugin_@NAME@(), "@NAME@.mentions", "words: [完成, 目标]");
  ASSERT_TRUE(stage.ok()) << stage.status().ToString();
  lode::Document doc = lode::StageHarness::MakeDocument("page", "目标:完成3项。已完成2项。");
  ASSERT_TRUE((*stage)->Process(doc).ok());
  ASSERT_EQ(doc.rows.size(), 2u);
  EXPECT_EQ(std::get<std::string>(doc.rows[0].row.cells[1]), "完成");
  EXPECT_EQ(std::get<int64_t>(doc.rows[0].row.cells[2]), 2);
  EXPECT_EQ(std::get<int64_t>(doc.rows[0].row.cells[3]), 7);  // bytes of "目标:" come first
  EXPECT_EQ(std::get<int64_t>(doc.rows[1].row.cells[2]), 1);
}

TEST(Mentions, AnUnknownParameterIsRefused) {
  auto stage = lode::StageHarness::Create(lode_plugin_@NAME@(), "@NAME@.mentions", "wrods: [x]");
  ASSERT_FALSE(stage.ok());
  EXPECT_NE(stage.status().message().find("did you mean 'words'?"), std::string::npos);
}

}  // namespace
)";

const char* const kPipeline = R"(# Reads pages, counts words with @NAME@.mentions, writes CSV.
name: @NAME@-demo
input:
  - use: read.files
    with: {paths: ["{input}"]}
stages:
  - use: @NAME@.mentions
    with: {words: [完成, 目标]}
output:
  - use: export.csv
    with: {dir: "{out}", tables: [documents, @NAME@_mentions]}
)";

const char* const kReadme = R"(# @NAME@

A lode plugin, made by `lode new-plugin @NAME@`. Its stage `@NAME@.mentions`
counts how often each of a list of words occurs in a document and writes the
table `@NAME@_mentions`. Change `@NAME@.cc` to extract what your reports hold.

## Build, test

```sh
cmake -S . -B build
cmake --build build
ctest --test-dir build
```

`find_package(lode)` needs lode installed (its setup installs it under
`/usr/local`); for another prefix add `-DCMAKE_PREFIX_PATH=/that/prefix` to the
first command.

## Use

```sh
LODE_PLUGIN_PATH=$PWD/build lode plugins describe @NAME@.mentions
LODE_PLUGIN_PATH=$PWD/build lode run pipeline.yaml PAGES... -o out
```

`out/@NAME@_mentions.csv` then holds the counts; any exporter writes the table
with no change to it. The plugin must be built with the same compiler as lode
and for its ABI major (@ABI@); lode refuses it otherwise and says why.
)";

std::string Fill(std::string text, const std::string& name) {
  const std::pair<std::string, std::string> vars[] = {{"@NAME@", name},
                                                       {"@ABI@", std::to_string(LODE_ABI_MAJOR)}};
  for (const auto& [key, value] : vars)
    for (size_t at = text.find(key); at != std::string::npos; at = text.find(key, at + value.size()))
      text.replace(at, key.size(), value);
  return text;
}

}  // namespace

bool ValidPluginName(const std::string& name) {
  if (name.empty() || name.size() > 40 || !(name[0] >= 'a' && name[0] <= 'z')) return false;
  for (char c : name)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  return true;
}

Status WritePluginSkeleton(const std::string& name, const std::string& dir) {
  if (!ValidPluginName(name))
    return InvalidArgumentError("plugin name '" + name +
                                "' must start with a lower-case letter and hold only a-z, 0-9 and _");
  std::error_code ec;
  if (fs::exists(dir, ec) && !fs::is_empty(dir, ec))
    return InvalidArgumentError("folder " + dir + " exists and is not empty; choose another with --dir");
  const std::vector<std::pair<std::string, const char*>> files = {
      {"CMakeLists.txt", kCMakeLists}, {name + ".cc", kSource},     {"tests/" + name + "_test.cc", kTest},
      {"pipeline.yaml", kPipeline},    {"README.md", kReadme}};
  for (const auto& [relative, text] : files) {
    fs::path path = fs::path(dir) / relative;
    fs::create_directories(path.parent_path(), ec);
    if (ec) return IoError("cannot create folder " + path.parent_path().string() + ": " + ec.message());
    std::ofstream out(path, std::ios::binary);
    out << Fill(text, name);
    if (!out) return IoError("cannot write " + path.string());
  }
  return OkStatus();
}

}  // namespace lode::cli
