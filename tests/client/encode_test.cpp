// Request encoding: the OpenAPI "Style Examples" table, and a round trip through the server's
// own decoding (Router, then decode_param) for every location, style, explode form and shape.
#include "oasgen/encode.hpp"

#include <doctest/doctest.h>

#include <optional>

#include "oasgen/router.hpp"

using nlohmann::json;
using oasgen::JsonType;
using oasgen::Location;
using oasgen::ParamShape;
using oasgen::ParamSpec;
using oasgen::ParamStyle;

namespace {

ParamSpec spec(Location in, ParamStyle style, bool explode, ParamShape shape,
               JsonType scalar = JsonType::String) {
  ParamSpec s;
  s.name = "color";
  s.in = in;
  s.style = style;
  s.explode = explode;
  s.shape = shape;
  s.scalar = scalar;
  s.required = true;
  return s;
}

oasgen::Request encode(const ParamSpec& s, const json& value) {
  oasgen::RequestEncoder out("GET", s.in == Location::Path ? "/items/{color}/x" : "/items");
  out.param(s, value);
  return std::move(out).finish();
}

// What the parameter looks like on the wire: the path segment, the query, the header or cookie.
std::string wire(const ParamSpec& s, const json& value) {
  oasgen::Request request = encode(s, value);
  switch (s.in) {
    case Location::Path:
      return request.target.substr(7, request.target.size() - 9);
    case Location::Query:
      return std::string(request.query());
    case Location::Header:
      return std::string(request.headers.get("color").value_or("<none>"));
    case Location::Cookie:
      return std::string(request.headers.get("Cookie").value_or("<none>"));
    case Location::Body:
      break;
  }
  return {};
}

// Encodes, routes and decodes as the server does; returns the decoded value.
std::optional<json> round_trip(const ParamSpec& s, const json& value) {
  oasgen::Request request = encode(s, value);
  std::optional<json> decoded;
  oasgen::Router router;
  router.add("GET", s.in == Location::Path ? "/items/{color}/x" : "/items",
             [&](const oasgen::Request& routed) {
               oasgen::Validator validator;
               decoded = oasgen::decode_param(routed, s, validator);
               for (const auto& error : validator.errors()) FAIL_CHECK(error.message);
               return oasgen::Response{};
             });
  router.handle(request);
  return decoded;
}

const json kBlue = "blue";
const json kColors = json::array({"blue", "black", "brown"});
const json kRgb = {{"R", 100}, {"G", 200}, {"B", 150}};  // members come out sorted: B, G, R

}  // namespace

