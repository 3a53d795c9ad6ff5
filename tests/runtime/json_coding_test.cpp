// oasgen::decode_json / encode_json and the member functions: the same values as nlohmann's own
// get_to and assignment, and the same exceptions (type, id, message) for mistyped input.
#include <doctest/doctest.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <oasgen/json_coding.hpp>

namespace {

using nlohmann::json;

// A JSON text for each type, a few of them mistyped for every T below.
const char* const kInputs[] = {
    "null", "true", "false", "0", "-7", "3000000000", "1.5", "-0.0", "\"text\"", "\"\"", "[]", "[1,2,3]",
    "[true,false]", "[\"a\",null]", "[[1],[2,3]]", "{}", "{\"a\":1,\"b\":2}", "{\"a\":\"x\"}", "{\"a\":null}",
    "[1,\"two\"]", "{\"a\":[1]}",
};

// What nlohmann's exception says, or "ok" with the value it decoded, encoded back.
template <typename T>
std::string nlohmann_outcome(const json& input) {
  try {
    T value{};
    input.get_to(value);
    return "ok " + json(value).dump();
  } catch (const json::type_error& e) {
    return std::string("type_error ") + e.what();
  } catch (const json::exception& e) {
    return std::string("other ") + e.what();
  }
}

template <typename T>
std::string oasgen_outcome(const json& input) {
  try {
    T value{};
    oasgen::decode_json(input, value);
    json out;
    oasgen::encode_json(out, value);
    return "ok " + out.dump();
  } catch (const json::type_error& e) {
    return std::string("type_error ") + e.what();
  } catch (const json::exception& e) {
    return std::string("other ") + e.what();
  }
}

template <typename T>
void check_like_nlohmann() {
  for (const char* text : kInputs) {
    CAPTURE(text);
    const json input = json::parse(text);
    CHECK(oasgen_outcome<T>(input) == nlohmann_outcome<T>(input));
  }
}

}  // namespace

TEST_CASE("json coding: decodes and encodes as nlohmann does, mistyped input included") {
  check_like_nlohmann<bool>();
  check_like_nlohmann<std::int32_t>();
  check_like_nlohmann<std::int64_t>();
  check_like_nlohmann<double>();
  check_like_nlohmann<std::string>();
  check_like_nlohmann<json>();
  check_like_nlohmann<std::vector<std::int64_t>>();
  check_like_nlohmann<std::vector<bool>>();
  check_like_nlohmann<std::vector<std::string>>();
  check_like_nlohmann<std::vector<std::vector<std::int32_t>>>();
  check_like_nlohmann<std::vector<json>>();
  check_like_nlohmann<std::map<std::string, std::int64_t>>();
  check_like_nlohmann<std::map<std::string, std::string>>();
  check_like_nlohmann<std::map<std::string, std::vector<double>>>();
  check_like_nlohmann<std::optional<std::string>>();
  check_like_nlohmann<oasgen::Optional<std::int64_t>>();
  check_like_nlohmann<std::vector<oasgen::Optional<std::string>>>();
  check_like_nlohmann<std::map<std::string, std::optional<std::int32_t>>>();
}

TEST_CASE("json coding: a file is its bytes as a string") {
  oasgen::File file;
  oasgen::decode_json(json("bytes"), file);
  CHECK(file.data == "bytes");
  json out;
  oasgen::encode_json(out, file);
  CHECK(out == json("bytes"));
  CHECK_THROWS_WITH_AS(oasgen::decode_json(json(1), file),
                       "[json.exception.type_error.302] type must be string, but is number", json::type_error);
}

TEST_CASE("json coding: decoding replaces what the value held") {
  std::vector<std::int32_t> items{9, 9, 9, 9};
  oasgen::decode_json(json::parse("[1,2]"), items);
  CHECK(items == std::vector<std::int32_t>{1, 2});
  std::map<std::string, std::string> members{{"old", "x"}};
  oasgen::decode_json(json::parse(R"({"a":"b"})"), members);
  CHECK(members == std::map<std::string, std::string>{{"a", "b"}});
  oasgen::Optional<std::string> optional = std::string("old");
  oasgen::decode_json(json(nullptr), optional);
  CHECK(!optional);
  oasgen::decode_json(json("new"), optional);
  CHECK(*optional == "new");
}

TEST_CASE("json coding: member lookup throws what at() throws and finds what find() finds") {
  const json object = json::parse(R"({"a":1,"ab":2})");
  CHECK(oasgen::member_at(object, "ab") == json(2));
  CHECK(oasgen::find_member(object, "a") == &object.at("a"));
  CHECK(oasgen::find_member(object, "b") == nullptr);
  CHECK(oasgen::find_member(json("a"), "a") == nullptr);
  CHECK(oasgen::has_member(object, "ab"));
  CHECK(!oasgen::has_member(object, "abc"));
  CHECK(!oasgen::has_member(json::array(), "a"));
  CHECK_THROWS_WITH_AS(oasgen::member_at(object, "b"), "[json.exception.out_of_range.403] key 'b' not found",
                       json::out_of_range);
  CHECK_THROWS_WITH_AS(oasgen::member_at(json(3), "a"), "[json.exception.type_error.304] cannot use at() with number",
                       json::type_error);
  CHECK_THROWS_WITH_AS(oasgen::string_ref(json(3)),
                       "[json.exception.type_error.303] incompatible ReferenceType for get_ref, actual type is number",
                       json::type_error);
  CHECK(oasgen::string_ref(json("s")) == "s");
}

TEST_CASE("json coding: members are added as operator[] adds them, in key order") {
  json object;
  oasgen::encode_json(oasgen::add_member(object, "b"), std::int64_t{2});
  oasgen::encode_json(oasgen::add_member(object, "a"), std::string("x"));
  oasgen::encode_json(oasgen::add_member(object, "c"), std::optional<std::int32_t>());
  CHECK(object.dump() == R"({"a":"x","b":2,"c":null})");
}
