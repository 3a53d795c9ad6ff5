// View data: cpp::Api turned into plain JSON that templates place. Every spec string in a view is
// already escaped for where the template puts it.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "naming/cpp_api.hpp"
#include "render/view_json.hpp"

namespace oasgen::render {

struct Views {
  std::string include_dir;  ///< folder under include/ for the generated headers
  ViewJson models;          ///< for models.hpp / models.cpp
  ViewJson server;          ///< for api.hpp, server.hpp / server.cpp
  ViewJson client;          ///< for client.hpp / client.cpp (null unless asked for)
};

/// At most so many types (operations) per models_N.cpp (server_N.cpp, client_N.cpp) file. Each
/// file of a large API pays a fixed cost (its precompiled header) before its own code: fewer,
/// larger files take less processor time, and these still give GitHub's API 14 files
/// (BENCHMARKS.md, "The precompiled header and the file count", "Shared shapes"). Aliases of shared
/// types (naming/shapes.hpp) have no code and are not counted.
inline constexpr std::size_t kTypesPerFile = 800;
inline constexpr std::size_t kOperationsPerFile = 300;

/// Views are built in the current ViewArena (see ViewArena::Scope).
/// The views of the whole API (the client view is build_client_view's).
Views build_views(const cpp::Api& api, const std::string& version);
/// build_views' parts one by one: they share nothing, so they can be built side by side.
ViewJson build_models_view(const cpp::Api& api, const std::string& version);
/// The models view of api.types[first, last), so that slices of it can be built side by side...
ViewJson build_models_view(const cpp::Api& api, const std::string& version, std::size_t first,
                           std::size_t last);
/// ... and joined, in order, into the view build_models_view makes of them all.
ViewJson join_models_views(std::vector<ViewJson>&& slices);
ViewJson build_server_view(const cpp::Api& api, const std::string& version);

/// A view cut into the parts (files) of models.cpp, server.cpp or client.cpp, so that a large API
/// compiles in parallel; the first part holds what is not per type or operation. `parts` > 0: at
/// most that many parts; 0: as few as hold at most kTypesPerFile types (aliases of shared types not
/// counted) or kOperationsPerFile operations each. Parts are of about the same weight: operations
/// count alike, and a type by its fields and validator lines. The view's elements are moved into the parts.
std::vector<ViewJson> split_models(ViewJson&& models, std::size_t parts = 0);
std::vector<ViewJson> split_server(ViewJson&& server, std::size_t parts = 0);
std::vector<ViewJson> split_client(ViewJson&& client, std::size_t parts = 0);

}  // namespace oasgen::render
