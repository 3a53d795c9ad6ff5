// The HTTP/1.1 adapter: the only code in the runtime that includes Beast/Asio. Each connection is a
// `Session` on its own strand that reads one request, runs the router synchronously on the worker
// thread, writes the response in one gather write, and only then reads the next request, so
// pipelined requests are answered in order.
#include "oasgen/server.hpp"

#include <algorithm>
#include <atomic>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <condition_variable>
#include <csignal>
#include <cstdint>
#include <limits>
#include <future>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <system_error>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include "http_conformance.hpp"
#include "oasgen/middleware/health.hpp"
#include "oasgen/problem.hpp"

namespace oasgen {
namespace {

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

  std::mutex stop_mutex_;  // serialises start() and stop()
  // Declared before the io_context: sessions still owned by its queued handlers are destroyed with
  // it and unregister themselves here.
  std::mutex mutex_;
  std::condition_variable changed_;
  State state_ = State::Idle;
  bool stop_requested_ = false;
  std::size_t active_requests_ = 0;
  std::unordered_map<Session*, std::weak_ptr<Session>> sessions_;
  asio::io_context* signal_context_ = nullptr;

  asio::io_context io_context_;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work_;
  // The acceptor and its retry timer live on one strand, so stop() can close them by posting there.
  asio::strand<asio::io_context::executor_type> accept_strand_{io_context_.get_executor()};
  tcp::acceptor acceptor_{accept_strand_};
  asio::steady_timer accept_retry_{accept_strand_};
  std::vector<std::thread> threads_;
};

std::string endpoint_text(const tcp::endpoint& endpoint) {
  const auto address = endpoint.address();
  const std::string host = address.is_v6() ? "[" + address.to_string() + "]" : address.to_string();
  return host + ":" + std::to_string(endpoint.port());
}

bool is_field_text(std::string_view text) {
  return text.find_first_of("\r\n") == std::string_view::npos;
}

bool is_field_name(std::string_view name) {
  return !name.empty() && name.find_first_of(" \t\r\n:") == std::string_view::npos;
}

// Builds the wire message. The handler's Content-Length, Transfer-Encoding and Connection are the
// adapter's business and are recomputed, except that a HEAD response keeps the Content-Length the
// GET would have had.
http::response<http::string_body> to_beast(Response response, unsigned version, bool& keep_alive,
                                           bool head) {
  const bool valid_status = response.status >= 200 && response.status <= 999;
  const bool valid_fields = std::all_of(
      response.headers.begin(), response.headers.end(),
      [](const auto& field) { return is_field_name(field.first) && is_field_text(field.second); });
  if (!valid_status || !valid_fields) {
    response = problem_response(500, "the handler produced an invalid response");
  }

  http::response<http::string_body> out;
  out.version(version);
  out.result(static_cast<unsigned>(response.status));
  std::optional<std::string> content_length;
  bool has_server = false;
  for (const auto& [name, value] : response.headers) {
    if (beast::iequals(name, "Content-Length")) {
      content_length = value;
    } else if (beast::iequals(name, "Connection")) {
      if (beast::iequals(value, "close")) keep_alive = false;
    } else if (!beast::iequals(name, "Transfer-Encoding")) {
      has_server = has_server || beast::iequals(name, "Server");
      out.insert(name, value);
    }
  }
  const int status = response.status;
  if (status == 204 || status == 304) {
    // No body; a 304 may announce the length of the representation it stands for.
    response.body.clear();
    if (status == 304 && content_length) out.set(http::field::content_length, *content_length);
  } else if (head) {
    out.set(http::field::content_length,
            content_length.value_or(std::to_string(response.body.size())));
    response.body.clear();
  } else {
    out.content_length(response.body.size());
  }
  if (!has_server) out.set(http::field::server, "oasgen");
  out.keep_alive(keep_alive);
  out.body() = std::move(response.body);
  return out;
}

const boost::system::error_category& http_category() {
  return http::make_error_code(http::error::bad_method).category();
}

// One connection. Every member function runs on the connection's strand (the stream's executor).
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(ServerCore& core, tcp::socket socket, std::string remote)
      : core_(core), stream_(std::move(socket)), remote_(std::move(remote)) {}

  /// Makes the session answer 503 at once and close (past `max_connections`).
  void refuse() { refuse_ = true; }

  ~Session() {
    if (busy_) core_.request_finished();
    core_.forget(this);
  }

  void start() {
    asio::dispatch(stream_.get_executor(), [self = shared_from_this()] {
      self->guarded([&] { self->refuse_ ? self->refuse_connection() : self->next_request(); });
    });
  }

