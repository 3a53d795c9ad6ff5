#include "oasgen/dispatch.hpp"

#include <string>
#include <utility>

namespace oasgen {

namespace {

using json = nlohmann::json;

constexpr std::string_view kRequiredBodyMessage = "missing required request body";

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// A parameter of a header value ("boundary" of "multipart/form-data; boundary=x", "filename" of
// "form-data; name=a; filename=b"), with a quoted string unquoted (RFC 9110, section 5.6.4).
std::optional<std::string> header_parameter(std::string_view value, std::string_view name) {
  std::size_t pos = value.find(';');
  while (pos != std::string_view::npos && pos < value.size()) {
    ++pos;
    while (pos < value.size() && (value[pos] == ' ' || value[pos] == '\t')) ++pos;
    const std::size_t equals = value.find_first_of("=;", pos);
    if (equals == std::string_view::npos || value[equals] == ';') {
      pos = equals;
      continue;
    }
    const bool wanted = iequals(trim(value.substr(pos, equals - pos)), name);
    std::string text;
    pos = equals + 1;
    while (pos < value.size() && (value[pos] == ' ' || value[pos] == '\t')) ++pos;
    if (pos < value.size() && value[pos] == '"') {
      for (++pos; pos < value.size() && value[pos] != '"'; ++pos) {
        if (value[pos] == '\\' && pos + 1 < value.size()) ++pos;
        text.push_back(value[pos]);
      }
      pos = value.find(';', pos);
    } else {
      const std::size_t end = value.find(';', pos);
      text = std::string(trim(value.substr(pos, end - pos)));
      pos = end;
    }
    if (wanted) return text;
  }
  return std::nullopt;
}

// A name or filename of a multipart part, with the escapes HTML forms (and our client) use for the
// characters a quoted string cannot carry: %22 for '"', %0D and %0A for line breaks.
std::string form_data_name(std::string text) {
  for (auto [escape, c] : {std::pair{"%22", '"'}, std::pair{"%0D", '\r'}, std::pair{"%0A", '\n'}}) {
    for (std::size_t at = text.find(escape); at != std::string::npos; at = text.find(escape, at + 1)) {
      text.replace(at, 3, 1, c);
    }
  }
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
  const auto charset = header_parameter(content_type, "charset");
  return !charset || iequals(*charset, "utf-8");
}

// Thrown from the parser to stop at the first container nested too deep.
struct TooDeep {};

// Builds the DOM exactly as json::parse does (nlohmann's own DOM builder, the same errors),
// refusing containers nested deeper than `max_depth`. A SAX handler rather than parse's callback:
// the callback parser keeps a second stack and calls a std::function for every value, which cost a
// fifth of the parse of a POST body.
class DepthLimitedDom {
 public:
  DepthLimitedDom(json& result, std::size_t max_depth) : dom_(result), max_depth_(max_depth) {}

  bool null() { return dom_.null(); }
  bool boolean(bool value) { return dom_.boolean(value); }
  bool number_integer(json::number_integer_t value) { return dom_.number_integer(value); }
  bool number_unsigned(json::number_unsigned_t value) { return dom_.number_unsigned(value); }
  bool number_float(json::number_float_t value, const json::string_t& text) {
    return dom_.number_float(value, text);
  }
  bool string(json::string_t& value) { return dom_.string(value); }
  bool binary(json::binary_t& value) { return dom_.binary(value); }
  bool key(json::string_t& value) { return dom_.key(value); }
  bool start_object(std::size_t elements) {
    enter();
    return dom_.start_object(elements);
  }
  bool end_object() {
    --depth_;
    return dom_.end_object();
  }
  bool start_array(std::size_t elements) {
    enter();
    return dom_.start_array(elements);
  }
  bool end_array() {
    --depth_;
    return dom_.end_array();
  }
  template <typename Exception>
  bool parse_error(std::size_t position, const std::string& token, const Exception& error) {
    return dom_.parse_error(position, token, error);
  }

 private:
  // `depth_` counts the containers around this one.
  void enter() {
    if (depth_ + 1 > max_depth_) throw TooDeep{};
    ++depth_;
  }

