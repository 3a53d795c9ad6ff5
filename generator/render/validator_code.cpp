#include "render/validator_code.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>
#include <stdexcept>
#include <string_view>

#include "render/validator_emitter.hpp"
#include "support/escape.hpp"

namespace oasgen::render {
namespace {

using model::Schema;
using model::SchemaId;
using validator::Context;
using validator::Emitter;

// Formats oasgen checks at run time (the others are annotations: documented, not checked). The
// string formats apply to strings, the rest to numbers. `double` is not checked: every number that
// parses is a finite double.
const std::map<std::string, std::string, std::less<>>& string_formats() {
  static const std::map<std::string, std::string, std::less<>> kFormats = {
      {"date-time", "DateTime"},
      {"date", "Date"},
      {"time", "Time"},
      {"duration", "Duration"},
      {"email", "Email"},
      {"hostname", "Hostname"},
      {"ipv4", "Ipv4"},
      {"ipv6", "Ipv6"},
      {"uri", "Uri"},
      {"uri-reference", "UriReference"},
      {"uuid", "Uuid"},
      {"byte", "Byte"}};
  return kFormats;
}

const std::map<std::string, std::string, std::less<>>& number_formats() {
  static const std::map<std::string, std::string, std::less<>> kFormats = {
      {"int32", "Int32"}, {"int64", "Int64"}, {"float", "Float"}};
  return kFormats;
}

// `expr` ready for `[index]`: "*it" must be parenthesised.
std::string operand(const std::string& expr) {
  return expr.empty() || expr[0] != '*' ? expr : "(" + expr + ")";
}

// `expr` ready for a member access: "*it" becomes "it->".
std::string member(const std::string& expr) {
  return !expr.empty() && expr[0] == '*' ? expr.substr(1) + "->" : expr + ".";
}

// The text between `prefix` and `suffix` when `text` is exactly that and it is a single argument
// (no commas, calls or statements in it).
std::optional<std::string_view> sole_argument(std::string_view text, std::string_view prefix,
                                              std::string_view suffix) {
  if (text.size() <= prefix.size() + suffix.size() || text.substr(0, prefix.size()) != prefix ||
      text.substr(text.size() - suffix.size()) != suffix) {
    return std::nullopt;
  }
  const auto argument = text.substr(prefix.size(), text.size() - prefix.size() - suffix.size());
  if (argument.find_first_of(",();") != std::string_view::npos) return std::nullopt;
  return argument;
}

bool word(char c) { return c == '_' || std::isalnum(static_cast<unsigned char>(c)); }

bool is_identifier(std::string_view text) {
  return !text.empty() && !std::isdigit(static_cast<unsigned char>(text[0])) &&
         std::all_of(text.begin(), text.end(), word);
}

// Whether generated `code` uses the identifier `name` outside its string literals.
bool names_identifier(std::string_view code, std::string_view name) {
  for (std::size_t i = 0; i < code.size(); ++i) {
    if (code[i] == '"') {
      for (++i; i < code.size() && code[i] != '"'; ++i) {
        if (code[i] == '\\') ++i;
      }
      continue;
    }
    if (code.compare(i, name.size(), name) == 0 && (i == 0 || !word(code[i - 1])) &&
        (i + name.size() == code.size() || !word(code[i + name.size()]))) {
      return true;
    }
  }
  return false;
}

}  // namespace

namespace validator {

std::string call(const std::string& expr, const std::string& name) {
  return member(expr) + name + "()";
}

std::string string_list(const std::vector<std::string>& names) {
  std::string list;
  for (const auto& name : names) list += (list.empty() ? "" : ", ") + cpp_string_literal(name);
  return list;
}

void Emitter::schema(SchemaId id, const std::string& expr, int depth, int indent,
                     bool inline_root) {
  if (id >= schemas_.size()) return;  // no schema: anything goes
  if (!inline_root && !api_.validate_fn_of[id].empty()) {
    line(indent, api_.validate_fn_of[id] + "(" + expr + ", v);");
    return;
  }
  if (std::find(context_.inlining.begin(), context_.inlining.end(), id) !=
      context_.inlining.end()) {
    throw std::logic_error("schema " + schemas_[id].origin.pointer +
                           " refers to itself but has no validate function to recurse through");
  }
  context_.inlining.push_back(id);
  body(id, expr, depth, indent);
  context_.inlining.pop_back();
}

unsigned Emitter::declared_types(const Schema& s) {
  if (!s.has_type) return 0;
  return s.types | (s.type_null ? static_cast<unsigned>(model::kNull) : 0u);
}

bool Emitter::single_type(unsigned types) {
  const unsigned t = types & ~static_cast<unsigned>(model::kNull);
  return t != 0 && ((t & (t - 1)) == 0 || t == (model::kInteger | model::kNumber));
}

std::string Emitter::type_mask(unsigned types) {
  static constexpr std::pair<unsigned, const char*> kNames[] = {
      {model::kNull, "Null"},     {model::kBoolean, "Boolean"}, {model::kInteger, "Integer"},
      {model::kNumber, "Number"}, {model::kString, "String"},   {model::kArray, "Array"},
      {model::kObject, "Object"}};
  std::string mask;
  for (const auto& [bit, name] : kNames) {
    if ((types & bit) == 0) continue;
    if (bit == model::kInteger && (types & model::kNumber)) continue;  // Number covers it
    if (!mask.empty()) mask += " | ";
    mask += "oasgen::JsonType::";
    mask += name;
  }
  return mask;
}

std::vector<std::string> Emitter::nested(SchemaId id, const std::string& expr, int depth,
                                         int indent) {
  std::vector<std::string> out;
  Emitter(api_, context_, out).schema(id, expr, depth, indent, false);
  return out;
}

void Emitter::body(SchemaId id, const std::string& expr, int depth, int indent) {
  const Schema& s = schemas_[id];
  const Schema& o = own(s);
  if (o.never) {
    line(indent, "v.never(" + expr + ");");
    return;
  }
  const unsigned types = declared_types(o);
  const int inner = types != 0 ? indent + 1 : indent;
  std::vector<std::string> checks;
  {
    Emitter sub(api_, context_, checks);
    sub.values(o, expr, inner);
    sub.typed(o, s, types, expr, depth, inner);
    sub.applicators(o, expr, depth, inner);
    sub.compositions(s, expr, depth, inner);
  }
  // A string of a file's content (a multipart part, a form field) may be any bytes.
  const bool bytes =
      (types & model::kString) && (o.format == "binary" || !o.content_media_type.empty());
  const std::string type_check =
      "v.type(" + expr + ", " + type_mask(types) + (bytes ? ", oasgen::Text::Bytes)" : ")");
  if (types == 0) {
    append(checks);
  } else if (checks.empty()) {
    line(indent, type_check + ";");
  } else {
    line(indent, "if (" + type_check + ") {");
    append(checks);
    line(indent, "}");
  }
}

void Emitter::values(const Schema& s, const std::string& expr, int indent) {
  if (!s.enum_values.empty() || s.enum_null) {
    const bool strings =
        !s.enum_null && std::all_of(s.enum_values.begin(), s.enum_values.end(),
                                    [](const nlohmann::json& v) { return v.is_string(); });
    if (strings) {
      std::vector<std::string> names;
      for (const auto& value : s.enum_values) names.push_back(value.get<std::string>());
      line(indent, "v.enum_strings(" + expr + ", {" + string_list(names) + "});");
    } else {
      nlohmann::json all(s.enum_values);
      if (s.enum_null) all.push_back(nullptr);
      const std::string name = context_.fresh("allowed");
      line(indent, "static const auto " + name + " = nlohmann::json::parse(" +
                       cpp_string_literal(all.dump()) + ");");
      line(indent, "v.enum_values(" + expr + ", " + name + ");");
    }
  }
  if (s.const_value) {
    const std::string name = context_.fresh("expected");
    line(indent, "static const auto " + name + " = nlohmann::json::parse(" +
                     cpp_string_literal(s.const_value->dump()) + ");");
    line(indent, "v.const_value(" + expr + ", " + name + ");");
  }
}

void Emitter::typed(const Schema& o, const Schema& s, unsigned types, const std::string& expr,
                    int depth, int indent) {
  if (single_type(types)) {
    group(o, s, types, expr, depth, indent);
    return;
  }
  const std::pair<unsigned, const char*> kGuards[] = {
      {model::kString, "is_string"},
      {model::kInteger | model::kNumber, "is_number"},
      {model::kArray, "is_array"},
      {model::kObject, "is_object"}};
  for (const auto& [bits, guard] : kGuards) {
    if (types != 0 && (types & bits) == 0) continue;
    std::vector<std::string> body;
    Emitter(api_, context_, body).group(o, s, bits, expr, depth, indent + 1);
    if (body.empty()) continue;
    line(indent, "if (" + call(expr, guard) + ") {");
    append(body);
    line(indent, "}");
  }
}

void Emitter::group(const Schema& o, const Schema& s, unsigned types, const std::string& expr,
                    int depth, int indent) {
  if (types & model::kString) strings(o, expr, indent);
  if (types & (model::kInteger | model::kNumber)) numbers(o, expr, indent);
  if (types & model::kArray) arrays(o, expr, depth, indent);
  if (types & model::kObject) objects(o, s, expr, depth, indent);
}

void Emitter::strings(const Schema& s, const std::string& expr, int indent) {
  if (s.min_length) line(indent, fmt::format("v.min_length({}, {});", expr, *s.min_length));
  if (s.max_length) line(indent, fmt::format("v.max_length({}, {});", expr, *s.max_length));
  if (s.pattern) {
    const std::string name = context_.fresh("pattern");
    line(indent,
         "static const oasgen::Regex " + name + "(" + cpp_string_literal(*s.pattern) + ");");
    line(indent, "v.pattern(" + expr + ", " + name + ");");
  }
  if (s.pattern_unchecked) {
    // The lenient reading of a pattern that is not ECMA-262 (warning pattern-invalid).
    const std::string quoted = nlohmann::json(*s.pattern_unchecked)
                                   .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    for (const auto& text : cpp_comment_lines("pattern " + quoted +
                                              " is not ECMA-262: not checked (oasgen warning)")) {
      line(indent, "// " + text);
    }
  }
  if (auto format = string_formats().find(s.format); format != string_formats().end()) {
    line(indent, "v.format(" + expr + ", oasgen::Format::" + format->second + ");");
  }
}

void Emitter::numbers(const Schema& s, const std::string& expr, int indent) {
  if (s.minimum) {
    line(indent, fmt::format("v.minimum({}, {}{});", expr, number_literal(*s.minimum),
                             s.exclusive_minimum ? ", true" : ""));
  }
  if (s.maximum) {
    line(indent, fmt::format("v.maximum({}, {}{});", expr, number_literal(*s.maximum),
                             s.exclusive_maximum ? ", true" : ""));
  }
  if (s.multiple_of)
    line(indent, fmt::format("v.multiple_of({}, {});", expr, number_literal(*s.multiple_of)));
  if (auto format = number_formats().find(s.format); format != number_formats().end()) {
    line(indent, "v.format(" + expr + ", oasgen::Format::" + format->second + ");");
  }
}

void Emitter::arrays(const Schema& s, const std::string& expr, int depth, int indent) {
  if (s.min_items) line(indent, fmt::format("v.min_items({}, {});", expr, *s.min_items));
  if (s.max_items) line(indent, fmt::format("v.max_items({}, {});", expr, *s.max_items));
  if (s.unique_items) line(indent, "v.unique_items(" + expr + ");");
  const std::string i = depth == 0 ? "i" : "i" + std::to_string(depth);
  const std::string element = operand(expr) + "[" + i + "]";
  // Elements: the prefix (tuple) schemas by position, then the schema of the rest.
  const std::size_t prefix = s.prefix_items.size();
  const std::optional<SchemaId> rest = prefix > 0 ? s.additional_items : s.items;
  if (rest && is_never(*rest)) {
    line(indent, fmt::format("v.no_additional_items({}, {});", expr, prefix));
  }
  std::vector<std::string> loop;
  {
    Emitter inner(api_, context_, loop);
    for (std::size_t k = 0; k < prefix; ++k) {
      auto checks = inner.nested(s.prefix_items[k], element, depth + 1, indent + 2);
      if (checks.empty()) continue;
      inner.line(indent + 1, fmt::format("if ({} == {}) {{", i, k));
      inner.append(checks);
      inner.line(indent + 1, "}");
    }
    if (rest && !is_never(*rest)) {
      if (prefix == 0) {
        inner.append(inner.nested(*rest, element, depth + 1, indent + 1));
      } else if (auto checks = inner.nested(*rest, element, depth + 1, indent + 2);
                 !checks.empty()) {
        inner.line(indent + 1, fmt::format("if ({} >= {}) {{", i, prefix));
        inner.append(checks);
        inner.line(indent + 1, "}");
      }
    }
  }
  if (!loop.empty()) {
    const bool bounded = prefix > 0 && !(rest && !is_never(*rest));
    line(indent,
         fmt::format("for (std::size_t {0} = 0; {0} < {1}{2}; ++{0}) {{", i, call(expr, "size"),
                     bounded ? fmt::format(" && {} < {}", i, prefix) : ""));
    line(indent + 1, "auto at = v.enter(" + i + ");");
    append(loop);
    line(indent, "}");
  }
  if (s.contains && !(s.min_contains == 0 && !s.max_contains)) {
    line(indent, "{");
    line(indent + 1, "std::size_t matched = 0;");
    line(indent + 1,
         fmt::format("for (std::size_t {0} = 0; {0} < {1}; ++{0}) {{", i, call(expr, "size")));
    line(indent + 2, "auto trial = v.trial();");
    line(indent + 2, "auto at = v.enter(" + i + ");");
    append(nested(*s.contains, element, depth + 1, indent + 2));
    line(indent + 2, "if (trial.end()) ++matched;");
    line(indent + 1, "}");
    std::string bounds;
    if (s.min_contains != 1 || s.max_contains) bounds = fmt::format(", {}", s.min_contains);
    if (s.max_contains) bounds += fmt::format(", {}", *s.max_contains);
    line(indent + 1, "v.contains(" + expr + ", matched" + bounds + ");");
    line(indent, "}");
  }
}

std::pair<bool, bool> Emitter::direction_of(const Schema& s, const std::string& name) const {
  for (const auto& p : s.properties) {
    if (p.name != name || p.schema >= schemas_.size()) continue;
    const Schema& target = schemas_[p.schema];
    return {target.read_only, target.write_only};
  }
  return {false, false};
}

void Emitter::objects(const Schema& o, const Schema& s, const std::string& expr, int depth,
                      int indent) {
  if (!o.required.empty()) {
    // readOnly properties are not required in requests, writeOnly ones not in responses. The
    // merged schema `s` knows properties that allOf parts declare.
    std::vector<std::string> always, unless_request, unless_response;
    for (const auto& name : o.required) {
      auto [read_only, write_only] = direction_of(s, name);
      if (read_only && !write_only) {
        unless_request.push_back(name);
      } else if (write_only && !read_only) {
        unless_response.push_back(name);
      } else {
        always.push_back(name);
      }
    }
    if (!always.empty()) line(indent, "v.required(" + expr + ", {" + string_list(always) + "});");
    if (!unless_request.empty()) {
      line(indent, "v.required_except(oasgen::Direction::Request, " + expr + ", {" +
                       string_list(unless_request) + "});");
    }
    if (!unless_response.empty()) {
      line(indent, "v.required_except(oasgen::Direction::Response, " + expr + ", {" +
                       string_list(unless_response) + "});");
    }
  }
  for (const auto& [name, names] : o.dependent_required) {
    if (names.empty()) continue;
    line(indent, "v.dependent_required(" + expr + ", " + cpp_string_literal(name) + ", {" +
                     string_list(names) + "});");
  }
  if (o.min_properties)
    line(indent, fmt::format("v.min_properties({}, {});", expr, *o.min_properties));
  if (o.max_properties)
    line(indent, fmt::format("v.max_properties({}, {});", expr, *o.max_properties));
  members(o, expr, depth, indent);
  const std::string it = depth == 0 ? "it" : "it" + std::to_string(depth);
  for (const auto& p : o.properties) {
    // readOnly and writeOnly concern properties (OpenAPI): a parameter or a body whose schema
    // is readOnly is not checked for them.
    auto checks = nested(p.schema, "*" + it, depth + 1, indent + 1);
    if (p.schema < schemas_.size()) {
      const Schema& target = schemas_[p.schema];
      if (target.write_only)
        checks.insert(checks.begin(), pad(indent + 1) + "v.write_only(*" + it + ");");
      if (target.read_only)
        checks.insert(checks.begin(), pad(indent + 1) + "v.read_only(*" + it + ");");
    }
    if (checks.empty()) continue;
    const std::string key = cpp_string_literal(p.name);
    if (checks.size() == 3) {
      // A type and a format: `format: uri` or `date-time` on half the members of some APIs.
      const std::string inner = pad(indent + 2);
      const std::string_view type = std::string_view(checks[0]).substr(pad(indent + 1).size());
      const auto mask = sole_argument(type, "if (v.type(*" + it + ", ", ")) {");
      const auto format = checks[1].rfind(inner, 0) == 0
                              ? sole_argument(std::string_view(checks[1]).substr(inner.size()),
                                              "v.format(*" + it + ", ", ");")
                              : std::nullopt;
      if (mask && format && checks[2] == pad(indent + 1) + "}") {
        line(indent, fmt::format("v.member_format({}, {}, {}, {});", expr, key, *mask, *format));
        continue;
      }
    }
    if (checks.size() == 1) {
      // The common members, a type or a validate function alone, in one runtime call each: a
      // block per member was most of a model file's validators.
      const std::string_view check = std::string_view(checks[0]).substr(pad(indent + 1).size());
      if (const auto mask = sole_argument(check, "v.type(*" + it + ", ", ");")) {
        line(indent, fmt::format("v.member_type({}, {}, {});", expr, key, *mask));
        continue;
      }
      if (const auto fn = sole_argument(check, "", "(*" + it + ", v);"); fn && is_identifier(*fn)) {
        line(indent, fmt::format("v.member({}, {}, {});", expr, key, *fn));
        continue;
      }
    }
    // Looked up through the runtime: json.find("name") is a template per literal length. A
    // member whose schema fails whatever it holds (`false`) needs no pointer to it.
    if (std::any_of(checks.begin(), checks.end(),
                    [&](const std::string& check) { return names_identifier(check, it); })) {
      line(indent,
           fmt::format("if (const auto* {} = oasgen::find_member({}, {})) {{", it, expr, key));
    } else {
      line(indent, fmt::format("if (oasgen::has_member({}, {})) {{", expr, key));
    }
    line(indent + 1, "auto at = v.enter(" + key + ");");
    append(checks);
    line(indent, "}");
  }
  if (o.property_names) {
    const std::string name = context_.fresh("name");
    auto checks = nested(*o.property_names, name, depth + 1, indent + 1);
    if (!checks.empty()) {
      line(indent, fmt::format("for (auto {0} = {1}; {0} != {2}; ++{0}) {{", it,
                               call(expr, "begin"), call(expr, "end")));
      line(indent + 1, "auto at = v.enter(" + it + ".key());");
      line(indent + 1, "const nlohmann::json " + name + "(" + it + ".key());");
      append(checks);
      line(indent, "}");
    }
  }
  for (const auto& [name, id] : o.dependent_schemas) {
    auto checks = nested(id, expr, depth, indent + 1);
    if (checks.empty()) continue;
    line(indent, "if (oasgen::has_member(" + expr + ", " + cpp_string_literal(name) + ")) {");
    append(checks);
    line(indent, "}");
  }
  if (o.unevaluated_properties) unevaluated(s, *o.unevaluated_properties, expr, depth, indent);
}

void Emitter::members(const Schema& o, const std::string& expr, int depth, int indent) {
  std::vector<std::string> names;
  for (const auto& p : o.properties) names.push_back(p.name);
  if (o.pattern_properties.empty() && !o.additional_allowed) {
    line(indent, "v.no_additional_properties(" + expr + ", {" + string_list(names) + "});");
    return;
  }
  const std::string it = depth == 0 ? "it" : "it" + std::to_string(depth);
  const std::string value = it + ".value()";
  // What an additional member gets: an error, or the additionalProperties schema. It sits
  // behind a test unless every member is additional.
  const bool everything_additional = o.pattern_properties.empty() && names.empty();
  const int extra_indent = everything_additional ? indent + 1 : indent + 2;
  std::vector<std::string> extra;
  if (!o.additional_allowed) {
    extra.push_back(pad(extra_indent) + "v.additional_property(" + it + ".key());");
  } else if (o.additional) {
    extra = nested(*o.additional, value, depth + 1, extra_indent);
  }
  const bool known = !extra.empty() && !o.pattern_properties.empty();
  std::vector<std::string> loop;
  {
    Emitter inner(api_, context_, loop);
    if (known) {
      inner.line(indent + 1, names.empty() ? "bool known = false;"
                                           : "bool known = oasgen::name_in(" + it + ".key(), {" +
                                                 string_list(names) + "});");
    }
    for (const auto& [pattern, id] : o.pattern_properties) {
      auto checks = inner.nested(id, value, depth + 1, indent + 2);
      if (checks.empty() && !known) continue;
      const std::string regex = context_.fresh("pattern");
      inner.line(indent + 1,
                 "static const oasgen::Regex " + regex + "(" + cpp_string_literal(pattern) + ");");
      inner.line(indent + 1, "if (v.name_matches(" + it + ".key(), " + regex + ")) {");
      if (known) inner.line(indent + 2, "known = true;");
      inner.append(checks);
      inner.line(indent + 1, "}");
    }
    if (!extra.empty()) {
      if (everything_additional) {
        inner.append(extra);
      } else {
        inner.line(indent + 1, known ? "if (!known) {"
                                     : "if (!oasgen::name_in(" + it + ".key(), {" +
                                           string_list(names) + "})) {");
        inner.append(extra);
        inner.line(indent + 1, "}");
      }
    }
  }
  if (loop.empty()) return;
  line(indent, fmt::format("for (auto {0} = {1}; {0} != {2}; ++{0}) {{", it, call(expr, "begin"),
                           call(expr, "end")));
  line(indent + 1, "auto at = v.enter(" + it + ".key());");
  append(loop);
  line(indent, "}");
}

}  // namespace validator

std::string number_literal(double value) {
  std::string text = fmt::format("{}", value);
  if (text.find_first_of(".eEn") == std::string::npos) text += ".0";
  return text;
}

std::vector<std::string> validator_lines(const cpp::Api& api, model::SchemaId schema,
                                         const std::string& expr, int indent, bool inline_root) {
  std::vector<std::string> lines;
  Context context;
  Emitter(api, context, lines).schema(schema, expr, 0, indent, inline_root);
  return lines;
}

}  // namespace oasgen::render
