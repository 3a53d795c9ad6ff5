// Independent pieces of rendering on several threads, with results that do not depend on them.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <system_error>
#include <thread>
#include <vector>

namespace oasgen::render {

/// std::thread::hardware_concurrency(), at least 1.
inline std::size_t default_threads() { return std::max(1u, std::thread::hardware_concurrency()); }

/// Calls `task(i)` once for each i < count, on at most `threads` threads (this one among them),
/// claiming indices in order. Tasks write only to their own slots, so what they produce is the same
/// on any number of threads. When tasks throw, the exception of the lowest index is rethrown once all
/// have finished.
template <typename Task>
void run_tasks(std::size_t count, std::size_t threads, const Task& task) {
  std::vector<std::exception_ptr> errors(count);
  std::atomic<std::size_t> next{0};
  auto work = [&] {
    for (std::size_t i = next++; i < count; i = next++) {
      try {
        task(i);
      } catch (...) {
        errors[i] = std::current_exception();
      }
    }
  };
  std::vector<std::thread> helpers;
  const std::size_t extra = std::min(threads, count) > 1 ? std::min(threads, count) - 1 : 0;
  helpers.reserve(extra);
  for (std::size_t t = 0; t < extra; ++t) {
    try {
      helpers.emplace_back(work);
    } catch (const std::system_error&) {
      break;  // no more threads to be had: the ones running take the remaining tasks
    }
  }
  work();
  for (auto& helper : helpers) helper.join();
  for (const auto& error : errors) {
    if (error) std::rethrow_exception(error);
  }
}

}  // namespace oasgen::render
