// Serving the API's reference page and its OpenAPI document.
//
//   oasgen::Router router;
//   petstore::register_routes(router, handler);
//   petstore::register_docs(router);  // generated with --docs; calls serve_docs
#pragma once

#include <string>

#include "oasgen/router.hpp"

namespace oasgen {

/// What `serve_docs` serves: the bundled spec, the self-contained page, and the
/// Content-Security-Policy that allows the page's own inline script and style, and requests to
/// its own origin only (its "Try it out" forms), and nothing else.
struct DocsContent {
  std::string openapi_json;
  std::string html;
  /// Sent with the page. Empty: "default-src 'none'", under which the page's script does not run.
  std::string content_security_policy;
};

/// Where `serve_docs` serves them.
struct DocsPaths {
  std::string openapi_json = "/openapi.json";
  std::string html = "/docs";
};

/// Adds GET routes for the spec (application/json) and the page (text/html, with the policy,
/// `frame-ancestors 'none'`, nosniff and no referrer). Throws std::invalid_argument, as
/// `Router::add` does, when a route already exists (the API has its own /docs, say).
void serve_docs(Router& router, DocsContent content, const DocsPaths& paths = {});

}  // namespace oasgen
