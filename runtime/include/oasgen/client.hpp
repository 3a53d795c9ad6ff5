// What generated clients stand on: typed results with a transport error or an undeclared response
// as the alternative, response reading with validation, credentials for the spec's security
// schemes, server URLs, and a transport interface with an HTTP/1.1 implementation (Boost.Beast,
// hidden behind this header).
//
//   petstore::Client client("http://127.0.0.1:8080");
//   auto result = client.get_pet({.pet_id = 7});
//   if (const auto* ok = result.get_if<petstore::GetPetOk>()) std::cout << ok->body.name;
//   else if (!result.ok()) std::cerr << result.error().message;
#pragma once

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstddef>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

#include "oasgen/http.hpp"
#include "oasgen/json_coding.hpp"
#include "oasgen/params.hpp"
#include "oasgen/problem.hpp"
#include "oasgen/result.hpp"
#include "oasgen/security.hpp"
#include "oasgen/validation.hpp"

namespace oasgen {

// ---- transport ---------------------------------------------------------------------------------

/// Why a request got no response.
enum class TransportErrorKind {
  InvalidUrl,  ///< the base URL cannot be used
  Resolve,     ///< the host name did not resolve
  Connect,     ///< no connection (refused, unreachable, or the connect timeout passed)
  Timeout,     ///< no whole response within the request timeout
  Tls,         ///< the TLS handshake failed (certificate, protocol)
  Io,          ///< the connection failed or closed mid-exchange
  Protocol,    ///< the peer's answer is not valid HTTP/1.1, or too large
};

std::string_view to_string(TransportErrorKind kind);

struct TransportError {
  TransportErrorKind kind = TransportErrorKind::Io;
  std::string message;
};

/// Per-call settings.
struct RequestOptions {
  /// The whole exchange (connect, send, receive) must finish within this; 0 takes the transport's
  /// default.
  std::chrono::milliseconds timeout{0};
  /// Extra header fields for this call; they replace default headers of the same name.
  Headers headers;
};

/// `options` for a call made while serving `context`'s request, with its request id and W3C trace
/// context passed on: `X-Request-Id`, `traceparent` (this request's span as the parent) and
/// `tracestate`, when the request has them (the `RequestIds` middleware).
///
///   auto owner = users.get_user({.id = pet.owner}, oasgen::propagate(context));
RequestOptions propagate(const Context& context, RequestOptions options = {});

using TransportResult = std::variant<Response, TransportError>;

/// Sends requests somewhere. Implement it to plug in your own HTTP stack, a test double or a
/// recorder. `send` gets an origin-form target ("/pets/7?x=1"); where it goes is up to the
/// transport. Implementations must not throw (an exception is reported as an `Io` error).
class Transport {
 public:
  virtual ~Transport() = default;
  virtual TransportResult send(const Request& request, const RequestOptions& options) = 0;
};

/// An absolute http or https URL, split.
struct Url {
  std::string scheme;  ///< "http" or "https"
  std::string host;    ///< without brackets for IPv6 literals
  unsigned short port = 0;
  std::string path;  ///< without a trailing '/'; empty for the root
};

/// Parses an absolute http(s) URL ("https://api.example.com:8443/v1"); nullopt for anything else
/// (relative URLs, other schemes, user info, a query or fragment, a bad port).
std::optional<Url> parse_url(std::string_view url);

struct HttpTransportOptions {
  std::chrono::milliseconds connect_timeout{10'000};  ///< resolving and connecting (and TLS)
  std::chrono::milliseconds request_timeout{30'000};  ///< the whole exchange, connect included
  std::size_t max_idle_connections = 16;               ///< kept open for reuse
  std::size_t max_response_bytes = 64 * 1024 * 1024;  ///< larger: a Protocol error
  std::string user_agent = "oasgen";
  bool verify_peer = true;  ///< https: check the server's certificate and host name
  std::string ca_file;      ///< https: PEM file of trusted CAs; empty: the system's
};

/// HTTP/1.1 over TCP (and TLS for https, when oasgen was built with OpenSSL), with keep-alive
/// connection reuse. Thread-safe: concurrent calls use separate connections.
class HttpTransport final : public Transport {
 public:
  /// `base_url` is absolute ("http://127.0.0.1:8080/v1"); its path prefixes every target.
  /// Throws std::invalid_argument when it cannot be used (see `parse_url`; https without TLS
  /// support).
  explicit HttpTransport(std::string_view base_url, HttpTransportOptions options = {});
  ~HttpTransport() override;
  HttpTransport(const HttpTransport&) = delete;
  HttpTransport& operator=(const HttpTransport&) = delete;

  TransportResult send(const Request& request, const RequestOptions& options) override;

  /// Connections opened so far; with keep-alive, sequential calls share one.
  std::size_t connections_opened() const;
  /// Whether this build speaks https (OpenSSL was found).
  static bool supports_https();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// ---- results -----------------------------------------------------------------------------------

/// Why a call did not produce one of the operation's declared responses.
struct ClientError {
  enum class Kind {
    Transport,   ///< no response at all; see `transport`
    Undeclared,  ///< a status or media type the operation does not declare
    Invalid,     ///< a declared response that breaks the spec; see `errors`
  };
  Kind kind = Kind::Transport;
  std::string message;
  std::optional<TransportError> transport;
  /// The response as received (not for Transport errors).
  int status = 0;
  Headers headers;
  std::string body;
  /// The body, when it is `application/problem+json`.
  std::optional<Problem> problem;
  /// Invalid: every failed check, with its location and pointer.
  std::vector<FieldError> errors;
};

/// Thrown by `ClientResult::value()` when there is no declared response.
class ClientException : public std::runtime_error {
 public:
  explicit ClientException(ClientError error)
      : std::runtime_error(error.message), error_(std::move(error)) {}
  const ClientError& error() const { return error_; }

 private:
  ClientError error_;
};

/// The result of a client call: one of the operation's declared responses (`Cases`), or a
/// `ClientError`. `visit` sees every case and the error:
///
///   result.visit(oasgen::overloaded{[](const GetPetOk& ok) {...}, [](const GetPetNotFound&) {...},
///                                   [](const oasgen::ClientError& error) {...}});
template <typename... Cases>
class ClientResult<Result<Cases...>> : public Result<Cases..., ClientError> {
 public:
  using Declared = Result<Cases...>;
  using Base = Result<Cases..., ClientError>;
  using Base::Base;
  /// The declared response `declared` (the cases keep their positions; the error comes last).
  ClientResult(Declared declared)  // NOLINT(google-explicit-constructor)
      : Base(static_cast<detail::ResultStorage&&>(declared)) {}

  /// Whether a declared response arrived (a declared error status such as 404 included).
  bool ok() const noexcept { return !this->template holds<ClientError>(); }
  /// The error; std::logic_error when ok().
  const ClientError& error() const {
    if (const auto* error = this->template get_if<ClientError>()) return *error;
    throw std::logic_error("oasgen::ClientResult: a declared response arrived, not an error");
  }
  /// The declared response; throws ClientException when !ok().
  Declared value() const& {
    if (!ok()) throw ClientException(error());
    return Declared(Base(*this));
  }
  Declared value() && {
    if (!ok()) throw ClientException(error());
    return Declared(static_cast<detail::ResultStorage&&>(*this));
  }
};

/// Parses an `application/problem+json` body; nullopt when it is not a JSON object.
std::optional<Problem> parse_problem(std::string_view body);

// ---- security and servers ----------------------------------------------------------------------

struct BasicCredentials {
  std::string username;
  std::string password;
};

/// Supplies bearer tokens (e.g. OAuth2 access tokens, see oasgen/security/client_credentials.hpp)
/// to a client, for oauth2, openIdConnect and http bearer schemes. Implementations must be
/// thread-safe; an exception counts as no token.
class TokenSource {
 public:
  virtual ~TokenSource() = default;
  /// A current token; nullopt when none can be had (the request then goes without one).
  virtual std::optional<std::string> token() = 0;
};

/// What the client presents for the spec's security schemes.
struct Credentials {
  /// API keys by security scheme name.
  std::map<std::string, std::string, std::less<>> api_keys;
  /// For http bearer (and other http schemes but basic), oauth2 and openIdConnect schemes.
  std::optional<std::string> bearer_token;
  /// For http basic schemes.
  std::optional<BasicCredentials> basic;
  /// For oauth2, openIdConnect and http bearer schemes when `bearer_token` is not set: asked once
  /// per request, and only when an alternative needs a token.
  std::shared_ptr<TokenSource> token_source;
};

/// Adds credentials for the first alternative of `uses` that `credentials` can satisfy whole
/// (an empty alternative needs none). Adds nothing when no alternative can be satisfied: the server
/// then answers as it does to anonymous callers.
void apply_security(Request& request, const SecurityUse* uses, std::size_t count,
                    const Credentials& credentials);

/// A variable of a server URL template, with its default.
struct ServerVariable {
  std::string_view name;
  std::string_view default_value;
};

/// `url` with every `{name}` replaced by `values[name]`, or else the variable's default. Throws
/// std::invalid_argument for a value given for a variable the URL does not have.
std::string expand_server_url(std::string_view url, const ServerVariable* variables,
                              std::size_t count,
                              const std::map<std::string, std::string>& values = {});

// ---- the core of generated clients -------------------------------------------------------------

struct ClientOptions {
  /// Sent with every request; a request's own fields of the same name win.
  Headers default_headers;
  Credentials credentials;
  /// Check every declared response against the spec before converting it (Invalid otherwise).
  bool validate_responses = true;
};

/// Reads one response for a generated client method: finds where the body and headers go,
/// validates them (when enabled) and collects every failure.
class ResponseReader {
 public:
  ResponseReader(TransportResult result, bool validate);

  /// No response arrived.
  bool failed() const { return std::holds_alternative<TransportError>(result_); }
  int status() const;
  bool validating() const { return validate_; }
  Validator& validator() { return validator_; }
  const Response& response() const;

  /// The body as JSON, for a response declared with `media_type`. nullopt, with the response
  /// marked, when the body is problem+json that was not declared (Undeclared), or is missing, or
  /// not JSON (Invalid).
  std::optional<nlohmann::json> json_body(std::string_view media_type);
  /// The raw body, for a response declared with a non-JSON media type.
  const std::string& text_body() const;
  /// A response header decoded like a simple-style parameter (see `decode_param`).
  std::optional<nlohmann::json> header(const ParamSpec& spec);

  /// Converts `value` into `out` unless a failure was recorded already; a conversion failure (with
  /// validation off) is recorded as one. Through the shared coders of json_coding.hpp, as
  /// `get_to` would convert it: nlohmann's templates per body type were a sixth of a client file's
  /// compile time.
  template <typename T>
  void convert(const nlohmann::json& value, T& out) {
    if (!good()) return;
    try {
      decode_json(value, out);
    } catch (const std::exception& e) {
      conversion_error(e.what());
    }
  }

  /// Whether nothing is wrong so far.
  bool good() const { return !failed() && !undeclared_ && validator_.ok() && conversion_.empty(); }
  /// What went wrong: the transport error, an undeclared response, or every failed check. Call it
  /// when `good()` is false, or for a status the operation does not declare.
  ClientError error();

 private:
  void conversion_error(std::string message);

  TransportResult result_;
  bool validate_;
  bool undeclared_ = false;
  Validator validator_;
  std::vector<FieldError> conversion_;
  std::optional<Request> header_view_;
};

/// Holds a generated client's transport and options, and sends its requests.
class ClientCore {
 public:
  ClientCore(std::shared_ptr<Transport> transport, ClientOptions options);

  /// Adds default headers, `options.headers` and credentials for `security` (`count` uses), sends
  /// the request, and returns a reader for the response.
  ResponseReader send(Request request, const SecurityUse* security, std::size_t count,
                      const RequestOptions& options) const;

  ClientOptions& options() { return options_; }
  const ClientOptions& options() const { return options_; }
  Transport& transport() const { return *transport_; }

 private:
  std::shared_ptr<Transport> transport_;
  ClientOptions options_;
};

}  // namespace oasgen
