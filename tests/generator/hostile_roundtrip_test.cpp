// The hostile-names spec: generated at build time, compiled, and its types carry the original,
// hostile names on the wire.
#include <doctest/doctest.h>

#include "hostile/models.hpp"
#include "hostile/server.hpp"

namespace {

template <typename T>
void check_round_trip(const nlohmann::json& wire, void (*validate)(const nlohmann::json&, oasgen::Validator&)) {
  oasgen::Validator v;
  validate(wire, v);
  for (const auto& e : v.errors()) FAIL_CHECK(e.pointer << ": " << e.message);
  const T value = wire.get<T>();
  CHECK(nlohmann::json(value) == wire);
  // The JSON writer gives the bytes nlohmann's dump gives.
  CHECK(oasgen::to_json_text(value) ==
        nlohmann::json(value).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

}  // namespace

TEST_CASE("hostile: member names that are not identifiers keep their names on the wire") {
  const auto wire = nlohmann::json::parse(R"({
    "2fa": "a", "pet-id": 1, "pet.id": 2, "pet id": 3, "日本": "x", "café": "y", "🐶 emoji": true,
    "*/ we\"ird \\ #include <cstdlib>": "z", "??/": "q", "{{mustache}}": "m", "${x}": "d"})");
  check_round_trip<hostile::N2faTokenV1>(wire, hostile::validate_n2fa_token_v1);
  const auto token = wire.get<hostile::N2faTokenV1>();
  CHECK(token.n2fa == "a");
  CHECK(token.u1f436_emoji == true);
}

TEST_CASE("hostile: keyword-named members round-trip, recursion included") {
  const auto wire = nlohmann::json::parse(R"({
    "class": "</script>", "new": 1, "delete": true, "default": "d", "namespace": "::", "int": 5,
    "auto": 1.5, "this": [{"class": "inner", "new": 2}]})");
  check_round_trip<hostile::Class>(wire, hostile::validate_class_);
  const auto value = wire.get<hostile::Class>();
  CHECK(value.namespace_ == hostile::ClassNamespace::kUnnamed);
  REQUIRE(value.this_);
  CHECK(value.this_->at(0).class_ == "inner");
}

TEST_CASE("hostile: additionalProperties false still applies to keyword-named members") {
  oasgen::Validator v;
  hostile::validate_class_(nlohmann::json::parse(R"({"class": "x", "new": 1, "extends": 2})"), v);
  REQUIRE(v.errors().size() == 1);
  CHECK(v.errors()[0].pointer == "/extends");
}

TEST_CASE("hostile: every enum value survives parse and to_string") {
  for (const char* wire : {"NULL", "DELETE", "TRUE", "default", "class", "*/", "/*", "\"", "\\",
                           "ends with a backslash \\", "two\nlines", "#include <cstdlib>", "?\?/",
                           "?\?=", "</script>", "${x}", "{{mustache}}", "é", "日本", "🐶", "a-b",
                           "a_b", "A B", "a.b", "", "2fa"}) {
    CAPTURE(wire);
    const auto value = hostile::parse_null(wire);
    REQUIRE(value.has_value());
    CHECK(hostile::to_string(*value) == wire);
    check_round_trip<hostile::Null>(nlohmann::json(wire), hostile::validate_null);
  }
  CHECK_FALSE(hostile::parse_null("null").has_value());
}
