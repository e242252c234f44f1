// normalize.text: NFKC, whitespace and traditional → simplified, in one pass.
//
// Every character is looked up in a class table built at construction (the
// BMP in 64 KiB; the rare supplementary characters are classed on the fly).
// Characters that need nothing are only stepped over; everything else becomes
// a TextEdit, so offsets keep mapping to the input bytes.
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/bytestream.h>

#include <array>
#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "lode/lode.h"
#include "simplified_table.h"

namespace lode::normalize_text {
namespace {

// What a character needs. The order of the tests in Classify() is the order of
// precedence: a no-break space is a blank before it is an NFKC change.
enum Class : uint8_t {
  kCopy,     // nothing
  kNewline,  // '\n': nothing, but a line starts after it
  kBlank,    // space, tab, NBSP, ideographic space, other spaces: runs become one space
  kDrop,     // invisible (zero-width space, word joiner, BOM, soft hyphen): removed
  kBreak,    // '\r', NEL, line and paragraph separators: become '\n'
  kNorm,     // NFKC changes it, or it may combine with what precedes it
  kTrad,     // in the traditional → simplified table
};
// Or'ed into a kNorm class: the character may combine with what precedes it
// (it has no normalization boundary before it).
constexpr uint8_t kCombines = 0x80;

bool IsBlank(char32_t c) {
  switch (c) {
    case U' ': case U'\t': case U'\v': case U'\f':
    case 0x00A0: case 0x1680: case 0x202F: case 0x205F: case 0x3000:
      return true;
    default:
      return c >= 0x2000 && c <= 0x200A;
  }
}

bool IsInvisible(char32_t c) {
  return c == 0x00AD || c == 0x180E || c == 0x200B || c == 0x2060 || c == 0xFEFF;
}

bool IsBreak(char32_t c) { return c == U'\r' || c == 0x0085 || c == 0x2028 || c == 0x2029; }

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

class NormalizeText final : public Transform {
 public:
  static StatusOr<std::unique_ptr<Transform>> Make(const Config& config, const SetupContext& setup) {
    std::unique_ptr<NormalizeText> stage(new NormalizeText(config));
    LODE_RETURN_IF_ERROR(stage->Setup(config, setup));
    return std::unique_ptr<Transform>(std::move(stage));
  }

  Status Process(Document& doc) override;
  std::vector<std::string> Summary() const override;

 private:
  explicit NormalizeText(const Config& c)
      : nfkc_(c.GetBool("nfkc")), traditional_(c.GetBool("traditional")), whitespace_(c.GetBool("whitespace")) {}

  Status Setup(const Config& config, const SetupContext& setup);
  uint8_t Classify(char32_t c) const;
  uint8_t ClassOf(char32_t c) const { return c < 0x10000 ? classes_[c] : Classify(c); }
  bool HasBoundaryBefore(char32_t c) const {
    return c < 0x10000 ? !(classes_[c] & kCombines) : normalizer_->hasBoundaryBefore(static_cast<UChar32>(c));
  }
  // NFKC of text[begin, end), then the simplified table over the result.
  // Returns whether the table changed anything.
  bool NormalizeSegment(std::string_view segment, std::string& out) const;

  const bool nfkc_, traditional_, whitespace_;
  const icu::Normalizer2* normalizer_ = nullptr;
  SimplifiedTable table_;
  std::array<uint8_t, 0x10000> classes_{};
  size_t table_size_ = 0;
  size_t table_dropped_ = 0;
  double table_ms_ = 0;

