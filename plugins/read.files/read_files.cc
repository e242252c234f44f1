// read.files: one document per file, from files, folders (recursively) and globs;
// text or HTML, in UTF-8, GB18030, Big5, UTF-16 or any encoding ICU reads.
#include <dirent.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <glob.h>
#include <sys/stat.h>
#include <unicode/uchar.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "decode.h"
#include "html.h"
#include "lode/lode.h"

namespace {

using namespace lode;
using namespace lode::readfiles;

enum class Format { kAuto, kText, kHtml };

// How the encoding was chosen, for the documents table.
constexpr double kCertain = 1;     // byte-order mark, declared, ASCII, valid UTF-8, page and detector agree
constexpr double kOneSignal = 0.8; // the page's <meta> or the detector alone, nothing against it
constexpr double kDisputed = 0.5;  // the page and the detector disagree, or a fallback guess

struct Options {
  std::optional<Charset> declared;  // encoding: <name>
  std::vector<Charset> detectable;  // detect_encodings
  OnInvalid on_invalid = OnInvalid::kQuarantine;
  Format format = Format::kAuto;
};

// A file to read, or a place that could not be listed (it becomes a
// quarantined document, so nothing found is lost without a trace).
struct Entry {
  std::string path;
  uint64_t size = 0;
  std::string error;
};

bool HasGlobChars(const std::string& s) { return s.find_first_of("*?[") != std::string::npos; }

class ReadFiles : public Source {
 public:
  ReadFiles(const Config& c, Options options)
      : paths_(c.GetList("paths")),
        include_(c.GetList("include")),
        exclude_(c.GetList("exclude")),
        max_bytes_(static_cast<uint64_t>(c.GetInt("max_document_bytes"))),
        follow_symlinks_(c.GetBool("follow_symlinks")),
        options_(std::move(options)) {}

  Status Open() override {
    if (paths_.empty()) return InvalidArgumentError("no input paths were given");
    for (const std::string& p : paths_) {
      if (HasGlobChars(p)) {
        glob_t g{};
        int rc = ::glob(p.c_str(), GLOB_NOSORT, nullptr, &g);
        if (rc == GLOB_NOMATCH || (rc == 0 && g.gl_pathc == 0)) {
          globfree(&g);
          return NotFoundError("input pattern '" + p + "' matches no file");
        }
        std::vector<std::string> matches(g.gl_pathv, g.gl_pathv + g.gl_pathc);
        globfree(&g);
        std::sort(matches.begin(), matches.end());
        roots_.insert(roots_.end(), matches.begin(), matches.end());
        continue;
      }
      struct stat st;
      if (::stat(p.c_str(), &st) != 0) {
        if (errno == ENOENT) return NotFoundError("input path '" + p + "' does not exist");
        return ErrnoError("input path '" + p + "'", errno);
      }
      roots_.push_back(p);
    }
    // The files are found again as they are read (Next), not listed here: a
    // list of a crawl's million files would hold a few hundred MB. This walk
    // only adds up their sizes for the progress line.
    Walk counting(*this);
    expected_bytes_ = 0;
    for (Entry e; counting.Next(e);) expected_bytes_ += e.size;
    walk_.emplace(*this);
    return OkStatus();
  }

  std::optional<uint64_t> ExpectedBytes() const override { return expected_bytes_; }

  StatusOr<bool> Next(Document& doc) override {
    if (!walk_) return FailedPreconditionError("read before Open()");
    Entry e;
    if (!walk_->Next(e)) return false;
    doc.id = e.path;
    doc.source = std::move(e.path);
    if (!e.error.empty()) {
      doc.Quarantine(e.error);
      return true;
    }
    if (e.size > max_bytes_) {
      doc.source_range = {0, e.size};
      doc.Quarantine("file is " + std::to_string(e.size) + " bytes, more than max_document_bytes (" +
                     FormatParamValue(static_cast<int64_t>(max_bytes_), ParamType::kSize) + "); not read");
      return true;
    }
    Status s = ReadWhole(doc.source, doc.raw);
    doc.source_range = {0, doc.raw.size()};
    if (!s.ok()) doc.Quarantine(s.message());
    return true;
  }

