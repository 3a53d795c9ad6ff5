// Request ids and W3C Trace Context: every request gets an id and a trace, which handlers see in
// their context, logs carry, problem bodies name, and the typed client sends on.
//
//   router.use(std::make_shared<oasgen::RequestIds>());
#pragma once

#include <string_view>

#include "oasgen/middleware.hpp"

namespace oasgen {

/// Takes a well-formed `X-Request-Id` (1 to 128 characters of `A-Za-z0-9._:-`) or makes one;
/// parses `traceparent`/`tracestate` (https://www.w3.org/TR/trace-context/) or starts a trace, and
/// gives the request a span of its own. Answers carry `X-Request-Id`; problem bodies get the
/// members `request_id` and `trace_id`.
class RequestIds : public Middleware {
 public:
  std::optional<Response> before_routing(Request& request) override;
  void on_response(const Request& request, Response& response) override;
};

/// Whether `id` is a request id `RequestIds` accepts from a client.
bool is_valid_request_id(std::string_view id);

/// Parses a `traceparent` value into `trace` (trace id, parent id, flags); false when it is not
/// valid (section 3.2 of the W3C recommendation: version 00 exactly; a later version by its first
/// four fields; all-zero ids and version ff refused).
bool parse_traceparent(std::string_view value, TraceContext& trace);

}  // namespace oasgen
