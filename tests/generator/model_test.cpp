// The model stage on small specs: normalisation and the diagnostics users see.
#include <unistd.h>  // getpid: a folder per process, so that parallel runs do not collide

#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "load/document.hpp"
#include "model/build_model.hpp"

namespace fs = std::filesystem;

namespace {

struct Built {
  oasgen::Diagnostics diagnostics;
  std::optional<oasgen::model::Api> api;
};

Built build(const std::string& yaml) {
  const fs::path dir = fs::temp_directory_path() / ("oasgen_model_test_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const fs::path path = dir / "spec.yaml";
  std::ofstream(path) << yaml;
  Built built;
  auto document = oasgen::load::load_document(path, built.diagnostics);
  if (document) built.api = oasgen::model::build_model(*document, built.diagnostics);
  return built;
}

std::string messages(const oasgen::Diagnostics& diagnostics) {
  std::string out;
  for (const auto& d : diagnostics.all()) {
    const auto text = oasgen::format_diagnostic(d);
    out += text.substr(text.find("spec.yaml")) + "\n";
  }
  return out;
}

constexpr const char* kHead = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\n";

}  // namespace

TEST_CASE("model: allOf is merged into one object with every required name") {
  auto built = build(std::string(kHead) + R"(paths: {}
components:
  schemas:
    Base:
      type: object
      required: [a]
      properties: {a: {type: string}}
    Derived:
      allOf:
        - $ref: '#/components/schemas/Base'
        - type: object
          required: [b]
          properties: {b: {type: integer, minimum: 1}}
)");
  REQUIRE(built.api);
  const auto& schemas = built.api->schemas;
  auto derived = std::find_if(schemas.begin(), schemas.end(), [](const auto& s) {
    return s.name_parts == std::vector<std::string>{"Derived"};
  });
  REQUIRE(derived != schemas.end());
  CHECK(derived->types == oasgen::model::kObject);
  CHECK(derived->required == std::vector<std::string>{"a", "b"});
  REQUIRE(derived->properties.size() == 2);
  CHECK(derived->properties[1].name == "b");
  CHECK(schemas[derived->properties[1].schema].minimum == 1.0);
}

TEST_CASE("model: 3.0 and 3.1 nullability and exclusive bounds look the same") {
  auto built = build(R"(openapi: 3.1.0
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    A: {type: [string, 'null']}
    B: {type: number, exclusiveMinimum: 0}
)");
  REQUIRE(built.api);
  const auto& schemas = built.api->schemas;
  CHECK(schemas[0].nullable);
  CHECK(schemas[0].types == oasgen::model::kString);
  CHECK(schemas[1].minimum == 0.0);
  CHECK(schemas[1].exclusive_minimum);
}

TEST_CASE("model: spec errors are reported with file, line, column and pointer") {
  auto built = build(std::string(kHead) + R"(paths:
  /pets/{petId}:
    get:
      responses:
        '200': {description: ok}
)");
  CHECK_FALSE(built.api);
  CHECK(messages(built.diagnostics) ==
        std::string("spec.yaml:6:7: error[spec-invalid]: path parameter 'petId' of "
                                 "'/pets/{petId}' is not declared (at #/paths/~1pets~1{petId}/get)\n"));
}

TEST_CASE("model: Swagger 2.0 is normalised into the 3.x shape") {
  auto built = build(R"(swagger: '2.0'
info: {title: t, version: '1'}
consumes: [application/json]
produces: [application/json]
paths:
  /pets:
    post:
      operationId: addPet
      parameters:
        - {name: body, in: body, required: true, schema: {$ref: '#/definitions/Pet'}}
        - {name: tags, in: query, type: array, items: {type: string}, collectionFormat: pipes}
      responses:
        '200': {description: ok, schema: {$ref: '#/definitions/Pet'}}
definitions:
  Pet:
    type: object
    properties:
      name: {type: string, x-nullable: true}
)");
  REQUIRE(built.api);
  const auto& op = built.api->operations.at(0);
  REQUIRE(op.request_body);
  CHECK(op.request_body->required);
  REQUIRE(op.request_body->content.size() == 1);
  CHECK(op.request_body->content[0].name == "application/json");
  const auto& pet = built.api->schemas.at(*op.request_body->content[0].schema);
  CHECK(pet.component);
  CHECK(built.api->schemas.at(pet.properties.at(0).schema).nullable);
  REQUIRE(op.parameters.size() == 1);
  CHECK(op.parameters[0].style == oasgen::model::ParamStyle::PipeDelimited);
  CHECK(op.responses.at(0).content.at(0).schema == op.request_body->content[0].schema);
}

TEST_CASE("model: constructs that are not checked yet are warned about, not ignored") {
  auto built = build(std::string(kHead) + R"(paths: {}
components:
  schemas:
    A:
      type: array
      unevaluatedItems: false
    B:
      type: object
      unevaluatedProperties: false
)");
  REQUIRE(built.api);
  CHECK(messages(built.diagnostics) ==
        std::string("spec.yaml:8:25: warning[unsupported-keyword]: 'unevaluatedItems' is not "
                                 "checked by oasgen yet; values are not validated against it "
                                 "(at #/components/schemas/A/unevaluatedItems)\n"));
}

TEST_CASE("model: unevaluatedProperties is read as a subschema; additionalProperties: true is kept as written") {
  auto built = build(std::string(kHead) + R"(paths: {}
components:
  schemas:
    A:
      type: object
      additionalProperties: true
      unevaluatedProperties: {type: string}
    B:
      type: object
)");
  REQUIRE(built.api);
  CHECK(messages(built.diagnostics).empty());
  const auto& schemas = built.api->schemas;
  auto component = [&](const std::string& name) -> const oasgen::model::Schema& {
    for (const auto& s : schemas) {
      if (s.component && s.name_parts == std::vector<std::string>{name}) return s;
    }
    throw std::logic_error("no " + name);
  };
  const auto& a = component("A");
  CHECK(a.has_additional);
  CHECK(a.additional_allowed);
  REQUIRE(a.unevaluated_properties);
  CHECK(schemas[*a.unevaluated_properties].types == oasgen::model::kString);
  CHECK(schemas[*a.unevaluated_properties].composition_part);
  CHECK_FALSE(component("B").has_additional);
  CHECK_FALSE(component("B").unevaluated_properties);
}

TEST_CASE("model: a parameter with non-JSON content is text; JSON content is text with a warning") {
  auto built = build(std::string(kHead) + R"(paths:
  /reports/{id}:
    get:
      parameters:
        - {name: id, in: path, required: true, content: {'*/*': {schema: {type: string}}}}
        - {name: filter, in: query, content: {application/json: {schema: {type: object}}}}
      responses: {'200': {description: ok}}
)");
  REQUIRE(built.api);
  const auto& params = built.api->operations.at(0).parameters;
  REQUIRE(params.size() == 2);
  for (const auto& p : params) CHECK(built.api->schemas[p.schema].types == oasgen::model::kString);
  CHECK(messages(built.diagnostics) ==
        std::string("spec.yaml:8:65: warning[unsupported-feature]: parameter 'filter' carries JSON content; "
                    "it is decoded as a plain string (at #/paths/~1reports~1{id}/get/parameters/1/content/"
                    "application~1json)\n"));
}

TEST_CASE("model: a schema that is a whole file is named by its component, else by the file") {
  const fs::path dir = fs::temp_directory_path() / ("oasgen_model_test_" + std::to_string(::getpid()));
  fs::create_directories(dir / "schemas");
  std::ofstream(dir / "schemas" / "pet-tag.yaml") << "type: object\nproperties: {name: {type: string}}\n";
  std::ofstream(dir / "schemas" / "owner.yaml") << "type: object\nproperties: {id: {type: integer}}\n";
  auto built = build(std::string(kHead) + R"(paths:
  /pets:
    get:
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: 'schemas/owner.yaml'}}}}
components:
  schemas:
    Tag: {$ref: 'schemas/pet-tag.yaml'}
)");
  REQUIRE(built.api);
  std::vector<std::vector<std::string>> names;
  for (const auto& s : built.api->schemas) {
    if (s.component) names.push_back(s.name_parts);
  }
  CHECK(names == std::vector<std::vector<std::string>>{{"Tag"}, {"owner"}});
}

