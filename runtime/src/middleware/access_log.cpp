#include "oasgen/middleware/access_log.hpp"

#include <nlohmann/json.hpp>

#include <cerrno>
#include <chrono>
#include <ctime>
#include <system_error>
#include <vector>

#include "oasgen/context.hpp"
#include "oasgen/operation.hpp"
#include "../json_text.hpp"

namespace oasgen {
namespace {

// RFC 3339, UTC, milliseconds: 2025-01-31T12:00:00.123Z. The date and time up to the second are
// kept from the previous call: lines come in bursts within one second.
std::string rfc3339(std::int64_t time_ms) {
  std::int64_t seconds = time_ms / 1000, millis = time_ms % 1000;
  if (millis < 0) {
    millis += 1000;
    seconds -= 1;
  }
  thread_local std::int64_t cached_second = -1;
  thread_local char cached[80];  // "YYYY-MM-DDTHH:MM:SS", room for any int the fields could hold
  if (seconds != cached_second || cached_second == -1) {
    const std::time_t time = static_cast<std::time_t>(seconds);
    std::tm tm{};
    gmtime_r(&time, &tm);
    std::snprintf(cached, sizeof cached, "%04d-%02d-%02dT%02d:%02d:%02d", tm.tm_year + 1900,
                  tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
    cached_second = seconds;
  }
  char fraction[8];
  std::snprintf(fraction, sizeof fraction, ".%03dZ", static_cast<int>(millis));
  return std::string(cached) + fraction;
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
  out += std::to_string(value);
}

// How long the writer gathers lines before it writes them: under load, one batch and one write
// serve many lines, and requests seldom have to wake the writer.
constexpr std::chrono::milliseconds kBatchDelay{10};

}  // namespace

// Built by hand rather than through a JSON DOM: the writer formats every line, and on a busy
// server that thread competes with the workers for the processor.
std::string AccessLog::format(const Entry& entry) {
  std::string line;
  line.reserve(320);
  line += "{\"time\":\"";
  line += rfc3339(entry.time_ms);
  line += '"';
  line += ",\"method\":";
  detail::append_json_string(line, entry.method);
  append_member(line, "route", entry.route);
  append_member(line, "operation_id", entry.operation_id);
  append_number(line, "status", entry.status);
  append_number(line, "duration_us", entry.duration_us);
  append_number(line, "bytes_in", entry.bytes_in);
  append_number(line, "bytes_out", entry.bytes_out);
  append_member(line, "remote", entry.remote);
  append_member(line, "request_id", entry.request_id);
  append_member(line, "trace_id", entry.trace_id);
  append_member(line, "principal", entry.principal);
  line += "}\n";
  return line;
}

AccessLog::AccessLog(AccessLogOptions options) : options_(std::move(options)) {
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
  Entry entry;
  entry.time_ms = now_ms();
  entry.method = request.method;
  entry.route = std::string(request.route);
  if (request.operation != nullptr) {
    entry.operation_id = std::string(request.operation->operation_id);
  }
  entry.status = response.status;
  if (request.received != std::chrono::steady_clock::time_point{}) {
    entry.duration_us = std::chrono::duration_cast<std::chrono::microseconds>(
                            std::chrono::steady_clock::now() - request.received)
                            .count();
  }
  entry.bytes_in = request.body.size();
  // The router drops a HEAD response's body after the middleware has run.
  entry.bytes_out = request.method == "HEAD" ? 0 : response.body.size();
  entry.remote = request.remote_address;
  entry.request_id = request.request_id;
  entry.trace_id = request.trace.trace_id;
  if (request.principal) entry.principal = std::string(request.principal->subject());
  bool wake = false;
  {
    std::lock_guard lock(mutex_);
    if (queue_.size() >= options_.queue_capacity) {
      dropped_.fetch_add(1);
      return;
    }
    queue_.push_back(std::move(entry));
    ++queued_;
    // The writer is woken from its idle wait, or early from gathering a batch when the queue
    // fills; otherwise it looks at the queue again before sleeping.
    wake = writer_idle_ || queue_.size() == options_.queue_capacity / 2;
    writer_idle_ = false;
  }
  if (wake) wake_.notify_one();
}

void AccessLog::flush() {
  std::unique_lock lock(mutex_);
  const std::uint64_t target = queued_;
  flushing_ = true;
  wake_.notify_one();
  written_.wait(lock, [&] { return done_ >= target || stop_; });
  flushing_ = false;
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

void AccessLog::run() {
  std::deque<Entry> batch;
  std::unique_lock lock(mutex_);
  while (true) {
    if (!stop_ && queue_.empty()) {
      writer_idle_ = true;
      wake_.wait(lock, [&] { return stop_ || !queue_.empty(); });
      writer_idle_ = false;
    }
    // Lines arriving meanwhile join this batch: one write for many, and no futex call each.
    wake_.wait_for(lock, kBatchDelay, [&] {
      return stop_ || flushing_ || queue_.size() >= options_.queue_capacity / 2;
    });
    if (queue_.empty() && stop_ && dropped_.load() == reported_) break;
    batch.swap(queue_);
    const std::uint64_t dropped = dropped_.load();
    const std::uint64_t unreported = dropped - reported_;
    reported_ = dropped;
    lock.unlock();
    std::string lines;
    for (const Entry& entry : batch) lines += format(entry);
    if (unreported > 0) {
      nlohmann::ordered_json line;
      line["time"] = rfc3339(now_ms());
      line["event"] = "access_log_dropped";
      line["dropped"] = unreported;
      lines += dump(line);
    }
    write(lines);
    const std::size_t count = batch.size();
    batch.clear();
    lock.lock();
    done_ += count;
    written_.notify_all();
  }
}

}  // namespace oasgen
