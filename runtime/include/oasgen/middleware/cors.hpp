// Cross-origin resource sharing (the Fetch standard's CORS protocol), from what the spec says of
// each route: preflights allow the methods of the path's operations and the request headers they
// declare (parameters, API keys, Authorization), and responses expose the headers they declare.
//
//   oasgen::CorsPolicy policy;
//   policy.origins = {"https://app.example.com", "https://*.example.org"};
//   policy.credentials = true;
//   router.use(std::make_shared<oasgen::Cors>(router, policy));
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "oasgen/middleware.hpp"

namespace oasgen {

class Router;
struct OperationInfo;

struct CorsPolicy {
  /// Allowed origins, each exact ("https://app.example.com", compared case-insensitively) or with
  /// one `*` standing for one or more DNS labels ("https://*.example.com"). "*" alone allows every
  /// origin, and is refused together with `credentials` (a browser would refuse it too).
  std::vector<std::string> origins;
  bool credentials = false;  ///< Access-Control-Allow-Credentials: cookies and Authorization
  std::chrono::seconds max_age{600};  ///< how long a browser may cache a preflight
  /// Request headers to allow on every route beyond those the spec declares.
  std::vector<std::string> allow_headers;
  /// Response headers to expose beyond those the spec declares (X-Request-Id, RateLimit,
  /// RateLimit-Policy, Retry-After and WWW-Authenticate are always exposed).
  std::vector<std::string> expose_headers;
};

/// Answers preflights (`OPTIONS` with `Access-Control-Request-Method`) before routing and so before
/// authentication, for every path the router serves, and adds the CORS headers to every response
/// to an allowed origin, errors included. A preflight from a disallowed origin, or for a method or
/// header that is not allowed, is answered without CORS headers: the browser then refuses the
/// call. A plain `OPTIONS` gets 204 with `Allow`.
class Cors : public Middleware {
 public:
  /// `router` must outlive the middleware. Throws std::invalid_argument for "*" with credentials.
  Cors(const Router& router, CorsPolicy policy);

  std::optional<Response> before_routing(Request& request) override;
  void on_response(const Request& request, Response& response) override;

  /// Whether `origin` is allowed by the policy.
  bool allows(std::string_view origin) const;

 private:
  const Router& router_;
  CorsPolicy policy_;
  bool any_origin_ = false;
  // `Access-Control-Expose-Headers` for responses without an operation, and per operation of the
  // routes the router had when the middleware was made (others are computed per response).
  std::string expose_default_;
  std::unordered_map<const OperationInfo*, std::string> expose_by_operation_;

  void allow_origin(std::string_view origin, Response& response) const;
  std::string expose_headers(const OperationInfo* operation) const;
};

}  // namespace oasgen
