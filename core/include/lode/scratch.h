// lode/scratch.h — an append-only file for what a stage must keep but need not
// hold in memory.
//
// A stage that remembers something about every document (a dedup index's ids
// and records) would grow with the corpus; a ScratchFile keeps the bulk on
// disk and memory holds only offsets. The file has no name from the start
// (O_TMPFILE, or a name unlinked at once), so nothing is left behind, even
// after a crash.
//
//   LODE_ASSIGN_OR_RETURN(std::unique_ptr<ScratchFile> f, ScratchFile::Open(""));
//   LODE_ASSIGN_OR_RETURN(uint64_t at, f->Append(bytes));
//   std::string back;
//   LODE_RETURN_IF_ERROR(f->Read(at, bytes.size(), back));
//
// Appends are buffered (1 MiB); reads see everything appended. Every error
// message names the folder. Not thread-safe: one user at a time.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "lode/status.h"

namespace lode {

class ScratchFile {
 public:
  // A new, empty file in `dir` (empty: $TMPDIR, else /tmp). Fails naming the
  // folder when it cannot create one there.
  static StatusOr<std::unique_ptr<ScratchFile>> Open(const std::string& dir);
  ~ScratchFile();
  ScratchFile(const ScratchFile&) = delete;
  ScratchFile& operator=(const ScratchFile&) = delete;

  // Adds `bytes` at the end; returns the offset they start at.
  StatusOr<uint64_t> Append(std::string_view bytes);
  // Reads [offset, offset + length) into `out`, appended bytes not yet on
  // disk included. Reading past the end is an error.
  Status Read(uint64_t offset, size_t length, std::string& out);
  // Bytes appended so far.
  uint64_t size() const { return flushed_ + buffer_.size(); }
  // The folder the file is in.
  const std::string& dir() const { return dir_; }

 private:
  ScratchFile(int fd, std::string dir) : fd_(fd), dir_(std::move(dir)) {}
  Status Flush();

  int fd_;
  std::string dir_;
  uint64_t flushed_ = 0;
  std::string buffer_;
};

}  // namespace lode
