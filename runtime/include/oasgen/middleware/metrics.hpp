// Prometheus metrics: a small registry (counters, gauges, histograms, with labels) and the
// `Metrics` middleware, which measures every response by method, route template and status and
// serves the registry in the Prometheus text format (0.0.4) at `/metrics`.
//
//   auto metrics = std::make_shared<oasgen::Metrics>();
//   router.use(metrics);                       // first, so that it sees every response
//   oasgen::Server server(router, options);
//   metrics->track_connections(server);        // http_server_open_connections
//   auto& jobs = metrics->registry().counter("app_jobs_total", "Jobs run.", {"kind"});
//   jobs.with({"import"}).inc();
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "oasgen/middleware.hpp"

namespace oasgen {

class Server;

namespace prometheus {

/// The media type of the text exposition format.
inline constexpr std::string_view kContentType = "text/plain; version=0.0.4; charset=utf-8";

/// A double that many threads add to (C++17 has no atomic<double>::fetch_add).
class AtomicDouble {
 public:
  void add(double amount) {
    double old = value_.load(std::memory_order_relaxed);
    while (!value_.compare_exchange_weak(old, old + amount, std::memory_order_relaxed)) {
    }
  }
  void set(double value) { value_.store(value, std::memory_order_relaxed); }
  double get() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

/// A value that only goes up (requests, errors). Lock-free.
class Counter {
 public:
  void inc(double amount = 1) {
    if (amount > 0) value_.add(amount);
  }
  double value() const { return value_.get(); }

 private:
  AtomicDouble value_;
};

/// A value that goes up and down (requests in flight, queue length). Lock-free.
class Gauge {
 public:
  void set(double value) { value_.set(value); }
  void inc(double amount = 1) { value_.add(amount); }
  void dec(double amount = 1) { value_.add(-amount); }
  double value() const { return value_.get(); }

 private:
  AtomicDouble value_;
};

/// Counts observations into buckets with upper bounds; lock-free (one atomic per bucket and
/// shard: each thread counts into a shard of its own, which snapshots add up).
class Histogram {
 public:
  /// `bounds`: strictly increasing finite upper bounds; the +Inf bucket is implied.
  explicit Histogram(std::vector<double> bounds);

  void observe(double value);

  struct Snapshot {
    std::vector<std::uint64_t> cumulative;  ///< per bound, then +Inf (which equals `count`)
    double sum = 0;
    std::uint64_t count = 0;
  };
  /// The buckets as Prometheus shows them, consistent with each other (`count` is their total).
  Snapshot snapshot() const;
  const std::vector<double>& bounds() const { return bounds_; }

 private:
  // Threads that shared one set of atomics passed its cache lines back and forth on every
  // observation; a shard is whole cache lines: its buckets (not cumulative; last: +Inf), then the
  // sum's bits.
  static constexpr std::size_t kShards = 4;
  struct alignas(64) Line {
    std::atomic<std::uint64_t> cells[8];
  };
  std::atomic<std::uint64_t>& cell(std::size_t shard, std::size_t index) const {
    return lines_[shard * lines_per_shard_ + index / 8].cells[index % 8];
  }
  static std::size_t this_thread_shard();

  std::vector<double> bounds_;
  std::size_t lines_per_shard_;
  std::unique_ptr<Line[]> lines_;
};

namespace detail {
void write_value(std::string& out, const std::string& name, const std::string& labels,
                 const Counter& metric);
void write_value(std::string& out, const std::string& name, const std::string& labels,
                 const Gauge& metric);
void write_value(std::string& out, const std::string& name, const std::string& labels,
                 const Histogram& metric);
/// `{a="1",b="2"}` (values escaped), or "" without labels.
std::string label_text(const std::vector<std::string>& names,
                       const std::vector<std::string>& values);
}  // namespace detail

/// One metric name with its help, type and label names, and a series per set of label values.
class FamilyBase {
 public:
  FamilyBase(std::string name, std::string help, std::string type,
             std::vector<std::string> label_names)
      : name_(std::move(name)), help_(std::move(help)), type_(std::move(type)),
        label_names_(std::move(label_names)) {}
  virtual ~FamilyBase() = default;
  const std::string& name() const { return name_; }
  const std::vector<std::string>& label_names() const { return label_names_; }
  /// Appends `# HELP`, `# TYPE` and every series, sorted by label values.
  void write(std::string& out) const;

 protected:
  virtual void write_series(std::string& out) const = 0;
  std::string name_, help_, type_;
  std::vector<std::string> label_names_;
};

template <class Metric>
class Family : public FamilyBase {
 public:
  Family(std::string name, std::string help, std::string type, std::vector<std::string> labels,
         std::function<std::unique_ptr<Metric>()> make)
      : FamilyBase(std::move(name), std::move(help), std::move(type), std::move(labels)),
        make_(std::move(make)) {}