  Status Decode(Document& doc) const override;

 private:
  bool Selected(const std::string& name) const {
    for (const std::string& x : exclude_)
      if (::fnmatch(x.c_str(), name.c_str(), 0) == 0) return false;
    if (include_.empty()) return true;
    for (const std::string& i : include_)
      if (::fnmatch(i.c_str(), name.c_str(), 0) == 0) return true;
    return false;
  }

  // The inputs one by one, in order: each root, and a folder's files and
  // folders in name order, depth first. It holds the names of the folders it
  // is in, not the files it has passed.
  class Walk {
   public:
    explicit Walk(const ReadFiles& r) : r_(r) {}

    // The next file, or a path that cannot be read, listed or is not a file
    // (with its error); false at the end.
    bool Next(Entry& out) {
      while (true) {
        if (!folders_.empty()) {
          Folder& f = folders_.back();
          if (f.next == f.names.size()) {
            folders_.pop_back();
            continue;
          }
          std::string path = f.prefix + f.names[f.next++];
          if (Visit(std::move(path), /*top_level=*/false, out)) return true;
          continue;
        }
        if (root_ == r_.roots_.size()) return false;
        if (Visit(r_.roots_[root_++], /*top_level=*/true, out)) return true;
      }
    }

   private:
    struct Folder {
      std::string prefix;  // the folder's path and '/'
      std::vector<std::string> names;
      size_t next = 0;
    };

    // True with `out` set for a file or an error; false for a folder (entered)
    // or a file left out by include/exclude.
    bool Visit(std::string path, bool top_level, Entry& out) {
      struct stat st;
      int rc = r_.follow_symlinks_ ? ::stat(path.c_str(), &st) : ::lstat(path.c_str(), &st);
      if (rc != 0) {
        out = {std::move(path), 0, std::string("cannot read: ") + std::strerror(errno)};
        return true;
      }
      if (S_ISDIR(st.st_mode)) {
        // A folder reached twice (a symlink loop, or two links to one folder)
        // is read once.
        if (!visited_.insert({st.st_dev, st.st_ino}).second) return false;
        Folder f;
        if (!ListFolder(path, f.names)) {
          out = {std::move(path), 0, std::string("cannot list folder: ") + std::strerror(errno)};
          return true;
        }
        std::sort(f.names.begin(), f.names.end());  // the same order on every machine
        f.prefix = path.back() == '/' ? std::move(path) : std::move(path) + "/";
        folders_.push_back(std::move(f));
        return false;
      }
      if (!S_ISREG(st.st_mode)) {
        // A device, socket or pipe found in a folder is still an input the
        // user pointed at: account for it rather than skip it silently.
        out = {std::move(path), 0, "not a regular file"};
        return true;
      }
      if (!top_level && !r_.Selected(path.substr(path.find_last_of('/') + 1))) return false;
      out = {std::move(path), static_cast<uint64_t>(st.st_size), ""};
      return true;
    }

    const ReadFiles& r_;
    size_t root_ = 0;
    std::vector<Folder> folders_;
    std::set<std::pair<dev_t, ino_t>> visited_;
  };

  static bool ListFolder(const std::string& dir, std::vector<std::string>& names);
  static Status ReadWhole(const std::string& path, std::string& out);

  std::vector<std::string> paths_, include_, exclude_;
  uint64_t max_bytes_;
  bool follow_symlinks_;
  Options options_;
  std::vector<std::string> roots_;  // the paths and the glob patterns' matches, in order
  uint64_t expected_bytes_ = 0;
  std::optional<Walk> walk_;
};


bool ReadFiles::ListFolder(const std::string& dir, std::vector<std::string>& names) {
  DIR* d = ::opendir(dir.c_str());
  if (d == nullptr) return false;
  while (dirent* e = ::readdir(d)) {
    if (std::strcmp(e->d_name, ".") == 0 || std::strcmp(e->d_name, "..") == 0) continue;
    names.emplace_back(e->d_name);
  }
  ::closedir(d);
  return true;
}

Status ReadFiles::ReadWhole(const std::string& path, std::string& out) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return ErrnoError("cannot read", errno);
  struct stat st;
  if (::fstat(fd, &st) != 0) {
    int err = errno;
    ::close(fd);
    return ErrnoError("cannot read", err);
  }
  out.resize(static_cast<size_t>(st.st_size));
  size_t done = 0;
  while (true) {
    if (done == out.size()) out.resize(out.size() + 65536);  // the file grew, or stat said 0 (procfs)
    ssize_t n = ::read(fd, out.data() + done, out.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      int err = errno;
      ::close(fd);
      return ErrnoError("cannot read", err);
    }
    if (n == 0) break;
    done += static_cast<size_t>(n);
  }
  out.resize(done);
  ::close(fd);
  return OkStatus();
}

