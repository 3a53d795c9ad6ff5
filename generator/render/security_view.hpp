// View data for the spec's security: the scheme table and each operation's requirement (shared by
// the server and the client through api.hpp), and the server's `Authenticator` interface.
#pragma once

#include "naming/cpp_api.hpp"
#include "render/view_json.hpp"

namespace oasgen::render {

/// Adds `security_schemes`, `authenticator_methods`, `realm` and their flags to the server view.
void add_security_view(const cpp::Api& api, ViewJson& view);

/// The security part of one operation's view: `security_uses`, `scopes`, `security_const`,
/// `security_args` ("detail::kXSecurity, N" or "nullptr, 0"), `has_security`.
ViewJson operation_security_view(const cpp::Operation& op);

}  // namespace oasgen::render
