// Two server processes sharing one Redis admit no more than the limit together. The test starts
// its own redis-server on 127.0.0.1 (a free port, no persistence) and two `rate_limit_server`s
// pointed at it, and sends requests to them alternately. Exits 77 (ctest: skipped) when
// redis-server is not installed.
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <csignal>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "http_client.hpp"
#include "process.hpp"

namespace {

using oasgen::test::ChildProcess;
using oasgen::test::HttpClient;
using std::chrono::seconds;

// A port on 127.0.0.1 that was free a moment ago.
int free_port() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  socklen_t size = sizeof address;
  getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size);
  close(fd);
  return ntohs(address.sin_port);
}

// Reads the child's stdout until a line contains `marker`; the line, or nullopt.
std::optional<std::string> wait_for(ChildProcess& child, const std::string& marker) {
  while (auto line = child.read_line(seconds(10))) {
    if (line->find(marker) != std::string::npos) return line;
  }
  return std::nullopt;
}

struct Redis {
  int port = free_port();
  std::unique_ptr<ChildProcess> process;

  Redis() {
    process = std::make_unique<ChildProcess>(
        OASGEN_REDIS_SERVER,
        std::vector<std::string>{"--port", std::to_string(port), "--bind", "127.0.0.1", "--save",
                                 "", "--appendonly", "no", "--loglevel", "notice"});
    REQUIRE(wait_for(*process, "Ready to accept connections"));
  }
};

struct TestServer {
  std::unique_ptr<ChildProcess> process;
  std::unique_ptr<HttpClient> client;

  explicit TestServer(std::vector<std::string> args) {
    process = std::make_unique<ChildProcess>(RATE_LIMIT_SERVER, args);
    const auto line = wait_for(*process, "listening ");
    REQUIRE(line);
    const auto port = static_cast<unsigned short>(std::stoi(line->substr(line->rfind(' ') + 1)));
    client = std::make_unique<HttpClient>("127.0.0.1", port);
  }
  ~TestServer() {
    process->signal(SIGTERM);
    process->wait(seconds(10));
  }
};

struct Tally {
  int admitted = 0;
  int limited = 0;
  int other = 0;
};

// `count` GETs of /items (3 a minute per caller), alternately to each server.
Tally alternate(TestServer& a, TestServer& b, int count) {
  Tally tally;
  for (int i = 0; i < count; ++i) {
    const auto result = (i % 2 == 0 ? a : b).client->send("GET", "/items");
    if (result.status == 200) {
      ++tally.admitted;
    } else if (result.status == 429) {
      ++tally.limited;
      CHECK(result.headers.get("RateLimit").value_or("").find(R"("list_items";r=0;t=)") == 0);
      CHECK(result.headers.contains("Retry-After"));
    } else {
      ++tally.other;
    }
  }
  return tally;
}

}  // namespace

TEST_CASE("rate limit with Redis: two processes sharing one Redis admit no more than the limit") {
  Redis redis;
  const std::vector<std::string> args = {"--redis-port", std::to_string(redis.port)};
  TestServer a(args), b(args);
  const Tally shared = alternate(a, b, 12);
  MESSAGE("Redis store, 2 processes, limit 3/60 s, 12 requests alternately: "
          << shared.admitted << " admitted, " << shared.limited << " refused with 429");
  CHECK(shared.admitted == 3);
  CHECK(shared.limited == 9);
  CHECK(shared.other == 0);

  // Without Redis each process keeps its own count: the same traffic gets twice the limit.
  TestServer c({}), d({});
  const Tally separate = alternate(c, d, 12);
  MESSAGE("memory stores, 2 processes, same traffic: " << separate.admitted << " admitted");
  CHECK(separate.admitted == 6);

  // Redis gone: the store fails open (the default), so requests are served, without `RateLimit`.
  redis.process->signal(SIGTERM);
  REQUIRE(redis.process->wait(seconds(10)));
  const auto result = a.client->send("GET", "/items");
  CHECK(result.status == 200);
  CHECK_FALSE(result.headers.contains("RateLimit"));
  CHECK(result.headers.get("RateLimit-Policy").value_or("") == R"("list_items";q=3;w=60)");
}

int main(int argc, char** argv) {
  const std::string redis_server = OASGEN_REDIS_SERVER;
  if (redis_server.empty() || access(redis_server.c_str(), X_OK) != 0) {
    std::cout << "SKIP: redis-server is not installed (Debian package redis-server)\n";
    return 77;
  }
  doctest::Context context(argc, argv);
  return context.run();
}
