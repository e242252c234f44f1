// Validation of pipeline files: every error at once, each at its 1-based
// file:line:col, with suggestions.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "host_registry.h"
#include "pipeline.h"

LODE_DECLARE_STATIC_PLUGIN(fixture);
LODE_DECLARE_STATIC_PLUGIN(read_files);
LODE_DECLARE_STATIC_PLUGIN(export_csv);
LODE_DECLARE_STATIC_PLUGIN(export_jsonl);

namespace lode::host {
namespace {

class PipelineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(registry_.Register(lode_plugin_fixture(), "<fixture>").ok());
    ASSERT_TRUE(registry_.Register(lode_plugin_read_files(), "<read.files>").ok());
    ASSERT_TRUE(registry_.Register(lode_plugin_export_csv(), "<export.csv>").ok());
    ASSERT_TRUE(registry_.Register(lode_plugin_export_jsonl(), "<export.jsonl>").ok());
  }

  // The diagnostics for `yaml`, as the user sees them.
  std::vector<std::string> Errors(const std::string& yaml, Variables vars = {}, std::vector<std::string> sets = {}) {
    if (vars.inputs.empty()) vars.inputs = {"pages"};
    PipelineFile pf = ParsePipelineText(yaml, "p.yaml");
    ResolveResult r = ResolvePipeline(pf, registry_, vars, sets);
    std::vector<std::string> out;
    for (const Diagnostic& d : r.diagnostics) out.push_back(d.ToString());
    return out;
  }

  ResolveResult Resolve(const std::string& yaml, Variables vars = {}, std::vector<std::string> sets = {}) {
    if (vars.inputs.empty()) vars.inputs = {"pages"};
    return ResolvePipeline(ParsePipelineText(yaml, "p.yaml"), registry_, vars, sets);
  }

  HostRegistry registry_;
};

const char* const kGood =
    "name: t\n"
    "input:\n"
    "  - use: read.files\n"
    "    with: {paths: [\"{input}\"]}\n"
    "stages:\n"
    "  - use: fixture.upper\n"
    "output:\n"
    "  - use: export.csv\n"
    "    with:\n"
    "      dir: \"{out}/csv\"\n"
    "      bom: true\n";