namespace {

// Recoverable mistakes, each with the reading oasgen takes.
constexpr const char* kRecoverable = R"(paths:
  /uploads?convert={convert}:
    post:
      parameters:
        - {name: convert, in: query, schema: {type: boolean}}
        - {name: note, in: query}
        - {in: header, schema: {type: string}}
        - {name: sort, in: query, style: sideways, schema: {type: string}}
      responses:
        '204': {description: done}
components:
  schemas:
    Odd:
      type: {oneOf: [string, integer]}
      maxLength: -1
      pattern: 7
      enum: []
)";

}  // namespace

TEST_CASE("model: recoverable mistakes are warnings with a safe reading") {
  auto built = build(std::string(kHead) + kRecoverable);
  REQUIRE(built.api);
  // Components are read before paths.
  CHECK(messages(built.diagnostics) ==
        "spec.yaml:16:13: warning[schema-invalid]: unknown type {\"oneOf\":[\"string\",\"integer\"]}; "
        "ignored (at #/components/schemas/Odd/type)\n"
        "spec.yaml:17:18: warning[schema-invalid]: 'maxLength' must be a non-negative integer; "
        "ignored (at #/components/schemas/Odd/maxLength)\n"
        "spec.yaml:18:16: warning[schema-invalid]: 'pattern' must be a string; ignored "
        "(at #/components/schemas/Odd/pattern)\n"
        "spec.yaml:19:13: warning[schema-invalid]: 'enum' must be a non-empty array; ignored "
        "(at #/components/schemas/Odd/enum)\n"
        "spec.yaml:5:5: warning[spec-invalid]: path '/uploads?convert={convert}' has a query string; "
        "the route is '/uploads', and the query parameters are read as the operations declare them "
        "(at #/paths/~1uploads?convert={convert})\n"
        "spec.yaml:8:11: warning[spec-invalid]: parameter 'note' has neither 'schema' nor 'content'; "
        "read as a string (at #/paths/~1uploads?convert={convert}/post/parameters/1)\n"
        "spec.yaml:9:11: warning[spec-invalid]: a parameter needs a 'name' and 'in' (path, query, "
        "header or cookie); ignored (at #/paths/~1uploads?convert={convert}/post/parameters/2)\n"
        "spec.yaml:10:42: warning[spec-invalid]: unknown parameter style \"sideways\"; read in the "
        "default style of its location (at #/paths/~1uploads?convert={convert}/post/parameters/3/style)\n");
  REQUIRE(built.api->operations.size() == 1);
  const auto& op = built.api->operations.front();
  CHECK(op.path == "/uploads");
  REQUIRE(op.parameters.size() == 3);
  CHECK(op.parameters[1].name == "note");
  CHECK(built.api->schemas[op.parameters[1].schema].types == oasgen::model::kString);
  const auto odd = std::find_if(built.api->schemas.begin(), built.api->schemas.end(),
                                [](const auto& s) { return s.name_parts == std::vector<std::string>{"Odd"}; });
  REQUIRE(odd != built.api->schemas.end());
  CHECK(odd->types == 0);
  CHECK_FALSE(odd->has_type);
  CHECK_FALSE(odd->max_length);
  CHECK_FALSE(odd->pattern);
  CHECK(odd->enum_values.empty());
}

