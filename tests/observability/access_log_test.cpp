// The access log on plain values: its lines are JSON with every field, hold no credential, cookie,
// query or body, leave the request alone when the writer is stuck, and reach the file by the time
// the log is destroyed.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <oasgen/context.hpp>
#include <oasgen/middleware/access_log.hpp>
#include <oasgen/middleware/request_ids.hpp>
#include <oasgen/operation.hpp>
#include <oasgen/router.hpp>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <future>
#include <mutex>
#include <sstream>
#include <string>
#include <unistd.h>
#include <vector>

namespace {

using nlohmann::json;

const oasgen::OperationInfo kGetPet = [] {
  oasgen::OperationInfo operation;
  operation.operation_id = "getPet";
  operation.method = "GET";
  operation.path = "/pets/{petId}";
  return operation;
}();

// Collects what the writer writes.
struct Lines {
  std::mutex mutex;
  std::string text;
  std::function<void(std::string_view)> sink() {
    return [this](std::string_view lines) {
      std::lock_guard lock(mutex);
      text += lines;
    };
  }
  std::vector<json> parsed() {
    std::lock_guard lock(mutex);
    std::vector<json> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) out.push_back(json::parse(line));
    return out;
  }
};

// Stands in for the security stage: the caller is "alice".
class Alice : public oasgen::Middleware {
 public:
  std::optional<oasgen::Response> after_routing(oasgen::Request& request) override {
    auto principal = std::make_shared<oasgen::Principal>();
    principal->identities.push_back(oasgen::Identity{"bearer", "alice", {}, json::object()});
    request.principal = std::move(principal);
    return std::nullopt;
  }
};

oasgen::Request request(std::string method, std::string target) {
  oasgen::Request out;
  out.method = std::move(method);
  out.target = std::move(target);
  out.remote_address = "127.0.0.1:40000";
  return out;
}

}  // namespace

TEST_CASE("access log: a line is exact JSON in a fixed field order") {
  oasgen::AccessLog::Entry entry;
  entry.time_ms = 1'700'000'000'123;
  entry.method = "GET";
  entry.route = "/pets/{petId}";
  entry.operation_id = "getPet";
  entry.status = 200;
  entry.duration_us = 182;
  entry.bytes_out = 61;
  entry.remote = "127.0.0.1:50312";
  entry.request_id = "6f1c0c2a9e0b4d17";
  entry.principal = "al\"ice\xff";
  CHECK(oasgen::AccessLog::format(entry) ==
        R"({"time":"2023-11-14T22:13:20.123Z","method":"GET","route":"/pets/{petId}",)"
        R"("operation_id":"getPet","status":200,"duration_us":182,"bytes_in":0,"bytes_out":61,)"
        R"("remote":"127.0.0.1:50312","request_id":"6f1c0c2a9e0b4d17","trace_id":null,)"
        "\"principal\":\"al\\\"ice\xef\xbf\xbd\"}\n");
}