TEST_CASE("encode: the OpenAPI style examples table") {
  struct Row {
    ParamSpec spec;
    json value;
    std::string expected;
  };
  const auto Path = Location::Path;
  const auto Query = Location::Query;
  const auto Scalar = ParamShape::Scalar;
  const auto Array = ParamShape::Array;
  const auto Object = ParamShape::Object;
  const std::vector<Row> rows = {
      {spec(Path, ParamStyle::Matrix, false, Scalar), "", ";color"},
      {spec(Path, ParamStyle::Matrix, false, Scalar), kBlue, ";color=blue"},
      {spec(Path, ParamStyle::Matrix, false, Array), kColors, ";color=blue,black,brown"},
      {spec(Path, ParamStyle::Matrix, false, Object), kRgb, ";color=B,150,G,200,R,100"},
      {spec(Path, ParamStyle::Matrix, true, Scalar), kBlue, ";color=blue"},
      {spec(Path, ParamStyle::Matrix, true, Array), kColors, ";color=blue;color=black;color=brown"},
      {spec(Path, ParamStyle::Matrix, true, Object), kRgb, ";B=150;G=200;R=100"},
      {spec(Path, ParamStyle::Label, false, Scalar), "", "."},
      {spec(Path, ParamStyle::Label, false, Scalar), kBlue, ".blue"},
      {spec(Path, ParamStyle::Label, false, Array), kColors, ".blue,black,brown"},
      {spec(Path, ParamStyle::Label, false, Object), kRgb, ".B,150,G,200,R,100"},
      {spec(Path, ParamStyle::Label, true, Array), kColors, ".blue.black.brown"},
      {spec(Path, ParamStyle::Label, true, Object), kRgb, ".B=150.G=200.R=100"},
      {spec(Query, ParamStyle::Form, false, Scalar), "", "color="},
      {spec(Query, ParamStyle::Form, false, Scalar), kBlue, "color=blue"},
      {spec(Query, ParamStyle::Form, false, Array), kColors, "color=blue,black,brown"},
      {spec(Query, ParamStyle::Form, false, Object), kRgb, "color=B,150,G,200,R,100"},
      {spec(Query, ParamStyle::Form, true, Array), kColors,
       "color=blue&color=black&color=brown"},
      {spec(Query, ParamStyle::Form, true, Object), kRgb, "B=150&G=200&R=100"},
      {spec(Path, ParamStyle::Simple, false, Scalar), kBlue, "blue"},
      {spec(Path, ParamStyle::Simple, false, Array), kColors, "blue,black,brown"},
      {spec(Path, ParamStyle::Simple, false, Object), kRgb, "B,150,G,200,R,100"},
      {spec(Path, ParamStyle::Simple, true, Object), kRgb, "B=150,G=200,R=100"},
      {spec(Query, ParamStyle::SpaceDelimited, false, Array), kColors,
       "color=blue%20black%20brown"},
      {spec(Query, ParamStyle::SpaceDelimited, false, Object), kRgb,
       "color=B%20150%20G%20200%20R%20100"},
      // The table shows a literal '|'; its escape is what RFC 3986 allows in a query.
      {spec(Query, ParamStyle::PipeDelimited, false, Array), kColors,
       "color=blue%7Cblack%7Cbrown"},
      {spec(Query, ParamStyle::PipeDelimited, false, Object), kRgb,
       "color=B%7C150%7CG%7C200%7CR%7C100"},
      {spec(Query, ParamStyle::DeepObject, true, Object), kRgb,
       "color[B]=150&color[G]=200&color[R]=100"},
      {spec(Location::Header, ParamStyle::Simple, false, Array), kColors, "blue,black,brown"},
      {spec(Location::Header, ParamStyle::Simple, true, Object), kRgb, "B=150,G=200,R=100"},
      {spec(Location::Cookie, ParamStyle::Form, false, Array), kColors,
       "color=blue,black,brown"},
      {spec(Location::Cookie, ParamStyle::Form, true, Array), kColors,
       "color=blue; color=black; color=brown"},
      {spec(Location::Cookie, ParamStyle::Form, true, Object), kRgb, "B=150; G=200; R=100"},
  };
  for (const auto& row : rows) {
    CAPTURE(row.expected);
    CHECK(wire(row.spec, row.value) == row.expected);
  }
}

