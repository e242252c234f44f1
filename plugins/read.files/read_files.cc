// read.files: one document per file, from files, folders (recursively) and globs.
#include <dirent.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <glob.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "lode/lode.h"

namespace {

using namespace lode;

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
  explicit ReadFiles(const Config& c)
      : paths_(c.GetList("paths")),
        include_(c.GetList("include")),
        exclude_(c.GetList("exclude")),
        max_bytes_(static_cast<uint64_t>(c.GetInt("max_document_bytes"))),
        follow_symlinks_(c.GetBool("follow_symlinks")) {}

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
        for (const std::string& m : matches) AddPath(m, /*top_level=*/true);
        continue;
      }
      struct stat st;
      if (::stat(p.c_str(), &st) != 0) {
        if (errno == ENOENT) return NotFoundError("input path '" + p + "' does not exist");
        return ErrnoError("input path '" + p + "'", errno);
      }
      AddPath(p, /*top_level=*/true);
    }
    return OkStatus();
  }

  std::optional<uint64_t> ExpectedBytes() const override {
    uint64_t total = 0;
    for (const Entry& e : entries_) total += e.size;
    return total;
  }

  StatusOr<bool> Next(Document& doc) override {
    if (next_ >= entries_.size()) return false;
    const Entry& e = entries_[next_++];
    doc.id = e.path;
    doc.source = e.path;
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
    Status s = ReadWhole(e.path, doc.raw);
    doc.source_range = {0, doc.raw.size()};
    if (!s.ok()) doc.Quarantine(s.message());
    return true;
  }

  Status Decode(Document& doc) const override {
    std::string_view raw = doc.raw;
    size_t start = 0;
    if (raw.substr(0, 3) == "\xEF\xBB\xBF") start = 3;  // a UTF-8 byte-order mark is not text
    if (const void* nul = std::memchr(raw.data(), 0, raw.size()))
      return DataError("binary file (NUL byte at byte " +
                       std::to_string(static_cast<const char*>(nul) - raw.data()) + ")");
    if (auto bad = FindInvalidUtf8(raw.substr(start)))
      return DataError("byte " + std::to_string(*bad + start) +
                       ": invalid UTF-8 (this version reads UTF-8 only)");
    doc.encoding = "UTF-8";
    doc.encoding_confidence = 1;
    if (start == 0) {
      doc.text = std::move(doc.raw);
    } else {
      doc.text.assign(raw.substr(start));
    }
    doc.offsets = OffsetMap::Identity(start, doc.text.size());
    return OkStatus();
  }

 private:
  bool Selected(const std::string& name) const {
    for (const std::string& x : exclude_)
      if (::fnmatch(x.c_str(), name.c_str(), 0) == 0) return false;
    if (include_.empty()) return true;
    for (const std::string& i : include_)
      if (::fnmatch(i.c_str(), name.c_str(), 0) == 0) return true;
    return false;
  }

  void AddPath(const std::string& path, bool top_level) {
    struct stat st;
    int rc = follow_symlinks_ ? ::stat(path.c_str(), &st) : ::lstat(path.c_str(), &st);
    if (rc != 0) {
      entries_.push_back({path, 0, std::string("cannot read: ") + std::strerror(errno)});
      return;
    }
    if (S_ISDIR(st.st_mode)) {
      // A folder reached twice (a symlink loop, or two links to one folder) is
      // read once.
      if (!visited_.insert({st.st_dev, st.st_ino}).second) return;
      Walk(path);
      return;
    }
    if (!S_ISREG(st.st_mode)) {
      // A device, socket or pipe found in a folder is still an input the user
      // pointed at: account for it rather than skip it silently.
      entries_.push_back({path, 0, "not a regular file"});
      return;
    }
    if (!top_level) {
      std::string name = path.substr(path.find_last_of('/') + 1);
      if (!Selected(name)) return;
    }
    entries_.push_back({path, static_cast<uint64_t>(st.st_size), ""});
  }

  void Walk(const std::string& dir) {
    std::vector<std::string> names;
    if (!ListFolder(dir, names)) {
      entries_.push_back({dir, 0, std::string("cannot list folder: ") + std::strerror(errno)});
      return;
    }
    std::sort(names.begin(), names.end());  // the same order on every machine
    const std::string prefix = dir.back() == '/' ? dir : dir + "/";
    for (const std::string& n : names) AddPath(prefix + n, /*top_level=*/false);
  }

  static bool ListFolder(const std::string& dir, std::vector<std::string>& names);
  static Status ReadWhole(const std::string& path, std::string& out);

  std::vector<std::string> paths_, include_, exclude_;
  uint64_t max_bytes_;
  bool follow_symlinks_;
  std::vector<Entry> entries_;
  size_t next_ = 0;
  std::set<std::pair<dev_t, ino_t>> visited_;
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

Status Register(Registry& registry) {
  StageInfo info;
  info.name = "read.files";
  info.summary = "One document per file, from files, folders (recursively) and glob patterns.";
  info.doc =
      "Folders are walked recursively in name order; a folder reached twice (a symlink loop) is read once. "
      "A file that cannot be read, is larger than max_document_bytes, holds NUL bytes (binary) or is not "
      "valid UTF-8 is quarantined with the reason, and the run goes on. A UTF-8 byte-order mark is dropped "
      "from the text; offsets still count it.";
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
  };
  info.make_source = [](const Config& c, const SetupContext&) -> StatusOr<std::unique_ptr<Source>> {
    return std::unique_ptr<Source>(new ReadFiles(c));
  };
  return registry.Add(std::move(info));
}

}  // namespace

LODE_PLUGIN(read_files, "read.files", LODE_VERSION_STRING, "Reads documents from files and folders.", Register)