TEST_F(PipelineTest, AGoodPipelineResolvesWithDefaultsAndVariables) {
  Variables vars;
  vars.inputs = {"a", "b"};
  vars.out = "results";
  ResolveResult r = Resolve(kGood, vars);
  ASSERT_TRUE(r.ok()) << r.diagnostics[0].ToString();
  EXPECT_EQ(r.pipeline.name, "t");
  ASSERT_EQ(r.pipeline.inputs.size(), 1u);
  EXPECT_EQ(r.pipeline.inputs[0].config.GetList("paths"), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(r.pipeline.inputs[0].config.GetInt("max_document_bytes"), int64_t{64} << 20);
  EXPECT_EQ(r.pipeline.outputs[0].config.GetString("dir"), "results/csv");
  EXPECT_TRUE(r.pipeline.outputs[0].config.GetBool("bom"));
  EXPECT_FALSE(r.pipeline.outputs[0].config.GetBool("excel_safe"));
  EXPECT_EQ(r.pipeline.outputs[0].where, "p.yaml:8:10");
}

TEST_F(PipelineTest, UnknownParameterSaysWhereWhatItMeantAndWhatIsAllowed) {
  std::string yaml = kGood;
  yaml.replace(yaml.find("bom: true"), 9, "bon: true");
  EXPECT_EQ(Errors(yaml), std::vector<std::string>{
                              "p.yaml:11:7: stage export.csv: parameter 'bon' is not known (did you mean 'bom'?); "
                              "its parameters are: dir, bom, excel_safe, tables"});
}

TEST_F(PipelineTest, UnknownStageSuggestsTheClosestName) {
  std::string yaml = kGood;
  yaml.replace(yaml.find("fixture.upper"), 13, "fixture.uper");
  EXPECT_EQ(Errors(yaml), std::vector<std::string>{"p.yaml:6:10: unknown stage 'fixture.uper' (did you mean "
                                                   "'fixture.upper'?) (lode plugins lists the stages)"});
}

TEST_F(PipelineTest, ReportsEveryErrorAtOnce) {
  const std::string yaml =
      "input:\n"
      "  - use: read.files\n"
      "    with: {paths: [x], max_document_bytes: lots, follow_symlinks: maybe}\n"
      "stages:\n"
      "  - use: fixture.fail\n"
      "    with: {how: explode}\n"
      "output:\n"
      "  - use: export.csv\n"
      "    wiht: {dir: x}\n";
  EXPECT_EQ(Errors(yaml),
            (std::vector<std::string>{
                "p.yaml:3:24: stage read.files: parameter 'max_document_bytes' must be a size such as 4096, 64KiB "
                "or 1GiB, not 'lots'",
                "p.yaml:3:50: stage read.files: parameter 'follow_symlinks' must be true or false, not 'maybe'",
                "p.yaml:6:12: stage fixture.fail: parameter 'how' must be one of status, throw, undeclared, not "
                "'explode'",
                "p.yaml:9:5: 'wiht' is not known in a stage entry (did you mean 'with'?); an entry has 'use:', "
                "'with:' and 'enabled:'"}));
}

TEST_F(PipelineTest, MissingRequiredParameterIsReportedAtTheEntry) {
  EXPECT_EQ(Errors("input:\n  - use: read.files\noutput:\n  - use: export.csv\n"),
            std::vector<std::string>{"p.yaml:2:10: stage read.files: parameter 'paths' is required (Files, folders "
                                     "and glob patterns to read; '{input}' stands for the inputs given on the "
                                     "command line.)"});
}

TEST_F(PipelineTest, ConstraintsAreChecked) {
  EXPECT_EQ(Errors("input:\n  - use: read.files\n    with: {paths: [a], max_document_bytes: 0}\n"
                   "output:\n  - use: export.csv\n"),
            std::vector<std::string>{"p.yaml:3:24: stage read.files: parameter 'max_document_bytes' must be a size "
                                     "of at least 1, not 0"});
}

TEST_F(PipelineTest, DuplicateKeysAreErrors) {
  EXPECT_EQ(Errors("input:\n  - use: read.files\n    with: {paths: [a]}\n"
                   "output:\n  - use: export.csv\n    with:\n      bom: true\n      bom: false\n"),
            std::vector<std::string>{"p.yaml:8:7: duplicate key 'bom' (first at line 7)"});
}

TEST_F(PipelineTest, ATabIsASyntaxErrorWithItsPlace) {
  EXPECT_EQ(Errors("input:\n\t- use: read.files\n"),
            std::vector<std::string>{"p.yaml:2:2: illegal block entry (this line holds a tab; YAML indents with spaces only)"});
}

TEST_F(PipelineTest, AnUnclosedQuoteIsReportedWhereItOpens) {
  EXPECT_EQ(Errors("input:\n  - use: read.files\n    with: {paths: [a]}\noutput:\n  - use: \"export.csv\n"),
            std::vector<std::string>{
                "p.yaml:5:10: unclosed quote: the string that starts here with \" runs to the end of the file"});
}

TEST_F(PipelineTest, NotYamlAtAll) {
  auto errors = Errors("input: [read.files\n");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].rfind("p.yaml:", 0), 0u) << errors[0];
  EXPECT_NE(errors[0].find("end of sequence flow not found"), std::string::npos) << errors[0];
}

TEST_F(PipelineTest, AStageInTheWrongSectionSaysWhereItBelongs) {
  EXPECT_EQ(Errors("input:\n  - use: export.csv\noutput:\n  - use: export.csv\n"),
            std::vector<std::string>{"p.yaml:2:10: stage export.csv is a sink; it belongs under 'output:', not "
                                     "'input:'"});
}

TEST_F(PipelineTest, UnknownTopLevelKeyAndMissingSections) {
  EXPECT_EQ(Errors("inputs:\n  - use: read.files\n"),
            (std::vector<std::string>{
                "p.yaml:1:1: 'inputs' is not a pipeline key (did you mean 'input'?); the keys are: name, "
                "description, plugin_paths, input, stages, output",
                "p.yaml:1:1: the pipeline has no 'input:' list (it needs at least one source)",
                "p.yaml:1:1: the pipeline has no 'output:' list (it needs at least one sink)"}));
}

