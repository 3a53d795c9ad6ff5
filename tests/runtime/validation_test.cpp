#include "oasgen/validation.hpp"

#include <doctest/doctest.h>

#include <functional>

using nlohmann::json;
using oasgen::JsonType;
using oasgen::Validator;

namespace {

// "pointer keyword: message" per error, the shape every case compares.
std::vector<std::string> run(const std::function<void(Validator&)>& check) {
  Validator validator;
  check(validator);
  std::vector<std::string> lines;
  for (const auto& error : validator.errors()) {
    lines.push_back(error.pointer + " " + error.keyword + ": " + error.message);
  }
  return lines;
}

using Lines = std::vector<std::string>;

}  // namespace

TEST_CASE("validation: type reports the expected set and the actual type") {
  struct Case {
    json value;
    JsonType allowed;
    Lines expected;
  };
  std::vector<Case> cases = {
      {"7", JsonType::Integer, {" type: expected integer, got string"}},
      {7, JsonType::Integer, {}},
      {1.0, JsonType::Integer, {}},
      {1.5, JsonType::Integer, {" type: expected integer, got number"}},
      {1.5, JsonType::Number, {}},
      {-3, JsonType::Number, {}},
      {true, JsonType::Number, {" type: expected number, got boolean"}},
      {true, JsonType::Integer | JsonType::Null, {" type: expected integer or null, got boolean"}},
      {nullptr, JsonType::Integer | JsonType::Null, {}},
      {json::array(),
       JsonType::String | JsonType::Integer | JsonType::Null,
       {" type: expected integer, string or null, got array"}},
      {json::object(), JsonType::Array, {" type: expected array, got object"}},
      {"x", JsonType::Integer | JsonType::Number, {" type: expected number, got string"}},
      {nullptr, JsonType::Boolean, {" type: expected boolean, got null"}},
  };
  for (const Case& c : cases) {
    CAPTURE(c.value.dump());
    CHECK(run([&](Validator& v) { CHECK(v.type(c.value, c.allowed) == c.expected.empty()); }) ==
          c.expected);
  }
}

TEST_CASE("validation: pointers escape '~' and '/' and restore on scope exit") {
  Validator v;
  {
    auto a = v.enter("a/b");
    auto b = v.enter("m~n");
    auto c = v.enter(std::size_t{3});
    CHECK(v.pointer() == "/a~1b/m~0n/3");
    v.fail("const", "x");
  }
  CHECK(v.pointer().empty());
  {
    auto at = v.enter(oasgen::Location::Header);
    auto name = v.enter("X-Id");
    CHECK(v.location() == oasgen::Location::Header);
    v.fail("type", "y");
  }
  CHECK(v.location() == oasgen::Location::Body);
  {
    auto at = v.enter(oasgen::Location::Query, "a/b~");
    CHECK(v.pointer() == "/a~1b~0");
    CHECK(v.location() == oasgen::Location::Query);
  }
  CHECK(v.pointer().empty());
  CHECK(v.location() == oasgen::Location::Body);
  REQUIRE(v.errors().size() == 2);
  CHECK(v.errors()[0].pointer == "/a~1b/m~0n/3");
  CHECK(v.errors()[0].location == oasgen::Location::Body);
  CHECK(v.errors()[1].pointer == "/X-Id");
  CHECK(v.errors()[1].location == oasgen::Location::Header);
}

TEST_CASE("validation: member_type and member check a present member at its pointer") {
  const json object = {{"a/b", "x"}, {"n", 1.5}, {"ok", 2}};
  const auto positive = [](const json& value, Validator& v) { v.minimum(value, 0, true); };
  const auto not_object = [](const json&, Validator& v) { v.fail("x", "not called on a missing member"); };
  CHECK(run([&](Validator& v) {
          v.member_type(object, "a/b", JsonType::Integer);
          v.member_type(object, "ok", JsonType::Integer);
          v.member_type(object, "missing", JsonType::Integer);
          v.member(object, "n", +[](const json& value, Validator& v) { v.maximum(value, 1); });
          v.member(object, "ok", positive);
          v.member(object, "missing", not_object);
          v.member_type(json(7), "a/b", JsonType::Integer);
          CHECK(v.pointer().empty());
        }) == Lines{"/a~1b type: expected integer, got string", "/n maximum: must be <= 1"});
}

