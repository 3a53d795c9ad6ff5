#include "oasgen/middleware.hpp"

namespace oasgen {

std::optional<Response> Middleware::before_routing(Request&) { return std::nullopt; }
std::optional<Response> Middleware::after_routing(Request&) { return std::nullopt; }
void Middleware::on_response(const Request&, Response&) {}

}  // namespace oasgen