TEST_F(PipelineTest, SetOverridesAreValidatedTheSameWay) {
  ResolveResult ok = Resolve(kGood, {}, {"export.csv.excel_safe=true", "read.files.max_document_bytes=1MiB"});
  ASSERT_TRUE(ok.ok()) << ok.diagnostics[0].ToString();
  EXPECT_TRUE(ok.pipeline.outputs[0].config.GetBool("excel_safe"));
  EXPECT_EQ(ok.pipeline.inputs[0].config.GetInt("max_document_bytes"), 1 << 20);

  EXPECT_EQ(Errors(kGood, {}, {"export.csv.exel_safe=true", "dedup.near.threshold=0.9", "nonsense"}),
            (std::vector<std::string>{
                "--set nonsense: expected STAGE.PARAMETER=VALUE, such as dedup.near.threshold=0.9",
                "--set export.csv.exel_safe=true: stage export.csv: parameter 'exel_safe' is not known (did you "
                "mean 'excel_safe'?); its parameters are: dir, bom, excel_safe, tables",
                "--set dedup.near.threshold=0.9: stage 'dedup.near' is not in this pipeline"}));
}

TEST_F(PipelineTest, EnabledFalseKeepsAnEntryCheckedButNotRun) {
  const std::string two_outputs = std::string(kGood) +
                                  "  - use: export.jsonl\n"
                                  "    enabled: false\n";
  ResolveResult r = Resolve(two_outputs);
  ASSERT_TRUE(r.ok()) << r.diagnostics[0].ToString();
  ASSERT_EQ(r.pipeline.outputs.size(), 1u);
  EXPECT_EQ(r.pipeline.outputs[0].use, "export.csv");

  // --set turns it on, and off the one the file runs.
  r = Resolve(two_outputs, {}, {"export.jsonl.enabled=true", "export.csv.enabled=no"});
  ASSERT_TRUE(r.ok()) << r.diagnostics[0].ToString();
  ASSERT_EQ(r.pipeline.outputs.size(), 1u);
  EXPECT_EQ(r.pipeline.outputs[0].use, "export.jsonl");

  // A disabled entry is still validated.
  EXPECT_EQ(Errors(std::string(kGood) + "  - use: export.jsonl\n    enabled: maybe\n    with: {colour: red}\n"),
            (std::vector<std::string>{
                "p.yaml:13:14: stage export.jsonl: 'enabled' must be true or false, not 'maybe'",
                "p.yaml:14:12: stage export.jsonl: parameter 'colour' is not known; its parameters are: dir, "
                "shape, tables"}));
  EXPECT_EQ(Errors(two_outputs, {}, {"export.csv.enabled=false"}),
            std::vector<std::string>{"p.yaml:8:3: every entry of 'output:' is disabled (enabled: false); enable one"});
}

TEST_F(PipelineTest, InputVariableWithoutInputsIsAnError) {
  PipelineFile pf = ParsePipelineText(kGood, "p.yaml");
  ResolveResult r = ResolvePipeline(pf, registry_, Variables{}, {});
  ASSERT_EQ(r.diagnostics.size(), 1u) << r.diagnostics[1].ToString();
  EXPECT_EQ(r.diagnostics[0].ToString(),
            "p.yaml:4:12: stage read.files: parameter 'paths': '{input}' is used, but no input was given (lode run "
            "PIPELINE INPUT…)");
  Variables lenient;
  lenient.inputs_optional = true;
  EXPECT_TRUE(ResolvePipeline(pf, registry_, lenient, {}).ok());
}

TEST_F(PipelineTest, BracesThatAreNotVariablesStayAsWritten) {
  std::string yaml = kGood;
  yaml.replace(yaml.find("{paths: [\"{input}\"]}"), 20, "{paths: [\"{input}\"], include: ['p{2,3}.txt', '{a}']}");
  ResolveResult r = Resolve(yaml);
  ASSERT_EQ(r.diagnostics.size(), 1u);
  EXPECT_EQ(r.diagnostics[0].ToString(),
            "p.yaml:4:32: stage read.files: parameter 'include': unknown variable '{a}' (known: {input}, {out})");
  yaml.replace(yaml.find(", '{a}'"), 7, "");
  r = Resolve(yaml);
  ASSERT_TRUE(r.ok()) << r.diagnostics[0].ToString();
  EXPECT_EQ(r.pipeline.inputs[0].config.GetList("include"), std::vector<std::string>{"p{2,3}.txt"});
}

TEST_F(PipelineTest, UnknownVariable) {
  std::string yaml = kGood;
  yaml.replace(yaml.find("{out}/csv"), 9, "{outdir}/csv");
  EXPECT_EQ(Errors(yaml), std::vector<std::string>{"p.yaml:10:7: stage export.csv: parameter 'dir': unknown "
                                                   "variable '{outdir}' (known: {input}, {out})"});
}

}  // namespace
}  // namespace lode::host
