// segment.sentences: one span per sentence, from ICU's sentence rules (UAX #29)
// plus the breaks Chinese report text needs. README.md lists the rules.
#include <unicode/brkiter.h>
#include <unicode/uchar.h>
#include <unicode/utext.h>

#include <algorithm>
#include <climits>
#include <cstdint>
#include <cstring>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "lode/lode.h"
#include "lode/pool.h"

namespace lode::sentences {
namespace {

// Walks UTF-8 text forward, turning increasing UTF-16 indexes (ICU's) into
// UTF-8 byte offsets (lode's) without a table as large as the text. Eight
// bytes at a time while the target is further on: a character starts at every
// byte that is not a continuation byte (10xxxxxx), and one of four bytes
// (11110xxx) takes two UTF-16 units.
class Utf16ToUtf8 {
 public:
  // How many bytes of `m` (only bit 7 of each byte may be set) have it set.
  static int CountHighBits(uint64_t m) { return static_cast<int>(((m >> 7) * 0x0101010101010101ull) >> 56); }

  explicit Utf16ToUtf8(const std::string& t) : t_(t) {}
  size_t At(int32_t u16) {
    constexpr uint64_t kHigh = 0x8080808080808080ull;
    const char* p = t_.data();
    while (u8_ + 8 <= t_.size()) {
      uint64_t w;
      std::memcpy(&w, p + u8_, 8);
      const uint64_t continuation = w & ~(w << 1) & kHigh;
      const uint64_t four = w & (w << 1) & (w << 2) & (w << 3) & kHigh;
      const int units = 8 - CountHighBits(continuation) + CountHighBits(four);
      if (u16_ + units >= u16) break;
      u16_ += units;
      u8_ += 8;
    }
    // The last block may have cut a character that it already counted.
    while (u8_ < t_.size() && (static_cast<unsigned char>(p[u8_]) & 0xC0) == 0x80) ++u8_;
    while (u16_ < u16 && u8_ < t_.size()) {
      const size_t n = Utf8SequenceLength(static_cast<unsigned char>(p[u8_]));
      u8_ += n;
      u16_ += n == 4 ? 2 : 1;
    }
    return u8_;
  }

