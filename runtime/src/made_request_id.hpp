// The request id `Router::handle` made for the request it is handling on this thread, if it made
// one: `RequestIds` keeps that id rather than making a second one in its place (both are 16 random
// hex digits that nothing has seen yet), which saved a random draw and an allocation per request.
#pragma once

#include <string>

#include "oasgen/http.hpp"

namespace oasgen::detail {

struct MadeRequestId {
  const Request* request = nullptr;  // null outside `Router::handle`, or when it made none
  std::string id;
};

inline thread_local MadeRequestId t_made_request_id;

/// Whether `request` still carries the id the router made for it in the current call.
inline bool has_made_request_id(const Request& request) {
  return t_made_request_id.request == &request && request.request_id == t_made_request_id.id;
}

}  // namespace oasgen::detail
