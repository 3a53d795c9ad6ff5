// Parameter decoding in every style, and form and multipart bodies through RequestReader. The first
// four bytes choose the ParamSpec (style, location, explode/required/shape, scalar type); the rest,
// as files (fuzz_util.hpp), is the parameter's text, then "body" and "content-type" files.
// Properties: a value or nullopt, failures reported with their location, a problem response that is
// a 400/415/422; never a crash.
#include <cstddef>
#include <cstdint>
#include <string>

#include <oasgen/dispatch.hpp>
#include <oasgen/params.hpp>

#include "fuzz_util.hpp"

namespace {

constexpr oasgen::JsonType kScalars[] = {
    oasgen::JsonType::String, oasgen::JsonType::Integer, oasgen::JsonType::Number,
    oasgen::JsonType::Boolean, oasgen::JsonType::Integer | oasgen::JsonType::Null};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 4) return 0;
  const auto files = oasgen::fuzz::split_files(oasgen::fuzz::text(data + 4, size - 4), "value");
  oasgen::ParamSpec spec;
  spec.name = (data[3] & 0x80) ? "id" : "p";
  spec.in = static_cast<oasgen::Location>(data[1] % 4);
  spec.explode = data[2] & 1;
  spec.required = data[2] & 2;
  spec.shape = static_cast<oasgen::ParamShape>((data[2] >> 2) % 3);
  // Only the styles OpenAPI allows where the parameter is (the model refuses the others, and
  // decode_param treats them as a bug: std::logic_error).
  using S = oasgen::ParamStyle;
  constexpr S kPath[] = {S::Simple, S::Label, S::Matrix};
  constexpr S kQuery[] = {S::Form, S::SpaceDelimited, S::PipeDelimited, S::DeepObject};
  switch (spec.in) {
    case oasgen::Location::Path: spec.style = kPath[data[0] % 3]; break;
    case oasgen::Location::Query:
      spec.style = kQuery[data[0] % 4];
      if (spec.style == S::DeepObject) spec.shape = oasgen::ParamShape::Object;
      break;
    case oasgen::Location::Header: spec.style = S::Simple; break;
    default: spec.style = S::Form; break;
  }
  spec.scalar = kScalars[data[3] % 5];
  const std::string& value = files[0].second;

  oasgen::Request request;
  request.method = "POST";
  request.target = "/x";
  switch (spec.in) {
    case oasgen::Location::Path: request.path_params.emplace_back(spec.name, value); break;
    case oasgen::Location::Query: request.target += "?" + value; break;
    case oasgen::Location::Header: request.headers.add(std::string(spec.name), value); break;
    default: request.headers.add("Cookie", value); break;
  }
  std::string content_type = (data[1] & 0x10) ? "multipart/form-data; boundary=b"
                                               : "application/x-www-form-urlencoded";
  for (std::size_t i = 1; i < files.size(); ++i) {
    if (files[i].first == "body") request.body = files[i].second;
    if (files[i].first == "content-type") content_type = files[i].second;
  }
  request.headers.add("Content-Type", content_type);

  oasgen::RequestReader reader(request);
  (void)reader.param(spec);
  // The body's fields: one of each shape, as the generated code lists them.
  const oasgen::ParamSpec fields[] = {
      {"a", oasgen::Location::Body, oasgen::ParamStyle::Form, true, false,
       oasgen::ParamShape::Scalar, spec.scalar},
      {"b", oasgen::Location::Body, oasgen::ParamStyle::Form, spec.explode, false,
       oasgen::ParamShape::Array, spec.scalar},
      {"c", oasgen::Location::Body, oasgen::ParamStyle::DeepObject, true, false,
       oasgen::ParamShape::Object, spec.scalar}};
  oasgen::BodySpec body;
  body.json = data[0] & 0x80;
  body.form = true;
  body.multipart = true;
  body.fields = fields;
  body.field_count = 3;
  const auto decoded = reader.body(data[0] & 0x40, body);
  OASGEN_FUZZ_CHECK(!decoded || decoded->is_object() || body.json, "a form body that is not an object");
  if (const auto problem = reader.problem()) {
    OASGEN_FUZZ_CHECK(problem->status == 400 || problem->status == 415 || problem->status == 422,
                      "a request problem with status " + std::to_string(problem->status));
    OASGEN_FUZZ_CHECK(nlohmann::json::parse(problem->body, nullptr, false).is_object(),
                      "a problem body that is not JSON");
  }
  return 0;
}
