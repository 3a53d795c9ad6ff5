// Parameter decoding per the "Style Values" and "Style Examples" tables of OpenAPI 3. Values are
// split on their style's delimiters before they are percent-decoded, so an encoded delimiter is
// data.
#include "oasgen/params.hpp"

#include <charconv>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace oasgen {

namespace {

using json = nlohmann::json;

std::vector<std::string_view> split(std::string_view text, char delimiter) {
  std::vector<std::string_view> parts;
  if (text.empty()) return parts;
  std::size_t start = 0;
  while (true) {
    std::size_t end = text.find(delimiter, start);
    if (end == std::string_view::npos) {
      parts.push_back(text.substr(start));
      return parts;
    }
    parts.push_back(text.substr(start, end - start));
    start = end + 1;
  }
}

// Splits on any of several spellings of one delimiter (`|` and its escape %7C, say).
std::vector<std::string_view> split_any(std::string_view text,
                                        std::initializer_list<std::string_view> delimiters) {
  std::vector<std::string_view> parts;
  if (text.empty()) return parts;
  std::size_t start = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t matched = 0;
    for (std::string_view delimiter : delimiters) {
      if (text.size() - pos >= delimiter.size() &&
          text.compare(pos, delimiter.size(), delimiter) == 0) {
        matched = delimiter.size();
        break;
      }
    }
    if (matched == 0) {
      ++pos;
      continue;
    }
    parts.push_back(text.substr(start, pos - start));
    pos += matched;
    start = pos;
  }
  parts.push_back(text.substr(start));
  return parts;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

bool is_digits(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// "-12" and "12" as JSON integers; nullopt for anything else, including out-of-range values.
std::optional<json> parse_integer(std::string_view text) {
  bool negative = !text.empty() && text[0] == '-';
  if (!is_digits(negative ? text.substr(1) : text)) return std::nullopt;
  const char* end = text.data() + text.size();
  if (negative) {
    std::int64_t value = 0;
    auto [ptr, ec] = std::from_chars(text.data(), end, value);
    if (ec != std::errc() || ptr != end) return std::nullopt;
    return json(value);
  }
  std::uint64_t value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr != end) return std::nullopt;
  return json(value);
}

// Text in JSON number syntax as a JSON number (an integer when it has no fraction or exponent).
std::optional<json> parse_number(std::string_view text) {
  std::size_t pos = 0;
  if (pos < text.size() && text[pos] == '-') ++pos;
  std::size_t int_start = pos;
  while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') ++pos;
  std::size_t int_digits = pos - int_start;
  if (int_digits == 0 || (int_digits > 1 && text[int_start] == '0')) return std::nullopt;
  bool is_float = false;
  if (pos < text.size() && text[pos] == '.') {
    is_float = true;
    std::size_t start = ++pos;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') ++pos;
    if (pos == start) return std::nullopt;
  }
  if (pos < text.size() && (text[pos] == 'e' || text[pos] == 'E')) {
    is_float = true;
    ++pos;
    if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) ++pos;
    std::size_t start = pos;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') ++pos;
    if (pos == start) return std::nullopt;
  }
  if (pos != text.size()) return std::nullopt;
  if (!is_float) {
    if (auto integer = parse_integer(text)) return integer;
  }
  double value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size()) return std::nullopt;
  return json(value);
}

// Text converted to the first type of `scalar` it fits; text that fits none stays a string so the
// validator's type check reports it.
json convert(std::string text, JsonType scalar) {
  if (has(scalar, JsonType::Integer)) {
    if (auto value = parse_integer(text)) return *value;
  }
  if (has(scalar, JsonType::Number)) {
    if (auto value = parse_number(text)) return *value;
  }
  if (has(scalar, JsonType::Boolean)) {
    if (text == "true") return true;
    if (text == "false") return false;
  }
  if (has(scalar, JsonType::Null) && text == "null") return nullptr;
  return json(std::move(text));
}

// How a piece of a parameter is decoded once it has been split off: not at all (path values the
// router decoded, headers), percent-decoded (cookies), or form-decoded with '+' as space (queries).
enum class Coding { None, Percent, Form };

class Decoder {
 public:
  Decoder(const ParamSpec& spec, Validator& validator) : spec_(spec), validator_(validator) {}

