// HTTP/1.1 server for a `Router`, on Boost.Beast/Asio (hidden behind this header).
//
//   oasgen::Server server(router, {.port = 8080});
//   server.start();
//   server.wait_for_shutdown_signal();   // SIGINT/SIGTERM, then graceful stop
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include "oasgen/http.hpp"
#include "oasgen/router.hpp"

namespace oasgen {

/// One line of the access log.
struct AccessLogEntry {
  std::string method;
  std::string target;
  int status = 0;
  std::size_t response_bytes = 0;
  std::chrono::microseconds duration{0};
  std::string remote;  ///< "address:port"
};

struct ServerOptions {
  std::string address = "127.0.0.1";
  unsigned short port = 0;  ///< 0 picks an ephemeral port; see `Server::port()`
  unsigned threads = 0;     ///< 0: one per hardware thread
  std::size_t max_header_bytes = 16 * 1024;         ///< larger: 431
  std::size_t max_body_bytes = 1024 * 1024;         ///< larger: 413
  std::chrono::milliseconds read_timeout{30'000};   ///< a request must arrive whole within this
  std::chrono::milliseconds idle_timeout{60'000};   ///< keep-alive connections idle this long close
  std::chrono::milliseconds shutdown_grace{5'000};  ///< `stop()` waits this long for requests
  std::function<void(const AccessLogEntry&)> access_log;  ///< called after each response, if set
};

class Server {
 public:
  /// `router` must outlive the server.
  Server(const Router& router, ServerOptions options);
  ~Server();  ///< stops, as `stop()`
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  /// Binds, listens and starts the worker threads; returns the bound port. Throws std::system_error
  /// when the address cannot be bound.
  unsigned short start();
  /// The bound port (after `start`).
  unsigned short port() const;
  /// The connections open now (accepted and not yet closed); thread-safe, e.g. for metrics.
  std::size_t open_connections() const;
  /// Stops accepting, lets requests in progress finish (up to `shutdown_grace`), closes connections
  /// and joins the threads. Idempotent; safe from any thread but the server's own.
  void stop();
  /// Blocks until SIGINT or SIGTERM arrives or `stop()` is called, then stops. A signal that arrives
  /// before this call takes its default action; to close that window, block the signals before
  /// `start()` and `sigwait` for them instead (as examples/petstore/main.cpp does).
  void wait_for_shutdown_signal();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace oasgen
