#include "oasgen/middleware/access_log.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstring>
#include <ctime>
#include <system_error>

#include "oasgen/context.hpp"
#include "oasgen/operation.hpp"
#include "../json_text.hpp"

namespace oasgen {
namespace {

// RFC 3339, UTC, milliseconds: 2025-01-31T12:00:00.123Z. The date and time up to the second are
// kept from the previous call on this thread: lines come in bursts within one second.
// At most 85 characters; returns the end.
char* put_rfc3339(char* at, std::int64_t time_ms) {
  std::int64_t seconds = time_ms / 1000, millis = time_ms % 1000;
  if (millis < 0) {
    millis += 1000;
    seconds -= 1;
  }
  thread_local std::int64_t cached_second = -1;
  thread_local char cached[80];  // "YYYY-MM-DDTHH:MM:SS", room for any int the fields could hold
  thread_local std::size_t cached_length = 0;
  if (seconds != cached_second || cached_second == -1) {
    const std::time_t time = static_cast<std::time_t>(seconds);
    std::tm tm{};
    gmtime_r(&time, &tm);
    const int length = std::snprintf(cached, sizeof cached, "%04d-%02d-%02dT%02d:%02d:%02d",
                                     tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
                                     tm.tm_min, tm.tm_sec);
    cached_length = std::min(static_cast<std::size_t>(std::max(length, 0)), sizeof cached - 1);
    cached_second = seconds;
  }
  std::memcpy(at, cached, cached_length);
  at += cached_length;
  *at++ = '.';
  *at++ = static_cast<char>('0' + millis / 100);
  *at++ = static_cast<char>('0' + millis / 10 % 10);
  *at++ = static_cast<char>('0' + millis % 10);
  *at++ = 'Z';
  return at;
}

void append_rfc3339(std::string& out, std::int64_t time_ms) {
  char text[96];
  out.append(text, static_cast<std::size_t>(put_rfc3339(text, time_ms) - text));
}

std::string rfc3339(std::int64_t time_ms) {
  std::string out;
  append_rfc3339(out, time_ms);
  return out;
}

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string dump(const nlohmann::ordered_json& line) {
  // Subjects or methods that are not UTF-8 are replaced rather than making the line invalid.
  return line.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + '\n';
}

void append_member(std::string& out, std::string_view name, std::string_view text) {
  out += ",\"";
  out += name;
  out += "\":";
  if (text.empty()) {
    out += "null";
  } else {
    detail::append_json_string(out, text);
  }
}

template <class Int>
void append_number(std::string& out, std::string_view name, Int value) {
  out += ",\"";
  out += name;
  out += "\":";
  char digits[24];
  const auto end = std::to_chars(digits, digits + sizeof digits, value).ptr;
  out.append(digits, static_cast<std::size_t>(end - digits));
}

// What a line says, viewed where it lies (an `Entry`, or the request and response themselves).
struct Fields {
  std::int64_t time_ms;
  std::string_view method, route, operation_id, remote, request_id, trace_id, principal;
  int status;
  std::int64_t duration_us;
  std::size_t bytes_in, bytes_out;
};

bool plain(std::string_view text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return c >= 0x20 && c < 0x7f && c != '"' && c != '\\'; });
}

// Built by hand rather than through a JSON DOM: every response formats a line.
void append_line_slowly(std::string& line, const Fields& fields) {
  line += "{\"time\":\"";
  append_rfc3339(line, fields.time_ms);
  line += '"';
  line += ",\"method\":";
  detail::append_json_string(line, fields.method);
  append_member(line, "route", fields.route);
  append_member(line, "operation_id", fields.operation_id);
  append_number(line, "status", fields.status);
  append_number(line, "duration_us", fields.duration_us);
  append_number(line, "bytes_in", fields.bytes_in);
  append_number(line, "bytes_out", fields.bytes_out);
  append_member(line, "remote", fields.remote);
  append_member(line, "request_id", fields.request_id);
  append_member(line, "trace_id", fields.trace_id);
  append_member(line, "principal", fields.principal);
  line += "}\n";
}

char* put(char* at, std::string_view text) {
  std::memcpy(at, text.data(), text.size());
  return at + text.size();
}