 private:
  const std::string& t_;
  size_t u8_ = 0;
  int32_t u16_ = 0;
};

// UTF-8 → UTF-16 for text the SDK guarantees valid (Document::text), without
// the checks ICU's converter makes: about twice as fast, and the conversion
// costs a third of ICU's own pass. Returns the number of UTF-16 units.
size_t ToUtf16(const std::string& t, UChar* out) {
  const unsigned char* s = reinterpret_cast<const unsigned char*>(t.data());
  const size_t n = t.size();
  size_t j = 0;
  for (size_t i = 0; i < n;) {
    // Runs of one width in their own loops: report text is long stretches of
    // three-byte Han and punctuation, with short ASCII runs (digits) between,
    // and a branch per character mispredicts at every switch.
    while (i + 3 <= n && (s[i] & 0xF0) == 0xE0) {
      out[j++] = static_cast<UChar>(((s[i] & 0x0F) << 12) | ((s[i + 1] & 0x3F) << 6) | (s[i + 2] & 0x3F));
      i += 3;
    }
    while (i < n && s[i] < 0x80) out[j++] = static_cast<UChar>(s[i++]);
    if (i >= n) break;
    const unsigned c = s[i];
    if (c < 0xE0) {
      out[j++] = static_cast<UChar>(((c & 0x1F) << 6) | (s[i + 1] & 0x3F));
      i += 2;
    } else if (c >= 0xF0) {
      const uint32_t cp = ((c & 0x07) << 18) | ((s[i + 1] & 0x3Fu) << 12) | ((s[i + 2] & 0x3Fu) << 6) | (s[i + 3] & 0x3Fu);
      out[j++] = static_cast<UChar>(0xD7C0 + (cp >> 10));
      out[j++] = static_cast<UChar>(0xDC00 | (cp & 0x3FF));
      i += 4;
    } else if (i + 3 > n) {
      break;  // a three-byte lead cut off by the end: not in valid text
    }  // else a three-byte run follows: the loop above takes it
  }
  return j;
}

// ICU break iterators are not thread-safe; each call borrows its own copy.
using IteratorPool = ClonePool<icu::BreakIterator>;

bool IsBlankAt(const std::string& t, size_t i, size_t& len) {
  const unsigned char c = static_cast<unsigned char>(t[i]);
  if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v') return len = 1, true;
  if (c == 0xC2 && i + 1 < t.size() && static_cast<unsigned char>(t[i + 1]) == 0xA0) return len = 2, true;
  if (c == 0xE3 && i + 2 < t.size() && static_cast<unsigned char>(t[i + 1]) == 0x80 &&
      static_cast<unsigned char>(t[i + 2]) == 0x80)
    return len = 3, true;
  return false;
}

size_t SkipBlanks(const std::string& t, size_t b, size_t e) {
  size_t len = 0;
  while (b < e && IsBlankAt(t, b, len)) b += len;
  return b;
}

size_t TrimBack(const std::string& t, size_t b, size_t e) {
  while (e > b) {
    const unsigned char c = static_cast<unsigned char>(t[e - 1]);
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v') --e;
    else if (e - b >= 2 && c == 0xA0 && static_cast<unsigned char>(t[e - 2]) == 0xC2) e -= 2;
    else if (e - b >= 3 && c == 0x80 && static_cast<unsigned char>(t[e - 2]) == 0x80 &&
             static_cast<unsigned char>(t[e - 3]) == 0xE3)
      e -= 3;
    else break;
  }
  return e;
}

// Brackets and quotes: openers raise the depth, closers lower it.
int BracketStep(UChar32 cp) {
  switch (cp) {
    case U'(': case U'（': case U'“': case U'《': case U'「': case U'『': case U'【': case U'〔': case U'[':
      return 1;
    case U')': case U'）': case U'”': case U'》': case U'」': case U'』': case U'】': case U'〕': case U']':
      return -1;
    default:
      return 0;
  }
}

bool IsOpener(UChar32 cp) { return BracketStep(cp) > 0 || cp == U'‘'; }

struct Piece {
  size_t begin, end;
  bool glue;  // the next piece continues this sentence
};

class SegmentSentences final : public Transform {
 public:
  SegmentSentences(std::unique_ptr<icu::BreakIterator> prototype, std::vector<std::string> break_after)
      : pool_(std::move(prototype)), break_after_(std::move(break_after)) {}

  Status Process(Document& doc) override {
    const std::string& t = doc.text;
    if (t.empty()) return OkStatus();
    if (t.size() > static_cast<size_t>(INT32_MAX / 2)) return DataError("text too long for ICU (over 1 GB)");
    // One buffer per thread, grown as needed: allocating and zeroing a fresh
    // one per document cost as much as ICU's own pass.
    thread_local std::unique_ptr<UChar[]> u16;
    thread_local size_t u16_capacity = 0;
    if (u16_capacity < t.size() + 1) {
      u16_capacity = std::max(t.size() + 1, u16_capacity * 2);
      u16.reset(new UChar[u16_capacity]);
    }
    const int32_t u16_len = static_cast<int32_t>(ToUtf16(t, u16.get()));
    UErrorCode status = U_ZERO_ERROR;
    UText ut = UTEXT_INITIALIZER;
    utext_openUChars(&ut, u16.get(), u16_len, &status);
    std::unique_ptr<icu::BreakIterator> it = pool_.Acquire();
    it->setText(&ut, status);
    if (U_FAILURE(status)) {
      utext_close(&ut);
      pool_.Release(std::move(it));
      return InternalError(std::string("ICU sentence iterator: ") + u_errorName(status));
    }

    std::vector<Piece> pieces;
    pieces.reserve(16 + t.size() / 64);
    const std::vector<Break> breaks = FindBreaks(t);
    size_t next_break = 0;
    DepthCache depth;
    Utf16ToUtf8 map(t);
    size_t prev = 0;
    for (int32_t b = it->next(); b != icu::BreakIterator::DONE; b = it->next()) {
      const size_t at = map.At(b);
      Split(t, prev, at, pieces, breaks, next_break, depth);
      prev = at;
    }
    utext_close(&ut);
    pool_.Release(std::move(it));
    Emit(doc, pieces);
    return OkStatus();
  }

 private:
  // What DepthBefore counted last: see there.
  struct DepthCache {
    size_t line = static_cast<size_t>(-1);  // start of the line counted
    size_t pos = 0;                         // counted up to here
    int depth = 0;
  };

