// HttpTransport: the client side of the HTTP adapter, on Boost.Beast (with OpenSSL for https when
// the build found it). Calls are synchronous for the caller but run as asynchronous operations
// on a per-connection io_context, so that every step has a deadline: the stream's expiry turns a
// peer that never answers into `beast::error::timeout`.
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#ifdef OASGEN_HAVE_OPENSSL
#include <boost/asio/ssl.hpp>
#include <boost/beast/ssl.hpp>
#endif

#include <atomic>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "oasgen/client.hpp"

namespace oasgen {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

// One connection, with its own io_context: a call runs only its own connection's operations, so
// concurrent calls on separate connections need no locking.
struct Connection {
  asio::io_context ioc;
  std::optional<beast::tcp_stream> plain;
#ifdef OASGEN_HAVE_OPENSSL
  std::optional<beast::ssl_stream<beast::tcp_stream>> tls;
#endif
  beast::flat_buffer buffer;

  beast::tcp_stream& tcp() {
#ifdef OASGEN_HAVE_OPENSSL
    if (tls) return beast::get_lowest_layer(*tls);
#endif
    return *plain;
  }
};

TransportError error(TransportErrorKind kind, std::string message) {
  return TransportError{kind, std::move(message)};
}

// The outcome of one request/response exchange on a connection.
struct Exchange {
  std::optional<Response> response;
  bool keep_alive = false;
  beast::error_code error;
  bool received_nothing = false;  // the peer closed before answering: safe to retry elsewhere
};

template <typename Stream>
Exchange exchange(Connection& connection, Stream& stream,
                  const http::request<http::string_body>& request, std::size_t max_body,
                  Clock::time_point deadline) {
  Exchange out;
  http::response_parser<http::string_body> parser;
  parser.body_limit(max_body);
  parser.header_limit(64 * 1024);
  if (request.method() == http::verb::head) parser.skip(true);
  connection.tcp().expires_at(deadline);
  http::async_write(stream, request, [&](beast::error_code ec, std::size_t) {
    if (ec) {
      out.error = ec;
      out.received_nothing = true;
      return;
    }
    // The header first: Boost 1.74 does not apply `body_limit` to a Content-Length it has read
    // already, so that check is made here.
    http::async_read_header(stream, connection.buffer, parser, [&](beast::error_code ec, std::size_t) {
      out.received_nothing = ec && !parser.got_some();
      if (!ec && parser.content_length() && *parser.content_length() > max_body) {
        ec = http::error::body_limit;
      }
      if (ec) {
        out.error = ec;
        return;
      }
      http::async_read(stream, connection.buffer, parser,
                       [&](beast::error_code ec, std::size_t) { out.error = ec; });
    });
  });
  connection.ioc.restart();
  connection.ioc.run();
  if (out.error) return out;
  auto message = parser.release();
  Response response;
  response.status = static_cast<int>(message.result_int());
  for (const auto& field : message) {
    response.headers.add(std::string(field.name_string()), std::string(field.value()));
  }
  response.body = std::move(message.body());
  out.keep_alive = message.keep_alive();
  out.response = std::move(response);
  return out;
}

}  // namespace

struct HttpTransport::Impl {
  Url url;
  HttpTransportOptions options;
  std::string host_field;
  std::mutex mutex;
  std::vector<std::unique_ptr<Connection>> idle;
  std::atomic<std::size_t> opened{0};
#ifdef OASGEN_HAVE_OPENSSL
  std::optional<asio::ssl::context> ssl;
#endif

  std::unique_ptr<Connection> take_idle() {
    std::lock_guard lock(mutex);
    if (idle.empty()) return nullptr;
    auto connection = std::move(idle.back());
    idle.pop_back();
    return connection;
  }

  void put_idle(std::unique_ptr<Connection> connection) {
    std::lock_guard lock(mutex);
    if (idle.size() < options.max_idle_connections) idle.push_back(std::move(connection));
  }

  std::string where() const { return host_field; }