  std::atomic<uint64_t> documents_{0}, nfkc_changes_{0}, traditional_chars_{0}, whitespace_changes_{0};
};

Status NormalizeText::Setup(const Config& config, const SetupContext& setup) {
  UErrorCode ec = U_ZERO_ERROR;
  normalizer_ = icu::Normalizer2::getNFKCInstance(ec);
  if (U_FAILURE(ec)) return InternalError(std::string("ICU's NFKC data is missing: ") + u_errorName(ec));
  if (traditional_) {
    LODE_ASSIGN_OR_RETURN(auto base, SimplifiedTable::FromIcu());
    table_ = *base;
    table_ms_ = base->build_ms();
    table_dropped_ = base->dropped().size();
    const std::string& rules = config.GetString("traditional_rules");
    if (!rules.empty()) {
      LODE_ASSIGN_OR_RETURN(std::string path, setup.FindDataFile(rules));
      LODE_ASSIGN_OR_RETURN(DataNode root, LoadDataFile(path));
      LODE_RETURN_IF_ERROR(table_.ApplyRules(root));
    }
    // Look-alikes such as 鈳 (for 可) are also traditional characters (of 钶):
    // converting them here would hide them from clean.lookalikes. Only their
    // `from:` matters here; clean.lookalikes validates the rest of the file.
    const std::string& lookalikes = config.GetString("lookalikes");
    if (!lookalikes.empty()) {
      LODE_ASSIGN_OR_RETURN(std::string path, setup.FindDataFile(lookalikes));
      LODE_ASSIGN_OR_RETURN(DataNode root, LoadDataFile(path));
      const DataNode* list = root.Find("lookalikes");
      if (list != nullptr && list->is_list()) {
        for (const DataNode& entry : list->items()) {
          const DataNode* from = entry.is_map() ? entry.Find("from") : nullptr;
          if (from == nullptr) continue;
          auto c = SingleCharacter(*from, "a character");
          if (c.ok()) table_.Remove(*c);
        }
      }
    }
    table_size_ = table_.size();
  }
  for (char32_t c = 0; c < 0x10000; ++c) classes_[c] = Classify(c);
  return OkStatus();
}

uint8_t NormalizeText::Classify(char32_t c) const {
  if (c == U'\n') return kNewline;
  if (c >= 0xD800 && c <= 0xDFFF) return kCopy;  // never in valid UTF-8
  if (whitespace_) {
    if (IsBlank(c)) return kBlank;
    if (IsInvisible(c)) return kDrop;
    if (IsBreak(c)) return kBreak;
  }
  if (nfkc_) {
    // A character that is NFKC-stable on its own and does not interact with
    // what precedes it needs nothing; a combining mark does (it may compose
    // with its base), and so does anything whose quick check is not "yes".
    const auto qc = static_cast<UNormalizationCheckResult>(
        u_getIntPropertyValue(static_cast<UChar32>(c), UCHAR_NFKC_QUICK_CHECK));
    if (!normalizer_->hasBoundaryBefore(static_cast<UChar32>(c))) return kNorm | kCombines;
    if (qc != UNORM_YES) return kNorm;
  }
  if (traditional_ && table_.Find(c) != 0) return kTrad;
  return kCopy;
}

bool NormalizeText::NormalizeSegment(std::string_view segment, std::string& out) const {
  out.clear();
  std::string nfkc;
  icu::StringByteSink<std::string> sink(&nfkc);
  UErrorCode ec = U_ZERO_ERROR;
  normalizer_->normalizeUTF8(0, icu::StringPiece(segment.data(), static_cast<int32_t>(segment.size())), sink,
                             nullptr, ec);
  if (U_FAILURE(ec)) nfkc.assign(segment);
  if (!traditional_) {
    out = std::move(nfkc);
    return false;
  }
  bool changed = false;
  const auto* s = reinterpret_cast<const unsigned char*>(nfkc.data());
  for (size_t i = 0, len = 0; i < nfkc.size(); i += len) {
    const char32_t c = Decode(s, i, len);
    const char32_t t = table_.Find(c);
    if (t != 0) {
      AppendUtf8(out, t);
      changed = true;
    } else {
      out.append(nfkc, i, len);
    }
  }
  return changed;
}

Status NormalizeText::Process(Document& doc) {
  const std::string& text = doc.text;
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const size_t n = text.size();
  constexpr size_t kNone = static_cast<size_t>(-1);

  std::vector<TextEdit> edits;
  std::vector<size_t> traditional_edits;  // indices into edits that become repairs rows
  uint64_t nfkc_changes = 0, traditional_chars = 0, whitespace_changes = 0;
  bool line_start = true;   // only blanks since the last line break
  size_t prev = kNone;      // start of the previous character, if it was copied unchanged
  std::string replacement;

  size_t i = 0;
  while (i < n) {
    // The fast path: characters that need nothing.
    size_t len;
    char32_t c;
    uint8_t k;
    for (;;) {
      if (s[i] < 0x80) {
        c = s[i];
        len = 1;
        k = classes_[c];
      } else {
        c = Decode(s, i, len);
        k = ClassOf(c);
      }
      if (k != kCopy) break;
      line_start = false;
      prev = i;
      i += len;
      if (i >= n) break;
    }
    if (i >= n) break;

    switch (k & ~kCombines) {
      case kNewline:
        line_start = true;
        prev = i;
        i += 1;
        break;

      case kBlank:
      case kDrop: {
        size_t j = i;
        bool blank = false;
        while (j < n) {
          size_t l;
          const uint8_t kj = ClassOf(Decode(s, j, l));
          if (kj == kBlank) blank = true;
          else if (kj != kDrop) break;
          j += l;
        }
        bool line_end = j == n;
        if (!line_end) {
          size_t l;
          const uint8_t kj = ClassOf(Decode(s, j, l));
          line_end = kj == kNewline || kj == kBreak;
        }
        if (line_start || line_end || !blank) {
          edits.push_back({i, j, ""});
        } else if (!(j - i == 1 && s[i] == ' ')) {
          edits.push_back({i, j, " "});
        } else {
          prev = i;
          i = j;
          break;
        }
        ++whitespace_changes;
        prev = kNone;
        i = j;
        break;
      }

      case kBreak:
        if (s[i] == '\r' && i + 1 < n && s[i + 1] == '\n') {
          edits.push_back({i, i + 1, ""});  // the '\n' that follows stays
        } else {
          edits.push_back({i, i + len, "\n"});
          line_start = true;
        }
        ++whitespace_changes;
        prev = kNone;
        i += len;
        break;

      case kTrad: {
        // One edit (and one repairs row) for a run of traditional characters.
        size_t j = i;
        replacement.clear();
        while (j < n) {
          size_t l;
          const char32_t cj = Decode(s, j, l);
          if (ClassOf(cj) != kTrad) break;
          AppendUtf8(replacement, table_.Find(cj));
          ++traditional_chars;
          j += l;
        }
        traditional_edits.push_back(edits.size());
        edits.push_back({i, j, replacement});
        line_start = false;
        prev = kNone;
        i = j;
        break;
      }

      case kNorm: {
        // A segment runs from a character with a normalization boundary before
        // it to the next one. Back up over the previous character when this one
        // may combine with it, unless that one is already part of an edit.
        size_t begin = i;
        if ((k & kCombines) && prev != kNone) begin = prev;
        size_t j = i + len, last = i;
        while (j < n) {
          size_t l;
          const char32_t cj = Decode(s, j, l);
          if (HasBoundaryBefore(cj)) break;
          last = j;
          j += l;
        }
        const std::string_view segment(text.data() + begin, j - begin);
        bool traditional = false;
        if (begin == i && j == i + len && c >= 0xFF01 && c <= 0xFF5E) {
          // Full-width ASCII, the bulk of NFKC's work on these pages: its NFKC
          // is the ASCII character 0xFEE0 below it.
          replacement.assign(1, static_cast<char>(c - 0xFEE0));
        } else {
          traditional = NormalizeSegment(segment, replacement);
        }
        if (replacement != segment) {
          if (traditional) {
            traditional_edits.push_back(edits.size());
            ++traditional_chars;
          }
          edits.push_back({begin, j, replacement});
          ++nfkc_changes;
          prev = kNone;
        } else {
          prev = last;
        }
        line_start = false;
        i = j;
        break;
      }
    }
  }

  documents_.fetch_add(1, std::memory_order_relaxed);
  if (edits.empty()) return OkStatus();
  for (size_t e : traditional_edits) {
    const TextEdit& edit = edits[e];
    const RawRange raw = doc.ToRaw(edit.begin, edit.end);
    doc.AddRow("repairs", {Value(doc.id), Value(std::string("traditional")),
                           Value(text.substr(edit.begin, edit.end - edit.begin)), Value(edit.replacement),
                           Value(static_cast<int64_t>(raw.begin)), Value(static_cast<int64_t>(raw.end))});
  }
  if (!doc.ApplyEdits(edits)) return InternalError("normalize.text made edits that overlap");
  nfkc_changes_.fetch_add(nfkc_changes, std::memory_order_relaxed);
  traditional_chars_.fetch_add(traditional_chars, std::memory_order_relaxed);
  whitespace_changes_.fetch_add(whitespace_changes, std::memory_order_relaxed);
  return OkStatus();
}

std::vector<std::string> NormalizeText::Summary() const {
  std::vector<std::string> lines;
  lines.push_back(std::to_string(nfkc_changes_.load()) + " NFKC changes, " +
                  std::to_string(traditional_chars_.load()) + " traditional characters simplified, " +
                  std::to_string(whitespace_changes_.load()) + " whitespace changes in " +
                  std::to_string(documents_.load()) + " documents");
  if (traditional_) {
    std::string line = "traditional table: " + std::to_string(table_size_) + " characters, read off ICU in " +
                       std::to_string(static_cast<int>(table_ms_ + 0.5)) + " ms";
    if (table_dropped_ != 0)
      line += " (" + std::to_string(table_dropped_) + " left out: ICU makes them more than one character)";
    lines.push_back(line);
  }
  return lines;
}

Status RegisterStages(Registry& registry) {
  StageInfo info;
  info.name = "normalize.text";
  info.summary = "NFKC, whitespace, traditional → simplified; every change keeps its offsets.";
  info.doc =
      "Normalizes the text in one pass. NFKC folds compatibility forms: full-width "
      "letters, digits and punctuation become ASCII (，：（）；！？ become , : ( ) ; ! ?; "
      "、。“”《》 stay), circled and parenthesized numbers become digits, ㎡ becomes m2. "
      "Whitespace: blanks (space, tab, no-break and ideographic spaces, …) collapse to one "
      "space, lines lose leading and trailing blanks, CR LF and other line breaks become "
      "LF, invisible characters (zero-width space, word joiner, BOM, soft hyphen) go. "
      "Traditional characters become simplified through a one-character table read off "
      "ICU's Traditional-Simplified transliterator at start-up; each such change is a "
      "`repairs` row of kind `traditional`. NFKC and whitespace changes are not rows "
      "(there are thousands per page), but they are in the offsets map like every edit.";
  info.kind = StageKind::kTransform;
  info.execution = Execution::kParallel;
  info.params = {
      ParamSpec::Bool("nfkc", true,
                      "Apply Unicode NFKC (full-width forms to ASCII, compatibility characters to "
                      "their plain form)."),
      ParamSpec::Bool("traditional", true,
                      "Convert traditional characters to simplified, one character at a time."),
      ParamSpec::Bool("whitespace", true,
                      "Collapse runs of blanks to one space, trim blanks at both ends of every line, "
                      "turn CR LF and other line breaks into LF and drop invisible characters."),
      ParamSpec::Path("traditional_rules", "zh/traditional.yaml",
                      "Corrections to the traditional → simplified table (characters to keep, "
                      "variants to add), found among the data folders; empty for none."),
      ParamSpec::Path("lookalikes", "zh/lookalikes.yaml",
                      "Look-alike table of clean.lookalikes: the characters it lists are not "
                      "simplified here, so that clean.lookalikes can judge them in context; empty "
                      "for none."),
  };
  info.tables = {RepairsTable()};
  info.make_transform = &NormalizeText::Make;
  return registry.Add(std::move(info));
}

}  // namespace
}  // namespace lode::normalize_text

LODE_PLUGIN(normalize_text, "normalize.text", "0.1.0",
            "NFKC, whitespace and traditional → simplified with provenance.",
            lode::normalize_text::RegisterStages)