  // Where each break_after string ends in the whole text, in order; `ascii`
  // marks those that brackets can cancel. One pass per string per document:
  // cheaper than a search in every one of ICU's sentences.
  struct Break {
    size_t end;
    bool ascii;
  };

  std::vector<Break> FindBreaks(const std::string& t) const {
    std::vector<Break> breaks;
    const std::string_view text(t);
    for (const std::string& b : break_after_) {
      const bool ascii = static_cast<unsigned char>(b[0]) < 0x80;
      for (size_t at = text.find(b); at != std::string_view::npos; at = text.find(b, at + b.size()))
        breaks.push_back({at + b.size(), ascii});
    }
    if (break_after_.size() > 1)
      std::sort(breaks.begin(), breaks.end(), [](const Break& a, const Break& b) { return a.end < b.end; });
    return breaks;
  }

  // One ICU sentence, cut after each extra break inside it. An ASCII break
  // inside “…” or (…) on its line is not a break ("(牵头单位:A;配合单位:B)"),
  // nor is an ASCII ? ! . that ICU ended a sentence with there
  // ("“中科武大?智谷”"): that piece is glued to the next.
  void Split(const std::string& t, size_t begin, size_t end, std::vector<Piece>& pieces,
             const std::vector<Break>& breaks, size_t& next, DepthCache& depth) const {
    for (; next < breaks.size() && breaks[next].end <= end; ++next) {
      const Break& b = breaks[next];
      if (b.end <= begin) continue;
      if (!b.ascii || DepthBefore(t, b.end - 1, depth) == 0) Cut(pieces, begin, b.end);
    }
    if (begin >= end) return;
    const size_t last = TrimBack(t, begin, end);
    const bool ascii_end = last > begin && (t[last - 1] == '?' || t[last - 1] == '!' || t[last - 1] == '.');
    pieces.push_back({begin, end, ascii_end && t[end - 1] != '\n' && DepthBefore(t, last - 1, depth) > 0});
  }

  // Appends the piece [begin, cut) and moves begin to cut (cuts only grow).
  static void Cut(std::vector<Piece>& pieces, size_t& begin, size_t cut) {
    if (cut <= begin) return;
    pieces.push_back({begin, cut, false});
    begin = cut;
  }

  // Brackets and quotes open at byte `at`, counted from the start of its line
  // but at most kDepthWindow bytes back, so a megabyte-long line costs no more
  // than a short one. Questions come in increasing order of `at`; the answer
  // to the last one is carried on when the next is on the same line.
  static int DepthBefore(const std::string& t, size_t at, DepthCache& cache) {
    constexpr size_t kDepthWindow = 512;
    size_t from = at > kDepthWindow ? at - kDepthWindow : 0;
    if (const void* nl = memrchr(t.data() + from, '\n', at - from))
      from = static_cast<size_t>(static_cast<const char*>(nl) - t.data()) + 1;
    if (cache.line == from && cache.pos <= at) {
      from = cache.pos;
    } else {
      cache.line = from;
      cache.depth = 0;
      while (from < at && (static_cast<unsigned char>(t[from]) & 0xC0) == 0x80) ++from;
    }
    int depth = cache.depth;
    for (size_t i = from; i < at;) {
      const unsigned char c = static_cast<unsigned char>(t[i]);
      // Only ( ) [ ] and the lead bytes of full-width brackets and quotes
      // (E2 “”‘’, E3 《》「」『』【】〔〕, EF （）) can change the depth.
      if (c == '(' || c == ')' || c == '[' || c == ']' || c == 0xE2 || c == 0xE3 || c == 0xEF)
        depth = std::max(0, depth + BracketStep(DecodeUtf8(t, i)));
      i += Utf8SequenceLength(c);
    }
    cache.pos = std::max(from, at);
    cache.depth = depth;
    return depth;
  }

