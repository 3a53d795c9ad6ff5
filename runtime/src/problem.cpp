#include "oasgen/problem.hpp"

#include "json_text.hpp"

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

namespace {

// The text `to_json` and dump() would give (members in name order, as nlohmann's object keeps
// them), written directly: a 422 lists every failed check, and building a DOM of them only to dump
// it cost more than the validation did. Details may quote request bytes that are not UTF-8; they
// are replaced, as dump() does with error_handler_t::replace.
std::string problem_text(const Problem& problem) {
  using detail::append_json_string;
  std::string out;
  // Room for the request and trace ids `RequestIds` inserts.
  out.reserve(240 + problem.errors.size() * 120);
  out += '{';
  if (!problem.detail.empty()) {
    out += "\"detail\":";
    append_json_string(out, problem.detail);
    out += ',';
  }
  if (!problem.errors.empty()) {
    out += "\"errors\":[";
    for (std::size_t i = 0; i < problem.errors.size(); ++i) {
      const FieldError& error = problem.errors[i];
      out += i == 0 ? "{\"keyword\":" : ",{\"keyword\":";
      append_json_string(out, error.keyword);
      out += ",\"location\":";
      append_json_string(out, to_string(error.location));
      out += ",\"message\":";
      append_json_string(out, error.message);
      out += ",\"pointer\":";
      append_json_string(out, error.pointer);
      out += '}';
    }
    out += "],";
  }
  out += "\"status\":";
  out += std::to_string(problem.status);
  out += ",\"title\":";
  append_json_string(out, problem.title.empty() ? reason_phrase(problem.status) : problem.title);
  out += ",\"type\":";
  append_json_string(out, problem.type);
  out += '}';
  return out;
}

}  // namespace

Response problem_response(const Problem& problem) {
  Response response;
  response.status = problem.status;
  response.headers.set("Content-Type", "application/problem+json");
  response.body = problem_text(problem);
  response.plain_problem = true;
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
