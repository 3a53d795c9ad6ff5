#include "oasgen/params.hpp"

#include <doctest/doctest.h>

using nlohmann::json;
using oasgen::JsonType;
using oasgen::Location;
using oasgen::ParamShape;
using oasgen::ParamSpec;
using oasgen::ParamStyle;

namespace {

struct Case {
  std::string input;  // the query, the path parameter value, the header value or the Cookie header
  ParamSpec spec;
  std::optional<json> expected;
  std::vector<std::string> errors = {};  // "location pointer keyword: message"
};

ParamSpec spec(Location in, ParamStyle style, bool explode, ParamShape shape,
               JsonType scalar = JsonType::String, std::string_view name = "color") {
  ParamSpec s;
  s.name = name;
  s.in = in;
  s.style = style;
  s.explode = explode;
  s.shape = shape;
  s.scalar = scalar;
  return s;
}

void run(const std::vector<Case>& cases) {
  for (const Case& c : cases) {
    oasgen::Request request;
    request.target = "/x";
    switch (c.spec.in) {
      case Location::Query:
        request.target += "?" + c.input;
        break;
      case Location::Path:
        request.path_params = {{"other", "1"}, {std::string(c.spec.name), c.input}};
        break;
      case Location::Header:
        request.headers.add(std::string(c.spec.name), c.input);
        break;
      case Location::Cookie:
        request.headers.add("Cookie", c.input);
        break;
      case Location::Body:
        break;
    }
    oasgen::Validator validator;
    auto value = oasgen::decode_param(request, c.spec, validator);
    std::vector<std::string> errors;
    for (const auto& e : validator.errors()) {
      errors.push_back(std::string(oasgen::to_string(e.location)) + " " + e.pointer + " " +
                       e.keyword + ": " + e.message);
    }
    CAPTURE(c.input);
    CAPTURE(static_cast<int>(c.spec.style));
    CAPTURE(c.spec.explode);
    CHECK(value == c.expected);
    CHECK(errors == c.errors);
    CHECK(validator.pointer().empty());
    CHECK(validator.location() == Location::Body);
  }
}

const json kRgb = {{"R", 100}, {"G", 200}, {"B", 150}};
const json kColors = {"blue", "black", "brown"};

}  // namespace

TEST_CASE("params: path styles from the OpenAPI style examples") {
  using S = ParamStyle;
  using P = ParamShape;
  auto path = [](S style, bool explode, P shape, JsonType scalar = JsonType::String) {
    return spec(Location::Path, style, explode, shape, scalar);
  };
  run({
      {"blue", path(S::Simple, false, P::Scalar), "blue"},
      {"blue,black,brown", path(S::Simple, false, P::Array), kColors},
      {"blue,black,brown", path(S::Simple, true, P::Array), kColors},
      {"R,100,G,200,B,150", path(S::Simple, false, P::Object, JsonType::Integer), kRgb},
      {"R=100,G=200,B=150", path(S::Simple, true, P::Object, JsonType::Integer), kRgb},
      {".blue", path(S::Label, false, P::Scalar), "blue"},
      {".", path(S::Label, false, P::Array), json::array()},
      {".blue,black,brown", path(S::Label, false, P::Array), kColors},
      {".blue.black.brown", path(S::Label, true, P::Array), kColors},
      {".R,100,G,200,B,150", path(S::Label, false, P::Object, JsonType::Integer), kRgb},
      {".R=100.G=200.B=150", path(S::Label, true, P::Object, JsonType::Integer), kRgb},
      {";color=blue", path(S::Matrix, false, P::Scalar), "blue"},
      {";color", path(S::Matrix, false, P::Scalar), ""},
      {";color=blue,black,brown", path(S::Matrix, false, P::Array), kColors},
      {";color=blue;color=black;color=brown", path(S::Matrix, true, P::Array), kColors},
      {";color", path(S::Matrix, true, P::Array), json::array()},
      {";color=R,100,G,200,B,150", path(S::Matrix, false, P::Object, JsonType::Integer), kRgb},
      {";R=100;G=200;B=150", path(S::Matrix, true, P::Object, JsonType::Integer), kRgb},
      {"7", path(S::Simple, false, P::Scalar, JsonType::Integer), 7},
      // The router decoded the value already: a comma in it separates items.
      {"a,b", path(S::Simple, false, P::Array, JsonType::Integer), json{"a", "b"}},
      {"blue",
       path(S::Label, false, P::Scalar),
       std::nullopt,
       {"path /color style: expected a label value starting with '.'"}},
      {";colour=blue",
       path(S::Matrix, false, P::Scalar),
       std::nullopt,
       {"path /color style: expected a matrix value starting with ';color'"}},
      {";color=blue;colour=black",
       path(S::Matrix, true, P::Array),
       std::nullopt,
       {"path /color style: expected a matrix value starting with ';color'"}},
      {"R,100,G",
       path(S::Simple, false, P::Object),
       std::nullopt,
       {"path /color style: expected name,value pairs"}},
      {"R=1,G",
       path(S::Simple, true, P::Object),
       std::nullopt,
       {"path /color style: expected name=value members"}},
      {"R,1,R,2",
       path(S::Simple, false, P::Object),
       std::nullopt,
       {"path /color/R type: expected a single value"}},
  });
}

