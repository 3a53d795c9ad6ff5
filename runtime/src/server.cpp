// The HTTP/1.1 server's life: binding and listening, accepting connections into sessions
// (server_session.cpp), the worker threads, overload accounting, and drain and stop.
#include "oasgen/server.hpp"

#include <algorithm>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <csignal>
#include <future>
#include <stdexcept>
#include <system_error>
#include <utility>

#include "oasgen/middleware/health.hpp"
#include "server_session.hpp"

namespace oasgen {
namespace detail {
namespace {

std::string endpoint_text(const tcp::endpoint& endpoint) {
  const auto address = endpoint.address();
  const std::string host = address.is_v6() ? "[" + address.to_string() + "]" : address.to_string();
  return host + ":" + std::to_string(endpoint.port());
}

}  // namespace

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
  if (options_.handler_threads != 0) handler_pool_.emplace(options_.handler_threads);
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

std::size_t ServerCore::request_started() { return active_requests_.fetch_add(1) + 1; }

void ServerCore::request_finished() { active_requests_.fetch_sub(1); }

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
    report.requests_in_progress = active_requests_.load();
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
  // Handlers still running past the grace finish (a thread cannot be interrupted); requests
  // queued behind them are dropped with their connections, counted as cut off above.
  if (handler_pool_) {
    handler_pool_->stop();
    handler_pool_->join();
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

}  // namespace detail

struct Server::Impl {
  Impl(const Router& router, ServerOptions options) : core(router, std::move(options)) {}
  detail::ServerCore core;
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