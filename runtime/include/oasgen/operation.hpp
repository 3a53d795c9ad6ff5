// What generated code tells the runtime about each operation of the spec: a constant table per API
// (`<namespace>::kOperations`), for security, middleware and tests that go over every operation.
#pragma once

#include <cstddef>
#include <string_view>

#include "oasgen/security.hpp"

namespace oasgen {

struct OperationInfo {
  std::string_view operation_id;  ///< as the spec gives it (or as oasgen derived it)
  std::string_view method;        ///< "GET"
  std::string_view path;          ///< the path template, "/pets/{petId}"
  /// The security requirement in force (the operation's own, else the document's); none: public.
  const SecurityUse* security = nullptr;
  std::size_t security_count = 0;
  std::string_view tags;  ///< comma-separated, in the spec's order
  /// The request headers the operation reads (header parameters, API keys, Authorization,
  /// Content-Type), comma-separated: what a CORS preflight may allow.
  std::string_view request_headers;
  /// The response headers it declares, comma-separated: what CORS may expose.
  std::string_view response_headers;
  /// Its `x-` members as a JSON object's text ("" when none), e.g. `x-oasgen-rate-limit`.
  std::string_view extensions;
};

}  // namespace oasgen
