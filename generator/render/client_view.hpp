// View data for the generated client (client.hpp / client.cpp).
#pragma once

#include <nlohmann/json.hpp>

#include "naming/cpp_api.hpp"

namespace oasgen::render {

/// The client's view: the server view's operations (request types, parameter specs, results), plus
/// what a client needs to encode requests and decode responses, the spec's servers and its
/// security schemes. `server_view` is `Views::server` for the same `api`.
nlohmann::json build_client_view(const cpp::Api& api, const nlohmann::json& server_view);

}  // namespace oasgen::render
