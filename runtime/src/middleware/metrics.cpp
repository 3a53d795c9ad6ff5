#include "oasgen/middleware/metrics.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstring>
#include <deque>
#include <unordered_map>

#include "oasgen/problem.hpp"
#include "oasgen/server.hpp"

namespace oasgen {
namespace prometheus {
namespace {

bool is_metric_name(std::string_view name) {
  if (name.empty() || (name[0] >= '0' && name[0] <= '9')) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '_' || c == ':';
  });
}

bool is_label_name(std::string_view name) {
  return is_metric_name(name) && name.find(':') == std::string_view::npos &&
         name.substr(0, 2) != "__";
}

// Go's strconv.FormatFloat(f, 'g', -1, 64) is what Prometheus writes; the shortest round-trip
// form parses the same.
void append_number(std::string& out, double value) {
  if (std::isnan(value)) {
    out += "NaN";
  } else if (std::isinf(value)) {
    out += value > 0 ? "+Inf" : "-Inf";
  } else {
    char buffer[32];
    auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
    out.append(buffer, result.ptr);
  }
}

void append_escaped(std::string& out, std::string_view text, bool quote) {
  for (char c : text) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '"' && quote) {
      out += "\\\"";
    } else {
      out += c;
    }
  }
}

}  // namespace

Histogram::Histogram(std::vector<double> bounds)
    : bounds_(std::move(bounds)),
      lines_per_shard_((bounds_.size() + 2 + 7) / 8),
      lines_(std::make_unique<Line[]>(kShards * lines_per_shard_)) {
  for (std::size_t i = 0; i < bounds_.size(); ++i) {
    if (!std::isfinite(bounds_[i]) || (i > 0 && bounds_[i] <= bounds_[i - 1])) {
      throw std::invalid_argument("histogram bounds must be finite and strictly increasing");
    }
  }
  for (std::size_t i = 0; i < kShards * lines_per_shard_; ++i) {
    for (auto& one : lines_[i].cells) one.store(0, std::memory_order_relaxed);
  }
}

std::size_t Histogram::this_thread_shard() {
  // Threads numbered as they first observe: two workers land in different shards.
  static std::atomic<std::size_t> next{0};
  thread_local const std::size_t shard = next.fetch_add(1, std::memory_order_relaxed) % kShards;
  return shard;
}

void Histogram::observe(double value) {
  const std::size_t shard = this_thread_shard();
  const auto bucket = std::lower_bound(bounds_.begin(), bounds_.end(), value) - bounds_.begin();
  cell(shard, static_cast<std::size_t>(bucket)).fetch_add(1, std::memory_order_relaxed);
  std::atomic<std::uint64_t>& sum = cell(shard, bounds_.size() + 1);
  std::uint64_t old = sum.load(std::memory_order_relaxed), next;
  do {
    double total;
    std::memcpy(&total, &old, sizeof total);
    total += value;
    std::memcpy(&next, &total, sizeof next);
  } while (!sum.compare_exchange_weak(old, next, std::memory_order_relaxed));
}

Histogram::Snapshot Histogram::snapshot() const {
  Snapshot out;
  out.cumulative.reserve(bounds_.size() + 1);
  for (std::size_t i = 0; i <= bounds_.size(); ++i) {
    for (std::size_t shard = 0; shard < kShards; ++shard)
      out.count += cell(shard, i).load(std::memory_order_relaxed);
    out.cumulative.push_back(out.count);
  }
  // One thread's observations sit in one shard, and adding the others' zeros keeps its sum exact.
  for (std::size_t shard = 0; shard < kShards; ++shard) {
    const std::uint64_t bits = cell(shard, bounds_.size() + 1).load(std::memory_order_relaxed);
    double sum;
    std::memcpy(&sum, &bits, sizeof sum);
    out.sum += sum;
  }
  return out;
}

namespace detail {

std::string label_text(const std::vector<std::string>& names,
                       const std::vector<std::string>& values) {
  if (names.empty()) return {};
  std::string out = "{";
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += ',';
    out += names[i];
    out += "=\"";
    append_escaped(out, values[i], true);
    out += '"';
  }
  out += '}';
  return out;
}

