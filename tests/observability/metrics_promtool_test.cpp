// The oracle for /metrics: a server generated from specs/security.yaml, with the access log and
// metrics on, serves a mixed run (200, 401, 403, 404, 422) over HTTP on 127.0.0.1; then /metrics
// is scraped over HTTP and Prometheus's own `promtool check metrics` must accept it, and the
// duration histogram must have counted exactly the requests sent. The access log of the same run
// must hold none of the credentials sent. Without promtool (Debian package prometheus) the test
// exits 77, which ctest reports as skipped.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <oasgen/middleware/access_log.hpp>
#include <oasgen/middleware/metrics.hpp>
#include <oasgen/middleware/request_ids.hpp>
#include <oasgen/server.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>

#include "http_client.hpp"
#include "security/server.hpp"
#include "security_judge.hpp"

namespace {

using nlohmann::json;

using security_test::kGood;
using security_test::kUnscoped;
using Judge = security_test::SecretJudge<security::Authenticator>;

// Every operation of specs/security.yaml left to the generated 501 stubs but these.
class Handler : public security::UnimplementedHandler {
 public:
  security::InheritedResult inherited(const security::InheritedRequest&,
                                      oasgen::Context&) override {
    return security::InheritedOk{security::Caller{}};
  }
  security::PublicOperationResult public_operation(const security::PublicOperationRequest&,
                                                   oasgen::Context&) override {
    return security::PublicOperationOk{security::Caller{}};
  }
  security::WritePetsResult write_pets(const security::WritePetsRequest&,
                                       oasgen::Context&) override {
    return security::WritePetsOk{security::Caller{}};
  }
};

std::string find_promtool() {
  const char* path = std::getenv("PATH");
  std::istringstream dirs(path != nullptr ? path : "/usr/bin:/bin");
  for (std::string dir; std::getline(dirs, dir, ':');) {
    const std::string candidate = (dir.empty() ? "." : dir) + "/promtool";
    if (access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return {};
}

std::string temp_file(const std::string& content) {
  char path[] = "/tmp/oasgen-metrics-XXXXXX";
  const int fd = mkstemp(path);
  REQUIRE(fd >= 0);
  close(fd);
  std::ofstream(path) << content;
  return path;
}

// Runs `command`, returns its exit status and puts what it printed in `output`.
int run(const std::string& command, std::string& output) {
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  REQUIRE(pipe != nullptr);
  char buffer[4096];
  for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;) {
    output.append(buffer, n);
  }
  const int status = pclose(pipe);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace

TEST_CASE("metrics: promtool accepts /metrics after a mixed run, and the counts add up") {
  const std::string promtool = find_promtool();
  if (promtool.empty()) {
    std::cerr << "SKIP: promtool not found (Debian package prometheus; scripts/install-deps.sh)\n";
    std::exit(77);
  }
  const std::string log_path = temp_file("");
  std::map<int, int> sent;  // status -> requests
  std::string scraped;
  {
    Handler handler;
    Judge authenticator;
    oasgen::Router router;
    oasgen::AccessLogOptions log_options;
    log_options.file = log_path;
    auto metrics = std::make_shared<oasgen::Metrics>();
    // First in the chain: they see every answer, and the final response (request id included).
    router.use(std::make_shared<oasgen::AccessLog>(log_options));
    router.use(metrics);
    router.use(std::make_shared<oasgen::RequestIds>());
    security::register_routes(router, handler, authenticator);
    oasgen::Server server(router, {});
    metrics->track_connections(server);
    const unsigned short port = server.start();
    oasgen::test::HttpClient client("127.0.0.1", port);

    const std::string bearer_good = "Bearer " + std::string(kGood);
    auto expect = [&](int status, const std::string& method, const std::string& target,
                      const std::string& body,
                      std::vector<std::pair<std::string, std::string>> headers) {
      const auto result = client.send(method, target, body, headers);
      INFO(method << ' ' << target << ": " << result.body);
      CHECK(result.status == status);
      ++sent[status];
    };
    const std::string pets_body = R"({"name":"Rex"})";
    const std::vector<std::pair<std::string, std::string>> json_type{
        {"Content-Type", "application/json"}};
    for (int i = 0; i < 5; ++i) expect(200, "GET", "/public", "", {});
    for (int i = 0; i < 3; ++i) {
      expect(200, "GET", "/inherited", "",
             {{"Authorization", bearer_good}, {"Cookie", "session=cookie-secret-1"}});
    }
    for (int i = 0; i < 2; ++i) {
      expect(200, "POST", "/pets?admin_key=" + std::string(kGood), pets_body, json_type);
      expect(422, "POST", "/pets?admin_key=" + std::string(kGood), R"({"name":5})", json_type);
      expect(401, "GET", "/inherited", "", {});
      expect(401, "GET", "/inherited", "", {{"Authorization", "Bearer bad-credential"}});
      expect(404, "GET", "/nowhere/" + std::to_string(i) + "?api_key=query-secret-2", "", {});
    }
    expect(403, "GET", "/pets", "", {{"Authorization", "Bearer " + std::string(kUnscoped)}});
    expect(401, "GET", "/either", "", {{"X-API-Key", "key-secret-3"}});

    const auto scrape = client.send("GET", "/metrics");
    REQUIRE(scrape.status == 200);
    CHECK(scrape.headers.get("Content-Type") == oasgen::prometheus::kContentType);
    scraped = scrape.body;
  }  // the server stops and the access log is flushed to its file

  // Prometheus's own parser and linter.
  // Kept beside the test (the build folder) for a look at what was checked.
  const std::string metrics_path = "metrics_promtool_scrape.prom";
  std::ofstream(metrics_path) << scraped;
  std::string output;
  const int status = run(promtool + " check metrics < " + metrics_path, output);
  std::cout << "$ promtool check metrics < /metrics\n" << output << "exit " << status << "\n";
  INFO(scraped);
  CHECK(output.empty());
  CHECK(status == 0);

  // The histogram counted every request sent, by status.
  int total_sent = 0;
  for (const auto& entry : sent) total_sent += entry.second;
  std::map<int, int> counted;
  int total_counted = 0;
  std::istringstream lines(scraped);
  const std::string prefix = "http_server_request_duration_seconds_count{";
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind(prefix, 0) != 0) continue;
    const auto code_at = line.find("http_response_status_code=\"") + 27;
    const int code = std::stoi(line.substr(code_at, 3));
    const int count = std::stoi(line.substr(line.rfind(' ') + 1));
    counted[code] += count;
    total_counted += count;
  }
  CHECK(total_counted == total_sent);
  CHECK(counted == sent);
  std::cout << "requests sent: " << total_sent << ", counted by the histogram: " << total_counted
            << "\n";
  CHECK(scraped.find(R"(oasgen_auth_rejections_total{http_route="/inherited",)"
                     R"(reason="unauthenticated"} 2)") != std::string::npos);
  CHECK(scraped.find(R"(oasgen_auth_rejections_total{http_route="/inherited",)"
                     R"(reason="invalid_credential"} 2)") != std::string::npos);
  CHECK(scraped.find(R"(oasgen_auth_rejections_total{http_route="/pets",)"
                     R"(reason="insufficient_scope"} 1)") != std::string::npos);
  CHECK(scraped.find("http_server_open_connections 1\n") != std::string::npos);

  // The access log of the same run: a JSON line per request (and the scrape), no secret.
  std::ifstream log(log_path);
  std::string log_text((std::istreambuf_iterator<char>(log)), std::istreambuf_iterator<char>());
  int log_lines = 0, untraced = 0;
  std::istringstream log_in(log_text);
  for (std::string line; std::getline(log_in, line); ++log_lines) {
    const json entry = json::parse(line);
    CHECK(entry["request_id"].is_string());
    if (entry["trace_id"].is_null()) {
      ++untraced;  // the scrape, answered before RequestIds ran
    } else {
      CHECK(entry["trace_id"].get<std::string>().size() == 32);
    }
  }
  CHECK(log_lines == total_sent + 1);
  CHECK(untraced == 1);
  for (const char* secret : {"good-credential", "bad-credential", "unscoped-credential",
                             "cookie-secret", "query-secret", "key-secret", "Rex"}) {
    CAPTURE(secret);
    CHECK(log_text.find(secret) == std::string::npos);
  }
  CHECK(log_text.find(R"("principal":"alice")") != std::string::npos);
  std::remove(log_path.c_str());
}
