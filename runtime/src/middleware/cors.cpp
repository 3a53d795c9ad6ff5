#include "oasgen/middleware/cors.hpp"

#include <algorithm>
#include <cctype>
#include <stdexcept>

#include "oasgen/operation.hpp"
#include "oasgen/router.hpp"

namespace oasgen {
namespace {

// The items of a comma-separated list, trimmed.
std::vector<std::string> items(std::string_view list) {
  std::vector<std::string> out;
  while (!list.empty()) {
    const std::size_t comma = list.find(',');
    std::string_view item = list.substr(0, comma);
    while (!item.empty() && (item.front() == ' ' || item.front() == '\t')) item.remove_prefix(1);
    while (!item.empty() && (item.back() == ' ' || item.back() == '\t')) item.remove_suffix(1);
    if (!item.empty()) out.emplace_back(item);
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  return out;
}

void add_unique(std::vector<std::string>& list, const std::string& item) {
  if (std::none_of(list.begin(), list.end(),
                   [&](const std::string& other) { return iequals(other, item); })) {
    list.push_back(item);
  }
}

std::string joined(const std::vector<std::string>& list) {
  std::string out;
  for (const auto& item : list) out += (out.empty() ? "" : ", ") + item;
  return out;
}

// `pattern` with one `*` matching one or more whole DNS labels of `origin`.
bool matches_pattern(std::string_view pattern, std::string_view origin) {
  const std::size_t star = pattern.find('*');
  if (star == std::string_view::npos) return iequals(pattern, origin);
  const std::string_view prefix = pattern.substr(0, star), suffix = pattern.substr(star + 1);
  if (origin.size() <= prefix.size() + suffix.size()) return false;
  if (!iequals(origin.substr(0, prefix.size()), prefix) ||
      !iequals(origin.substr(origin.size() - suffix.size()), suffix)) {
    return false;
  }
  const std::string_view labels =
      origin.substr(prefix.size(), origin.size() - prefix.size() - suffix.size());
  return std::all_of(labels.begin(), labels.end(),
                     [](char c) {
                       return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.';
                     }) &&
         labels.front() != '.' && labels.back() != '.';
}

// Adds `Origin` to `Vary` unless a `Vary` field already lists it (or is "*"). Compared by token:
// "Access-Control-Request-Origin" or "origin-agent" do not count.
void add_vary_origin(Response& response) {
  const bool has_vary =
      std::any_of(response.headers.begin(), response.headers.end(), [](const auto& field) {
        return field.first.size() == 4 && iequals(field.first, "Vary");
      });
  if (!has_vary) {
    response.headers.add("Vary", "Origin");
    return;
  }
  for (std::string_view vary : response.headers.get_all("Vary")) {
    for (const auto& token : items(vary)) {
      if (iequals(token, "Origin") || token == "*") return;
    }
  }
  auto vary = response.headers.get("Vary");
  response.headers.set("Vary", vary ? std::string(*vary) + ", Origin" : std::string("Origin"));
}

// Request headers the runtime itself reads (RequestIds), allowed on every route.
constexpr std::string_view kRuntimeRequestHeaders[] = {"X-Request-Id", "traceparent", "tracestate"};

}  // namespace

Cors::Cors(const Router& router, CorsPolicy policy) : router_(router), policy_(std::move(policy)) {
  any_origin_ =
      std::find(policy_.origins.begin(), policy_.origins.end(), "*") != policy_.origins.end();
  // Fetch standard, CORS check: "*" is not accepted for a request whose credentials mode is
  // include.
  if (any_origin_ && policy_.credentials) {
    throw std::invalid_argument(
        "CORS: the origin \"*\" cannot be allowed together with credentials");
  }
  // The list is the same for every response of an operation: joined once, not per response.
  expose_default_ = expose_headers(nullptr);
  for (const OperationInfo* operation : router_.operations())
    expose_by_operation_.emplace(operation, expose_headers(operation));
}

std::string Cors::expose_headers(const OperationInfo* operation) const {
  std::vector<std::string> expose = {"X-Request-Id", "RateLimit", "RateLimit-Policy", "Retry-After",
                                     "WWW-Authenticate"};
  if (operation != nullptr) {
    for (const auto& header : items(operation->response_headers)) add_unique(expose, header);
  }
  for (const auto& header : policy_.expose_headers) add_unique(expose, header);
  return joined(expose);
}

bool Cors::allows(std::string_view origin) const {
  if (any_origin_) return true;
  return std::any_of(policy_.origins.begin(), policy_.origins.end(),
                     [&](const std::string& allowed) { return matches_pattern(allowed, origin); });
}

void Cors::allow_origin(std::string_view origin, Response& response) const {
  response.headers.set("Access-Control-Allow-Origin", any_origin_ ? std::string_view("*") : origin);
  if (policy_.credentials) response.headers.set("Access-Control-Allow-Credentials", "true");
}

std::optional<Response> Cors::before_routing(Request& request) {
  if (request.method != "OPTIONS") return std::nullopt;
  const std::string path(request.path());
  const std::vector<std::string> methods = router_.methods(path);
  if (methods.empty()) return std::nullopt;  // the router's 404
  const auto origin = request.headers.get("Origin");
  const auto wanted = request.headers.get("Access-Control-Request-Method");
  const bool has_options = std::find(methods.begin(), methods.end(), "OPTIONS") != methods.end();
  // A plain OPTIONS to a path whose spec declares one is that operation's.
  if ((!origin || !wanted) && has_options) return std::nullopt;
  Response response;
  response.status = 204;
  add_vary_origin(response);
  if (!origin || !wanted) {
    // Not a preflight: what OPTIONS means in RFC 9110 section 9.3.7.
    response.headers.set("Allow", joined(methods) + ", OPTIONS");
    return response;
  }
  response.headers.add("Vary", "Access-Control-Request-Method, Access-Control-Request-Headers");
  if (!allows(*origin) || std::find(methods.begin(), methods.end(), *wanted) == methods.end())
    return response;

  std::vector<std::string> headers;
  for (const OperationInfo* operation : router_.operations(path)) {
    for (const auto& header : items(operation->request_headers)) add_unique(headers, header);
  }
  for (std::string_view header : kRuntimeRequestHeaders) add_unique(headers, std::string(header));
  for (const auto& header : policy_.allow_headers) add_unique(headers, header);
  for (const auto& requested :
       items(request.headers.get("Access-Control-Request-Headers").value_or(""))) {
    const bool allowed = std::any_of(headers.begin(), headers.end(),
                                     [&](const std::string& h) { return iequals(h, requested); });
    if (!allowed) return response;  // the browser refuses the call
  }
  allow_origin(*origin, response);
  response.headers.set("Access-Control-Allow-Methods", joined(methods));
  if (!headers.empty()) response.headers.set("Access-Control-Allow-Headers", joined(headers));
  response.headers.set("Access-Control-Max-Age", std::to_string(policy_.max_age.count()));
  return response;
}

void Cors::on_response(const Request& request, Response& response) {
  // A preflight was answered in full by before_routing, or refused by leaving these headers out.
  if (request.method == "OPTIONS" && request.headers.contains("Access-Control-Request-Method"))
    return;
  add_vary_origin(response);
  const auto origin = request.headers.get("Origin");
  if (!origin || !allows(*origin)) return;
  allow_origin(*origin, response);
  if (request.operation == nullptr) {
    response.headers.set("Access-Control-Expose-Headers", expose_default_);
  } else if (auto it = expose_by_operation_.find(request.operation);
             it != expose_by_operation_.end()) {
    response.headers.set("Access-Control-Expose-Headers", it->second);
  } else {
    response.headers.set("Access-Control-Expose-Headers", expose_headers(request.operation));
  }
}

}  // namespace oasgen
