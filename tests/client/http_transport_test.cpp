// HttpTransport over real TCP on 127.0.0.1: against the runtime's own server, a listener that
// never answers, and a port that refuses. Every wait is bounded.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>

#include "oasgen/client.hpp"
#include "oasgen/router.hpp"
#include "oasgen/server.hpp"

using nlohmann::json;
using oasgen::TransportErrorKind;
using Clock = std::chrono::steady_clock;

namespace {

// Answers /api/echo with what it received, as JSON.
struct EchoServer {
  explicit EchoServer(oasgen::ServerOptions options = {}) {
    router.add("GET", "/api/echo", [](const oasgen::Request& request) {
      json headers = json::object();
      for (const auto& [name, value] : request.headers) headers[name] = value;
      oasgen::Response response;
      response.headers.set("Content-Type", "application/json");
      response.body = json{{"target", request.target}, {"headers", headers}}.dump();
      return response;
    });
    router.add("POST", "/api/echo", [](const oasgen::Request& request) {
      oasgen::Response response;
      response.body = request.body;
      return response;
    });
    router.add("GET", "/api/big", [](const oasgen::Request&) {
      oasgen::Response response;
      response.body = std::string(1000, 'x');
      return response;
    });
    options.address = "127.0.0.1";
    options.port = 0;
    options.threads = 1;
    server = std::make_unique<oasgen::Server>(router, options);
    port = server->start();
  }
  ~EchoServer() { server->stop(); }
  std::string url(const std::string& path = "/api") const {
    return "http://127.0.0.1:" + std::to_string(port) + path;
  }
  oasgen::Router router;
  std::unique_ptr<oasgen::Server> server;
  unsigned short port = 0;
};

oasgen::Request get(std::string target) {
  oasgen::Request request;
  request.method = "GET";
  request.target = std::move(target);
  return request;
}

const oasgen::Response& response_of(const oasgen::TransportResult& result) {
  if (auto* error = std::get_if<oasgen::TransportError>(&result)) FAIL(error->message);
  return std::get<oasgen::Response>(result);
}

// A listening socket on 127.0.0.1 that accepts connections and never writes a byte.
class SilentListener {
 public:
  SilentListener() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
    REQUIRE(::listen(fd_, 8) == 0);
    socklen_t size = sizeof address;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &size);
    port_ = ntohs(address.sin_port);
    acceptor_ = std::thread([this] {
      while (true) {
        int client = ::accept(fd_, nullptr, nullptr);
        if (client < 0 || stopping_) {
          if (client >= 0) ::close(client);
          return;
        }
        accepted_.push_back(client);  // held open, never answered
      }
    });
  }
  ~SilentListener() {
    stopping_ = true;
    ::shutdown(fd_, SHUT_RDWR);
    ::close(fd_);
    acceptor_.join();
    for (int client : accepted_) ::close(client);
  }
  unsigned short port() const { return port_; }

 private:
  int fd_ = -1;
  unsigned short port_ = 0;
  std::atomic<bool> stopping_{false};
  std::vector<int> accepted_;
  std::thread acceptor_;
};

}  // namespace

TEST_CASE("http transport: sequential requests share one keep-alive connection") {
  EchoServer server;
  oasgen::HttpTransport transport(server.url("/api/"));
  for (int i = 0; i < 5; ++i) {
    auto result = transport.send(get("/echo?i=" + std::to_string(i)), {});
    const auto& response = response_of(result);
    CHECK(response.status == 200);
    const json echoed = json::parse(response.body);
    CHECK(echoed["target"] == "/api/echo?i=" + std::to_string(i));  // the base path prefixes it
    CHECK(echoed["headers"]["Host"] == "127.0.0.1:" + std::to_string(server.port));
  }
  CHECK(transport.connections_opened() == 1);
}