TEST_CASE("validation: Scope::ok tells whether its value failed; moving keeps one restore") {
  Validator v;
  auto outer = v.enter("outer");
  {
    auto first = v.enter("first");
    CHECK(first.ok());
    v.fail("minimum", "m");
    CHECK_FALSE(first.ok());
  }
  auto make = [&v] { return v.enter("second"); };
  {
    Validator::Scope second = make();
    CHECK(v.pointer() == "/outer/second");
    CHECK(second.ok());
  }
  CHECK(v.pointer() == "/outer");
  CHECK_FALSE(outer.ok());
}

TEST_CASE("validation: errors past the cap are counted, not stored") {
  Validator v(2);
  for (int i = 0; i < 5; ++i) v.fail("type", "t" + std::to_string(i));
  CHECK(v.errors().size() == 2);
  CHECK(v.error_count() == 5);
  CHECK_FALSE(v.ok());
}

TEST_CASE("validation: the same error at the same place is reported once") {
  // allOf parts that each check the type find the same fault.
  Validator v;
  v.type(json("x"), JsonType::Object);
  v.type(json("x"), JsonType::Object);
  {
    auto at = v.enter("a");
    v.type(json("x"), JsonType::Object);
  }
  CHECK(v.errors().size() == 2);
}

TEST_CASE("validation: a location starts only at the top") {
  Validator v;
  auto at = v.enter("a");
  CHECK_THROWS_AS((void)v.enter(oasgen::Location::Query), std::logic_error);
}

TEST_CASE("validation: required points at each missing member") {
  json pet = {{"name", "Rex"}};
  CHECK(run([&](Validator& v) {
          v.required(pet, {"name", "id", "a/b"});
        }) == Lines{"/id required: missing required property 'id'",
                    "/a~1b required: missing required property 'a/b'"});
}

