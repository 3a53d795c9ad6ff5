#include "render/validator_code.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>
#include <stdexcept>
#include <string_view>

#include "support/escape.hpp"

namespace oasgen::render {
namespace {

using model::Schema;
using model::SchemaId;

// Formats oasgen checks at run time (the others are annotations: documented, not checked). The
// string formats apply to strings, the rest to numbers. `double` is not checked: every number that
// parses is a finite double.
const std::map<std::string, std::string, std::less<>>& string_formats() {
  static const std::map<std::string, std::string, std::less<>> kFormats = {
      {"date-time", "DateTime"}, {"date", "Date"},   {"time", "Time"},
      {"duration", "Duration"},  {"email", "Email"}, {"hostname", "Hostname"},
      {"ipv4", "Ipv4"},          {"ipv6", "Ipv6"},   {"uri", "Uri"},
      {"uri-reference", "UriReference"}, {"uuid", "Uuid"}, {"byte", "Byte"}};
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

std::string call(const std::string& expr, const std::string& name) { return member(expr) + name + "()"; }

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

std::string string_list(const std::vector<std::string>& names) {
  std::string list;
  for (const auto& name : names) list += (list.empty() ? "" : ", ") + cpp_string_literal(name);
  return list;
}

// Per generated function: counters for the names of local statics, and the schemas being inlined
// (a schema reached again while it is inlined would recurse without end).
struct Context {
  std::map<std::string, int> names;
  std::vector<SchemaId> inlining;

  std::string fresh(const std::string& base) {
    const int n = ++names[base];
    return n == 1 ? base : base + std::to_string(n);
  }
};

class Emitter {
 public:
  Emitter(const cpp::Api& api, Context& context, std::vector<std::string>& lines)
      : api_(api), schemas_(api.model->schemas), context_(context), lines_(lines) {}

  void schema(SchemaId id, const std::string& expr, int depth, int indent, bool inline_root) {
    if (id >= schemas_.size()) return;  // no schema: anything goes
    if (!inline_root && !api_.validate_fn_of[id].empty()) {
      line(indent, api_.validate_fn_of[id] + "(" + expr + ", v);");
      return;
    }
    if (std::find(context_.inlining.begin(), context_.inlining.end(), id) != context_.inlining.end()) {
      throw std::logic_error("schema " + schemas_[id].origin.pointer +
                             " refers to itself but has no validate function to recurse through");
    }
    context_.inlining.push_back(id);
    body(id, expr, depth, indent);
    context_.inlining.pop_back();
  }

 private:
  const Schema& own(const Schema& s) const { return s.own ? schemas_[*s.own] : s; }

  // The JSON types `s` admits as written, null included; 0 when it has no `type`.
  static unsigned declared_types(const Schema& s) {
    if (!s.has_type) return 0;
    return s.types | (s.type_null ? static_cast<unsigned>(model::kNull) : 0u);
  }

  // One JSON type (null aside), or integer/number: the type's checks need no guard.
  static bool single_type(unsigned types) {
    const unsigned t = types & ~static_cast<unsigned>(model::kNull);
    return t != 0 && ((t & (t - 1)) == 0 || t == (model::kInteger | model::kNumber));
  }

  static std::string type_mask(unsigned types) {
    static constexpr std::pair<unsigned, const char*> kNames[] = {
        {model::kNull, "Null"},       {model::kBoolean, "Boolean"}, {model::kInteger, "Integer"},
        {model::kNumber, "Number"},   {model::kString, "String"},   {model::kArray, "Array"},
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

  static std::string pad(int indent) { return std::string(static_cast<std::size_t>(indent) * 2, ' '); }

  void line(int indent, const std::string& text) { lines_.push_back(pad(indent) + text); }

  void append(const std::vector<std::string>& more) { lines_.insert(lines_.end(), more.begin(), more.end()); }

  // Lines of `id` checked on `expr`, for a nested block.
  std::vector<std::string> nested(SchemaId id, const std::string& expr, int depth, int indent) {
    std::vector<std::string> out;
    Emitter(api_, context_, out).schema(id, expr, depth, indent, false);
    return out;
  }

  // A schema's checks: the type first; every other check only once the type is right (a value of
  // the wrong type is invalid whatever else holds, and one error says it best).
  void body(SchemaId id, const std::string& expr, int depth, int indent) {
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
    const bool bytes = (types & model::kString) && (o.format == "binary" || !o.content_media_type.empty());
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

  void values(const Schema& s, const std::string& expr, int indent) {
    if (!s.enum_values.empty() || s.enum_null) {
      const bool strings = !s.enum_null && std::all_of(s.enum_values.begin(), s.enum_values.end(),
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

  // The checks of each JSON type: unguarded for a single declared type (each runtime check also
  // passes values of other types, null among them), else each group behind a guard.
  void typed(const Schema& o, const Schema& s, unsigned types, const std::string& expr, int depth,
             int indent) {
    if (single_type(types)) {
      group(o, s, types, expr, depth, indent);
      return;
    }
    const std::pair<unsigned, const char*> kGuards[] = {
        {model::kString, "is_string"}, {model::kInteger | model::kNumber, "is_number"},
        {model::kArray, "is_array"},   {model::kObject, "is_object"}};
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

  void group(const Schema& o, const Schema& s, unsigned types, const std::string& expr, int depth,
             int indent) {
    if (types & model::kString) strings(o, expr, indent);
    if (types & (model::kInteger | model::kNumber)) numbers(o, expr, indent);
    if (types & model::kArray) arrays(o, expr, depth, indent);
    if (types & model::kObject) objects(o, s, expr, depth, indent);
  }

  void strings(const Schema& s, const std::string& expr, int indent) {
    if (s.min_length) line(indent, fmt::format("v.min_length({}, {});", expr, *s.min_length));
    if (s.max_length) line(indent, fmt::format("v.max_length({}, {});", expr, *s.max_length));
    if (s.pattern) {
      const std::string name = context_.fresh("pattern");
      line(indent, "static const oasgen::Regex " + name + "(" + cpp_string_literal(*s.pattern) + ");");
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

  void numbers(const Schema& s, const std::string& expr, int indent) {
    if (s.minimum) {
      line(indent, fmt::format("v.minimum({}, {}{});", expr, number_literal(*s.minimum),
                               s.exclusive_minimum ? ", true" : ""));
    }
    if (s.maximum) {
      line(indent, fmt::format("v.maximum({}, {}{});", expr, number_literal(*s.maximum),
                               s.exclusive_maximum ? ", true" : ""));
    }
    if (s.multiple_of) line(indent, fmt::format("v.multiple_of({}, {});", expr, number_literal(*s.multiple_of)));
    if (auto format = number_formats().find(s.format); format != number_formats().end()) {
      line(indent, "v.format(" + expr + ", oasgen::Format::" + format->second + ");");
    }
  }

  bool is_never(SchemaId id) const { return id < schemas_.size() && own(schemas_[id]).never; }

  void arrays(const Schema& s, const std::string& expr, int depth, int indent) {
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
        } else if (auto checks = inner.nested(*rest, element, depth + 1, indent + 2); !checks.empty()) {
          inner.line(indent + 1, fmt::format("if ({} >= {}) {{", i, prefix));
          inner.append(checks);
          inner.line(indent + 1, "}");
        }
      }
    }
    if (!loop.empty()) {
      const bool bounded = prefix > 0 && !(rest && !is_never(*rest));
      line(indent, fmt::format("for (std::size_t {0} = 0; {0} < {1}{2}; ++{0}) {{", i, call(expr, "size"),
                               bounded ? fmt::format(" && {} < {}", i, prefix) : ""));
      line(indent + 1, "auto at = v.enter(" + i + ");");
      append(loop);
      line(indent, "}");
    }
    if (s.contains && !(s.min_contains == 0 && !s.max_contains)) {
      line(indent, "{");
      line(indent + 1, "std::size_t matched = 0;");
      line(indent + 1, fmt::format("for (std::size_t {0} = 0; {0} < {1}; ++{0}) {{", i, call(expr, "size")));
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

  // Whether property `name` of the object schema `s` is readOnly / writeOnly.
  std::pair<bool, bool> direction_of(const Schema& s, const std::string& name) const {
    for (const auto& p : s.properties) {
      if (p.name != name || p.schema >= schemas_.size()) continue;
      const Schema& target = schemas_[p.schema];
      return {target.read_only, target.write_only};
    }
    return {false, false};
  }

  void objects(const Schema& o, const Schema& s, const std::string& expr, int depth, int indent) {
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
    if (o.min_properties) line(indent, fmt::format("v.min_properties({}, {});", expr, *o.min_properties));
    if (o.max_properties) line(indent, fmt::format("v.max_properties({}, {});", expr, *o.max_properties));
    members(o, expr, depth, indent);
    const std::string it = depth == 0 ? "it" : "it" + std::to_string(depth);
    for (const auto& p : o.properties) {
      // readOnly and writeOnly concern properties (OpenAPI): a parameter or a body whose schema
      // is readOnly is not checked for them.
      auto checks = nested(p.schema, "*" + it, depth + 1, indent + 1);
      if (p.schema < schemas_.size()) {
        const Schema& target = schemas_[p.schema];
        if (target.write_only) checks.insert(checks.begin(), pad(indent + 1) + "v.write_only(*" + it + ");");
        if (target.read_only) checks.insert(checks.begin(), pad(indent + 1) + "v.read_only(*" + it + ");");
      }
      if (checks.empty()) continue;
      const std::string key = cpp_string_literal(p.name);
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
        line(indent, fmt::format("if (const auto* {} = oasgen::find_member({}, {})) {{", it, expr, key));
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
        line(indent, fmt::format("for (auto {0} = {1}; {0} != {2}; ++{0}) {{", it, call(expr, "begin"),
                                 call(expr, "end")));
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

  // ---- unevaluatedProperties
  // The members a schema evaluates are those its properties, patternProperties and
  // additionalProperties cover, and those of the subschemas it applies in place: allOf parts and
  // $ref targets always, dependentSchemas when their key is present, anyOf/oneOf alternatives and
  // `if` when they validate, then `then` (else `else`). A nested unevaluatedProperties covers every
  // member. Each group below holds when all of its conditions (C++ boolean expressions) do.
  struct Evaluated {
    std::vector<std::string> conditions;
    std::vector<std::string> names;
    std::vector<std::string> patterns;
    bool all = false;
  };

  // Whether `s` (not being the schema whose unevaluatedProperties is checked) evaluates any member
  // in some case.
  bool evaluates(const Schema& s, std::vector<const Schema*>& path) const {
    const Schema& o = own(s);
    if (o.never || std::find(path.begin(), path.end(), &s) != path.end()) return false;
    if (!o.properties.empty() || !o.pattern_properties.empty() || o.has_additional ||
        o.unevaluated_properties) {
      return true;
    }
    path.push_back(&s);
    auto any = [&](const std::vector<SchemaId>& ids) {
      return std::any_of(ids.begin(), ids.end(), [&](SchemaId id) {
        return id < schemas_.size() && evaluates(schemas_[id], path);
      });
    };
    std::vector<SchemaId> in_place(s.all_of);
    for (const auto& dependency : o.dependent_schemas) in_place.push_back(dependency.second);
    for (const auto& branch : {o.if_schema, o.then_schema, o.else_schema}) {
      if (branch) in_place.push_back(*branch);
    }
    const bool result = any(in_place) || any(s.any_of) || any(s.one_of);
    path.pop_back();
    return result;
  }

  // A condition that `id` validates `expr`: a flag set by a trial before the members are checked
  // (declared into `probes`), or nothing when the schema checks nothing.
  std::optional<std::string> probe(SchemaId id, const std::string& expr, int depth, int indent,
                                   std::vector<std::string>& probes) {
    auto checks = nested(id, expr, depth, indent + 1);
    if (checks.empty()) return std::nullopt;
    const std::string flag = context_.fresh("valid");
    probes.push_back(pad(indent) + "bool " + flag + " = false;");
    probes.push_back(pad(indent) + "{");
    probes.push_back(pad(indent + 1) + "auto trial = v.trial();");
    probes.insert(probes.end(), checks.begin(), checks.end());
    probes.push_back(pad(indent + 1) + flag + " = trial.end();");
    probes.push_back(pad(indent) + "}");
    return flag;
  }

  void collect(const Schema& s, bool root, const std::vector<std::string>& conditions,
               const std::string& expr, int depth, int indent, std::vector<Evaluated>& groups,
               std::vector<std::string>& probes, std::vector<const Schema*>& path) {
    const Schema& o = own(s);
    if (o.never || std::find(path.begin(), path.end(), &s) != path.end()) return;
    path.push_back(&s);
    Evaluated group{conditions, {}, {}, o.has_additional || (!root && o.unevaluated_properties)};
    for (const auto& p : o.properties) group.names.push_back(p.name);
    for (const auto& pattern : o.pattern_properties) group.patterns.push_back(pattern.first);
    if (group.all || !group.names.empty() || !group.patterns.empty()) groups.push_back(std::move(group));
    auto in_place = [&](std::optional<SchemaId> id, const std::vector<std::string>& more) {
      if (!id || *id >= schemas_.size()) return;
      std::vector<const Schema*> seen(path);
      if (!evaluates(schemas_[*id], seen)) return;
      auto all = conditions;
      all.insert(all.end(), more.begin(), more.end());
      collect(schemas_[*id], false, all, expr, depth, indent, groups, probes, path);
    };
    auto when_valid = [&](SchemaId id) -> std::vector<std::string> {
      auto flag = probe(id, expr, depth, indent, probes);
      return flag ? std::vector<std::string>{*flag} : std::vector<std::string>{};
    };
    for (const auto& [name, id] : o.dependent_schemas) {
      in_place(id, {"oasgen::has_member(" + expr + ", " + cpp_string_literal(name) + ")"});
    }
    if (o.if_schema && *o.if_schema < schemas_.size()) {
      std::vector<const Schema*> seen(path);
      const bool needed = evaluates(schemas_[*o.if_schema], seen) ||
                          (o.then_schema && evaluates(schemas_[*o.then_schema], seen)) ||
                          (o.else_schema && evaluates(schemas_[*o.else_schema], seen));
      if (needed) {
        const auto flag = when_valid(*o.if_schema);
        in_place(o.if_schema, flag);
        in_place(o.then_schema, flag);
        // An `if` that checks nothing always validates: `else` never applies.
        if (!flag.empty()) in_place(o.else_schema, {"!" + flag[0]});
      }
    }
    for (SchemaId part : s.all_of) in_place(part, {});
    for (const auto* options : {&s.any_of, &s.one_of}) {
      for (SchemaId option : *options) {
        std::vector<const Schema*> seen(path);
        if (option < schemas_.size() && evaluates(schemas_[option], seen)) in_place(option, when_valid(option));
      }
    }
    path.pop_back();
  }

  // unevaluatedProperties: each member that no group covers is checked against `check`.
  void unevaluated(const Schema& s, SchemaId check, const std::string& expr, int depth, int indent) {
    const std::string it = depth == 0 ? "it" : "it" + std::to_string(depth);
    std::vector<std::string> checks;
    if (is_never(check)) {
      checks.push_back(pad(indent + 2) + "v.unevaluated_property(" + it + ".key());");
    } else {
      checks = nested(check, it + ".value()", depth + 1, indent + 2);
    }
    if (checks.empty()) return;
    std::vector<Evaluated> found;
    std::vector<std::string> probes;
    std::vector<const Schema*> path;
    collect(s, true, {}, expr, depth, indent + 1, found, probes, path);
    // Groups with the same conditions are one test.
    std::vector<Evaluated> groups;
    for (auto& group : found) {
      auto same = std::find_if(groups.begin(), groups.end(),
                               [&](const Evaluated& g) { return g.conditions == group.conditions; });
      if (same == groups.end()) {
        groups.push_back(std::move(group));
        continue;
      }
      same->all = same->all || group.all;
      same->names.insert(same->names.end(), group.names.begin(), group.names.end());
      same->patterns.insert(same->patterns.end(), group.patterns.begin(), group.patterns.end());
    }
    // The unconditional test first: it is the cheapest, and when it covers every member there is
    // nothing to check.
    std::stable_partition(groups.begin(), groups.end(), [](const Evaluated& g) { return g.conditions.empty(); });
    if (!groups.empty() && groups[0].conditions.empty() && groups[0].all) return;
    line(indent, "{");
    append(probes);
    std::vector<std::string> skips;
    for (auto& group : groups) {
      std::string condition;
      for (const auto& c : group.conditions) condition += (condition.empty() ? "" : " && ") + c;
      std::vector<std::string> tests;
      if (!group.all) {
        std::sort(group.names.begin(), group.names.end());
        group.names.erase(std::unique(group.names.begin(), group.names.end()), group.names.end());
        if (!group.names.empty()) {
          tests.push_back("oasgen::name_in(" + it + ".key(), {" + string_list(group.names) + "})");
        }
        for (const auto& pattern : group.patterns) {
          const std::string regex = context_.fresh("pattern");
          line(indent + 1, "static const oasgen::Regex " + regex + "(" + cpp_string_literal(pattern) + ");");
          tests.push_back(regex + ".search(" + it + ".key())");
        }
      }
      std::string test;
      for (const auto& t : tests) test += (test.empty() ? "" : " || ") + t;
      if (!condition.empty() && tests.size() > 1) test = "(" + test + ")";
      if (!condition.empty() && !test.empty()) condition += " && ";
      skips.push_back("if (" + condition + test + ") continue;");
    }
    line(indent + 1, fmt::format("for (auto {0} = {1}; {0} != {2}; ++{0}) {{", it, call(expr, "begin"),
                                 call(expr, "end")));
    for (const auto& skip : skips) line(indent + 2, skip);
    line(indent + 2, "auto at = v.enter(" + it + ".key());");
    append(checks);
    line(indent + 1, "}");
    line(indent, "}");
  }

  // patternProperties and additionalProperties: the members that `properties` does not name.
  void members(const Schema& o, const std::string& expr, int depth, int indent) {
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
        inner.line(indent + 1, "static const oasgen::Regex " + regex + "(" + cpp_string_literal(pattern) + ");");
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
                                       : "if (!oasgen::name_in(" + it + ".key(), {" + string_list(names) + "})) {");
          inner.append(extra);
          inner.line(indent + 1, "}");
        }
      }
    }
    if (loop.empty()) return;
    line(indent, fmt::format("for (auto {0} = {1}; {0} != {2}; ++{0}) {{", it, call(expr, "begin"), call(expr, "end")));
    line(indent + 1, "auto at = v.enter(" + it + ".key());");
    append(loop);
    line(indent, "}");
  }

  // not and if/then/else, each evaluated as a trial.
  void applicators(const Schema& s, const std::string& expr, int depth, int indent) {
    if (s.not_schema) {
      auto checks = nested(*s.not_schema, expr, depth, indent + 1);
      if (checks.empty()) {
        line(indent, "v.not_schema(true);");  // every value matches a schema that checks nothing
      } else {
        line(indent, "{");
        line(indent + 1, "auto trial = v.trial();");
        append(checks);
        line(indent + 1, "v.not_schema(trial.end());");
        line(indent, "}");
      }
    }
    if (s.if_schema && (s.then_schema || s.else_schema)) {
      auto then_checks = s.then_schema ? nested(*s.then_schema, expr, depth, indent + 2)
                                       : std::vector<std::string>();
      auto else_checks = s.else_schema ? nested(*s.else_schema, expr, depth, indent + 2)
                                       : std::vector<std::string>();
      if (then_checks.empty() && else_checks.empty()) return;
      line(indent, "{");
      line(indent + 1, "auto trial = v.trial();");
      append(nested(*s.if_schema, expr, depth, indent + 1));
      if (then_checks.empty()) {
        line(indent + 1, "if (!trial.end()) {");
        append(else_checks);
        line(indent + 1, "}");
      } else {
        line(indent + 1, "if (trial.end()) {");
        append(then_checks);
        if (!else_checks.empty()) {
          line(indent + 1, "} else {");
          append(else_checks);
        }
        line(indent + 1, "}");
      }
      line(indent, "}");
    }
  }

  // `{type: "null"}` and nothing else: the null alternative of a nullable composition.
  bool is_null_only(SchemaId id) const {
    const Schema& s = schemas_[id];
    return !s.own && s.has_type && s.types == model::kNull && s.enum_values.empty() &&
           !s.const_value && !s.not_schema && !s.if_schema && !s.never;
  }

  // Whether `id` rejects null by its type alone.
  bool rejects_null(SchemaId id) const {
    const Schema& o = own(schemas_[id]);
    return o.never || (o.has_type && !o.type_null);
  }

  void compositions(const Schema& s, const std::string& expr, int depth, int indent) {
    for (SchemaId part : s.all_of) append(nested(part, expr, depth, indent));
    if (!s.any_of.empty()) alternatives(s, s.any_of, false, expr, depth, indent);
    if (!s.one_of.empty()) alternatives(s, s.one_of, true, expr, depth, indent);
  }

  void alternatives(const Schema& s, const std::vector<SchemaId>& options, bool one_of,
                    const std::string& expr, int depth, int indent) {
    // [X, {type: null}]: null passes through the null schema and nothing else through it. For
    // oneOf, null must then fail X, which X's type decides.
    if (options.size() == 2) {
      for (int k = 0; k < 2; ++k) {
        const SchemaId null_option = options[k];
        const SchemaId other = options[1 - k];
        if (!is_null_only(null_option) || is_null_only(other)) continue;
        if (one_of && !rejects_null(other)) continue;
        auto checks = nested(other, expr, depth, indent + 1);
        if (checks.empty()) return;
        line(indent, "if (!" + call(expr, "is_null") + ") {");
        append(checks);
        line(indent, "}");
        return;
      }
    }
    // An alternative that checks nothing matches every value: anyOf then holds whatever the value,
    // and oneOf starts with one match.
    std::vector<std::vector<std::string>> checks;
    std::size_t always = 0;
    for (SchemaId option : options) {
      checks.push_back(nested(option, expr, depth, indent + 2));
      if (checks.back().empty()) ++always;
    }
    if (always > 0 && !one_of) return;
    line(indent, "{");
    line(indent + 1, fmt::format("std::size_t matched = {};", always));
    bool first = always == 0;
    for (const auto& option_checks : checks) {
      if (option_checks.empty()) continue;
      // anyOf stops at the first match, oneOf at the second.
      line(indent + 1, first ? "{" : one_of ? "if (matched < 2) {" : "if (matched == 0) {");
      first = false;
      line(indent + 2, "auto trial = v.trial();");
      append(option_checks);
      line(indent + 2, "if (trial.end()) ++matched;");
      line(indent + 1, "}");
    }
    const std::string verdict = std::string(one_of ? "v.one_of" : "v.any_of") + "(matched);";
    // With a discriminator, a value that matches nothing is checked again against the schema its
    // discriminator names, whose errors say more than "matched none". The outcome is the same.
    std::vector<std::pair<std::string, SchemaId>> mapped;
    if (s.discriminator) {
      for (const auto& [value, target] : s.discriminator->mapping) {
        if (std::find(options.begin(), options.end(), target) != options.end()) {
          mapped.emplace_back(value, target);
        }
      }
    }
    if (mapped.empty()) {
      line(indent + 1, verdict);
    } else {
      line(indent + 1, "const std::string* tag = matched == 0 ? oasgen::discriminator_value(" + expr +
                           ", " + cpp_string_literal(s.discriminator->property) + ") : nullptr;");
      for (std::size_t k = 0; k < mapped.size(); ++k) {
        line(indent + 1, std::string(k == 0 ? "if" : "} else if") + " (tag != nullptr && *tag == " +
                             cpp_string_literal(mapped[k].first) + ") {");
        append(nested(mapped[k].second, expr, depth, indent + 2));
      }
      line(indent + 1, "} else {");
      line(indent + 2, verdict);
      line(indent + 1, "}");
    }
    line(indent, "}");
  }

  const cpp::Api& api_;
  const std::vector<Schema>& schemas_;
  Context& context_;
  std::vector<std::string>& lines_;
};

}  // namespace

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
