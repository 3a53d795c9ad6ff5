#include "oasgen/security/client_credentials.hpp"

#include <nlohmann/json.hpp>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <algorithm>
#include <mutex>
#include <stdexcept>

#include "../base64.hpp"
#include "oasgen/encode.hpp"

namespace oasgen::security {
namespace {

using Clock = std::chrono::steady_clock;


}  // namespace

struct ClientCredentials::State {
  ClientCredentialsOptions options;
  std::string target;  // the token URL's path (and query)
  std::shared_ptr<Transport> transport;

  std::mutex fetching;  // one request at a time
  mutable std::mutex mutex;
  std::optional<std::string> token;
  Clock::time_point expires{};
  Clock::time_point refresh_at{};
  std::optional<Clock::time_point> failed_at;
  std::size_t requests = 0;
  std::string last_error;

  Clock::time_point now() const { return options.clock ? options.clock() : Clock::now(); }

  // One token request (RFC 6749 §4.4.2), called with `fetching` held. Returns what went wrong.
  std::string request_token() {
    Request request;
    request.method = "POST";
    request.target = target;
    // RFC 6749 §2.3.1: "The client identifier is encoded using the
    // "application/x-www-form-urlencoded" encoding algorithm per Appendix B, and the encoded value
    // is used as the username; the client password is encoded using the same algorithm and used
    // as the password."
    std::string basic = percent_encode(options.client_id) + ":" + percent_encode(options.client_secret);
    request.headers.set("Authorization", "Basic " + oasgen::detail::base64_encode(basic));
    OPENSSL_cleanse(basic.data(), basic.size());
    request.headers.set("Content-Type", "application/x-www-form-urlencoded");
    request.headers.set("Accept", "application/json");
    // RFC 6749 §4.4.2: "grant_type REQUIRED. Value MUST be set to "client_credentials"." and
    // "scope OPTIONAL" (§3.3: "a list of space-delimited, case-sensitive strings").
    request.body = "grant_type=client_credentials";
    if (!options.scopes.empty()) {
      std::string scope;
      for (const std::string& s : options.scopes) scope += (scope.empty() ? "" : " ") + s;
      request.body += "&scope=" + percent_encode(scope);
    }
    RequestOptions request_options;
    request_options.timeout = options.timeout;
    TransportResult result;
    try {
      result = transport->send(request, request_options);
    } catch (const std::exception&) {
      return "the token request failed";
    }
    if (const auto* error = std::get_if<TransportError>(&result)) {
      return "the token endpoint could not be reached (" + std::string(to_string(error->kind)) + ")";
    }
    const Response& response = std::get<Response>(result);
    // RFC 6749 §5.2: errors are 400 (or 401) with an "error" code, safe to report.
    const auto body = nlohmann::json::parse(response.body, nullptr, false);
    if (response.status != 200) {
      std::string message = "the token endpoint answered " + std::to_string(response.status);
      if (body.is_object() && body.contains("error") && body["error"].is_string()) {
        const std::string code = body["error"].get<std::string>();
        // RFC 6749 §5.2: error codes are %x20-21 / %x23-5B / %x5D-7E; anything else is dropped.
        if (code.size() <= 64 && std::all_of(code.begin(), code.end(), [](char c) {
              return c >= 0x20 && c <= 0x7E && c != '"' && c != '\\';
            })) {
          message += " (" + code + ")";
        }
      }
      return message;
    }
    // RFC 6749 §5.1: "access_token REQUIRED", "token_type REQUIRED", "expires_in RECOMMENDED";
    // §7.1: "The client MUST NOT use an access token if it does not understand the token type."
    if (!body.is_object() || !body.contains("access_token") || !body["access_token"].is_string() ||
        body["access_token"].get<std::string>().empty()) {
      return "the token response has no access_token";
    }
    if (!body.contains("token_type") || !body["token_type"].is_string() ||
        !iequals(body["token_type"].get<std::string>(), "bearer")) {
      return "the token response's token_type is not Bearer";
    }
    std::chrono::seconds lifetime = options.default_lifetime;
    if (auto it = body.find("expires_in"); it != body.end()) {
      if (!it->is_number() || it->get<double>() <= 0) return "the token response's expires_in is invalid";
      lifetime = std::chrono::seconds(static_cast<long long>(std::min(it->get<double>(), 1e9)));
    }
    const Clock::time_point received = now();
    const auto margin = std::min<std::chrono::seconds>(options.refresh_before, lifetime / 2);
    std::lock_guard<std::mutex> lock(mutex);
    token = body["access_token"].get<std::string>();
    expires = received + lifetime;
    refresh_at = expires - margin;
    return {};
  }
};

ClientCredentials::ClientCredentials(ClientCredentialsOptions options)
    : state_(std::make_unique<State>()) {
  if (options.client_id.empty()) throw std::invalid_argument("the client id must not be empty");
  const std::size_t query = options.token_url.find('?');
  auto url = parse_url(std::string_view(options.token_url).substr(0, query));
  if (!url || (url->scheme != "https" && !(options.allow_http && url->scheme == "http"))) {
    throw std::invalid_argument(options.allow_http ? "the token URL is not an absolute http(s) URL"
                                                   : "the token URL is not an absolute https URL");
  }
  state_->target = url->path.empty() ? "/" : url->path;
  if (query != std::string::npos) state_->target += options.token_url.substr(query);
  if (options.transport) {
    state_->transport = options.transport;
  } else {
    HttpTransportOptions transport;
    transport.connect_timeout = options.timeout;
    transport.request_timeout = options.timeout;
    transport.max_response_bytes = 1024 * 1024;
    transport.ca_file = options.ca_file;
    const bool ipv6 = url->host.find(':') != std::string::npos;
    state_->transport = std::make_shared<HttpTransport>(
        url->scheme + "://" + (ipv6 ? "[" + url->host + "]" : url->host) + ":" +
            std::to_string(url->port),
        transport);
  }
  state_->options = std::move(options);
}

ClientCredentials::~ClientCredentials() {
  if (state_) {
    OPENSSL_cleanse(state_->options.client_secret.data(), state_->options.client_secret.size());
    if (state_->token) OPENSSL_cleanse(state_->token->data(), state_->token->size());
  }
}

std::optional<std::string> ClientCredentials::token() {
  State& s = *state_;
  std::size_t seen = 0;
  {
    std::lock_guard<std::mutex> lock(s.mutex);
    if (s.token && s.now() < s.refresh_at) return s.token;
    seen = s.requests;
  }
  std::lock_guard<std::mutex> fetching(s.fetching);
  bool send = false;
  {
    std::lock_guard<std::mutex> lock(s.mutex);
    const Clock::time_point now = s.now();
    // Another thread's request finished while this one waited: use its result.
    if (s.requests == seen && !(s.token && now < s.refresh_at)) {
      send = !s.failed_at || now - *s.failed_at >= s.options.failure_cooldown;
      if (send) ++s.requests;
    }
  }
  if (send) {
    std::string error = s.request_token();
    std::lock_guard<std::mutex> lock(s.mutex);
    s.last_error = error;
    if (error.empty()) {
      s.failed_at.reset();
    } else {
      s.failed_at = s.now();
    }
  }
  std::lock_guard<std::mutex> lock(s.mutex);
  // A token that is due for refresh is still good until it expires.
  if (s.token && s.now() < s.expires) return s.token;
  return std::nullopt;
}

void ClientCredentials::invalidate() {
  std::lock_guard<std::mutex> lock(state_->mutex);
  state_->token.reset();
}

std::size_t ClientCredentials::requests() const {
  std::lock_guard<std::mutex> lock(state_->mutex);
  return state_->requests;
}

std::string ClientCredentials::last_error() const {
  std::lock_guard<std::mutex> lock(state_->mutex);
  return state_->last_error;
}

}  // namespace oasgen::security
