// The SDK's value types: Status, offsets and edits, UTF-8 and JSON helpers,
// parameters, atomic files.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <linux/magic.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <functional>

#include "lode/data_file.h"
#include "lode/lode.h"
#include "test_support.h"

namespace lode {
namespace {

StatusOr<int> Half(int v) {
  if (v % 2) return InvalidArgumentError(std::to_string(v) + " is odd");
  return v / 2;
}

Status Quarter(int v, int& out) {
  LODE_ASSIGN_OR_RETURN(int half, Half(v));
  LODE_ASSIGN_OR_RETURN(out, Half(half));
  return OkStatus();
}

TEST(Status, MacrosPropagateTheFirstError) {
  int out = 0;
  EXPECT_TRUE(Quarter(8, out).ok());
  EXPECT_EQ(out, 2);
  Status s = Quarter(6, out);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.ToString(), "invalid argument: 3 is odd");
  EXPECT_EQ(s.WithPrefix("a.yaml:1:2").message(), "a.yaml:1:2: 3 is odd");
}

TEST(OffsetMap, IdentityMapsByteForByte) {
  OffsetMap m = OffsetMap::Identity(100, 10);
  EXPECT_EQ(m.ToRaw(2, 5).begin, 102u);
  EXPECT_EQ(m.ToRaw(2, 5).end, 105u);
  EXPECT_EQ(m.ToRaw(0, 99).end, 110u);  // clamps
}

// Where each byte of a text came from: the raw range a map must give for it.
struct Origin {
  uint64_t begin, end;
};

// A small deterministic generator, the same on every platform.
struct Lcg {
  uint32_t seed;
  uint32_t operator()(uint32_t n) {
    seed = seed * 1103515245u + 12345u;
    return (seed >> 8) % n;
  }
};

// `m` must agree with `model` for every range: the begin of its first byte,
// the furthest end of any of its bytes. Lookups go in order and out of order.
void ExpectAgrees(const OffsetMap& m, const std::vector<Origin>& model, Lcg& rnd, const std::string& what) {
  ASSERT_EQ(m.text_size(), model.size()) << what;
  size_t cursor = 0;
  for (int probe = 0; probe < 300; ++probe) {
    uint64_t b = rnd(uint32_t(model.size())), e = std::min<uint64_t>(model.size(), b + rnd(200));
    RawRange got = m.ToRaw(b, e);
    RawRange stepped = m.ToRaw(b, e, cursor);  // cursor from the previous probe: forward or back
    ASSERT_EQ(stepped.begin, got.begin);
    ASSERT_EQ(stepped.end, got.end);
    uint64_t want_begin = model[b].begin;
    uint64_t want_end = want_begin;  // the furthest any byte of the range came from
    for (uint64_t k = b; k < e; ++k) want_end = std::max(want_end, model[k].end);
    ASSERT_EQ(got.begin, want_begin) << what << ", range " << b << ".." << e;
    ASSERT_EQ(got.end, want_end) << what << ", range " << b << ".." << e;
  }
  size_t sweep = 0;  // in text order, as a stage reads its figures
  for (uint64_t b = 0; b + 5 <= model.size(); b += 7) {
    RawRange a = m.ToRaw(b, b + 5, sweep), want = m.ToRaw(b, b + 5);
    ASSERT_EQ(a.begin, want.begin);
    ASSERT_EQ(a.end, want.end);
  }
}

// Random edits (insertions, deletions, replacements, some of them cutting a
// unit of a decoded character in two) applied to both the map and the model.
void EditRounds(OffsetMap& m, std::vector<Origin>& model, Lcg& rnd, int rounds) {
  for (int round = 0; round < rounds; ++round) {
    std::vector<TextEdit> edits;
    std::vector<Origin> next;
    uint64_t at = 0;
    while (true) {
      uint64_t b = at + rnd(40), e = b + rnd(4);
      if (e > model.size()) break;
      std::string r(rnd(4), 'x');
      if (b == e && r.empty()) r = "y";
      edits.push_back({b, e, r});
      next.insert(next.end(), model.begin() + long(at), model.begin() + long(b));
      Origin whole{0, 0};
      if (e > b) {
        whole = {model[b].begin, model[b].begin};
        for (uint64_t k = b; k < e; ++k) whole.end = std::max(whole.end, model[k].end);
      } else {
        uint64_t point = b < model.size() ? model[b].begin : model.back().end;
        whole = {point, point};
      }
      next.insert(next.end(), r.size(), whole);
      at = e;
    }
    next.insert(next.end(), model.begin() + long(at), model.end());
    m = m.Compose(edits);
    model = next;
    ExpectAgrees(m, model, rnd, "round " + std::to_string(round));
  }
}

// A decoder's map: runs of ASCII copied byte for byte between runs of
// characters of one shape (3 text bytes from 2 raw ones, as GB18030's Chinese;
// 3 from 4; 3 from 1, a replaced invalid byte), which Append makes units of.
OffsetMap DecodedLike(std::vector<Origin>& model, Lcg& rnd, uint64_t size) {
  OffsetMap m;
  const uint64_t shapes[][2] = {{3, 2}, {3, 4}, {3, 1}, {2, 2}};
  uint64_t raw = 0;
  while (model.size() < size) {
    const uint64_t ascii = rnd(4);
    m.Append(ascii, raw, ascii, true);
    for (uint64_t k = 0; k < ascii; ++k) model.push_back({raw + k, raw + k + 1});
    raw += ascii;
    const auto& shape = shapes[rnd(4)];
    for (uint32_t n = rnd(30); n > 0; --n) {
      m.Append(shape[0], raw, shape[1], false);
      model.insert(model.end(), shape[0], Origin{raw, raw + shape[1]});
      raw += shape[1];
    }
  }
  return m;
}

// Many rounds of edits against a byte-by-byte model of where each text byte
// came from: the map must agree with it for every range, whatever the number
// of pieces (lookups step through a few pieces, then search).
TEST(OffsetMap, ComposedMapsAgreeWithAByteModel) {
  std::vector<Origin> model;
  for (uint64_t i = 0; i < 3000; ++i) model.push_back({i, i + 1});
  OffsetMap m = OffsetMap::Identity(0, model.size());
  Lcg rnd{12345};
  EditRounds(m, model, rnd, 40);
  EXPECT_GT(m.pieces().size(), 1000u);  // enough pieces that lookups must search
}

// Runs of decoded characters of one shape are one piece of many units, and
// still map character by character, also once edits cut into them.
TEST(OffsetMap, RunsOfOneShapeAreOnePieceAndMapCharacterByCharacter) {
  std::vector<Origin> model;
  Lcg rnd{777};
  OffsetMap m = DecodedLike(model, rnd, 6000);
  size_t units = 0;
  for (const OffsetMap::Piece& p : m.pieces()) {
    if (p.exact) continue;
    ASSERT_EQ(p.text_len % p.units, 0u);
    ASSERT_EQ(p.raw_len % p.units, 0u);
    units += p.units;
  }
  EXPECT_LT(m.pieces().size() * 5, units) << "runs of characters of one shape are merged";
  ExpectAgrees(m, model, rnd, "as decoded");
  EditRounds(m, model, rnd, 20);
}

// A map through another (an HTML page's text → the decoded page → the file)
// maps each byte to where the decoded byte under it came from.
TEST(OffsetMap, ThroughFollowsBothMaps) {
  Lcg rnd{4242};
  std::vector<Origin> inner_model;
  OffsetMap inner = DecodedLike(inner_model, rnd, 4000);
  // The outer text: stretches of the inner text copied byte for byte, others
  // that stand for a stretch as a whole (an entity), some of them units.
  OffsetMap outer;
  std::vector<Origin> model;
  uint64_t from = 0;
  while (from + 8 < inner_model.size()) {
    const uint64_t copied = rnd(40), skipped = rnd(3);
    for (uint64_t k = from; k < from + copied && k < inner_model.size(); ++k) model.push_back(inner_model[k]);
    outer.Append(std::min(copied, inner_model.size() - from), from, std::min(copied, inner_model.size() - from), true);
    from = std::min<uint64_t>(from + copied + skipped, inner_model.size());
    for (uint32_t n = rnd(3); n > 0 && from + 6 <= inner_model.size(); --n) {
      outer.Append(1, from, 6, false);  // "&amp;" and the like: one byte from six
      Origin whole = inner_model[from];
      for (uint64_t k = from; k < from + 6; ++k) whole.end = std::max(whole.end, inner_model[k].end);
      model.push_back(whole);
      from += 6;
    }
  }
  ExpectAgrees(outer.Through(inner), model, rnd, "through");
  // Through a plain copy of the file (UTF-8 input) is a shift.
  OffsetMap shifted = outer.Through(OffsetMap::Identity(100, inner_model.size()));
  ASSERT_EQ(shifted.text_size(), outer.text_size());
  for (uint64_t b = 0; b + 3 <= outer.text_size(); b += 5) {
    EXPECT_EQ(shifted.ToRaw(b, b + 3).begin, outer.ToRaw(b, b + 3).begin + 100);
    EXPECT_EQ(shifted.ToRaw(b, b + 3).end, outer.ToRaw(b, b + 3).end + 100);
  }
}

TEST(Document, EditsKeepProvenance) {
  // "主偠目标": 偠 (bytes 3..6) is repaired to 要; the text grows a prefix and
  // loses its last character.
  Document doc;
  doc.raw = "主偠目标";
  doc.source_range = {0, doc.raw.size()};
  doc.SetTextFromRaw();
  ASSERT_TRUE(doc.ApplyEdits({{0, 0, ">>"}, {3, 6, "要"}, {9, 12, ""}}));
  EXPECT_EQ(doc.text, ">>主要目");
  // 主 moved by two bytes but maps to its own bytes.
  EXPECT_EQ(doc.ToRaw(2, 5).begin, 0u);
  EXPECT_EQ(doc.ToRaw(2, 5).end, 3u);
  // The repaired character maps to the bytes it replaced.
  RawRange r = doc.ToRaw(5, 8);
  EXPECT_EQ(r.begin, 3u);
  EXPECT_EQ(r.end, 6u);
  EXPECT_EQ(doc.raw.substr(r.begin, r.end - r.begin), "偠");
  // An inserted prefix maps to an empty range where it was inserted.
  EXPECT_EQ(doc.ToRaw(0, 2).begin, 0u);
  EXPECT_EQ(doc.ToRaw(0, 2).end, 0u);
  // A second round of edits composes with the first.
  ASSERT_TRUE(doc.ApplyEdits({{0, 2, ""}}));
  EXPECT_EQ(doc.text, "主要目");
  EXPECT_EQ(doc.ToRaw(3, 9).begin, 3u);
  EXPECT_EQ(doc.ToRaw(3, 9).end, 9u);
}

TEST(Document, RefusesOverlappingOrOutOfRangeEdits) {
  Document doc;
  doc.raw = "abcdef";
  doc.SetTextFromRaw();
  EXPECT_FALSE(doc.ApplyEdits({{2, 4, "x"}, {3, 5, "y"}}));
  EXPECT_FALSE(doc.ApplyEdits({{4, 5, "x"}, {1, 2, "y"}}));
  EXPECT_FALSE(doc.ApplyEdits({{4, 9, "x"}}));
  EXPECT_EQ(doc.text, "abcdef");
}

TEST(Text, FindsTheFirstInvalidUtf8Byte) {
  EXPECT_FALSE(FindInvalidUtf8("plain ascii and 中文 and 😀").has_value());
  EXPECT_EQ(FindInvalidUtf8("abcdefghij\xff").value(), 10u);
  EXPECT_EQ(FindInvalidUtf8("中\xe4\xb8").value(), 3u);           // truncated
  EXPECT_EQ(FindInvalidUtf8("a\xc0\xafz").value(), 1u);           // overlong '/'
  EXPECT_EQ(FindInvalidUtf8("ab\xed\xa0\x80").value(), 2u);       // a surrogate
  EXPECT_EQ(FindInvalidUtf8("\xf4\x90\x80\x80").value(), 0u);     // above U+10FFFF
  EXPECT_EQ(CountCodePoints("a中😀"), 3u);
}

// Summary lines give kilobytes below a megabyte, not "0.0 MB".
TEST(Text, FormatBytesSaysKilobytesBelowAMegabyte) {
  EXPECT_EQ(FormatBytes(0), "0.0 KB");
  EXPECT_EQ(FormatBytes(4900), "4.9 KB");
  EXPECT_EQ(FormatBytes(786432), "786.4 KB");
  EXPECT_EQ(FormatBytes(1e6), "1.0 MB");
  EXPECT_EQ(FormatBytes(4.25e9), "4250.0 MB");
}

// Plain byte-at-a-time versions of the word-at-a-time helpers, to compare with.
std::string ReferenceEscape(std::string_view s) {
  std::string out;
  for (unsigned char c : s) {
    if (c == '"') out += "\\\"";
    else if (c == '\\') out += "\\\\";
    else if (c == '\n') out += "\\n";
    else if (c == '\r') out += "\\r";
    else if (c == '\t') out += "\\t";
    else if (c < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else out += static_cast<char>(c);
  }
  return out;
}

TEST(Text, WordAtATimeHelpersAgreeWithByteAtATimeOnes) {
  // Random mixes of ASCII, specials, CJK and stray bytes, at every alignment.
  const std::vector<std::string> pieces = {"a", "\"", "\\", "\n", std::string(1, '\0'), "\x1f", " ", "中", "文",
                                           "😀", "\x7f", "\xff", "\xe4\xb8", "\x80", "\xed\xa0\x80", "abcdefgh"};
  uint64_t state = 12345;
  for (int round = 0; round < 3000; ++round) {
    std::string s;
    int len = static_cast<int>(state % 40);
    for (int k = 0; k < len; ++k) {
      state = state * 6364136223846793005ULL + 1442695040888963407ULL;
      s += pieces[(state >> 33) % pieces.size()];
    }
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    std::string escaped;
    AppendJsonEscaped(escaped, s);
    ASSERT_EQ(escaped, ReferenceEscape(s)) << round;
    uint64_t starts = 0;
    for (unsigned char c : s) starts += (c & 0xC0) != 0x80;
    ASSERT_EQ(CountCodePoints(s), starts) << round;
    // FindInvalidUtf8 agrees with a decode by the standard library's rules.
    std::optional<size_t> expected;
    for (size_t i = 0; i < s.size() && !expected;) {
      unsigned char c = static_cast<unsigned char>(s[i]);
      size_t need = c < 0x80 ? 1 : (c >= 0xC2 && c <= 0xDF) ? 2 : (c >= 0xE0 && c <= 0xEF) ? 3 : (c >= 0xF0 && c <= 0xF4) ? 4 : 0;
      if (need == 0 || i + need > s.size()) { expected = i; break; }
      uint32_t cp = need == 1 ? c : c & (0x7F >> need);
      for (size_t k = 1; k < need; ++k) {
        unsigned char cc = static_cast<unsigned char>(s[i + k]);
        if ((cc & 0xC0) != 0x80) { expected = i; break; }
        cp = (cp << 6) | (cc & 0x3F);
      }
      if (expected) break;
      static const uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
      if (cp < kMin[need] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) { expected = i; break; }
      i += need;
    }
    ASSERT_EQ(FindInvalidUtf8(s), expected) << round;
  }
}

TEST(Text, JsonEscaping) {
  std::string out;
  AppendJsonEscaped(out, std::string("q\"b\\n\nt\t\x01 中", 13));
  EXPECT_EQ(out, "q\\\"b\\\\n\\nt\\t\\u0001 中");
  out.clear();
  AppendJsonNumber(out, 0.1);
  out += ' ';
  AppendJsonNumber(out, 1.0 / 0.0);
  EXPECT_EQ(out, "0.1 null");
}

TEST(Params, FormatsValuesAsYaml) {
  EXPECT_EQ(FormatParamValue(int64_t{64} << 20, ParamType::kSize), "64 MiB");
  EXPECT_EQ(FormatParamValue(int64_t{1000}, ParamType::kSize), "1000");
  EXPECT_EQ(FormatParamValue(std::vector<std::string>{"a", "b c", "{input}"}, ParamType::kList),
            "[a, b c, \"{input}\"]");
  EXPECT_EQ(FormatParamValue(0.85, ParamType::kDouble), "0.85");
}

TEST(AtomicFile, CommitReplacesAbortKeepsThePreviousFile) {
  testing::TempDir dir;
  std::string path = dir.Write("t.txt", "old");
  {
    auto f = AtomicFile::Create(path);
    ASSERT_TRUE(f.ok());
    ASSERT_TRUE((*f)->Write("new contents").ok());
    EXPECT_EQ(testing::ReadFile(path), "old");  // nothing visible before commit
    (*f)->Abort();
  }
  EXPECT_EQ(testing::ReadFile(path), "old");
  {
    auto f = AtomicFile::Create(path);
    ASSERT_TRUE(f.ok());
    ASSERT_TRUE((*f)->Write(std::string(3 << 20, 'x')).ok());  // larger than the buffer
    ASSERT_TRUE((*f)->Commit().ok());
  }
  EXPECT_EQ(testing::ReadFile(path).size(), 3u << 20);
  // Nothing is left beside it.
  size_t files = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir.path())) files += e.is_regular_file();
  EXPECT_EQ(files, 1u);
}

