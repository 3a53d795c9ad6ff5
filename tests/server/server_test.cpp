#include "oasgen/server.hpp"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <future>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

#include "http_client.hpp"
#include "oasgen/middleware/request_ids.hpp"
#include "oasgen/router.hpp"

namespace {

using oasgen::Request;
using oasgen::Response;
using oasgen::test::HttpClient;
using Clock = std::chrono::steady_clock;

Response text(std::string body) {
  Response response;
  response.headers.set("Content-Type", "text/plain");
  response.body = std::move(body);
  return response;
}

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// A server on 127.0.0.1 with a few routes, recording its access log.
struct TestServer {
  explicit TestServer(oasgen::ServerOptions options = {},
                      std::vector<std::shared_ptr<oasgen::Middleware>> middleware = {}) {
    for (auto& m : middleware) router.use(std::move(m));
    router.add("GET", "/hello", [](const Request&) { return text("hello"); });
    router.add("GET", "/a", [](const Request&) { return text("a"); });
    router.add("GET", "/b", [](const Request&) { return text("b"); });
    router.add("POST", "/echo", [](const Request& request) { return text(request.body); });
    router.add("GET", "/boom",
               [](const Request&) -> Response { throw std::runtime_error("secret detail"); });
    router.add("GET", "/slow", [this](const Request&) {
      {
        std::lock_guard lock(mutex);
        slow_started = true;
      }
      changed.notify_all();
      std::this_thread::sleep_for(std::chrono::milliseconds(300));
      return text("done");
    });
    options.address = "127.0.0.1";
    options.port = 0;
    options.access_log = [this](const oasgen::AccessLogEntry& entry) {
      {
        std::lock_guard lock(mutex);
        log.push_back(entry);
      }
      changed.notify_all();
    };
    server = std::make_unique<oasgen::Server>(router, options);
    port = server->start();
  }

  HttpClient client() const { return HttpClient("127.0.0.1", port); }

  // The access log is written after the response, so the client may see it first.
  std::vector<oasgen::AccessLogEntry> wait_for_log(std::size_t count) {
    std::unique_lock lock(mutex);
    changed.wait_for(lock, std::chrono::seconds(5), [&] { return log.size() >= count; });
    return log;
  }

  void wait_for_slow_request() {
    std::unique_lock lock(mutex);
    changed.wait_for(lock, std::chrono::seconds(5), [&] { return slow_started; });
  }

  oasgen::Router router;
  std::mutex mutex;
  std::condition_variable changed;
  std::vector<oasgen::AccessLogEntry> log;
  bool slow_started = false;
  std::unique_ptr<oasgen::Server> server;
  unsigned short port = 0;
};

// Every response the middleware chain's on_response saw: status, method and target.
struct Recorder : oasgen::Middleware {
  void on_response(const Request& request, Response& response) override {
    std::lock_guard lock(mutex);
    seen.push_back(std::to_string(response.status) + " " + request.method + " " + request.target);
  }
  std::vector<std::string> taken() {
    std::lock_guard lock(mutex);
    return std::exchange(seen, {});
  }
  std::mutex mutex;
  std::vector<std::string> seen;
};

std::atomic<bool> fallback_handler_ran{false};

extern "C" void fallback_handler(int) { fallback_handler_ran = true; }

oasgen::ServerOptions short_timeouts() {
  oasgen::ServerOptions options;
  options.read_timeout = std::chrono::milliseconds(200);
  options.idle_timeout = std::chrono::milliseconds(200);
  return options;
}

}  // namespace

TEST_CASE("server: start binds an ephemeral port that port() reports") {
  TestServer server;
  CHECK(server.port != 0);
  CHECK(server.server->port() == server.port);
}

TEST_CASE("server: a GET is answered and keep-alive reuses one connection") {
  TestServer server;
  auto client = server.client();
  for (int i = 0; i < 3; ++i) {
    const auto result = client.send("GET", "/hello");
    CHECK(result.status == 200);
    CHECK(result.body == "hello");
    CHECK(result.headers.get("Content-Length") == "5");
    CHECK(result.headers.get("Content-Type") == "text/plain");
    CHECK(result.headers.get("Server") == "oasgen");
  }
  const auto log = server.wait_for_log(3);
  REQUIRE(log.size() == 3);
  CHECK(log[0].remote.rfind("127.0.0.1:", 0) == 0);
  CHECK(log[1].remote == log[0].remote);
  CHECK(log[2].remote == log[0].remote);
}

TEST_CASE("server: the access log records each response") {
  TestServer server;
  auto client = server.client();
  client.send("POST", "/echo?x=1", "abc");
  const auto log = server.wait_for_log(1);
  REQUIRE(log.size() == 1);
  CHECK(log[0].method == "POST");
  CHECK(log[0].target == "/echo?x=1");
  CHECK(log[0].status == 200);
  CHECK(log[0].response_bytes == 3);
  CHECK(log[0].duration.count() >= 0);
}