TEST_CASE("params: query styles from the OpenAPI style examples") {
  using S = ParamStyle;
  using P = ParamShape;
  auto query = [](S style, bool explode, P shape, JsonType scalar = JsonType::String) {
    return spec(Location::Query, style, explode, shape, scalar);
  };
  run({
      {"color=blue", query(S::Form, true, P::Scalar), "blue"},
      {"color=", query(S::Form, true, P::Scalar), ""},
      {"color", query(S::Form, true, P::Scalar), ""},
      {"other=1&color=blue", query(S::Form, false, P::Scalar), "blue"},
      {"color=blue&color=black&color=brown", query(S::Form, true, P::Array), kColors},
      {"color=", query(S::Form, true, P::Array), json::array()},
      {"color=blue,black,brown", query(S::Form, false, P::Array), kColors},
      {"color=", query(S::Form, false, P::Array), json::array()},
      {"R=100&G=200&B=150", query(S::Form, true, P::Object, JsonType::Integer), kRgb},
      // Member names are decoded once, like every query key: "%2541" is "%41", not "A".
      {"a%2541=1&100%25=2", query(S::Form, true, P::Object, JsonType::Integer),
       json{{"a%41", 1}, {"100%", 2}}},
      {"color=R,100,G,200,B,150", query(S::Form, false, P::Object, JsonType::Integer), kRgb},
      {"color=blue%20black%20brown", query(S::SpaceDelimited, false, P::Array), kColors},
      {"color=blue+black+brown", query(S::SpaceDelimited, false, P::Array), kColors},
      {"color=R%20100%20G%20200%20B%20150",
       query(S::SpaceDelimited, false, P::Object, JsonType::Integer), kRgb},
      {"color=blue|black|brown", query(S::PipeDelimited, false, P::Array), kColors},
      {"color=blue%7Cblack%7cbrown", query(S::PipeDelimited, false, P::Array), kColors},
      {"color=R|100|G|200|B|150", query(S::PipeDelimited, false, P::Object, JsonType::Integer),
       kRgb},
      {"color=blue&color=black&color=brown", query(S::PipeDelimited, true, P::Array), kColors},
      {"color[R]=100&color[G]=200&color[B]=150",
       query(S::DeepObject, true, P::Object, JsonType::Integer), kRgb},
      {"color%5BR%5D=100&other[x]=1", query(S::DeepObject, true, P::Object, JsonType::Integer),
       json{{"R", 100}}},
      // Form decoding happens after splitting: an encoded comma is data, '+' is a space.
      {"color=a%2Cb,c+d", query(S::Form, false, P::Array), json{"a,b", "c d"}},
      {"colo%72=x%26y", query(S::Form, true, P::Scalar), "x&y"},
      {"color=%E2%82%AC", query(S::Form, true, P::Scalar), "\xE2\x82\xAC"},
      {"", query(S::Form, true, P::Scalar), std::nullopt},
      {"other=1", query(S::Form, true, P::Array), std::nullopt},
      {"other=1", query(S::DeepObject, true, P::Object), std::nullopt},
      {"color=blue&color=red",
       query(S::Form, true, P::Scalar),
       std::nullopt,
       {"query /color type: expected a single value"}},
      {"color=%zz",
       query(S::Form, true, P::Scalar),
       std::nullopt,
       {"query /color style: malformed percent-encoding"}},
      {"color=a,%2",
       query(S::Form, false, P::Array),
       std::nullopt,
       {"query /color style: malformed percent-encoding"}},
      {"color[a][b]=1",
       query(S::DeepObject, true, P::Object),
       std::nullopt,
       {"query /color style: expected color[name]=value members"}},
      {"color[a]=1&color[a]=2",
       query(S::DeepObject, true, P::Object),
       std::nullopt,
       {"query /color/a type: expected a single value"}},
  });
}