TEST_CASE("access log: every field, and never a credential, cookie, query value or body") {
  Lines lines;
  {
    oasgen::AccessLogOptions options;
    options.sink = lines.sink();
    auto log = std::make_shared<oasgen::AccessLog>(options);
    oasgen::Router router;
    router.use(std::make_shared<oasgen::RequestIds>());
    router.use(log);
    router.use(std::make_shared<Alice>());
    router.add(kGetPet, [](const oasgen::Request&) {
      oasgen::Response response;
      response.body = "{\"id\":7}";
      return response;
    });
    auto get = request("GET", "/pets/7?api_key=SECRET-QUERY&x=1");
    get.headers.add("Authorization", "Bearer SECRET-TOKEN");
    get.headers.add("Cookie", "session=SECRET-COOKIE");
    get.headers.add("X-API-Key", "SECRET-KEY");
    get.headers.add("X-Request-Id", "req-1");
    get.headers.add("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
    get.body = "SECRET-BODY";
    CHECK(router.handle(std::move(get)).status == 200);
    CHECK(router.handle(request("GET", "/nowhere?token=SECRET-QUERY")).status == 404);
    log->flush();
  }
  CHECK(lines.text.find("SECRET") == std::string::npos);
  const auto parsed = lines.parsed();
  REQUIRE(parsed.size() == 2);
  const json& ok = parsed[0];
  CHECK(ok["method"] == "GET");
  CHECK(ok["route"] == "/pets/{petId}");
  CHECK(ok["operation_id"] == "getPet");
  CHECK(ok["status"] == 200);
  CHECK(ok["duration_us"].get<std::int64_t>() >= 0);
  CHECK(ok["bytes_in"] == 11);
  CHECK(ok["bytes_out"] == 8);
  CHECK(ok["remote"] == "127.0.0.1:40000");
  CHECK(ok["request_id"] == "req-1");
  CHECK(ok["trace_id"] == "4bf92f3577b34da6a3ce929d0e0e4736");
  CHECK(ok["principal"] == "alice");
  const std::string time = ok["time"];
  REQUIRE(time.size() == 24);  // 2025-01-31T12:00:00.123Z
  CHECK(time[10] == 'T');
  CHECK(time[19] == '.');
  CHECK(time.back() == 'Z');
  const json& missing = parsed[1];
  CHECK(missing["status"] == 404);
  CHECK(missing["route"].is_null());
  CHECK(missing["operation_id"].is_null());
  CHECK(missing["principal"].is_null());
  CHECK(missing["request_id"].get<std::string>().size() == 16);
}

TEST_CASE("access log: a stuck writer never blocks a request; drops are counted and reported") {
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  Lines lines;
  oasgen::AccessLogOptions options;
  options.queue_capacity = 4;
  options.sink = [&, released](std::string_view text) {
    released.wait();  // the destination hangs (a full pipe, a stalled disk)
    lines.sink()(text);
  };
  auto log = std::make_shared<oasgen::AccessLog>(options);
  oasgen::Router router;
  router.use(log);
  router.add("GET", "/x", [](const oasgen::Request&) { return oasgen::Response{}; });

  constexpr int kRequests = 200;
  auto served = std::async(std::launch::async, [&] {
    for (int i = 0; i < kRequests; ++i) router.handle(request("GET", "/x"));
  });
  // All of them are answered while the writer is stuck.
  REQUIRE(served.wait_for(std::chrono::seconds(10)) == std::future_status::ready);
  CHECK(log->dropped() >= kRequests - 8);  // at most the queue and the batch the writer holds
  release.set_value();
  log->flush();
  const auto parsed = lines.parsed();
  std::uint64_t logged = 0, reported = 0;
  for (const json& line : parsed) {
    if (line.contains("event")) {
      CHECK(line["event"] == "access_log_dropped");
      reported += line["dropped"].get<std::uint64_t>();
    } else {
      ++logged;
    }
  }
  CHECK(logged + log->dropped() == kRequests);
  CHECK(reported == log->dropped());
}

TEST_CASE("access log: several threads at once lose no line and keep each thread's order") {
  Lines lines;
  oasgen::AccessLogOptions options;
  options.sink = lines.sink();
  auto log = std::make_shared<oasgen::AccessLog>(options);
  oasgen::Router router;
  router.use(log);
  router.add("GET", "/x", [](const oasgen::Request&) { return oasgen::Response{}; });

  constexpr int kThreads = 4, kRequests = 500;
  std::vector<std::future<void>> served;
  for (int t = 0; t < kThreads; ++t) {
    served.push_back(std::async(std::launch::async, [&, t] {
      for (int i = 0; i < kRequests; ++i) {
        oasgen::Request made = request("GET", "/x");
        made.request_id = std::to_string(t) + "-" + std::to_string(i);
        router.handle(std::move(made));
      }
    }));
  }
  for (auto& done : served) done.get();
  log->flush();
  std::vector<int> next(kThreads, 0);
  int logged = 0;
  for (const json& line : lines.parsed()) {
    const std::string id = line["request_id"].get<std::string>();
    const int thread = std::stoi(id.substr(0, id.find('-')));
    CHECK(std::stoi(id.substr(id.find('-') + 1)) == next[thread]++);
    ++logged;
  }
  CHECK(logged == kThreads * kRequests);
  CHECK(log->dropped() == 0);
}

TEST_CASE("access log: to a file, flushed when the log is destroyed") {
  char path[] = "/tmp/oasgen-access-log-XXXXXX";
  const int fd = mkstemp(path);
  REQUIRE(fd >= 0);
  close(fd);
  {
    oasgen::AccessLogOptions options;
    options.file = path;
    auto log = std::make_shared<oasgen::AccessLog>(options);
    oasgen::Router router;
    router.use(log);
    router.add("POST", "/x",
               [](const oasgen::Request&) { return oasgen::Response{201, {}, "ok"}; });
    for (int i = 0; i < 50; ++i) router.handle(request("POST", "/x"));
  }
  std::ifstream in(path);
  int count = 0;
  for (std::string line; std::getline(in, line); ++count) {
    CHECK(json::parse(line)["status"] == 201);
  }
  CHECK(count == 50);
  std::remove(path);
}

TEST_CASE("access log: a file that cannot be opened is an error at construction") {
  oasgen::AccessLogOptions options;
  options.file = "/nonexistent-folder/access.log";
  CHECK_THROWS_AS(oasgen::AccessLog{options}, std::system_error);
}
