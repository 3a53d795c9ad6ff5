#include "oasgen/dispatch.hpp"

#include <string>

namespace oasgen {

namespace {

using json = nlohmann::json;

constexpr std::string_view kRequiredBodyMessage = "missing required request body";

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// application/json or application/<anything>+json, with no charset parameter other than UTF-8.
bool is_json_media_type(std::string_view content_type) {
  std::size_t semicolon = content_type.find(';');
  std::string_view essence = trim(content_type.substr(0, semicolon));
  constexpr std::string_view kApplication = "application/";
  if (essence.size() <= kApplication.size() ||
      !iequals(essence.substr(0, kApplication.size()), kApplication)) {
    return false;
  }
  std::string_view subtype = essence.substr(kApplication.size());
  bool json_subtype = iequals(subtype, "json") ||
                      (subtype.size() > 5 && iequals(subtype.substr(subtype.size() - 5), "+json"));
  if (!json_subtype) return false;
  std::string_view parameters =
      semicolon == std::string_view::npos ? std::string_view() : content_type.substr(semicolon + 1);
  while (!parameters.empty()) {
    std::size_t next = parameters.find(';');
    std::string_view parameter = trim(parameters.substr(0, next));
    parameters = next == std::string_view::npos ? std::string_view() : parameters.substr(next + 1);
    std::size_t equals = parameter.find('=');
    if (equals == std::string_view::npos ||
        !iequals(trim(parameter.substr(0, equals)), "charset")) {
      continue;
    }
    std::string_view charset = trim(parameter.substr(equals + 1));
    if (charset.size() >= 2 && charset.front() == '"' && charset.back() == '"') {
      charset = charset.substr(1, charset.size() - 2);
    }
    if (!iequals(charset, "utf-8")) return false;
  }
  return true;
}

// Thrown from the parser callback to stop at the first container nested too deep.
struct TooDeep {};

// "[json.exception.parse_error.101] parse error at line 1, column 5: syntax error ..." to
// "syntax error ...": the position is reported as a byte offset instead.
std::string parse_error_reason(const json::parse_error& error) {
  std::string_view what = error.what();
  std::size_t colon = what.find(": ");
  return std::string(colon == std::string_view::npos ? what : what.substr(colon + 2));
}

Problem rejection_problem(int status, std::string_view type, std::string detail) {
  Problem problem;
  problem.status = status;
  problem.type = std::string(type);
  problem.detail = std::move(detail);
  return problem;
}

}  // namespace

RequestReader::RequestReader(const Request& request, DecodeLimits limits)
    : request_(request), limits_(limits) {}

std::optional<json> RequestReader::param(const ParamSpec& spec) {
  return decode_param(request_, spec, validator_);
}

std::optional<json> RequestReader::json_body(bool required) {
  if (request_.body.empty()) {
    if (required) {
      auto at = validator_.enter(Location::Body);
      validator_.fail("required", std::string(kRequiredBodyMessage));
    }
    return std::nullopt;
  }
  auto content_type = request_.headers.get("Content-Type");
  if (!content_type || !is_json_media_type(*content_type)) {
    if (!rejection_) {
      std::string got = content_type ? "'" + std::string(*content_type) + "'" : "none";
      rejection_ = problem_response(rejection_problem(
          415, "about:blank", "expected Content-Type application/json, got " + got));
    }
    return std::nullopt;
  }
  std::size_t max_depth = limits_.max_json_depth;
  json::parser_callback_t check_depth = [max_depth](int depth, json::parse_event_t event, json&) {
    // `depth` counts the containers around this one.
    if ((event == json::parse_event_t::object_start || event == json::parse_event_t::array_start) &&
        static_cast<std::size_t>(depth) + 1 > max_depth) {
      throw TooDeep{};
    }
    return true;
  };
  try {
    return json::parse(request_.body, check_depth);
  } catch (const TooDeep&) {
    if (!rejection_) {
      rejection_ = problem_response(rejection_problem(
          400, kProblemMalformed,
          "JSON nested deeper than " + std::to_string(limits_.max_json_depth) + " levels"));
    }
  } catch (const json::parse_error& error) {
    if (!rejection_) {
      rejection_ = problem_response(rejection_problem(
          400, kProblemMalformed,
          "invalid JSON at byte " + std::to_string(error.byte) + ": " + parse_error_reason(error)));
    }
  }
  return std::nullopt;
}

std::optional<Response> RequestReader::problem() {
  if (rejection_) return rejection_;
  if (validator_.ok()) return std::nullopt;
  Problem problem;
  problem.type = std::string(kProblemValidation);
  std::size_t count = validator_.error_count();
  problem.detail =
      std::to_string(count) + (count == 1 ? " validation error" : " validation errors");
  // A bad parameter or a missing body is a malformed request (400); a body that parses but breaks
  // its schema is unprocessable content (422).
  problem.status = 422;
  for (const FieldError& error : validator_.errors()) {
    // Validator::required points at the missing member, so an empty pointer means the body itself.
    if (error.location != Location::Body ||
        (error.pointer.empty() && error.keyword == "required")) {
      problem.status = 400;
    }
  }
  problem.errors = validator_.errors();
  return problem_response(problem);
}

Response json_response(int status, const nlohmann::json& body) {
  Response response;
  response.status = status;
  response.headers.set("Content-Type", "application/json");
  response.body = body.dump(-1, ' ', false, json::error_handler_t::replace);
  return response;
}

}  // namespace oasgen
