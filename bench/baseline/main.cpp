// baseline-server: the hand-written Boost.Beast server the benchmark measures oasgen against. The
// structure of Beast's advanced async server example: a session per connection on its own strand,
// read a request, answer it, read the next; N threads on one io_context.
//
//   baseline-server [--port N] [--threads N]   (prints "listening on http://127.0.0.1:PORT")
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "pet_api.hpp"

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

std::string_view view(beast::string_view text) { return {text.data(), text.size()}; }

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, baseline::PetStore& store) : stream_(std::move(socket)), store_(store) {}

  void start() {
    asio::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->read(); });
  }

 private:
  void read() {
    request_ = {};
    stream_.expires_after(std::chrono::seconds(60));
    http::async_read(stream_, buffer_, request_,
                     [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_read(ec); });
  }

  void on_read(beast::error_code ec) {
    if (ec) return close();
    std::optional<std::string_view> request_id;
    if (auto it = request_.find("X-Request-Id"); it != request_.end()) request_id = view(it->value());
    baseline::Reply reply;
    try {
      reply = store_.handle(view(request_.method_string()), view(request_.target()), request_id,
                            request_.body());
    } catch (const std::exception&) {
      reply.status = 500;
      reply.content_type = "application/problem+json";
      reply.body = R"({"type":"about:blank","title":"Internal Server Error","status":500})";
    }
    response_.emplace(static_cast<http::status>(reply.status), request_.version());
    response_->set(http::field::server, "baseline");
    if (!reply.content_type.empty()) response_->set(http::field::content_type, reply.content_type);
    if (reply.total_count) response_->set("X-Total-Count", std::to_string(*reply.total_count));
    if (!reply.allow.empty()) response_->set(http::field::allow, reply.allow);
    response_->keep_alive(request_.keep_alive());
    response_->body() = std::move(reply.body);
    response_->prepare_payload();
    http::async_write(stream_, *response_,
                      [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_write(ec); });
  }

  void on_write(beast::error_code ec) {
    if (ec) return close();
    const bool keep_alive = response_->keep_alive();
    response_.reset();
    if (!keep_alive) return close();
    read();
  }

  void close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
  }

  beast::tcp_stream stream_;
  baseline::PetStore& store_;
  beast::flat_buffer buffer_;
  http::request<http::string_body> request_;
  std::optional<http::response<http::string_body>> response_;
};

void accept(tcp::acceptor& acceptor, asio::io_context& context, baseline::PetStore& store) {
  acceptor.async_accept(asio::make_strand(context), [&](beast::error_code ec, tcp::socket socket) {
    if (!ec) {
      socket.set_option(tcp::no_delay(true), ec);
      std::make_shared<Session>(std::move(socket), store)->start();
    }
    accept(acceptor, context, store);
  });
}

}  // namespace

int main(int argc, char** argv) {
  unsigned short port = 0;
  unsigned threads = std::max(1u, std::thread::hardware_concurrency());
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string arg = argv[i];
    if (arg == "--port") {
      port = static_cast<unsigned short>(std::atoi(argv[i + 1]));
    } else if (arg == "--threads") {
      threads = static_cast<unsigned>(std::max(1, std::atoi(argv[i + 1])));
    } else {
      std::cerr << "usage: baseline-server [--port N] [--threads N]\n";
      return 2;
    }
  }
  asio::io_context context(static_cast<int>(threads));
  baseline::PetStore store;
  tcp::acceptor acceptor(context, {asio::ip::make_address("127.0.0.1"), port});
  accept(acceptor, context, store);
  asio::signal_set signals(context, SIGINT, SIGTERM);
  signals.async_wait([&](beast::error_code, int) { context.stop(); });
  std::cout << "listening on http://127.0.0.1:" << acceptor.local_endpoint().port() << std::endl;
  std::vector<std::thread> workers;
  for (unsigned i = 1; i < threads; ++i) workers.emplace_back([&] { context.run(); });
  context.run();
  for (auto& worker : workers) worker.join();
  return 0;
}