  std::optional<json> decode(const Request& request) {
    switch (spec_.in) {
      case Location::Path:
        return path(request);
      case Location::Query:
        return query(request);
      case Location::Header:
        return header(request);
      case Location::Cookie:
        return cookie(request);
      case Location::Body:
        return form_field(request.body);
    }
    throw std::logic_error("parameter '" + std::string(spec_.name) +
                           "' is not in a parameter location");
  }

 private:
  std::optional<json> absent() {
    if (spec_.required) {
      validator_.fail("required", "missing required " + std::string(to_string(spec_.in)) +
                                      " parameter '" + std::string(spec_.name) + "'");
    }
    return std::nullopt;
  }

  std::optional<json> malformed(std::string message) {
    validator_.fail("style", std::move(message));
    return std::nullopt;
  }

  [[noreturn]] void unsupported() const {
    throw std::logic_error("unsupported style for " + std::string(to_string(spec_.in)) +
                           " parameter '" + std::string(spec_.name) + "'");
  }

  std::optional<std::string> text(std::string_view raw, Coding coding) {
    if (coding == Coding::None) return std::string(raw);
    auto decoded = percent_decode(raw, coding == Coding::Form);
    if (!decoded) malformed("malformed percent-encoding");
    return decoded;
  }

  std::optional<json> scalar(std::string_view raw, Coding coding) {
    auto decoded = text(raw, coding);
    if (!decoded) return std::nullopt;
    return convert(std::move(*decoded), spec_.scalar);
  }

  std::optional<json> array(const std::vector<std::string_view>& items, Coding coding) {
    json result = json::array();
    for (std::string_view item : items) {
      auto value = scalar(item, coding);
      if (!value) return std::nullopt;
      result.push_back(std::move(*value));
    }
    return result;
  }

  // "R,100,G,200": alternating names and values.
  std::optional<json> object_from_pairs(const std::vector<std::string_view>& items, Coding coding) {
    if (items.size() % 2 != 0) return malformed("expected name,value pairs");
    json result = json::object();
    for (std::size_t i = 0; i < items.size(); i += 2) {
      if (!member(result, items[i], items[i + 1], coding)) return std::nullopt;
    }
    return result;
  }

  // "R=100", "G=200": one member each.
  std::optional<json> object_from_assignments(const std::vector<std::string_view>& items,
                                              Coding coding) {
    json result = json::object();
    for (std::string_view item : items) {
      std::size_t equals = item.find('=');
      if (equals == std::string_view::npos) return malformed("expected name=value members");
      if (!member(result, item.substr(0, equals), item.substr(equals + 1), coding)) {
        return std::nullopt;
      }
    }
    return result;
  }

  bool member(json& object, std::string_view raw_name, std::string_view raw_value, Coding coding) {
    auto name = text(raw_name, coding);
    return name && decoded_member(object, std::move(*name), raw_value, coding);
  }

  bool decoded_member(json& object, std::string name, std::string_view raw_value, Coding coding) {
    auto value = scalar(raw_value, coding);
    if (!value) return false;
    if (object.contains(name)) {
      auto at = validator_.enter(name);
      validator_.fail("type", "expected a single value");
      return false;
    }
    object[name] = std::move(*value);
    return true;
  }

  // A value in its style's shape: exploded arrays and objects use `explode_delimiter`, the others
  // separate with commas.
  std::optional<json> shaped(std::string_view raw, char explode_delimiter, Coding coding) {
    char delimiter = spec_.explode ? explode_delimiter : ',';
    switch (spec_.shape) {
      case ParamShape::Scalar:
        return scalar(raw, coding);
      case ParamShape::Array:
        return array(split(raw, delimiter), coding);
      case ParamShape::Object:
        return spec_.explode ? object_from_assignments(split(raw, delimiter), coding)
                             : object_from_pairs(split(raw, delimiter), coding);
    }
    return std::nullopt;
  }

  std::optional<json> path(const Request& request) {
    const std::string* found = nullptr;
    for (const auto& [name, value] : request.path_params) {
      if (name == spec_.name) {
        found = &value;
        break;
      }
    }
    if (found == nullptr) return absent();
    std::string_view value = *found;
    // The router has percent-decoded path parameters already.
    switch (spec_.style) {
      case ParamStyle::Simple:
        return shaped(value, ',', Coding::None);
      case ParamStyle::Label:
        if (value.empty() || value[0] != '.')
          return malformed("expected a label value starting with '.'");
        return shaped(value.substr(1), '.', Coding::None);
      case ParamStyle::Matrix:
        return matrix(value);
      default:
        unsupported();
    }
  }

