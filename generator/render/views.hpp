// View data: cpp::Api turned into plain JSON that templates place. Every spec string in a view is
// already escaped for where the template puts it.
#pragma once

#include <nlohmann/json.hpp>

#include <cstddef>
#include <string>
#include <vector>

#include "naming/cpp_api.hpp"

namespace oasgen::render {

struct Views {
  std::string include_dir;  ///< folder under include/ for the generated headers
  nlohmann::json models;    ///< for models.hpp / models.cpp
  nlohmann::json server;    ///< for api.hpp, server.hpp / server.cpp
  nlohmann::json client;    ///< for client.hpp / client.cpp (null unless asked for)
  /// models.cpp and server.cpp split into parts (files) for large APIs, so that they compile in
  /// parallel; the first part of each is models.cpp / server.cpp.
  std::vector<nlohmann::json> model_parts;
  std::vector<nlohmann::json> server_parts;
  std::vector<nlohmann::json> client_parts;  ///< empty unless the client is asked for
};

/// Types (operations) per models_N.cpp (server_N.cpp) file.
inline constexpr std::size_t kTypesPerFile = 400;
inline constexpr std::size_t kOperationsPerFile = 150;

/// `parts` > 0: models.cpp and server.cpp in at most that many parts each, filled evenly; 0: parts
/// of kTypesPerFile types and kOperationsPerFile operations.
Views build_views(const cpp::Api& api, const std::string& version, std::size_t parts = 0);
/// The client view (build_client_view) cut into the parts of client.cpp, as build_views cuts the
/// server's; the first part holds what is not per operation.
std::vector<nlohmann::json> split_client(const nlohmann::json& client, std::size_t parts = 0);
/// The views before splitting into parts.
Views build_views_whole(const cpp::Api& api, const std::string& version);

}  // namespace oasgen::render