// Pages of `path` in [begin, end) that are in the page cache.
size_t ResidentPages(const std::string& path, size_t begin, size_t end) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return SIZE_MAX;
  void* map = ::mmap(nullptr, end - begin, PROT_READ, MAP_SHARED, fd, static_cast<off_t>(begin));
  ::close(fd);
  if (map == MAP_FAILED) return SIZE_MAX;
  const size_t page = static_cast<size_t>(::sysconf(_SC_PAGESIZE));
  std::vector<unsigned char> in((end - begin + page - 1) / page);
  size_t n = SIZE_MAX;
  if (::mincore(map, end - begin, in.data()) == 0) {
    n = 0;
    for (unsigned char c : in) n += c & 1;
  }
  ::munmap(map, end - begin);
  return n;
}

// Whether files in `dir` live in the page cache and leave it once written, as
// on the disk file systems lode is run on. tmpfs keeps files only there, ZFS
// has a cache of its own, NFS may hold pages back.
bool DropsCachedPages(const std::string& dir) {
  struct statfs fs;
  if (::statfs(dir.c_str(), &fs) != 0) return false;
  return fs.f_type == EXT4_SUPER_MAGIC || fs.f_type == XFS_SUPER_MAGIC || fs.f_type == BTRFS_SUPER_MAGIC;
}

