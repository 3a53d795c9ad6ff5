// The middleware chain: code that runs around every request a `Router` handles, at three points.
//
//   1. `before_routing`: the request as it arrived. Fill it in (request id, trace context) or
//      answer it without routing (a CORS preflight, /healthz, overload).
//   2. `after_routing`: the route is known (`request.route`, `request.operation` with its
//      operationId, security and extensions) and authentication has run (`request.principal` is
//      the caller, or null). Answer to stop the request (429), or return nullopt to go on: to the
//      handler, or to the refusal security decided.
//   3. `on_response`: every response, whoever made it (router, middleware, security, handler), in
//      reverse order of `use`, so that the first middleware sees the final response.
//
// A middleware is shared by the server's threads: its hooks must be thread-safe.
//
//   router.use(std::make_shared<oasgen::RequestIds>());
//   router.use(std::make_shared<oasgen::Cors>(router, cors_policy));
#pragma once

#include <optional>

#include "oasgen/http.hpp"

namespace oasgen {

class Middleware {
 public:
  virtual ~Middleware() = default;

  virtual std::optional<Response> before_routing(Request& request);
  virtual std::optional<Response> after_routing(Request& request);
  virtual void on_response(const Request& request, Response& response);
};

}  // namespace oasgen