  /// Closes the connection unless a request is being read, handled or answered.
  void close_if_idle() {
    asio::post(stream_.get_executor(), [self = shared_from_this()] {
      if (self->idle()) {
        self->core_.note_idle_closed();
        self->close();
      }
    });
  }

  /// Closes the connection, counting a request cut short.
  void close_soon() {
    asio::post(stream_.get_executor(), [self = shared_from_this()] {
      if (!self->idle() && !self->lingering_) self->core_.note_cut_off();
      self->close();
    });
  }

  /// On the strand, or once no thread runs the io_context any more.
  void close() noexcept {
    if (busy_) {
      busy_ = false;
      core_.request_finished();
    }
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream_.close();  // also cancels the timer
  }

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
  bool idle() {
    if (busy_ || lingering_ || buffer_.size() > 0 || (parser_ && parser_->got_some())) return false;
    beast::error_code ec;
    return stream_.socket().available(ec) == 0 || ec;
  }

  void refuse_connection() {
    started_ = Clock::now();
    respond(overloaded_response("too many connections", options().retry_after_seconds), 11, false,
            false);
  }

  void next_request() {
    // Draining: a request whose bytes have arrived is still read and answered.
    if (core_.stopping() && idle()) {
      core_.note_idle_closed();
      return close();
    }
    if (!first_ && buffer_.size() == 0) {
      // Between keep-alive requests the idle timeout applies until the next request begins.
      stream_.expires_after(options().idle_timeout);
      stream_.async_read_some(buffer_.prepare(4096), bind(&Session::on_idle_read));
    } else {
      read_header();
    }
  }

  void on_idle_read(beast::error_code ec, std::size_t bytes) {
    if (ec) return close();
    buffer_.commit(bytes);
    read_header();
  }

