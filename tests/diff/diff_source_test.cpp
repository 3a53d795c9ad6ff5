// diff, source rules: the generated C++ API compared, symbols and headers named.
#include <doctest/doctest.h>

#include "diff_support.hpp"

using diff_test::ids;
using diff_test::kHead;
using diff_test::pets;
using diff_test::run;
using Set = std::set<std::string>;
namespace diff = oasgen::diff;

namespace {

const diff::Axis kSource = diff::Axis::Source;

const diff::Finding* find(const diff::Report& report, const std::string& id) {
  for (const auto& f : report.findings) {
    if (f.id == id) return &f;
  }
  return nullptr;
}

std::string pet(const std::string& properties, const std::string& required = "[name]") {
  return "{Pet: {type: object, required: " + required + ", properties: " + properties + "}}";
}

const char* kRef = "{$ref: '#/components/schemas/Pet'}";

}  // namespace

TEST_CASE("diff source: a member that becomes optional, is removed or retyped") {
  const auto base = pets(kRef, kRef, pet("{name: {type: string}, age: {type: integer}}"));
  auto report = run(base, pets(kRef, kRef, pet("{name: {type: string}, age: {type: integer}}", "[]")));
  CHECK(ids(report, kSource) == Set{"error member-became-optional"});
  const auto* f = find(report, "member-became-optional");
  REQUIRE(f);
  CHECK(f->symbol == "api::Pet::name");
  CHECK(f->header == "include/api/models.hpp");
  CHECK(f->message == "member api::Pet::name became optional: std::string -> oasgen::Optional<std::string>");
  CHECK(ids(run(base, pets(kRef, kRef, pet("{name: {type: string}}"))), kSource) == Set{"error member-removed"});
  CHECK(ids(run(base, pets(kRef, kRef, pet("{name: {type: string}, age: {type: string}}"))), kSource) ==
        Set{"error member-type-changed"});
  CHECK(ids(run(base, pets(kRef, kRef, pet("{name: {type: string}, age: {type: integer}, x: {type: string}}"))), kSource) ==
        Set{"info member-added"});
}

TEST_CASE("diff source: the naming options of generate name the symbols") {
  const auto base = pets(kRef, kRef, pet("{name: {type: string}}", "[]"));
  diff::Options options;
  options.cpp.ns = "acme::pets";
  options.cpp.optional = oasgen::cpp::OptionalType::Std;
  const auto report = run(base, pets(kRef, kRef, pet("{name: {type: string}}")), options);
  const auto* f = find(report, "member-became-required");
  REQUIRE(f);
  CHECK(f->symbol == "acme::pets::Pet::name");
  CHECK(f->header == "include/acme_pets/models.hpp");
  CHECK(f->message == "member acme::pets::Pet::name became required: std::optional<std::string> -> std::string");
}

TEST_CASE("diff source: a renamed component is one rename, not a removal and an addition") {
  const std::string animal_ref = "{$ref: '#/components/schemas/Animal'}";
  const auto report = run(pets(kRef, kRef, pet("{name: {type: string}}")),
                          pets(animal_ref, animal_ref, "{Animal: {type: object, required: [name], properties: {name: {type: string}}}}"));
  CHECK(ids(report).empty());  // the same on the wire
  CHECK(ids(report, kSource) == Set{"error type-renamed"});
  const auto* f = find(report, "type-renamed");
  REQUIRE(f);
  CHECK(f->group.empty());
  CHECK(f->symbol == "api::Animal");
}

TEST_CASE("diff source: enumerators and variant alternatives") {
  const std::string color = "{$ref: '#/components/schemas/Color'}";
  CHECK(ids(run(pets(color, color, "{Color: {type: string, enum: [red, green]}}"),
                pets(color, color, "{Color: {type: string, enum: [red, blue]}}")),
            kSource) == Set{"error enumerator-removed", "warning enumerator-added"});
  const std::string choice = "{$ref: '#/components/schemas/Choice'}";
  const std::string parts = "A: {type: object, properties: {a: {type: string}}}, "
                            "B: {type: object, properties: {b: {type: integer}}}, "
                            "C: {type: object, properties: {c: {type: boolean}}}";
  const auto report = run(
      pets(choice, choice, "{" + parts + ", Choice: {oneOf: [{$ref: '#/components/schemas/A'}, {$ref: '#/components/schemas/B'}]}}"),
      pets(choice, choice, "{" + parts + ", Choice: {oneOf: [{$ref: '#/components/schemas/A'}, {$ref: '#/components/schemas/B'}, {$ref: '#/components/schemas/C'}]}}"));
  CHECK(ids(report, kSource) == Set{"error variant-alternative-added"});
}