  // ";color=blue", ";color=blue,black", ";color=blue;color=black", ";R=100;G=200", ";color".
  std::optional<json> matrix(std::string_view value) {
    auto expected = [&] {
      return malformed("expected a matrix value starting with ';" + std::string(spec_.name) + "'");
    };
    if (value.empty() || value[0] != ';') return expected();
    std::string_view body = value.substr(1);
    if (spec_.shape == ParamShape::Object && spec_.explode) {
      return object_from_assignments(split(body, ';'), Coding::None);
    }
    // "color=blue" or "color" (empty) to "blue" or "".
    auto named_value = [&](std::string_view item) -> std::optional<std::string_view> {
      if (item == spec_.name) return std::string_view();
      if (item.size() > spec_.name.size() && item.substr(0, spec_.name.size()) == spec_.name &&
          item[spec_.name.size()] == '=') {
        return item.substr(spec_.name.size() + 1);
      }
      return std::nullopt;
    };
    if (spec_.shape == ParamShape::Array && spec_.explode) {
      std::vector<std::string_view> items;
      for (std::string_view item : split(body, ';')) {
        auto item_value = named_value(item);
        if (!item_value) return expected();
        items.push_back(*item_value);
      }
      if (items.size() == 1 && items[0].empty()) items.clear();  // ";color" is the empty array
      return array(items, Coding::None);
    }
    auto named = named_value(body);
    if (!named) return expected();
    return shaped(*named, ',', Coding::None);
  }

  struct Pair {
    std::string key;
    std::string_view raw_value;
  };

  static std::vector<Pair> query_pairs(std::string_view query) {
    std::vector<Pair> pairs;
    for (std::string_view item : split(query, '&')) {
      if (item.empty()) continue;
      std::size_t equals = item.find('=');
      std::string_view raw_key = item.substr(0, equals);
      std::string_view raw_value =
          equals == std::string_view::npos ? std::string_view() : item.substr(equals + 1);
      // A key that does not decode cannot name any parameter; keeping it raw makes it match none.
      auto key = percent_decode(raw_key, true);
      pairs.push_back(Pair{key ? std::move(*key) : std::string(raw_key), raw_value});
    }
    return pairs;
  }

  // A field of an application/x-www-form-urlencoded body: encoded like a query parameter.
  std::optional<json> form_field(std::string_view body) { return query_string(body); }

  std::optional<json> query(const Request& request) { return query_string(request.query()); }

  std::optional<json> query_string(std::string_view query) {
    std::vector<Pair> pairs = query_pairs(query);
    if (spec_.style == ParamStyle::DeepObject) return deep_object(pairs);
    std::vector<std::string_view> values;
    for (const Pair& pair : pairs) {
      if (pair.key == spec_.name) values.push_back(pair.raw_value);
    }
    if (spec_.shape == ParamShape::Object && spec_.explode && spec_.style == ParamStyle::Form) {
      // Exploded form objects have no name of their own: every query pair is a member.
      if (pairs.empty()) return absent();
      json result = json::object();
      for (const Pair& pair : pairs) {
        if (!decoded_member(result, pair.key, pair.raw_value, Coding::Form)) return std::nullopt;
      }
      return result;
    }
    if (values.empty()) return absent();
    if (spec_.shape == ParamShape::Array && spec_.explode) {
      if (values.size() == 1 && values[0].empty()) return json::array();
      return array(values, Coding::Form);
    }
    if (values.size() > 1) {
      validator_.fail("type", "expected a single value");
      return std::nullopt;
    }
    std::string_view raw = values[0];
    switch (spec_.style) {
      case ParamStyle::Form:
        return shaped(raw, ',', Coding::Form);
      case ParamStyle::SpaceDelimited:
        return delimited(raw, {"%20", "+", " "});
      case ParamStyle::PipeDelimited:
        return delimited(raw, {"|", "%7C", "%7c"});
      default:
        unsupported();
    }
  }

  std::optional<json> delimited(std::string_view raw,
                                std::initializer_list<std::string_view> delimiters) {
    switch (spec_.shape) {
      case ParamShape::Scalar:
        return scalar(raw, Coding::Form);
      case ParamShape::Array:
        return array(split_any(raw, delimiters), Coding::Form);
      case ParamShape::Object:
        return object_from_pairs(split_any(raw, delimiters), Coding::Form);
    }
    return std::nullopt;
  }

