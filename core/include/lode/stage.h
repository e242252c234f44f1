// lode/stage.h — the three kinds of stage: sources, transforms and sinks.
//
// A pipeline is sources → transforms → sinks. The host drives them:
//
//   sources     Next() one document at a time, in order (one thread), then
//               Decode() it (many threads at once);
//   transforms  Process() each kept document, in pipeline order; a transform
//               that declares Execution::kParallel is called from many threads
//               at once, one that declares kOrdered from one thread at a time and
//               in input order;
//   sinks       Write() each document with its rows, one thread, in input order.
//
// Lifetime: the host creates each stage once per run from its validated Config,
// calls it for every document, calls Finish/Close once, then destroys it before
// the plugin library is (never) unloaded. A stage must not keep a reference to a
// Document after the call returns.
//
// Errors: a Status returned for one document quarantines that document (its
// reason names the stage and the message) and the run goes on; the output stays
// identical whatever the thread count. Exceptions must not leave a stage; the
// registration helpers in registry.h catch them at the plugin's boundary.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lode/document.h"
#include "lode/status.h"
#include "lode/table.h"

namespace lode {

// What a stage may know about the run while it is being set up.
struct SetupContext {
  // The pipeline file (empty when a stage is built from a snippet in a test).
  std::string pipeline_file;
  // Folders searched, in order, for rule data such as "zh/lookalikes.yaml": the
  // pipeline file's `configs/` neighbour, LODE_CONFIG_PATH, the installed configs.
  std::vector<std::string> data_dirs;
  // Worker threads the run will use.
  int threads = 1;

  // The first existing `<dir>/<relative>` over data_dirs, or NotFound naming all
  // the folders searched. An absolute path is returned as it is if it exists.
  StatusOr<std::string> FindDataFile(std::string_view relative) const;
};

// Produces documents. Next() runs on one thread, in order; Decode() on many at
// once, so it must not touch mutable state of the source.
class Source {
 public:
  virtual ~Source() = default;

  // Called once before any document is read. Check that the inputs exist here:
  // an error is a configuration error (exit code 2) and nothing runs.
  virtual Status Open() = 0;

  // Total input bytes, when known after Open() (for the progress line's ETA).
  virtual std::optional<uint64_t> ExpectedBytes() const { return std::nullopt; }

  // Fills `doc` (id, source, source_range, raw) with the next document and
  // returns true, or returns false when there are no more. A problem with this
  // one document (unreadable, too large) is not an error: quarantine `doc` and
  // return true. An error ends the run (exit code 3).
  virtual StatusOr<bool> Next(Document& doc) = 0;

  // Turns `doc.raw` into `doc.text` and `doc.offsets` (decoding, parsing). An
  // error quarantines the document. Called from many threads at once.
  virtual Status Decode(Document& doc) const = 0;
};

// How the host may call a transform.
enum class Execution {
  kParallel,  // Process() is called from many threads at once: it must be thread-safe
  kOrdered,   // one document at a time, in input order: it may keep state across documents
};

// Reads and annotates documents: changes text, adds spans, writes rows, marks
// duplicates. Only kept documents are passed to it.
class Transform {
 public:
  virtual ~Transform() = default;

  // Processes one document. Returning an error quarantines it.
  virtual Status Process(Document& doc) = 0;

  // Called once after the last document (one thread): rows that need the whole
  // corpus (a clustering summary, say) go into `rows`.
  virtual Status Finish(std::vector<TableRow>& rows) {
    (void)rows;
    return OkStatus();
  }

  // Lines for the end-of-run summary ("2 audit mismatches: …"), asked once
  // after Finish(). Keep it to a few lines; the tables hold the details.
  virtual std::vector<std::string> Summary() const { return {}; }
};

// What a sink is told before any document arrives.
struct OutputContext {
  std::string pipeline_name;
  // Every table the run may write: the host's (documents, runs) and every table
  // declared by a stage of the pipeline, in that order.
  std::vector<TableSchema> tables;
};

// Writes documents and rows out. Called from one thread, in input order.
// Outputs are written atomically: to temporary files that Close() renames into
// place, so a failed or killed run leaves the previous output intact.
class Sink {
 public:
  virtual ~Sink() = default;

  // Called once before any work: create temporary files, check the destination
  // can be written. `context` is valid only during the call: copy what you keep. kInvalidArgument (a table this format cannot represent) is
  // a configuration error, exit 2; anything else is fatal, exit 3.
  virtual Status Open(const OutputContext& context) = 0;

  // One document, whatever its status, with its rows: the host has added the
  // document's row of the `documents` table and checked every row against its
  // table's columns. An error ends the run (exit code 3).
  virtual Status Write(const Document& doc) = 0;

  // The rows produced at the end (stages' Finish, the `runs` row), then commit:
  // rename the temporary files into place.
  virtual Status Close(const std::vector<TableRow>& final_rows) = 0;

  // The run failed: remove temporary files, leave previous outputs as they were.
  // Also called on a sink whose own Open() or Close() failed; it must be safe to
  // call in any state, and more than once.
  virtual void Abort() {}

  // The files this sink wrote, after Close(): the run summary lists them.
  virtual std::vector<std::string> Written() const { return {}; }

  // Lines for the end-of-run summary (cells cut to fit a format, say), asked
  // after Close().
  virtual std::vector<std::string> Summary() const { return {}; }
};

}  // namespace lode
