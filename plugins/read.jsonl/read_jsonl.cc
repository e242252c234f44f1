// read.jsonl: one document per line of JSON Lines files.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "lode/lode.h"

namespace {

using namespace lode;
using json = nlohmann::json;

// Reads a file line by line in bounded memory: a line longer than the limit is
// skipped to its end and reported as too long, never held whole.
class LineReader {
 public:
  ~LineReader() { Close(); }

  Status Open(const std::string& path) {
    Close();
    fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_ < 0) return ErrnoError("cannot read " + path, errno);
    buffer_.clear();
    pos_ = 0;
    offset_ = 0;
    eof_ = false;
    return OkStatus();
  }

  void Close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

  // The next line without its "\n" (and "\r"); false at the end of the file.
  // `begin` is its byte offset; `too_long` is set (and `line` empty) when it
  // exceeds `limit`.
  StatusOr<bool> Next(std::string& line, uint64_t& begin, uint64_t& length, bool& too_long, uint64_t limit) {
    line.clear();
    too_long = false;
    begin = offset_;
    length = 0;
    while (true) {
      if (pos_ == buffer_.size()) {
        if (eof_) {
          if (length == 0 && line.empty() && !too_long) return false;
          break;
        }
        LODE_RETURN_IF_ERROR(Fill());
        continue;
      }
      const char* start = buffer_.data() + pos_;
      const void* nl = std::memchr(start, '\n', buffer_.size() - pos_);
      size_t n = nl ? static_cast<const char*>(nl) - start : buffer_.size() - pos_;
      if (!too_long) {
        if (line.size() + n > limit) {
          too_long = true;
          line.clear();
        } else {
          line.append(start, n);
        }
      }
      length += n;
      pos_ += n;
      offset_ += n;
      if (nl) {
        ++pos_;
        ++offset_;
        break;
      }
    }
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return true;
  }

 private:
  Status Fill() {
    buffer_.resize(1 << 20);
    pos_ = 0;
    while (true) {
      ssize_t n = ::read(fd_, buffer_.data(), buffer_.size());
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return ErrnoError("cannot read", errno);
      buffer_.resize(static_cast<size_t>(n));
      if (n == 0) eof_ = true;
      return OkStatus();
    }
  }

  int fd_ = -1;
  std::string buffer_;
  size_t pos_ = 0;
  uint64_t offset_ = 0;
  bool eof_ = false;
};

class ReadJsonl : public Source {
 public:
  explicit ReadJsonl(const Config& c)
      : paths_(c.GetList("paths")), text_field_(c.GetString("text_field")), id_field_(c.GetString("id_field")),
        max_bytes_(static_cast<uint64_t>(c.GetInt("max_document_bytes"))) {}

  Status Open() override {
    if (paths_.empty()) return InvalidArgumentError("no input paths were given");
    for (const std::string& p : paths_) {
      struct stat st;
      if (::stat(p.c_str(), &st) != 0) {
        if (errno == ENOENT) return NotFoundError("input file '" + p + "' does not exist");
        return ErrnoError("input file '" + p + "'", errno);
      }
      if (!S_ISREG(st.st_mode)) return InvalidArgumentError("input '" + p + "' is not a file");
      total_ += static_cast<uint64_t>(st.st_size);
    }
    return OkStatus();
  }

  std::optional<uint64_t> ExpectedBytes() const override { return total_; }

  StatusOr<bool> Next(Document& doc) override {
    while (file_ < paths_.size()) {
      const std::string& path = paths_[file_];
      if (!open_) {
        Status s = reader_.Open(path);
        line_number_ = 0;
        if (!s.ok()) {
          // The whole file is one lost input: say so once, as a document.
          ++file_;
          doc.id = path;
          doc.source = path;
          doc.Quarantine(s.message());
          return true;
        }
        open_ = true;
      }
      uint64_t begin = 0, length = 0;
      bool too_long = false;
      auto more = reader_.Next(doc.raw, begin, length, too_long, max_bytes_);
      if (!more.ok()) return more.status().WithPrefix(path);
      if (!*more) {
        reader_.Close();
        open_ = false;
        ++file_;
        continue;
      }
      ++line_number_;
      if (!too_long && doc.raw.find_first_not_of(" \t\r") == std::string::npos) continue;  // blank line
      doc.id = path + "#" + std::to_string(line_number_);
      doc.source = path;
      doc.source_range = {begin, begin + length};
      doc.metadata.push_back({"line", std::to_string(line_number_)});
      if (too_long)
        doc.Quarantine("line " + std::to_string(line_number_) + " is " + std::to_string(length) +
                       " bytes, more than max_document_bytes; not read");
      return true;
    }
    return false;
  }