TEST_CASE("server: pipelined requests in one write are answered in order") {
  TestServer server;
  const std::string received = server.client().raw(
      "GET /b HTTP/1.1\r\nHost: x\r\n\r\n"
      "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\necho"
      "GET /a HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  const auto b = received.find("\r\n\r\nb");
  const auto echo = received.find("\r\n\r\necho");
  const auto a = received.find("\r\n\r\na");
  REQUIRE(b != std::string::npos);
  REQUIRE(echo != std::string::npos);
  REQUIRE(a != std::string::npos);
  CHECK(b < echo);
  CHECK(echo < a);
}

TEST_CASE("server: a body over the limit is 413 and closes the connection") {
  oasgen::ServerOptions options;
  options.max_body_bytes = 1024;
  TestServer server(options);
  auto client = server.client();
  CHECK(client.send("POST", "/echo", std::string(1024, 'x')).status == 200);
  const auto result = client.send("POST", "/echo", std::string(4096, 'x'));
  CHECK(result.status == 413);
  CHECK(result.headers.get("Content-Type") == "application/problem+json");
  CHECK(result.headers.get("Connection") == "close");
  CHECK(nlohmann::json::parse(result.body) ==
        nlohmann::json{{"type", "about:blank"}, {"title", "Content Too Large"}, {"status", 413},
                       {"detail", "the request body is larger than 1024 bytes"}});
}

TEST_CASE("server: a chunked body over the limit is 413") {
  oasgen::ServerOptions options;
  options.max_body_bytes = 8;
  TestServer server(options);
  const std::string received = server.client().raw(
      "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
      "5\r\nhello\r\n5\r\nworld\r\n0\r\n\r\n");
  CHECK(received.rfind("HTTP/1.1 413 ", 0) == 0);
  CHECK(received.find(R"({"detail":"the request body is larger than 8 bytes","status":413,)") !=
        std::string::npos);
}

TEST_CASE("server: a request refused before routing still passes the middleware's on_response") {
  // So that request ids, CORS, the access log and metrics see it (oasgen/router.hpp).
  oasgen::ServerOptions options;
  options.max_body_bytes = 8;
  options.max_header_bytes = 1024;
  auto recorder = std::make_shared<Recorder>();
  TestServer server(options, {std::make_shared<oasgen::RequestIds>(), recorder});

  const auto too_large = server.client().send("POST", "/echo", std::string(64, 'x'));
  CHECK(too_large.status == 413);
  CHECK_FALSE(too_large.headers.get("X-Request-Id").value_or("").empty());
  CHECK(nlohmann::json::parse(too_large.body).value("request_id", "") ==
        too_large.headers.get("X-Request-Id").value_or("-"));
  CHECK(recorder->taken() == std::vector<std::string>{"413 POST /echo"});

  CHECK(server.client().send("GET", "/hello", {}, {{"X-Big", std::string(2048, 'y')}}).status == 431);
  CHECK(recorder->taken() == std::vector<std::string>{"431 GET /hello"});

  const std::string no_host = server.client().raw("GET /hello HTTP/1.1\r\n\r\n");
  CHECK(no_host.rfind("HTTP/1.1 400 ", 0) == 0);
  CHECK(no_host.find("X-Request-Id: ") != std::string::npos);
  CHECK(recorder->taken() == std::vector<std::string>{"400 GET /hello"});

  CHECK(server.client().raw("NOT HTTP\r\n\r\n").rfind("HTTP/1.1 400 ", 0) == 0);
  CHECK(recorder->taken().size() == 1);

  CHECK(server.client().send("GET", "/hello").status == 200);
  CHECK(recorder->taken() == std::vector<std::string>{"200 GET /hello"});
}

TEST_CASE("server: a header over the limit is 431") {
  oasgen::ServerOptions options;
  options.max_header_bytes = 1024;
  TestServer server(options);
  auto client = server.client();
  const auto result = client.send("GET", "/hello", {}, {{"X-Big", std::string(2048, 'y')}});
  CHECK(result.status == 431);
  CHECK(result.headers.get("Content-Type") == "application/problem+json");
  CHECK(nlohmann::json::parse(result.body) ==
        nlohmann::json{{"type", "about:blank"}, {"title", "Request Header Fields Too Large"},
                       {"status", 431}, {"detail", "the request header is larger than 1024 bytes"}});
  CHECK(client.send("GET", "/hello").status == 200);  // on a new connection
}

TEST_CASE("server: malformed requests are 400 and close the connection") {
  TestServer server;
  for (const char* garbage : {"GARBAGE\r\n\r\n", "GET /hello XTTP/1.1\r\n\r\n",
                              "GET /hello HTTP/1.1\r\nBad Header\r\n\r\n",
                              "POST /echo HTTP/1.1\r\nContent-Length: x\r\n\r\n"}) {
    CAPTURE(garbage);
    const auto start = Clock::now();
    const std::string received = server.client().raw(garbage);
    CHECK(received.rfind("HTTP/1.1 400 Bad Request\r\n", 0) == 0);
    CHECK(received.find("application/problem+json") != std::string::npos);
    CHECK(received.find("\r\n\r\n{\"detail\":\"malformed HTTP request: ") != std::string::npos);
    CHECK(received.find(R"(","status":400,"title":"Bad Request","type":"about:blank"})") !=
          std::string::npos);
    CHECK(seconds_since(start) < 1.9);  // closed by the server, not by the client's deadline
  }
}