  // "color[R]=100&color[G]=200".
  std::optional<json> deep_object(const std::vector<Pair>& pairs) {
    if (spec_.shape != ParamShape::Object) unsupported();
    std::string prefix = std::string(spec_.name) + "[";
    json result = json::object();
    bool found = false;
    for (const Pair& pair : pairs) {
      if (pair.key.compare(0, prefix.size(), prefix) != 0) continue;
      std::string_view rest = std::string_view(pair.key).substr(prefix.size());
      found = true;
      if (rest.size() < 2 || rest.back() != ']' ||
          rest.substr(0, rest.size() - 1).find_first_of("[]") != std::string_view::npos) {
        return malformed("expected " + std::string(spec_.name) + "[name]=value members");
      }
      std::string name(rest.substr(0, rest.size() - 1));
      if (result.contains(name)) {
        auto at = validator_.enter(name);
        validator_.fail("type", "expected a single value");
        return std::nullopt;
      }
      auto value = scalar(pair.raw_value, Coding::Form);
      if (!value) return std::nullopt;
      result[name] = std::move(*value);
    }
    if (!found) return absent();
    return result;
  }

  std::optional<json> header(const Request& request) {
    if (spec_.style != ParamStyle::Simple) unsupported();
    std::vector<std::string_view> fields = request.headers.get_all(spec_.name);
    if (fields.empty()) return absent();
    if (spec_.shape == ParamShape::Scalar) {
      if (fields.size() > 1) {
        validator_.fail("type", "expected a single value");
        return std::nullopt;
      }
      return convert(std::string(trim(fields[0])), spec_.scalar);
    }
    // Repeated fields are one comma-separated list (RFC 9110, section 5.3).
    std::vector<std::string_view> items;
    for (std::string_view field : fields) {
      for (std::string_view item : split(trim(field), ',')) items.push_back(trim(item));
    }
    if (spec_.shape == ParamShape::Array) return array(items, Coding::None);
    return spec_.explode ? object_from_assignments(items, Coding::None)
                         : object_from_pairs(items, Coding::None);
  }

  std::optional<json> cookie(const Request& request) {
    if (spec_.style != ParamStyle::Form) unsupported();
    std::vector<Pair> cookies;
    for (std::string_view field : request.headers.get_all("Cookie")) {
      for (std::string_view item : split(field, ';')) {
        item = trim(item);
        if (item.empty()) continue;
        std::size_t equals = item.find('=');
        std::string_view value =
            equals == std::string_view::npos ? std::string_view() : item.substr(equals + 1);
        cookies.push_back(Pair{std::string(item.substr(0, equals)), value});
      }
    }
    std::vector<std::string_view> values;
    for (const Pair& pair : cookies) {
      if (pair.key == spec_.name) values.push_back(pair.raw_value);
    }
    if (spec_.shape == ParamShape::Object && spec_.explode) {
      if (cookies.empty()) return absent();
      json result = json::object();
      for (const Pair& pair : cookies) {
        if (!member(result, pair.key, pair.raw_value, Coding::Percent)) return std::nullopt;
      }
      return result;
    }
    if (values.empty()) return absent();
    if (spec_.shape == ParamShape::Array && spec_.explode) return array(values, Coding::Percent);
    if (values.size() > 1) {
      validator_.fail("type", "expected a single value");
      return std::nullopt;
    }
    return shaped(values[0], ',', Coding::Percent);
  }

  const ParamSpec& spec_;
  Validator& validator_;
};

}  // namespace

std::optional<json> decode_param(const Request& request, const ParamSpec& spec,
                                 Validator& validator) {
  auto at = validator.enter(spec.in, spec.name);
  return Decoder(spec, validator).decode(request);
}

json convert_text(std::string text, JsonType scalar) { return convert(std::move(text), scalar); }

std::string to_simple_style(const json& value) {
  switch (value.type()) {
    case json::value_t::null:
      return {};
    case json::value_t::string:
      return value.get<std::string>();
    case json::value_t::array: {
      std::string text;
      for (std::size_t i = 0; i < value.size(); ++i) {
        if (i > 0) text += ',';
        text += to_simple_style(value[i]);
      }
      return text;
    }
    case json::value_t::object: {
      // Non-exploded: "R,100,G,200".
      std::string text;
      for (auto it = value.begin(); it != value.end(); ++it) {
        if (it != value.begin()) text += ',';
        text += it.key() + "," + to_simple_style(it.value());
      }
      return text;
    }
    default:
      return value.dump(-1, ' ', false, json::error_handler_t::replace);
  }
}

}  // namespace oasgen
