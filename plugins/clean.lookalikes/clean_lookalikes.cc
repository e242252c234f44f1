// clean.lookalikes: spinner look-alikes back to the character they stand for,
// where ICU's Chinese dictionary confirms it; suspects reported, not repaired.
//
// A scan looks each character up in a class table built at construction; only
// table characters, rare Han characters and foreign letters are looked at more
// closely, in a window of a few characters around them on their line.
#include <unicode/brkiter.h>
#include <unicode/locid.h>
#include <unicode/uchar.h>
#include <unicode/ucnv.h>
#include <unicode/uniset.h>
#include <unicode/uscript.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <tuple>
#include <vector>

#include "lode/lode.h"
#include "lookalike_table.h"

namespace lode::clean_lookalikes {
namespace {

enum Class : uint8_t {
  kPlain,    // nothing to look at
  kTable,    // in the look-alike table
  kRare,     // a Han character outside the common set: a suspect if it forms no word
  kForeign,  // a letter of another script (Greek, Cyrillic, kana, bopomofo) or a box-drawing
             // character: a suspect between two Han characters
};

// Characters each side of a candidate that the dictionary gets to see.
constexpr size_t kWindow = 4;

// Valid UTF-8 is guaranteed by Document::text.
__attribute__((always_inline)) inline char32_t Decode(const unsigned char* s, size_t i, size_t& len) {
  const unsigned b = s[i];
  if (b < 0x80) { len = 1; return b; }
  if (b < 0xE0) { len = 2; return ((b & 0x1F) << 6) | (s[i + 1] & 0x3F); }
  if (b < 0xF0) {
    len = 3;
    return ((b & 0x0F) << 12) | ((s[i + 1] & 0x3F) << 6) | (s[i + 2] & 0x3F);
  }
  len = 4;
  return ((b & 0x07) << 18) | ((s[i + 1] & 0x3F) << 12) | ((s[i + 2] & 0x3F) << 6) | (s[i + 3] & 0x3F);
}

inline size_t PreviousStart(const unsigned char* s, size_t i) {
  do --i; while (i > 0 && (s[i] & 0xC0) == 0x80);
  return i;
}

bool IsHan(char32_t c) {
  UErrorCode ec = U_ZERO_ERROR;
  return uscript_getScript(static_cast<UChar32>(c), &ec) == USCRIPT_HAN;
}

// Han and bopomofo: a look-alike of these scripts marked `always` is spun
// wherever it stands.
bool IsChineseScript(char32_t c) {
  UErrorCode ec = U_ZERO_ERROR;
  const UScriptCode script = uscript_getScript(static_cast<UChar32>(c), &ec);
  return script == USCRIPT_HAN || script == USCRIPT_BOPOMOFO;
}

bool IsForeign(char32_t c) {
  const auto cp = static_cast<UChar32>(c);
  if (ublock_getCode(cp) == UBLOCK_BOX_DRAWING) return true;
  if (!u_isalpha(cp)) return false;
  UErrorCode ec = U_ZERO_ERROR;
  switch (uscript_getScript(cp, &ec)) {
    case USCRIPT_GREEK: case USCRIPT_CYRILLIC: case USCRIPT_BOPOMOFO:
    case USCRIPT_HIRAGANA: case USCRIPT_KATAKANA:
      return true;
    default:
      return false;
  }
}

// The text around a candidate, on its line: a few characters each side.
struct Window {
  std::u32string chars;
  size_t at = 0;  // the candidate's index in chars
  // The neighbours as they are in the text (chars may have look-alikes
  // tentatively repaired); 0 at the end of a line.
  char32_t text_left = 0, text_right = 0;