TEST(WriteBehind, DropsWhatIsAChunkBehindTheEndFromTheCacheAndKeepsTheBytes) {
  testing::TempDir dir;
  if (!DropsCachedPages(dir.path())) GTEST_SKIP() << dir.path() << " is not on ext4, XFS or Btrfs";
  constexpr size_t kChunk = 2 << 20;  // the smallest step
  const auto pages = [](size_t bytes) { return bytes / static_cast<size_t>(::sysconf(_SC_PAGESIZE)); };
  // Grown after every half chunk, and once after six chunks written at once.
  for (const bool at_once : {false, true}) {
    SCOPED_TRACE(at_once ? "written at once" : "written in halves");
    const std::string path = dir.Write(at_once ? "once.db" : "halves.db", "");
    const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
    ASSERT_GE(fd, 0);
    WriteBehind behind(path, kChunk);
    std::string all;
    for (size_t i = 0; i < 12; ++i) {
      const std::string half(kChunk / 2, static_cast<char>('a' + i));
      all += half;
      if (at_once) continue;
      ASSERT_EQ(::write(fd, half.data(), half.size()), static_cast<ssize_t>(half.size()));
      behind.Grown();
      if (i == 2) {
        // Under two chunks, everything stays in the cache.
        EXPECT_EQ(behind.dropped(), 0u);
        EXPECT_EQ(ResidentPages(path, 0, kChunk), pages(kChunk));
      }
    }
    if (at_once) {
      ASSERT_EQ(::write(fd, all.data(), all.size()), static_cast<ssize_t>(all.size()));
      behind.Grown();
    }
    ::close(fd);
    // 6 chunks written: the first 5 went to the disk, the last stays.
    EXPECT_EQ(behind.dropped(), 5 * kChunk);
    const size_t behind_pages = ResidentPages(path, 0, 5 * kChunk), last_pages = ResidentPages(path, 5 * kChunk, 6 * kChunk);
    ASSERT_NE(behind_pages, SIZE_MAX);
    ASSERT_NE(last_pages, SIZE_MAX);
    EXPECT_EQ(behind_pages, 0u);
    EXPECT_GT(last_pages, 0u);
    // Dropped from the cache, not lost.
    EXPECT_TRUE(testing::ReadFile(path) == all);
  }
}

