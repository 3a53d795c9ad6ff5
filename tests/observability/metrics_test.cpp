// The Prometheus registry's text format, and the Metrics middleware on plain values.
#include <doctest/doctest.h>

#include <oasgen/middleware/health.hpp>
#include <oasgen/middleware/metrics.hpp>
#include <oasgen/operation.hpp>
#include <oasgen/problem.hpp>
#include <oasgen/router.hpp>

#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace {

namespace prom = oasgen::prometheus;

oasgen::Request request(std::string method, std::string target, std::string body = {}) {
  oasgen::Request out;
  out.method = std::move(method);
  out.target = std::move(target);
  out.body = std::move(body);
  return out;
}

// The value of the sample whose line starts with `series` ("name{labels}"); -1 when absent.
double sample(const std::string& text, const std::string& series) {
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (line.compare(0, series.size() + 1, series + " ") == 0) {
      return std::stod(line.substr(series.size() + 1));
    }
  }
  return -1;
}

}  // namespace

TEST_CASE("metrics: the text format of counters, gauges and histograms") {
  prom::Registry registry;
  auto& jobs = registry.counter("app_jobs_total", "Jobs run.\nBy kind \\ outcome.", {"kind"});
  jobs.with({"import"}).inc();
  jobs.with({"import"}).inc(2);
  jobs.with({"odd \"one\"\\\n"}).inc(0.5);
  registry.gauge("app_queue_length", "Jobs waiting.").with({}).set(-3);
  auto& latency = registry.histogram("app_latency_seconds", "Latency.", {0.25, 1}, {"kind"});
  for (double value : {0.1, 0.25, 0.5, 3.0}) latency.with({"a"}).observe(value);
  registry.gauge_callback("app_connections", "Open connections.", [] { return 7.0; });
  registry.counter("app_unused_total", "Never incremented.");
  CHECK(registry.text() ==
        "# HELP app_connections Open connections.\n"
        "# TYPE app_connections gauge\n"
        "app_connections 7\n"
        "# HELP app_jobs_total Jobs run.\\nBy kind \\\\ outcome.\n"
        "# TYPE app_jobs_total counter\n"
        "app_jobs_total{kind=\"import\"} 3\n"
        "app_jobs_total{kind=\"odd \\\"one\\\"\\\\\\n\"} 0.5\n"
        "# HELP app_latency_seconds Latency.\n"
        "# TYPE app_latency_seconds histogram\n"
        "app_latency_seconds_bucket{kind=\"a\",le=\"0.25\"} 2\n"
        "app_latency_seconds_bucket{kind=\"a\",le=\"1\"} 3\n"
        "app_latency_seconds_bucket{kind=\"a\",le=\"+Inf\"} 4\n"
        "app_latency_seconds_sum{kind=\"a\"} 3.85\n"
        "app_latency_seconds_count{kind=\"a\"} 4\n"
        "# HELP app_queue_length Jobs waiting.\n"
        "# TYPE app_queue_length gauge\n"
        "app_queue_length -3\n"
        "# HELP app_unused_total Never incremented.\n"
        "# TYPE app_unused_total counter\n");
}

TEST_CASE("metrics: names, labels and bounds are checked when registered") {
  prom::Registry registry;
  registry.counter("ok_total", "x", {"a"});
  CHECK_THROWS_AS(registry.counter("ok_total", "again"), std::invalid_argument);
  CHECK_THROWS_AS(registry.gauge("9lives", "x"), std::invalid_argument);
  CHECK_THROWS_AS(registry.gauge("has-dash", "x"), std::invalid_argument);
  CHECK_THROWS_AS(registry.gauge("g", "x", {"__reserved"}), std::invalid_argument);
  CHECK_THROWS_AS(registry.gauge("g2", "x", {"a", "a"}), std::invalid_argument);
  CHECK_THROWS_AS(registry.histogram("h", "x", {1}, {"le"}), std::invalid_argument);
  CHECK_THROWS_AS(registry.histogram("h2", "x", {2, 1}), std::invalid_argument);
  CHECK_THROWS_AS(registry.counter("c_total", "x", {"a"}).with({}), std::invalid_argument);
}

TEST_CASE("metrics: series are lock-free to update and exact under contention") {
  prom::Registry registry;
  auto& histogram = registry.histogram("h_seconds", "x", prom::duration_buckets());
  auto& counter = registry.counter("c_total", "x", {"t"});
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      auto& own = counter.with({std::to_string(t % 2)});
      for (int i = 0; i < 10000; ++i) {
        histogram.with({}).observe(0.001 * (i % 20));
        own.inc();
      }
    });
  }
  for (auto& thread : threads) thread.join();
  const auto snapshot = histogram.with({}).snapshot();
  CHECK(snapshot.count == 40000);
  CHECK(snapshot.cumulative.back() == 40000);
  CHECK(snapshot.cumulative.front() == 4 * 6 * 500);  // 0 to 0.005 inclusive: i % 20 in 0..5
  CHECK(snapshot.sum == doctest::Approx(4 * 500 * 0.19));  // every thread's shard counted
  CHECK(counter.with({"0"}).value() + counter.with({"1"}).value() == 40000);
}

