#include "load/document.hpp"

#include <doctest/doctest.h>
#include <unistd.h>

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <limits>
#include <string>

namespace fs = std::filesystem;
using nlohmann::json;
using oasgen::Diagnostics;
using oasgen::format_diagnostic;
using oasgen::load::Document;
using oasgen::load::load_document;
using oasgen::load::Node;

namespace {

// A fresh folder under the system temp folder, removed at the end of the test.
class TempDir {
 public:
  TempDir() {
    static int counter = 0;
    path_ = fs::temp_directory_path() /
            ("oasgen-load-test-" + std::to_string(::getpid()) + "-" + std::to_string(++counter));
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() { fs::remove_all(path_); }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  fs::path write(const std::string& name, const std::string& text) const {
    const fs::path file = path_ / name;
    fs::create_directories(file.parent_path());
    std::ofstream(file, std::ios::binary) << text;
    return file;
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

// Follows the RFC 6901 `pointer` with Document::child.
Node at(const Document& document, Node node, const std::string& pointer) {
  std::size_t start = 1;
  while (start <= pointer.size()) {
    std::size_t end = pointer.find('/', start);
    if (end == std::string::npos) end = pointer.size();
    std::string token = pointer.substr(start, end - start);
    for (std::size_t i = 0; (i = token.find('~', i)) != std::string::npos; ++i) {
      token.replace(i, 2, token[i + 1] == '1' ? "/" : "~");
    }
    std::optional<Node> next;
    if (node->is_array()) {
      next = document.child(node, static_cast<std::size_t>(std::stoul(token)));
    } else {
      next = document.child(node, token);
    }
    REQUIRE_MESSAGE(next.has_value(), pointer);
    node = *next;
    start = end + 1;
  }
  return node;
}

std::string only_diagnostic(const Diagnostics& diagnostics) {
  REQUIRE(diagnostics.all().size() == 1);
  return format_diagnostic(diagnostics.all().front());
}

}  // namespace

TEST_CASE("load: plain YAML scalars are typed by the YAML 1.2 core schema") {
  TempDir dir;
  const fs::path spec = dir.write("types.yaml", R"(null_plain: null
null_title: Null
null_upper: NULL
null_tilde: ~
null_empty:
true_lower: true
true_title: True
true_upper: TRUE
false_lower: false
mixed_case: tRuE
on: on
yes: yes
off: off
int: 42
negative: -17
plus: +5
hex: 0x1F
octal: 0o17
leading_zero: 0777
uint64: 18446744073709551615
too_big: 18446744073709551616
int64_min: -9223372036854775808
float: 1.5
exponent: 1e3
dot: .5
inf: .inf
negative_inf: -.Inf
nan: .NaN
double_quoted_true: "true"
single_quoted_int: '42'
quoted_null: "null"
tagged_str: !!str 42
tagged_int: !!int "7"
version: 3.0.3
date: 2001-12-14
123: numeric key
null: null key
~: tilde key
list: [1, "2", three, ]
anchored: &a {x: 1}
alias: *a
)");
  Diagnostics diagnostics;
  const auto document = load_document(spec, diagnostics);
  REQUIRE(document);
  CHECK_FALSE(diagnostics.has_errors());
  const json& j = *document->root();
  for (const char* key : {"null_plain", "null_title", "null_upper", "null_tilde", "null_empty"}) {
    CAPTURE(key);
    CHECK(j.at(key).is_null());
  }
  CHECK(j.at("true_lower") == true);
  CHECK(j.at("true_title") == true);
  CHECK(j.at("true_upper") == true);
  CHECK(j.at("false_lower") == false);
  CHECK(j.at("mixed_case") == "tRuE");
  CHECK(j.at("on") == "on");
  CHECK(j.at("yes") == "yes");
  CHECK(j.at("off") == "off");
  CHECK(j.at("int") == 42);
  CHECK(j.at("int").is_number_integer());
  CHECK(j.at("negative") == -17);
  CHECK(j.at("plus") == 5);
  CHECK(j.at("hex") == 31);
  CHECK(j.at("octal") == 15);
  CHECK(j.at("leading_zero") == 777);
  CHECK(j.at("uint64").is_number_unsigned());
  CHECK(j.at("uint64").get<std::uint64_t>() == std::numeric_limits<std::uint64_t>::max());
  CHECK(j.at("too_big").is_number_float());
  CHECK(j.at("too_big").get<double>() == doctest::Approx(1.8446744073709552e19));
  CHECK(j.at("int64_min").get<std::int64_t>() == std::numeric_limits<std::int64_t>::min());
  CHECK(j.at("float").is_number_float());
  CHECK(j.at("float") == 1.5);
  CHECK(j.at("exponent").is_number_float());
  CHECK(j.at("exponent") == 1000.0);
  CHECK(j.at("dot") == 0.5);
  CHECK(j.at("inf").get<double>() == std::numeric_limits<double>::infinity());
  CHECK(j.at("negative_inf").get<double>() == -std::numeric_limits<double>::infinity());
  CHECK(std::isnan(j.at("nan").get<double>()));
  CHECK(j.at("double_quoted_true") == "true");
  CHECK(j.at("single_quoted_int") == "42");
  CHECK(j.at("quoted_null") == "null");
  CHECK(j.at("tagged_str") == "42");
  CHECK(j.at("tagged_int") == 7);
  CHECK(j.at("version") == "3.0.3");
  CHECK(j.at("date") == "2001-12-14");
  CHECK(j.at("123") == "numeric key");
  CHECK(j.at("null") == "null key");
  CHECK(j.at("~") == "tilde key");
  CHECK(j.at("list") == json::parse(R"([1, "2", "three"])"));
  CHECK(j.at("alias") == json::parse(R"({"x": 1})"));
}

TEST_CASE("load: syntax errors name file, line and column") {
  TempDir dir;
  struct Case {
    const char* name;
    const char* text;
    const char* expected;  // after "<path>:"
  };
  const Case cases[] = {
      {"flow.yaml", "a: [1, 2\nb: 3\n",
       "2:2: error[syntax]: end of sequence flow not found: expected ',' or ']' to close the flow "
       "sequence '['"},
      {"flow_map.yaml", "info: {title: x, version: '1'\npaths: {}\n",
       "2:1: error[syntax]: end of map flow not found: expected ',' or '}' to close the flow "
       "mapping '{'"},
      {"value.yaml", "info:\n  title: x\n   version: 1\n",
       "3:11: error[syntax]: illegal map value: expected a new line before this key, or quotes "
       "around a value that contains ': '"},
      {"indent.yaml", "info:\n  title: x\n  - version: 1\n",
       "3:3: error[syntax]: end of map not found: expected a key at the indentation of the mapping"},
      {"tab.yaml", "a: 1\n\tb: 2\n",
       "2:1: error[syntax]: illegal tab when looking for indentation: expected spaces (YAML does "
       "not indent with tabs)"},
      {"dup.yaml", "a: 1\nb:\n  c: 2\n  c: 3\n", "4:3: error[duplicate-key]: duplicate key 'c'"},
      {"two.yaml", "a: 1\n---\nb: 2\n",
       "2:1: error[yaml-unsupported]: a file must hold a single YAML document"},
      {"tag.yaml", "a: !!int x\n", "1:4: error[syntax]: 'x' is not a valid !!int"},
      // Found by fuzz_pipeline (corpus/pipeline/invalid_utf8.yaml): nlohmann's dump() threw.
      {"latin1.yaml", "a: 1\nb: {type: st\xe9ing}\n",
       "2:13: error[syntax]: the file is not valid UTF-8 (byte 0xE9); OpenAPI documents are UTF-8 "
       "text"},
      {"overlong.yaml", "a: \xc0\xaf\n",
       "1:4: error[syntax]: the file is not valid UTF-8 (byte 0xC0); OpenAPI documents are UTF-8 "
       "text"},
      {"surrogate.yaml", "a: \xc3\xa9\xed\xa0\x80\n",
       "1:5: error[syntax]: the file is not valid UTF-8 (byte 0xED); OpenAPI documents are UTF-8 "
       "text"},
      {"truncated.yaml", "a: \xe2\x82",
       "1:4: error[syntax]: the file is not valid UTF-8 (byte 0xE2); OpenAPI documents are UTF-8 "
       "text"},
      {"comma.json", "{\"a\": 1,}",
       "1:9: error[syntax]: syntax error while parsing object key - unexpected '}'; expected "
       "string literal"},
      {"eof.json", "{\n  \"a\": [1, 2\n",
       "3:1: error[syntax]: syntax error while parsing array - unexpected end of input; "
       "expected ']'"},
      {"overflow.json", "{\n  \"a\": [1, 1e400]\n}",
       "2:12: error[syntax]: number overflow parsing '1e400'"},
      {"literal.json", "{\n  \"b\": nul,\n}",
       "2:11: error[syntax]: syntax error while parsing value - invalid literal; last read: "
       "'\"b\": nul,'"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    const fs::path spec = dir.write(c.name, c.text);
    Diagnostics diagnostics;
    CHECK_FALSE(load_document(spec, diagnostics));
    CHECK(only_diagnostic(diagnostics) == spec.generic_string() + ":" + c.expected);
  }
}

TEST_CASE("load: values nested deeper than 256 levels are refused where they start, in YAML and in JSON") {
  TempDir dir;
  const std::string message =
      ": error[too-deep]: values nest more than 256 levels deep (the first one too deep starts "
      "here); oasgen reads documents up to that depth";
  // 100,000 levels: the later stages' recursion, and nlohmann's dump, must never see this.
  const fs::path deep_json = dir.write(
      "deep.json", "{\"a\": " + std::string(100000, '[') + std::string(100000, ']') + "}");
  const fs::path deep_yaml =
      dir.write("deep.yaml", "a: " + std::string(300, '[') + std::string(300, ']') + "\n");
  // The 256th '[' inside the object (or mapping) opens the 257th level.
  const fs::path deep_block_yaml = dir.write("block.yaml", [] {
    std::string text;
    for (int level = 0; level < 300; ++level) text += std::string(2 * level, ' ') + "k:\n";
    return text;
  }());
  const std::pair<fs::path, std::string> cases[] = {
      {deep_json, ":1:262"}, {deep_yaml, ":1:259"}, {deep_block_yaml, ":257:513"}};
  for (const auto& entry : cases) {
    const fs::path& spec = entry.first;
    const std::string& where = entry.second;
    CAPTURE(spec);
    Diagnostics diagnostics;
    CHECK_FALSE(load_document(spec, diagnostics));
    CHECK(only_diagnostic(diagnostics) == spec.generic_string() + where + message);
  }
  // 256 levels load.
  const fs::path fits = dir.write(
      "fits.json", "{\"a\": " + std::string(255, '[') + std::string(255, ']') + "}");
  Diagnostics diagnostics;
  CHECK(load_document(fits, diagnostics));
  CHECK_FALSE(diagnostics.has_errors());
}

TEST_CASE("load: a chain of more than 64 references is refused, once") {
  TempDir dir;
  std::string text = "s0: {$ref: '#/s1'}\n";
  for (int i = 1; i < 1000; ++i) {
    text += "s" + std::to_string(i) + ": {$ref: '#/s" + std::to_string(i + 1) + "'}\n";
  }
  text += "s1000: {type: string}\n";
  const fs::path spec = dir.write("chain.yaml", text);
  Diagnostics diagnostics;
  const auto document = load_document(spec, diagnostics);
  REQUIRE(document);
  for (int i = 0; i <= 1000; ++i) {
    (void)document->deref(*document->child(document->root(), "s" + std::to_string(i)), diagnostics);
  }
  CHECK(diagnostics.error_count() < 20);
  CHECK(format_diagnostic(diagnostics.all().at(0)) ==
        spec.generic_string() +
            ":1:5: error[ref-chain]: more than 64 references in a row; refer to the target directly "
            "(at #/s0)");
}

TEST_CASE("load: a missing spec is a file-read error") {
  TempDir dir;
  const fs::path spec = dir.path() / "absent.yaml";
  Diagnostics diagnostics;
  CHECK_FALSE(load_document(spec, diagnostics));
  CHECK(only_diagnostic(diagnostics) == spec.generic_string() +
                                            ": error[file-read]: cannot read '" +
                                            spec.generic_string() + "': No such file or directory");
}

TEST_CASE("load: location points at a nested node in YAML and JSON") {
  TempDir dir;
  Diagnostics diagnostics;
  const auto yaml = load_document(dir.write("a.yaml", R"(openapi: 3.0.0
paths:
  /pets/{id}:
    get:
      parameters:
        - name: id
          in: path
)"),
                                  diagnostics);
  REQUIRE(yaml);
  const Node in = at(*yaml, yaml->root(), "/paths/~1pets~1{id}/get/parameters/0/in");
  CHECK(in.pointer == "/paths/~1pets~1{id}/get/parameters/0/in");
  const auto where = yaml->location(in);
  CHECK(where.file == (dir.path() / "a.yaml").generic_string());
  CHECK(where.line == 7);
  CHECK(where.column == 15);
  const auto parameter =
      yaml->location(at(*yaml, yaml->root(), "/paths/~1pets~1{id}/get/parameters/0"));
  CHECK(parameter.line == 6);
  CHECK(parameter.column == 11);

  const auto json_doc = load_document(
      dir.write("a.json",
                "{\n  \"paths\": {\n    \"/p\\u00e9ts\": {\"get\": [1, {\"x\": true}]}\n  }\n}"),
      diagnostics);
  REQUIRE(json_doc);
  const Node x = at(*json_doc, json_doc->root(), "/paths/~1p\u00e9ts/get/1/x");
  const auto json_where = json_doc->location(x);
  CHECK(json_where.line == 3);
  CHECK(json_where.column == 37);
  CHECK(json_doc->location(json_doc->root()).line == 1);
  CHECK_FALSE(diagnostics.has_errors());
}

TEST_CASE("load: references resolve within the file, to sibling files and by JSON pointer") {
  TempDir dir;
  const fs::path spec = dir.write("main.yaml", R"(openapi: 3.0.0
components:
  schemas:
    Pet:
      $ref: '#/components/schemas/Animal'
    Animal:
      type: object
    a/b~c: {type: string}
    My Pet: {type: integer}
    Escaped: {$ref: '#/components/schemas/a~1b~0c'}
    Spaced: {$ref: '#/components/schemas/My%20Pet'}
    Chain: {$ref: '#/components/schemas/Pet', description: ignored sibling}
    Sibling: {$ref: 'common.yaml#/Thing'}
    Whole: {$ref: './defs/pet.json'}
    Index: {$ref: '#/list/1'}
    x-ext: {$ref: 'never-read.yaml#/X'}
list: [a, b]
)");
  dir.write("common.yaml", "Thing: {type: string}\nPet: {$ref: 'defs/pet.json'}\n");
  dir.write("defs/pet.json",
            R"({"type": "object", "properties": {"name": {"$ref": "../common.yaml#/Thing"}}})");

  Diagnostics diagnostics;
  const auto document = load_document(spec, diagnostics);
  REQUIRE(document);
  const Node schemas = at(*document, document->root(), "/components/schemas");
  const auto deref = [&](const std::string& name) {
    const auto target = document->deref(at(*document, schemas, "/" + name), diagnostics);
    REQUIRE(target);
    return *target;
  };

  const Node animal = deref("Pet");
  CHECK(animal.file == 0);
  CHECK(animal.pointer == "/components/schemas/Animal");
  CHECK(document->id(animal) == "#/components/schemas/Animal");
  CHECK(document->id(deref("Chain")) == "#/components/schemas/Animal");
  CHECK(deref("Escaped").pointer == "/components/schemas/a~1b~0c");
  CHECK(*deref("Escaped") == json::parse(R"({"type": "string"})"));
  CHECK(deref("Spaced").pointer == "/components/schemas/My Pet");
  CHECK(*deref("Index") == "b");
  CHECK(document->id(deref("Animal")) == "#/components/schemas/Animal");
  CHECK(document->files() == std::vector<fs::path>{spec});

  const Node thing = deref("Sibling");
  CHECK(thing.file == 1);
  CHECK(document->id(thing) == "common.yaml#/Thing");
  CHECK(*thing == json::parse(R"({"type": "string"})"));

  const Node pet = deref("Whole");
  CHECK(document->id(pet) == "defs/pet.json#");
  const auto name = document->deref(at(*document, pet, "/properties/name"), diagnostics);
  REQUIRE(name);
  CHECK(document->id(*name) == "common.yaml#/Thing");
  const auto via_common =
      document->deref(at(*document, document->root(), "/components"), diagnostics);
  REQUIRE(via_common);  // not a reference: the node itself
  CHECK(via_common->pointer == "/components");
  const auto loc = document->location(*name);
  CHECK(loc.file == (dir.path() / "common.yaml").generic_string());
  CHECK(loc.line == 1);
  CHECK(loc.column == 8);
  CHECK(document->files() ==
        std::vector<fs::path>{spec, dir.path() / "common.yaml", dir.path() / "defs/pet.json"});
  CHECK(diagnostics.all().empty());
}

TEST_CASE("load: broken references are reported once, with the reference's place") {
  TempDir dir;
  const fs::path spec = dir.write("main.yaml", R"(components:
  schemas:
    CycleA: {$ref: '#/components/schemas/CycleB'}
    CycleB:
      $ref: '#/components/schemas/CycleA'
    Self: {$ref: '#/components/schemas/Self'}
    Dangling: {$ref: '#/components/schemas/Pte'}
    Remote: {$ref: 'https://example.com/x.yaml#/Y'}
    Missing: {$ref: 'nowhere.yaml#/X'}
    BadFile: {$ref: 'bad.json'}
    Anchor: {$ref: '#Pet'}
)");
  dir.write("bad.json", "{\"a\": }");
  const std::string file = spec.generic_string();
  Diagnostics diagnostics;
  const auto document = load_document(spec, diagnostics);
  REQUIRE(document);
  const Node schemas = at(*document, document->root(), "/components/schemas");
  const auto fails = [&](const std::string& name) {
    Diagnostics local;
    CHECK_FALSE(document->deref(at(*document, schemas, "/" + name), local));
    return local.all().empty() ? std::string() : only_diagnostic(local);
  };

  CHECK(fails("CycleA") == file +
                               ":3:13: error[ref-cycle]: circular reference: "
                               "#/components/schemas/CycleA -> #/components/schemas/CycleB -> "
                               "#/components/schemas/CycleA (at #/components/schemas/CycleA)");
  CHECK(fails("CycleB") == "");  // the same cycle, already reported
  CHECK(fails("Self") == file +
                             ":6:11: error[ref-cycle]: circular reference: "
                             "#/components/schemas/Self -> #/components/schemas/Self "
                             "(at #/components/schemas/Self)");
  CHECK(fails("Dangling") == file +
                                 ":7:15: error[ref-unresolved]: cannot resolve "
                                 "'#/components/schemas/Pte' (at #/components/schemas/Dangling)");
  CHECK(fails("Dangling") == "");
  CHECK(fails("Remote") == file +
                               ":8:13: error[ref-remote]: cannot resolve "
                               "'https://example.com/x.yaml#/Y': remote references are not "
                               "supported (at #/components/schemas/Remote)");
  CHECK(fails("Missing") == file +
                                ":9:14: error[ref-unresolved]: cannot resolve "
                                "'nowhere.yaml#/X': cannot read '" +
                                (dir.path() / "nowhere.yaml").generic_string() +
                                "': No such file or directory (at #/components/schemas/Missing)");
  CHECK(fails("BadFile") == (dir.path() / "bad.json").generic_string() +
                                ":1:7: error[syntax]: syntax error while parsing value - "
                                "unexpected '}'; expected '[', '{', or a literal");
  CHECK(fails("Anchor") == file +
                               ":11:13: error[ref-unresolved]: cannot resolve '#Pet': the "
                               "fragment is not a JSON pointer (at #/components/schemas/Anchor)");
  CHECK(document->files() == std::vector<fs::path>{spec});
}

TEST_CASE("load: the same reference text resolves from the file it is written in, every time") {
  TempDir dir;
  const fs::path spec = dir.write("main.yaml", R"(components:
  schemas:
    A: {$ref: 'common.yaml#/Thing'}
    B: {$ref: 'common.yaml#/Thing'}
    Nested: {$ref: 'sub/other.yaml#/Outer'}
    Gone: {$ref: 'common.yaml#/Nothing'}
    AlsoGone: {$ref: 'common.yaml#/Nothing'}
)");
  dir.write("common.yaml", "Thing: {type: string}\n");
  dir.write("sub/other.yaml", "Outer: {$ref: 'common.yaml#/Thing'}\n");
  dir.write("sub/common.yaml", "Thing: {type: integer}\n");
  Diagnostics diagnostics;
  const auto document = load_document(spec, diagnostics);
  REQUIRE(document);
  const Node schemas = at(*document, document->root(), "/components/schemas");
  const auto id_of = [&](const std::string& name) {
    const auto target = document->deref(at(*document, schemas, "/" + name), diagnostics);
    return target ? document->id(*target) + " " + target->value->dump() : std::string("none");
  };

  for (int round = 0; round < 2; ++round) {
    CAPTURE(round);
    CHECK(id_of("A") == R"(common.yaml#/Thing {"type":"string"})");
    CHECK(id_of("Nested") == R"(sub/common.yaml#/Thing {"type":"integer"})");
    CHECK(id_of("B") == R"(common.yaml#/Thing {"type":"string"})");
    CHECK(id_of("Gone") == "none");
    CHECK(id_of("AlsoGone") == "none");
  }
  // A reference that does not resolve is reported once per place it is written, not once per text.
  REQUIRE(diagnostics.all().size() == 2);
  CHECK(diagnostics.all()[0].pointer == "#/components/schemas/Gone");
  CHECK(diagnostics.all()[1].pointer == "#/components/schemas/AlsoGone");
}
