#include "oasgen/docs.hpp"

#include <memory>
#include <utility>

namespace oasgen {

void serve_docs(Router& router, DocsContent content, const DocsPaths& paths) {
  auto docs = std::make_shared<const DocsContent>(std::move(content));
  router.add("GET", paths.openapi_json, [docs](const Request&) {
    Response response;
    response.headers.set("Content-Type", "application/json");
    response.headers.set("X-Content-Type-Options", "nosniff");
    response.headers.set("Cache-Control", "no-cache");
    response.body = docs->openapi_json;
    return response;
  });
  router.add("GET", paths.html, [docs](const Request&) {
    Response response;
    response.headers.set("Content-Type", "text/html; charset=utf-8");
    const std::string policy = docs->content_security_policy.empty()
                                   ? std::string("default-src 'none'")
                                   : docs->content_security_policy;
    // frame-ancestors only works in a header, not in the page's own <meta> policy.
    response.headers.set("Content-Security-Policy", policy + "; frame-ancestors 'none'");
    response.headers.set("X-Content-Type-Options", "nosniff");
    response.headers.set("Referrer-Policy", "no-referrer");
    response.headers.set("Cache-Control", "no-cache");
    response.body = docs->html;
    return response;
  });
}

}  // namespace oasgen