TEST_CASE("metrics: the middleware measures by method, route template and status") {
  static const oasgen::OperationInfo kGetPet = [] {
    oasgen::OperationInfo operation;
    operation.operation_id = "getPet";
    operation.method = "GET";
    operation.path = "/pets/{petId}";
    return operation;
  }();
  auto metrics = std::make_shared<oasgen::Metrics>();
  oasgen::Router router;
  router.use(metrics);
  router.add(kGetPet, [](const oasgen::Request&) { return oasgen::Response{200, {}, "{}"}; });
  router.add("POST", "/pets", [](const oasgen::Request&) {
    return oasgen::problem_response(422, "no");
  });
  router.add("GET", "/limited", [](const oasgen::Request&) {
    return oasgen::problem_response(429, "slow down");
  });
  router.add("GET", "/secret", [](const oasgen::Request&) {
    oasgen::Problem problem;
    problem.status = 401;
    problem.type = std::string(oasgen::kProblemUnauthenticated);
    return oasgen::problem_response(problem);
  });
  router.add("GET", "/forbidden", [](const oasgen::Request&) {
    oasgen::Problem problem;
    problem.status = 403;
    problem.type = std::string(oasgen::kProblemInsufficientScope);
    return oasgen::problem_response(problem);
  });
  int served = 0;
  for (const char* target : {"/pets/1", "/pets/2?q=1", "/pets/3", "/nope", "/limited", "/secret",
                             "/forbidden", "/pets/4/x"}) {
    router.handle(request("GET", target));
    ++served;
  }
  router.handle(request("POST", "/pets", std::string(300, 'x')));
  router.handle(request("BREW", "/pets/1"));
  router.handle(request("HEAD", "/pets/1"));
  served += 3;

  const auto scrape = router.handle(request("GET", "/metrics"));
  CHECK(scrape.status == 200);
  CHECK(scrape.headers.get("Content-Type") == prom::kContentType);
  const std::string& text = scrape.body;
  INFO(text);
  const std::string duration = "http_server_request_duration_seconds_count";
  CHECK(sample(text, duration + R"({http_request_method="GET",http_route="/pets/{petId}",)"
                                R"(http_response_status_code="200"})") == 3);
  CHECK(sample(text, duration + R"({http_request_method="GET",http_route="",)"
                                R"(http_response_status_code="404"})") == 2);
  // 405 is the router's answer before a route is chosen.
  CHECK(sample(text, duration + R"({http_request_method="_OTHER",http_route="",)"
                                R"(http_response_status_code="405"})") == 1);
  CHECK(sample(text, duration + R"({http_request_method="HEAD",http_route="/pets/{petId}",)"
                                R"(http_response_status_code="200"})") == 1);
  CHECK(sample(text, R"(http_server_request_body_size_bytes_bucket{http_request_method="POST",)"
                     R"(http_route="/pets",http_response_status_code="422",le="256"})") == 0);
  CHECK(sample(text, R"(http_server_request_body_size_bytes_bucket{http_request_method="POST",)"
                     R"(http_route="/pets",http_response_status_code="422",le="1024"})") == 1);
  CHECK(sample(text, R"(http_server_response_body_size_bytes_sum{http_request_method="HEAD",)"
                     R"(http_route="/pets/{petId}",http_response_status_code="200"})") == 0);
  CHECK(sample(text, R"(oasgen_rate_limit_rejections_total{http_route="/limited"})") == 1);
  CHECK(sample(text, R"(oasgen_auth_rejections_total{http_route="/secret",)"
                     R"(reason="unauthenticated"})") == 1);
  CHECK(sample(text, R"(oasgen_auth_rejections_total{http_route="/forbidden",)"
                     R"(reason="insufficient_scope"})") == 1);
  CHECK(sample(text, R"(http_server_active_requests{http_request_method="GET"})") == 0);
  // The scrape itself is neither counted nor in flight.
  double total = 0;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind(duration + "{", 0) == 0) total += std::stod(line.substr(line.rfind(' ')));
  }
  CHECK(total == served);
  CHECK(text.find("http_server_open_connections") == std::string::npos);
  metrics->track_connections([] { return 3.0; });
  CHECK(sample(router.handle(request("GET", "/metrics")).body, "http_server_open_connections") ==
        3);
}

TEST_CASE("metrics: requests in flight, also when an earlier middleware answers") {
  auto metrics = std::make_shared<oasgen::Metrics>();
  oasgen::Router router;
  router.use(std::make_shared<oasgen::Health>());  // answers /healthz before Metrics sees it
  router.use(metrics);
  double in_flight = -1;
  router.add("GET", "/slow", [&](const oasgen::Request&) {
    const std::string text = metrics->registry().text();
    in_flight = sample(text, R"(http_server_active_requests{http_request_method="GET"})");
    return oasgen::Response{};
  });
  router.handle(request("GET", "/healthz"));
  router.handle(request("GET", "/slow"));
  CHECK(in_flight == 1);
  const std::string text = metrics->registry().text();
  CHECK(sample(text, R"(http_server_active_requests{http_request_method="GET"})") == 0);
  CHECK(sample(text, R"(http_server_request_duration_seconds_count{http_request_method="GET",)"
                     R"(http_route="",http_response_status_code="200"})") == 1);
}

TEST_CASE("metrics: the path is configurable, and empty serves nothing") {
  oasgen::MetricsOptions options;
  options.path = "/internal/metrics";
  oasgen::Router router;
  router.use(std::make_shared<oasgen::Metrics>(options));
  CHECK(router.handle(request("GET", "/metrics")).status == 404);
  CHECK(router.handle(request("GET", "/internal/metrics")).status == 200);
  CHECK(router.handle(request("POST", "/internal/metrics")).status == 404);

  oasgen::Router quiet;
  quiet.use(std::make_shared<oasgen::Metrics>(oasgen::MetricsOptions{""}));
  CHECK(quiet.handle(request("GET", "/metrics")).status == 404);
}
