// A large JSON document parsed in pieces on several threads: the same tree as parsed whole, and
// the same error where it does not parse.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "load/detail.hpp"

using nlohmann::json;
using oasgen::load::detail::parse_json;
using oasgen::load::detail::parse_json_split;
using oasgen::load::detail::SyntaxError;

namespace {

// An OpenAPI-shaped document of a few MB: its bulk three levels down, where it is split.
std::string large_document(const std::string& extra_schemas) {
  std::string text =
      "{\n  \"openapi\": \"3.0.3\",\n  \"info\": {\"title\": \"t\", \"version\": \"1\"},\n";
  text += "  \"paths\": {\n";
  for (int i = 0; i < 2000; ++i) {
    text += "    \"/items/" + std::to_string(i) + "\": {\"get\": {\"operationId\": \"get" +
            std::to_string(i) + "\", \"responses\": {\"200\": {\"description\": \"ok\"}}}},\n";
  }
  text += "    \"/last\": {}\n  },\n  \"components\": {\"schemas\": {" + extra_schemas + "\n";
  for (int i = 0; i < 6000; ++i) {
    text += "      \"S" + std::to_string(i) +
            "\": {\"type\": \"object\", \"properties\": {\"a\": {\"type\": \"string\", "
            "\"pattern\": \"^[a-z]+\\\\d$\"}, \"n\": {\"type\": \"number\", \"maximum\": 1.5e3, "
            "\"minimum\": -7}, \"e\": [true, false, null, \"x\\u00e9\\\"y\"]}},\n";
  }
  text +=
      "      \"Last\": {}\n    }\n  },\n  \"x-list\": [1, 2, {\"a\": []}],\n  \"x-num\": -0\n}\n";
  return text;
}

}  // namespace

TEST_CASE("load: a large JSON object parsed in pieces is the tree parsed whole") {
  const std::vector<std::string> cases = {
      large_document(""),
      // A repeated name: the last one wins, whether it is split further or not.
      large_document("\"S5\": {\"type\": \"string\"}, \"S6\": 1,"),
      "{\"paths\": {}, \"paths\": " + large_document("") + "}",
      // Names with escapes or bytes outside ASCII are decoded.
      large_document("\"a\\u00e9b\": {}, \"caf\xC3\xA9\": {}, \"q\\\"u\\\\o\": {}, \"\": {},"),
      "\xEF\xBB\xBF" + large_document(""),
  };
  for (const std::string& text : cases) {
    REQUIRE(text.size() > (1u << 20));
    const json whole = json::parse(text);
    const auto split = parse_json_split(text, 3);
    REQUIRE(split.has_value());
    CHECK(*split == whole);
    std::optional<SyntaxError> error;
    CHECK(parse_json(text, error, 2) == whole);
    CHECK(!error);
  }
  // Small documents and other roots are parsed whole.
  CHECK(!parse_json_split("{\"a\": 1}", 4));
  CHECK(!parse_json_split("[" + large_document("") + "]", 4));
  CHECK(!parse_json_split(large_document(""), 1));
}

TEST_CASE(
    "load: a large JSON document that does not parse has the same error on any number of threads") {
  const std::string good = large_document("");
  const std::size_t schemas = good.find("\"S3000\"");
  std::vector<std::string> cases = {
      good.substr(0, good.size() / 2),                                    // cut short
      good + "}",                                                         // text after the root
      good.substr(0, schemas) + "\"a\\xb\": {}," + good.substr(schemas),  // a bad escape in a name
      good.substr(0, schemas) + "\"a\" {}," + good.substr(schemas),       // no colon
      good.substr(0, schemas) + "\"a\": {}" + good.substr(schemas),       // no comma
      good.substr(0, schemas) + "\"a\": 1e400," + good.substr(schemas),   // a number too large
      good.substr(0, schemas) + "\"a\": {\"b\": ]}," + good.substr(schemas),  // within a piece
      good.substr(0, schemas) + "\"a\": ," + good.substr(schemas),            // no value
      good.substr(0, schemas) + "\"a\": \"\xFF\"," + good.substr(schemas),    // not UTF-8
      good.substr(0, schemas) + "\"\xFF\": 1," + good.substr(schemas),        // a name not UTF-8
  };
  for (const std::string& text : cases) {
    CHECK(!parse_json_split(text, 2));
    std::optional<SyntaxError> one, several;
    CHECK(parse_json(text, one, 1).is_null());
    CHECK(parse_json(text, several, 4).is_null());
    REQUIRE(one.has_value());
    REQUIRE(several.has_value());
    CHECK(several->message == one->message);
    CHECK(several->where.line == one->where.line);
    CHECK(several->where.column == one->where.column);
  }
}

TEST_CASE("load: the objects found while splitting place nodes where scanning the text does") {
  const std::string text =
      "\xEF\xBB\xBF" + large_document("\"S5\": {\"type\": \"string\"}, \"q\\\"u\": {},");
  oasgen::load::detail::JsonMemberIndex index;
  std::optional<SyntaxError> error;
  parse_json(text, error, 2, &index);
  REQUIRE(!error);
  REQUIRE(index.size() > 2000);  // the root, paths and each path, components and its schemas
  oasgen::load::detail::JsonLocator scanned(text), known(text);
  for (auto& [offset, members] : index) known.know(offset, std::move(members));
  const std::vector<std::vector<std::string>> paths = {
      {},
      {"info", "title"},
      {"paths", "/items/1999", "get", "responses", "200"},
      {"paths", "/last"},
      {"components", "schemas", "S5"},
      {"components", "schemas", "q\"u"},
      {"components", "schemas", "S5999", "properties", "e", "3"},
      {"components", "schemas", "Missing", "type"},
      {"x-list", "2", "a"},
      {"x-num"},
  };
  for (const auto& tokens : paths) {
    const auto a = scanned.find(tokens);
    const auto b = known.find(tokens);
    CHECK(a.line == b.line);
    CHECK(a.column == b.column);
    CHECK(a.line > 0);
  }
}