TEST_CASE("params: a missing required parameter is reported at its name") {
  ParamSpec limit =
      spec(Location::Query, ParamStyle::Form, true, ParamShape::Scalar, JsonType::Integer, "limit");
  limit.required = true;
  ParamSpec id = spec(Location::Header, ParamStyle::Simple, false, ParamShape::Scalar,
                      JsonType::String, "X-Request-Id");
  id.required = true;
  ParamSpec session =
      spec(Location::Cookie, ParamStyle::Form, true, ParamShape::Scalar, JsonType::String, "a/b");
  session.required = true;
  run({
      {"other=1",
       limit,
       std::nullopt,
       {"query /limit required: missing required query parameter 'limit'"}},
      {"",
       limit,
       std::nullopt,
       {"query /limit required: missing required query parameter 'limit'"}},
      {"limit=", limit, json("")},
  });
  run({{"x=1",
        session,
        std::nullopt,
        {"cookie /a~1b required: missing required cookie parameter 'a/b'"}}});
  oasgen::Validator validator;
  CHECK(oasgen::decode_param(oasgen::Request{}, id, validator) == std::nullopt);
  REQUIRE(validator.errors().size() == 1);
  CHECK(validator.errors()[0].location == Location::Header);
  CHECK(validator.errors()[0].message == "missing required header parameter 'X-Request-Id'");
}

TEST_CASE("params: scalar conversion") {
  auto query = [](JsonType scalar) {
    return spec(Location::Query, ParamStyle::Form, true, ParamShape::Scalar, scalar, "v");
  };
  const JsonType kInt = JsonType::Integer;
  run({
      {"v=-12", query(kInt), -12},
      {"v=0", query(kInt), 0},
      {"v=18446744073709551615", query(kInt), json(std::numeric_limits<std::uint64_t>::max())},
      {"v=18446744073709551616", query(kInt), "18446744073709551616"},
      {"v=-9223372036854775809", query(kInt), "-9223372036854775809"},
      {"v=1.5", query(kInt), "1.5"},
      {"v=12abc", query(kInt), "12abc"},
      {"v=%2B5", query(kInt), "+5"},
      {"v=+5", query(kInt), " 5"},
      {"v=", query(kInt), ""},
      {"v=1.5", query(JsonType::Number), 1.5},
      {"v=-2e3", query(JsonType::Number), -2000.0},
      {"v=7", query(JsonType::Number), 7},
      {"v=1e999", query(JsonType::Number), "1e999"},
      {"v=.5", query(JsonType::Number), ".5"},
      {"v=nan", query(JsonType::Number), "nan"},
      {"v=true", query(JsonType::Boolean), true},
      {"v=false", query(JsonType::Boolean), false},
      {"v=True", query(JsonType::Boolean), "True"},
      {"v=1", query(JsonType::Boolean), "1"},
      {"v=null", query(kInt | JsonType::Null), nullptr},
      {"v=3", query(kInt | JsonType::Null), 3},
      {"v=null", query(JsonType::String), "null"},
      {"v=7", query(JsonType::String), "7"},
      {"v=7", query(JsonType::String | kInt), 7},
      {"v=1,x,3", spec(Location::Query, ParamStyle::Form, false, ParamShape::Array, kInt, "v"),
       json{1, "x", 3}},
  });
}