std::string ListNames(const std::vector<Charset>& charsets) {
  std::string out;
  for (size_t i = 0; i < charsets.size(); ++i) {
    if (i > 0) out += i + 1 == charsets.size() ? " and " : ", ";
    out += charsets[i].name;
  }
  return out;
}

bool HasNonAscii(std::string_view s) {
  for (unsigned char c : s)
    if (c >= 0x80) return true;
  return false;
}

// The encoding chosen for a file whose bytes are not all valid UTF-8 and that
// names none (no byte-order mark, no `encoding:`), and its text.
struct Choice {
  Charset charset;
  double confidence = 0;
  Decoded decoded;
  std::string warning;      // for the warnings table
  std::string none_fit;     // other encodings that were tried and failed, for the message
};

// Precedence: the page's <meta charset> when nothing disagrees with it, then
// uchardet's answer, then the first encoding of detect_encodings that decodes
// the whole file. "Disagrees": the bytes are not valid in it, or uchardet names
// another encoding. Here a charset "fits" when it decodes every byte to a
// character that is not private-use. When none fits, the one with the highest
// precedence is used and on_invalid decides.
StatusOr<Choice> ChooseEncoding(std::string_view raw, bool html, const Options& o) {
  std::optional<Charset> meta, detected;
  std::string meta_label;
  if (html) {
    meta_label = FindDeclaredCharset(raw);
    if (!meta_label.empty()) {
      auto cs = ResolveCharset(meta_label);
      if (cs.ok() && !IsWide(*cs)) meta = *cs;
    }
  }
  // uchardet's "ASCII" says nothing here: the bytes are known not to be.
  if (std::string label = DetectCharsetLabel(raw); !label.empty() && label != "ASCII") {
    auto cs = ResolveCharset(label);
    if (cs.ok() && std::find(o.detectable.begin(), o.detectable.end(), *cs) != o.detectable.end()) detected = *cs;
  }
  const bool agree = meta && detected && *meta == *detected;

  std::vector<Choice> failed;
  // Decodes with `cs` up to the first invalid byte; a clean result is final.
  auto attempt = [&](const Charset& cs, double confidence) -> StatusOr<std::optional<Choice>> {
    for (const Choice& f : failed)
      if (f.charset == cs) return std::optional<Choice>();
    LODE_ASSIGN_OR_RETURN(Decoded d, DecodeBytes(raw, 0, cs, OnInvalid::kQuarantine));
    Choice c{cs, confidence, std::move(d), "", ""};
    if (c.decoded.clean() && !c.decoded.private_use) return std::optional<Choice>(std::move(c));
    failed.push_back(std::move(c));
    return std::optional<Choice>();
  };

  if (meta && (!detected || agree)) {
    LODE_ASSIGN_OR_RETURN(auto c, attempt(*meta, agree ? kCertain : kOneSignal));
    if (c) return std::move(*c);
  }
  if (detected && !agree) {
    LODE_ASSIGN_OR_RETURN(auto c, attempt(*detected, meta ? kDisputed : kOneSignal));
    if (c) {
      if (meta)
        c->warning = "the page declares charset " + meta_label + ", but its bytes read as " + detected->name +
                     "; read as " + detected->name;
      return std::move(*c);
    }
    if (meta) {
      LODE_ASSIGN_OR_RETURN(auto m, attempt(*meta, kDisputed));
      if (m) {
        m->warning = "the page declares charset " + meta_label + " and uchardet suggests " + detected->name +
                     ", which does not decode it; read as " + meta->name;
        return std::move(*m);
      }
    }
  }
  std::vector<Charset> tried_fallbacks;
  if (!meta && !detected) {
    for (const Charset& cs : o.detectable) {
      if (IsUtf8(cs)) continue;  // already known not to fit
      tried_fallbacks.push_back(cs);
      LODE_ASSIGN_OR_RETURN(auto c, attempt(cs, kDisputed));
      if (c) return std::move(*c);
    }
  }

  // Nothing decodes cleanly.
  const Charset preferred = meta ? *meta : detected ? *detected : o.detectable.front();
  const double confidence = agree ? kCertain : (meta || detected) ? kOneSignal : kDisputed;
  Choice chosen;
  bool reused = false;
  if (o.on_invalid == OnInvalid::kQuarantine) {
    for (Choice& f : failed)
      if (f.charset == preferred) {
        chosen = std::move(f);
        reused = true;
        break;
      }
  }
  if (!reused) {
    LODE_ASSIGN_OR_RETURN(Decoded d, DecodeBytes(raw, 0, preferred, o.on_invalid));
    chosen.charset = preferred;
    chosen.decoded = std::move(d);
  }
  chosen.confidence = confidence;
  std::vector<Charset> others;
  for (const Charset& cs : tried_fallbacks)
    if (!(cs == preferred)) others.push_back(cs);
  if (!others.empty()) chosen.none_fit = ListNames(others);
  return chosen;
}