TEST_CASE("model: under --strict recoverable mistakes are errors, and nothing is built") {
  const fs::path dir = fs::temp_directory_path() / ("oasgen_model_test_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "spec.yaml") << std::string(kHead) + kRecoverable;
  oasgen::Diagnostics diagnostics;
  diagnostics.set_strict(true);
  auto document = oasgen::load::load_document(dir / "spec.yaml", diagnostics);
  REQUIRE(document);
  CHECK_FALSE(oasgen::model::build_model(*document, diagnostics));
  CHECK(diagnostics.error_count() == 8);
  CHECK(diagnostics.warning_count() == 0);
  CHECK(messages(diagnostics).find("spec.yaml:5:5: error[spec-invalid]: path '/uploads?convert={convert}' has a query string") !=
        std::string::npos);
}

TEST_CASE("model: a query string that repeats another path's route is ignored, with a warning") {
  auto built = build(std::string(kHead) + R"(paths:
  /items:
    get:
      responses: {'200': {description: ok}}
  /items?sort={sort}:
    get:
      responses: {'200': {description: ok}}
)");
  REQUIRE(built.api);
  CHECK(built.api->operations.size() == 1);
  CHECK(messages(built.diagnostics) ==
        "spec.yaml:8:5: warning[spec-invalid]: path '/items?sort={sort}' has a query string, and "
        "without it is the route '/items' of another path item; ignored (at #/paths/~1items?sort={sort})\n");
}

TEST_CASE("model: an unknown format is a warning once per name; registry formats are not") {
  auto built = build(std::string(kHead) + R"(paths: {}
components:
  schemas:
    A:
      type: object
      properties:
        a: {type: string, format: zip-code}
        b: {type: string, format: zip-code}
        c: {type: string, format: password}
        d: {type: integer, format: uint32}
        e: {type: string, format: date-time}
)");
  REQUIRE(built.api);
  CHECK(messages(built.diagnostics) ==
        "spec.yaml:9:35: warning[format-unknown]: format 'zip-code' is neither JSON Schema's nor in "
        "the OpenAPI Format Registry; values are accepted without a format check (further uses are "
        "not reported) (at #/components/schemas/A/properties/a/format)\n");
}

TEST_CASE("model: StableVector keeps each schema where it was made") {
  oasgen::StableVector<std::string> names;
  std::string& first = names.emplace_back("first");
  for (int i = 0; i < 1000; ++i) names.push_back(std::to_string(i));
  CHECK(&names[0] == &first);  // growing moved pointers, not the elements
  CHECK(names.size() == 1001);
  CHECK(names.back() == "999");
  CHECK(std::find(names.begin(), names.end(), "500") - names.begin() == 501);
  CHECK_THROWS_AS(names.at(1001), std::out_of_range);

  oasgen::StableVector<std::string> other;
  other.push_back("other");
  const std::string* taken = &other[0];
  names.take(1, other, 0);
  CHECK(&names[1] == taken);  // the element itself changed hands
  CHECK(names[1] == "other");

  const oasgen::StableVector<std::string> copy = names;
  CHECK(copy.size() == names.size());
  CHECK(&copy[0] != &names[0]);
  CHECK(std::equal(copy.begin(), copy.end(), names.begin()));
}
