#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "render/validator_emitter.hpp"
#include "support/escape.hpp"

namespace oasgen::render::validator {

bool Emitter::evaluates(const Schema& s, std::vector<const Schema*>& path) const {
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

std::optional<std::string> Emitter::probe(SchemaId id, const std::string& expr, int depth,
                                          int indent, std::vector<std::string>& probes) {
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

void Emitter::collect(const Schema& s, bool root, const std::vector<std::string>& conditions,
                      const std::string& expr, int depth, int indent,
                      std::vector<Evaluated>& groups, std::vector<std::string>& probes,
                      std::vector<const Schema*>& path) {
  const Schema& o = own(s);
  if (o.never || std::find(path.begin(), path.end(), &s) != path.end()) return;
  path.push_back(&s);
  Evaluated group{conditions, {}, {}, o.has_additional || (!root && o.unevaluated_properties)};
  for (const auto& p : o.properties) group.names.push_back(p.name);
  for (const auto& pattern : o.pattern_properties) group.patterns.push_back(pattern.first);
  if (group.all || !group.names.empty() || !group.patterns.empty())
    groups.push_back(std::move(group));
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
      if (option < schemas_.size() && evaluates(schemas_[option], seen))
        in_place(option, when_valid(option));
    }
  }
  path.pop_back();
}

void Emitter::unevaluated(const Schema& s, SchemaId check, const std::string& expr, int depth,
                          int indent) {
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
  std::stable_partition(groups.begin(), groups.end(),
                        [](const Evaluated& g) { return g.conditions.empty(); });
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
        line(indent + 1,
             "static const oasgen::Regex " + regex + "(" + cpp_string_literal(pattern) + ");");
        tests.push_back(regex + ".search(" + it + ".key())");
      }
    }
    std::string test;
    for (const auto& t : tests) test += (test.empty() ? "" : " || ") + t;
    if (!condition.empty() && tests.size() > 1) test = "(" + test + ")";
    if (!condition.empty() && !test.empty()) condition += " && ";
    skips.push_back("if (" + condition + test + ") continue;");
  }
  line(indent + 1, fmt::format("for (auto {0} = {1}; {0} != {2}; ++{0}) {{", it,
                               call(expr, "begin"), call(expr, "end")));
  for (const auto& skip : skips) line(indent + 2, skip);
  line(indent + 2, "auto at = v.enter(" + it + ".key());");
  append(checks);
  line(indent + 1, "}");
  line(indent, "}");
}

void Emitter::applicators(const Schema& s, const std::string& expr, int depth, int indent) {
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

bool Emitter::is_null_only(SchemaId id) const {
  const Schema& s = schemas_[id];
  return !s.own && s.has_type && s.types == model::kNull && s.enum_values.empty() &&
         !s.const_value && !s.not_schema && !s.if_schema && !s.never;
}

bool Emitter::rejects_null(SchemaId id) const {
  const Schema& o = own(schemas_[id]);
  return o.never || (o.has_type && !o.type_null);
}

void Emitter::compositions(const Schema& s, const std::string& expr, int depth, int indent) {
  for (SchemaId part : s.all_of) append(nested(part, expr, depth, indent));
  if (!s.any_of.empty()) alternatives(s, s.any_of, false, expr, depth, indent);
  if (!s.one_of.empty()) alternatives(s, s.one_of, true, expr, depth, indent);
}

void Emitter::alternatives(const Schema& s, const std::vector<SchemaId>& options, bool one_of,
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

}  // namespace oasgen::render::validator
