// lode/output.h — writing output files atomically.
//
// Every file lode writes appears complete or not at all: an AtomicFile writes to
// a temporary file beside the destination and renames it into place on Commit().
// A run that fails or is killed leaves the previous file untouched (and at worst
// a stray "<name>.tmp-<pid>" beside it).
//
//   LODE_ASSIGN_OR_RETURN(auto file, AtomicFile::Create(dir + "/items.csv"));
//   LODE_RETURN_IF_ERROR(file->Write("doc_id,item\r\n"));
//   LODE_RETURN_IF_ERROR(file->Commit());
//
// Writes are buffered; every error message names the destination path.
// Not thread-safe: one writer per file.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "lode/status.h"
#include "lode/table.h"

namespace lode {

// Keeps a large output file from filling the page cache as it is written: each
// time the file has grown by a chunk, the chunks written before the newest are
// sent to the disk, waited for and dropped from the cache, so that less than
// two chunks stay there. For a file written from front to back, from offset 0,
// and not read back during the run: AtomicFile uses it, and an exporter writing
// through a library of its own (SQLite) calls Grown() after each document.
//
// The run syncs the whole file at its end anyway (ReplaceFile, Commit): this
// only moves the disk's work earlier, beside the stages. On this project's
// machines the kernel's cost of a buffered write grew with the amount of the
// file in the cache: writing 4.5 GB cost 5.9 s of system time, against 1.75 s
// when written behind like this.
//
//   WriteBehind behind(tmp_path);   // opens its own read-only descriptor
//   ... write to the file ...
//   behind.Grown();
//
// Hints only: a file system without them keeps its pages, and nothing fails;
// durability still takes an fsync. Made from a path, it closes its descriptor
// when destroyed, and closing any descriptor of a file releases the process's
// POSIX record locks on that file: destroy it only after a library that locks
// the file (SQLite does) has closed it.
class WriteBehind {
 public:
  static constexpr uint64_t kChunk = uint64_t{32} << 20;

  // Watches the file at `path` through a read-only descriptor of its own.
  // `chunk` is the step, rounded up to a multiple of 2 MiB (see output.cc).
  explicit WriteBehind(const std::string& path, uint64_t chunk = kChunk);
  // Watches the file open on `fd`, which stays the caller's to close.
  explicit WriteBehind(int fd, uint64_t chunk = kChunk);
  ~WriteBehind();
  WriteBehind(const WriteBehind&) = delete;
  WriteBehind& operator=(const WriteBehind&) = delete;

  // Looks at the file's size and writes behind what is at least a chunk back.
  void Grown();
  // Bytes [0, dropped()) were sent to the disk and dropped from the cache as
  // far as the system allowed; pages written again there come back.
  uint64_t dropped() const { return dropped_; }

 private:
  int fd_;
  bool owned_;
  uint64_t chunk_;
  uint64_t started_ = 0;  // [dropped_, started_): sent to the disk, not yet waited for
  uint64_t dropped_ = 0;
};

class AtomicFile {
 public:
  // Opens "<path>.tmp-<pid>" for writing. Fails (naming the path) when the
  // folder does not exist or cannot be written.
  static StatusOr<std::unique_ptr<AtomicFile>> Create(std::string path);

  ~AtomicFile();  // removes the temporary file unless committed
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  Status Write(std::string_view bytes);
  // Flushes the temporary file, syncs it to the disk, renames it over the
  // destination and syncs the folder: even a crash of the machine right after
  // leaves the previous file or the new one, never an empty or torn one.
  Status Commit();
  // Removes the temporary file; the destination is left as it was.
  void Abort();

  const std::string& path() const { return path_; }
  uint64_t bytes_written() const { return written_; }

 private:
  AtomicFile(std::string path, std::string tmp, int fd);
  Status Flush();

  std::string path_;
  std::string tmp_;
  int fd_ = -1;
  std::string buffer_;
  uint64_t written_ = 0;
  Status error_;  // the first write error; later writes return it again
  WriteBehind behind_;  // last: added in ABI 1.1, after the fields plugins read inline
};

// Creates `dir` and its parents if needed; an error names the folder.
Status EnsureDirectory(const std::string& dir);

// Puts a finished temporary file in place of `path` for good: syncs it to the
// disk, renames it over `path`, then syncs the folder, so that even a crash of
// the machine right after leaves the previous file or the new one, never an
// empty or torn one. For exporters that write through a library of their own
// (SQLite, libxlsxwriter) and so cannot use AtomicFile. Errors name `path`.
//
//   LODE_RETURN_IF_ERROR(ReplaceFile(tmp, "out/lode.sqlite"));
Status ReplaceFile(const std::string& tmp, const std::string& path);

// The tables of the run that `selected` names, in the order named (every table
// when `selected` is empty). A name that is not a table of the run is an
// InvalidArgument error listing the run's tables; a name given twice counts once.
StatusOr<std::vector<TableSchema>> SelectTables(const std::vector<TableSchema>& tables,
                                                const std::vector<std::string>& selected);

// One output file per table, as file exporters write them: "<dir>/<table><ext>"
// ("out/items.csv"). Opens them all before any work, hands out the one for a
// row's table, and commits or aborts them together.
//
//   TableFiles files;
//   LODE_RETURN_IF_ERROR(files.Open(context, config.GetList("tables"), dir, ".csv"));
//   for (const TableRow& r : doc.rows)
//     if (TableFiles::File* f = files.Find(r.table)) Append(f->out, f->schema, r.row);
class TableFiles {
 public:
  struct File {
    TableSchema schema;  // a copy: the OutputContext lives only during Open()
    std::unique_ptr<AtomicFile> out;
  };

  // `selected` names the tables to write (empty: every table of the run); a name
  // that is not a table of the run is an InvalidArgument error listing them.
  Status Open(const std::vector<TableSchema>& tables, const std::vector<std::string>& selected,
              const std::string& dir, const std::string& extension);
  // The file of `table`, or nullptr when that table is not written.
  File* Find(std::string_view table);
  std::vector<File>& files() { return files_; }
  Status CommitAll();
  void AbortAll();
  std::vector<std::string> Paths() const;

 private:
  std::vector<File> files_;
};

}  // namespace lode
