// The docs: example synthesis, the pattern sampler, bundling, the rendered files (escaping above
// all), and serving them from the runtime.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <oasgen/docs.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>

#include "load/bundle.hpp"
#include "load/document.hpp"
#include "model/build_model.hpp"
#include "pipeline.hpp"
#include "render/docs_view.hpp"
#include "render/examples.hpp"
#include "render/sha256.hpp"
#include "support/escape.hpp"

namespace fs = std::filesystem;
using nlohmann::json;
using oasgen::render::ExampleSynthesiser;
using oasgen::render::ExampleUse;
using oasgen::render::sample_pattern;

namespace {

// A fresh folder under the system temp folder, removed at the end of the test.
class TempDir {
 public:
  TempDir() {
    static int counter = 0;
    path_ = fs::temp_directory_path() /
            ("oasgen_docs_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() { fs::remove_all(path_); }
  const fs::path& path() const { return path_; }
  fs::path write(const std::string& name, const std::string& text) const {
    std::ofstream(path_ / name, std::ios::binary) << text;
    return path_ / name;
  }

 private:
  fs::path path_;
};

struct Loaded {
  oasgen::Diagnostics diagnostics;
  std::optional<oasgen::load::Document> document;
  std::optional<oasgen::model::Api> api;
};

std::unique_ptr<Loaded> load(const fs::path& path) {
  auto loaded = std::make_unique<Loaded>();
  loaded->document = oasgen::load::load_document(path, loaded->diagnostics);
  REQUIRE(loaded->document);
  loaded->api = oasgen::model::build_model(*loaded->document, loaded->diagnostics);
  REQUIRE(loaded->api);
  REQUIRE_FALSE(loaded->diagnostics.has_errors());
  return loaded;
}

constexpr const char* kHead = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n";

// The component schemas of a spec made of `schemas` (YAML under components/schemas).
struct Components {
  TempDir dir;
  std::unique_ptr<Loaded> loaded;
  oasgen::model::SchemaId id(const std::string& name) const {
    const auto& schemas = loaded->api->schemas;
    for (oasgen::model::SchemaId i = 0; i < schemas.size(); ++i) {
      if (schemas[i].component && schemas[i].name_parts == std::vector<std::string>{name}) return i;
    }
    FAIL("no component " << name);
    return 0;
  }
};

std::unique_ptr<Components> components(const std::string& schemas) {
  auto c = std::make_unique<Components>();
  c->loaded = load(c->dir.write("spec.yaml", std::string(kHead) + "components:\n  schemas:\n" + schemas));
  return c;
}

std::map<std::string, std::string> docs_of(const fs::path& spec) {
  oasgen::Diagnostics diagnostics;
  oasgen::GenerateOptions options;
  options.version = "test";
  auto result = oasgen::generate_docs(spec, options, diagnostics);
  REQUIRE_MESSAGE(result.files, "docs generation failed");
  return *result.files;
}

std::size_t count(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

// The page's embedded data: the text of <script type="application/json" id="oasgen-data">.
std::string data_text(const std::string& html) {
  const std::string open = "<script type=\"application/json\" id=\"oasgen-data\">";
  const auto start = html.find(open);
  REQUIRE(start != std::string::npos);
  const auto end = html.find("</script>", start);
  REQUIRE(end != std::string::npos);
  return html.substr(start + open.size(), end - start - open.size());
}

// Markdown with its fenced code blocks removed.
std::string without_code_blocks(const std::string& md) {
  std::istringstream in(md);
  std::string out;
  std::string line;
  std::string fence;
  while (std::getline(in, line)) {
    if (fence.empty() && line.rfind("```", 0) == 0) {
      fence = line.substr(0, line.find_first_not_of('`'));
    } else if (!fence.empty() && line == fence) {
      fence.clear();
    } else if (fence.empty()) {
      out += line + "\n";
    }
  }
  return out;
}

}  // namespace

TEST_CASE("docs: sha256 and CSP hash sources match the FIPS 180-4 examples") {
  auto hex = [](const std::array<std::uint8_t, 32>& digest) {
    std::string out;
    for (auto byte : digest) {
      static constexpr char kHex[] = "0123456789abcdef";
      out += kHex[byte >> 4];
      out += kHex[byte & 15];
    }
    return out;
  };
  using oasgen::render::sha256;
  CHECK(hex(sha256("")) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(hex(sha256("abc")) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(hex(sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")) ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  CHECK(hex(sha256(std::string(1000000, 'a'))) ==
        "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  CHECK(oasgen::render::csp_hash_source("") == "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='");
}

TEST_CASE("docs: json_for_script output parses back to the same value") {
  const json value = {{"a", "</script><script>alert(1)</script>"}, {"b", "<!-- & -->"},
                      {"c", "\u2028\u2029 caf\u00e9"}, {"d", {1, "\\<", nullptr}}};
  const std::string text = oasgen::json_for_script(value.dump());
  CHECK(text.find('<') == std::string::npos);
  CHECK(text.find('>') == std::string::npos);
  CHECK(text.find('&') == std::string::npos);
  CHECK(json::parse(text) == value);
}

TEST_CASE("docs: the pattern sampler builds matching strings for the common subset") {
  struct Case {
    const char* pattern;
    std::size_t extra;
    std::optional<std::string> expected;
  };
  const Case cases[] = {
      {"^[A-Za-z0-9 -]+$", 0, "a"},
      {"^[A-Z0-9 -]+$", 2, "AAA"},
      {"^\\d{3}-\\d{4}$", 0, "000-0000"},
      {"^[a-z]{2,4}$", 1, "aaa"},
      {"^(foo|bar)baz?$", 0, "fooba"},
      {"^(?:ab)*c$", 1, "abc"},
      {"^[^0-9]+$", 0, "a"},
      {"^\\w+@\\w+\\.com$", 0, "a@a.com"},
      {"^\\u00e9\\.x$", 0, "\u00e9.x"},
      {"^(?<year>\\d{4})$", 0, "0000"},
      {"[\\s\\S]", 0, "a"},
      {"^(?=a)a$", 0, std::nullopt},
      {"^(a)\\1$", 0, std::nullopt},
      {"\\bword\\b", 0, std::nullopt},
      {"^\\p{L}+$", 0, std::nullopt},
      {"^[a-z", 0, std::nullopt},
  };
  for (const auto& c : cases) {
    CAPTURE(std::string(c.pattern));
    CAPTURE(c.extra);
    CHECK(sample_pattern(c.pattern, c.extra) == c.expected);
  }
}

TEST_CASE("docs: synthesised examples respect every constraint, or are omitted") {
  auto spec = components(R"(
    Name: {type: string, minLength: 8, maxLength: 10}
    Short: {type: string, maxLength: 3}
    Code: {type: string, pattern: '^[A-Z]{3}-\d{2}$'}
    Impossible: {type: string, minLength: 5, maxLength: 2}
    Lookahead: {type: string, pattern: '^(?=x)x+$'}
    When: {type: string, format: date-time}
    Id: {type: string, format: uuid}
    Status: {type: string, enum: [open, closed]}
    Positive: {type: integer, minimum: 0, exclusiveMinimum: true, maximum: 5}
    Big: {type: integer, minimum: 1000, multipleOf: 7}
    Ratio: {type: number, minimum: 2.5, maximum: 2.75}
    Tags: {type: array, minItems: 2, items: {type: string}}
    UniquePair: {type: array, minItems: 2, uniqueItems: true, items: {type: string}}
    Given: {type: integer, minimum: 1, example: 42}
    BadGiven: {type: integer, minimum: 1, example: -3}
    Pet:
      type: object
      required: [name]
      properties:
        id: {type: integer, readOnly: true}
        name: {type: string}
        secret: {type: string, writeOnly: true}
        nickname: {type: string, nullable: true}
    Closed:
      type: object
      additionalProperties: false
      minProperties: 1
      properties:
        a: {type: string}
    Map: {type: object, additionalProperties: {type: integer, minimum: 3}}
    Tree:
      type: object
      required: [value]
      properties:
        value: {type: integer}
        children: {type: array, items: {$ref: '#/components/schemas/Tree'}}
    Endless:
      type: object
      required: [next]
      properties:
        next: {$ref: '#/components/schemas/Endless'}
)");
  ExampleSynthesiser synth(*spec->loaded->api);
  auto example = [&](const std::string& name, ExampleUse use = ExampleUse::Response) {
    auto value = synth.synthesise(spec->id(name), use);
    if (value) CHECK_MESSAGE(synth.conforms(*value, spec->id(name), use), name);
    return value;
  };
  CHECK(example("Name") == json("stringxx"));
  CHECK(example("Short") == json("str"));
  CHECK(example("Code") == json("AAA-00"));
  CHECK_FALSE(example("Impossible"));
  CHECK_FALSE(example("Lookahead"));
  CHECK(example("When") == json("2024-01-15T09:30:00Z"));
  CHECK(example("Id") == json("3fa85f64-5717-4562-b3fc-2c963f66afa6"));
  CHECK(example("Status") == json("open"));
  CHECK(example("Positive") == json(1));
  CHECK(example("Big") == json(1001));
  CHECK(example("Ratio") == json(2.5));
  CHECK(example("Tags") == json({"string", "string"}));
  CHECK_FALSE(example("UniquePair"));
  CHECK(example("Given") == json(42));
  CHECK(example("BadGiven") == json(1));
  CHECK(example("Pet", ExampleUse::Response) == json({{"id", 1}, {"name", "string"}, {"nickname", "string"}}));
  CHECK(example("Pet", ExampleUse::Request) == json({{"name", "string"}, {"secret", "string"}, {"nickname", "string"}}));
  CHECK(example("Closed") == json({{"a", "string"}}));
  CHECK(example("Map") == json({{"key1", 3}}));
  const auto tree = example("Tree");
  REQUIRE(tree);
  CHECK((*tree)["value"] == 1);
  CHECK(tree->contains("children"));
  CHECK_FALSE(example("Endless"));

  const auto id = spec->id("Pet");
  CHECK_FALSE(synth.conforms(json{{"id", 1}, {"name", "x"}}, id, ExampleUse::Request));
  CHECK_FALSE(synth.conforms(json{{"name", "x"}, {"secret", "s"}}, id, ExampleUse::Response));
  CHECK_FALSE(synth.conforms(json{{"name", 3}}, id, ExampleUse::Response));
  CHECK_FALSE(synth.conforms(json::object(), id, ExampleUse::Response));
  CHECK(synth.conforms(json{{"name", "x"}, {"nickname", nullptr}}, id, ExampleUse::Response));
}

TEST_CASE("docs: oneOf examples match exactly one alternative and carry the discriminator") {
  auto spec = components(R"(
    Cat: {type: object, required: [kind, meow], properties: {kind: {type: string}, meow: {type: boolean}}}
    Dog: {type: object, required: [kind, bark], properties: {kind: {type: string}, bark: {type: integer}}}
    Pet:
      oneOf: [{$ref: '#/components/schemas/Cat'}, {$ref: '#/components/schemas/Dog'}]
      discriminator: {propertyName: kind, mapping: {cat: '#/components/schemas/Cat', dog: '#/components/schemas/Dog'}}
    Number: {oneOf: [{type: integer}, {type: number}]}
)");
  ExampleSynthesiser synth(*spec->loaded->api);
  const auto pet = synth.synthesise(spec->id("Pet"), ExampleUse::Response);
  REQUIRE(pet);
  CHECK((*pet)["meow"] == true);
  if (spec->loaded->api->schemas[spec->id("Pet")].discriminator) CHECK((*pet)["kind"] == "cat");
  // 1 is both an integer and a number, so no integer is valid for this oneOf; 1.5 is.
  CHECK(synth.synthesise(spec->id("Number"), ExampleUse::Response) == json(1.5));
}

TEST_CASE("docs: examples are checked against unevaluatedProperties as the validators check it") {
  auto spec = components(R"(
    Payment:
      type: object
      properties: {amount: {type: number}}
      anyOf:
        - {properties: {card: {type: string}}, required: [card]}
        - {properties: {iban: {type: string}}, required: [iban]}
      unevaluatedProperties: false
)");
  ExampleSynthesiser synth(*spec->loaded->api);
  const auto id = spec->id("Payment");
  const auto use = ExampleUse::Request;
  CHECK(synth.conforms(json{{"amount", 1}, {"card", "x"}}, id, use));
  CHECK(synth.conforms(json{{"card", "x"}, {"iban", "y"}}, id, use));
  // The second alternative fails (iban is not a string), so iban is not evaluated.
  CHECK_FALSE(synth.conforms(json{{"card", "x"}, {"iban", 1}}, id, use));
  CHECK_FALSE(synth.conforms(json{{"card", "x"}, {"note", ""}}, id, use));
  const auto example = synth.synthesise(id, use);
  REQUIRE(example);
  CHECK(synth.conforms(*example, id, use));
}

TEST_CASE("docs: a multi-file spec is bundled into one document") {
  TempDir dir;
  dir.write("common.yaml", R"(
Pet:
  type: object
  properties:
    owner: {$ref: '#/Owner'}
    example: {$ref: '#/Owner'}
  example: {$ref: not-a-reference}
Owner: {type: string}
)");
  const auto spec = dir.write("spec.yaml", R"(openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /pets:
    get:
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: 'common.yaml#/Pet'}
components:
  schemas:
    Local: {$ref: '#/components/schemas/Other'}
    Other: {type: integer}
)");
  auto loaded = load(spec);
  oasgen::Diagnostics diagnostics;
  const auto bundle = oasgen::load::bundle(*loaded->document, diagnostics);
  const json& doc = bundle.document();
  const json expected_pet = {
      {"type", "object"},
      {"properties",
       {{"owner", {{"$ref", "#/x-oasgen-bundled/common.yaml_Owner"}}},
        {"example", {{"$ref", "#/x-oasgen-bundled/common.yaml_Owner"}}}}},
      {"example", {{"$ref", "not-a-reference"}}}};
  CHECK(doc["x-oasgen-bundled"]["common.yaml_Pet"] == expected_pet);
  CHECK(doc["x-oasgen-bundled"]["common.yaml_Owner"] == json({{"type", "string"}}));
  CHECK(doc["paths"]["/pets"]["get"]["responses"]["200"]["content"]["application/json"]["schema"] ==
        json({{"$ref", "#/x-oasgen-bundled/common.yaml_Pet"}}));
  CHECK(doc["components"]["schemas"]["Local"] == json({{"$ref", "#/components/schemas/Other"}}));
  REQUIRE(bundle.find("common.yaml#/Pet/properties") != nullptr);
  CHECK(bundle.find("common.yaml#/Pet/properties")->contains("owner"));
  REQUIRE(bundle.find("#/components/schemas/Other") != nullptr);
  CHECK(*bundle.find("#/components/schemas/Other") == json({{"type", "integer"}}));
  CHECK(bundle.find("#/nowhere") == nullptr);

  // The docs of a bundled spec work like any other.
  const auto files = docs_of(spec);
  CHECK(json::parse(files.at("docs/openapi.json")) == doc);
}

TEST_CASE("docs: the petstore's docs list every operation, with a policy that fits the page") {
  const auto spec = fs::path(OASGEN_SOURCE_DIR) / "specs/petstore.yaml";
  const auto files = docs_of(spec);
  CHECK(files.size() == 3);
  const std::string& md = files.at("docs/API.md");
  for (const char* heading :
       {"### GET /pets: List pets", "### POST /pets: Create a pet", "### GET /pets/\\{petId\\}: Get a pet by id",
        "### PUT /pets/\\{petId\\}: Replace a pet", "### DELETE /pets/\\{petId\\}: Delete a pet",
        "### GET /pets/\\{petId\\}/vaccinations: List a pet's vaccinations"}) {
    CHECK_MESSAGE(md.find(heading) != std::string::npos, heading);
  }
  CHECK(md.find("| limit | query | integer (int32) |  | minimum 1; maximum 100; default 20 | How many pets to return at most. |") !=
        std::string::npos);
  CHECK(md.find("| name | string | yes | minLength 1; maxLength 64; pattern ^\\[A\\-Za\\-z0\\-9 \\-\\]\\+$ |") !=
        std::string::npos);
  CHECK(md.find("`application/json`: [NewPet](#schema-2)") != std::string::npos);
  CHECK(md.find("curl -X POST 'http://127.0.0.1:8080/pets'") != std::string::npos);
  CHECK(md.find("curl 'http://127.0.0.1:8080/pets/1'") != std::string::npos);
  CHECK(md.find("omitted") == md.find("omitted (no valid value"));  // only in the template's words
  CHECK(md.find("urn:oasgen:problem:validation") != std::string::npos);

  const std::string& html = files.at("docs/index.html");
  const json data = json::parse(data_text(html));
  CHECK(data["ops"].size() == 6);
  CHECK(data["tags"].size() == 1);
  CHECK(data["tags"][0]["ops"] == json({0, 1, 2, 3, 4, 5}));
  CHECK(data["components"].size() == 5);
  // The inline script and style are allowed by their hashes, and nothing else is.
  const auto script_start = html.rfind("<script>") + 8;
  const std::string script = html.substr(script_start, html.find("</script>", script_start) - script_start);
  const auto style_start = html.find("<style>") + 7;
  const std::string style = html.substr(style_start, html.find("</style>") - style_start);
  const std::string csp = "default-src &#39;none&#39;; script-src " +
                          oasgen::html_text(oasgen::render::csp_hash_source(script)) + "; style-src " +
                          oasgen::html_text(oasgen::render::csp_hash_source(style)) +
                          "; img-src data:; connect-src &#39;self&#39;; base-uri &#39;none&#39;; form-action &#39;none&#39;\">";
  CHECK(html.find("<meta http-equiv=\"Content-Security-Policy\" content=\"" + csp) != std::string::npos);
  // Nothing is loaded from elsewhere: no URL outside the data (which holds the spec's servers).
  std::string markup = html;
  markup.erase(markup.find(data_text(html)), data_text(html).size());
  CHECK(markup.find("src=") == std::string::npos);
  CHECK(count(markup, "<link") == 1);
  CHECK(markup.find("<link rel=\"icon\" href=\"data:,\">") != std::string::npos);
  CHECK(style.find("url(") == std::string::npos);
  CHECK(style.find("@import") == std::string::npos);
  // One request: Try it out's, to a path of this origin (connect-src 'self' allows no other).
  CHECK(count(script, "fetch(") == 1);
  CHECK(script.find("fetch(request.path + ") != std::string::npos);
  CHECK(script.find("XMLHttpRequest") == std::string::npos);
  CHECK(script.find("localStorage") == std::string::npos);  // credentials stay in memory
  CHECK(script.find("import(") == std::string::npos);
  CHECK(script.find("innerHTML") == std::string::npos);
  CHECK(json::parse(files.at("docs/openapi.json"))["info"]["title"] == "Petstore");
}

TEST_CASE("docs: Try it out gets each parameter's style and start value, and each scheme's placement") {
  const json petstore = json::parse(data_text(docs_of(fs::path(OASGEN_SOURCE_DIR) / "specs/petstore.yaml").at("docs/index.html")));
  auto op = [](const json& data, const std::string& id) {
    for (const auto& o : data["ops"]) {
      if (o["id"] == id) return o;
    }
    FAIL("no operation " << id);
    return json();
  };
  // The start values are the example request's: required parameters, defaults, the spec's examples;
  // arrays and objects as JSON.
  const json list = op(petstore, "listPets")["params"];
  CHECK(list[0]["n"] == "limit");
  CHECK(list[0]["st"] == "form");
  CHECK(list[0]["x"] == true);
  CHECK(list[0]["v"] == "20");
  CHECK_FALSE(list[0].contains("j"));
  CHECK(list[1]["n"] == "tags");
  CHECK(list[1]["j"] == true);
  CHECK_FALSE(list[1].contains("v"));  // optional, no default, no example of the spec's
  CHECK(list[2]["st"] == "simple");
  CHECK(op(petstore, "getPet")["params"][0]["v"] == "1");
  CHECK_FALSE(op(petstore, "createPet").contains("sa"));
  CHECK(op(petstore, "createPet")["req"]["body"]["status"] == "available");
  CHECK(op(petstore, "createPet")["body"]["tm"] == "application/json");

  const json features = json::parse(data_text(docs_of(fs::path(OASGEN_SOURCE_DIR) / "specs/features.yaml").at("docs/index.html")));
  json path;
  for (const auto& o : features["ops"]) {
    if (o["p"] == "/styles/path/{simple}/{label}/{matrix}/{exploded}") path = o;
  }
  REQUIRE(path.is_object());
  CHECK(path["params"][1]["st"] == "label");
  CHECK(path["params"][2]["st"] == "matrix");
  CHECK(path["params"][3]["v"] == "{\"B\":1,\"G\":1,\"R\":1}");
  // A body with several media types is sent (in the example and from the form) as the JSON one.
  for (const auto& o : features["ops"]) {
    if (o["p"] != "/forms") continue;
    CHECK(o["body"]["media"].size() == 3);
    CHECK(o["body"]["tm"] == "application/json");
    CHECK(o["req"]["h"] == json::parse(R"([["Content-Type", "application/json"]])"));
    CHECK(o["req"]["body"].is_object());
  }
  // An exploded object in simple style is k=v pairs (OpenAPI 3.0, "Style Examples").
  CHECK(path["req"]["target"] == "/styles/path/1/.string/;matrix=string/B=1,G=1,R=1");

  const json security = json::parse(data_text(docs_of(fs::path(OASGEN_SOURCE_DIR) / "specs/security.yaml").at("docs/index.html")));
  std::map<std::string, json> schemes;
  for (const auto& scheme : security["schemes"]) {
    json placement = scheme;
    for (const char* key : {"name", "type", "detail", "description"}) placement.erase(key);
    schemes[scheme["name"]] = placement;
  }
  CHECK(schemes["basic"] == json({{"k", "basic"}}));
  CHECK(schemes["bearer"] == json({{"k", "bearer"}}));
  CHECK(schemes["oauth"] == json({{"k", "bearer"}}));
  CHECK(schemes["oidc"] == json({{"k", "bearer"}}));
  CHECK(schemes["hoba"] == json({{"k", "http"}, {"scheme", "hoba"}}));
  CHECK(schemes["header_key"] == json({{"k", "apiKey"}, {"in", "header"}, {"param", "X-API-Key"}}));
  CHECK(schemes["query_key"] == json({{"k", "apiKey"}, {"in", "query"}, {"param", "admin_key"}}));
  CHECK(schemes["session"] == json({{"k", "apiKey"}, {"in", "cookie"}, {"param", "session"}}));
  // Alternatives as indices into "schemes" (in the spec's order: basic 0, bearer 1, header_key 2,
  // ..., session 7); an empty one admits anonymous callers; a public operation has none.
  CHECK(op(security, "both")["sa"] == json::parse("[[2, 7]]"));
  CHECK(op(security, "either")["sa"] == json::parse("[[2], [0]]"));
  CHECK(op(security, "optional_auth")["sa"] == json::parse("[[1], []]"));
  CHECK_FALSE(op(security, "public_operation").contains("sa"));
}

TEST_CASE("docs: spec text cannot inject script or markup into the docs") {
  const auto spec = fs::path(OASGEN_SOURCE_DIR) / "specs/docs-xss.yaml";
  const auto files = docs_of(spec);
  const std::string& html = files.at("docs/index.html");
  const std::string data = data_text(html);
  CHECK(count(html, "<script") == 2);  // the data element and the page's script
  CHECK(count(html, "</script>") == 2);
  for (const char* markup : {"<img", "<svg", "<iframe", "<b>", "<a href=\"javascript", "<style>body", "<!--"}) {
    CAPTURE(std::string(markup));
    CHECK(html.find(markup) == std::string::npos);
  }
  // javascript: appears only as data, and the data is JSON with no '<' at all.
  CHECK(count(html, "javascript:") == count(data, "javascript:"));
  CHECK(data.find('<') == std::string::npos);
  const json parsed = json::parse(data);
  CHECK(parsed["title"] == "XSS <script>alert(\"title\")</script> \"><img src=x onerror=alert(1)>");
  CHECK(parsed["ops"][1]["s"] == "</script><script>alert(10)</script>");
  CHECK(html.find("<title>XSS &lt;script&gt;alert(&quot;title&quot;)&lt;/script&gt; &quot;&gt;&lt;img src=x "
                  "onerror=alert(1)&gt; API reference</title>") != std::string::npos);

  // Outside code blocks (where Markdown shows text literally), no markup and no javascript: link.
  const std::string md = without_code_blocks(files.at("docs/API.md"));
  CHECK(md.size() < files.at("docs/API.md").size());
  for (const char* markup : {"<script", "<img", "<svg", "<iframe", "<b>", "<a href", "<style", "<!--"}) {
    CAPTURE(std::string(markup));
    CHECK(md.find(markup) == std::string::npos);
  }
  // A Markdown link needs "](" after an unescaped ']'.
  CHECK(md.find("\\[a Markdown link\\](javascript:alert(2))") != std::string::npos);
  CHECK_FALSE(std::regex_search(md, std::regex(R"([^\\]\]\(javascript)")));
  CHECK(md.find("&lt;script&gt;alert\\(") == std::string::npos);  // '(' needs no escape...
  CHECK(md.find("&lt;script&gt;alert(\"description\")&lt;/script&gt;") != std::string::npos);  // ...text stays
}

TEST_CASE("docs: generate --docs adds the C++ that serves the docs") {
  oasgen::Diagnostics diagnostics;
  oasgen::GenerateOptions options;
  options.cpp.ns = "acme::pets";
  options.version = "test";
  options.docs = true;
  const auto result =
      oasgen::generate(fs::path(OASGEN_SOURCE_DIR) / "specs/petstore.yaml", options, diagnostics);
  REQUIRE(result.files);
  for (const char* path : {"docs/API.md", "docs/index.html", "docs/openapi.json", "include/acme_pets/docs.hpp",
                           "src/docs.cpp"}) {
    CHECK_MESSAGE(result.files->count(path), path);
  }
  const std::string& cpp = result.files->at("src/docs.cpp");
  CHECK(cpp.find("#include \"acme_pets/docs.hpp\"") != std::string::npos);
  CHECK(cpp.find("void register_docs(oasgen::Router& router) {") != std::string::npos);
  options.docs = false;
  const auto without = oasgen::generate(fs::path(OASGEN_SOURCE_DIR) / "specs/petstore.yaml", options, diagnostics);
  REQUIRE(without.files);
  CHECK(without.files->count("docs/index.html") == 0);
  CHECK(without.files->count("src/docs.cpp") == 0);
}

TEST_CASE("docs: serve_docs answers /docs and /openapi.json with safe headers") {
  oasgen::Router router;
  oasgen::serve_docs(router, {"{\"openapi\":\"3.0.3\"}", "<!DOCTYPE html><p>docs</p>", "default-src 'none'"});
  oasgen::Request page;
  page.method = "GET";
  page.target = "/docs";
  const auto html = router.handle(page);
  CHECK(html.status == 200);
  CHECK(html.body == "<!DOCTYPE html><p>docs</p>");
  CHECK(html.headers.get("Content-Type") == "text/html; charset=utf-8");
  CHECK(html.headers.get("Content-Security-Policy") == "default-src 'none'; frame-ancestors 'none'");
  CHECK(html.headers.get("X-Content-Type-Options") == "nosniff");
  oasgen::Request spec;
  spec.method = "GET";
  spec.target = "/openapi.json";
  const auto json_response = router.handle(spec);
  CHECK(json_response.status == 200);
  CHECK(json_response.headers.get("Content-Type") == "application/json");
  CHECK(json_response.body == "{\"openapi\":\"3.0.3\"}");
  spec.method = "POST";
  CHECK(router.handle(spec).status == 405);
  CHECK_THROWS_AS(oasgen::serve_docs(router, {}), std::invalid_argument);
}
