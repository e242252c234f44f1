#include "lode/output.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <system_error>

namespace lode {

namespace {
constexpr size_t kBufferSize = 1 << 20;

// Syncs `fd`, open on `tmp`, to the disk and closes it, renames `tmp` over
// `path`, then syncs the folder, so that a crash of the machine at any point
// leaves the previous file or the new one whole.
Status SyncCloseRename(int fd, const std::string& tmp, const std::string& path) {
  const bool synced = ::fsync(fd) == 0;
  const int sync_err = errno;
  // A file system may report a failed write only at close.
  if (::close(fd) != 0) return ErrnoError("cannot write " + path, errno);
  if (!synced) return ErrnoError("cannot write " + path, sync_err);
  if (::rename(tmp.c_str(), path.c_str()) != 0) return ErrnoError("cannot replace " + path, errno);
  const std::filesystem::path dest(path);
  const std::string dir = dest.has_parent_path() ? dest.parent_path().string() : ".";
  const int dir_fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd >= 0) {
    (void)::fsync(dir_fd);  // some file systems refuse; the rename itself has happened
    ::close(dir_fd);
  }
  return OkStatus();
}

// The kernel drops only what lies wholly in the range, and caches a written
// file in blocks of pages up to 2 MiB, aligned to their size: a chunk ending
// inside one would keep it, and so would every later range.
uint64_t WholeBlocks(uint64_t chunk) {
  constexpr uint64_t kBlock = uint64_t{2} << 20;
  if (chunk == 0) chunk = WriteBehind::kChunk;
  return (chunk + kBlock - 1) / kBlock * kBlock;
}
}  // namespace

WriteBehind::WriteBehind(const std::string& path, uint64_t chunk)
    : fd_(::open(path.c_str(), O_RDONLY | O_CLOEXEC)), owned_(true), chunk_(WholeBlocks(chunk)) {}

WriteBehind::WriteBehind(int fd, uint64_t chunk) : fd_(fd), owned_(false), chunk_(WholeBlocks(chunk)) {}

WriteBehind::~WriteBehind() {
  if (owned_ && fd_ >= 0) ::close(fd_);
}

void WriteBehind::Grown() {
#ifdef __linux__
  struct stat st;
  if (fd_ < 0 || ::fstat(fd_, &st) != 0) return;
  const auto size = static_cast<uint64_t>(st.st_size);
  const uint64_t whole = size / chunk_ * chunk_;  // the end of the last whole chunk
  if (whole <= started_) return;
  // The new whole chunks start on their way to the disk in one request. What
  // is before the newest of them is waited for, which dropping needs (the
  // kernel keeps dirty pages), then dropped: as the file grows a chunk at a
  // time, that was started a call ago and is mostly written by then.
  (void)::sync_file_range(fd_, static_cast<off_t>(started_), static_cast<off_t>(whole - started_),
                          SYNC_FILE_RANGE_WRITE);
  started_ = whole;
  const uint64_t keep = started_ - chunk_;
  if (keep <= dropped_) return;
  (void)::sync_file_range(fd_, static_cast<off_t>(dropped_), static_cast<off_t>(keep - dropped_),
                          SYNC_FILE_RANGE_WAIT_BEFORE | SYNC_FILE_RANGE_WRITE | SYNC_FILE_RANGE_WAIT_AFTER);
  (void)::posix_fadvise(fd_, static_cast<off_t>(dropped_), static_cast<off_t>(keep - dropped_),
                        POSIX_FADV_DONTNEED);
  dropped_ = keep;
#endif
}

AtomicFile::AtomicFile(std::string path, std::string tmp, int fd)
    : path_(std::move(path)), tmp_(std::move(tmp)), fd_(fd), behind_(fd) {
  buffer_.reserve(kBufferSize);
}

StatusOr<std::unique_ptr<AtomicFile>> AtomicFile::Create(std::string path) {
  std::string tmp = path + ".tmp-" + std::to_string(::getpid());
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return ErrnoError("cannot write " + path, errno);
  return std::unique_ptr<AtomicFile>(new AtomicFile(std::move(path), std::move(tmp), fd));
}

AtomicFile::~AtomicFile() { Abort(); }

