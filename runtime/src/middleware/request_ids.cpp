#include "oasgen/middleware/request_ids.hpp"

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>

#include "../json_text.hpp"

namespace oasgen {
namespace {

bool is_lower_hex(std::string_view text, std::size_t size) {
  return text.size() == size && std::all_of(text.begin(), text.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

bool all_zero(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return c == '0'; });
}

// Reads a body without building it: whether it is one JSON object, and whether that object has a
// member named `request_id` or `trace_id` already.
class ObjectMembers : public nlohmann::json_sax<nlohmann::json> {
 public:
  bool object() const { return object_; }
  bool has_ours() const { return has_ours_; }

  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t) override { return true; }
  bool number_unsigned(number_unsigned_t) override { return true; }
  bool number_float(number_float_t, const string_t&) override { return true; }
  bool string(string_t&) override { return true; }
  bool binary(binary_t&) override { return true; }
  bool start_object(std::size_t) override {
    if (depth_++ == 0) object_ = true;
    return true;
  }
  bool key(string_t& name) override {
    if (depth_ == 1 && (name == "request_id" || name == "trace_id")) has_ours_ = true;
    return true;
  }
  bool end_object() override {
    --depth_;
    return true;
  }
  bool start_array(std::size_t) override {
    ++depth_;
    return true;
  }
  bool end_array() override {
    --depth_;
    return true;
  }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override {
    object_ = false;
    return false;
  }

 private:
  std::size_t depth_ = 0;
  bool object_ = false;
  bool has_ours_ = false;
};

}  // namespace

bool is_valid_request_id(std::string_view id) {
  return !id.empty() && id.size() <= 128 && std::all_of(id.begin(), id.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == ':' ||
           c == '-';
  });
}

bool parse_traceparent(std::string_view value, TraceContext& trace) {
  // version "-" trace-id "-" parent-id "-" trace-flags: 2 + 1 + 32 + 1 + 16 + 1 + 2 = 55
  // characters.
  if (value.size() < 55) return false;
  const std::string_view version = value.substr(0, 2), trace_id = value.substr(3, 32),
                         parent_id = value.substr(36, 16), flags = value.substr(53, 2);
  if (!is_lower_hex(version, 2) || version == "ff") return false;
  if (value[2] != '-' || value[35] != '-' || value[52] != '-') return false;
  // Section 3.2.4: version 00 has exactly these fields; a later version may append "-" and more.
  if (version == "00" ? value.size() != 55 : (value.size() > 55 && value[55] != '-')) return false;
  if (!is_lower_hex(trace_id, 32) || all_zero(trace_id)) return false;
  if (!is_lower_hex(parent_id, 16) || all_zero(parent_id)) return false;
  if (!is_lower_hex(flags, 2)) return false;
  trace.trace_id = std::string(trace_id);
  trace.parent_id = std::string(parent_id);
  trace.flags = std::string(flags);
  return true;
}

std::optional<Response> RequestIds::before_routing(Request& request) {
  const auto id = request.headers.get("X-Request-Id");
  request.request_id = id && is_valid_request_id(*id) ? std::string(*id) : random_hex(16);

  TraceContext trace;
  const auto parents = request.headers.get_all("traceparent");
  if (parents.size() == 1 && parse_traceparent(parents.front(), trace)) {
    // Section 3.3: tracestate is only meaningful beside a valid traceparent; its fields combine.
    std::string state;
    for (std::string_view field : request.headers.get_all("tracestate"))
      state += (state.empty() ? "" : ",") + std::string(field);
    if (state.size() <= 512) trace.state = std::move(state);
  } else {
    trace = TraceContext{};
    trace.trace_id = random_hex(32);
  }
  trace.span_id = random_hex(16);
  request.trace = std::move(trace);
  return std::nullopt;
}

void RequestIds::on_response(const Request& request, Response& response) {
  response.headers.set("X-Request-Id", request.request_id);
  // Compared as a media type: case-insensitive, parameters (`; charset=utf-8`) allowed.
  const auto type = response.headers.get("Content-Type");
  constexpr std::string_view kProblem = "application/problem+json";
  if (!type || type->size() < kProblem.size() ||
      !iequals(type->substr(0, kProblem.size()), kProblem) ||
      (type->size() > kProblem.size() && (*type)[kProblem.size()] != ';' &&
       (*type)[kProblem.size()] != ' ')) {
    return;
  }
  // The members go in as text, first in the object: a 422 lists every failed check, and parsing
  // it into a DOM and dumping it again cost as much as the rest of the request.
  ObjectMembers members;
  if (!nlohmann::json::sax_parse(response.body, &members) || !members.object()) return;
  if (!members.has_ours()) {
    const std::size_t open = response.body.find('{');  // the first character but whitespace
    const std::size_t next = response.body.find_first_not_of(" \t\r\n", open + 1);
    std::string added = "\"request_id\":";
    detail::append_json_string(added, request.request_id);
    if (!request.trace.trace_id.empty()) {
      added += ",\"trace_id\":";
      detail::append_json_string(added, request.trace.trace_id);
    }
    if (response.body[next] != '}') added += ',';
    response.body.insert(open + 1, added);
    return;
  }
  // The body has one of them already: replaced, as a DOM does it.
  nlohmann::json problem = nlohmann::json::parse(response.body, nullptr, false);
  problem["request_id"] = request.request_id;
  if (!request.trace.trace_id.empty()) problem["trace_id"] = request.trace.trace_id;
  response.body = problem.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace oasgen
