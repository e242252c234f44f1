// lode/registry.h — how a plugin tells lode which stages it provides.
//
// A plugin's registration function (plugin.h) receives a Registry and adds each
// stage explicitly: its name, one-line summary, parameters, the tables it
// writes, and a factory that builds it from a validated Config.
//
//   lode::Status RegisterStages(lode::Registry& registry) {
//     lode::StageInfo info;
//     info.name = "extract.budget";
//     info.summary = "Budget lines per project (项目 … 投资 … 亿元).";
//     info.kind = lode::StageKind::kTransform;
//     info.execution = lode::Execution::kParallel;
//     info.params = {lode::ParamSpec::Int("min_digits", 2, "Shortest number kept.")};
//     info.tables = {BudgetTable()};
//     info.make_transform = [](const lode::Config& c, const lode::SetupContext&)
//         -> lode::StatusOr<std::unique_ptr<lode::Transform>> {
//       return std::unique_ptr<lode::Transform>(new BudgetStage(c));
//     };
//     return registry.Add(std::move(info));
//   }
//
// `Registry::Add` is inline: it wraps the factory and the stage it builds in
// guards compiled into the plugin itself, so an exception thrown by plugin code
// becomes an Internal status before it can cross into the host.
#pragma once

#include <exception>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "lode/params.h"
#include "lode/stage.h"
#include "lode/status.h"
#include "lode/table.h"

namespace lode {

enum class StageKind { kSource, kTransform, kSink };

// "source", "transform", "sink".
std::string_view StageKindName(StageKind kind);

using SourceFactory =
    std::function<StatusOr<std::unique_ptr<Source>>(const Config&, const SetupContext&)>;
using TransformFactory =
    std::function<StatusOr<std::unique_ptr<Transform>>(const Config&, const SetupContext&)>;
using SinkFactory =
    std::function<StatusOr<std::unique_ptr<Sink>>(const Config&, const SetupContext&)>;

// Everything lode knows about a stage before it builds one.
struct StageInfo {
  std::string name;     // "family.what": "dedup.near"; unique across all plugins
  std::string summary;  // one line, shown by `lode plugins`
  std::string doc;      // longer description, shown by `lode plugins describe`
  StageKind kind = StageKind::kTransform;
  Execution execution = Execution::kParallel;  // transforms only
  std::vector<ParamSpec> params;
  std::vector<TableSchema> tables;  // every table the stage writes
  // Exactly one, matching `kind`.
  SourceFactory make_source;
  TransformFactory make_transform;
  SinkFactory make_sink;
};

namespace internal {

inline Status StatusFromCurrentException(const std::string& what) {
  try {
    throw;
  } catch (const std::exception& e) {
    return InternalError(what + " threw: " + e.what());
  } catch (...) {
    return InternalError(what + " threw an exception that is not a std::exception");
  }
}

// Guards live in this header so that they are compiled into each plugin.
class GuardedSource final : public Source {
 public:
  explicit GuardedSource(std::unique_ptr<Source> s) : s_(std::move(s)) {}
  Status Open() override {
    try { return s_->Open(); } catch (...) { return StatusFromCurrentException("Open"); }
  }
  std::optional<uint64_t> ExpectedBytes() const override {
    try { return s_->ExpectedBytes(); } catch (...) { return std::nullopt; }
  }
  StatusOr<bool> Next(Document& d) override {
    try { return s_->Next(d); } catch (...) { return StatusFromCurrentException("Next"); }
  }
  Status Decode(Document& d) const override {
    try { return s_->Decode(d); } catch (...) { return StatusFromCurrentException("Decode"); }
  }

 private:
  std::unique_ptr<Source> s_;
};

class GuardedTransform final : public Transform {
 public:
  explicit GuardedTransform(std::unique_ptr<Transform> t) : t_(std::move(t)) {}
  Status Process(Document& d) override {
    try { return t_->Process(d); } catch (...) { return StatusFromCurrentException("Process"); }
  }
  Status Finish(std::vector<TableRow>& rows) override {
    try { return t_->Finish(rows); } catch (...) { return StatusFromCurrentException("Finish"); }
  }
  std::vector<std::string> Summary() const override {
    try { return t_->Summary(); } catch (...) { return {}; }
  }

 private:
  std::unique_ptr<Transform> t_;
};

class GuardedSink final : public Sink {
 public:
  explicit GuardedSink(std::unique_ptr<Sink> s) : s_(std::move(s)) {}
  Status Open(const OutputContext& c) override {
    try { return s_->Open(c); } catch (...) { return StatusFromCurrentException("Open"); }
  }
  Status Write(const Document& d) override {
    try { return s_->Write(d); } catch (...) { return StatusFromCurrentException("Write"); }
  }
  Status Close(const std::vector<TableRow>& rows) override {
    try { return s_->Close(rows); } catch (...) { return StatusFromCurrentException("Close"); }
  }
  void Abort() override {
    try { s_->Abort(); } catch (...) {}
  }
  std::vector<std::string> Written() const override {
    try { return s_->Written(); } catch (...) { return {}; }
  }
  std::vector<std::string> Summary() const override {
    try { return s_->Summary(); } catch (...) { return {}; }
  }

 private:
  std::unique_ptr<Sink> s_;
};

template <typename Base, typename Guarded, typename Factory>
Factory GuardFactory(Factory inner) {
  if (!inner) return inner;
  return [inner = std::move(inner)](const Config& c, const SetupContext& s)
             -> StatusOr<std::unique_ptr<Base>> {
    try {
      auto made = inner(c, s);
      if (!made.ok()) return made.status();
      if (*made == nullptr) return InternalError("the factory returned no stage");
      return std::unique_ptr<Base>(new Guarded(std::move(*made)));
    } catch (...) {
      return StatusFromCurrentException("the factory");
    }
  };
}

}  // namespace internal

// The host's list of stages, as a plugin sees it during registration. Not
// thread-safe; only valid during the registration call.
class Registry {
 public:
  virtual ~Registry() = default;

  // Adds a stage. Refused (and nothing added) when the name is taken, a
  // parameter or column has no doc string, or the factory does not match the
  // kind; the message says which.
  Status Add(StageInfo info) {
    info.make_source = internal::GuardFactory<Source, internal::GuardedSource>(
        std::move(info.make_source));
    info.make_transform = internal::GuardFactory<Transform, internal::GuardedTransform>(
        std::move(info.make_transform));
    info.make_sink =
        internal::GuardFactory<Sink, internal::GuardedSink>(std::move(info.make_sink));
    return AddGuarded(std::move(info));
  }

 protected:
  virtual Status AddGuarded(StageInfo info) = 0;
};

}  // namespace lode