TEST_CASE("diff source: handler and client methods, request members and result cases") {
  const std::string spec = std::string(kHead) + R"(paths:
  /pets:
    get:
      operationId: listPets
      parameters: [{name: limit, in: query, schema: {type: integer}}]
      responses: {'200': {description: ok}}
)";
  auto edit = [&](const std::string& what, const std::string& with) { return diff_test::edited(spec, what, with); };
  const auto renamed = run(spec, edit("listPets", "findPets"));
  CHECK(ids(renamed, kSource) == Set{"error method-renamed", "error request-type-renamed", "error result-type-renamed",
                                      "error result-case-renamed"});
  CHECK(find(renamed, "method-renamed")->symbol == "api::Handler::find_pets");
  CHECK(find(renamed, "method-renamed")->header == "include/api/server.hpp");
  CHECK(ids(run(spec, edit("{'200': {description: ok}}", "{'200': {description: ok}, '404': {description: no}}")),
            kSource) == Set{"error result-case-added"});
  CHECK(ids(run(spec, edit("in: query,", "in: query, required: true,")), kSource) == Set{"error member-became-required"});
  CHECK(ids(run(spec, edit("    get:", "    delete:\n      responses: {'204': {description: ok}}\n    get:")), kSource) ==
        Set{"error method-added"});
  CHECK(ids(run(spec, edit("/pets:", "/pets/{id}:\n    get:\n      parameters: [{name: id, in: path, required: true, schema: {type: string}}]\n      responses: {'200': {description: ok}}\n  /dogs:")),
            kSource)
            .count("error method-removed") == 1);
}

TEST_CASE("diff source: --wire-only compares no C++") {
  const auto base = pets(kRef, kRef, pet("{name: {type: string}}"));
  const auto report = run(base, pets(kRef, kRef, pet("{name: {type: string}}", "[]")), {{}, false});
  CHECK(ids(report, kSource).empty());
  CHECK(ids(report) == Set{"info request-property-became-optional", "error response-property-became-optional"});
}

TEST_CASE("diff source: an inline type that starts or stops sharing another's type") {
  auto body = [](const std::string& a, const std::string& b) {
    return "{type: object, properties: {a: " + a + ", b: " + b + "}}";
  };
  const std::string text = "{type: object, properties: {n: {type: string}}}";
  const std::string described = "{type: object, description: Other., properties: {n: {type: string}}}";
  const std::string number = "{type: object, properties: {n: {type: integer}}}";
  const auto components = pet("{name: {type: string}}");
  const auto shared = pets(body(text, text), kRef, components);
  // b stops sharing a's type, its members the same: a warning only.
  auto report = run(shared, pets(body(text, described), kRef, components));
  CHECK(ids(report, kSource) == Set{"warning type-sharing-changed"});
  const auto* f = find(report, "type-sharing-changed");
  REQUIRE(f);
  CHECK(f->symbol == "api::CreatePetBodyB");
  CHECK(f->message == "api::CreatePetBodyB is no longer the same type as api::CreatePetBodyA (code that passes "
                      "one for the other stops compiling)");
  // ... and the other way; with a member retyped as well.
  report = run(pets(body(text, described), kRef, components), shared);
  REQUIRE(find(report, "type-sharing-changed"));
  CHECK(find(report, "type-sharing-changed")->message ==
        "api::CreatePetBodyB is now the same type as api::CreatePetBodyA (their schemas say the same thing)");
  CHECK(ids(run(pets(body(text, number), kRef, components), shared), kSource) ==
        Set{"warning type-sharing-changed", "error member-type-changed"});
  CHECK(ids(run(shared, shared), kSource).empty());
}