  char32_t left() const { return at > 0 ? chars[at - 1] : 0; }
  char32_t right() const { return at + 1 < chars.size() ? chars[at + 1] : 0; }
  // "…联系鍸北能源…" for the suspects file.
  std::string Utf8() const {
    std::string s;
    for (char32_t c : chars) AppendUtf8(s, c);
    return s;
  }
};

Window WindowAround(const std::string& text, size_t begin, size_t end, size_t width) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  Window w;
  std::u32string left;
  for (size_t i = begin; i > 0 && left.size() < width;) {
    i = PreviousStart(s, i);
    size_t len;
    const char32_t c = Decode(s, i, len);
    if (c == U'\n' || c == U'\r') break;
    left.push_back(c);
  }
  w.chars.assign(left.rbegin(), left.rend());
  w.at = w.chars.size();
  size_t len;
  w.chars.push_back(Decode(s, begin, len));
  for (size_t i = end, n = text.size(); i < n && w.chars.size() < w.at + 1 + width;) {
    const char32_t c = Decode(s, i, len);
    if (c == U'\n' || c == U'\r') break;
    w.chars.push_back(c);
    i += len;
  }
  w.text_left = w.left();
  w.text_right = w.right();
  return w;
}

// One ICU word break iterator per thread: an iterator holds its text and
// position, so threads cannot share one; cloning from the cache is cheap.
icu::BreakIterator* ThreadWordBreaker() {
  thread_local std::unique_ptr<icu::BreakIterator> breaker;
  if (!breaker) {
    UErrorCode ec = U_ZERO_ERROR;
    breaker.reset(icu::BreakIterator::createWordInstance(icu::Locale::getRoot(), ec));
    if (U_FAILURE(ec)) breaker.reset();
  }
  return breaker.get();
}

// Whether the character at u[at16] lies in a word of two or more Han
// characters when ICU segments u. ICU's Chinese segmentation is a dictionary
// search: only dictionary words come out longer than one character.
bool InDictionaryWord(const icu::UnicodeString& u, int32_t at16) {
  icu::BreakIterator* bi = ThreadWordBreaker();
  if (bi == nullptr) return false;
  bi->setText(u);
  const int32_t end = bi->following(at16);
  const int32_t begin = bi->isBoundary(at16) ? at16 : bi->preceding(at16);
  if (begin == icu::BreakIterator::DONE || end == icu::BreakIterator::DONE) return false;
  if (u.countChar32(begin, end - begin) < 2) return false;
  for (int32_t i = begin; i < end; i = u.moveIndex32(i, 1))
    if (!IsHan(static_cast<char32_t>(u.char32At(i)))) return false;
  return true;
}

bool IsPairWord(char32_t a, char32_t b) {
  if (!IsHan(a) || !IsHan(b)) return false;
  icu::UnicodeString u;
  u.append(static_cast<UChar32>(a)).append(static_cast<UChar32>(b));
  return InDictionaryWord(u, 0);
}

// Whether the character at the window's centre forms a dictionary word with
// its neighbours: in the window's segmentation, or (with `pairs`) with one
// neighbour alone.
bool JoinsWord(const Window& w, bool pairs) {
  icu::UnicodeString u;
  int32_t at16 = 0;
  for (size_t i = 0; i < w.chars.size(); ++i) {
    if (i == w.at) at16 = u.length();
    u.append(static_cast<UChar32>(w.chars[i]));
  }
  if (InDictionaryWord(u, at16)) return true;
  if (!pairs) return false;
  // The segmentation of the window picks one split; a word the character
  // forms with a neighbour on its own is evidence too (面对面: 面对|面, yet 对面).
  const char32_t c = w.chars[w.at];
  return IsPairWord(w.left(), c) || IsPairWord(c, w.right());
}

bool InKeepWord(const Window& w, const Lookalike& l) {
  for (const std::u32string& word : l.keep) {
    for (size_t k = word.find(l.from); k != std::u32string::npos; k = word.find(l.from, k + 1)) {
      if (k > w.at || w.at - k + word.size() > w.chars.size()) continue;
      if (w.chars.compare(w.at - k, word.size(), word) == 0) return true;
    }
  }
  return false;
}

// A suspect's record for the corpus-wide YAML snippet.
struct SuspectStats {
  uint64_t count = 0;
  uint64_t documents = 0;
  // The first few places, by (document sequence, offset): deterministic
  // whatever the thread that saw them first.
  std::vector<std::tuple<uint64_t, uint64_t, std::string>> examples;
};
constexpr size_t kExamples = 3;

class CleanLookalikes final : public Transform {
 public:
  static StatusOr<std::unique_ptr<Transform>> Make(const Config& config, const SetupContext& setup) {
    std::unique_ptr<CleanLookalikes> stage(new CleanLookalikes(config));
    LODE_RETURN_IF_ERROR(stage->Setup(config, setup));
    return std::unique_ptr<Transform>(std::move(stage));
  }

  Status Process(Document& doc) override;
  Status Finish(std::vector<TableRow>& rows) override;
  std::vector<std::string> Summary() const override;

 private:
  explicit CleanLookalikes(const Config& c)
      : suspects_on_(c.GetBool("suspects")), suspects_yaml_(c.GetString("suspects_yaml")) {}

