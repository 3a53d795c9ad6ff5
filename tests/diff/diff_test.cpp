// diff, wire rules: one test per rule family, on small specs.
#include <unistd.h>  // getpid: a folder per process, so that parallel runs do not collide

#include <doctest/doctest.h>

#include <sstream>

#include "diff_support.hpp"

using diff_test::ids;
using diff_test::kHead;
using diff_test::pets;
using diff_test::run;
using Set = std::set<std::string>;
namespace diff = oasgen::diff;

namespace {

std::string ops(const std::string& paths) { return std::string(kHead) + "paths:\n" + paths; }

const char* kGetPet = R"(  /pets/{id}:
    get:
      operationId: getPet
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses: {'200': {description: ok}}
)";

const char* kListPets = R"(  /pets:
    get:
      operationId: listPets
      parameters:
        - {name: limit, in: query, schema: {type: integer, maximum: 100}}
        - {name: tags, in: query, style: form, explode: true, allowEmptyValue: true, schema: {type: string}}
      responses: {'200': {description: ok}}
)";

}  // namespace

TEST_CASE("diff: the same document twice reports nothing, wire or source") {
  const std::string spec = ops(std::string(kGetPet) + kListPets);
  const auto report = run(spec, spec);
  CHECK(report.findings.empty());
  CHECK_FALSE(diff::worst(report));
}

TEST_CASE("diff: paths and operations removed are errors, added ones info") {
  CHECK(ids(run(ops(std::string(kGetPet) + kListPets), ops(kListPets))) == Set{"error path-removed"});
  const std::string with_delete = std::string(kGetPet) + "    delete:\n      responses: {'204': {description: gone}}\n";
  CHECK(ids(run(ops(with_delete), ops(kGetPet))) == Set{"error operation-removed"});
  CHECK(ids(run(ops(kGetPet), ops(with_delete))) == Set{"info operation-added"});
}

TEST_CASE("diff: a renamed path parameter, operationId or deprecation is no wire break") {
  std::string renamed = kGetPet;
  renamed.replace(renamed.find("{id}"), 4, "{petId}");
  renamed.replace(renamed.find("name: id"), 8, "name: petId");
  renamed.replace(renamed.find("getPet"), 6, "fetchPet");
  renamed.insert(renamed.find("      parameters"), "      deprecated: true\n");
  CHECK(ids(run(ops(kGetPet), ops(renamed))) == Set{"info operation-deprecated", "info operation-id-changed"});
}

TEST_CASE("diff: parameters added as required, made required, removed, restyled") {
  auto edit = [](const std::string& from, const std::string& what, const std::string& with) {
    return ops(diff_test::edited(from, what, with));
  };
  const std::string base = ops(kListPets);
  CHECK(ids(run(base, edit(kListPets, "name: limit, in: query,", "name: limit, in: query, required: true,"))) ==
        Set{"error request-parameter-became-required"});
  CHECK(ids(run(base, edit(kListPets, "        - {name: limit, in: query, schema: {type: integer, maximum: 100}}\n", ""))) ==
        Set{"error request-parameter-removed"});
  CHECK(ids(run(base, edit(kListPets, "      responses", "        - {name: q, in: query, required: true, schema: {type: string}}\n      responses")))
            .count("error request-parameter-added-required") == 1);
  CHECK(ids(run(base, edit(kListPets, "style: form, explode: true", "style: pipeDelimited, explode: true"))) ==
        Set{"error request-parameter-style-changed"});
  CHECK(ids(run(base, edit(kListPets, "explode: true", "explode: false"))) == Set{"error request-parameter-explode-changed"});
  CHECK(ids(run(base, edit(kListPets, " allowEmptyValue: true,", ""))) == Set{"error request-parameter-empty-value-forbidden"});
  CHECK(ids(run(base, edit(kListPets, "maximum: 100", "maximum: 50"))) == Set{"error request-maximum-tightened"});
  CHECK(ids(run(base, edit(kListPets, "maximum: 100", "maximum: 200"))) == Set{"info request-maximum-loosened"});
}