  void read_header() {
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(std::min<std::size_t>(
        options().max_header_bytes, std::numeric_limits<std::uint32_t>::max())));
    parser_->body_limit(static_cast<std::uint64_t>(options().max_body_bytes));
    // One deadline for the whole request, header and body.
    stream_.expires_after(options().read_timeout);
    http::async_read_header(stream_, buffer_, *parser_, bind(&Session::on_header));
  }

  void on_header(beast::error_code ec, std::size_t) {
    if (ec) return on_read_error(ec);
    header_read_ = Clock::now();
    skipped_empty_line_ = false;
    if (!conform_head()) return;
    const auto& request = parser_->get();
    if (request.version() >= 11 && !parser_->is_done() &&
        beast::iequals(request[http::field::expect], "100-continue")) {
      continue_.emplace(http::status::continue_, 11);
      http::async_write(stream_, *continue_, bind(&Session::on_continue));
    } else {
      read_body();
    }
  }

  // The RFC 9110/9112 rules Beast leaves to us (http_conformance.hpp); false: answered and closing.
  bool conform_head() {
    auto& request = parser_->get();
    const auto view = [](beast::string_view s) { return std::string_view(s.data(), s.size()); };
    std::vector<detail::HeadField> fields;
    for (const auto& field : request) {
      fields.emplace_back(view(field.name_string()), view(field.value()));
    }
    auto check = detail::check_request_head(view(request.method_string()), view(request.target()),
                                            request.version(), fields);
    if (check.status != 0) {
      respond_error(check.status, std::move(check.detail));
      return false;
    }
    if (!check.target.empty()) request.target(check.target);
    return true;
  }

  void on_continue(beast::error_code ec, std::size_t) {
    if (ec) return close();
    read_body();
  }

  void read_body() { http::async_read(stream_, buffer_, *parser_, bind(&Session::on_request)); }

  void on_read_error(beast::error_code ec) {
    if (ec == http::error::header_limit) {
      // Beast consumes the request-line once parsed, and only then sets the method.
      if (detail::header_limit_status(!parser_->get().method_string().empty()) == 414) {
        return respond_error(414, "the request line is longer than " +
                                      std::to_string(options().max_header_bytes) + " bytes");
      }
      return respond_error(431, "the request header is larger than " +
                                    std::to_string(options().max_header_bytes) + " bytes");
    }
    if (ec == http::error::body_limit) {
      return respond_error(413, "the request body is larger than " +
                                    std::to_string(options().max_body_bytes) + " bytes");
    }
    if (!skipped_empty_line_ && &ec.category() == &http_category()) {
      // One empty line before the request-line is ignored (RFC 9112 2.2); Beast refuses it.
      const auto received = buffer_.cdata();
      if (const auto n = detail::leading_empty_line(
              {static_cast<const char*>(received.data()), received.size()})) {
        skipped_empty_line_ = true;
        buffer_.consume(n);
        return read_header();
      }
    }
    if (ec == http::error::bad_version) {
      // Beast parses HTTP/1.0 and 1.1 only; the header is still in buffer_, unconsumed.
      const auto received = buffer_.data();
      auto* bytes = static_cast<char*>(received.data());
      const auto fix = detail::fix_version({bytes, received.size()});
      if (fix.status == 505) return respond_error(505, "only HTTP/1.0 and HTTP/1.1 are supported");
      if (fix.minor_at != std::string_view::npos) {
        bytes[fix.minor_at] = '1';  // HTTP/1.x above 1.1 is read as HTTP/1.1 (RFC 9110 2.5)
        return read_header();
      }
    }
    // A client that closes or stalls mid-request gets no answer; malformed bytes get a 400.
    if (ec == http::error::end_of_stream || ec == http::error::partial_message ||
        &ec.category() != &http_category()) {
      return close();
    }
    respond_error(400, "malformed HTTP request: " + ec.message());
  }

  // Returns the number of requests in flight, this one included.
  std::size_t begin_request() {
    std::size_t in_flight = 0;
    if (!busy_) {
      busy_ = true;
      in_flight = core_.request_started();
    }
    started_ = Clock::now();
    const auto& request = parser_->get();
    method_ = std::string(request.method_string());
    target_ = std::string(request.target());
    return in_flight;
  }

  void on_request(beast::error_code ec, std::size_t) {
    if (ec) return on_read_error(ec);
    const std::size_t in_flight = begin_request();
    auto& message = parser_->get();
    Request request;
    request.method = method_;
    request.target = target_;
    for (const auto& field : message) {
      request.headers.add(std::string(field.name_string()), std::string(field.value()));
    }
    request.body = std::move(message.body());
    request.remote_address = remote_;
    request.received = started_;
    request.overloaded = options().max_in_flight != 0 && in_flight > options().max_in_flight;
    if (options().handler_deadline.count() > 0) {
      request.deadline = header_read_ + options().handler_deadline;
    }
    const bool head = message.method() == http::verb::head;
    const bool keep_alive = message.keep_alive();
    const unsigned version = message.version();

    Response response;
    try {
      response = core_.router().handle(std::move(request));
    } catch (...) {
      // Router::handle promises not to throw; should it, the client still gets an answer.
      response = problem_response(500);
    }
    respond(std::move(response), version, keep_alive, head);
  }

  void respond_error(int status, std::string detail) {
    begin_request();
    respond(problem_response(status, std::move(detail)), 11, false, false);
  }

  void respond(Response response, unsigned version, bool keep_alive, bool head) {
    keep_alive_ = keep_alive && !core_.stopping();
    response_.emplace(to_beast(std::move(response), version, keep_alive_, head));
    // A client that stops reading the response counts as idle.
    stream_.expires_after(options().idle_timeout);
    // For a string body the serializer hands header and body to one write_some (a gather write).
    http::async_write(stream_, *response_, bind(&Session::on_write));
  }

  void on_write(beast::error_code ec, std::size_t) {
    if (busy_) {
      busy_ = false;
      core_.request_finished();
    }
    if (ec) return close();
    if (core_.stopping()) core_.note_answered();
    if (options().access_log) {
      AccessLogEntry entry;
      entry.method = std::move(method_);
      entry.target = std::move(target_);
      entry.status = static_cast<int>(response_->result_int());
      entry.response_bytes = response_->body().size();
      entry.duration =
          std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - started_);
      entry.remote = remote_;
      core_.log(entry);
    }
    response_.reset();
    parser_.reset();
    first_ = false;
    if (!keep_alive_) return linger();
    // A drain that began while this response was written: it promised keep-alive, so a request the
    // client has already sent is still read and answered (with Connection: close); next_request
    // closes the connection if none has.
    next_request();
  }

  void linger() {
    lingering_ = true;
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    if (ec) return close();
    stream_.expires_after(kLingerTime);
    drain();
  }

  void drain() {
    buffer_.clear();
    stream_.async_read_some(buffer_.prepare(4096), bind(&Session::on_drain));
  }

  void on_drain(beast::error_code ec, std::size_t) {
    if (ec) return close();
    drain();
  }

  ServerCore& core_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::optional<http::response<http::empty_body>> continue_;
  std::optional<http::response<http::string_body>> response_;
  const std::string remote_;
  std::string method_;
  std::string target_;
  Clock::time_point started_;
  Clock::time_point header_read_;
  bool first_ = true;
  bool skipped_empty_line_ = false;  // this request's leading CRLF (http_conformance.hpp)
  bool refuse_ = false;
  bool lingering_ = false;
  bool busy_ = false;  // between a complete request and the end of its response
  bool keep_alive_ = false;
};