  nlohmann::detail::json_sax_dom_parser<json> dom_;
  std::size_t max_depth_;
  std::size_t depth_ = 0;
};

// "[json.exception.parse_error.101] parse error at line 1, column 5: syntax error ..." to
// "syntax error ...": the position is reported as a byte offset instead.
std::string parse_error_reason(const json::parse_error& error) {
  std::string_view what = error.what();
  std::size_t colon = what.find(": ");
  return std::string(colon == std::string_view::npos ? what : what.substr(colon + 2));
}

// "[json.exception.out_of_range.406] number overflow parsing '1e999'" -> from "number".
std::string out_of_range_reason(const json::out_of_range& error) {
  std::string_view what = error.what();
  std::size_t end = what.find("] ");
  return std::string(end == std::string_view::npos ? what : what.substr(end + 2));
}

Problem rejection_problem(int status, std::string_view type, std::string detail) {
  Problem problem;
  problem.status = status;
  problem.type = std::string(type);
  problem.detail = std::move(detail);
  return problem;
}

// The media type without parameters, lower-cased: "Text/Plain; charset=x" -> "text/plain".
std::string essence(std::string_view content_type) {
  std::string out(trim(content_type.substr(0, content_type.find(';'))));
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Whether `type` (an essence) matches `pattern`, which may be "*/*" or "image/*".
bool media_type_matches(std::string_view type, std::string_view pattern) {
  const std::string want = essence(pattern);
  if (want == "*/*" || want == type) return true;
  return want.size() > 2 && want.compare(want.size() - 2, 2, "/*") == 0 &&
         type.compare(0, want.size() - 1, want, 0, want.size() - 1) == 0;
}

struct Part {
  std::string name;
  std::string content_type;
  std::optional<std::string> filename;
  std::string data;
};

// RFC 7578 multipart/form-data. nullopt when the body is not well-formed.
std::optional<std::vector<Part>> parse_multipart(std::string_view body, std::string_view boundary) {
  const std::string delimiter = "--" + std::string(boundary);
  std::vector<Part> parts;
  std::size_t pos = body.find(delimiter);
  if (pos == std::string_view::npos) return std::nullopt;
  while (true) {
    pos += delimiter.size();
    if (body.substr(pos, 2) == "--") return parts;  // closing delimiter
    if (body.substr(pos, 2) != "\r\n") return std::nullopt;
    pos += 2;
    const std::size_t headers_end = body.find("\r\n\r\n", pos);
    if (headers_end == std::string_view::npos) return std::nullopt;
    Part part;
    std::string_view headers = body.substr(pos, headers_end - pos);
    while (!headers.empty()) {
      const std::size_t eol = headers.find("\r\n");
      std::string_view line = headers.substr(0, eol);
      headers = eol == std::string_view::npos ? std::string_view() : headers.substr(eol + 2);
      const std::size_t colon = line.find(':');
      if (colon == std::string_view::npos) return std::nullopt;
      std::string_view field = trim(line.substr(0, colon));
      std::string_view value = trim(line.substr(colon + 1));
      if (iequals(field, "Content-Type")) {
        part.content_type = std::string(value);
      } else if (iequals(field, "Content-Disposition")) {
        if (auto name = header_parameter(value, "name")) part.name = form_data_name(*name);
        if (auto filename = header_parameter(value, "filename")) part.filename = form_data_name(*filename);
      }
    }
    const std::size_t data_start = headers_end + 4;
    const std::size_t next = body.find("\r\n" + delimiter, data_start);
    if (next == std::string_view::npos) return std::nullopt;
    part.data = std::string(body.substr(data_start, next - data_start));
    parts.push_back(std::move(part));
    pos = next + 2;
  }
}

}  // namespace

RequestReader::RequestReader(const Request& request, DecodeLimits limits)
    : request_(request), limits_(limits), validator_(Direction::Request) {}

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
  try {
    json result;
    DepthLimitedDom dom(result, limits_.max_json_depth);
    json::sax_parse(request_.body, &dom);
    return result;
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
  } catch (const json::out_of_range& error) {
    // A number beyond double's range (`1e999`): nlohmann reports it as out_of_range 406, not as a
    // parse_error. Before this it escaped to the router: a 500 for any JSON body (fuzz_params,
    // tests/fuzz/corpus/params/number_overflow.txt).
    if (!rejection_) {
      rejection_ = problem_response(
          rejection_problem(400, kProblemMalformed, "invalid JSON: " + out_of_range_reason(error)));
    }
  }
  return std::nullopt;
}

bool RequestReader::missing_body(bool required) {
  if (!request_.body.empty()) return false;
  if (required) {
    auto at = validator_.enter(Location::Body);
    validator_.fail("required", std::string(kRequiredBodyMessage));
  }
  return true;
}

void RequestReader::reject(int status, std::string_view type, std::string detail) {
  if (!rejection_) rejection_ = problem_response(rejection_problem(status, type, std::move(detail)));
}

std::optional<json> RequestReader::body(bool required, const BodySpec& spec) {
  if (missing_body(required)) return std::nullopt;
  const auto content_type = request_.headers.get("Content-Type");
  const std::string type = content_type ? essence(*content_type) : std::string();
  if (spec.json && content_type && is_json_media_type(*content_type)) return json_body(required);
  if (spec.form && type == "application/x-www-form-urlencoded") return form_body(spec);
  if (spec.multipart && type == "multipart/form-data") return multipart_body(*content_type, spec);
  std::string expected;
  for (auto [accepted, name] : {std::pair{spec.json, "application/json"},
                                std::pair{spec.form, "application/x-www-form-urlencoded"},
                                std::pair{spec.multipart, "multipart/form-data"}}) {
    if (accepted) expected += (expected.empty() ? "" : ", ") + std::string(name);
  }
  reject(415, "about:blank",
         "expected Content-Type " + expected + ", got " +
             (content_type ? "'" + std::string(*content_type) + "'" : std::string("none")));
  return std::nullopt;
}

std::optional<json> RequestReader::form_body(const BodySpec& spec) {
  json object = json::object();
  for (std::size_t i = 0; i < spec.field_count; ++i) {
    if (auto value = decode_param(request_, spec.fields[i], validator_)) {
      object[std::string(spec.fields[i].name)] = std::move(*value);
    }
  }
  // Fields the schema does not name are kept as text, for additionalProperties to judge.
  for (std::string_view pair : [&] {
         std::vector<std::string_view> pairs;
         std::string_view rest = request_.body;
         while (!rest.empty()) {
           const std::size_t amp = rest.find('&');
           pairs.push_back(rest.substr(0, amp));
           rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
         }
         return pairs;
       }()) {
    const std::size_t equals = pair.find('=');
    auto name = percent_decode(pair.substr(0, equals), true);
    auto value = percent_decode(equals == std::string_view::npos ? "" : pair.substr(equals + 1), true);
    if (!name || !value) {
      reject(400, kProblemMalformed, "malformed percent-encoding in the form body");
      return std::nullopt;
    }
    if (!name->empty() && !object.contains(*name)) object[*name] = std::move(*value);
  }
  return object;
}

std::optional<json> RequestReader::multipart_body(std::string_view content_type, const BodySpec& spec) {
  const auto boundary = header_parameter(content_type, "boundary");
  std::optional<std::vector<Part>> parts;
  if (boundary && !boundary->empty()) parts = parse_multipart(request_.body, *boundary);
  if (!parts) {
    reject(400, kProblemMalformed, "malformed multipart/form-data body");
    return std::nullopt;
  }
  json object = json::object();
  for (auto& part : *parts) {
    const ParamSpec* field = nullptr;
    for (std::size_t i = 0; i < spec.field_count; ++i) {
      if (spec.fields[i].name == part.name) field = &spec.fields[i];
    }
    json value;
    if (part.filename) {
      value = std::move(part.data);  // a file: its bytes, whatever their media type
    } else if (!part.content_type.empty() && is_json_media_type(part.content_type)) {
      value = json::parse(part.data, nullptr, false);
      if (value.is_discarded()) {
        reject(400, kProblemMalformed, "invalid JSON in multipart part '" + part.name + "'");
        return std::nullopt;
      }
    } else if (field && (part.content_type.empty() || essence(part.content_type) == "text/plain")) {
      // A text part converts like a form field of its declared type.
      value = convert_text(std::move(part.data), field->scalar);
    } else {
      value = std::move(part.data);  // bytes of another media type
    }
    part_labels_.push_back({part.name, part.filename.value_or(""), std::move(part.content_type)});
    if (field && field->shape == ParamShape::Array) {
      object[part.name].push_back(std::move(value));
    } else if (!object.contains(part.name)) {
      object[part.name] = std::move(value);
    }
  }
  for (std::size_t i = 0; i < spec.field_count; ++i) {
    const std::string name(spec.fields[i].name);
    if (spec.fields[i].required && !object.contains(name)) {
      auto at = validator_.enter(Location::Body, name);
      validator_.fail("required", "missing required part '" + name + "'");
    }
  }
  return object;
}

void RequestReader::describe_file(std::string_view part, std::size_t index, File& file) const {
  for (const PartLabel& label : part_labels_) {
    if (label.name == part && index-- == 0) {
      file.filename = label.filename;
      file.content_type = label.content_type;
      return;
    }
  }
}

std::optional<RawBody> RequestReader::raw_body(bool required,
                                               std::initializer_list<std::string_view> media_types) {
  if (missing_body(required)) return std::nullopt;
  const auto content_type = request_.headers.get("Content-Type");
  const std::string type = content_type ? essence(*content_type) : std::string("application/octet-stream");
  std::string expected;
  for (std::string_view accepted : media_types) {
    if (media_type_matches(type, accepted)) return RawBody{type, request_.body};
    expected += (expected.empty() ? "" : ", ") + std::string(accepted);
  }
  reject(415, "about:blank",
         "expected Content-Type " + expected + ", got " +
             (content_type ? "'" + std::string(*content_type) + "'" : std::string("none")));
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

Response json_text_response(int status, std::string body) {
  Response response;
  response.status = status;
  response.headers.set("Content-Type", "application/json");
  response.body = std::move(body);
  return response;
}

}  // namespace oasgen