  // A new connection, connected (and TLS-handshaken) before the deadline.
  std::variant<std::unique_ptr<Connection>, TransportError> connect(Clock::time_point deadline) {
    auto connection = std::make_unique<Connection>();
    const auto connect_deadline = std::min(deadline, Clock::now() + options.connect_timeout);
    beast::error_code ec;
    tcp::resolver::results_type endpoints;
    // The system resolver cannot be cancelled; IP literals (the usual case for services on a
    // known address) skip it.
    const auto address = asio::ip::make_address(url.host, ec);
    if (!ec) {
      endpoints = tcp::resolver::results_type::create(tcp::endpoint(address, url.port), url.host,
                                                      std::to_string(url.port));
    } else {
      tcp::resolver resolver(connection->ioc);
      endpoints = resolver.resolve(url.host, std::to_string(url.port), ec);
      if (ec) return error(TransportErrorKind::Resolve, url.host + ": " + ec.message());
    }
#ifdef OASGEN_HAVE_OPENSSL
    if (ssl) {
      connection->tls.emplace(connection->ioc, *ssl);
    } else {
      connection->plain.emplace(connection->ioc);
    }
#else
    connection->plain.emplace(connection->ioc);
#endif
    beast::tcp_stream& stream = connection->tcp();
    stream.expires_at(connect_deadline);
    stream.async_connect(endpoints, [&](beast::error_code result, const tcp::endpoint&) {
      ec = result;
    });
    connection->ioc.run();
    if (ec == beast::error::timeout) {
      return error(TransportErrorKind::Timeout, "connecting to " + where() + " timed out");
    }
    if (ec) return error(TransportErrorKind::Connect, where() + ": " + ec.message());
    stream.socket().set_option(tcp::no_delay(true), ec);
    ++opened;
#ifdef OASGEN_HAVE_OPENSSL
    if (connection->tls) {
      auto& tls = *connection->tls;
      // SNI (for host names only, as RFC 6066 says), and the name the certificate must carry.
      beast::error_code not_ip;
      asio::ip::make_address(url.host, not_ip);
      if (not_ip && !SSL_set_tlsext_host_name(tls.native_handle(), url.host.c_str())) {
        return error(TransportErrorKind::Tls, "cannot set the TLS server name");
      }
      if (options.verify_peer) tls.set_verify_callback(asio::ssl::host_name_verification(url.host));
      tls.async_handshake(asio::ssl::stream_base::client,
                          [&](beast::error_code result) { ec = result; });
      connection->ioc.restart();
      connection->ioc.run();
      if (ec == beast::error::timeout) {
        return error(TransportErrorKind::Timeout, "TLS handshake with " + where() + " timed out");
      }
      if (ec) return error(TransportErrorKind::Tls, where() + ": " + ec.message());
    }
#endif
    return connection;
  }

  http::request<http::string_body> build(const Request& request) const {
    http::request<http::string_body> out;
    const http::verb verb = http::string_to_verb(request.method);
    if (verb == http::verb::unknown) {
      out.method_string(request.method);
    } else {
      out.method(verb);
    }
    out.target(url.path + (request.target.empty() ? "/" : request.target));
    out.version(11);
    out.set(http::field::host, host_field);
    out.set(http::field::user_agent, options.user_agent);
    for (const auto& [name, value] : request.headers) {
      // Framing is ours to decide.
      if (iequals(name, "Content-Length") || iequals(name, "Transfer-Encoding") ||
          iequals(name, "Host")) {
        continue;
      }
      if (iequals(name, "User-Agent")) out.erase(http::field::user_agent);
      out.insert(beast::string_view(name.data(), name.size()),
                 beast::string_view(value.data(), value.size()));
    }
    out.body() = request.body;
    out.keep_alive(true);
    out.prepare_payload();
    return out;
  }

