// The access log: one JSON object per line for every response the router makes, written by a
// thread of its own so that a slow disk or terminal never holds up a request.
//
//   router.use(std::make_shared<oasgen::AccessLog>());  // to stderr
//   oasgen::AccessLogOptions options;
//   options.file = "/var/log/petstore/access.log";
//   router.use(std::make_shared<oasgen::AccessLog>(options));
//
// A line (one per response; fields that do not apply are null):
//   {"time":"2025-01-31T12:00:00.123Z","method":"GET","route":"/pets/{petId}",
//    "operation_id":"getPet","status":200,"duration_us":182,"bytes_in":0,"bytes_out":61,
//    "remote":"127.0.0.1:50312","request_id":"6f1c0c2a9e0b4d17",
//    "trace_id":"4bf92f3577b34da6a3ce929d0e0e4736","principal":"alice"}
// It never holds a credential, a cookie, a query string or a body: the route is the template, not
// the target, and the caller is named by the subject security established.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include "oasgen/middleware.hpp"

namespace oasgen {

struct AccessLogOptions {
  /// Appends to this file (created if need be); empty: standard error.
  std::string file;
  /// Lines waiting for the writer at most, per buffer (each serving thread writes into one of 8
  /// buffers); past that, lines are dropped and counted.
  std::size_t queue_capacity = 8192;
  /// Takes each batch of lines (each ending in '\n') instead of the file: another destination, or
  /// a test. Runs on the writer thread.
  std::function<void(std::string_view lines)> sink;
};

/// Logs in `on_response`, which formats the line and appends it to its thread's buffer; a writer
/// thread writes the buffers, in batches gathered for up to 10 ms (a line is written about 10 ms
/// after its response). Each thread's lines stay in order; lines of different threads within a
/// batch are not interleaved by time (each line has its `time`). A full buffer drops the line
/// (see `dropped()`, and a `{"event":"access_log_dropped"}` line is written when the writer
/// catches up) rather than making the request wait. The destructor writes what is queued and
/// flushes. Use it first in the chain (before `RequestIds` too): it then sees the final response,
/// and what the other middleware answer.
///
/// `oasgen::ServerOptions::access_log` stays: it is called by the transport, also for requests
/// that never reach the router (malformed, too large: 400, 413, 431).
class AccessLog : public Middleware {
 public:
  /// Throws std::system_error when `options.file` cannot be opened.
  explicit AccessLog(AccessLogOptions options = {});
  ~AccessLog() override;
  AccessLog(const AccessLog&) = delete;
  AccessLog& operator=(const AccessLog&) = delete;

  void on_response(const Request& request, Response& response) override;

  /// Blocks until every line queued so far is written (tests, and before a planned exit).
  void flush();
  /// Lines dropped because the queue was full.
  std::uint64_t dropped() const { return dropped_.load(); }

  /// What one line says; `format` turns it into the JSON line.
  struct Entry {
    std::int64_t time_ms = 0;  ///< milliseconds since the Unix epoch, UTC
    std::string method, route, operation_id, remote, request_id, trace_id, principal;
    int status = 0;
    std::int64_t duration_us = 0;
    std::size_t bytes_in = 0, bytes_out = 0;
  };
  /// The JSON line of `entry`, '\n' included.
  static std::string format(const Entry& entry);

 private:
  // One per serving thread (threads share one past 8): two workers appending to one buffer under
  // one lock made each request wait for the other's (the lock's and the buffer's cache lines moved
  // between cores on every response), which cost more over HTTP than formatting the line.
  struct Buffer;
  static constexpr std::size_t kBuffers = 8;

  void run();
  bool has_lines();
  void wake_writer();
  void write(std::string_view lines);

  AccessLogOptions options_;
  std::FILE* file_ = nullptr;  // owned when options_.file is set; else stderr
  std::unique_ptr<Buffer[]> buffers_;
  std::mutex mutex_;                 // the writer's state below
  std::condition_variable wake_;     // the writer: lines, a flush or stop
  std::condition_variable written_;  // flush(): the writer finished a pass
  std::uint64_t passes_started_ = 0;  // the writer's passes over every buffer
  std::uint64_t passes_done_ = 0;
  std::uint64_t flush_target_ = 0;  // flush() waits for the pass of this number
  std::uint64_t reported_ = 0;      // drops already reported in the log
  bool stop_ = false;
  bool wake_requested_ = false;  // a line arrived while the writer was idle, or a buffer filled up
  alignas(64) std::atomic<bool> writer_idle_{false};  // read on every response: a line of its own
  std::atomic<std::uint64_t> dropped_{0};
  std::thread writer_;
};

}  // namespace oasgen