TEST_CASE("diff: request and response directions are told apart") {
  const std::string object = "{type: object, properties: {name: {type: string, maxLength: 10}}}";
  const std::string shorter = "{type: object, properties: {name: {type: string, maxLength: 5}}}";
  const std::string required = "{type: object, required: [name], properties: {name: {type: string, maxLength: 10}}}";
  // A shorter limit rejects what old clients send, and is safe for what they receive.
  CHECK(ids(run(pets(object, object), pets(shorter, shorter))) ==
        Set{"error request-max-length-tightened", "info response-max-length-tightened"});
  CHECK(ids(run(pets(shorter, shorter), pets(object, object))) ==
        Set{"info request-max-length-loosened", "error response-max-length-loosened"});
  CHECK(ids(run(pets(object, required), pets(required, object))) ==
        Set{"error request-property-became-required", "error response-property-became-optional"});
  CHECK(ids(run(pets(required, object), pets(object, required))) ==
        Set{"info request-property-became-optional", "info response-property-became-required"});
}

TEST_CASE("diff: properties added and removed in each direction") {
  const std::string one = "{type: object, properties: {a: {type: string}}}";
  const std::string two = "{type: object, required: [b], properties: {a: {type: string}, b: {type: string}}}";
  CHECK(ids(run(pets(one, one), pets(two, two))) ==
        Set{"error request-property-added-required", "info response-property-added"});
  CHECK(ids(run(pets(two, two), pets(one, one))) ==
        Set{"warning request-property-removed", "error response-required-property-removed"});
  const std::string closed = "{type: object, additionalProperties: false, properties: {a: {type: string}}}";
  const std::string closed_two = "{type: object, additionalProperties: false, properties: {a: {type: string}, c: {type: string}}}";
  CHECK(ids(run(pets(closed, closed), pets(closed, closed_two))) == Set{"error response-property-added"});
  CHECK(ids(run(pets(one, one), pets(closed, closed))) ==
        Set{"error request-additional-properties-tightened", "info response-additional-properties-tightened"});
}

TEST_CASE("diff: readOnly and writeOnly change what travels in each direction") {
  const std::string plain = "{type: object, required: [id], properties: {id: {type: string}}}";
  const std::string read_only = "{type: object, required: [id], properties: {id: {type: string, readOnly: true}}}";
  const std::string write_only = "{type: object, required: [id], properties: {id: {type: string, writeOnly: true}}}";
  // readOnly: requests may no longer send it; responses still carry it.
  CHECK(ids(run(pets(plain, plain), pets(read_only, read_only))) ==
        Set{"error request-property-became-read-only", "info response-property-access-changed"});
  // No longer readOnly and required: old clients never sent it.
  CHECK(ids(run(pets(read_only, plain), pets(plain, plain))) == Set{"error request-property-became-required"});
  // writeOnly removed in a response: old clients reject it there.
  CHECK(ids(run(pets(plain, write_only), pets(plain, plain))) == Set{"error response-property-write-only-removed"});
  CHECK(ids(run(pets(plain, plain), pets(plain, write_only))) == Set{"error response-required-property-removed"});
}

TEST_CASE("diff: types, enums, formats, patterns and numeric ranges") {
  const auto base = pets("{type: string, enum: [a, b]}", "{type: string, enum: [a, b]}");
  CHECK(ids(run(base, pets("{type: string, enum: [a]}", "{type: string, enum: [a, b, c]}"))) ==
        Set{"error request-enum-value-removed", "error response-enum-value-added"});
  CHECK(ids(run(base, pets("{type: string, enum: [a, b, c]}", "{type: string, enum: [a]}"))) ==
        Set{"info request-enum-value-added", "info response-enum-value-removed"});
  CHECK(ids(run(pets("{type: integer}", "{type: integer}"), pets("{type: string}", "{type: number}"))) ==
        Set{"error request-type-changed", "error response-type-changed"});
  CHECK(ids(run(pets("{type: integer, format: int64}", "{type: integer, format: int32}"),
                pets("{type: integer, format: int32}", "{type: integer, format: int64}"))) ==
        Set{"error request-format-tightened", "error response-format-loosened"});
  CHECK(ids(run(pets("{type: string}", "{type: string, pattern: '^a'}"),
                pets("{type: string, pattern: '^a'}", "{type: string, pattern: '^b'}"))) ==
        Set{"error request-pattern-tightened", "error response-pattern-changed"});
  CHECK(ids(run(pets("{type: number, minimum: 0}", "{type: number, maximum: 10}"),
                pets("{type: number, minimum: 0, exclusiveMinimum: true}", "{type: number, maximum: 10, nullable: true}"))) ==
        Set{"error request-minimum-tightened", "error response-type-changed"});
  CHECK(ids(run(pets("{type: string}", "{type: string}"), pets("{type: string, default: x}", "{type: string}"))) ==
        Set{"warning request-default-changed"});
}