// A member whose text needs no escaping (checked by the caller), or null when it is empty.
char* put_member(char* at, std::string_view name, std::string_view text) {
  at = put(at, name);
  if (text.empty()) return put(at, "null");
  *at++ = '"';
  at = put(at, text);
  *at++ = '"';
  return at;
}

template <class Int>
char* put_number(char* at, std::string_view name, Int value) {
  return std::to_chars(put(at, name), at + name.size() + 24, value).ptr;
}

// The same text as `append_line_slowly`. When no field needs escaping (nearly every line), the
// line is sized once and filled by copies: std::string::append, a call into the library each
// time, cost more than the copies themselves.
void append_line(std::string& line, const Fields& fields) {
  const std::string_view texts[] = {fields.method,     fields.route,    fields.operation_id,
                                    fields.remote,     fields.request_id, fields.trace_id,
                                    fields.principal};
  std::size_t most = 400;  // the names, punctuation, time and numbers, with room to spare
  for (std::string_view text : texts) {
    if (!plain(text)) return append_line_slowly(line, fields);
    most += text.size();
  }
  const std::size_t start = line.size();
  line.resize(start + most);
  char* at = line.data() + start;
  at = put(at, "{\"time\":\"");
  at = put_rfc3339(at, fields.time_ms);
  at = put(at, "\",\"method\":\"");
  at = put(at, fields.method);
  at = put(at, "\"");
  at = put_member(at, ",\"route\":", fields.route);
  at = put_member(at, ",\"operation_id\":", fields.operation_id);
  at = put_number(at, ",\"status\":", fields.status);
  at = put_number(at, ",\"duration_us\":", fields.duration_us);
  at = put_number(at, ",\"bytes_in\":", fields.bytes_in);
  at = put_number(at, ",\"bytes_out\":", fields.bytes_out);
  at = put_member(at, ",\"remote\":", fields.remote);
  at = put_member(at, ",\"request_id\":", fields.request_id);
  at = put_member(at, ",\"trace_id\":", fields.trace_id);
  at = put_member(at, ",\"principal\":", fields.principal);
  at = put(at, "}\n");
  line.resize(static_cast<std::size_t>(at - line.data()));
}

// How long the writer gathers lines before it writes them: under load, one batch and one write
// serve many lines, and requests seldom have to wake the writer.
constexpr std::chrono::milliseconds kBatchDelay{10};

}  // namespace

std::string AccessLog::format(const Entry& entry) {
  std::string line;
  line.reserve(320);
  append_line(line, Fields{entry.time_ms, entry.method, entry.route, entry.operation_id,
                           entry.remote, entry.request_id, entry.trace_id, entry.principal,
                           entry.status, entry.duration_us, entry.bytes_in, entry.bytes_out});
  return line;
}

struct AccessLog::Buffer {
  alignas(64) std::mutex mutex;
  std::string lines;  // formatted, each ending in '\n'
  std::size_t count = 0;
};

namespace {

// Threads numbered as they first log: the workers of a server land in different buffers.
std::size_t this_thread_buffer(std::size_t buffers) {
  static std::atomic<std::size_t> next{0};
  thread_local const std::size_t number = next.fetch_add(1, std::memory_order_relaxed);
  return number % buffers;
}

}  // namespace

AccessLog::AccessLog(AccessLogOptions options)
    : options_(std::move(options)), buffers_(std::make_unique<Buffer[]>(kBuffers)) {
  if (!options_.sink) {
    if (options_.file.empty()) {
      file_ = stderr;
    } else {
      file_ = std::fopen(options_.file.c_str(), "a");
      if (file_ == nullptr) {
        throw std::system_error(errno, std::generic_category(),
                                "cannot open the access log " + options_.file);
      }
    }
  }
  if (options_.queue_capacity == 0) options_.queue_capacity = 1;
  writer_ = std::thread([this] { run(); });
}

AccessLog::~AccessLog() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_one();
  writer_.join();
  if (file_ != nullptr && file_ != stderr) std::fclose(file_);
}