TEST(ReplaceFile, PutsTheTemporaryFileInPlaceOrNamesThePath) {
  testing::TempDir dir;
  const std::string path = dir.Write("t.db", "old");
  const std::string tmp = dir.Write("t.db.tmp", "new");
  ASSERT_TRUE(ReplaceFile(tmp, path).ok());
  EXPECT_EQ(testing::ReadFile(path), "new");
  EXPECT_FALSE(std::filesystem::exists(tmp));
  Status missing = ReplaceFile(tmp, path);  // gone now
  EXPECT_EQ(missing.message(), "cannot write " + path + ": No such file or directory");
  EXPECT_EQ(testing::ReadFile(path), "new");
}

TEST(AtomicFile, AFolderThatDoesNotExistIsAnErrorNamingThePath) {
  auto f = AtomicFile::Create("/nonexistent-lode-dir/x.csv");
  ASSERT_FALSE(f.ok());
  EXPECT_EQ(f.status().message(), "cannot write /nonexistent-lode-dir/x.csv: No such file or directory");
}

// Runs `body` with files limited to 1 MiB: a write past it fails part-way,
// as on a full disk.
Status WithOneMiBFiles(const std::function<Status()>& body) {
  struct rlimit old_limit;
  if (getrlimit(RLIMIT_FSIZE, &old_limit) != 0) return InternalError("getrlimit");
  auto old_handler = std::signal(SIGXFSZ, SIG_IGN);
  struct rlimit limit = old_limit;
  limit.rlim_cur = 1 << 20;
  if (setrlimit(RLIMIT_FSIZE, &limit) != 0) return InternalError("setrlimit");
  Status s = body();
  setrlimit(RLIMIT_FSIZE, &old_limit);
  std::signal(SIGXFSZ, old_handler);
  return s;
}