Status AtomicFile::Flush() {
  size_t done = 0;
  while (done < buffer_.size()) {
    ssize_t n = ::write(fd_, buffer_.data() + done, buffer_.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      error_ = ErrnoError("cannot write " + path_, errno);
      return error_;
    }
    done += static_cast<size_t>(n);
  }
  buffer_.clear();
  behind_.Grown();
  return OkStatus();
}

Status AtomicFile::Write(std::string_view bytes) {
  if (!error_.ok()) return error_;
  if (fd_ < 0) return FailedPreconditionError(path_ + ": written after commit or abort");
  written_ += bytes.size();
  if (buffer_.size() + bytes.size() > kBufferSize) {
    LODE_RETURN_IF_ERROR(Flush());
    if (bytes.size() >= kBufferSize) {
      buffer_.assign(bytes.data(), bytes.size());
      return Flush();
    }
  }
  buffer_.append(bytes.data(), bytes.size());
  return OkStatus();
}

Status AtomicFile::Commit() {
  if (!error_.ok()) return error_;
  if (fd_ < 0) return FailedPreconditionError(path_ + ": committed twice");
  LODE_RETURN_IF_ERROR(Flush());
  int fd = fd_;
  fd_ = -1;
  Status s = SyncCloseRename(fd, tmp_, path_);
  if (!s.ok()) {
    error_ = s;
    ::unlink(tmp_.c_str());
  }
  return s;
}

void AtomicFile::Abort() {
  if (fd_ < 0) return;
  ::close(fd_);
  fd_ = -1;
  ::unlink(tmp_.c_str());
}

Status EnsureDirectory(const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return IoError("cannot create folder " + dir + ": " + ec.message());
  if (::access(dir.c_str(), W_OK) != 0) return ErrnoError("cannot write to folder " + dir, errno);
  return OkStatus();
}

Status ReplaceFile(const std::string& tmp, const std::string& path) {
  const int fd = ::open(tmp.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return ErrnoError("cannot write " + path, errno);
  return SyncCloseRename(fd, tmp, path);
}

StatusOr<std::vector<TableSchema>> SelectTables(const std::vector<TableSchema>& tables,
                                                const std::vector<std::string>& selected) {
  if (selected.empty()) return tables;
  std::vector<TableSchema> chosen;
  for (const std::string& name : selected) {
    const TableSchema* found = nullptr;
    for (const TableSchema& t : tables)
      if (t.name == name) found = &t;
    if (found == nullptr) {
      std::string known;
      for (const TableSchema& t : tables) known += (known.empty() ? "" : ", ") + t.name;
      return InvalidArgumentError("table '" + name + "' is not written by this pipeline (its tables: " + known + ")");
    }
    bool repeated = false;
    for (const TableSchema& t : chosen) repeated = repeated || t.name == name;
    if (!repeated) chosen.push_back(*found);
  }
  return chosen;
}

Status TableFiles::Open(const std::vector<TableSchema>& tables, const std::vector<std::string>& selected,
                        const std::string& dir, const std::string& extension) {
  LODE_ASSIGN_OR_RETURN(std::vector<TableSchema> chosen, SelectTables(tables, selected));
  LODE_RETURN_IF_ERROR(EnsureDirectory(dir));
  for (TableSchema& t : chosen) {
    auto f = AtomicFile::Create((std::filesystem::path(dir) / (t.name + extension)).string());
    if (!f.ok()) {
      AbortAll();
      return f.status();
    }
    files_.push_back({std::move(t), std::move(*f)});
  }
  return OkStatus();
}

TableFiles::File* TableFiles::Find(std::string_view table) {
  for (File& f : files_)
    if (f.schema.name == table) return &f;
  return nullptr;
}

Status TableFiles::CommitAll() {
  for (File& f : files_) {
    Status s = f.out->Commit();
    if (!s.ok()) {
      AbortAll();
      return s;
    }
  }
  return OkStatus();
}

void TableFiles::AbortAll() {
  for (File& f : files_) f.out->Abort();
}

std::vector<std::string> TableFiles::Paths() const {
  std::vector<std::string> paths;
  for (const File& f : files_) paths.push_back(f.out->path());
  return paths;
}

}  // namespace lode