TEST_CASE("server: a slow client is disconnected after the read timeout") {
  TestServer server(short_timeouts());
  const auto start = Clock::now();
  const std::string received = server.client().raw("GET /hello HTTP/1.1\r\nHost: x\r\n");
  CHECK(received.empty());
  CHECK(seconds_since(start) < 1.5);
}

TEST_CASE("server: an idle keep-alive connection is closed after the idle timeout") {
  TestServer server(short_timeouts());
  const auto start = Clock::now();
  const std::string received = server.client().raw("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
  CHECK(received.rfind("HTTP/1.1 200 OK\r\n", 0) == 0);
  CHECK(seconds_since(start) < 1.5);
}

TEST_CASE("server: a client reconnects after the server closed an idle connection") {
  TestServer server(short_timeouts());
  auto client = server.client();
  CHECK(client.send("GET", "/hello").status == 200);
  std::this_thread::sleep_for(std::chrono::milliseconds(400));
  CHECK(client.send("GET", "/hello").status == 200);
}

TEST_CASE("server: HEAD has the GET's headers and no body") {
  TestServer server;
  auto client = server.client();
  const auto head = client.send("HEAD", "/hello");
  CHECK(head.status == 200);
  CHECK(head.body.empty());
  CHECK(head.headers.get("Content-Length") == "5");
  CHECK(head.headers.get("Content-Type") == "text/plain");
  CHECK(client.send("GET", "/hello").body == "hello");  // the framing stayed intact
}

TEST_CASE("server: HTTP/1.0 closes unless keep-alive is asked for") {
  TestServer server;
  const auto start = Clock::now();
  const std::string closed = server.client().raw("GET /hello HTTP/1.0\r\n\r\n");
  CHECK(closed.rfind("HTTP/1.0 200 OK\r\n", 0) == 0);
  CHECK(closed.find("\r\n\r\nhello") != std::string::npos);
  CHECK(seconds_since(start) < 1.9);

  const std::string kept = server.client().raw(
      "GET /hello HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"
      "GET /a HTTP/1.0\r\n\r\n");
  CHECK(kept.find("Connection: keep-alive\r\n") != std::string::npos);
  CHECK(kept.find("\r\n\r\na") != std::string::npos);
}

TEST_CASE("server: Expect: 100-continue gets an interim response") {
  TestServer server;
  const std::string received = server.client().raw(
      "POST /echo HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 3\r\n"
      "Connection: close\r\n\r\nabc");
  CHECK(received.rfind("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\n", 0) == 0);
  CHECK(received.find("\r\n\r\nabc") != std::string::npos);
}

TEST_CASE("server: a throwing handler is 500 without its message") {
  TestServer server;
  auto client = server.client();
  const auto result = client.send("GET", "/boom");
  CHECK(result.status == 500);
  CHECK(result.headers.get("Content-Type") == "application/problem+json");
  CHECK(result.body.find("secret") == std::string::npos);
  CHECK(client.send("GET", "/hello").status == 200);
}

TEST_CASE("server: concurrent clients are all answered") {
  oasgen::ServerOptions options;
  options.threads = 4;
  TestServer server(options);
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      auto client = server.client();
      for (int i = 0; i < 50; ++i) {
        const std::string body = std::to_string(t) + "/" + std::to_string(i);
        try {
          const auto result = client.send("POST", "/echo", body);
          if (result.status == 200 && result.body == body) ++ok;
        } catch (const std::exception&) {
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  CHECK(ok == 8 * 50);
}

TEST_CASE("server: stop() with idle connections open returns promptly") {
  TestServer server;
  std::vector<std::unique_ptr<HttpClient>> clients;
  for (int i = 0; i < 3; ++i) {
    clients.push_back(std::make_unique<HttpClient>("127.0.0.1", server.port));
    CHECK(clients.back()->send("GET", "/hello").status == 200);
  }
  const auto start = Clock::now();
  server.server->stop();
  CHECK(seconds_since(start) < 2.0);
  CHECK_THROWS_AS(server.client().raw("GET /hello HTTP/1.1\r\n\r\n"), std::runtime_error);
  server.server->stop();  // idempotent
}

TEST_CASE("server: stop() lets a request in progress finish") {
  TestServer server;
  HttpClient client = server.client();
  oasgen::test::HttpResult result;
  std::thread request([&] { result = client.send("GET", "/slow"); });
  server.wait_for_slow_request();
  server.server->stop();
  request.join();
  CHECK(result.status == 200);
  CHECK(result.body == "done");
  CHECK(result.headers.get("Connection") == "close");
}

TEST_CASE("server: wait_for_shutdown_signal returns when stop() is called") {
  TestServer server;
  std::thread stopper([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    server.server->stop();
  });
  server.server->wait_for_shutdown_signal();
  stopper.join();
  CHECK_THROWS_AS(server.client().raw("GET /hello HTTP/1.1\r\n\r\n"), std::runtime_error);
}

TEST_CASE("server: wait_for_shutdown_signal stops the server on SIGTERM") {
  // Should the signal come before the server listens for it, this handler keeps the test process
  // alive and the check below fails instead.
  std::signal(SIGTERM, fallback_handler);
  TestServer server;
  std::atomic<bool> returned{false};
  std::thread sender([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    std::raise(SIGTERM);
    for (int i = 0; i < 50 && !returned; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    if (!returned) server.server->stop();
  });
  server.server->wait_for_shutdown_signal();
  returned = true;
  sender.join();
  std::signal(SIGTERM, SIG_DFL);
  CHECK_FALSE(fallback_handler_ran);
  CHECK_THROWS_AS(server.client().raw("GET /hello HTTP/1.1\r\n\r\n"), std::runtime_error);
}

TEST_CASE("server: binding a port in use throws std::system_error") {
  TestServer first;
  oasgen::Router router;
  oasgen::ServerOptions options;
  options.port = first.port;
  oasgen::Server second(router, options);
  CHECK_THROWS_AS(second.start(), std::system_error);
}

TEST_CASE("server: with a handler pool, a blocked handler does not stall the I/O thread") {
  // One I/O thread. The handler of /wait blocks until /hello has been answered: were it to run on
  // the I/O thread, /hello would never be read (the client gives up after 5 s and throws); on the
  // pool it is.
  oasgen::ServerOptions options;
  options.threads = 1;
  options.handler_threads = 2;
  oasgen::Router router;
  std::promise<void> hello_answered;
  auto released = hello_answered.get_future().share();
  std::atomic<bool> released_in_time{false};
  router.add("GET", "/wait", [&](const Request&) {
    released_in_time = released.wait_for(std::chrono::seconds(10)) == std::future_status::ready;
    return text("waited");
  });
  router.add("GET", "/hello", [](const Request&) { return text("hello"); });
  options.address = "127.0.0.1";
  oasgen::Server server(router, options);
  const unsigned short port = server.start();
  oasgen::test::HttpResult waited;
  std::thread blocked([&] { waited = HttpClient("127.0.0.1", port).send("GET", "/wait"); });
  // Several round trips while /wait blocks a pool thread: reads and writes go on.
  HttpClient client("127.0.0.1", port);
  for (int i = 0; i < 5; ++i) CHECK(client.send("GET", "/hello").body == "hello");
  hello_answered.set_value();
  blocked.join();
  CHECK(released_in_time);
  CHECK(waited.status == 200);
  CHECK(waited.body == "waited");
}

TEST_CASE("server: with a handler pool, pipelined requests are still answered in order") {
  oasgen::ServerOptions options;
  options.threads = 2;
  options.handler_threads = 4;
  TestServer server(options);
  const std::string raw = server.client().raw(
      "GET /a HTTP/1.1\r\nHost: x\r\n\r\n"
      "GET /slow HTTP/1.1\r\nHost: x\r\n\r\n"
      "GET /b HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  const auto a = raw.find("\r\n\r\na");
  const auto slow = raw.find("\r\n\r\ndone");
  const auto b = raw.find("\r\n\r\nb");
  REQUIRE(a != std::string::npos);
  REQUIRE(slow != std::string::npos);
  REQUIRE(b != std::string::npos);
  CHECK(a < slow);
  CHECK(slow < b);
}

TEST_CASE("server: with a handler pool, stop() lets a request in progress finish") {
  oasgen::ServerOptions options;
  options.handler_threads = 2;
  TestServer server(options);
  HttpClient client = server.client();
  oasgen::test::HttpResult result;
  std::thread request([&] { result = client.send("GET", "/slow"); });
  server.wait_for_slow_request();
  server.server->stop();
  request.join();
  CHECK(result.status == 200);
  CHECK(result.body == "done");
}
