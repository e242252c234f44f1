// lode/status.h — how every SDK call reports success or failure.
//
// lode decides once: across the SDK, failures are values, not exceptions. A call
// that can fail returns `Status`; a call that can fail or produce a value returns
// `StatusOr<T>`. Both are [[nodiscard]], so an ignored error is a compiler warning.
//
//   lode::StatusOr<int> ParsePort(std::string_view s);
//
//   lode::Status Configure(std::string_view s) {
//     LODE_ASSIGN_OR_RETURN(int port, ParsePort(s));
//     LODE_RETURN_IF_ERROR(Listen(port));
//     return lode::OkStatus();
//   }
//
// Exceptions may be used inside a plugin, but they must not leave it: the SDK's
// registration helpers (registry.h) catch anything a stage throws and turn it into
// an `Internal` status, so one faulty stage quarantines one document instead of
// taking the process down.
#pragma once

#include <cassert>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace lode {

// What kind of failure a Status reports. The runner maps them to exit codes:
// kInvalidArgument and kNotFound during set-up are configuration errors (exit 2),
// kIo on an output is fatal (exit 3), anything on one document quarantines it.
enum class StatusCode {
  kOk = 0,
  kInvalidArgument,    // bad configuration or a bad call
  kNotFound,           // a file, stage or table that does not exist
  kIo,                 // reading or writing failed
  kData,               // the input document is malformed (quarantine it)
  kFailedPrecondition, // called in the wrong state
  kInternal,           // a bug, or an exception caught at a plugin boundary
};

// The name of a code, as it appears in messages ("invalid argument").
std::string_view StatusCodeName(StatusCode code);

// Success, or a code with a message meant for the user. Messages name the place
// ("examples/a.txt: byte 1043: invalid UTF-8") and read as one sentence without a
// trailing full stop. Cheap to copy when ok.
class [[nodiscard]] Status {
 public:
  Status() = default;  // ok
  Status(StatusCode code, std::string message)
      : code_(code), message_(std::move(message)) {}

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }

  // "invalid argument: <message>", or "ok".
  std::string ToString() const;

  // A copy whose message is "<prefix>: <message>": used to add the place.
  Status WithPrefix(std::string_view prefix) const;

  friend bool operator==(const Status& a, const Status& b) {
    return a.code_ == b.code_ && a.message_ == b.message_;
  }

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

inline Status OkStatus() { return Status(); }
inline Status InvalidArgumentError(std::string m) { return {StatusCode::kInvalidArgument, std::move(m)}; }
inline Status NotFoundError(std::string m) { return {StatusCode::kNotFound, std::move(m)}; }
inline Status IoError(std::string m) { return {StatusCode::kIo, std::move(m)}; }
inline Status DataError(std::string m) { return {StatusCode::kData, std::move(m)}; }
inline Status FailedPreconditionError(std::string m) { return {StatusCode::kFailedPrecondition, std::move(m)}; }
inline Status InternalError(std::string m) { return {StatusCode::kInternal, std::move(m)}; }

// An error message built from errno: "<what>: <strerror(errno)>".
Status ErrnoError(std::string_view what, int err);

// A value of type T, or the Status that explains why there is none.
//
//   StatusOr<Config> c = Parse(...);
//   if (!c.ok()) return c.status();
//   Use(*c);
template <typename T>
class [[nodiscard]] StatusOr {
 public:
  StatusOr(Status status) : v_(std::move(status)) {  // NOLINT: implicit by design
    assert(!std::get<Status>(v_).ok() && "StatusOr needs a value or an error");
  }
  StatusOr(T value) : v_(std::move(value)) {}  // NOLINT: implicit by design

  bool ok() const { return std::holds_alternative<T>(v_); }
  // The error, or an ok Status when there is a value.
  Status status() const { return ok() ? OkStatus() : std::get<Status>(v_); }

  // The value; only when ok().
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<Status, T> v_;
};

}  // namespace lode

#define LODE_STATUS_CONCAT_INNER_(a, b) a##b
#define LODE_STATUS_CONCAT_(a, b) LODE_STATUS_CONCAT_INNER_(a, b)

// Returns from the current function when `expr` (a Status) is not ok.
#define LODE_RETURN_IF_ERROR(expr)                     \
  do {                                                 \
    ::lode::Status lode_status_ = (expr);              \
    if (!lode_status_.ok()) return lode_status_;       \
  } while (0)

// `LODE_ASSIGN_OR_RETURN(auto x, MakeX());` declares x from a StatusOr, or returns
// its error from the current function.
#define LODE_ASSIGN_OR_RETURN(lhs, expr) \
  LODE_ASSIGN_OR_RETURN_IMPL_(LODE_STATUS_CONCAT_(lode_statusor_, __LINE__), lhs, expr)
#define LODE_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                                \
  if (!tmp.ok()) return tmp.status();               \
  lhs = std::move(tmp).value()