  static void Emit(Document& doc, const std::vector<Piece>& pieces) {
    const std::string& t = doc.text;
    std::vector<Piece> out;
    out.reserve(pieces.size());
    for (const Piece& piece : pieces) {
      if (!out.empty() && out.back().glue) {
        out.back().end = TrimBack(t, out.back().begin, piece.end);
        out.back().glue = piece.glue;
        continue;
      }
      Piece p{SkipBlanks(t, piece.begin, piece.end), 0, piece.glue};
      p.end = TrimBack(t, p.begin, piece.end);
      if (p.end <= p.begin) continue;
      if (!out.empty() && SameLine(t, out.back().end, p.begin)) {
        Piece& q = out.back();
        // ICU leaves an opening bracket or quote at the end of the sentence
        // before it ("…产业链。(" + "责任单位…)"): it opens the next one.
        size_t cut = q.end;
        while (cut > q.begin) {
          size_t s = cut - 1;
          while (s > q.begin && (static_cast<unsigned char>(t[s]) & 0xC0) == 0x80) --s;
          if (!IsOpener(DecodeUtf8(t, s))) break;
          cut = s;
        }
        if (cut < q.end) {
          p.begin = cut;
          q.end = TrimBack(t, q.begin, cut);
          if (q.end <= q.begin) out.pop_back();
        }
        // A piece without a letter ("1.", "10. ", "(1)") is an outline marker
        // that ICU split off: it starts the sentence after it.
        if (!out.empty() && !HasLetter(t, out.back())) {
          p.begin = out.back().begin;
          out.pop_back();
        }
      }
      out.push_back(p);
    }
    doc.spans.reserve(doc.spans.size() + out.size());
    const Span sentence{"sentence", 0, 0, {}};
    for (const Piece& p : out) {
      doc.spans.push_back(sentence);
      doc.spans.back().begin = p.begin;
      doc.spans.back().end = p.end;
    }
  }

  static bool SameLine(const std::string& t, size_t from, size_t to) {
    return to <= from || std::memchr(t.data() + from, '\n', to - from) == nullptr;
  }

  static bool HasLetter(const std::string& t, const Piece& p) {
    if (p.end - p.begin > 24) return true;  // a marker is short; don't scan long sentences
    for (size_t i = p.begin; i < p.end; i += Utf8SequenceLength(static_cast<unsigned char>(t[i])))
      if (u_isalpha(DecodeUtf8(t, i))) return true;
    return false;
  }

  IteratorPool pool_;
  std::vector<std::string> break_after_;
};

Status Register(Registry& registry) {
  StageInfo info;
  info.name = "segment.sentences";
  info.summary = "One span per sentence: ICU's sentence rules, plus breaks after semicolons and at line ends.";
  info.doc =
      "Sentences follow ICU's sentence rules (Unicode UAX #29) for the given locale: they end after 。！？ and "
      "after . ! ? that end a sentence, and at every line break. Report text often runs clauses together with "
      "semicolons instead of full stops, so a sentence also ends after each of break_after (；and ; by default). "
      "An ASCII ? ! . or ; inside brackets or quotes on the same line ends nothing (“中科武大?智谷”); an opening "
      "bracket that ICU leaves at the end of a sentence starts the next one; a piece without letters (an outline "
      "marker such as '1.' or '(1)') starts the sentence after it. Spans exclude surrounding blanks.";
  info.kind = StageKind::kTransform;
  info.execution = Execution::kParallel;
  info.params = {
      ParamSpec::List("break_after", {"；", ";"},
                      "Strings after which a sentence also ends, besides ICU's rules. An ASCII one inside brackets or "
                      "quotes on the same line does not end a sentence."),
      ParamSpec::String("locale", "zh", "ICU locale of the sentence rules."),
  };
  info.make_transform = [](const Config& c, const SetupContext&) -> StatusOr<std::unique_ptr<Transform>> {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::BreakIterator> it(
        icu::BreakIterator::createSentenceInstance(icu::Locale(c.GetString("locale").c_str()), status));
    if (U_FAILURE(status) || it == nullptr)
      return InternalError(std::string("cannot create ICU's sentence iterator: ") + u_errorName(status));
    std::vector<std::string> breaks;
    for (const std::string& b : c.GetList("break_after")) {
      if (b.empty()) return InvalidArgumentError("break_after: an empty string cannot end a sentence");
      if (FindInvalidUtf8(b)) return InvalidArgumentError("break_after: '" + b + "' is not valid UTF-8");
      breaks.push_back(b);
    }
    return std::unique_ptr<Transform>(new SegmentSentences(std::move(it), std::move(breaks)));
  };
  return registry.Add(std::move(info));
}

}  // namespace
}  // namespace lode::sentences

LODE_PLUGIN(segment_sentences, "segment.sentences", LODE_VERSION_STRING, "Sentences: ICU's rules, plus semicolons.",
            lode::sentences::Register)
