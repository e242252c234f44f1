#include "read_helpers.h"

#include <unicode/ucnv.h>

#include <filesystem>

#include <gtest/gtest.h>

#include "test_support.h"

namespace lode::readtest {

std::vector<Document> ReadAll(const std::string& params) {
  auto h = StageHarness::Create(lode_plugin_read_files(), "read.files", params);
  EXPECT_TRUE(h.ok()) << h.status().ToString();
  std::vector<Document> docs;
  if (!h.ok()) return docs;
  Source* s = (*h)->source();
  Status open = s->Open();
  EXPECT_TRUE(open.ok()) << open.ToString();
  if (!open.ok()) return docs;
  while (true) {
    Document d;
    auto more = s->Next(d);
    EXPECT_TRUE(more.ok()) << more.status().ToString();
    if (!more.ok() || !*more) break;
    if (d.kept()) {
      Status st = s->Decode(d);
      if (!st.ok()) {
        d.rows.clear();
        d.Quarantine(st.message());
      }
    }
    docs.push_back(std::move(d));
  }
  return docs;
}

Document ReadOne(const std::string& path, const std::string& extra) {
  std::string params = "paths: ['" + path + "']";
  if (!extra.empty()) params += "\n" + extra;
  std::vector<Document> docs = ReadAll(params);
  EXPECT_EQ(docs.size(), 1u);
  return docs.empty() ? Document() : std::move(docs.front());
}

namespace {
std::string Convert(std::string_view in, const char* from, const char* to) {
  UErrorCode err = U_ZERO_ERROR;
  std::string out(in.size() * 4 + 16, '\0');
  int32_t n = ucnv_convert(to, from, out.data(), static_cast<int32_t>(out.size()), in.data(),
                           static_cast<int32_t>(in.size()), &err);
  EXPECT_TRUE(U_SUCCESS(err)) << u_errorName(err) << " converting " << from << " to " << to;
  out.resize(U_SUCCESS(err) ? static_cast<size_t>(n) : 0);
  return out;
}
}  // namespace

std::string Encode(std::string_view utf8, const char* encoding) { return Convert(utf8, "UTF-8", encoding); }
std::string DecodeWith(std::string_view bytes, const char* encoding) { return Convert(bytes, encoding, "UTF-8"); }

std::vector<std::pair<size_t, size_t>> CodePoints(std::string_view s) {
  std::vector<std::pair<size_t, size_t>> out;
  for (size_t i = 0; i < s.size();) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    size_t n = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
    out.emplace_back(i, i + n);
    i += n;
  }
  return out;
}

std::vector<std::string> NonBlankLines(std::string_view text) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i <= text.size()) {
    size_t j = text.find('\n', i);
    if (j == std::string_view::npos) j = text.size();
    std::string_view line = text.substr(i, j - i);
    while (!line.empty() && (line.front() == ' ' || line.front() == '\t' || line.front() == '\r'))
      line.remove_prefix(1);
    while (!line.empty() && (line.back() == ' ' || line.back() == '\t' || line.back() == '\r')) line.remove_suffix(1);
    if (!line.empty()) out.emplace_back(line);
    i = j + 1;
  }
  return out;
}

std::string SharedDir() {
  std::filesystem::path p = std::filesystem::path(testing::SourceDir()) / ".." / "shared";
  return std::filesystem::is_directory(p) ? p.lexically_normal().string() : "";
}

}  // namespace lode::readtest
