// lode/pool.h — one private copy of a non-thread-safe object per concurrent call.
//
// A parallel stage is called from many threads at once, but some objects it
// needs are not thread-safe (ICU's break iterators, transliterators, …). A
// ClonePool keeps one prototype, built at construction, and lends each call a
// copy made from it, taking the copy back for the next call: as many copies
// exist as calls ever ran at the same time, and none is shared.
//
//   ClonePool<icu::BreakIterator> pool(std::move(prototype));
//   std::unique_ptr<icu::BreakIterator> it = pool.Acquire();
//   ... use it for this call only ...
//   pool.Release(std::move(it));
//
// T must have `T* clone() const` returning a new object (ICU's classes do).
// Acquire and Release are thread-safe.
#pragma once

#include <memory>
#include <mutex>
#include <utility>
#include <vector>

namespace lode {

template <typename T>
class ClonePool {
 public:
  explicit ClonePool(std::unique_ptr<T> prototype) : prototype_(std::move(prototype)) {}

  // A copy free for this call: a returned one, or a new clone of the prototype.
  std::unique_ptr<T> Acquire() {
    std::lock_guard<std::mutex> lock(mu_);
    if (free_.empty()) return std::unique_ptr<T>(prototype_->clone());
    std::unique_ptr<T> copy = std::move(free_.back());
    free_.pop_back();
    return copy;
  }

  // Gives a copy back for later calls.
  void Release(std::unique_ptr<T> copy) {
    std::lock_guard<std::mutex> lock(mu_);
    free_.push_back(std::move(copy));
  }

 private:
  std::mutex mu_;
  std::unique_ptr<T> prototype_;
  std::vector<std::unique_ptr<T>> free_;
};

}  // namespace lode
