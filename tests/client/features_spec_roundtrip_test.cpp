// The generated client against the generated server for specs/features.yaml, in-process over
// 127.0.0.1: every operation, its parameters and body as the handler receives them, and its
// declared response (including each oneOf alternative) as the client decodes it.
#include <doctest/doctest.h>

#include "features/client.hpp"
#include "features/server.hpp"
#include "../e2e/features_echo.hpp"
#include "served.hpp"

namespace {

using nlohmann::json;

template <typename T>
T from(const char* text) {
  return json::parse(text).get<T>();
}

}  // namespace

TEST_CASE("features spec round trip: path, query, header and cookie styles") {
  Echo echo;
  Served served(echo);
  features::Client client(served.url());
  features::PathStylesRequest path;
  path.simple = {1, 2, 3};
  path.label = {"a", "b"};
  path.matrix = {"x", "y"};
  path.exploded = from<features::Color>(R"({"R": 1, "G": 2, "B": 3})");
  CHECK(expect<features::PathStylesOk>(client.path_styles(path)).body ==
        json::parse(R"({"simple": [1, 2, 3], "label": ["a", "b"], "matrix": ["x", "y"],
                        "exploded": {"R": 1, "G": 2, "B": 3}})"));

  features::QueryStylesRequest query;
  query.form = std::vector<std::int64_t>{1, 2};
  query.repeated = std::vector<bool>{true, false};
  query.spaced = std::vector<std::string>{"a", "c"};
  query.piped = std::vector<double>{1.5, 2};
  query.deep = from<features::Color>(R"({"R": 1, "G": 2})");
  query.flat = from<features::Color>(R"({"R": 3, "G": 4})");
  query.count = 9;
  CHECK(expect<features::QueryStylesOk>(client.query_styles(query)).body ==
        json::parse(R"({"form": [1, 2], "repeated": [true, false], "spaced": ["a", "c"],
                        "piped": [1.5, 2], "deep": {"R": 1, "G": 2}, "flat": {"R": 3, "G": 4},
                        "count": 9})"));
  CHECK(expect<features::QueryStylesOk>(client.query_styles({})).body["count"] == 3);

  features::HeaderCookieStylesRequest fields;
  fields.x_ids = {1, 2};
  fields.x_color = from<features::Color>(R"({"R": 5, "G": 6})");
  fields.session = "abcd; x=1";
  fields.tags = std::vector<std::string>{"x", "y,z"};
  CHECK(expect<features::HeaderCookieStylesOk>(client.header_cookie_styles(fields)).body ==
        json::parse(R"({"ids": [1, 2], "color": {"R": 5, "G": 6}, "session": "abcd; x=1",
                        "tags": ["x", "y,z"]})"));
}

TEST_CASE("features spec round trip: every oneOf alternative goes out and comes back typed") {
  Echo echo;
  Served served(echo);
  features::Client client(served.url());
  const char* pets[] = {R"({"kind": "cat", "name": "Tom", "lives": 7})",
                        R"({"kind": "dog", "name": "Rex", "good": true})"};
  for (std::size_t i = 0; i < 2; ++i) {
    CAPTURE(pets[i]);
    auto result = client.add_pet({from<features::Pet>(pets[i])});
    const auto& pet = expect<features::AddPetOk>(result).body;
    CHECK(pet.value.index() == i);
    CHECK(served.handler.alternative == i);
    CHECK(json(pet) == json::parse(pets[i]));
  }
  const char* shapes[] = {R"({"radius": 2.5})", R"({"width": 1, "height": 2})"};
  for (std::size_t i = 0; i < 2; ++i) {
    auto result = client.add_shape({from<features::Shape>(shapes[i])});
    CHECK(expect<features::AddShapeOk>(result).body.value.index() == i);
    CHECK(served.handler.alternative == i);
  }
  const char* values[] = {R"("short")", "42", R"(["a", "b"])", R"({"R": 1, "G": 2})"};
  for (std::size_t i = 0; i < 4; ++i) {
    CAPTURE(values[i]);
    auto result = client.add_value({from<features::Value>(values[i])});
    const auto& value = expect<features::AddValueOk>(result).body;
    CHECK(value.value.index() == i);
    CHECK(json(value) == json::parse(values[i]));
  }
  // A value the server refuses: its 422 is not declared, and arrives as a typed problem.
  auto refused = client.add_value({from<features::Value>(R"("far too long for ten")")});
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().status == 422);
  REQUIRE(refused.error().problem);
  CHECK_FALSE(refused.error().problem->errors.empty());
}

TEST_CASE("features spec round trip: typed and raw bodies") {
  Echo echo;
  Served served(echo);
  features::Client client(served.url());
  const auto signup = json::parse(
      R"({"email": "a@b.co", "age": 20, "newsletter": true, "interests": ["x", "y"]})");
  CHECK(expect<features::SubmitFormOk>(client.submit_form({signup.get<features::Signup>()})).body ==
        signup);
  oasgen::RawBody bytes{"", std::string("\x01\x02zz", 4)};
  CHECK(expect<features::UploadOk>(client.upload({bytes})).body ==
        json({{"media_type", "application/octet-stream"}, {"data", bytes.data}}));
  oasgen::RawBody text{"text/plain; charset=utf-8", "hello"};
  CHECK(expect<features::UploadOk>(client.upload({text})).body ==
        json({{"media_type", "text/plain"}, {"data", "hello"}}));
}