TEST(AtomicFile, AFullDiskMidWriteFailsNamingThePathAndKeepsThePreviousFile) {
  testing::TempDir dir;
  std::string path = dir.Write("big.jsonl", "previous");
  const Status s = WithOneMiBFiles([&] {
    LODE_ASSIGN_OR_RETURN(auto f, AtomicFile::Create(path));
    for (int i = 0; i < 4; ++i) LODE_RETURN_IF_ERROR(f->Write(std::string(1 << 20, 'x')));
    return f->Commit();
  });
  EXPECT_EQ(s.message(), "cannot write " + path + ": File too large");
  EXPECT_EQ(testing::ReadFile(path), "previous");
}

TEST(SetupContext, FindsDataFilesInOrderAndSaysWhereItLooked) {
  testing::TempDir a, b;
  b.Write("zh/units.yaml", "x");
  SetupContext s;
  s.data_dirs = {a.path(), b.path()};
  auto found = s.FindDataFile("zh/units.yaml");
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(*found, b.path() + "/zh/units.yaml");
  auto missing = s.FindDataFile("zh/none.yaml");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().message(),
            "data file zh/none.yaml is in none of these folders: " + a.path() + ", " + b.path());
}

}  // namespace
}  // namespace lode

namespace lode {
namespace {

TEST(DataFile, NodesKnowWhereTheyAre) {
  auto root = ParseDataText("pairs:\n  唍: 完\n  偠: [要]\nlist: [a, b]\n", "lookalikes.yaml");
  ASSERT_TRUE(root.ok()) << root.status().ToString();
  const DataNode* pairs = root->Find("pairs");
  ASSERT_NE(pairs, nullptr);
  ASSERT_TRUE(pairs->is_map());
  ASSERT_EQ(pairs->entries().size(), 2u);
  EXPECT_EQ(pairs->entries()[0].first.scalar(), "唍");
  EXPECT_EQ(pairs->entries()[0].second.scalar(), "完");
  const DataNode& bad = pairs->entries()[1].second;
  EXPECT_TRUE(bad.is_list());
  EXPECT_EQ(bad.Error("expected one character").message(), "lookalikes.yaml:3:6: expected one character");
  EXPECT_EQ(root->Find("list")->items()[1].where(), "lookalikes.yaml:4:11");
  EXPECT_EQ(root->Find("nothing"), nullptr);
}

TEST(DataFile, SyntaxErrorsAndDuplicateKeysNameThePlace) {
  auto dup = ParseDataText("pairs:\n  唍: 完\n  唍: 成\n", "l.yaml");
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.status().message(), "l.yaml:3:3: duplicate key '唍' (first at line 2)");
  auto syntax = ParseDataText("pairs: [a, b\n", "l.yaml");
  ASSERT_FALSE(syntax.ok());
  EXPECT_EQ(syntax.status().message().rfind("l.yaml:", 0), 0u);
  auto missing = LoadDataFile("/nonexistent/l.yaml");
  EXPECT_EQ(missing.status().message(), "cannot read data file /nonexistent/l.yaml");
}

}  // namespace
}  // namespace lode