  TransportResult send(const Request& request, const RequestOptions& call) {
    const auto timeout = call.timeout.count() > 0 ? call.timeout : options.request_timeout;
    const auto deadline = Clock::now() + timeout;
    const auto message = build(request);
    // A reused connection may have been closed by the server while idle; such a failure, before any
    // byte of a response, is retried once on a new connection.
    for (int attempt = 0;; ++attempt) {
      std::unique_ptr<Connection> connection = attempt == 0 ? take_idle() : nullptr;
      const bool reused = connection != nullptr;
      if (!connection) {
        auto connected = connect(deadline);
        if (auto* failure = std::get_if<TransportError>(&connected)) return std::move(*failure);
        connection = std::move(std::get<std::unique_ptr<Connection>>(connected));
      }
      Exchange result;
#ifdef OASGEN_HAVE_OPENSSL
      if (connection->tls) {
        result = exchange(*connection, *connection->tls, message, options.max_response_bytes,
                          deadline);
      } else {
        result = exchange(*connection, *connection->plain, message, options.max_response_bytes,
                          deadline);
      }
#else
      result = exchange(*connection, *connection->plain, message, options.max_response_bytes,
                        deadline);
#endif
      if (result.response) {
        if (result.keep_alive) put_idle(std::move(connection));
        return std::move(*result.response);
      }
      const auto& ec = result.error;
      if (ec == beast::error::timeout) {
        return error(TransportErrorKind::Timeout,
                     request.method + " " + request.target + " to " + where() +
                         ": no response within " + std::to_string(timeout.count()) + " ms");
      }
      if (reused && result.received_nothing) continue;
      // A response cut short by a closed connection is an I/O failure; other parser errors mean
      // the bytes themselves were wrong.
      if (ec.category() == http::make_error_code(http::error::body_limit).category() &&
          ec != http::error::partial_message && ec != http::error::end_of_stream) {
        return error(TransportErrorKind::Protocol, where() + ": " + ec.message());
      }
      return error(TransportErrorKind::Io, where() + ": " + ec.message());
    }
  }
};

HttpTransport::HttpTransport(std::string_view base_url, HttpTransportOptions options)
    : impl_(std::make_unique<Impl>()) {
  auto url = parse_url(base_url);
  if (!url) {
    throw std::invalid_argument("'" + std::string(base_url) +
                                "' is not an absolute http or https URL");
  }
  impl_->url = std::move(*url);
  impl_->options = std::move(options);
  const Url& u = impl_->url;
  const bool ipv6 = u.host.find(':') != std::string::npos;
  impl_->host_field = ipv6 ? "[" + u.host + "]" : u.host;
  if (u.port != (u.scheme == "https" ? 443 : 80)) impl_->host_field += ":" + std::to_string(u.port);
  if (u.scheme == "https") {
#ifdef OASGEN_HAVE_OPENSSL
    auto& ssl = impl_->ssl.emplace(asio::ssl::context::tls_client);
    ssl.set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                    asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                    asio::ssl::context::no_tlsv1_1);
    if (impl_->options.verify_peer) {
      ssl.set_verify_mode(asio::ssl::verify_peer);
      if (impl_->options.ca_file.empty()) {
        ssl.set_default_verify_paths();
      } else {
        ssl.load_verify_file(impl_->options.ca_file);
      }
    } else {
      ssl.set_verify_mode(asio::ssl::verify_none);
    }
#else
    throw std::invalid_argument("'" + std::string(base_url) +
                                "' needs https, and this oasgen runtime was built without OpenSSL");
#endif
  }
}

HttpTransport::~HttpTransport() = default;

TransportResult HttpTransport::send(const Request& request, const RequestOptions& options) {
  try {
    return impl_->send(request, options);
  } catch (const std::exception& e) {
    return error(TransportErrorKind::Io, e.what());
  }
}

std::size_t HttpTransport::connections_opened() const { return impl_->opened; }

bool HttpTransport::supports_https() {
#ifdef OASGEN_HAVE_OPENSSL
  return true;
#else
  return false;
#endif
}

}  // namespace oasgen
