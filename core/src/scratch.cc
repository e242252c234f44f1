#include "lode/scratch.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace lode {

StatusOr<std::unique_ptr<ScratchFile>> ScratchFile::Open(const std::string& dir_param) {
  std::string dir = dir_param;
  if (dir.empty()) {
    const char* tmp = std::getenv("TMPDIR");
    dir = tmp && *tmp ? tmp : "/tmp";
  }
  // An unnamed file where the file system allows it; otherwise a named one,
  // unlinked at once. Either way nothing is left behind, even after a crash.
  int fd = ::open(dir.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
  if (fd < 0) {
    std::string tmpl = dir + "/lode-scratch-XXXXXX";
    fd = ::mkostemp(tmpl.data(), O_CLOEXEC);
    if (fd < 0) return InvalidArgumentError("cannot create a scratch file in " + dir + ": " + std::strerror(errno));
    ::unlink(tmpl.c_str());
  }
  return std::unique_ptr<ScratchFile>(new ScratchFile(fd, dir));
}

ScratchFile::~ScratchFile() {
  if (fd_ >= 0) ::close(fd_);
}

Status ScratchFile::Flush() {
  size_t done = 0;
  while (done < buffer_.size()) {
    const ssize_t n = ::pwrite(fd_, buffer_.data() + done, buffer_.size() - done,
                               static_cast<off_t>(flushed_ + done));
    if (n < 0) {
      if (errno == EINTR) continue;
      return IoError("writing a scratch file in " + dir_ + ": " + std::strerror(errno));
    }
    done += static_cast<size_t>(n);
  }
  flushed_ += buffer_.size();
  buffer_.clear();
  return OkStatus();
}

StatusOr<uint64_t> ScratchFile::Append(std::string_view bytes) {
  constexpr size_t kBuffer = 1 << 20;
  if (buffer_.size() + bytes.size() > kBuffer && !buffer_.empty()) LODE_RETURN_IF_ERROR(Flush());
  const uint64_t at = size();
  buffer_.append(bytes);
  return at;
}

Status ScratchFile::Read(uint64_t offset, size_t length, std::string& out) {
  if (offset + length > size()) return InternalError("read past the end of a scratch file in " + dir_);
  out.resize(length);
  if (offset >= flushed_) {
    std::memcpy(out.data(), buffer_.data() + (offset - flushed_), length);
    return OkStatus();
  }
  if (offset + length > flushed_) LODE_RETURN_IF_ERROR(Flush());
  size_t done = 0;
  while (done < length) {
    const ssize_t n = ::pread(fd_, out.data() + done, length - done, static_cast<off_t>(offset + done));
    if (n <= 0) {
      if (n < 0 && errno == EINTR) continue;
      return IoError("reading a scratch file in " + dir_ + ": " +
                     (n < 0 ? std::strerror(errno) : "unexpected end of file"));
    }
    done += static_cast<size_t>(n);
  }
  return OkStatus();
}

}  // namespace lode
