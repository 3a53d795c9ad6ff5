// The adapter's less travelled branches, over real TCP on 127.0.0.1: responses a handler must not
// send (bad status, CR/LF in a header) become 500, 204 and 304 carry no body, stop() gives up on
// a request after the grace period, and a server starts once.
#include <arpa/inet.h>
#include <doctest/doctest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <thread>

#include "http_client.hpp"
#include "oasgen/router.hpp"
#include "oasgen/server.hpp"

namespace {

using oasgen::Request;
using oasgen::Response;
using Clock = std::chrono::steady_clock;

Response with(int status, std::string name = {}, std::string value = {}) {
  Response response;
  response.status = status;
  response.body = "should vanish";
  if (!name.empty()) response.headers.set(std::move(name), std::move(value));
  return response;
}

struct Served {
  explicit Served(oasgen::ServerOptions options = {}) {
    options.address = "127.0.0.1";
    options.port = 0;
    server.emplace(router, options);
  }
  unsigned short start() { return port = server->start(); }
  oasgen::Router router;
  std::optional<oasgen::Server> server;
  unsigned short port = 0;
};

// A connected socket that the test writes to and never reads from.
int connect_to(unsigned short port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  int small = 4096;
  ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
  return fd;
}

}  // namespace

TEST_CASE("server branches: a handler's invalid status or header field becomes a 500 problem") {
  Served served;
  const struct {
    const char* target;
    Response response;
  } cases[] = {
      {"/status-0", with(0)},
      {"/status-99", with(99)},
      {"/status-199", with(199)},
      {"/status-1000", with(1000)},
      {"/crlf-value", with(200, "X-Injected", "a\r\nSet-Cookie: stolen=1")},
      {"/lf-value", with(200, "X-Injected", "a\nb")},
      {"/cr-name", with(200, "X-Bad\r\nName", "a")},
      {"/space-name", with(200, "X Bad", "a")},
      {"/colon-name", with(200, "X:Bad", "a")},
  };
  for (const auto& c : cases) {
    served.router.add("GET", c.target,
                      [response = c.response](const Request&) { return response; });
  }
  served.start();
  oasgen::test::HttpClient client("127.0.0.1", served.port);
  for (const auto& c : cases) {
    CAPTURE(c.target);
    const auto result = client.send("GET", c.target);
    CHECK(result.status == 500);
    CHECK(result.headers.get("Content-Type") == "application/problem+json");
    CHECK_FALSE(result.headers.contains("Set-Cookie"));
    CHECK_FALSE(result.headers.contains("X-Injected"));
    const auto problem = nlohmann::json::parse(result.body);
    CHECK(problem["status"] == 500);
    CHECK(problem["detail"] == "the handler produced an invalid response");
  }
}

TEST_CASE("server branches: 204 and 304 responses carry no body, and the connection stays framed") {
  Served served;
  served.router.add("GET", "/no-content", [](const Request&) { return with(204); });
  served.router.add("GET", "/not-modified", [](const Request&) {
    auto response = with(304, "ETag", "\"v1\"");
    response.headers.set("Content-Length", "42");  // the length of what the client has cached
    return response;
  });
  served.router.add("GET", "/ok", [](const Request&) { return Response{200, {}, "fine"}; });
  served.start();
  const std::string received = oasgen::test::HttpClient("127.0.0.1", served.port)
                                   .raw(
                                       "GET /no-content HTTP/1.1\r\nHost: x\r\n\r\n"
                                       "GET /not-modified HTTP/1.1\r\nHost: x\r\n\r\n"
                                       "GET /ok HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  INFO(received);
  CHECK(received.find("should vanish") == std::string::npos);
  const auto no_content = received.find("HTTP/1.1 204 No Content\r\n");
  const auto not_modified = received.find("HTTP/1.1 304 Not Modified\r\n");
  const auto ok = received.find("HTTP/1.1 200 OK\r\n");
  REQUIRE(no_content == 0);
  REQUIRE(not_modified != std::string::npos);
  REQUIRE(ok != std::string::npos);
  CHECK(received.substr(no_content, not_modified).find("Content-Length") == std::string::npos);
  CHECK(received.substr(not_modified, ok - not_modified).find("Content-Length: 42\r\n") !=
        std::string::npos);
  CHECK(received.compare(received.size() - 8, 8, "\r\n\r\nfine") == 0);
}

TEST_CASE("server branches: stop() closes a request still in progress after the grace period") {
  oasgen::ServerOptions options;
  options.shutdown_grace = std::chrono::milliseconds(300);
  options.idle_timeout =
      std::chrono::seconds(60);  // a stalled write would otherwise last this long
  Served served(options);
  std::atomic<bool> handled{false};
  served.router.add("GET", "/big", [&](const Request&) {
    handled = true;
    return Response{200, {}, std::string(64 * 1024 * 1024, 'x')};
  });
  served.start();
  const int fd = connect_to(served.port);
  const std::string request = "GET /big HTTP/1.1\r\nHost: x\r\n\r\n";
  REQUIRE(::send(fd, request.data(), request.size(), 0) == static_cast<ssize_t>(request.size()));
  for (int i = 0; i < 500 && !handled; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  REQUIRE(handled);
  std::this_thread::sleep_for(std::chrono::milliseconds(100));  // the write is now stalled
  const auto start = Clock::now();
  served.server->stop();
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  ::close(fd);
  CHECK(seconds >= 0.29);  // it waited for the request...
  CHECK(seconds < 3.0);    // ...for the grace period, not for the write's own timeout
}

TEST_CASE("server branches: a server starts once, and not again after stop()") {
  Served served;
  served.start();
  CHECK_THROWS_AS(served.server->start(), std::logic_error);
  CHECK(oasgen::test::HttpClient("127.0.0.1", served.port).send("GET", "/x").status == 404);
  served.server->stop();
  CHECK_THROWS_AS(served.server->start(), std::logic_error);

  Served never_started;
  never_started.server->stop();
  CHECK_THROWS_AS(never_started.server->start(), std::logic_error);
}