void AccessLog::on_response(const Request& request, Response& response) {
  std::int64_t duration_us = 0;
  if (request.received != std::chrono::steady_clock::time_point{}) {
    duration_us = std::chrono::duration_cast<std::chrono::microseconds>(
                      std::chrono::steady_clock::now() - request.received)
                      .count();
  }
  // The router drops a HEAD response's body after the middleware has run.
  const std::size_t bytes_out = request.method == "HEAD" ? 0 : response.body.size();
  const Fields fields{now_ms(), request.method, request.route,
                      request.operation != nullptr ? request.operation->operation_id
                                                   : std::string_view(),
                      request.remote_address, request.request_id, request.trace.trace_id,
                      request.principal ? request.principal->subject() : std::string_view(),
                      response.status, duration_us, request.body.size(), bytes_out};
  Buffer& buffer = buffers_[this_thread_buffer(kBuffers)];
  bool half_full = false;
  {
    // Formatted straight into this thread's buffer (the writer takes the lock only to swap it):
    // copying the fields for the writer to format, or a formatted line into the buffer, cost more.
    std::lock_guard lock(buffer.mutex);
    if (buffer.count >= options_.queue_capacity) {
      dropped_.fetch_add(1);
      return;
    }
    append_line(buffer.lines, fields);
    half_full = ++buffer.count == (options_.queue_capacity + 1) / 2;
  }
  // The writer is woken from its idle wait, or early from gathering a batch when a buffer is
  // half full; otherwise it looks at the buffers again before it goes idle.
  if (half_full || writer_idle_.load()) wake_writer();
}

void AccessLog::wake_writer() {
  {
    std::lock_guard lock(mutex_);
    wake_requested_ = true;
  }
  wake_.notify_one();
}

void AccessLog::flush() {
  std::unique_lock lock(mutex_);
  // A pass that starts after this call takes every line logged before it.
  const std::uint64_t target = passes_started_ + 1;
  flush_target_ = std::max(flush_target_, target);
  wake_.notify_one();
  written_.wait(lock, [&] { return passes_done_ >= target; });
}

void AccessLog::write(std::string_view lines) {
  if (options_.sink) {
    try {
      options_.sink(lines);
    } catch (...) {
      // A failing destination loses lines, never the writer thread.
    }
    return;
  }
  std::fwrite(lines.data(), 1, lines.size(), file_);
  std::fflush(file_);
}

bool AccessLog::has_lines() {
  for (std::size_t i = 0; i < kBuffers; ++i) {
    std::lock_guard lock(buffers_[i].mutex);
    if (buffers_[i].count > 0) return true;
  }
  return false;
}

void AccessLog::run() {
  // Each buffer's storage trades places with one of these: a busy log stops allocating.
  std::string taken[kBuffers];
  std::unique_lock lock(mutex_);
  while (true) {
    const auto due = [&] { return stop_ || wake_requested_ || flush_target_ > passes_started_; };
    if (!due()) {
      // Idle: announce it first, then look. A line appended after the look sees the flag (the
      // buffer's lock orders them) and wakes the writer.
      writer_idle_.store(true);
      lock.unlock();
      const bool lines = has_lines();
      lock.lock();
      if (!lines) wake_.wait(lock, due);
      writer_idle_.store(false);
      wake_requested_ = false;
      // Lines arriving meanwhile join this batch: one write for many, and no futex call each.
      wake_.wait_for(lock, kBatchDelay, due);
    }
    wake_requested_ = false;
    const std::uint64_t pass = ++passes_started_;
    const bool stopping = stop_;
    lock.unlock();
    std::size_t count = 0;
    for (std::size_t i = 0; i < kBuffers; ++i) {
      Buffer& buffer = buffers_[i];
      {
        std::lock_guard buffer_lock(buffer.mutex);
        buffer.lines.swap(taken[i]);
        count += buffer.count;
        buffer.count = 0;
      }
      if (!taken[i].empty()) write(taken[i]);
      taken[i].clear();
    }
    const std::uint64_t dropped = dropped_.load();
    if (dropped != reported_) {
      nlohmann::ordered_json line;
      line["time"] = rfc3339(now_ms());
      line["event"] = "access_log_dropped";
      line["dropped"] = dropped - reported_;
      reported_ = dropped;
      write(dump(line));
    }
    lock.lock();
    passes_done_ = pass;
    written_.notify_all();
    if (stopping && count == 0 && dropped_.load() == reported_) break;
  }
}

}  // namespace oasgen
