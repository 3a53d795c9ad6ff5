#include "oasgen/context.hpp"

#include <algorithm>

namespace oasgen {

bool Identity::has_scope(std::string_view scope) const {
  return std::find(scopes.begin(), scopes.end(), scope) != scopes.end();
}

const Identity* Principal::find(std::string_view scheme) const {
  for (const Identity& identity : identities) {
    if (identity.scheme == scheme) return &identity;
  }
  return nullptr;
}

std::string_view Principal::subject() const {
  for (const Identity& identity : identities) {
    if (!identity.subject.empty()) return identity.subject;
  }
  return {};
}

bool Context::expired() const {
  return request_.deadline && std::chrono::steady_clock::now() >= *request_.deadline;
}

Response Context::finish(Response response) const {
  if (response_headers_.empty()) return response;
  // Judged against the result's own headers, so that a header added twice (Set-Cookie) stays twice.
  const Headers own = response.headers;
  for (const auto& field : response_headers_) {
    if (!own.contains(field.first)) response.headers.add(field.first, field.second);
  }
  return response;
}

}  // namespace oasgen