TEST_CASE("validation: keyword messages") {
  struct Case {
    std::string name;
    std::function<void(Validator&)> check;
    Lines expected;
  };
  std::vector<Case> cases = {
      {"minLength",
       [](Validator& v) { v.min_length("ab", 3); },
       {" minLength: must be at least 3 characters long"}},
      {"minLength 1",
       [](Validator& v) { v.min_length("", 1); },
       {" minLength: must be at least 1 character long"}},
      {"minLength code points", [](Validator& v) { v.min_length("\xC3\xA9\xE2\x82\xAC", 2); }, {}},
      {"maxLength code points", [](Validator& v) { v.max_length("\xF0\x9F\x98\x80", 1); }, {}},
      {"maxLength",
       [](Validator& v) { v.max_length("abcd", 3); },
       {" maxLength: must be at most 3 characters long"}},
      {"maximum", [](Validator& v) { v.maximum(101, 100); }, {" maximum: must be <= 100"}},
      {"maximum ok", [](Validator& v) { v.maximum(100, 100); }, {}},
      {"exclusiveMaximum",
       [](Validator& v) { v.maximum(100, 100, true); },
       {" exclusiveMaximum: must be < 100"}},
      {"minimum", [](Validator& v) { v.minimum(-0.5, 0); }, {" minimum: must be >= 0"}},
      {"exclusiveMinimum",
       [](Validator& v) { v.minimum(0.5, 0.5, true); },
       {" exclusiveMinimum: must be > 0.5"}},
      {"enum",
       [](Validator& v) {
         v.enum_strings("lost", {"available", "pending", "sold"});
       },
       {R"( enum: must be one of "available", "pending", "sold")"}},
      {"enum ok",
       [](Validator& v) {
         v.enum_strings("sold", {"available", "pending", "sold"});
       },
       {}},
      {"enum values",
       [](Validator& v) {
         v.enum_values(3, json::array({1, "two", nullptr}));
       },
       {R"( enum: must be one of 1, "two", null)"}},
      {"enum values numeric equality",
       [](Validator& v) { v.enum_values(1.0, json::array({1})); },
       {}},
      {"const", [](Validator& v) { v.const_value("b", "a"); }, {R"( const: must be "a")"}},
      {"pattern",
       [](Validator& v) { v.pattern("ABC", oasgen::Regex("^[a-z]+$")); },
       {" pattern: must match the pattern ^[a-z]+$"}},
      {"pattern ok", [](Validator& v) { v.pattern("abc", oasgen::Regex("^[a-z]+$")); }, {}},
      {"format",
       [](Validator& v) { v.format("yesterday", oasgen::Format::DateTime); },
       {" format: must be a valid date-time"}},
      {"format uri-reference",
       [](Validator& v) { v.format("a b", oasgen::Format::UriReference); },
       {" format: must be a valid uri-reference"}},
      {"minItems",
       [](Validator& v) { v.min_items(json::array({1}), 2); },
       {" minItems: must have at least 2 items"}},
      {"maxItems",
       [](Validator& v) {
         v.max_items(json::array({1, 2}), 1);
       },
       {" maxItems: must have at most 1 item"}},
      {"uniqueItems",
       [](Validator& v) {
         v.unique_items(json::array({1, 2, 1.0, 2}));
       },
       {" uniqueItems: items 0 and 2 are equal"}},
      {"uniqueItems objects",
       [](Validator& v) { v.unique_items(json::parse(R"([{"a":1,"b":[1]},{"b":[1],"a":1}])")); },
       {" uniqueItems: items 0 and 1 are equal"}},
      {"uniqueItems ok",
       [](Validator& v) { v.unique_items(json::parse(R"([1,"1",true,[1],{"a":1}])")); },
       {}},
      {"minProperties",
       [](Validator& v) { v.min_properties(json::object(), 1); },
       {" minProperties: must have at least 1 property"}},
      {"maxProperties",
       [](Validator& v) {
         v.max_properties(json{{"a", 1}, {"b", 2}}, 1);
       },
       {" maxProperties: must have at most 1 property"}},
      {"additionalProperties",
       [](Validator& v) {
         v.no_additional_properties(json{{"name", 1}, {"x", 2}, {"~y", 3}}, {"name"});
       },
       {"/x additionalProperties: unexpected property 'x'",
        "/~0y additionalProperties: unexpected property '~y'"}},
      {"unevaluatedProperties",
       [](Validator& v) {
         auto at = v.enter("a/b");
         v.unevaluated_property("a/b");
       },
       {"/a~1b unevaluatedProperties: unexpected property 'a/b': no applicable part of the schema "
        "declares it"}},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    CHECK(run(c.check) == c.expected);
  }
}

TEST_CASE("validation: bounds compare integers exactly") {
  // 2^53 + 1 is not a double; a comparison through double would call it equal to 2^53.
  json big = 9007199254740993LL;
  CHECK(run([&](Validator& v) { v.maximum(big, 9007199254740992.0); }) ==
        Lines{" maximum: must be <= 9007199254740992"});
  CHECK(run([&](Validator& v) { v.minimum(big, 9007199254740992.0, true); }).empty());
  json max_u64 = std::numeric_limits<std::uint64_t>::max();
  CHECK(run([&](Validator& v) { v.maximum(max_u64, 1e19); }) ==
        Lines{" maximum: must be <= 1e+19"});
  CHECK(run([&](Validator& v) { v.minimum(json(-5), -4.5); }) ==
        Lines{" minimum: must be >= -4.5"});
  CHECK(run([&](Validator& v) { v.minimum(json(-4), -4.5); }).empty());
  CHECK(run([&](Validator& v) { v.maximum(json(3), 3.0); }).empty());
  CHECK(run([&](Validator& v) { v.maximum(json(4), 3.5); }) == Lines{" maximum: must be <= 3.5"});
}

