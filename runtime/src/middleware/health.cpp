#include "oasgen/middleware/health.hpp"

#include "oasgen/problem.hpp"

namespace oasgen {

Health::Health(HealthOptions options) : options_(std::move(options)) {}

std::optional<Response> Health::before_routing(Request& request) {
  if (request.method != "GET" && request.method != "HEAD") return std::nullopt;
  const std::string_view path = request.path();
  const bool live = path == options_.live_path;
  if (!live && path != options_.ready_path) return std::nullopt;
  if (!live && !ready()) {
    Response response = problem_response(503, "not ready: starting or draining");
    response.headers.set("Cache-Control", "no-store");
    return response;
  }
  Response response;
  response.headers.set("Content-Type", "application/json");
  response.headers.set("Cache-Control", "no-store");
  response.body = R"({"status":"ok"})";
  return response;
}

}  // namespace oasgen
