// export.html in a real browser: Debian's chromium renders a report headless;
// the page must load without a single console message (a script error, or a
// Content-Security-Policy violation, which is what text that escaped escaping
// would cause), its own script must run under that policy, and the screenshots
// are kept for a person to look at:
//
//   <build>/artifacts/report.html          the page
//   <build>/artifacts/report.png           1280 × 2000, as on a desktop
//   <build>/artifacts/report-narrow.png    420 × 1600, as on a phone
//
// Registered with the label `browser` (ctest -L browser). Skipped only when no
// chromium is installed (bash scripts/deps.sh installs it).
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "lode/lode.h"
#include "lode/testing.h"
#include "report_fixture.h"
#include "test_support.h"

LODE_DECLARE_STATIC_PLUGIN(export_html);

namespace lode {
namespace {

namespace fs = std::filesystem;
using namespace lode::html_fixture;
using lode::testing::ReadFile;
using lode::testing::RunCommand;
using lode::testing::ShellQuote;
using lode::testing::TempDir;

// LODE_CHROMIUM, or the first of the usual names found on PATH.
std::string FindChromium() {
  if (const char* env = std::getenv("LODE_CHROMIUM"); env && *env) return env;
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path ? path : "/usr/bin:/bin");
  std::vector<std::string> folders;
  for (std::string d; std::getline(dirs, d, ':');) folders.push_back(d);
  for (const char* name : {"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"})
    for (const std::string& d : folders) {
      const fs::path p = fs::path(d) / name;
      if (::access(p.c_str(), X_OK) == 0) return p.string();
    }
  return "";
}

// The chromium command line for one headless run with a fresh profile.
std::string Chromium(const std::string& chromium, const TempDir& profile, const std::string& action,
                     const std::string& page) {
  return "timeout 180 " + ShellQuote(chromium) +
         " --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking"
         " --disable-component-update --disable-sync --hide-scrollbars --user-data-dir=" +
         ShellQuote(profile.path()) + " --enable-logging=stderr --v=0 " + action + " " + ShellQuote("file://" + page);
}

// Console messages of the page, as chromium logs them to stderr with
// --enable-logging: "[…:INFO:CONSOLE:12] "message", source: file://… (12)".
std::vector<std::string> ConsoleLines(const std::string& err) {
  std::vector<std::string> lines;
  std::stringstream in(err);
  for (std::string line; std::getline(in, line);)
    if (line.find(":CONSOLE") != std::string::npos || line.find("Uncaught") != std::string::npos) lines.push_back(line);
  return lines;
}

// Width and height from a PNG's IHDR chunk, or {0, 0} when it is not a PNG.
std::pair<uint32_t, uint32_t> PngSize(const std::string& png) {
  if (png.size() < 24 || png.compare(0, 8, "\x89PNG\r\n\x1a\n") != 0 || png.compare(12, 4, "IHDR") != 0) return {0, 0};
  auto be32 = [&png](size_t at) {
    return (uint32_t(uint8_t(png[at])) << 24) | (uint32_t(uint8_t(png[at + 1])) << 16) |
           (uint32_t(uint8_t(png[at + 2])) << 8) | uint32_t(uint8_t(png[at + 3]));
  };
  return {be32(16), be32(20)};
}

// A report with everything the page can show: a hand-written seed-like report
// first (what the screenshot shows), generated ones, a document full of hostile
// text, a dropped copy and a quarantined page.
std::string WriteReport(const std::string& dir) {
  const std::string path = dir + "/report.html";
  auto h = StageHarness::Create(lode_plugin_export_html(), "export.html",
                                "path: " + path + "\ntitle: 区政府工作报告目标任务完成情况");
  EXPECT_TRUE(h.ok()) << h.status().ToString();
  if (!h.ok()) return "";
  Sink* sink = (*h)->sink();
  EXPECT_TRUE(sink->Open(FullContext()).ok());
  std::vector<Document> docs;
  docs.push_back(HandWrittenReport("2019/wuchang-progress.html", 0));
  for (int i = 1; i <= 4; ++i) docs.push_back(GeneratedReport("2021/district-" + std::to_string(i) + ".txt", i, 75, i));
  Document hostile;
  hostile.id = "hostile\"><script>alert(1)</script>.html";
  hostile.sequence = 5;
  AddItem(hostile, 1, "<img src=x onerror=alert(2)>", 0, "", 1,
          "<script>alert(3)</script> =cmd|' /C calc'!A0 " + std::string(1, '\0') + " 新建停车泊位2000个",
          "<b>区城管局</b>", "已建成1300个\n\"引号\" 'single' & </article></details>", 3);
  AddMetric(hostile, 1, "target", "target", "\"><svg onload=alert(4)>", "", "2000个", 2000, "个", 2000, "个");
  AddAudit(hostile, 1, 70, 1300, 2000, "mismatch", "<iframe src=javascript:alert(5)>");
  docs.push_back(std::move(hostile));
  Document copy;
  copy.id = "mirror/wuchang-progress.html";
  copy.sequence = 6;
  AddDuplicate(copy, "near", "2019/wuchang-progress.html", 0.94);
  copy.MarkDuplicate("2019/wuchang-progress.html",
                     "near copy of 2019/wuchang-progress.html (estimated similarity 0.94)");
  docs.push_back(std::move(copy));
  Document bad;
  bad.id = "broken/page.html";
  bad.source = "broken/page.html";
  bad.sequence = 7;
  bad.Quarantine("read.files: broken/page.html: byte 1043: not valid GB18030");
  docs.push_back(std::move(bad));
  for (const Document& d : docs) EXPECT_TRUE(sink->Write(d).ok());
  EXPECT_TRUE(sink->Close({RunsRow("work-report", 8, 6, 1, 1)}).ok());
  return path;
}

TEST(ExportHtmlBrowser, RendersInHeadlessChromiumWithoutConsoleMessages) {
  const std::string chromium = FindChromium();
  if (chromium.empty()) GTEST_SKIP() << "no chromium on PATH (bash scripts/deps.sh installs Debian's chromium)";

  const std::string artifacts = LODE_HTML_ARTIFACT_DIR;
  ASSERT_TRUE(EnsureDirectory(artifacts).ok());
  const std::string page = WriteReport(artifacts);
  ASSERT_FALSE(page.empty());

  struct Shot {
    std::string file;
    uint32_t width, height;
  };
  for (const Shot& shot :
       {Shot{artifacts + "/report.png", 1280, 2000}, Shot{artifacts + "/report-narrow.png", 420, 1600}}) {
    fs::remove(shot.file);
    TempDir profile;
    const auto r =
        RunCommand(Chromium(chromium, profile,
                            "--screenshot=" + ShellQuote(shot.file) + " --window-size=" + std::to_string(shot.width) +
                                "," + std::to_string(shot.height),
                            page));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(ConsoleLines(r.err), std::vector<std::string>{}) << "the page logged to the console";
    const std::string png = ReadFile(shot.file);
    EXPECT_EQ(PngSize(png), std::make_pair(shot.width, shot.height)) << shot.file;
    // A blank page compresses to a few kilobytes; a rendered report does not.
    EXPECT_GT(png.size(), 40u * 1024) << shot.file;
    std::printf("screenshot: %s\n", shot.file.c_str());
  }
  std::printf("report: %s\n", page.c_str());

  // The DOM after the page's script ran: it ran under the policy (it marks the
  // page ready and shows its controls), and no markup from the data became an
  // element.
  TempDir profile;
  const auto dom = RunCommand(Chromium(chromium, profile, "--dump-dom", page));
  ASSERT_EQ(dom.exit_code, 0) << dom.err;
  EXPECT_EQ(ConsoleLines(dom.err), std::vector<std::string>{});
  EXPECT_NE(dom.out.find("<html lang=\"en\" data-ready=\"1\">"), std::string::npos) << dom.out.substr(0, 400);
  EXPECT_NE(dom.out.find("<div class=\"controls\" id=\"controls\">"), std::string::npos);
  size_t scripts = 0;
  for (size_t at = dom.out.find("<script"); at != std::string::npos; at = dom.out.find("<script", at + 1)) ++scripts;
  EXPECT_EQ(scripts, 1u);
  for (const char* element : {"<img", "<svg", "<iframe", "<b>区城管局"})
    EXPECT_EQ(dom.out.find(element), std::string::npos) << element;
  EXPECT_NE(dom.out.find("&lt;script&gt;alert(3)&lt;/script&gt;"), std::string::npos);
  // Every kept document is there, with its items and the flagged audit.
  EXPECT_NE(dom.out.find("<span class=\"docid\">2021/district-4.txt</span>"), std::string::npos);
  EXPECT_NE(dom.out.find("<div class=\"audit mismatch\">"), std::string::npos);
}

}  // namespace
}  // namespace lode
