// HttpTransport when the peer misbehaves, over 127.0.0.1 only: a request is re-sent on a new
// connection only when the reused one closed before any byte of a response arrived; a connect that
// gets no answer times out after connect_timeout; a host name that does not resolve is Resolve.
#include <arpa/inet.h>
#include <doctest/doctest.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "oasgen/client.hpp"

using oasgen::TransportErrorKind;
using Clock = std::chrono::steady_clock;

namespace {

int listening_socket(int backlog, unsigned short& port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
  REQUIRE(::listen(fd, backlog) == 0);
  socklen_t size = sizeof address;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size);
  port = ntohs(address.sin_port);
  return fd;
}

// Answers the n-th request it reads (over all connections, one at a time) with replies[n]; an
// empty reply closes the connection without a byte, a reply ending in "|close" is sent and then
// the connection is closed.
class ScriptedServer {
 public:
  explicit ScriptedServer(std::vector<std::string> replies) : replies_(std::move(replies)) {
    fd_ = listening_socket(8, port_);
    thread_ = std::thread([this] { serve(); });
  }
  ~ScriptedServer() {
    stopping_ = true;
    ::shutdown(fd_, SHUT_RDWR);
    ::close(fd_);
    thread_.join();
  }
  unsigned short port() const { return port_; }
  int requests() const { return requests_; }

 private:
  void serve() {
    while (!stopping_) {
      const int client = ::accept(fd_, nullptr, nullptr);
      if (client < 0) return;
      std::string buffer;
      char chunk[4096];
      bool open = true;
      while (open && !stopping_) {
        const auto end = buffer.find("\r\n\r\n");
        if (end == std::string::npos) {
          pollfd ready{client, POLLIN, 0};
          if (::poll(&ready, 1, 5000) <= 0) break;
          const ssize_t n = ::recv(client, chunk, sizeof chunk, 0);
          if (n <= 0) break;
          buffer.append(chunk, static_cast<std::size_t>(n));
          continue;
        }
        buffer.erase(0, end + 4);  // GET requests only: no body
        const std::size_t index = static_cast<std::size_t>(requests_++);
        std::string reply = index < replies_.size() ? replies_[index] : "";
        const std::string close_marker = "|close";
        const bool close_after =
            reply.empty() || (reply.size() >= close_marker.size() &&
                              reply.compare(reply.size() - close_marker.size(), close_marker.size(),
                                            close_marker) == 0);
        if (!reply.empty() && close_after) reply.resize(reply.size() - close_marker.size());
        if (!reply.empty()) ::send(client, reply.data(), reply.size(), MSG_NOSIGNAL);
        open = !close_after;
      }
      ::close(client);
    }
  }

  std::vector<std::string> replies_;
  int fd_ = -1;
  unsigned short port_ = 0;
  std::atomic<int> requests_{0};
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

const std::string kOk = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";

oasgen::Request get(std::string target) {
  oasgen::Request request;
  request.method = "GET";
  request.target = std::move(target);
  return request;
}

}  // namespace

TEST_CASE("http transport failures: a request is not re-sent once response bytes have arrived") {
  // The second request gets half a status line, then the connection closes.
  ScriptedServer server({kOk, "HTTP/1.1 200 OK\r\nContent-Le|close", kOk});
  oasgen::HttpTransport transport("http://127.0.0.1:" + std::to_string(server.port()));
  REQUIRE(std::holds_alternative<oasgen::Response>(transport.send(get("/first"), {})));
  const auto result = transport.send(get("/second"), {});
  REQUIRE(std::holds_alternative<oasgen::TransportError>(result));
  CHECK(std::get<oasgen::TransportError>(result).kind == TransportErrorKind::Io);
  CHECK(server.requests() == 2);
  CHECK(transport.connections_opened() == 1);
}

TEST_CASE("http transport failures: a reused connection closed before any byte is retried once") {
  // The contrast to the case above: no byte of a response, so the request goes out again.
  ScriptedServer server({kOk, "", kOk});
  oasgen::HttpTransport transport("http://127.0.0.1:" + std::to_string(server.port()));
  REQUIRE(std::holds_alternative<oasgen::Response>(transport.send(get("/first"), {})));
  const auto result = transport.send(get("/second"), {});
  REQUIRE(std::holds_alternative<oasgen::Response>(result));
  CHECK(std::get<oasgen::Response>(result).body == "ok");
  CHECK(server.requests() == 3);
  CHECK(transport.connections_opened() == 2);
}

TEST_CASE(
    "http transport failures: a connect that gets no answer times out after connect_timeout") {
  // A listener that never accepts: once its queue is full, the kernel drops further SYNs, so a
  // connect gets no answer at all.
  unsigned short port = 0;
  const int listener = listening_socket(0, port);
  std::vector<int> fillers;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bool full = false;
  for (int i = 0; i < 16 && !full; ++i) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    fillers.push_back(fd);
    ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
    pollfd ready{fd, POLLOUT, 0};
    full = ::poll(&ready, 1, 200) == 0;
  }
  REQUIRE(full);
  oasgen::HttpTransportOptions options;
  options.connect_timeout = std::chrono::milliseconds(300);
  options.request_timeout = std::chrono::seconds(20);
  oasgen::HttpTransport transport("http://127.0.0.1:" + std::to_string(port), options);
  const auto start = Clock::now();
  const auto result = transport.send(get("/"), {});
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  for (int fd : fillers) ::close(fd);
  ::close(listener);
  REQUIRE(std::holds_alternative<oasgen::TransportError>(result));
  const auto& error = std::get<oasgen::TransportError>(result);
  CHECK(error.kind == TransportErrorKind::Timeout);
  CHECK(error.message == "connecting to 127.0.0.1:" + std::to_string(port) + " timed out");
  CHECK(seconds >= 0.29);
  CHECK(seconds < 3.0);
}

TEST_CASE("http transport failures: a host name that does not resolve is a Resolve error") {
  // .invalid never resolves (RFC 6761).
  oasgen::HttpTransport transport("http://no-such-host.invalid:8080");
  const auto result = transport.send(get("/"), {});
  REQUIRE(std::holds_alternative<oasgen::TransportError>(result));
  const auto& error = std::get<oasgen::TransportError>(result);
  CHECK(error.kind == TransportErrorKind::Resolve);
  CHECK(error.message.rfind("no-such-host.invalid: ", 0) == 0);
  CHECK(transport.connections_opened() == 0);
}
