// Generates the straight-line C++ of validators: one `v.<keyword>(...)` call per constraint.
#pragma once

#include <string>
#include <vector>

#include "naming/cpp_api.hpp"

namespace oasgen::render {

/// Statements (already indented by `indent` levels of two spaces) that check the JSON value `expr`
/// against `schema`, reporting to a `oasgen::Validator v`. A schema with a named type is checked by
/// calling its validate function, except when `inline_root` asks for the schema's own checks (the
/// body of that very function). Empty when the schema constrains nothing.
std::vector<std::string> validator_lines(const cpp::Api& api, model::SchemaId schema,
                                         const std::string& expr, int indent, bool inline_root);

/// A C++ double literal that reads back as `value` ("1.0", "0.5", "1e+300").
std::string number_literal(double value);

}  // namespace oasgen::render