TEST_CASE("validation: multipleOf is exact for integers and tolerant for doubles") {
  struct Case {
    json value;
    double factor;
    bool ok;
  };
  std::vector<Case> cases = {
      {10, 5, true},
      {10, 3, false},
      {json(9007199254740993LL), 3, true},  // through double it would round to ...992
      {json(9007199254740993LL), 2, false},
      {json(std::numeric_limits<std::int64_t>::min()), 2, true},
      {json(std::numeric_limits<std::uint64_t>::max()), 5, true},
      {0.3, 0.1, true},
      {19.99, 0.01, true},
      {0.0075, 0.0001, true},
      {1.5, 0.5, true},
      {1.6, 0.5, false},
      {7, 0.5, true},
      {1000000.001, 1, false},
  };
  for (const Case& c : cases) {
    CAPTURE(c.value.dump());
    CAPTURE(c.factor);
    Lines lines = run([&](Validator& v) { v.multiple_of(c.value, c.factor); });
    CHECK(lines.empty() == c.ok);
  }
  CHECK(run([](Validator& v) { v.multiple_of(10, 3); }) ==
        Lines{" multipleOf: must be a multiple of 3"});
  CHECK(run([](Validator& v) { v.multiple_of(0.25, 0.1); }) ==
        Lines{" multipleOf: must be a multiple of 0.1"});
}

TEST_CASE("validation: code points of UTF-8") {
  CHECK(oasgen::code_point_count("") == 0);
  CHECK(oasgen::code_point_count("abc") == 3);
  CHECK(oasgen::code_point_count("\xC3\xA9t\xC3\xA9") == 3);
  CHECK(oasgen::code_point_count("\xF0\x9F\x98\x80!") == 2);
}

TEST_CASE("validation: generated-style code collects every failure with its pointer") {
  json pet = json::parse(R"({"name": "", "tags": ["a", 7], "status": "lost", "extra": true})");
  Validator v;
  if (v.type(pet, JsonType::Object)) {
    v.required(pet, {"name", "id"});
    v.no_additional_properties(pet, {"id", "name", "tags", "status"});
    if (auto it = pet.find("name"); it != pet.end()) {
      auto at = v.enter("name");
      if (v.type(*it, JsonType::String)) v.min_length(*it, 1);
    }
    if (auto it = pet.find("tags"); it != pet.end()) {
      auto at = v.enter("tags");
      if (v.type(*it, JsonType::Array)) {
        for (std::size_t i = 0; i < it->size(); ++i) {
          auto item = v.enter(i);
          v.type((*it)[i], JsonType::String);
        }
      }
    }
    if (auto it = pet.find("status"); it != pet.end()) {
      auto at = v.enter("status");
      v.enum_strings(*it, {"available", "sold"});
    }
  }
  std::vector<std::string> lines;
  for (const auto& e : v.errors()) lines.push_back(e.pointer + " " + e.keyword + ": " + e.message);
  CHECK(lines == Lines{
                     "/id required: missing required property 'id'",
                     "/extra additionalProperties: unexpected property 'extra'",
                     "/name minLength: must be at least 1 character long",
                     "/tags/1 type: expected string, got integer",
                     R"(/status enum: must be one of "available", "sold")",
                 });
}

TEST_CASE("validation: failures inside a trial are counted, not recorded") {
  Validator v;
  auto outer = v.trial();
  v.fail("type", "t");
  {
    auto inner = v.trial();
    CHECK(inner.end());  // nothing failed inside the inner trial
  }
  CHECK_FALSE(outer.end());
  CHECK(v.errors().empty());
  CHECK(v.ok());
  // After the trials, failures are recorded again.
  v.fail("type", "recorded");
  CHECK(v.errors().size() == 1);
}