  /// The series with these label values (in the order of the label names), made on first use.
  /// The reference stays valid as long as the registry: keep it rather than looking it up per
  /// event. Throws std::invalid_argument when the number of values is wrong.
  Metric& with(const std::vector<std::string>& values) {
    if (values.size() != label_names_.size()) {
      throw std::invalid_argument("metric " + name_ + " takes " +
                                  std::to_string(label_names_.size()) + " label values");
    }
    {
      std::shared_lock lock(mutex_);
      if (auto it = series_.find(values); it != series_.end()) return *it->second;
    }
    std::unique_lock lock(mutex_);
    auto& slot = series_[values];
    if (!slot) slot = make_();
    return *slot;
  }

 private:
  void write_series(std::string& out) const override {
    std::shared_lock lock(mutex_);
    for (const auto& [values, metric] : series_) {
      detail::write_value(out, name_, detail::label_text(label_names_, values), *metric);
    }
  }

  std::function<std::unique_ptr<Metric>()> make_;
  mutable std::shared_mutex mutex_;
  std::map<std::vector<std::string>, std::unique_ptr<Metric>> series_;
};

/// The metrics of a process, rendered in the text format. Thread-safe. Names follow Prometheus
/// (`[a-zA-Z_:][a-zA-Z0-9_:]*`, counters end in `_total`, base units such as `_seconds`).
class Registry {
 public:
  /// Each throws std::invalid_argument for an invalid or already registered name or label name.
  Family<Counter>& counter(std::string name, std::string help,
                           std::vector<std::string> label_names = {});
  Family<Gauge>& gauge(std::string name, std::string help,
                       std::vector<std::string> label_names = {});
  Family<Histogram>& histogram(std::string name, std::string help, std::vector<double> bounds,
                               std::vector<std::string> label_names = {});
  /// A gauge without labels whose value `read` gives at each scrape (e.g. open connections).
  void gauge_callback(std::string name, std::string help, std::function<double()> read);
  /// A family that keeps its series itself and writes them in `write_series` (values kept
  /// elsewhere, such as per thread). Throws std::invalid_argument as the others do.
  FamilyBase& add(std::unique_ptr<FamilyBase> family);

  /// Every family, sorted by name, in the text exposition format 0.0.4.
  std::string text() const;

 private:
  void check(const std::string& name, const std::vector<std::string>& label_names) const;

  mutable std::mutex mutex_;
  std::map<std::string, std::unique_ptr<FamilyBase>> families_;
};

/// OpenTelemetry's semantic-convention buckets for `http.server.request.duration`, in seconds.
const std::vector<double>& duration_buckets();
/// Powers of four from 64 B to 16 MiB, with 0 for empty bodies: body sizes in bytes.
const std::vector<double>& size_buckets();

}  // namespace prometheus

struct MetricsOptions {
  /// Where the text format is served (GET and HEAD, before routing, so neither authenticated nor
  /// counted); empty: not served, read `Metrics::registry().text()` yourself.
  std::string path = "/metrics";
};

/// Measures every response that passes through the router, by `http_request_method` (the method,
/// or `_OTHER` for one HTTP does not define), `http_route` (the template, "" when no route
/// matched) and `http_response_status_code`:
///   http_server_request_duration_seconds       histogram (OpenTelemetry buckets)
///   http_server_request_body_size_bytes        histogram
///   http_server_response_body_size_bytes       histogram
///   http_server_active_requests                gauge, by method
///   oasgen_auth_rejections_total               counter: 401/403 of the security stage, by route
///                                              and `reason` (unauthenticated, invalid_credential,
///                                              insufficient_scope)
///   oasgen_rate_limit_rejections_total         counter: 429 answers, by route
///   http_server_open_connections               gauge, after `track_connections`
/// Use it first in the chain (before `RequestIds` too): it then sees the final response, and what
/// the other middleware answer.
class Metrics : public Middleware {
 public:
  explicit Metrics(MetricsOptions options = {});
  /// Shares an application's registry, whose metrics are then served at the same path.
  Metrics(std::shared_ptr<prometheus::Registry> registry, MetricsOptions options = {});
  ~Metrics() override;

  std::optional<Response> before_routing(Request& request) override;
  void on_response(const Request& request, Response& response) override;

  prometheus::Registry& registry() { return *registry_; }
  /// Reports `server.open_connections()` as `http_server_open_connections` at each scrape. Call
  /// once, before serving; the server must outlive the scrapes.
  void track_connections(const Server& server);
  /// The same, from any count (e.g. several servers, or a test).
  void track_connections(std::function<double()> count);

 private:
  struct Impl;
  std::shared_ptr<prometheus::Registry> registry_;
  MetricsOptions options_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace oasgen
