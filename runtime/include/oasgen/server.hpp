// HTTP/1.1 server for a `Router`, on Boost.Beast/Asio (hidden behind this header).
//
//   oasgen::Server server(router, {.port = 8080});
//   server.start();
//   server.wait_for_shutdown_signal();   // SIGINT/SIGTERM, then graceful stop
//
// Or, in a service that blocks SIGTERM and sigwaits for it (examples/petstore/main.cpp):
//
//   oasgen::DrainOptions drain;
//   drain.health = health;   // the oasgen::Health middleware: /readyz turns 503
//   oasgen::DrainReport report = server.drain(drain);
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include "oasgen/http.hpp"
#include "oasgen/router.hpp"

namespace oasgen {

class Health;  // oasgen/middleware/health.hpp

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
  /// Non-zero: handlers run on a pool of this many threads, apart from the `threads` that do the
  /// network I/O, so that handlers blocking on a database or another service do not stall
  /// reading, writing and accepting on every connection. 0: handlers run on the I/O threads (the
  /// fastest for handlers that never block). A request waiting for a pool thread counts against
  /// `handler_deadline`.
  unsigned handler_threads = 0;
  std::size_t max_header_bytes = 16 * 1024;         ///< larger: 431
  std::size_t max_body_bytes = 1024 * 1024;         ///< larger: 413
  std::chrono::milliseconds read_timeout{30'000};   ///< a request must arrive whole within this
  std::chrono::milliseconds idle_timeout{60'000};   ///< keep-alive connections idle this long close
  std::chrono::milliseconds shutdown_grace{5'000};  ///< `stop()` waits this long for requests
  std::function<void(const AccessLogEntry&)> access_log;  ///< called after each response, if set

  // ---- overload (0: no limit) ----
  /// Open connections at most. A connection accepted past it is answered at once, without waiting
  /// for its request, with 503 problem+json, `Retry-After` and `Connection: close`, then closed.
  std::size_t max_connections = 0;
  /// Requests being handled or answered at most. One past it gets 503 problem+json with
  /// `Retry-After` from the router, after the chain's `before_routing` hooks (so health probes and
  /// CORS preflights are still answered and the 503 carries the request id and CORS headers).
  std::size_t max_in_flight = 0;
  /// The handler deadline, counted from when the request's header was read (`Request::deadline`,
  /// `Context::deadline()`). A request whose handler has not started by then gets 503 with
  /// `Retry-After`; a running handler is not interrupted. 0: none.
  std::chrono::milliseconds handler_deadline{0};
  /// The `Retry-After` of the 503s above, in seconds.
  unsigned retry_after_seconds = 1;
};

/// How `Server::drain` winds the server down.
struct DrainOptions {
  /// How long requests in progress (being read, handled or answered) may take to finish; the
  /// connections still open then are closed.
  std::chrono::milliseconds grace{10'000};
  /// Set not ready first, so that /readyz answers 503 (e.g. the `Health` that `install` added).
  std::shared_ptr<Health> health;
  /// Between readiness turning false and the listener closing, new connections are still served:
  /// time for load balancers to see /readyz fail. 0 (default) closes the listener at once.
  std::chrono::milliseconds announce{0};
};

/// What `Server::drain` did.
struct DrainReport {
  std::size_t connections = 0;  ///< open when the drain began (after the listen backlog was taken)
  /// Requests whose handler was running or whose response was being written when the drain began.
  std::size_t requests_in_progress = 0;
  /// Responses completed during the drain: the requests above, and those still being read when it
  /// began.
  std::size_t answered = 0;
  std::size_t idle_closed = 0;  ///< idle keep-alive connections closed at once
  /// Connections still open when the grace period ended, closed then (their requests are lost).
  std::size_t cut_off = 0;
  std::chrono::milliseconds took{0};
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
  /// Graceful shutdown for SIGTERM: readiness turns false (`options.health`); after
  /// `options.announce`, the connections the kernel already completed are taken from the listen
  /// backlog and the listener closes; idle keep-alive connections close; requests in progress,
  /// including those still being read, finish and are answered with `Connection: close`; then the
  /// threads are joined. Blocks until done (at most announce + grace + about 1 s). After it, the
  /// server is stopped; a second call, or `stop()`, does nothing.
  ///
  /// A client that sends a request on a kept-alive connection at the moment the server closes it
  /// as idle sees the connection close without a response: HTTP/1.1's race (RFC 9112 section
  /// 9.3.1), which clients handle by retrying on a new connection.
  DrainReport drain(const DrainOptions& options);
  /// Blocks until SIGINT or SIGTERM arrives or `stop()` is called, then stops. A signal that arrives
  /// before this call takes its default action; to close that window, block the signals before
  /// `start()` and `sigwait` for them instead (as examples/petstore/main.cpp does).
  void wait_for_shutdown_signal();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace oasgen