void write_value(std::string& out, const std::string& name, const std::string& labels,
                 const Counter& metric) {
  out += name + labels + ' ';
  append_number(out, metric.value());
  out += '\n';
}

void write_value(std::string& out, const std::string& name, const std::string& labels,
                 const Gauge& metric) {
  out += name + labels + ' ';
  append_number(out, metric.value());
  out += '\n';
}

void write_value(std::string& out, const std::string& name, const std::string& labels,
                 const Histogram& metric) {
  const Histogram::Snapshot snapshot = metric.snapshot();
  // `le` goes last: {a="1",le="0.5"}.
  const std::string open = labels.empty() ? "{" : labels.substr(0, labels.size() - 1) + ",";
  for (std::size_t i = 0; i < snapshot.cumulative.size(); ++i) {
    out += name + "_bucket" + open + "le=\"";
    if (i < metric.bounds().size()) {
      append_number(out, metric.bounds()[i]);
    } else {
      out += "+Inf";
    }
    out += "\"} " + std::to_string(snapshot.cumulative[i]) + '\n';
  }
  out += name + "_sum" + labels + ' ';
  append_number(out, snapshot.sum);
  out += '\n' + name + "_count" + labels + ' ' + std::to_string(snapshot.count) + '\n';
}

}  // namespace detail

void FamilyBase::write(std::string& out) const {
  out += "# HELP " + name_ + ' ';
  append_escaped(out, help_, false);
  out += "\n# TYPE " + name_ + ' ' + type_ + '\n';
  write_series(out);
}

namespace {

class CallbackFamily : public FamilyBase {
 public:
  CallbackFamily(std::string name, std::string help, std::function<double()> read)
      : FamilyBase(std::move(name), std::move(help), "gauge", {}), read_(std::move(read)) {}

 private:
  void write_series(std::string& out) const override {
    double value = 0;
    try {
      value = read_();
    } catch (...) {
      value = std::nan("");
    }
    out += name_ + ' ';
    append_number(out, value);
    out += '\n';
  }
  std::function<double()> read_;
};

}  // namespace

void Registry::check(const std::string& name, const std::vector<std::string>& label_names) const {
  if (!is_metric_name(name)) throw std::invalid_argument("invalid metric name '" + name + "'");
  if (families_.count(name) != 0) {
    throw std::invalid_argument("metric '" + name + "' is already registered");
  }
  for (std::size_t i = 0; i < label_names.size(); ++i) {
    const std::string& label = label_names[i];
    if (!is_label_name(label) ||
        std::find(label_names.begin(), label_names.begin() + static_cast<long>(i), label) !=
            label_names.begin() + static_cast<long>(i)) {
      throw std::invalid_argument("invalid or repeated label name '" + label + "' of " + name);
    }
  }
}

Family<Counter>& Registry::counter(std::string name, std::string help,
                                   std::vector<std::string> label_names) {
  std::lock_guard lock(mutex_);
  check(name, label_names);
  auto family = std::make_unique<Family<Counter>>(name, std::move(help), "counter",
                                                  std::move(label_names),
                                                  [] { return std::make_unique<Counter>(); });
  auto& out = *family;
  families_.emplace(std::move(name), std::move(family));
  return out;
}

Family<Gauge>& Registry::gauge(std::string name, std::string help,
                               std::vector<std::string> label_names) {
  std::lock_guard lock(mutex_);
  check(name, label_names);
  auto family = std::make_unique<Family<Gauge>>(name, std::move(help), "gauge",
                                                std::move(label_names),
                                                [] { return std::make_unique<Gauge>(); });
  auto& out = *family;
  families_.emplace(std::move(name), std::move(family));
  return out;
}

Family<Histogram>& Registry::histogram(std::string name, std::string help,
                                       std::vector<double> bounds,
                                       std::vector<std::string> label_names) {
  std::lock_guard lock(mutex_);
  check(name, label_names);
  if (std::find(label_names.begin(), label_names.end(), "le") != label_names.end()) {
    throw std::invalid_argument("a histogram cannot have a label 'le'");
  }
  static_cast<void>(Histogram{bounds});  // validates the bounds now rather than at the first series
  auto family = std::make_unique<Family<Histogram>>(
      name, std::move(help), "histogram", std::move(label_names),
      [bounds = std::move(bounds)] { return std::make_unique<Histogram>(bounds); });
  auto& out = *family;
  families_.emplace(std::move(name), std::move(family));
  return out;
}

