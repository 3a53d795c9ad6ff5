#include "oasgen/router.hpp"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <variant>

#include "oasgen/operation.hpp"
#include "oasgen/problem.hpp"
#include "made_request_id.hpp"

namespace oasgen {

namespace {

constexpr std::string_view kInternalErrorDetail = "the server failed to handle the request";
constexpr std::string_view kNoRouteDetail = "no route matches this path";


// One segment of a path template. A segment holding parameters among literal text
// ("{name}.{ext}") is a pattern: alternating literal parts and parameters.
struct SegmentPattern {
  std::vector<std::string> literals;  // literals.size() == params + 1; literal parts may be empty
  std::size_t params = 0;
};

// The node key of a pattern segment: parameter names do not matter for matching.
std::string pattern_key(const SegmentPattern& pattern) {
  std::string key;
  for (std::size_t i = 0; i < pattern.literals.size(); ++i) {
    if (i > 0) key += "{}";
    for (char c : pattern.literals[i]) {
      if (c == '{' || c == '}' || c == '\\') key += '\\';
      key += c;
    }
  }
  return key;
}

// Matches `text` against the pattern, each parameter taking at least one character; on success
// `captures` holds the parameter values. Tries the shortest value first.
bool match_pattern(const SegmentPattern& pattern, std::string_view text, std::size_t part,
                   std::vector<std::string_view>& captures) {
  const std::string& literal = pattern.literals[part];
  if (text.substr(0, literal.size()) != literal) return false;
  text.remove_prefix(literal.size());
  if (part == pattern.params) return text.empty();
  for (std::size_t length = 1; length <= text.size(); ++length) {
    captures.push_back(text.substr(0, length));
    if (match_pattern(pattern, text.substr(length), part + 1, captures)) return true;
    captures.pop_back();
  }
  return false;
}

struct Route {
  std::string path_template;
  std::vector<std::string> param_names;
  RouteHandler handler;
  const OperationInfo* operation = nullptr;
  RouteSecurity security;
};

struct Node {
  std::map<std::string, std::unique_ptr<Node>, std::less<>> literals;
  std::vector<std::pair<SegmentPattern, std::unique_ptr<Node>>> patterns;
  std::unique_ptr<Node> param;
  std::map<std::string, Route, std::less<>> routes;  // by method
};

std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> segments;
  segments.reserve(static_cast<std::size_t>(std::count(path.begin(), path.end(), '/')));
  path.remove_prefix(1);  // the leading '/'
  while (true) {
    std::size_t slash = path.find('/');
    segments.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) return segments;
    path.remove_prefix(slash + 1);
  }
}

[[noreturn]] void bad_template(std::string_view path_template, const std::string& why) {
  throw std::invalid_argument("invalid path template '" + std::string(path_template) + "': " + why);
}

// Calls `visit(node, captures)` for every node whose template matches `segments`, literal segments
// before patterns before parameters, until `visit` returns true.
template <typename Visit>
bool walk(const Node& node, const std::vector<std::string>& segments, std::size_t index,
          std::vector<std::string_view>& captures, Visit& visit) {
  if (index == segments.size()) return !node.routes.empty() && visit(node, captures);
  const std::string& segment = segments[index];
  if (auto it = node.literals.find(segment); it != node.literals.end()) {
    if (walk(*it->second, segments, index + 1, captures, visit)) return true;
  }
  for (const auto& [pattern, child] : node.patterns) {
    std::size_t mark = captures.size();
    if (match_pattern(pattern, segment, 0, captures) &&
        walk(*child, segments, index + 1, captures, visit)) {
      return true;
    }
    captures.resize(mark);
  }
  if (node.param && !segment.empty()) {
    captures.push_back(segment);
    if (walk(*node.param, segments, index + 1, captures, visit)) return true;
    captures.pop_back();
  }
  return false;
}

}  // namespace

struct Router::Impl {
  Node root;
  // The route for the request (its path parameters filled in), or the 404/405/400 to answer.
  std::variant<const Route*, Response> match(Request& request) const;
  // Every node whose template matches `path`.
  std::vector<const Node*> nodes(std::string_view path) const;
  Response run(Request& request) const;
  void on_response(const Request& request, Response& response) const;
  Route& insert(std::string_view method, std::string_view path_template, RouteHandler handler);
  std::vector<std::shared_ptr<Middleware>> chain;
};

Router::Router() : impl_(std::make_unique<Impl>()) {}
Router::~Router() = default;
Router::Router(Router&&) noexcept = default;
Router& Router::operator=(Router&&) noexcept = default;

void Router::add(std::string_view method, std::string_view path_template, RouteHandler handler) {
  impl_->insert(method, path_template, std::move(handler));
}

void Router::add(const OperationInfo& operation, RouteHandler handler, RouteSecurity security) {
  Route& route = impl_->insert(operation.method, operation.path, std::move(handler));
  route.operation = &operation;
  route.security = std::move(security);
}