unsigned short ServerCore::start() {
  std::lock_guard stop_lock(stop_mutex_);
  {
    std::lock_guard lock(mutex_);
    if (state_ != State::Idle) {
      throw std::logic_error("oasgen::Server::start: a server can be started only once");
    }
  }
  const auto fail = [&](const boost::system::error_code& ec, const std::string& what) {
    boost::system::error_code ignored;
    acceptor_.close(ignored);
    throw std::system_error(std::error_code(ec),
                            what + " " + options_.address + ":" + std::to_string(options_.port));
  };
  boost::system::error_code ec;
  tcp::resolver resolver(io_context_);
  const auto endpoints =
      resolver.resolve(options_.address, std::to_string(options_.port),
                       tcp::resolver::passive | tcp::resolver::numeric_service, ec);
  if (ec || endpoints.empty()) fail(ec, "cannot resolve");
  const tcp::endpoint endpoint = endpoints.begin()->endpoint();
  acceptor_.open(endpoint.protocol(), ec);
  if (ec) fail(ec, "cannot open a socket for");
  acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
  if (ec) fail(ec, "cannot set SO_REUSEADDR for");
  acceptor_.bind(endpoint, ec);
  if (ec) fail(ec, "cannot bind");
  acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) fail(ec, "cannot listen on");
  port_ = acceptor_.local_endpoint(ec).port();

  {
    std::lock_guard lock(mutex_);
    state_ = State::Running;
  }
  work_.emplace(io_context_.get_executor());
  asio::post(accept_strand_, [this] { accept(); });
  const unsigned count =
      options_.threads != 0 ? options_.threads : std::max(1u, std::thread::hardware_concurrency());
  for (unsigned i = 0; i < count; ++i) threads_.emplace_back([this] { run_worker(); });
  return port_;
}

void ServerCore::run_worker() {
  // Handlers catch their own exceptions; this loop only keeps a thread alive should one escape.
  for (;;) {
    try {
      io_context_.run();
      return;
    } catch (...) {
    }
  }
}

void ServerCore::accept() {
  acceptor_.async_accept(
      asio::make_strand(io_context_), [this](boost::system::error_code ec, tcp::socket socket) {
        // A connection accepted just before the listener closed is served like the others.
        if (!ec) start_session(std::move(socket));
        if (!acceptor_.is_open()) return;
        if (ec) {
          accept_retry_.expires_after(kAcceptRetryDelay);
          accept_retry_.async_wait([this](boost::system::error_code wait_ec) {
            if (!wait_ec && acceptor_.is_open()) accept();
          });
          return;
        }
        accept();
      });
}

void ServerCore::start_session(tcp::socket socket) {
  try {
    boost::system::error_code ignored;
    socket.set_option(tcp::no_delay(true), ignored);
    const auto remote = socket.remote_endpoint(ignored);
    auto session = std::make_shared<Session>(*this, std::move(socket), endpoint_text(remote));
    if (!add(session)) session->refuse();
    session->start();
  } catch (...) {
    // Out of memory for one connection: drop it and keep accepting.
  }
}

// On the accept strand: the connections the kernel has completed are taken (their clients may have
// sent requests already), then the listener closes.
void ServerCore::take_backlog_and_close() {
  boost::system::error_code ec;
  acceptor_.non_blocking(true, ec);
  while (!ec && acceptor_.is_open()) {
    tcp::socket socket(asio::make_strand(io_context_));
    acceptor_.accept(socket, ec);
    if (!ec) start_session(std::move(socket));
  }
  acceptor_.close(ec);
  accept_retry_.cancel();
}

bool ServerCore::add(const std::shared_ptr<Session>& session) {
  std::lock_guard lock(mutex_);
  sessions_.emplace(session.get(), session);
  return options_.max_connections == 0 || sessions_.size() <= options_.max_connections;
}

void ServerCore::forget(Session* session) {
  std::lock_guard lock(mutex_);
  sessions_.erase(session);
  if (sessions_.empty()) changed_.notify_all();
}

std::size_t ServerCore::request_started() {
  std::lock_guard lock(mutex_);
  return ++active_requests_;
}

