// Independent pieces of work (parsing, rendering) on several threads, with results that do not
// depend on them.
#pragma once

#include <algorithm>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <system_error>
#include <thread>
#include <vector>

namespace oasgen {

/// std::thread::hardware_concurrency(), at least 1.
inline std::size_t default_threads() { return std::max(1u, std::thread::hardware_concurrency()); }

/// `threads`, or `default_threads()` for 0: what every stage's thread option means.
inline std::size_t resolve_threads(std::size_t threads) {
  return threads == 0 ? default_threads() : threads;
}

/// Tasks run first come, first served on at most `threads` threads (the one calling run() among
/// them); a task may add more. Tasks write only to slots of their own, so what they produce does
/// not depend on the number of threads; with one, they run in the order added.
class TaskPool {
 public:
  explicit TaskPool(std::size_t threads) : threads_(std::max<std::size_t>(1, threads)) {}

  std::size_t threads() const { return threads_; }

  void add(std::function<void()> task) {
    {
      std::lock_guard lock(mutex_);
      queue_.push_back(std::move(task));
    }
    ready_.notify_one();
  }

  /// Runs the tasks until none is left or running. A task's exception (a bug: errors in the input
  /// are results) is rethrown here once the others have finished.
  void run() {
    std::vector<std::thread> helpers;
    for (std::size_t t = 1; t < threads_; ++t) {
      try {
        helpers.emplace_back([this] { work(); });
      } catch (const std::system_error&) {
        break;  // no more threads to be had: the ones running take every task
      }
    }
    work();
    for (auto& helper : helpers) helper.join();
    if (error_) std::rethrow_exception(error_);
  }

 private:
  void work() {
    std::unique_lock lock(mutex_);
    while (true) {
      ready_.wait(lock, [this] { return !queue_.empty() || running_ == 0; });
      if (queue_.empty()) break;  // nothing queued and nothing running to queue more
      auto task = std::move(queue_.front());
      queue_.pop_front();
      ++running_;
      lock.unlock();
      try {
        task();
      } catch (...) {
        std::lock_guard error_lock(error_mutex_);
        if (!error_) error_ = std::current_exception();
      }
      task = nullptr;  // what it holds goes before the next task starts
      lock.lock();
      --running_;
      if (running_ == 0 && queue_.empty()) ready_.notify_all();
    }
  }

  std::size_t threads_;
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<std::function<void()>> queue_;
  std::size_t running_ = 0;
  std::mutex error_mutex_;
  std::exception_ptr error_;
};

}  // namespace oasgen