std::string InvalidMessage(std::string_view raw, const Choice& c) {
  const InvalidBytes& b = c.decoded.invalid.front();
  std::string m = "byte " + std::to_string(b.raw_begin) + ": invalid " + c.charset.name + " (" +
                  EscapeBytes(raw.substr(b.raw_begin, b.raw_end - b.raw_begin)) + ")";
  if (!c.none_fit.empty()) m += "; " + c.none_fit + (c.none_fit.find(" and ") == std::string::npos ? " does" : " do") +
                                " not decode the file either";
  return m;
}

// Only white space (Unicode's White_Space: blanks, line breaks, no-break and
// ideographic spaces). Stops at the first other character.
bool IsBlank(std::string_view text) {
  size_t len = 1;
  for (size_t i = 0; i < text.size(); i += len)
    if (!u_isUWhiteSpace(static_cast<UChar32>(DecodeUtf8(text, i, &len)))) return false;
  return true;
}

// Lines of a UTF-16 or UTF-32 file end where a decoded '\n' ends, not at a
// '\n' byte (U+4E0A 上 is the bytes 0A 4E in UTF-16LE).
void IndexWideLines(Document& doc, uint64_t raw_size) {
  doc.line_starts.assign(1, doc.source_range.begin);
  for (size_t i = doc.text.find('\n'); i != std::string::npos; i = doc.text.find('\n', i + 1)) {
    const uint64_t end = doc.ToRaw(i, i + 1).end;
    if (end < raw_size) doc.line_starts.push_back(doc.source_range.begin + end);
  }
}