TEST_CASE("diff: oneOf alternatives added or removed, matched after resolution") {
  const std::string components = "{A: {type: object, properties: {a: {type: string}}}, "
                                 "B: {type: object, properties: {b: {type: integer}}}, "
                                 "C: {type: object, properties: {c: {type: boolean}}}}";
  const std::string ab = "{oneOf: [{$ref: '#/components/schemas/A'}, {$ref: '#/components/schemas/B'}]}";
  const std::string abc = "{oneOf: [{$ref: '#/components/schemas/A'}, {$ref: '#/components/schemas/B'}, "
                          "{$ref: '#/components/schemas/C'}]}";
  const std::string a_inline = "{oneOf: [{type: object, properties: {a: {type: string}}}, {$ref: '#/components/schemas/B'}]}";
  CHECK(ids(run(pets(ab, ab, components), pets(abc, abc, components))) ==
        Set{"info request-one-of-alternative-added", "error response-one-of-alternative-added"});
  CHECK(ids(run(pets(abc, abc, components), pets(ab, ab, components))) ==
        Set{"error request-one-of-alternative-removed", "info response-one-of-alternative-removed"});
  // The same alternative written inline instead of by reference.
  CHECK(ids(run(pets(ab, ab, components), pets(a_inline, a_inline, components))).empty());
}

TEST_CASE("diff: a schema moved into components is no wire change") {
  const std::string inline_pet = "{type: object, properties: {name: {type: string}}}";
  const std::string ref = "{$ref: '#/components/schemas/Pet'}";
  const auto report = run(pets(inline_pet, inline_pet), pets(ref, ref, "{Pet: " + inline_pet + "}"));
  CHECK(ids(report).empty());
}

TEST_CASE("diff: request bodies and media types") {
  const std::string body = std::string(kHead) + R"(paths:
  /pets:
    post:
      requestBody:
        content:
          application/json: {schema: {type: string}}
          text/plain: {schema: {type: string}}
      responses:
        '200':
          description: ok
          content: {application/json: {schema: {type: string}}, text/plain: {schema: {type: string}}}
        '404': {description: no}
)";
  auto edit = [&](const std::string& what, const std::string& with) { return diff_test::edited(body, what, with); };
  CHECK(ids(run(body, edit("      requestBody:\n", "      requestBody:\n        required: true\n"))) ==
        Set{"error request-body-became-required"});
  CHECK(ids(run(body, edit("          text/plain: {schema: {type: string}}\n", ""))) ==
        Set{"error request-media-type-removed"});
  CHECK(ids(run(body, edit(", text/plain: {schema: {type: string}}}", "}"))) == Set{"error response-media-type-removed"});
  CHECK(ids(run(body, edit("        '404': {description: no}\n", ""))) == Set{"error response-removed"});
  CHECK(ids(run(body, edit("'404'", "'409'"))) == Set{"error response-removed", "info response-added"});
}

TEST_CASE("diff: response headers") {
  const std::string spec = std::string(kHead) + R"(paths:
  /pets:
    get:
      responses:
        '200':
          description: ok
          headers:
            X-Rate: {required: true, schema: {type: integer}}
            X-Trace: {schema: {type: string}}
)";
  auto edit = [&](const std::string& what, const std::string& with) { return diff_test::edited(spec, what, with); };
  CHECK(ids(run(spec, edit("{required: true, ", "{"))) == Set{"error response-header-became-optional"});
  CHECK(ids(run(spec, edit("X-Trace: {", "X-Trace: {required: true, "))) == Set{"info response-header-became-required"});
  CHECK(ids(run(spec, edit("            X-Rate: {required: true, schema: {type: integer}}\n", ""))) ==
        Set{"error response-required-header-removed"});
  CHECK(ids(run(spec, edit("            X-Trace: {schema: {type: string}}\n", ""))) == Set{"warning response-header-removed"});
  CHECK(ids(run(spec, edit("X-Trace: {", "X-Trace: {explode: true, "))) == Set{"error response-header-explode-changed"});
  CHECK(ids(run(spec, edit("{type: integer}", "{type: string}"))) == Set{"error response-type-changed"});
}

