// View data: cpp::Api turned into plain JSON that templates place. Every spec string in a view is
// already escaped for where the template puts it.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

#include "naming/cpp_api.hpp"

namespace oasgen::render {

struct Views {
  std::string include_dir;  ///< folder under include/ for the generated headers
  nlohmann::json models;    ///< for models.hpp / models.cpp
  nlohmann::json server;    ///< for api.hpp, server.hpp / server.cpp
  nlohmann::json client;    ///< for client.hpp / client.cpp (null unless asked for)
};

Views build_views(const cpp::Api& api, const std::string& version);

}  // namespace oasgen::render