namespace lode {
namespace {

TEST(Document, LinesOfRawOffsets) {
  Document doc;
  doc.raw = "一\n二二\n\n四";
  doc.source_range = {100, 100 + doc.raw.size()};
  doc.IndexLines();
  EXPECT_EQ(doc.LineOf(100), 1u);
  EXPECT_EQ(doc.LineOf(103), 1u);  // the newline ends line 1
  EXPECT_EQ(doc.LineOf(104), 2u);
  EXPECT_EQ(doc.LineOf(111), 3u);
  EXPECT_EQ(doc.LineOf(112), 4u);
  Document empty;
  EXPECT_EQ(empty.LineOf(5), 0u);
  size_t none = 0;
  EXPECT_EQ(empty.LineOf(5, none), 0u);
}

// With a cursor, offsets in order and out of it, near and far: always the
// line the search gives.
TEST(Document, LinesWithACursorAgreeWithTheSearch) {
  Document doc;
  for (int k = 0; k < 300; ++k) doc.raw += std::string(size_t(k % 7), 'x') + "\n";
  doc.source_range = {50, 50 + doc.raw.size()};
  doc.IndexLines();
  std::vector<uint64_t> offsets;
  for (uint64_t at = 0; at < doc.source_range.end + 5; at += 3) offsets.push_back(at);  // in order, before the start included
  for (uint64_t at : {900u, 60u, 61u, 400u, 52u, 2000u, 10u, 700u}) offsets.push_back(at);  // back and forth
  size_t cursor = 0;
  for (uint64_t at : offsets) EXPECT_EQ(doc.LineOf(at, cursor), doc.LineOf(at)) << at;
}

}  // namespace
}  // namespace lode

