// Small pieces every C++ view builder uses.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "model/model.hpp"
#include "render/view_json.hpp"

namespace oasgen::render {

/// Doc-comment lines for `///` comments, one `{"text": " line"}` per line, paragraphs separated
/// by an empty line; every spec string escaped for a C++ comment. ViewJson or nlohmann::json.
template <class Json = ViewJson>
Json doc_json(const std::vector<std::string>& paragraphs);

/// `{"line": ...}` per generated statement (the lines moved, when they can be).
template <class Json = ViewJson>
Json lines_json(const std::vector<std::string>& lines);
template <class Json = ViewJson>
Json lines_json(std::vector<std::string>&& lines);

/// "oasgen::Location::Query", ...
const char* location_name(model::ParamIn in);

/// The folder under include/ of the generated headers: "acme::pets" -> "acme_pets".
std::string include_dir_of(const std::string& ns);

}  // namespace oasgen::render