Status ReadFiles::Decode(Document& doc) const {
  const Options& o = options_;
  std::string_view raw = doc.raw;
  const std::optional<ByteOrderMark> bom = FindByteOrderMark(raw);
  // A byte-order mark is certain; it overrides even a declared encoding.
  const std::optional<Charset> forced = bom ? std::optional<Charset>(bom->charset) : o.declared;
  const size_t start = bom ? bom->length : 0;
  if (raw.size() == start) {
    // The mark alone still says what the file was written in.
    if (bom) {
      doc.encoding = bom->charset.name;
      doc.encoding_confidence = kCertain;
    }
    return DataError(raw.empty() ? "empty file" : "empty file (a byte-order mark only)");
  }
  const bool wide = forced && IsWide(*forced);
  // NUL bytes are text only in UTF-16 and UTF-32, which announce themselves
  // with a byte-order mark or a declaration.
  if (!wide) {
    if (const void* nul = std::memchr(raw.data(), 0, raw.size()))
      return DataError("binary file (NUL byte at byte " +
                       std::to_string(static_cast<const char*>(nul) - raw.data()) + ")");
  }
  bool html = o.format == Format::kHtml ||
              (o.format == Format::kAuto &&
               (HasHtmlExtension(doc.source) || (!wide && LooksLikeHtml(raw.substr(start, 1024)))));

  std::vector<std::string> warnings;  // rows of the warnings table, once the document is kept
  if ((!forced || IsUtf8(*forced)) && !FindInvalidUtf8(raw.substr(start))) {
    // The common case, kept as cheap as a copy: valid UTF-8 (ASCII included).
    if (!forced && html && HasNonAscii(raw)) {
      std::string label = FindDeclaredCharset(raw);
      auto cs = label.empty() ? StatusOr<Charset>(NotFoundError("")) : ResolveCharset(label);
      if (cs.ok() && !IsUtf8(*cs))
        warnings.push_back("the page declares charset " + label + ", but its bytes are valid UTF-8; read as UTF-8");
    }
    doc.encoding = "UTF-8";
    doc.encoding_confidence = kCertain;
    const uint64_t size = raw.size() - start;
    if (start == 0) {
      doc.text = std::move(doc.raw);
    } else {
      doc.text.assign(raw.substr(start));
    }
    doc.offsets = OffsetMap::Identity(start, size);
  } else {
    Choice c;
    if (forced) {
      LODE_ASSIGN_OR_RETURN(Decoded d, DecodeBytes(raw, start, *forced, o.on_invalid));
      c = {*forced, kCertain, std::move(d), "", ""};
    } else {
      LODE_ASSIGN_OR_RETURN(c, ChooseEncoding(raw, html, o));
    }
    doc.encoding = c.charset.name;
    doc.encoding_confidence = c.confidence;
    if (!c.warning.empty()) warnings.push_back(c.warning);
    if (c.decoded.nul_at)
      return DataError("binary file (NUL character at byte " + std::to_string(*c.decoded.nul_at) + ")");
    if (!c.decoded.invalid.empty() && o.on_invalid == OnInvalid::kQuarantine) return DataError(InvalidMessage(raw, c));
    for (const InvalidBytes& b : c.decoded.invalid)
      doc.AddRow("repairs", {Value(doc.id), Value(std::string("invalid")),
                             Value(EscapeBytes(raw.substr(b.raw_begin, b.raw_end - b.raw_begin))),
                             Value(std::string("\xEF\xBF\xBD")), Value(static_cast<int64_t>(b.raw_begin)),
                             Value(static_cast<int64_t>(b.raw_end))});
    doc.text = std::move(c.decoded.text);
    doc.offsets = std::move(c.decoded.map);
    if (IsWide(c.charset)) {
      IndexWideLines(doc, raw.size());
      if (o.format == Format::kAuto && !html) html = LooksLikeHtml(std::string_view(doc.text).substr(0, 1024));
    }
  }

  if (html) {
    LODE_ASSIGN_OR_RETURN(HtmlText page, HtmlToText(doc.text));
    if (!page.unclosed.empty()) {
      const uint64_t at = doc.ToRaw(page.unclosed_at, page.unclosed_at).begin;
      warnings.push_back("the <" + page.unclosed + "> at byte " + std::to_string(at) +
                         " is never closed: the rest of the page is its content, as in a browser, and its text is "
                         "not read");
    }
    doc.offsets = page.map.Through(doc.offsets);
    doc.text = std::move(page.text);
  }
  // A blank page is what a scraper gets from a block page or a script-only
  // shell: it must show in the documents table as a page with nothing to read.
  if (IsBlank(doc.text)) return DataError(html ? "no text (the page is only markup)" : "no text (only blanks)");
  for (std::string& w : warnings) doc.Warn(std::move(w));
  return OkStatus();
}

