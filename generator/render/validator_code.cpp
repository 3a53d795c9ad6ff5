#include "render/validator_code.hpp"

#include <fmt/format.h>

#include <map>

#include "support/escape.hpp"

namespace oasgen::render {
namespace {

using model::Schema;
using model::SchemaId;

// Formats oasgen checks at run time (the others are annotations: documented, not checked).
const std::map<std::string, std::string, std::less<>>& known_formats() {
  static const std::map<std::string, std::string, std::less<>> kFormats = {
      {"date-time", "DateTime"}, {"date", "Date"},   {"time", "Time"},
      {"duration", "Duration"},  {"email", "Email"}, {"hostname", "Hostname"},
      {"ipv4", "Ipv4"},          {"ipv6", "Ipv6"},   {"uri", "Uri"},
      {"uri-reference", "UriReference"}, {"uuid", "Uuid"}, {"byte", "Byte"}};
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

class Emitter {
 public:
  Emitter(const cpp::Api& api, std::vector<std::string>& lines) : api_(api), lines_(lines) {}

  void schema(SchemaId id, const std::string& expr, int depth, int indent, bool inline_root) {
    if (id >= api_.model->schemas.size()) return;  // no schema: anything goes
    const Schema& s = api_.model->schemas[id];
    if (s.same_as) {
      call_named(*s.same_as, s.nullable, expr, indent);
      return;
    }
    if (!inline_root && !api_.validate_fn_of[id].empty()) {
      call_named(id, false, expr, indent);
      return;
    }
    if (s.opaque) return;

    std::vector<std::string> body;
    {
      Emitter inner(api_, body);
      inner.constraints(s, expr, depth, single_type(s) ? indent + 1 : indent + 2);
    }
    const unsigned types = s.types;
    if (types == 0) {
      // Any type: each group of constraints applies to its own JSON type.
      grouped(s, expr, depth, indent);
      return;
    }
    const std::string mask = type_mask(types | (s.nullable ? static_cast<unsigned>(model::kNull) : 0u));
    if (body.empty()) {
      line(indent, "v.type(" + expr + ", " + mask + ");");
      return;
    }
    if (s.nullable) {
      line(indent, "if (v.type(" + expr + ", " + mask + ") && !" + call(expr, "is_null") + ") {");
    } else {
      line(indent, "if (v.type(" + expr + ", " + mask + ")) {");
    }
    if (single_type(s)) {
      lines_.insert(lines_.end(), body.begin(), body.end());
    } else {
      grouped(s, expr, depth, indent + 1);
    }
    line(indent, "}");
  }

 private:
  static bool single_type(const Schema& s) {
    const unsigned t = s.types;
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

  void line(int indent, const std::string& text) {
    lines_.push_back(std::string(static_cast<std::size_t>(indent) * 2, ' ') + text);
  }

  void call_named(SchemaId id, bool nullable, const std::string& expr, int indent) {
    while (api_.model->schemas[id].same_as) id = *api_.model->schemas[id].same_as;
    const std::string& fn = api_.validate_fn_of[id];
    if (fn.empty()) {
      schema(id, expr, 0, indent, true);
    } else if (nullable && !api_.model->schemas[id].nullable) {
      line(indent, "if (!" + call(expr, "is_null") + ") " + fn + "(" + expr + ", v);");
    } else {
      line(indent, fn + "(" + expr + ", v);");
    }
  }

  // Constraints of every type, each group behind a guard on the value's JSON type.
  void grouped(const Schema& s, const std::string& expr, int depth, int indent) {
    const std::pair<unsigned, const char*> kGuards[] = {
        {model::kString, "is_string"}, {model::kInteger | model::kNumber, "is_number"},
        {model::kArray, "is_array"},   {model::kObject, "is_object"}};
    values(s, expr, indent);
    for (const auto& [bits, guard] : kGuards) {
      if (s.types != 0 && (s.types & bits) == 0) continue;
      std::vector<std::string> body;
      Emitter inner(api_, body);
      inner.typed(s, bits, expr, depth, indent + 1);
      if (body.empty()) continue;
      line(indent, "if (" + call(expr, guard) + ") {");
      lines_.insert(lines_.end(), body.begin(), body.end());
      line(indent, "}");
    }
  }

  void constraints(const Schema& s, const std::string& expr, int depth, int indent) {
    values(s, expr, indent);
    typed(s, s.types, expr, depth, indent);
  }

  void values(const Schema& s, const std::string& expr, int indent) {
    if (!s.enum_values.empty()) {
      const bool strings = std::all_of(s.enum_values.begin(), s.enum_values.end(),
                                       [](const nlohmann::json& v) { return v.is_string(); });
      if (strings) {
        std::string list;
        for (const auto& value : s.enum_values) {
          if (!list.empty()) list += ", ";
          list += cpp_string_literal(value.get<std::string>());
        }
        line(indent, "v.enum_strings(" + expr + ", {" + list + "});");
      } else {
        line(indent, "static const auto allowed = nlohmann::json::parse(" +
                         cpp_string_literal(nlohmann::json(s.enum_values).dump()) + ");");
        line(indent, "v.enum_values(" + expr + ", allowed);");
      }
    }
    if (s.const_value) {
      line(indent, "static const auto expected = nlohmann::json::parse(" +
                       cpp_string_literal(s.const_value->dump()) + ");");
      line(indent, "v.const_value(" + expr + ", expected);");
    }
  }

  void typed(const Schema& s, unsigned types, const std::string& expr, int depth, int indent) {
    if (types == 0) types = ~0u;
    if (types & model::kString) strings(s, expr, indent);
    if (types & (model::kInteger | model::kNumber)) numbers(s, expr, indent);
    if (types & model::kArray) arrays(s, expr, depth, indent);
    if (types & model::kObject) objects(s, expr, depth, indent);
  }

  void strings(const Schema& s, const std::string& expr, int indent) {
    if (s.min_length) line(indent, fmt::format("v.min_length({}, {});", expr, *s.min_length));
    if (s.max_length) line(indent, fmt::format("v.max_length({}, {});", expr, *s.max_length));
    if (s.pattern) {
      line(indent, "static const oasgen::Regex pattern(" + cpp_string_literal(*s.pattern) + ");");
      line(indent, "v.pattern(" + expr + ", pattern);");
    }
    if (auto format = known_formats().find(s.format); format != known_formats().end()) {
      line(indent, "v.format(" + expr + ", oasgen::Format::" + format->second + ");");
    }
  }

  void numbers(const Schema& s, const std::string& expr, int indent) {
    auto minimum = s.minimum;
    auto maximum = s.maximum;
    // int32 values are stored in std::int32_t: the range is a constraint too.
    if (s.types == model::kInteger && s.format == "int32") {
      if (!minimum || *minimum < -2147483648.0) minimum = -2147483648.0;
      if (!maximum || *maximum > 2147483647.0) maximum = 2147483647.0;
    }
    if (minimum) {
      line(indent, fmt::format("v.minimum({}, {}{});", expr, number_literal(*minimum),
                               s.exclusive_minimum ? ", true" : ""));
    }
    if (maximum) {
      line(indent, fmt::format("v.maximum({}, {}{});", expr, number_literal(*maximum),
                               s.exclusive_maximum ? ", true" : ""));
    }
    if (s.multiple_of) line(indent, fmt::format("v.multiple_of({}, {});", expr, number_literal(*s.multiple_of)));
  }

  void arrays(const Schema& s, const std::string& expr, int depth, int indent) {
    if (s.min_items) line(indent, fmt::format("v.min_items({}, {});", expr, *s.min_items));
    if (s.max_items) line(indent, fmt::format("v.max_items({}, {});", expr, *s.max_items));
    if (s.unique_items) line(indent, "v.unique_items(" + expr + ");");
    if (!s.items) return;
    std::vector<std::string> body;
    const std::string i = depth == 0 ? "i" : "i" + std::to_string(depth);
    Emitter inner(api_, body);
    inner.schema(*s.items, operand(expr) + "[" + i + "]", depth + 1, indent + 1, false);
    if (body.empty()) return;
    line(indent, fmt::format("for (std::size_t {0} = 0; {0} < {1}; ++{0}) {{", i, call(expr, "size")));
    line(indent + 1, "auto at = v.enter(" + i + ");");
    lines_.insert(lines_.end(), body.begin(), body.end());
    line(indent, "}");
  }

  void objects(const Schema& s, const std::string& expr, int depth, int indent) {
    if (!s.required.empty()) {
      std::string names;
      for (const auto& name : s.required) names += (names.empty() ? "" : ", ") + cpp_string_literal(name);
      line(indent, "v.required(" + expr + ", {" + names + "});");
    }
    if (!s.additional_allowed) {
      std::string names;
      for (const auto& p : s.properties) names += (names.empty() ? "" : ", ") + cpp_string_literal(p.name);
      line(indent, "v.no_additional_properties(" + expr + ", {" + names + "});");
    }
    if (s.min_properties) line(indent, fmt::format("v.min_properties({}, {});", expr, *s.min_properties));
    if (s.max_properties) line(indent, fmt::format("v.max_properties({}, {});", expr, *s.max_properties));
    const std::string it = depth == 0 ? "it" : "it" + std::to_string(depth);
    for (const auto& p : s.properties) {
      std::vector<std::string> body;
      Emitter inner(api_, body);
      inner.schema(p.schema, "*" + it, depth + 1, indent + 1, false);
      if (body.empty()) continue;
      const std::string key = cpp_string_literal(p.name);
      line(indent, fmt::format("if (auto {0} = {1}find({2}); {0} != {1}end()) {{", it, member(expr), key));
      line(indent + 1, "auto at = v.enter(" + key + ");");
      lines_.insert(lines_.end(), body.begin(), body.end());
      line(indent, "}");
    }
    if (s.additional && s.properties.empty()) {
      std::vector<std::string> body;
      Emitter inner(api_, body);
      inner.schema(*s.additional, it + ".value()", depth + 1, indent + 1, false);
      if (body.empty()) return;
      line(indent, fmt::format("for (auto {0} = {1}; {0} != {2}; ++{0}) {{", it, call(expr, "begin"), call(expr, "end")));
      line(indent + 1, "auto at = v.enter(" + it + ".key());");
      lines_.insert(lines_.end(), body.begin(), body.end());
      line(indent, "}");
    }
  }

  const cpp::Api& api_;
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
  Emitter(api, lines).schema(schema, expr, 0, indent, inline_root);
  return lines;
}

}  // namespace oasgen::render