TEST_CASE("http transport: a connection the server closed while idle is replaced") {
  oasgen::ServerOptions options;
  options.idle_timeout = std::chrono::milliseconds(50);
  EchoServer server(options);
  oasgen::HttpTransport transport(server.url());
  CHECK(response_of(transport.send(get("/echo"), {})).status == 200);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // the server closes it
  CHECK(response_of(transport.send(get("/echo"), {})).status == 200);
  CHECK(transport.connections_opened() == 2);
}

TEST_CASE("http transport: bodies go out with their length, user framing headers are ignored") {
  EchoServer server;
  oasgen::HttpTransport transport(server.url());
  oasgen::Request request;
  request.method = "POST";
  request.target = "/echo";
  request.body = std::string(100'000, 'b');
  request.headers.set("Content-Length", "3");
  CHECK(response_of(transport.send(request, {})).body == request.body);
}

TEST_CASE("http transport: concurrent calls each get a connection of their own") {
  EchoServer server;
  oasgen::HttpTransport transport(server.url());
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 20; ++i) {
        auto result = transport.send(get("/echo"), {});
        auto* response = std::get_if<oasgen::Response>(&result);
        if (response && response->status == 200) ++ok;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  CHECK(ok == 80);
  CHECK(transport.connections_opened() <= 4);
}

TEST_CASE("http transport: a server that never answers times out within the configured time") {
  SilentListener silent;
  oasgen::HttpTransportOptions options;
  options.request_timeout = std::chrono::milliseconds(300);
  oasgen::HttpTransport transport("http://127.0.0.1:" + std::to_string(silent.port()), options);
  const auto start = Clock::now();
  auto result = transport.send(get("/never"), {});
  const auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
  auto* error = std::get_if<oasgen::TransportError>(&result);
  REQUIRE(error);
  CHECK(error->kind == TransportErrorKind::Timeout);
  CHECK(error->message == "GET /never to 127.0.0.1:" + std::to_string(silent.port()) +
                              ": no response within 300 ms");
  MESSAGE("timed out after " << elapsed.count() << " ms (configured: 300 ms)");
  // The deadline is the configured time; the margin only absorbs scheduling on a loaded machine.
  CHECK(elapsed >= std::chrono::milliseconds(290));
  CHECK(elapsed < std::chrono::milliseconds(300 + 2000));

  // A per-call timeout overrides the transport's.
  oasgen::RequestOptions call;
  call.timeout = std::chrono::milliseconds(100);
  result = transport.send(get("/never"), call);
  REQUIRE(std::holds_alternative<oasgen::TransportError>(result));
  CHECK(std::get<oasgen::TransportError>(result).message.find("within 100 ms") != std::string::npos);
}

TEST_CASE("http transport: a refused connection and an oversized response are errors") {
  unsigned short closed_port = 0;
  {
    SilentListener listener;
    closed_port = listener.port();
  }
  oasgen::HttpTransport refused("http://127.0.0.1:" + std::to_string(closed_port));
  auto result = refused.send(get("/"), {});
  REQUIRE(std::holds_alternative<oasgen::TransportError>(result));
  CHECK(std::get<oasgen::TransportError>(result).kind == TransportErrorKind::Connect);

  EchoServer server;
  oasgen::HttpTransportOptions options;
  options.max_response_bytes = 100;
  oasgen::HttpTransport small(server.url(), options);
  result = small.send(get("/big"), {});
  REQUIRE(std::holds_alternative<oasgen::TransportError>(result));
  CHECK(std::get<oasgen::TransportError>(result).kind == TransportErrorKind::Protocol);
}

TEST_CASE("http transport: base URLs it cannot use are refused up front") {
  CHECK_THROWS_AS(oasgen::HttpTransport("/relative"), std::invalid_argument);
  CHECK_THROWS_AS(oasgen::HttpTransport("ftp://127.0.0.1"), std::invalid_argument);
  if (!oasgen::HttpTransport::supports_https()) {
    CHECK_THROWS_AS(oasgen::HttpTransport("https://127.0.0.1"), std::invalid_argument);
  } else {
    CHECK_NOTHROW(oasgen::HttpTransport("https://127.0.0.1"));
  }
}