TEST_CASE("params: headers are matched case-insensitively and split on commas") {
  auto header = [](bool explode, ParamShape shape, JsonType scalar = JsonType::String) {
    return spec(Location::Header, ParamStyle::Simple, explode, shape, scalar, "X-Color");
  };
  run({
      {" blue ", header(false, ParamShape::Scalar), "blue"},
      {"blue, black ,brown", header(false, ParamShape::Array), kColors},
      {"R,100,G,200,B,150", header(false, ParamShape::Object, JsonType::Integer), kRgb},
      {"R=100, G=200, B=150", header(true, ParamShape::Object, JsonType::Integer), kRgb},
      {"a%20b", header(false, ParamShape::Scalar), "a%20b"},
  });
  oasgen::Request request;
  request.headers.add("x-color", "blue");
  request.headers.add("X-COLOR", "black, brown");
  oasgen::Validator validator;
  CHECK(oasgen::decode_param(request, header(false, ParamShape::Array), validator) == kColors);
  CHECK(oasgen::decode_param(request, header(false, ParamShape::Scalar), validator) ==
        std::nullopt);
  REQUIRE(validator.errors().size() == 1);
  CHECK(validator.errors()[0].pointer == "/X-Color");
  CHECK(validator.errors()[0].message == "expected a single value");
}

TEST_CASE("params: cookies") {
  auto cookie = [](bool explode, ParamShape shape, JsonType scalar = JsonType::String) {
    return spec(Location::Cookie, ParamStyle::Form, explode, shape, scalar);
  };
  run({
      {"a=1; color=blue; b=2", cookie(true, ParamShape::Scalar), "blue"},
      {"color=7", cookie(true, ParamShape::Scalar, JsonType::Integer), 7},
      {"color=a%20b+c", cookie(true, ParamShape::Scalar), "a b+c"},
      {"color=blue,black,brown", cookie(false, ParamShape::Array), kColors},
      {"color=blue;color=black; color=brown", cookie(true, ParamShape::Array), kColors},
      {"color=R,100,G,200,B,150", cookie(false, ParamShape::Object, JsonType::Integer), kRgb},
      {"R=100; G=200; B=150", cookie(true, ParamShape::Object, JsonType::Integer), kRgb},
      {"colors=blue", cookie(true, ParamShape::Scalar), std::nullopt},
      {"color=1; color=2",
       cookie(true, ParamShape::Scalar),
       std::nullopt,
       {"cookie /color type: expected a single value"}},
  });
}

TEST_CASE("params: a style the location does not have is a programming error") {
  oasgen::Validator validator;
  oasgen::Request request;
  request.target = "/?color=1";
  CHECK_THROWS_AS(
      oasgen::decode_param(
          request, spec(Location::Header, ParamStyle::Form, true, ParamShape::Scalar), validator),
      std::logic_error);
  CHECK_THROWS_AS(
      oasgen::decode_param(request,
                           spec(Location::Query, ParamStyle::DeepObject, true, ParamShape::Array),
                           validator),
      std::logic_error);
  CHECK(validator.pointer().empty());
}

TEST_CASE("params: to_simple_style writes response header values") {
  CHECK(oasgen::to_simple_style("a b") == "a b");
  CHECK(oasgen::to_simple_style(7) == "7");
  CHECK(oasgen::to_simple_style(-1.5) == "-1.5");
  CHECK(oasgen::to_simple_style(true) == "true");
  CHECK(oasgen::to_simple_style(nullptr) == "");
  CHECK(oasgen::to_simple_style(kColors) == "blue,black,brown");
  CHECK(oasgen::to_simple_style(json::array()) == "");
  CHECK(oasgen::to_simple_style(json{{"G", 200}, {"R", 100}}) == "G,200,R,100");
}
