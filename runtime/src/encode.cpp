// Request encoding per the "Style Values" and "Style Examples" tables of OpenAPI 3, written as the
// mirror image of params.cpp: every form produced here is one that `decode_param` reads back.
// Delimiters are literal and values are percent-encoded, so a delimiter inside a value is data.
#include "oasgen/encode.hpp"

#include <algorithm>
#include <random>
#include <stdexcept>
#include <utility>

namespace oasgen {

namespace {

using json = nlohmann::json;

bool is_unreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

// The members of a parameter value in the shape its spec declares: a scalar's one text, an
// array's items, or an object's name/value pairs (in the object's member order).
struct Items {
  std::vector<std::string> values;                            // Scalar, Array
  std::vector<std::pair<std::string, std::string>> members;   // Object
};

Items items_of(const ParamSpec& spec, const json& value) {
  Items items;
  switch (spec.shape) {
    case ParamShape::Scalar:
      items.values.push_back(scalar_text(value));
      break;
    case ParamShape::Array:
      if (value.is_array()) {
        for (const auto& item : value) items.values.push_back(scalar_text(item));
      } else {
        items.values.push_back(scalar_text(value));
      }
      break;
    case ParamShape::Object:
      if (!value.is_object()) throw std::invalid_argument("parameter '" + std::string(spec.name) +
                                                          "' must be an object");
      for (auto it = value.begin(); it != value.end(); ++it) {
        if (it.value().is_null()) continue;
        items.members.emplace_back(it.key(), scalar_text(it.value()));
      }
      break;
  }
  return items;
}

using Encode = std::string (*)(std::string_view);

std::string verbatim(std::string_view text) { return std::string(text); }

std::string join(const std::vector<std::string>& values, std::string_view delimiter, Encode encode) {
  std::string out;
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out += delimiter;
    out += encode(values[i]);
  }
  return out;
}

// "R=100,G=200" (`pair` "=", `delimiter` ",") or "R,100,G,200" (both ",").
std::string join_members(const std::vector<std::pair<std::string, std::string>>& members,
                         std::string_view pair, std::string_view delimiter, Encode encode) {
  std::string out;
  for (std::size_t i = 0; i < members.size(); ++i) {
    if (i > 0) out += delimiter;
    out += encode(members[i].first);
    out += pair;
    out += encode(members[i].second);
  }
  return out;
}

// A scalar, array or object value in a style's delimited form: exploded arrays and objects use
// `explode_delimiter`, the others commas.
std::string shaped(const ParamSpec& spec, const Items& items, std::string_view explode_delimiter,
                   Encode encode) {
  std::string_view delimiter = spec.explode ? explode_delimiter : ",";
  if (spec.shape == ParamShape::Object) {
    return join_members(items.members, spec.explode ? "=" : ",", delimiter, encode);
  }
  return join(items.values, delimiter, encode);
}

void check_field_value(const ParamSpec& spec, std::string_view value) {
  for (unsigned char c : value) {
    if ((c < 0x20 && c != '\t') || c == 0x7f) {
      throw std::invalid_argument(std::string(to_string(spec.in)) + " parameter '" +
                                  std::string(spec.name) + "' holds a control character");
    }
  }
}

[[noreturn]] void unsupported(const ParamSpec& spec) {
  throw std::logic_error("unsupported style for " + std::string(to_string(spec.in)) +
                         " parameter '" + std::string(spec.name) + "'");
}

void append(std::string& list, std::string_view delimiter, std::string_view item) {
  if (!list.empty()) list += delimiter;
  list += item;
}

}  // namespace