void Registry::gauge_callback(std::string name, std::string help, std::function<double()> read) {
  std::lock_guard lock(mutex_);
  check(name, {});
  families_.emplace(name,
                    std::make_unique<CallbackFamily>(name, std::move(help), std::move(read)));
}

FamilyBase& Registry::add(std::unique_ptr<FamilyBase> family) {
  std::lock_guard lock(mutex_);
  check(family->name(), family->label_names());
  auto& out = *family;
  families_.emplace(family->name(), std::move(family));
  return out;
}

std::string Registry::text() const {
  std::string out;
  std::lock_guard lock(mutex_);
  for (const auto& entry : families_) entry.second->write(out);
  return out;
}

const std::vector<double>& duration_buckets() {
  static const std::vector<double> buckets{0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25,
                                           0.5,   0.75, 1,     2.5,  5,     7.5, 10};
  return buckets;
}

const std::vector<double>& size_buckets() {
  static const std::vector<double> buckets{0,      64,      256,     1024,    4096,    16384,
                                           65536,  262144,  1048576, 4194304, 16777216};
  return buckets;
}

}  // namespace prometheus

// ---- the middleware ---------------------------------------------------------------------------

namespace {

// RFC 9110's methods and PATCH; anything else is one label value, as OpenTelemetry asks, so that a
// client cannot make series at will.
constexpr std::array<std::string_view, 10> kMethods{"GET",     "HEAD",    "POST",  "PUT",
                                                    "DELETE",  "CONNECT", "OPTIONS", "TRACE",
                                                    "PATCH",   "_OTHER"};

std::size_t method_index(std::string_view method) {
  for (std::size_t i = 0; i + 1 < kMethods.size(); ++i) {
    if (kMethods[i] == method) return i;
  }
  return kMethods.size() - 1;
}

// The problem type of a 400/401/403 the security stage made, as a `reason` label; "" for others.
// Problem bodies are compact JSON whose strings escape quotes, so `"type":"` cannot occur inside
// a string value.
std::string_view auth_reason(const Response& response) {
  if (response.status != 400 && response.status != 401 && response.status != 403) return {};
  const std::string& body = response.body;
  constexpr std::string_view kPrefix = "urn:oasgen:problem:";
  for (std::size_t at = body.find("\"type\""); at != std::string::npos;
       at = body.find("\"type\"", at + 1)) {
    std::size_t i = at + 6;
    while (i < body.size() && (body[i] == ' ' || body[i] == ':')) ++i;
    if (i >= body.size() || body[i] != '"') continue;
    const std::string_view type = std::string_view(body).substr(i + 1);
    if (type.substr(0, kPrefix.size()) != kPrefix) return {};
    const std::string_view rest = type.substr(kPrefix.size());
    for (std::string_view reason :
         {"unauthenticated", "invalid-credential", "insufficient-scope"}) {
      if (rest.substr(0, reason.size() + 1) == std::string(reason) + '"') return reason;
    }
    return {};
  }
  return {};
}

// `http_server_active_requests`, by method: each thread counts into a row of its own (a cache line
// that no other thread writes, unless there are more threads than rows), added up at a scrape.
// Written as a `Family<Gauge>` writes it.
class ActiveRequests : public prometheus::FamilyBase {
 public:
  ActiveRequests()
      : FamilyBase("http_server_active_requests", "Number of active HTTP server requests.",
                   "gauge", {"http_request_method"}) {
    for (std::size_t i = 0; i < kMethods.size(); ++i) sorted_[i] = i;
    std::sort(sorted_.begin(), sorted_.end(),
              [](std::size_t a, std::size_t b) { return kMethods[a] < kMethods[b]; });
  }

  void add(std::size_t method, std::int64_t amount) {
    rows_[row()].cells[method].fetch_add(amount, std::memory_order_relaxed);
  }