Status Register(Registry& registry) {
  StageInfo info;
  info.name = "read.files";
  info.summary = "One document per file (text or HTML, any encoding), from files, folders and glob patterns.";
  info.doc =
      "Folders are walked recursively in name order; a folder reached twice (a symlink loop) is read once. "
      "Encodings: a byte-order mark first, then `encoding`, then (with auto) a page's <meta charset> if nothing "
      "disagrees with it, then uchardet's answer among detect_encodings; valid UTF-8 is read as UTF-8. HTML is "
      "parsed with libxml2: script, style, navigation and embedded content dropped, blocks on their own lines, "
      "entities decoded. Every byte of the text maps back to the bytes of the file it came from. A file that "
      "cannot be read, is larger than max_document_bytes, is binary (NUL bytes), has no text (empty, or blanks "
      "and markup only) or holds bytes invalid in its encoding (with on_invalid: quarantine) is quarantined with "
      "the reason, and the run goes on.";
  info.kind = StageKind::kSource;
  info.params = {
      ParamSpec::List("paths", {}, "Files, folders and glob patterns to read; '{input}' stands for the inputs "
                                   "given on the command line.")
          .Required(),
      ParamSpec::List("include", {}, "Within folders, read only files whose name matches one of these glob "
                                     "patterns (such as '*.txt'); empty reads every file."),
      ParamSpec::List("exclude", {}, "Within folders, skip files whose name matches one of these glob patterns."),
      ParamSpec::Size("max_document_bytes", int64_t{64} << 20,
                      "Files larger than this are quarantined without being read, so memory stays bounded.")
          .Min(1),
      ParamSpec::Bool("follow_symlinks", true, "Follow symbolic links to files and folders."),
      ParamSpec::String("encoding", "auto",
                        "The files' encoding: auto to detect it, or a name ICU knows (GB18030, GBK, Big5, UTF-8, "
                        "UTF-16LE, UTF-16BE, windows-1252 …). GB2312 and GBK are read as GB18030, their superset. "
                        "A byte-order mark overrides it."),
      ParamSpec::List("detect_encodings", {"UTF-8", "GB18030", "Big5"},
                      "With encoding: auto, the encodings a file without a byte-order mark may be detected as "
                      "(uchardet's answer outside this list is not trusted). When none decodes a file cleanly, "
                      "the page's <meta> charset or uchardet's answer is used, else the first of the list, and "
                      "on_invalid applies."),
      ParamSpec::Enum("on_invalid", "quarantine", {"quarantine", "replace"},
                      "Bytes that are not valid in the file's encoding: quarantine the document (the reason gives "
                      "the byte offset), or replace each invalid sequence with U+FFFD and record it in the repairs "
                      "table (kind invalid)."),
      ParamSpec::Enum("format", "auto", {"auto", "text", "html"},
                      "auto reads .html, .htm, .xhtml and .shtml files, and files that open like HTML "
                      "(<!DOCTYPE html, <html>, <body> …), as HTML and the rest as text; text or html applies to "
                      "every file."),
  };
  info.tables = {RepairsTable()};
  info.make_source = [](const Config& c, const SetupContext&) -> StatusOr<std::unique_ptr<Source>> {
    Options o;
    if (const std::string& e = c.GetString("encoding"); e != "auto") {
      auto cs = ResolveCharset(e);
      if (!cs.ok()) return InvalidArgumentError("parameter 'encoding': " + cs.status().message());
      o.declared = *cs;
    }
    for (const std::string& e : c.GetList("detect_encodings")) {
      auto cs = ResolveCharset(e);
      if (!cs.ok()) return InvalidArgumentError("parameter 'detect_encodings': " + cs.status().message());
      if (IsWide(*cs))
        return InvalidArgumentError("parameter 'detect_encodings': " + cs->name +
                                    " is recognized by its byte-order mark; declare it with encoding: if the files "
                                    "have none");
      if (std::find(o.detectable.begin(), o.detectable.end(), *cs) == o.detectable.end()) o.detectable.push_back(*cs);
    }
    if (o.detectable.empty()) return InvalidArgumentError("parameter 'detect_encodings' is empty");
    o.on_invalid = c.GetString("on_invalid") == "replace" ? OnInvalid::kReplace : OnInvalid::kQuarantine;
    const std::string& f = c.GetString("format");
    o.format = f == "html" ? Format::kHtml : f == "text" ? Format::kText : Format::kAuto;
    InitHtmlParser();
    return std::unique_ptr<Source>(new ReadFiles(c, std::move(o)));
  };
  return registry.Add(std::move(info));
}

}  // namespace

LODE_PLUGIN(read_files, "read.files", LODE_VERSION_STRING, "Reads documents from files and folders.", Register)
