// View data for the generated client (client.hpp / client.cpp).
#pragma once

#include "naming/cpp_api.hpp"
#include "render/view_json.hpp"

namespace oasgen::render {

/// The client's view: the server view's operations (request types, parameter specs, results), plus
/// what a client needs to encode requests and decode responses, the spec's servers and its
/// security schemes. `server_view` is `Views::server` for the same `api`.
ViewJson build_client_view(const cpp::Api& api, const ViewJson& server_view);

}  // namespace oasgen::render