 private:
  static constexpr std::size_t kRows = 4;
  struct alignas(64) Row {
    std::atomic<std::int64_t> cells[kMethods.size()] = {};
  };

  static std::size_t row() {
    static std::atomic<std::size_t> next{0};
    thread_local const std::size_t mine = next.fetch_add(1, std::memory_order_relaxed) % kRows;
    return mine;
  }

  void write_series(std::string& out) const override {
    for (std::size_t method : sorted_) {
      std::int64_t total = 0;
      for (const Row& row : rows_) total += row.cells[method].load(std::memory_order_relaxed);
      out += name_;
      out += prometheus::detail::label_text(label_names_, {std::string(kMethods[method])});
      out += ' ';
      prometheus::append_number(out, static_cast<double>(total));
      out += '\n';
    }
  }

  std::array<std::size_t, kMethods.size()> sorted_{};
  Row rows_[kRows];
};

// Which requests this thread is serving whose `before_routing` this middleware ran: the router
// calls `before_routing` and `on_response` of one request on one thread, in one call.
struct Mark {
  const void* owner;
  const Request* request;
  std::size_t method;
  bool scrape;
};
thread_local std::vector<Mark> t_marks;

// The series of one (route, method, status): looked up without allocating, through a key whose
// route is a view of the entry's own copy.
struct SeriesKey {
  std::string_view route;
  std::size_t method;
  int status;
  bool operator==(const SeriesKey& other) const {
    return route == other.route && method == other.method && status == other.status;
  }
};
struct SeriesKeyHash {
  std::size_t operator()(const SeriesKey& key) const {
    return std::hash<std::string_view>()(key.route) ^ (key.method * 0x9e3779b97f4a7c15ULL) ^
           (static_cast<std::size_t>(key.status) << 20);
  }
};
struct Series {
  std::string route;
  prometheus::Histogram* duration;
  prometheus::Histogram* request_size;
  prometheus::Histogram* response_size;
};

// A small direct-mapped cache per thread of the series last used, by Metrics instance.
struct RecentSeries {
  std::uint64_t owner = 0;  // 0: empty
  std::size_t method = 0;
  int status = 0;
  const Series* series = nullptr;
};
constexpr std::size_t kRecentSeries = 16;
thread_local RecentSeries t_recent[kRecentSeries];

}  // namespace

struct Metrics::Impl {
  explicit Impl(prometheus::Registry& registry)
      : registry(registry),
        duration(registry.histogram("http_server_request_duration_seconds",
                                    "Duration of HTTP server requests.",
                                    prometheus::duration_buckets(), labels())),
        request_size(registry.histogram("http_server_request_body_size_bytes",
                                        "Size of HTTP server request bodies.",
                                        prometheus::size_buckets(), labels())),
        response_size(registry.histogram("http_server_response_body_size_bytes",
                                         "Size of HTTP server response bodies.",
                                         prometheus::size_buckets(), labels())),
        active(static_cast<ActiveRequests&>(registry.add(std::make_unique<ActiveRequests>()))),
        auth(registry.counter("oasgen_auth_rejections_total",
                              "Requests refused by the security stage (401, 403, or 400 for a "
                              "malformed credential).",
                              {"http_route", "reason"})),
        rate_limited(registry.counter("oasgen_rate_limit_rejections_total",
                                      "Requests refused with 429 Too Many Requests.",
                                      {"http_route"})) {}

  static std::vector<std::string> labels() {
    return {"http_request_method", "http_route", "http_response_status_code"};
  }

  const Series& series(std::string_view route, std::size_t method, int status) {
    // This thread's recent series first: the shared lock's counter was a cache line both workers
    // wrote on every request.
    RecentSeries& recent = t_recent[(std::hash<const void*>()(route.data()) ^
                                     (method * 31 + static_cast<std::size_t>(status))) %
                                    kRecentSeries];
    if (recent.owner == id && recent.method == method && recent.status == status &&
        recent.series->route == route) {
      return *recent.series;
    }
    recent = RecentSeries{id, method, status, &shared_series(route, method, status)};
    return *recent.series;
  }

