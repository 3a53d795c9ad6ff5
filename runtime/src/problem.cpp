#include "oasgen/problem.hpp"

namespace oasgen {

std::string_view to_string(Location location) {
  switch (location) {
    case Location::Path:
      return "path";
    case Location::Query:
      return "query";
    case Location::Header:
      return "header";
    case Location::Cookie:
      return "cookie";
    case Location::Body:
      return "body";
  }
  return "body";
}

void to_json(nlohmann::json& json, const FieldError& error) {
  json = nlohmann::json{{"location", to_string(error.location)},
                        {"pointer", error.pointer},
                        {"keyword", error.keyword},
                        {"message", error.message}};
}

void to_json(nlohmann::json& json, const Problem& problem) {
  json = nlohmann::json::object();
  json["type"] = problem.type;
  json["title"] =
      problem.title.empty() ? std::string(reason_phrase(problem.status)) : problem.title;
  json["status"] = problem.status;
  if (!problem.detail.empty()) json["detail"] = problem.detail;
  if (!problem.errors.empty()) json["errors"] = problem.errors;
}

Response problem_response(const Problem& problem) {
  Response response;
  response.status = problem.status;
  response.headers.set("Content-Type", "application/problem+json");
  // Details may quote request bytes that are not UTF-8; replacing them keeps dump() from throwing.
  response.body =
      nlohmann::json(problem).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return response;
}

Response problem_response(int status, std::string detail) {
  Problem problem;
  problem.status = status;
  problem.detail = std::move(detail);
  return problem_response(problem);
}

Response overloaded_response(std::string detail, unsigned retry_after_seconds) {
  Problem problem;
  problem.status = 503;
  problem.type = std::string(kProblemOverloaded);
  problem.detail = std::move(detail);
  Response response = problem_response(problem);
  response.headers.set("Retry-After", std::to_string(retry_after_seconds));
  return response;
}

}  // namespace oasgen