void Router::use(std::shared_ptr<Middleware> middleware) { impl_->chain.push_back(std::move(middleware)); }

std::vector<std::string> Router::methods(std::string_view path) const {
  std::set<std::string> methods;
  for (const Node* node : impl_->nodes(path)) {
    for (const auto& entry : node->routes) {
      methods.insert(entry.first);
      if (entry.first == "GET") methods.insert("HEAD");
    }
  }
  return {methods.begin(), methods.end()};
}

std::vector<const OperationInfo*> Router::operations(std::string_view path) const {
  std::vector<const OperationInfo*> out;
  for (const Node* node : impl_->nodes(path)) {
    for (const auto& entry : node->routes) {
      if (entry.second.operation != nullptr) out.push_back(entry.second.operation);
    }
  }
  return out;
}

std::vector<const OperationInfo*> Router::operations() const {
  std::vector<const OperationInfo*> out;
  std::vector<const Node*> pending{&impl_->root};
  while (!pending.empty()) {
    const Node* node = pending.back();
    pending.pop_back();
    for (const auto& entry : node->routes) {
      if (entry.second.operation != nullptr) out.push_back(entry.second.operation);
    }
    for (const auto& entry : node->literals) pending.push_back(entry.second.get());
    for (const auto& entry : node->patterns) pending.push_back(entry.second.get());
    if (node->param) pending.push_back(node->param.get());
  }
  return out;
}

Route& Router::Impl::insert(std::string_view method, std::string_view path_template, RouteHandler handler) {
  if (path_template.empty() || path_template[0] != '/')
    bad_template(path_template, "must start with '/'");
  Node* node = &root;
  std::vector<std::string> names;
  for (std::string_view segment : split_path(path_template)) {
    SegmentPattern pattern;
    pattern.literals.emplace_back();
    for (std::size_t i = 0; i < segment.size(); ++i) {
      if (segment[i] == '}') bad_template(path_template, "unmatched '}'");
      if (segment[i] != '{') {
        pattern.literals.back() += segment[i];
        continue;
      }
      std::size_t close = segment.find('}', i);
      if (close == std::string_view::npos) bad_template(path_template, "unmatched '{'");
      std::string_view name = segment.substr(i + 1, close - i - 1);
      if (name.empty() || name.find('{') != std::string_view::npos) {
        bad_template(path_template, "empty or nested parameter name");
      }
      if (pattern.params > 0 && pattern.literals.back().empty()) {
        bad_template(path_template, "adjacent parameters cannot be told apart");
      }
      if (std::find(names.begin(), names.end(), name) != names.end()) {
        bad_template(path_template, "duplicate parameter '" + std::string(name) + "'");
      }
      names.emplace_back(name);
      ++pattern.params;
      pattern.literals.emplace_back();
      i = close;
    }
    std::unique_ptr<Node>* child;
    if (pattern.params == 0) {
      child = &node->literals[pattern.literals[0]];
    } else if (pattern.params == 1 && pattern.literals[0].empty() && pattern.literals[1].empty()) {
      child = &node->param;
    } else {
      std::string key = pattern_key(pattern);
      auto it = std::find_if(node->patterns.begin(), node->patterns.end(),
                             [&](const auto& entry) { return pattern_key(entry.first) == key; });
      if (it == node->patterns.end()) {
        node->patterns.emplace_back(std::move(pattern), nullptr);
        it = std::prev(node->patterns.end());
      }
      child = &it->second;
    }
    if (!*child) *child = std::make_unique<Node>();
    node = child->get();
  }
  auto [it, inserted] = node->routes.try_emplace(std::string(method));
  if (!inserted) {
    throw std::invalid_argument("route " + std::string(method) + " " + std::string(path_template) +
                                " conflicts with " + it->second.path_template);
  }
  it->second = Route{std::string(path_template), std::move(names), std::move(handler), nullptr, {}};
  return it->second;
}

Response Router::handle(Request request) const {
  const bool head = request.method == "HEAD";
  if (request.request_id.empty()) {
    request.request_id = random_hex(16);
    detail::t_made_request_id.request = &request;
    detail::t_made_request_id.id = request.request_id;
  }
  // Forgotten when this call returns, whichever way: a later request may have the same address.
  struct Forget {
    ~Forget() { detail::t_made_request_id.request = nullptr; }
  } forget;
  if (request.received == std::chrono::steady_clock::time_point{}) {
    request.received = std::chrono::steady_clock::now();
  }
  Response response;
  try {
    response = impl_->run(request);
  } catch (const NotImplemented& error) {
    response = problem_response(501, error.what());
  } catch (const HttpError& error) {
    response = problem_response(error.status(), error.what());
  } catch (...) {
    // nlohmann::json exceptions and anything else: the message may carry internals.
    response = problem_response(500, std::string(kInternalErrorDetail));
  }
  impl_->on_response(request, response);
  // The adapter keeps the headers (Content-Length included) of the response GET would send.
  if (head) {
    if (!response.headers.contains("Content-Length")) {
      response.headers.set("Content-Length", std::to_string(response.body.size()));
    }
    response.body.clear();
  }
  return response;
}

