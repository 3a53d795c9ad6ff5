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
};

}  // namespace oasgen