  const Series& shared_series(std::string_view route, std::size_t method, int status) {
    const SeriesKey key{route, method, status};
    {
      std::shared_lock lock(mutex);
      if (auto it = cache.find(key); it != cache.end()) return *it->second;
    }
    const std::vector<std::string> values{std::string(kMethods[method]), std::string(route),
                                          std::to_string(status)};
    std::unique_lock lock(mutex);
    if (auto it = cache.find(key); it != cache.end()) return *it->second;
    Series& entry = store.emplace_back(Series{std::string(route), &duration.with(values),
                                              &request_size.with(values),
                                              &response_size.with(values)});
    cache.emplace(SeriesKey{entry.route, method, status}, &entry);
    return entry;
  }

  prometheus::Registry& registry;
  prometheus::Family<prometheus::Histogram>& duration;
  prometheus::Family<prometheus::Histogram>& request_size;
  prometheus::Family<prometheus::Histogram>& response_size;
  ActiveRequests& active;
  prometheus::Family<prometheus::Counter>& auth;
  prometheus::Family<prometheus::Counter>& rate_limited;
  // Never reused, unlike an address: a thread's recent series of a destroyed instance never match.
  const std::uint64_t id = next_id.fetch_add(1, std::memory_order_relaxed);
  static inline std::atomic<std::uint64_t> next_id{1};
  std::shared_mutex mutex;
  std::deque<Series> store;  // stable addresses
  std::unordered_map<SeriesKey, const Series*, SeriesKeyHash> cache;
};

Metrics::Metrics(MetricsOptions options)
    : Metrics(std::make_shared<prometheus::Registry>(), std::move(options)) {}

Metrics::Metrics(std::shared_ptr<prometheus::Registry> registry, MetricsOptions options)
    : registry_(std::move(registry)),
      options_(std::move(options)),
      impl_(std::make_unique<Impl>(*registry_)) {}

Metrics::~Metrics() = default;

void Metrics::track_connections(const Server& server) {
  track_connections([&server] { return static_cast<double>(server.open_connections()); });
}

void Metrics::track_connections(std::function<double()> count) {
  registry_->gauge_callback("http_server_open_connections",
                            "Number of open HTTP server connections.", std::move(count));
}

std::optional<Response> Metrics::before_routing(Request& request) {
  const std::size_t method = method_index(request.method);
  const bool scrape = !options_.path.empty() && (method == 0 || method == 1) &&
                      request.path() == options_.path;
  t_marks.push_back(Mark{impl_.get(), &request, method, scrape});
  if (!scrape) {
    impl_->active.add(method, 1);
    return std::nullopt;
  }
  Response response;
  response.headers.set("Content-Type", std::string(prometheus::kContentType));
  response.headers.set("Cache-Control", "no-store");
  response.body = registry_->text();
  return response;
}

void Metrics::on_response(const Request& request, Response& response) {
  const std::size_t method = method_index(request.method);
  for (auto it = t_marks.rbegin(); it != t_marks.rend(); ++it) {
    if (it->owner != impl_.get() || it->request != &request) continue;
    const bool scrape = it->scrape;
    t_marks.erase(std::next(it).base());
    if (scrape) return;  // scrapes are not API traffic
    impl_->active.add(method, -1);
    break;
  }
  const auto received = request.received;
  const double seconds =
      received == std::chrono::steady_clock::time_point{}
          ? 0.0
          : std::chrono::duration<double>(std::chrono::steady_clock::now() - received).count();
  const Series& series = impl_->series(request.route, method, response.status);
  series.duration->observe(seconds);
  series.request_size->observe(static_cast<double>(request.body.size()));
  // The router drops a HEAD response's body after the middleware has run.
  series.response_size->observe(method == 1 ? 0.0 : static_cast<double>(response.body.size()));
  if (response.status == 429) {
    impl_->rate_limited.with({std::string(request.route)}).inc();
  } else if (std::string_view reason = auth_reason(response); !reason.empty()) {
    std::string label(reason);
    std::replace(label.begin(), label.end(), '-', '_');
    impl_->auth.with({std::string(request.route), label}).inc();
  }
}

}  // namespace oasgen