TEST_CASE("diff: security requirements and schemes") {
  const std::string spec = std::string(kHead) + R"(paths:
  /pets:
    get:
      security: [{oauth: [read]}, {key: []}]
      responses: {'200': {description: ok}}
components:
  securitySchemes:
    key: {type: apiKey, in: header, name: X-Key}
    basic: {type: http, scheme: basic}
    oauth:
      type: oauth2
      flows: {clientCredentials: {tokenUrl: 'https://a/token', scopes: {read: r, write: w}}}
)";
  auto edit = [&](const std::string& what, const std::string& with) { return diff_test::edited(spec, what, with); };
  CHECK(ids(run(spec, edit("{oauth: [read]}", "{oauth: [read, write]}"))) == Set{"error security-scopes-added"});
  CHECK(ids(run(spec, edit("{key: []}", "{key: [], basic: []}"))) == Set{"error security-requirement-scheme-added"});
  CHECK(ids(run(spec, edit(", {key: []}]", "]"))) == Set{"error security-requirement-removed"});
  CHECK(ids(run(spec, edit("]}]", "]}, {basic: []}]"))) == Set{"info security-alternative-added"});
  CHECK(ids(run(spec, edit("{oauth: [read]}", "{oauth: []}"))) == Set{"info security-requirement-loosened"});
  CHECK(ids(run(spec, edit("https://a/token", "https://b/token"))) == Set{"error security-scheme-url-changed"});
  CHECK(ids(run(spec, edit("name: X-Key", "name: X-Api-Key"))) == Set{"error security-scheme-api-key-changed"});
  CHECK(ids(run(spec, edit("scheme: basic", "scheme: bearer"))) == Set{"error security-scheme-http-scheme-changed"});
  CHECK(ids(run(spec, edit("      security: [{oauth: [read]}, {key: []}]\n", ""))) == Set{"info security-removed"});
  CHECK(ids(run(edit("      security: [{oauth: [read]}, {key: []}]\n", ""), spec)) == Set{"error security-added"});
}

TEST_CASE("diff: recursive schemas end") {
  const std::string node = "{Node: {type: object, properties: {next: {$ref: '#/components/schemas/Node'}, v: {type: string}}}}";
  const std::string node2 = "{Node: {type: object, properties: {next: {$ref: '#/components/schemas/Node'}, v: {type: string, maxLength: 3}}}}";
  const std::string ref = "{$ref: '#/components/schemas/Node'}";
  CHECK(ids(run(pets(ref, ref, node), pets(ref, ref, node2))) ==
        Set{"error request-max-length-tightened", "info response-max-length-tightened"});
}

TEST_CASE("diff: the report as text and JSON") {
  const std::string one = "{type: object, properties: {a: {type: string}}}";
  const std::string two = "{type: object, required: [a], properties: {a: {type: string}}}";
  const auto report = run(pets(one, one), pets(two, one), {{}, false});
  REQUIRE(report.findings.size() == 1);
  const auto& f = report.findings.front();
  CHECK(f.group == "POST /pets");
  const std::string dir = (std::filesystem::temp_directory_path() /
                           ("oasgen_diff_test_" + std::to_string(::getpid())))
                              .string() +
                          "/";
  CHECK(f.new_place.location.file == dir + "new.yaml");
  CHECK(f.new_place.location.line == 11);
  CHECK(f.old_place.location.file == dir + "old.yaml");
  CHECK(f.new_place.pointer == "#/paths/~1pets/post/requestBody/content/application~1json/schema/properties/a");
  std::ostringstream text;
  diff::print_text(report, text);
  std::string shown = text.str();
  for (auto at = shown.find(dir); at != std::string::npos; at = shown.find(dir)) shown.erase(at, dir.size());
  CHECK(shown ==
        "POST /pets\n"
        "  new.yaml:11:67: error[request-property-became-required]: request body (application/json) "
        "property 'a': became required (at #/paths/~1pets/post/requestBody/content/application~1json/"
        "schema/properties/a; was old.yaml:11:52, #/paths/~1pets/post/requestBody/content/"
        "application~1json/schema/properties/a)\n"
        "1 error, 0 warnings, 0 info\n");
  const auto json = diff::to_json(report);
  CHECK(json["summary"]["error"] == 1);
  CHECK(json["findings"][0]["id"] == "request-property-became-required");
  CHECK(json["findings"][0]["axis"] == "wire");
  CHECK(json["findings"][0]["old"]["line"] == 11);
}