TEST_CASE("validation: failures inside a finished inner trial do not fail the outer one") {
  // anyOf inside an anyOf alternative: the inner alternative that fails is not the outer's fault.
  Validator v;
  auto outer = v.trial();
  std::size_t matched = 0;
  {
    auto inner = v.trial();
    v.fail("type", "first alternative fails");
    if (inner.end()) ++matched;
  }
  {
    auto inner = v.trial();
    if (inner.end()) ++matched;
  }
  v.any_of(matched);
  CHECK(outer.end());
  auto at = v.enter("x");
  {
    auto unfinished = v.trial();
    v.fail("type", "t");
  }
  CHECK(at.ok());
}

TEST_CASE("validation: a scope inside a trial still sees its failures") {
  Validator v;
  auto trial = v.trial();
  auto at = v.enter("a");
  v.minimum(json(1), 2);
  CHECK_FALSE(at.ok());
  CHECK_FALSE(trial.end());
  CHECK(v.errors().empty());
}

TEST_CASE("validation: composition, readOnly/writeOnly and object keyword messages") {
  struct Case {
    std::string name;
    std::function<void(Validator&)> check;
    Lines expected;
  };
  const json object = {{"a", 1}, {"b", 2}};
  std::vector<Case> cases = {
      {"anyOf", [](Validator& v) { v.any_of(0); }, {" anyOf: must match at least one schema of anyOf"}},
      {"anyOf ok", [](Validator& v) { v.any_of(2); }, {}},
      {"oneOf none",
       [](Validator& v) { v.one_of(0); },
       {" oneOf: must match exactly one schema of oneOf, matched none"}},
      {"oneOf several",
       [](Validator& v) { v.one_of(2); },
       {" oneOf: must match exactly one schema of oneOf, matched several"}},
      {"oneOf ok", [](Validator& v) { v.one_of(1); }, {}},
      {"not", [](Validator& v) { v.not_schema(true); }, {" not: must not match the schema of not"}},
      {"false", [](Validator& v) { v.never(json()); }, {" false: no value is allowed here"}},
      {"dependentRequired",
       [&](Validator& v) { v.dependent_required(object, "a", {"b", "c"}); },
       {"/c dependentRequired: missing property 'c', required when 'a' is present"}},
      {"dependentRequired absent", [&](Validator& v) { v.dependent_required(object, "x", {"c"}); }, {}},
      {"contains",
       [](Validator& v) { v.contains(json::array({1}), 0); },
       {" contains: must contain at least 1 item matching the schema"}},
      {"minContains",
       [](Validator& v) { v.contains(json::array({1}), 1, 2); },
       {" minContains: must contain at least 2 items matching the schema"}},
      {"maxContains",
       [](Validator& v) { v.contains(json::array({1, 1}), 2, 0, 1); },
       {" maxContains: must contain at most 1 item matching the schema"}},
      {"contains ignores non-arrays", [](Validator& v) { v.contains(json::object(), 0); }, {}},
      {"no additional items",
       [](Validator& v) { v.no_additional_items(json::array({1, 2, 3}), 2); },
       {"/2 items: must have at most 2 items"}},
      {"int32",
       [](Validator& v) { v.format(json(2147483648LL), oasgen::Format::Int32); },
       {" format: must be an integer from -2147483648 to 2147483647"}},
      {"int64 unsigned",
       [](Validator& v) { v.format(json(9223372036854775808ULL), oasgen::Format::Int64); },
       {" format: must be an integer from -9223372036854775808 to 9223372036854775807"}},
      {"int32 fraction",
       [](Validator& v) { v.format(json(1.5), oasgen::Format::Int32); },
       {" format: must be an integer from -2147483648 to 2147483647"}},
      {"int32 1.0", [](Validator& v) { v.format(json(1.0), oasgen::Format::Int32); }, {}},
      {"int32 ignores strings", [](Validator& v) { v.format(json("x"), oasgen::Format::Int32); }, {}},
      {"float", [](Validator& v) { v.format(json(1e39), oasgen::Format::Float); },
       {" format: must be within the range of a float"}},
      {"double", [](Validator& v) { v.format(json(1e300), oasgen::Format::Double); }, {}},
      {"date ignores numbers", [](Validator& v) { v.format(json(7), oasgen::Format::Date); }, {}},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    CHECK(run(c.check) == c.expected);
  }
}