void Router::finish_unrouted(Request& request, Response& response) const {
  if (request.request_id.empty()) request.request_id = random_hex(16);
  if (request.received == std::chrono::steady_clock::time_point{}) {
    request.received = std::chrono::steady_clock::now();
  }
  impl_->on_response(request, response);
}

void Router::Impl::on_response(const Request& request, Response& response) const {
  // Room for the fields the chain adds (request ids, CORS, rate limits: two or so each, about 50
  // bytes a field), so that the list grows once at most rather than at each doubling.
  if (!chain.empty()) {
    std::size_t bytes = 0;
    for (const auto& [name, value] : response.headers) bytes += name.size() + value.size();
    response.headers.reserve(response.headers.size() + 2 * chain.size(), bytes + 64 * chain.size());
  }
  for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
    try {
      (*it)->on_response(request, response);
    } catch (...) {
      response = problem_response(500, std::string(kInternalErrorDetail));
    }
  }
}

Response Router::Impl::run(Request& request) const {
  for (const auto& middleware : chain) {
    if (auto answer = middleware->before_routing(request)) return std::move(*answer);
  }
  if (request.overloaded) return overloaded_response("too many requests in flight");
  auto matched = match(request);
  if (auto* answer = std::get_if<Response>(&matched)) return std::move(*answer);
  const Route& route = *std::get<const Route*>(matched);
  request.route = route.path_template;
  request.operation = route.operation;
  // Security decides first and middleware after, so that a rate limit can key on the principal and
  // still count refused attempts.
  std::optional<Response> refusal;
  if (route.operation != nullptr) refusal = authorize(request, *route.operation, route.security);
  for (const auto& middleware : chain) {
    if (auto answer = middleware->after_routing(request)) return std::move(*answer);
  }
  if (refusal) return std::move(*refusal);
  if (request.deadline && std::chrono::steady_clock::now() >= *request.deadline) {
    return overloaded_response("the request waited past its deadline before its handler started");
  }
  return route.handler(request);
}

std::vector<const Node*> Router::Impl::nodes(std::string_view path) const {
  std::vector<const Node*> out;
  if (path.empty() || path[0] != '/') return out;
  std::vector<std::string> segments;
  for (std::string_view raw : split_path(path)) {
    auto decoded = percent_decode(raw);
    if (!decoded) return out;
    segments.push_back(std::move(*decoded));
  }
  auto visit = [&](const Node& node, const std::vector<std::string_view>&) {
    if (std::find(out.begin(), out.end(), &node) == out.end()) out.push_back(&node);
    return false;
  };
  std::vector<std::string_view> captures;
  walk(root, segments, 0, captures, visit);
  return out;
}

std::variant<const Route*, Response> Router::Impl::match(Request& request) const {
  std::string_view path = request.path();
  if (path.empty() || path[0] != '/') return problem_response(404, std::string(kNoRouteDetail));
  const std::vector<std::string_view> raw_segments = split_path(path);
  std::vector<std::string> segments;
  segments.reserve(raw_segments.size());
  for (std::string_view raw : raw_segments) {
    // Decoding after splitting keeps an encoded '/' inside its segment.
    auto decoded = percent_decode(raw);
    if (!decoded) return problem_response(400, "malformed percent-encoding in the request path");
    segments.push_back(std::move(*decoded));
  }
  // The first match (in priority order) with a route for the method wins; the methods of the
  // matches without one make up `Allow` if none has. The path parameters are taken while the
  // captures (views of `segments`) are at hand.
  const Route* found_route = nullptr;
  std::set<std::string> allowed;
  auto visit = [&](const Node& node, const std::vector<std::string_view>& captures) {
    auto it = node.routes.find(request.method);
    if (it == node.routes.end() && request.method == "HEAD") it = node.routes.find("GET");
    if (it != node.routes.end()) {
      found_route = &it->second;
      request.path_params.clear();
      request.path_params.reserve(found_route->param_names.size());
      for (std::size_t i = 0; i < found_route->param_names.size(); ++i) {
        request.path_params.emplace_back(found_route->param_names[i], std::string(captures[i]));
      }
      return true;
    }
    for (const auto& entry : node.routes) {
      allowed.insert(entry.first);
      if (entry.first == "GET") allowed.insert("HEAD");
    }
    return false;
  };
  std::vector<std::string_view> captures;
  captures.reserve(segments.size());
  walk(root, segments, 0, captures, visit);
  if (found_route == nullptr) {
    if (allowed.empty()) return problem_response(404, std::string(kNoRouteDetail));
    std::string allow;
    for (const std::string& method : allowed) allow += (allow.empty() ? "" : ", ") + method;
    Response response = problem_response(405, "method " + request.method + " is not allowed here");
    response.headers.set("Allow", allow);
    return response;
  }
  return found_route;
}

}  // namespace oasgen