TEST_CASE("encode: every style, explode form and shape reads back through decode_param") {
  struct Combination {
    Location in;
    ParamStyle style;
  };
  const std::vector<Combination> combinations = {
      {Location::Path, ParamStyle::Simple},       {Location::Path, ParamStyle::Label},
      {Location::Path, ParamStyle::Matrix},       {Location::Query, ParamStyle::Form},
      {Location::Query, ParamStyle::SpaceDelimited}, {Location::Query, ParamStyle::PipeDelimited},
      {Location::Query, ParamStyle::DeepObject},  {Location::Header, ParamStyle::Simple},
      {Location::Cookie, ParamStyle::Form},
  };
  // Path values are percent-decoded by the router before they are split, so an encoded delimiter
  // inside an item reads back as a delimiter there: path items stick to plain text. Elsewhere,
  // items carry every delimiter of every style, escapes and non-ASCII text.
  const json plain_items = json::array({"blue", "black-and_tan", "~7"});
  const json hard_items = json::array({"a b", "x,y", "p|q", "1=2", "&;", "%41", "é+", "[k]"});
  int checked = 0;
  for (const auto& c : combinations) {
    for (bool explode : {false, true}) {
      for (ParamShape shape : {ParamShape::Scalar, ParamShape::Array, ParamShape::Object}) {
        const bool delimited =
            c.style == ParamStyle::SpaceDelimited || c.style == ParamStyle::PipeDelimited;
        if (c.style == ParamStyle::DeepObject && (shape != ParamShape::Object || !explode)) continue;
        if (delimited && (shape == ParamShape::Scalar || explode)) continue;
        // Headers carry no escapes, so their items must be free of the delimiters themselves.
        const json delimited_items = json::array({"a-b", "c.d", "e_f"});
        const json& items = c.in == Location::Path || c.in == Location::Header ? plain_items
                            : delimited ? delimited_items
                                        : hard_items;
        json value;
        if (shape == ParamShape::Scalar) {
          value = c.in == Location::Path ? json("with space/slash?&%") : json("a, b=c; d|e");
        } else if (shape == ParamShape::Array) {
          value = items;
        } else {
          // Member names carry delimiters too, where items do. Not '%' or '+': decode_param
          // decodes the names of exploded query objects twice.
          static const char* const kHard[] = {" ", ",", "|", "=", "&", ";", "!", "'"};
          value = json::object();
          for (std::size_t i = 0; i < items.size(); ++i) {
            value["k" + std::to_string(i) + (&items == &hard_items ? kHard[i] : "")] = i;
          }
        }
        ParamSpec s = spec(c.in, c.style, explode, shape,
                           shape == ParamShape::Object ? JsonType::Integer : JsonType::String);
        if (c.in == Location::Header && shape == ParamShape::Scalar) value = "blue, black";
        CAPTURE(static_cast<int>(c.in));
        CAPTURE(static_cast<int>(c.style));
        CAPTURE(explode);
        CAPTURE(static_cast<int>(shape));
        CAPTURE(wire(s, value));
        auto decoded = round_trip(s, value);
        REQUIRE(decoded.has_value());
        CHECK(*decoded == value);
        ++checked;
      }
    }
  }
  CHECK(checked == 41);
}

TEST_CASE("encode: numbers, booleans and empty arrays read back typed") {
  ParamSpec numbers = spec(Location::Query, ParamStyle::Form, true, ParamShape::Array,
                           JsonType::Number);
  CHECK(round_trip(numbers, json::array({1, 2.5, -3e-7})) == json::array({1, 2.5, -3e-7}));
  CHECK(round_trip(numbers, json::array()) == json::array());
  ParamSpec flag = spec(Location::Header, ParamStyle::Simple, false, ParamShape::Scalar,
                        JsonType::Boolean);
  CHECK(round_trip(flag, true) == json(true));
  ParamSpec matrix = spec(Location::Path, ParamStyle::Matrix, true, ParamShape::Array);
  CHECK(round_trip(matrix, json::array()) == json::array());
}

TEST_CASE("encode: null parameters are left out, several cookies share one header") {
  oasgen::RequestEncoder out("POST", "/things/{color}");
  out.param(spec(Location::Path, ParamStyle::Simple, false, ParamShape::Scalar), 7);
  ParamSpec query = spec(Location::Query, ParamStyle::Form, true, ParamShape::Scalar);
  out.param(query, nullptr);
  ParamSpec a = spec(Location::Cookie, ParamStyle::Form, true, ParamShape::Scalar);
  ParamSpec b = a;
  b.name = "size";
  out.param(a, "red");
  out.param(b, "x l");
  oasgen::Request request = std::move(out).finish();
  CHECK(request.method == "POST");
  CHECK(request.target == "/things/7");
  CHECK(request.headers.get("Cookie") == "color=red; size=x%20l");
}

TEST_CASE("encode: literal path text is escaped where a path cannot hold it, and still routes") {
  ParamSpec id = spec(Location::Path, ParamStyle::Simple, false, ParamShape::Scalar, JsonType::Integer);
  id.name = "id";
  oasgen::RequestEncoder out("GET", "/a b/\xC3\xA9/{id}/x;y=1");
  out.param(id, 5);
  oasgen::Request request = std::move(out).finish();
  CHECK(request.target == "/a%20b/%C3%A9/5/x;y=1");
  bool routed = false;
  oasgen::Router router;
  router.add("GET", "/a b/\xC3\xA9/{id}/x;y=1", [&](const oasgen::Request& r) {
    routed = r.path_params.at(0).second == "5";
    return oasgen::Response{};
  });
  router.handle(request);
  CHECK(routed);
}