TEST_CASE("validation: readOnly and writeOnly depend on the direction") {
  const json pet = {{"name", "Rex"}};
  struct Case {
    oasgen::Direction direction;
    Lines expected;
  };
  std::vector<Case> cases = {
      {oasgen::Direction::Any, {"/id required: missing required property 'id'",
                                "/secret required: missing required property 'secret'"}},
      {oasgen::Direction::Request,
       {"/secret required: missing required property 'secret'",
        "/id readOnly: is read-only and must not be sent in a request"}},
      {oasgen::Direction::Response,
       {"/id required: missing required property 'id'",
        "/secret writeOnly: is write-only and must not appear in a response"}},
  };
  for (const Case& c : cases) {
    CAPTURE(static_cast<int>(c.direction));
    Validator v(c.direction);
    v.required_except(oasgen::Direction::Request, pet, {"id"});
    v.required_except(oasgen::Direction::Response, pet, {"secret"});
    {
      auto at = v.enter("id");
      v.read_only(pet);
    }
    {
      auto at = v.enter("secret");
      v.write_only(pet);
    }
    Lines lines;
    for (const auto& e : v.errors()) lines.push_back(e.pointer + " " + e.keyword + ": " + e.message);
    CHECK(lines == c.expected);
  }
}

TEST_CASE("validation: member names against patternProperties patterns") {
  Validator v;
  const oasgen::Regex regex("^x-");
  CHECK(v.name_matches("x-rate", regex));
  CHECK_FALSE(v.name_matches("rate", regex));
  const oasgen::Regex catastrophic("^(a+)+$");
  auto at = v.enter("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab");
  CHECK_FALSE(v.name_matches(std::string(50, 'a') + "b", catastrophic));
  REQUIRE(v.errors().size() == 1);
  CHECK(v.errors()[0].keyword == "patternProperties");
}

TEST_CASE("validation: the discriminator value is a string member of an object") {
  CHECK(*oasgen::discriminator_value(json{{"kind", "cat"}}, "kind") == "cat");
  CHECK(oasgen::discriminator_value(json{{"kind", 1}}, "kind") == nullptr);
  CHECK(oasgen::discriminator_value(json{{"other", "cat"}}, "kind") == nullptr);
  CHECK(oasgen::discriminator_value(json::array(), "kind") == nullptr);
}

TEST_CASE("validation: a string that is not UTF-8 fails type") {
  struct Case {
    std::string text;
    bool valid;
  };
  std::vector<Case> cases = {
      {"plain", true},
      {"\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80", true},
      {"\xC0\x80", false},          // overlong
      {"\xED\xA0\x80", false},      // a surrogate
      {"\xF4\x90\x80\x80", false},  // past U+10FFFF
      {"\xE2\x82", false},          // truncated
      {"\x80", false},              // a lone continuation byte
  };
  for (const Case& c : cases) {
    CAPTURE(c.text);
    CHECK(oasgen::is_utf8(c.text) == c.valid);
    Lines expected;
    if (!c.valid) expected.push_back(" type: must be valid UTF-8 text");
    CHECK(run([&](Validator& v) { CHECK(v.type(json(c.text), JsonType::String) == c.valid); }) == expected);
  }
}

TEST_CASE("validation: readOnly and writeOnly do not decide whether an alternative matches") {
  // As a generated anyOf runs an alternative: inside a trial, a writeOnly member of a response
  // neither fails the alternative nor is reported.
  Validator v(oasgen::Direction::Response);
  auto at = v.enter(oasgen::Location::Body);
  auto trial = v.trial();
  {
    auto member = v.enter("cvc");
    v.write_only(json(123));
  }
  CHECK(trial.end());
  v.write_only(json(123));  // outside a trial it is reported
  CHECK(v.errors().size() == 1);
}