  Status Setup(const Config& config, const SetupContext& setup);
  uint8_t ClassOf(char32_t c) const {
    if (c < 0x10000) return classes_[c];
    if (table_.Find(c) != nullptr) return kTable;
    return suspects_on_ && IsHan(c) && !table_.IsGenuine(c) ? kRare : kPlain;
  }
  bool IsCommonHan(char32_t c) const { return c < 0x10000 && common_.contains(static_cast<UChar32>(c)); }
  // Whether the look-alike at the window's centre is to be repaired.
  bool Confirmed(Window& w, const Lookalike& l) const;
  bool Suspect(const Window& w, uint8_t k) const;
  Status WriteSuspects() const;

  const bool suspects_on_;
  const std::string suspects_yaml_;
  std::string table_path_;
  LookalikeTable table_;
  icu::UnicodeSet common_;
  std::array<uint8_t, 0x10000> classes_{};

  std::atomic<uint64_t> repaired_{0}, unconfirmed_{0}, suspects_{0};
  std::unique_ptr<std::atomic<uint64_t>[]> per_entry_;
  mutable std::mutex mu_;
  std::map<char32_t, SuspectStats> suspect_stats_;  // guarded by mu_
};

Status CleanLookalikes::Setup(const Config& config, const SetupContext& setup) {
  LODE_ASSIGN_OR_RETURN(table_path_, setup.FindDataFile(config.GetString("table")));
  LODE_ASSIGN_OR_RETURN(DataNode root, LoadDataFile(table_path_));
  LODE_ASSIGN_OR_RETURN(table_, LookalikeTable::FromData(root));
  per_entry_.reset(new std::atomic<uint64_t>[table_.entries().size()]());
  if (ThreadWordBreaker() == nullptr) return InternalError("ICU has no word break iterator");

  // The common characters are GB2312's 6,763: the characters of everyday
  // simplified Chinese. Outside them a Han character is rare (or a variant).
  UErrorCode ec = U_ZERO_ERROR;
  UConverter* gb = ucnv_open("GB2312", &ec);
  if (U_SUCCESS(ec)) ucnv_getUnicodeSet(gb, common_.toUSet(), UCNV_ROUNDTRIP_SET, &ec);
  if (gb != nullptr) ucnv_close(gb);
  if (U_FAILURE(ec)) return InternalError(std::string("ICU has no GB2312 converter: ") + u_errorName(ec));
  common_.freeze();

  for (char32_t c = 0; c < 0x10000; ++c) {
    uint8_t k = kPlain;
    if (c < 0x80 || (c >= 0xD800 && c <= 0xDFFF)) {
      k = kPlain;
    } else if (table_.Find(c) != nullptr) {
      k = kTable;
    } else if (!suspects_on_ || table_.IsGenuine(c)) {
      k = kPlain;
    } else if (IsHan(c)) {
      k = IsCommonHan(c) ? kPlain : kRare;
    } else if (IsForeign(c)) {
      k = kForeign;
    }
    classes_[c] = k;
  }
  return OkStatus();
}

bool CleanLookalikes::Confirmed(Window& w, const Lookalike& l) const {
  if (InKeepWord(w, l)) return false;
  if (l.always) {
    if (IsChineseScript(l.from)) return true;
    // A symbol is genuine next to letters or digits of its own kind (Φ600,
    // ΦA) and when doubled (┅┅ as a dash); elsewhere it stands for a character.
    auto plain = [&](char32_t n, char32_t in_text) {
      return in_text != l.from && (IsHan(n) || !u_isalnum(static_cast<UChar32>(n)));
    };
    return plain(w.left(), w.text_left) && plain(w.right(), w.text_right);
  }
  // Genuine where the original forms a word (汾河, 喃喃).
  if (JoinsWord(w, /*pairs=*/false)) return false;
  const char32_t original = w.chars[w.at];
  w.chars[w.at] = l.to;
  const bool joins = JoinsWord(w, /*pairs=*/true);
  w.chars[w.at] = original;
  return joins;
}

bool CleanLookalikes::Suspect(const Window& w, uint8_t k) const {
  if (k == kForeign) return IsHan(w.left()) && IsHan(w.right());
  // A rare character among common ones that forms no word with them.
  if (!IsCommonHan(w.left()) && !IsCommonHan(w.right())) return false;
  return !JoinsWord(w, /*pairs=*/false);
}

Status CleanLookalikes::Process(Document& doc) {
  const std::string& text = doc.text;
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const size_t n = text.size();

  struct Candidate {
    size_t begin, end;
    uint8_t k;
  };
  std::vector<Candidate> candidates;
  for (size_t i = 0; i < n;) {
    if (s[i] < 0x80) {
      ++i;
      continue;
    }
    size_t len;
    const uint8_t k = ClassOf(Decode(s, i, len));
    if (k != kPlain) candidates.push_back({i, i + len, k});
    i += len;
  }
  if (candidates.empty()) return OkStatus();

  const size_t width = std::max(kWindow, table_.longest_keep());
  std::vector<TextEdit> edits;
  std::map<char32_t, std::vector<std::pair<uint64_t, std::string>>> doc_suspects;
  uint64_t unconfirmed = 0;
  // A repairs row for text[c.begin, c.end); `to` empty (NULL) for a suspect.
  auto add_row = [&](const Candidate& c, const char* kind, Value to) {
    const RawRange raw = doc.ToRaw(c.begin, c.end);
    doc.AddRow("repairs", {Value(doc.id), Value(std::string(kind)), Value(text.substr(c.begin, c.end - c.begin)),
                           std::move(to), Value(static_cast<int64_t>(raw.begin)), Value(static_cast<int64_t>(raw.end))});
  };
  auto repair = [&](const Candidate& c, const Lookalike& l) {
    edits.push_back({c.begin, c.end, l.to_utf8});
    per_entry_[table_.IndexOf(&l)].fetch_add(1, std::memory_order_relaxed);
    add_row(c, "lookalike", Value(l.to_utf8));
  };
  for (const Candidate& c : candidates) {
    const Lookalike* entry = nullptr;
    if (c.k == kTable) {
      size_t len;
      entry = table_.Find(Decode(s, c.begin, len));
      // Most spinner characters need no context at all: spare them the window.
      if (entry->always && entry->keep.empty() && IsChineseScript(entry->from)) {
        repair(c, *entry);
        continue;
      }
    }
    Window w = WindowAround(text, c.begin, c.end, width);
    // Judge each look-alike as if its neighbours were already repaired, so
    // that two in a row (唍荿) confirm each other.
    for (size_t i = 0; i < w.chars.size(); ++i) {
      if (i == w.at) continue;
      if (const Lookalike* other = table_.Find(w.chars[i])) w.chars[i] = other->to;
    }
    if (entry != nullptr) {
      if (Confirmed(w, *entry)) {
        repair(c, *entry);
      } else {
        ++unconfirmed;
      }
    } else if (Suspect(w, c.k)) {
      add_row(c, "suspect", Value());
      doc_suspects[w.chars[w.at]].emplace_back(c.begin, w.Utf8());
    }
  }

  repaired_.fetch_add(edits.size(), std::memory_order_relaxed);
  unconfirmed_.fetch_add(unconfirmed, std::memory_order_relaxed);
  if (!doc_suspects.empty()) {
    uint64_t count = 0;
    for (const auto& [c, places] : doc_suspects) count += places.size();
    suspects_.fetch_add(count, std::memory_order_relaxed);
    std::lock_guard<std::mutex> lock(mu_);
    for (auto& [c, places] : doc_suspects) {
      SuspectStats& st = suspect_stats_[c];
      st.count += places.size();
      st.documents += 1;
      for (auto& [offset, context] : places) {
        st.examples.emplace_back(doc.sequence, offset, std::move(context));
        std::sort(st.examples.begin(), st.examples.end());
        if (st.examples.size() > kExamples) st.examples.pop_back();
      }
    }
  }
  if (!edits.empty() && !doc.ApplyEdits(edits)) return InternalError("clean.lookalikes made edits that overlap");
  return OkStatus();
}

Status CleanLookalikes::Finish(std::vector<TableRow>& rows) {
  if (suspects_yaml_.empty()) return OkStatus();
  return WriteSuspects();
}

Status CleanLookalikes::WriteSuspects() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<std::pair<char32_t, const SuspectStats*>> order;
  uint64_t total = 0;
  for (const auto& [c, st] : suspect_stats_) {
    order.emplace_back(c, &st);
    total += st.count;
  }
  // Most frequent first; ties by code point, so the file is the same on every run.
  std::stable_sort(order.begin(), order.end(),
                   [](const auto& a, const auto& b) { return a.second->count > b.second->count; });
  std::string out;
  out += "# Suspected look-alikes found by clean.lookalikes: " + std::to_string(order.size()) +
         " characters, " + std::to_string(total) + " places.\n";
  out += "# For each entry, replace \"?\" with the character meant and paste the entry under\n";
  out += "# `lookalikes:` in " + table_path_ + ", or list the character under `genuine:` there.\n";
  out += order.empty() ? "lookalikes: []\n" : "lookalikes:\n";
  for (const auto& [c, st] : order) {
    std::string ch;
    AppendUtf8(ch, c);
    out += "  - {from: " + ch + ", to: \"?\"}  # " + std::to_string(st->count) + " in " +
           std::to_string(st->documents) + (st->documents == 1 ? " document:" : " documents:");
    for (size_t i = 0; i < st->examples.size(); ++i)
      out += std::string(i == 0 ? " " : " | ") + std::get<2>(st->examples[i]);
    out += "\n";
  }
  // Written aside, then renamed: a failed run never leaves half a file.
  const std::string tmp = suspects_yaml_ + ".tmp";
  FILE* f = std::fopen(tmp.c_str(), "wb");
  if (f == nullptr) return ErrnoError("cannot write " + tmp, errno);
  const bool written = std::fwrite(out.data(), 1, out.size(), f) == out.size();
  if (std::fclose(f) != 0 || !written) {
    const int err = errno;
    std::remove(tmp.c_str());
    return ErrnoError("cannot write " + tmp, err);
  }
  if (std::rename(tmp.c_str(), suspects_yaml_.c_str()) != 0) {
    const int err = errno;
    std::remove(tmp.c_str());
    return ErrnoError("cannot rename " + tmp + " to " + suspects_yaml_, err);
  }
  return OkStatus();
}

