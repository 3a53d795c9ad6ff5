// Routing from method and path template to a handler function; no sockets.
//
//   oasgen::Router router;
//   router.add("GET", "/pets/{petId}", [](const oasgen::Request& r) { ... });
//   oasgen::Response response = router.handle(std::move(request));
#pragma once

#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "oasgen/http.hpp"
#include "oasgen/middleware.hpp"
#include "oasgen/security.hpp"

namespace oasgen {

/// Thrown by generated `UnimplementedHandler` methods; the router answers 501.
class NotImplemented : public std::runtime_error {
 public:
  explicit NotImplemented(const std::string& operation)
      : std::runtime_error("operation not implemented: " + operation) {}
};

/// Thrown where a request cannot be served and the handler wants a specific problem response.
class HttpError : public std::runtime_error {
 public:
  HttpError(int status, const std::string& detail) : std::runtime_error(detail), status_(status) {}
  int status() const { return status_; }

 private:
  int status_;
};

using RouteHandler = std::function<Response(const Request&)>;

/// Matches requests to routes: a literal segment wins over a parameter; a path that matches no
/// template is 404; a matching path without the method is 405 with `Allow`. Runs the middleware
/// chain (oasgen/middleware.hpp) and the security of spec operations around the handler.
class Router {
 public:
  Router();
  ~Router();
  Router(Router&&) noexcept;
  Router& operator=(Router&&) noexcept;

  /// Adds a route. `path_template` is an OpenAPI path ("/pets/{petId}"); a template and method may be
  /// added once (std::invalid_argument otherwise).
  void add(std::string_view method, std::string_view path_template, RouteHandler handler);
  /// Adds the route of a spec operation (its method and path; `operation` must outlive the router).
  /// When the operation has a security requirement, `authorize` runs with `security` before the
  /// handler, which only sees admitted requests.
  void add(const OperationInfo& operation, RouteHandler handler, RouteSecurity security = {});

  /// Appends a middleware to the chain. Call before serving (the chain is not locked).
  void use(std::shared_ptr<Middleware> middleware);

  /// The methods of every route whose template matches `path` (with HEAD where GET is), and their
  /// operations: what a CORS preflight may allow. Empty when nothing matches.
  std::vector<std::string> methods(std::string_view path) const;
  std::vector<const OperationInfo*> operations(std::string_view path) const;
  /// The operation of every route added so far, in no particular order: what middleware
  /// precomputes its per-operation data from.
  std::vector<const OperationInfo*> operations() const;

  /// Runs the middleware, routes, enforces security and runs the handler. Never throws:
  /// `NotImplemented` becomes 501, `HttpError` its status, any other exception 500 (its message is
  /// not sent to the client). HEAD is served by GET routes without a body.
  Response handle(Request request) const;

  /// Runs the chain's `on_response` hooks on a response the server made without routing (a
  /// malformed request, a header or body over its limit, a missing Host), so that request ids, CORS,
  /// the access log and metrics see it like any other. `request` holds what was read of it.
  void finish_unrouted(Request& request, Response& response) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace oasgen