TEST_CASE("encode: header values with control characters and missing path parameters throw") {
  oasgen::RequestEncoder out("GET", "/things/{id}");
  ParamSpec header = spec(Location::Header, ParamStyle::Simple, false, ParamShape::Scalar);
  CHECK_THROWS_AS(out.param(header, "a\r\nInjected: yes"), std::invalid_argument);
  CHECK_THROWS_AS(out.param(spec(Location::Path, ParamStyle::Simple, false, ParamShape::Scalar), 1),
                  std::invalid_argument);
  CHECK_THROWS_AS(std::move(out).finish(), std::invalid_argument);
}

TEST_CASE("encode: form bodies follow OpenAPI's form/explode defaults") {
  json body = {{"name", "Rex & co"}, {"tags", {"a", "b c"}}, {"size", {{"w", 1}, {"h", 2}}},
               {"gone", nullptr}, {"deep", {{{"x", 1}}}}};
  CHECK(oasgen::encode_form(body) ==
        "deep=%7B%22x%22%3A1%7D&name=Rex%20%26%20co&h=2&w=1&tags=a&tags=b%20c");
}

TEST_CASE("encode: multipart bodies per RFC 7578") {
  json body = {{"name", "Rex"}, {"tags", {"a", "b"}}, {"meta", {{"k", 1}}}, {"none", nullptr}};
  auto parts = oasgen::multipart_parts(body);
  REQUIRE(parts.size() == 4);
  parts.push_back({"file\"x", "\x01\x02", "application/octet-stream", "a.bin"});
  CHECK(oasgen::encode_multipart(parts, "BOUNDARY") ==
        "--BOUNDARY\r\nContent-Disposition: form-data; name=\"meta\"\r\n"
        "Content-Type: application/json\r\n\r\n{\"k\":1}\r\n"
        "--BOUNDARY\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nRex\r\n"
        "--BOUNDARY\r\nContent-Disposition: form-data; name=\"tags\"\r\n\r\na\r\n"
        "--BOUNDARY\r\nContent-Disposition: form-data; name=\"tags\"\r\n\r\nb\r\n"
        "--BOUNDARY\r\nContent-Disposition: form-data; name=\"file%22x\"; filename=\"a.bin\"\r\n"
        "Content-Type: application/octet-stream\r\n\r\n\x01\x02\r\n"
        "--BOUNDARY--\r\n");
  oasgen::RequestEncoder out("POST", "/upload");
  out.multipart_body(parts);
  oasgen::Request request = std::move(out).finish();
  const std::string type(request.headers.get("Content-Type").value_or(""));
  REQUIRE(type.rfind("multipart/form-data; boundary=", 0) == 0);
  const std::string boundary = type.substr(30);
  CHECK(request.body.rfind("--" + boundary + "\r\n", 0) == 0);
  CHECK(request.body.size() > boundary.size() * 6);
}

TEST_CASE("encode: files label their parts, in order") {
  const std::vector<oasgen::File> docs = {{"1", "a.txt", "text/plain"}, {"2", "", ""}};
  const std::optional<oasgen::File> avatar = oasgen::File{"\x89PNG", "me.png", "image/png"};
  auto parts = oasgen::multipart_parts({{"avatar", *avatar}, {"docs", docs}, {"title", "x"}});
  oasgen::attach_files(parts, "avatar", avatar);
  oasgen::attach_files(parts, "docs", docs);
  CHECK(oasgen::encode_multipart(parts, "B") ==
        "--B\r\nContent-Disposition: form-data; name=\"avatar\"; filename=\"me.png\"\r\n"
        "Content-Type: image/png\r\n\r\n\x89PNG\r\n"
        "--B\r\nContent-Disposition: form-data; name=\"docs\"; filename=\"a.txt\"\r\n"
        "Content-Type: text/plain\r\n\r\n1\r\n"
        "--B\r\nContent-Disposition: form-data; name=\"docs\"; filename=\"\"\r\n"
        "Content-Type: application/octet-stream\r\n\r\n2\r\n"
        "--B\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nx\r\n"
        "--B--\r\n");
}
