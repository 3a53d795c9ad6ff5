// The socket-free part of generated clients: response reading, credentials, server URLs.
#include "oasgen/client.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <exception>

#include "base64.hpp"
#include "oasgen/encode.hpp"

namespace oasgen {

namespace {

using json = nlohmann::json;

// The media type without parameters, lower case: "application/json; charset=utf-8" ->
// "application/json".
std::string essence(std::string_view content_type) {
  std::string type(content_type.substr(0, content_type.find(';')));
  while (!type.empty() && (type.back() == ' ' || type.back() == '\t')) type.pop_back();
  while (!type.empty() && (type.front() == ' ' || type.front() == '\t')) type.erase(0, 1);
  std::transform(type.begin(), type.end(), type.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return type;
}

bool is_json_type(std::string_view type) {
  return type == "application/json" ||
         (type.size() > 5 && type.compare(type.size() - 5, 5, "+json") == 0);
}

std::optional<Location> location_from(std::string_view text) {
  for (Location location : {Location::Path, Location::Query, Location::Header, Location::Cookie,
                            Location::Body}) {
    if (to_string(location) == text) return location;
  }
  return std::nullopt;
}

std::string string_member(const json& object, const char* name) {
  auto it = object.find(name);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

std::string_view to_string(TransportErrorKind kind) {
  switch (kind) {
    case TransportErrorKind::InvalidUrl:
      return "invalid URL";
    case TransportErrorKind::Resolve:
      return "name resolution failed";
    case TransportErrorKind::Connect:
      return "connection failed";
    case TransportErrorKind::Timeout:
      return "timed out";
    case TransportErrorKind::Tls:
      return "TLS failed";
    case TransportErrorKind::Io:
      return "connection lost";
    case TransportErrorKind::Protocol:
      return "invalid response";
  }
  return "transport error";
}

std::optional<Url> parse_url(std::string_view text) {
  Url url;
  const auto colon = text.find("://");
  if (colon == std::string_view::npos) return std::nullopt;
  url.scheme = essence(text.substr(0, colon));
  if (url.scheme != "http" && url.scheme != "https") return std::nullopt;
  text.remove_prefix(colon + 3);
  const auto slash = text.find('/');
  std::string_view authority = text.substr(0, slash);
  std::string_view path = slash == std::string_view::npos ? std::string_view() : text.substr(slash);
  if (authority.empty() || authority.find('@') != std::string_view::npos) return std::nullopt;
  if (path.find_first_of("?#") != std::string_view::npos) return std::nullopt;
  std::string_view port;
  if (authority.front() == '[') {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    url.host = std::string(authority.substr(1, close - 1));
    std::string_view rest = authority.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return std::nullopt;
      port = rest.substr(1);
    }
  } else {
    const auto at = authority.rfind(':');
    url.host = std::string(authority.substr(0, at));
    if (at != std::string_view::npos) port = authority.substr(at + 1);
  }
  if (url.host.empty()) return std::nullopt;
  url.port = url.scheme == "https" ? 443 : 80;
  if (!port.empty()) {
    unsigned value = 0;
    auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (ec != std::errc() || end != port.data() + port.size() || value == 0 || value > 65535) {
      return std::nullopt;
    }
    url.port = static_cast<unsigned short>(value);
  }
  url.path = std::string(path);
  while (!url.path.empty() && url.path.back() == '/') url.path.pop_back();
  return url;
}

std::optional<Problem> parse_problem(std::string_view body) {
  const json parsed = json::parse(body, nullptr, false);
  if (!parsed.is_object()) return std::nullopt;
  Problem problem;
  if (auto status = parsed.find("status"); status != parsed.end() && status->is_number_integer()) {
    problem.status = status->get<int>();
  }
  if (parsed.contains("type")) problem.type = string_member(parsed, "type");
  problem.title = string_member(parsed, "title");
  problem.detail = string_member(parsed, "detail");
  if (auto errors = parsed.find("errors"); errors != parsed.end() && errors->is_array()) {
    for (const auto& item : *errors) {
      if (!item.is_object()) continue;
      FieldError error;
      error.location = location_from(string_member(item, "location")).value_or(Location::Body);
      error.pointer = string_member(item, "pointer");
      error.keyword = string_member(item, "keyword");
      error.message = string_member(item, "message");
      problem.errors.push_back(std::move(error));
    }
  }
  return problem;
}

void apply_security(Request& request, const SecurityUse* uses, std::size_t count,
                    const Credentials& credentials) {
  using Kind = SecurityScheme::Kind;
  // The token for oauth2, openIdConnect and bearer schemes: the fixed one, else the source's,
  // which is asked at most once.
  std::optional<std::string> sourced;
  bool asked = false;
  auto token = [&]() -> const std::optional<std::string>& {
    if (credentials.bearer_token || !credentials.token_source) return credentials.bearer_token;
    if (!asked) {
      asked = true;
      try {
        sourced = credentials.token_source->token();
      } catch (const std::exception&) {
        sourced.reset();
      }
    }
    return sourced;
  };
  auto has = [&](const SecurityScheme* scheme) {
    if (scheme == nullptr) return true;
    switch (scheme->kind) {
      case Kind::ApiKey:
        return credentials.api_keys.find(scheme->name) != credentials.api_keys.end();
      case Kind::Http:
        if (scheme->scheme == "basic") return credentials.basic.has_value();
        return scheme->scheme == "bearer" ? token().has_value()
                                          : credentials.bearer_token.has_value();
      case Kind::OAuth2:
      case Kind::OpenIdConnect:
        return token().has_value();
      case Kind::MutualTls:
        return false;  // client certificates are not supported
    }
    return false;
  };
  auto apply = [&](const SecurityScheme& scheme) {
    switch (scheme.kind) {
      case Kind::ApiKey: {
        const std::string& key = credentials.api_keys.find(scheme.name)->second;
        const std::string name(scheme.parameter);
        if (scheme.in == Location::Query) {
          request.target += request.target.find('?') == std::string::npos ? "?" : "&";
          request.target += percent_encode(name) + "=" + percent_encode(key);
        } else if (scheme.in == Location::Cookie) {
          auto cookie = request.headers.get("Cookie");
          std::string value = cookie ? std::string(*cookie) + "; " : std::string();
          request.headers.set("Cookie", value + name + "=" + percent_encode(key));
        } else {
          request.headers.set(name, key);
        }
        break;
      }
      case Kind::Http:
        if (scheme.scheme == "basic") {
          request.headers.set("Authorization",
                              "Basic " + detail::base64_encode(credentials.basic->username + ":" +
                                                credentials.basic->password));
        } else {
          // "bearer" is spelled as RFC 6750 does; other schemes as the spec names them.
          const bool bearer = scheme.scheme == "bearer";
          std::string name = bearer ? "Bearer" : std::string(scheme.scheme);
          request.headers.set("Authorization",
                              name + " " + (bearer ? *token() : *credentials.bearer_token));
        }
        break;
      case Kind::OAuth2:
      case Kind::OpenIdConnect:
        request.headers.set("Authorization", "Bearer " + *token());
        break;
      case Kind::MutualTls:
        break;
    }
  };
  // Uses come grouped by alternative, in order.
  for (std::size_t begin = 0; begin < count;) {
    std::size_t end = begin;
    bool satisfiable = true;
    while (end < count && uses[end].alternative == uses[begin].alternative) {
      satisfiable = satisfiable && has(uses[end].scheme);
      ++end;
    }
    if (satisfiable) {
      for (std::size_t i = begin; i < end; ++i) {
        if (uses[i].scheme != nullptr) apply(*uses[i].scheme);
      }
      return;
    }
    begin = end;
  }
}

std::string expand_server_url(std::string_view url, const ServerVariable* variables,
                              std::size_t count, const std::map<std::string, std::string>& values) {
  for (const auto& entry : values) {
    // Not a structured binding: C++17 lambdas cannot capture those (clang 14 refuses).
    const std::string& name = entry.first;
    const bool known = std::any_of(variables, variables + count,
                                   [&](const ServerVariable& v) { return v.name == name; });
    if (!known) throw std::invalid_argument("the server URL has no variable '" + name + "'");
  }
  std::string out;
  for (std::size_t i = 0; i < url.size(); ++i) {
    const auto close = url.find('}', i);
    if (url[i] != '{' || close == std::string_view::npos) {
      out.push_back(url[i]);
      continue;
    }
    const std::string name(url.substr(i + 1, close - i - 1));
    if (auto given = values.find(name); given != values.end()) {
      out += given->second;
    } else {
      auto variable = std::find_if(variables, variables + count,
                                   [&](const ServerVariable& v) { return v.name == name; });
      if (variable == variables + count) {
        throw std::invalid_argument("the server URL variable '" + name + "' has no value");
      }
      out += variable->default_value;
    }
    i = close;
  }
  return out;
}

// ---- ResponseReader ----------------------------------------------------------------------------

ResponseReader::ResponseReader(TransportResult result, bool validate)
    : result_(std::move(result)), validate_(validate), validator_(Direction::Response) {}

const Response& ResponseReader::response() const { return std::get<Response>(result_); }

int ResponseReader::status() const { return failed() ? 0 : response().status; }

std::optional<json> ResponseReader::json_body(std::string_view media_type) {
  const Response& res = response();
  const auto content_type = res.headers.get("Content-Type");
  const std::string type = content_type ? essence(*content_type) : std::string();
  const std::string declared = essence(media_type);
  if (type == "application/problem+json" && declared != type) {
    // The server answered with an error of its own rather than the declared response.
    undeclared_ = true;
    return std::nullopt;
  }
  auto at = validator_.enter(Location::Body);
  if (res.body.empty()) {
    validator_.fail("required", "the response has no body");
    return std::nullopt;
  }
  if (!type.empty() && !is_json_type(type) && type != declared) {
    validator_.fail("contentType", "expected " + declared + ", got " + type);
    return std::nullopt;
  }
  json parsed = json::parse(res.body, nullptr, false);
  if (parsed.is_discarded()) {
    validator_.fail("json", "the body is not JSON");
    return std::nullopt;
  }
  return parsed;
}

const std::string& ResponseReader::text_body() const { return response().body; }

std::optional<json> ResponseReader::header(const ParamSpec& spec) {
  if (!header_view_) {
    header_view_.emplace();
    for (const auto& [name, value] : response().headers) header_view_->headers.add(name, value);
  }
  return decode_param(*header_view_, spec, validator_);
}

void ResponseReader::conversion_error(std::string message) {
  conversion_.push_back(FieldError{Location::Body, "", "type", std::move(message)});
}

ClientError ResponseReader::error() {
  ClientError error;
  if (failed()) {
    auto& transport = std::get<TransportError>(result_);
    error.kind = ClientError::Kind::Transport;
    error.message = std::string(to_string(transport.kind)) + ": " + transport.message;
    error.transport = std::move(transport);
    return error;
  }
  const Response& res = response();
  error.status = res.status;
  error.headers = res.headers;
  error.body = res.body;
  if (auto type = res.headers.get("Content-Type"); type && essence(*type) == "application/problem+json") {
    error.problem = parse_problem(res.body);
  }
  const bool invalid = !undeclared_ && (!validator_.ok() || !conversion_.empty());
  if (invalid) {
    error.kind = ClientError::Kind::Invalid;
    error.errors = validator_.take_errors();
    for (auto& failure : conversion_) error.errors.push_back(std::move(failure));
    error.message = "the " + std::to_string(res.status) + " response breaks the spec: " +
                    (error.errors.empty() ? std::string("too many errors")
                                          : std::string(to_string(error.errors.front().location)) +
                                                " " + error.errors.front().pointer + " " +
                                                error.errors.front().message);
    return error;
  }
  error.kind = ClientError::Kind::Undeclared;
  error.message = "undeclared response " + std::to_string(res.status);
  if (error.problem && !error.problem->detail.empty()) error.message += ": " + error.problem->detail;
  return error;
}

// ---- ClientCore --------------------------------------------------------------------------------

ClientCore::ClientCore(std::shared_ptr<Transport> transport, ClientOptions options)
    : transport_(std::move(transport)), options_(std::move(options)) {
  if (!transport_) throw std::invalid_argument("a client needs a transport");
}

RequestOptions propagate(const Context& context, RequestOptions options) {
  if (!context.request_id().empty()) options.headers.set("X-Request-Id", std::string(context.request_id()));
  const TraceContext& trace = context.trace();
  if (!trace.trace_id.empty()) {
    options.headers.set("traceparent", trace.traceparent());
    if (!trace.state.empty()) options.headers.set("tracestate", trace.state);
  }
  return options;
}

ResponseReader ClientCore::send(Request request, const SecurityUse* security, std::size_t count,
                                const RequestOptions& options) const {
  for (const auto& [name, value] : options.headers) request.headers.set(name, value);
  for (const auto& [name, value] : options_.default_headers) {
    if (!request.headers.contains(name)) request.headers.add(name, value);
  }
  apply_security(request, security, count, options_.credentials);
  TransportResult result;
  try {
    result = transport_->send(request, options);
  } catch (const std::exception& e) {
    result = TransportError{TransportErrorKind::Io, e.what()};
  }
  return ResponseReader(std::move(result), options_.validate_responses);
}

}  // namespace oasgen