std::vector<std::string> CleanLookalikes::Summary() const {
  size_t kinds = 0;
  for (size_t i = 0; i < table_.entries().size(); ++i) kinds += per_entry_[i].load() != 0;
  size_t suspect_kinds;
  {
    std::lock_guard<std::mutex> lock(mu_);
    suspect_kinds = suspect_stats_.size();
  }
  std::vector<std::string> lines = {
      std::to_string(repaired_.load()) + " look-alikes repaired (" + std::to_string(kinds) + " kinds), " +
      std::to_string(unconfirmed_.load()) + " left alone (context did not confirm), " +
      std::to_string(suspects_.load()) + " suspects (" + std::to_string(suspect_kinds) + " characters)"};
  if (!suspects_yaml_.empty()) lines.push_back("suspects written to " + suspects_yaml_);
  return lines;
}

Status RegisterStages(Registry& registry) {
  StageInfo info;
  info.name = "clean.lookalikes";
  info.summary = "Spinner look-alikes (唍成 → 完成) repaired where ICU's dictionary confirms.";
  info.doc =
      "Repairs characters listed in the look-alike table (zh/lookalikes.yaml) where the "
      "context confirms it: with the repaired character, ICU's Chinese word segmentation "
      "of a few characters around it finds a dictionary word of two or more characters, "
      "and with the original it does not. So 汾配 becomes 分配 while 汾河 stays. Entries "
      "marked `always` (never genuine in such text) need no confirmation. Each repair is a "
      "`repairs` row of kind `lookalike`. A rare Han character among common ones that "
      "forms no word, or a Greek, Cyrillic, kana or bopomofo letter or box-drawing "
      "character between two Han characters, is a `suspect` row (not repaired).";
  info.kind = StageKind::kTransform;
  info.execution = Execution::kParallel;
  info.params = {
      ParamSpec::Path("table", "zh/lookalikes.yaml",
                      "The look-alike table, found among the data folders (format in its header comment)."),
      ParamSpec::Bool("suspects", true,
                      "Report characters that look spun but are not in the table as `suspect` rows."),
      ParamSpec::Path("suspects_yaml", "",
                      "Where to write, at the end of the run, the suspects of the whole corpus as "
                      "entries ready to paste into the table (e.g. \"{out}/suspects.yaml\"); empty: not written."),
  };
  info.tables = {RepairsTable()};
  info.make_transform = &CleanLookalikes::Make;
  return registry.Add(std::move(info));
}

}  // namespace
}  // namespace lode::clean_lookalikes

LODE_PLUGIN(clean_lookalikes, "clean.lookalikes", "0.1.0",
            "Spinner look-alikes repaired in context, suspects reported.",
            lode::clean_lookalikes::RegisterStages)