void ServerCore::request_finished() {
  std::lock_guard lock(mutex_);
  if (--active_requests_ == 0) changed_.notify_all();
}

void ServerCore::log(const AccessLogEntry& entry) const {
  try {
    options_.access_log(entry);
  } catch (...) {
    // The access log must not take the connection down.
  }
}

std::size_t ServerCore::open_connections() {
  std::lock_guard lock(mutex_);
  return sessions_.size();
}

std::vector<std::shared_ptr<Session>> ServerCore::sessions() {
  std::vector<std::shared_ptr<Session>> result;
  std::lock_guard lock(mutex_);
  for (const auto& [raw, weak] : sessions_) {
    if (auto session = weak.lock()) result.push_back(std::move(session));
  }
  return result;
}

template <class Fn>
void ServerCore::post_to_sessions(Fn fn) {
  // Collected under the lock, used after it: a session destroyed here unregisters itself.
  for (const auto& session : sessions()) fn(*session);
}

DrainReport ServerCore::drain(const DrainOptions& options) {
  const auto began = Clock::now();
  DrainReport report;
  std::lock_guard stop_lock(stop_mutex_);
  if (options.health) options.health->set_ready(false);
  {
    std::lock_guard lock(mutex_);
    stop_requested_ = true;
    if (signal_context_ != nullptr) signal_context_->stop();
    if (state_ != State::Running) {
      state_ = State::Stopped;
      return report;
    }
  }
  if (options.announce.count() > 0) std::this_thread::sleep_for(options.announce);
  // Shared: should every worker be stuck in a handler past the grace, this outlives the wait.
  auto closed = std::make_shared<std::promise<void>>();
  asio::post(accept_strand_, [this, closed] {
    take_backlog_and_close();
    closed->set_value();
  });
  closed->get_future().wait_for(options.grace);
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    report.connections = sessions_.size();
    report.requests_in_progress = active_requests_;
  }
  post_to_sessions([](Session& session) { session.close_if_idle(); });
  {
    std::unique_lock lock(mutex_);
    changed_.wait_for(lock, options.grace, [&] { return sessions_.empty(); });
  }
  post_to_sessions([](Session& session) { session.close_soon(); });
  {
    std::unique_lock lock(mutex_);
    changed_.wait_for(lock, std::chrono::seconds(1), [&] { return sessions_.empty(); });
  }
  work_.reset();
  io_context_.stop();
  for (auto& thread : threads_) thread.join();
  threads_.clear();
  // Whatever the posted closes did not reach: no thread runs the io_context now, so close directly.
  boost::system::error_code ignored;
  acceptor_.close(ignored);
  accept_retry_.cancel();
  post_to_sessions([](Session& session) { session.close(); });
  std::lock_guard lock(mutex_);
  state_ = State::Stopped;
  report.answered = answered_while_stopping_.load();
  report.idle_closed = idle_closed_.load();
  report.cut_off = cut_off_.load();
  report.took = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - began);
  return report;
}

void ServerCore::wait_for_shutdown_signal() {
  asio::io_context signal_context(1);
  asio::signal_set signals(signal_context, SIGINT, SIGTERM);
  signals.async_wait([](const boost::system::error_code&, int) {});
  bool wait = false;
  {
    std::lock_guard lock(mutex_);
    if (!stop_requested_) {
      signal_context_ = &signal_context;
      wait = true;
    }
  }
  if (wait) {
    signal_context.run();
    std::lock_guard lock(mutex_);
    signal_context_ = nullptr;
  }
  drain({options_.shutdown_grace, nullptr, {}});
}

}  // namespace

struct Server::Impl {
  Impl(const Router& router, ServerOptions options) : core(router, std::move(options)) {}
  ServerCore core;
};

Server::Server(const Router& router, ServerOptions options)
    : impl_(std::make_unique<Impl>(router, std::move(options))) {}

Server::~Server() {
  try {
    stop();
  } catch (...) {
    // A destructor must not throw; joining threads is the only thing that could.
  }
}

unsigned short Server::start() { return impl_->core.start(); }

unsigned short Server::port() const { return impl_->core.port(); }

std::size_t Server::open_connections() const { return impl_->core.open_connections(); }

void Server::stop() { impl_->core.drain({impl_->core.options().shutdown_grace, nullptr, {}}); }

DrainReport Server::drain(const DrainOptions& options) { return impl_->core.drain(options); }

void Server::wait_for_shutdown_signal() { impl_->core.wait_for_shutdown_signal(); }

}  // namespace oasgen