std::string percent_encode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) {
    if (is_unreserved(c)) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

std::string scalar_text(const json& value) {
  if (value.is_string()) return value.get<std::string>();
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

RequestEncoder::RequestEncoder(std::string method, std::string path_template) {
  request_.method = std::move(method);
  // The template's literal text as a URL path: bytes that a path segment cannot hold as they are
  // (spaces, non-ASCII) are escaped; {placeholders} stay for `param`.
  static constexpr std::string_view kPathCharacters = "!$&'()*+,;=:@/%";
  for (std::size_t i = 0; i < path_template.size(); ++i) {
    const char c = path_template[i];
    const auto close = c == '{' ? path_template.find('}', i) : std::string::npos;
    if (close != std::string::npos) {
      path_.append(path_template, i, close - i + 1);
      i = close;
    } else if (is_unreserved(static_cast<unsigned char>(c)) ||
               kPathCharacters.find(c) != std::string_view::npos) {
      path_.push_back(c);
    } else {
      path_ += percent_encode(std::string_view(&c, 1));
    }
  }
}

void RequestEncoder::param(const ParamSpec& spec, const json& value) {
  if (value.is_null()) return;
  switch (spec.in) {
    case Location::Path:
      return path_param(spec, value);
    case Location::Query:
      return query_param(spec, value);
    case Location::Header:
      return header_param(spec, value);
    case Location::Cookie:
      return cookie_param(spec, value);
    case Location::Body:
      break;
  }
  throw std::logic_error("parameter '" + std::string(spec.name) + "' is not in a parameter location");
}

void RequestEncoder::path_param(const ParamSpec& spec, const json& value) {
  const Items items = items_of(spec, value);
  std::string text;
  switch (spec.style) {
    case ParamStyle::Simple:
      text = shaped(spec, items, ",", percent_encode);
      break;
    case ParamStyle::Label:
      text = "." + shaped(spec, items, ".", percent_encode);
      break;
    case ParamStyle::Matrix: {
      const std::string name = percent_encode(spec.name);
      if (spec.shape == ParamShape::Object && spec.explode) {
        text = ";" + join_members(items.members, "=", ";", percent_encode);
      } else if (spec.shape == ParamShape::Array && spec.explode) {
        text = ";" + name;  // ";color" is the empty array
        for (std::size_t i = 0; i < items.values.size(); ++i) {
          text += (i == 0 ? "=" : ";" + name + "=") + percent_encode(items.values[i]);
        }
      } else {
        const std::string joined = shaped(spec, items, ",", percent_encode);
        text = ";" + name + (joined.empty() ? "" : "=" + joined);  // ";color" when empty
      }
      break;
    }
    default:
      unsupported(spec);
  }
  const std::string placeholder = "{" + std::string(spec.name) + "}";
  const auto at = path_.find(placeholder);
  if (at == std::string::npos) {
    throw std::invalid_argument("path '" + path_ + "' has no parameter '" + std::string(spec.name) +
                                "'");
  }
  path_.replace(at, placeholder.size(), text);
}

void RequestEncoder::query_param(const ParamSpec& spec, const json& value) {
  const Items items = items_of(spec, value);
  const std::string name = percent_encode(spec.name);
  auto add = [&](std::string_view key, std::string_view text) {
    append(query_, "&", std::string(key) + "=" + std::string(text));
  };
  if (spec.style == ParamStyle::DeepObject) {
    if (spec.shape != ParamShape::Object) unsupported(spec);
    for (const auto& [member, text] : items.members) {
      add(name + "[" + percent_encode(member) + "]", percent_encode(text));
    }
    return;
  }
  if (spec.style != ParamStyle::Form && spec.style != ParamStyle::SpaceDelimited &&
      spec.style != ParamStyle::PipeDelimited) {
    unsupported(spec);
  }
  if (spec.shape == ParamShape::Object && spec.explode && spec.style == ParamStyle::Form) {
    // Exploded form objects have no name of their own: every member is a query pair.
    for (const auto& [member, text] : items.members) add(percent_encode(member), percent_encode(text));
    return;
  }
  if (spec.shape == ParamShape::Array && spec.explode) {
    if (items.values.empty()) add(name, "");  // read back as the empty array
    for (const auto& text : items.values) add(name, percent_encode(text));
    return;
  }
  std::string_view delimiter = spec.style == ParamStyle::SpaceDelimited  ? "%20"
                               : spec.style == ParamStyle::PipeDelimited ? "%7C"
                                                                         : ",";
  if (spec.shape == ParamShape::Object) {
    add(name, join_members(items.members, delimiter, delimiter, percent_encode));
  } else {
    add(name, join(items.values, delimiter, percent_encode));
  }
}

void RequestEncoder::header_param(const ParamSpec& spec, const json& value) {
  if (spec.style != ParamStyle::Simple) unsupported(spec);
  std::string text = shaped(spec, items_of(spec, value), ",", verbatim);
  check_field_value(spec, text);
  request_.headers.set(std::string(spec.name), std::move(text));
}

void RequestEncoder::cookie_param(const ParamSpec& spec, const json& value) {
  if (spec.style != ParamStyle::Form) unsupported(spec);
  const Items items = items_of(spec, value);
  const std::string name(spec.name);
  if (spec.shape == ParamShape::Object && spec.explode) {
    for (const auto& [member, text] : items.members) {
      append(cookie_, "; ", percent_encode(member) + "=" + percent_encode(text));
    }
  } else if (spec.shape == ParamShape::Array && spec.explode) {
    for (const auto& text : items.values) append(cookie_, "; ", name + "=" + percent_encode(text));
  } else {
    append(cookie_, "; ", name + "=" + shaped(spec, items, ",", percent_encode));
  }
  check_field_value(spec, cookie_);
}

void RequestEncoder::header(std::string name, std::string value) {
  request_.headers.set(std::move(name), std::move(value));
}

void RequestEncoder::json_body(const json& body, std::string_view media_type) {
  request_.body = body.dump(-1, ' ', false, json::error_handler_t::replace);
  request_.headers.set("Content-Type", std::string(media_type));
}

void RequestEncoder::json_text_body(std::string body, std::string_view media_type) {
  request_.body = std::move(body);
  request_.headers.set("Content-Type", std::string(media_type));
}

void RequestEncoder::form_body(const json& object) {
  request_.body = encode_form(object);
  request_.headers.set("Content-Type", "application/x-www-form-urlencoded");
}

void RequestEncoder::multipart_body(const std::vector<MultipartPart>& parts) {
  // A random boundary, drawn again in the unlikely case that a part contains it.
  std::random_device device;
  std::mt19937_64 random(device());
  std::string boundary;
  auto occurs = [&] {
    for (const auto& part : parts) {
      if (part.data.find(boundary) != std::string::npos) return true;
    }
    return false;
  };
  do {
    boundary = "oasgen-" + std::to_string(random()) + std::to_string(random());
  } while (occurs());
  request_.body = encode_multipart(parts, boundary);
  request_.headers.set("Content-Type", "multipart/form-data; boundary=" + boundary);
}

void RequestEncoder::text_body(std::string body, std::string_view media_type) {
  request_.body = std::move(body);
  request_.headers.set("Content-Type", std::string(media_type));
}

Request RequestEncoder::finish() && {
  if (const auto open = path_.find('{'); open != std::string::npos) {
    throw std::invalid_argument("path parameter of '" + path_ + "' was not given");
  }
  request_.target = std::move(path_);
  if (!query_.empty()) request_.target += "?" + query_;
  if (!cookie_.empty()) request_.headers.set("Cookie", std::move(cookie_));
  return std::move(request_);
}

std::string encode_form(const json& object) {
  std::string out;
  for (auto it = object.begin(); it != object.end(); ++it) {
    const json& value = it.value();
    const std::string name = percent_encode(it.key());
    auto add = [&](std::string_view key, const json& item) {
      // Deeper values have no form encoding of their own; JSON text keeps them intact.
      append(out, "&", std::string(key) + "=" + percent_encode(scalar_text(item)));
    };
    if (value.is_null()) continue;
    if (value.is_array()) {
      for (const auto& item : value) add(name, item);
    } else if (value.is_object()) {
      for (auto member = value.begin(); member != value.end(); ++member) {
        if (!member.value().is_null()) add(percent_encode(member.key()), member.value());
      }
    } else {
      add(name, value);
    }
  }
  return out;
}

std::vector<MultipartPart> multipart_parts(const json& object) {
  std::vector<MultipartPart> parts;
  auto scalar = [](const json& value) { return !value.is_structured(); };
  for (auto it = object.begin(); it != object.end(); ++it) {
    const json& value = it.value();
    if (value.is_null()) continue;
    if (scalar(value)) {
      parts.push_back({it.key(), scalar_text(value), "", std::nullopt});
    } else if (value.is_array() && std::all_of(value.begin(), value.end(), scalar)) {
      for (const auto& item : value) parts.push_back({it.key(), scalar_text(item), "", std::nullopt});
    } else {
      parts.push_back({it.key(), value.dump(-1, ' ', false, json::error_handler_t::replace),
                       "application/json", std::nullopt});
    }
  }
  return parts;
}

void label_part(std::vector<MultipartPart>& parts, std::string_view part, std::size_t index, const File& file) {
  for (MultipartPart& candidate : parts) {
    if (candidate.name == part && index-- == 0) {
      candidate.filename = file.filename;
      candidate.content_type = file.content_type.empty() ? "application/octet-stream" : file.content_type;
      return;
    }
  }
}

std::string encode_multipart(const std::vector<MultipartPart>& parts, std::string_view boundary) {
  // Quotes and line breaks in names cannot be sent as they are (RFC 7578, section 2): escaped.
  auto quoted = [](std::string_view text) {
    std::string out = "\"";
    for (char c : text) {
      if (c == '"') {
        out += "%22";
      } else if (c == '\r') {
        out += "%0D";
      } else if (c == '\n') {
        out += "%0A";
      } else {
        out.push_back(c);
      }
    }
    return out + "\"";
  };
  std::string out;
  for (const auto& part : parts) {
    out += "--";
    out += boundary;
    out += "\r\nContent-Disposition: form-data; name=" + quoted(part.name);
    if (part.filename) out += "; filename=" + quoted(*part.filename);
    out += "\r\n";
    if (!part.content_type.empty()) out += "Content-Type: " + part.content_type + "\r\n";
    out += "\r\n";
    out += part.data;
    out += "\r\n";
  }
  out += "--";
  out += boundary;
  out += "--\r\n";
  return out;
}

}  // namespace oasgen
