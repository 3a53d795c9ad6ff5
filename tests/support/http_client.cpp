// Blocking on the outside, asynchronous inside: Beast's tcp_stream timeouts apply only to
// asynchronous operations, so each call runs a private io_context until its operations finish.
#include "http_client.hpp"

#include <cstdint>
#include <limits>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <optional>
#include <stdexcept>

namespace oasgen::test {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

constexpr std::chrono::seconds kRequestTimeout{5};
constexpr std::chrono::seconds kRawTimeout{2};

}  // namespace

struct HttpClient::Impl {
  std::string host;
  unsigned short port;
  asio::io_context context;
  std::optional<beast::tcp_stream> stream;
  beast::flat_buffer buffer;

  void run() {
    context.restart();
    context.run();
  }

  // Connects a new stream whose deadline is `timeout` from now.
  beast::tcp_stream connect(std::chrono::steady_clock::duration timeout) {
    tcp::resolver resolver(context);
    const auto endpoints = resolver.resolve(host, std::to_string(port));
    beast::tcp_stream fresh(context);
    fresh.expires_after(timeout);
    beast::error_code ec;
    fresh.async_connect(endpoints, [&](beast::error_code e, const tcp::endpoint&) { ec = e; });
    run();
    if (ec) throw std::runtime_error("HttpClient: cannot connect: " + ec.message());
    fresh.socket().set_option(tcp::no_delay(true), ec);
    return fresh;
  }

  void disconnect() {
    stream.reset();
    buffer.clear();
  }
};

HttpClient::HttpClient(std::string host, unsigned short port) : impl_(std::make_unique<Impl>()) {
  impl_->host = std::move(host);
  impl_->port = port;
}

HttpClient::~HttpClient() = default;

HttpResult HttpClient::send(const std::string& method, const std::string& target,
                            const std::string& body,
                            const std::vector<std::pair<std::string, std::string>>& headers) {
  http::request<http::string_body> request;
  request.method_string(method);
  request.target(target);
  request.version(11);
  request.set(http::field::host, impl_->host + ":" + std::to_string(impl_->port));
  bool framed = false;
  for (const auto& [name, value] : headers) {
    framed = framed || beast::iequals(name, "Content-Length") ||
             beast::iequals(name, "Transfer-Encoding");
    request.insert(name, value);
  }
  request.body() = body;
  if (!framed && !body.empty()) request.content_length(body.size());

  for (int attempt = 0;; ++attempt) {
    const bool reused = impl_->stream.has_value();
    if (!reused) impl_->stream.emplace(impl_->connect(kRequestTimeout));
    auto& stream = *impl_->stream;
    stream.expires_after(kRequestTimeout);

    // A failed write may still leave a response to read (e.g. 413 before the whole body was sent).
    beast::error_code write_ec;
    http::async_write(stream, request, [&](beast::error_code e, std::size_t) { write_ec = e; });
    impl_->run();

    http::response_parser<http::string_body> parser;
    parser.body_limit(std::numeric_limits<std::uint64_t>::max());
    if (method == "HEAD") parser.skip(true);
    beast::error_code read_ec;
    http::async_read(stream, impl_->buffer, parser,
                     [&](beast::error_code e, std::size_t) { read_ec = e; });
    impl_->run();

    if (read_ec) {
      impl_->disconnect();
      // A kept-alive connection the server has closed in the meantime: once more on a new one.
      const bool stale = read_ec == http::error::end_of_stream ||
                         read_ec == asio::error::connection_reset ||
                         write_ec == asio::error::broken_pipe;
      if (reused && attempt == 0 && stale) continue;
      throw std::runtime_error("HttpClient: " + method + " " + target + ": " + read_ec.message());
    }

    auto& response = parser.get();
    HttpResult result;
    result.status = static_cast<int>(response.result_int());
    for (const auto& field : response) {
      result.headers.add(std::string(field.name_string()), std::string(field.value()));
    }
    result.body = std::move(response.body());
    if (!response.keep_alive()) impl_->disconnect();
    return result;
  }
}

std::string HttpClient::raw(const std::string& bytes) {
  beast::tcp_stream stream = impl_->connect(kRawTimeout);
  beast::error_code ignored;
  asio::async_write(stream, asio::buffer(bytes),
                    [&](beast::error_code e, std::size_t) { ignored = e; });
  impl_->run();
  // Reads until the server closes, resets, or the deadline set at connect passes.
  std::string received;
  asio::async_read(stream, asio::dynamic_buffer(received),
                   [&](beast::error_code e, std::size_t) { ignored = e; });
  impl_->run();
  return received;
}

}  // namespace oasgen::test
