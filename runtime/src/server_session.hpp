// The HTTP/1.1 adapter's internals, shared by server.cpp (the server's life: listening, accepting,
// draining) and server_session.cpp (one connection). These two files are the only code in the
// runtime that includes Beast/Asio. Each connection is a `Session` on its own strand that reads one
// request, runs the router synchronously on the worker thread, writes the response in one gather
// write, and only then reads the next request, so pipelined requests are answered in order.
#pragma once

#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "oasgen/http.hpp"
#include "oasgen/router.hpp"
#include "oasgen/server.hpp"

namespace oasgen::detail {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

// After answering with `Connection: close`, how long unread request bytes are drained before the
// socket closes; closing with unread data would reset the connection and could destroy the response
// before the client has read it.
constexpr std::chrono::seconds kLingerTime{1};
// Back-off after a failed accept (e.g. out of file descriptors) so the loop does not spin.
constexpr std::chrono::milliseconds kAcceptRetryDelay{50};

class Session;

// Everything the sessions share; owned by `Server::Impl`.
class ServerCore {
 public:
  ServerCore(const Router& router, ServerOptions options)
      : router_(router), options_(std::move(options)) {}

  unsigned short start();
  DrainReport drain(const DrainOptions& options);
  void wait_for_shutdown_signal();
  unsigned short port() const { return port_.load(); }

  const Router& router() const { return router_; }
  /// Where handlers run when `ServerOptions::handler_threads` is set; null otherwise.
  asio::thread_pool* handler_pool() { return handler_pool_ ? &*handler_pool_ : nullptr; }
  const ServerOptions& options() const { return options_; }
  bool stopping() const { return stopping_.load(); }

  /// Registers a new session; false when it is past `max_connections` (it is registered all the
  /// same, and refuses its request).
  bool add(const std::shared_ptr<Session>& session);
  void forget(Session* session);
  /// The number of requests in flight, this one included.
  std::size_t request_started();
  void request_finished();
  void log(const AccessLogEntry& entry) const;
  std::size_t open_connections();
  // Drain figures, counted by the sessions.
  void note_answered() { answered_while_stopping_.fetch_add(1); }
  void note_idle_closed() { idle_closed_.fetch_add(1); }
  void note_cut_off() { cut_off_.fetch_add(1); }

 private:
  enum class State { Idle, Running, Stopped };

  void accept();
  void start_session(tcp::socket socket);
  void take_backlog_and_close();
  void run_worker();
  std::vector<std::shared_ptr<Session>> sessions();
  template <class Fn>
  void post_to_sessions(Fn fn);

  const Router& router_;
  const ServerOptions options_;
  std::atomic<unsigned short> port_{0};
  std::atomic<bool> stopping_{false};
  std::atomic<std::size_t> answered_while_stopping_{0};
  std::atomic<std::size_t> idle_closed_{0};
  std::atomic<std::size_t> cut_off_{0};
  // Counted by every request of every connection: an atomic, so that the workers do not contend
  // for `mutex_` twice per request.
  std::atomic<std::size_t> active_requests_{0};

  std::mutex stop_mutex_;  // serialises start() and stop()
  // Declared before the io_context: sessions still owned by its queued handlers are destroyed with
  // it and unregister themselves here.
  std::mutex mutex_;
  std::condition_variable changed_;
  State state_ = State::Idle;
  bool stop_requested_ = false;
  std::unordered_map<Session*, std::weak_ptr<Session>> sessions_;
  asio::io_context* signal_context_ = nullptr;

  asio::io_context io_context_;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work_;
  // The acceptor and its retry timer live on one strand, so stop() can close them by posting there.
  asio::strand<asio::io_context::executor_type> accept_strand_{io_context_.get_executor()};
  tcp::acceptor acceptor_{accept_strand_};
  asio::steady_timer accept_retry_{accept_strand_};
  std::vector<std::thread> threads_;
  std::optional<asio::thread_pool> handler_pool_;
};

/// The status line and fields of `response` as they go on the wire, into `head` (cleared first),
/// and its body into `body`; `status` is the status sent. Byte for byte what Beast's serializer
/// writes for the message the adapter means. Recomputes Content-Length (a HEAD response keeps the
/// handler's), drops Transfer-Encoding and Connection (a `Connection: close` from the handler
/// clears `keep_alive`), adds `Server: oasgen` unless there is one, and `Connection` where the
/// version's default is not what `keep_alive` says. An invalid status or field becomes a 500.
void serialize(Response response, unsigned version, bool& keep_alive, bool head,
               std::string& head_out, std::string& body, int& status);

// One connection. Every member function runs on the connection's strand (the stream's executor).
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(ServerCore& core, tcp::socket socket, std::string remote)
      : core_(core), stream_(std::move(socket)), remote_(std::move(remote)) {}

  /// Makes the session answer 503 at once and close (past `max_connections`).
  void refuse() { refuse_ = true; }

  ~Session();
  void start();

  /// Closes the connection unless a request is being read, handled or answered.
  void close_if_idle();

  /// Closes the connection, counting a request cut short.
  void close_soon();

  /// On the strand, or once no thread runs the io_context any more.
  void close() noexcept;

 private:
  // No exception leaves a completion handler: whatever goes wrong closes the connection.
  template <class Fn>
  void guarded(Fn&& fn) noexcept {
    try {
      fn();
    } catch (...) {
      close();
    }
  }

  template <class Member>
  auto bind(Member member) {
    return [self = shared_from_this(), member](beast::error_code ec, std::size_t bytes) {
      self->guarded([&] { ((*self).*member)(ec, bytes); });
    };
  }

  const ServerOptions& options() const { return core_.options(); }

  // Between requests with no byte of the next one received (lingering connections close
  // themselves).
  bool idle();
  void refuse_connection();
  void next_request();
  void on_idle_read(beast::error_code ec, std::size_t bytes);
  void read_header();
  void on_header(beast::error_code ec, std::size_t);
  bool conform_head();
  void on_continue(beast::error_code ec, std::size_t);
  void read_body() { http::async_read(stream_, buffer_, *parser_, bind(&Session::on_request)); }

  void on_read_error(beast::error_code ec);
  // A read that ended with `ec`: counted as an idle connection closed by a drain when
  // `close_if_idle` cancelled it.
  void close_idle_or_failed(beast::error_code ec);

  // Returns the number of requests in flight, this one included.
  std::size_t begin_request();
  void on_request(beast::error_code ec, std::size_t);
  /// Runs the router; throws only when out of memory.
  Response handle(Request request) const;
  void respond_error(int status, std::string detail);
  void respond(Response response, unsigned version, bool keep_alive, bool head);
  void on_write(beast::error_code ec, std::size_t);
  void linger();
  void drain();
  void on_drain(beast::error_code ec, std::size_t);

  ServerCore& core_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::optional<http::response<http::empty_body>> continue_;
  // The response being written: its status line and fields, its body (see `serialize`).
  std::string head_;
  std::string body_;
  int status_ = 0;
  const std::string remote_;
  std::string method_;
  std::string target_;
  Clock::time_point started_;
  Clock::time_point header_read_;
  bool first_ = true;
  bool skipped_empty_line_ = false;  // this request's leading CRLF (http_conformance.hpp)
  bool refuse_ = false;
  bool lingering_ = false;
  bool closing_idle_ = false;  // a drain cancelled the read of an idle connection
  bool busy_ = false;  // between a complete request and the end of its response
  bool keep_alive_ = false;
};

}  // namespace oasgen::detail