  Status Decode(Document& doc) const override {
    std::string line = "?";
    for (const auto& [key, value] : doc.metadata)
      if (key == "line") line = value;
    if (auto bad = FindInvalidUtf8(doc.raw))
      return DataError("line " + line + ", byte " + std::to_string(*bad) + " of the line: invalid UTF-8");
    json record = json::parse(doc.raw, nullptr, /*allow_exceptions=*/false);
    if (record.is_discarded()) {
      // Parse again to learn where: the non-throwing parse does not say.
      std::string why = "not valid JSON";
      try {
        const json again = json::parse(doc.raw);
        (void)again;
      } catch (const json::parse_error& e) {
        why = "not valid JSON (at byte " + std::to_string(e.byte) + " of the line)";
      }
      return DataError("line " + line + ": " + why);
    }
    if (!record.is_object()) return DataError("line " + line + ": not a JSON object");
    auto text = record.find(text_field_);
    if (text == record.end()) return DataError("line " + line + ": no '" + text_field_ + "' field");
    if (!text->is_string()) return DataError("line " + line + ": field '" + text_field_ + "' is not a string");
    if (!id_field_.empty()) {
      auto id = record.find(id_field_);
      if (id != record.end() && id->is_string()) doc.id = id->get<std::string>();
      else if (id != record.end() && id->is_number_integer()) doc.id = std::to_string(id->get<int64_t>());
    }
    for (auto it = record.begin(); it != record.end(); ++it) {
      if (it.key() == text_field_ || it.key() == id_field_) continue;
      if (it->is_string()) doc.metadata.push_back({it.key(), it->get<std::string>()});
      else if (it->is_primitive() && !it->is_null()) doc.metadata.push_back({it.key(), it->dump()});
    }
    doc.text = text->get<std::string>();
    doc.encoding = "UTF-8";
    doc.encoding_confidence = 1;
    // Where the value was written without escapes, it maps byte for byte;
    // otherwise the text maps to the line as a whole.
    std::string quoted = "\"" + doc.text + "\"";
    size_t at = doc.raw.find(quoted);
    if (at != std::string::npos && doc.raw.find(quoted, at + 1) == std::string::npos) {
      doc.offsets = OffsetMap::Identity(doc.source_range.begin + at + 1, doc.text.size());
    } else {
      doc.offsets = OffsetMap();
      doc.offsets.Append(doc.text.size(), doc.source_range.begin, doc.source_range.end - doc.source_range.begin,
                         false);
    }
    return OkStatus();
  }

 private:
  std::vector<std::string> paths_;
  std::string text_field_, id_field_;
  uint64_t max_bytes_;
  uint64_t total_ = 0;
  LineReader reader_;
  size_t file_ = 0;
  bool open_ = false;
  uint64_t line_number_ = 0;
};

Status Register(Registry& registry) {
  StageInfo info;
  info.name = "read.jsonl";
  info.summary = "One document per line of JSON Lines files.";
  info.doc =
      "Each non-blank line is a JSON object; its text field becomes the document's text, its id field (if "
      "present) the document's id (otherwise <file>#<line>), and its other scalar fields the metadata. A line "
      "that is not valid JSON, not an object, has no text, or is longer than max_document_bytes is quarantined "
      "with its line number, and the run goes on.";
  info.kind = StageKind::kSource;
  info.params = {
      ParamSpec::List("paths", {}, "JSON Lines files to read; '{input}' stands for the inputs given on the "
                                   "command line.")
          .Required(),
      ParamSpec::String("text_field", "text", "The field that holds the document's text."),
      ParamSpec::String("id_field", "id", "The field that holds the document's id; empty uses <file>#<line>."),
      ParamSpec::Size("max_document_bytes", int64_t{64} << 20,
                      "Lines longer than this are quarantined without being held in memory.")
          .Min(1),
  };
  info.make_source = [](const Config& c, const SetupContext&) -> StatusOr<std::unique_ptr<Source>> {
    return std::unique_ptr<Source>(new ReadJsonl(c));
  };
  return registry.Add(std::move(info));
}

}  // namespace

LODE_PLUGIN(read_jsonl, "read.jsonl", LODE_VERSION_STRING, "Reads documents from JSON Lines files.", Register)