#include "lode/pool.h"

namespace lode {
namespace {

struct Counted {
  static inline int made = 0;
  int id;
  explicit Counted(int i) : id(i) {}
  Counted* clone() const { return new Counted(++made); }
};

TEST(ClonePool, LendsDistinctCopiesAndReusesReturnedOnes) {
  ClonePool<Counted> pool(std::make_unique<Counted>(0));
  auto a = pool.Acquire();
  auto b = pool.Acquire();  // a is still lent: a second copy
  EXPECT_NE(a->id, b->id);
  EXPECT_EQ(Counted::made, 2);
  Counted* raw = a.get();
  pool.Release(std::move(a));
  auto c = pool.Acquire();  // the returned copy, not a new clone
  EXPECT_EQ(c.get(), raw);
  EXPECT_EQ(Counted::made, 2);
}

}  // namespace
}  // namespace lode

namespace lode {
namespace {

// Bytes come back from the buffer and from the disk alike, across the flush
// between them; the file has no name in its folder; errors name the folder.
TEST(ScratchFile, ReadsBackWhatWasAppendedAndLeavesNothingBehind) {
  testing::TempDir dir;
  auto f = ScratchFile::Open(dir.path());
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  std::vector<std::pair<uint64_t, std::string>> written;
  for (int i = 0; i < 300; ++i) {  // ~1.9 MiB: past the 1 MiB buffer
    std::string bytes(6000 + i, static_cast<char>('a' + i % 26));
    bytes += std::to_string(i);
    auto at = (*f)->Append(bytes);
    ASSERT_TRUE(at.ok());
    written.emplace_back(*at, std::move(bytes));
  }
  EXPECT_EQ((*f)->size(), written.back().first + written.back().second.size());
  std::string back;
  for (size_t i : {size_t{0}, size_t{150}, size_t{299}}) {
    ASSERT_TRUE((*f)->Read(written[i].first, written[i].second.size(), back).ok());
    EXPECT_EQ(back, written[i].second) << i;
  }
  // A read that spans what is on disk and what is still buffered.
  ASSERT_TRUE((*f)->Read(written[10].first, (*f)->size() - written[10].first, back).ok());
  EXPECT_EQ(back.substr(0, written[10].second.size()), written[10].second);
  EXPECT_EQ(back.substr(back.size() - written.back().second.size()), written.back().second);

  const Status past = (*f)->Read((*f)->size() - 1, 2, back);
  EXPECT_FALSE(past.ok());
  EXPECT_NE(past.message().find(dir.path()), std::string::npos) << past.ToString();
  EXPECT_TRUE(std::filesystem::is_empty(dir.path()));

  auto nowhere = ScratchFile::Open(dir.path() + "/missing");
  ASSERT_FALSE(nowhere.ok());
  EXPECT_NE(nowhere.status().message().find(dir.path() + "/missing"), std::string::npos);
}

TEST(ScratchFile, AFullDiskFailsTheAppendNamingTheFolder) {
  testing::TempDir dir;
  auto f = ScratchFile::Open(dir.path());
  ASSERT_TRUE(f.ok());
  const Status s = WithOneMiBFiles([&] {
    for (int i = 0; i < 4; ++i) LODE_RETURN_IF_ERROR((*f)->Append(std::string(700 << 10, 'x')).status());
    return OkStatus();
  });
  EXPECT_EQ(s.message(), "writing a scratch file in " + dir.path() + ": File too large");
}

}  // namespace
}  // namespace lode
