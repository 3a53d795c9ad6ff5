// How a large API's models, server and client are cut into files (render/views.hpp).
#include <doctest/doctest.h>

#include <cstddef>
#include <vector>

#include "render/view_json.hpp"
#include "render/views.hpp"

using oasgen::render::ViewJson;

namespace {

// A models view of types with these numbers of fields (and no validator lines).
// Types with so many fields each; `shared` more after them, aliases of shared types.
ViewJson models_with_fields(const std::vector<std::size_t>& fields, std::size_t shared = 0) {
  ViewJson view = {{"namespace", "api"}};
  view["types"] = ViewJson::array();
  for (std::size_t i = 0; i < fields.size() + shared; ++i) {
    ViewJson type = {{"name", "T" + std::to_string(i)}, {"is_shared", i >= fields.size()}};
    type["fields"] = ViewJson::array();
    for (std::size_t f = 0; i < fields.size() && f < fields[i]; ++f) type["fields"].push_back({{"name", "f"}});
    type["checks"] = ViewJson::array();
    view["types"].push_back(std::move(type));
  }
  return view;
}

ViewJson client_with_operations(std::size_t count) {
  ViewJson view = {{"namespace", "api"}};
  view["operations"] = ViewJson::array();
  for (std::size_t i = 0; i < count; ++i) view["operations"].push_back({{"name", "op"}});
  return view;
}

std::vector<std::size_t> sizes(const std::vector<ViewJson>& parts, const char* key) {
  std::vector<std::size_t> result;
  for (const auto& part : parts) result.push_back(part[key].size());
  return result;
}

}  // namespace

TEST_CASE("split: by default, as few parts as hold the most per file, filled evenly") {
  oasgen::render::ViewArena arena;
  oasgen::render::ViewArena::Scope scope(arena);
  const std::size_t most = oasgen::render::kOperationsPerFile;
  CHECK(sizes(oasgen::render::split_client(client_with_operations(0)), "operations") ==
        std::vector<std::size_t>{0});
  CHECK(sizes(oasgen::render::split_client(client_with_operations(most)), "operations") ==
        std::vector<std::size_t>{most});
  // Not a full part and a part of one operation.
  CHECK(sizes(oasgen::render::split_client(client_with_operations(most + 1)), "operations") ==
        std::vector<std::size_t>{most / 2, most / 2 + 1});
  CHECK(sizes(oasgen::render::split_client(client_with_operations(3 * most - 1)), "operations") ==
        std::vector<std::size_t>{most - 1, most, most});
}

TEST_CASE("split: with a part count, at most that many parts, filled evenly") {
  oasgen::render::ViewArena arena;
  oasgen::render::ViewArena::Scope scope(arena);
  CHECK(sizes(oasgen::render::split_client(client_with_operations(10), 3), "operations") ==
        std::vector<std::size_t>{3, 3, 4});
  CHECK(sizes(oasgen::render::split_client(client_with_operations(2), 3), "operations") ==
        std::vector<std::size_t>{1, 1});
  const auto parts = oasgen::render::split_client(client_with_operations(4), 2);
  CHECK(parts[0]["first_part"] == true);
  CHECK(parts[1]["first_part"] == false);
}

TEST_CASE("split: types are cut by weight, their fields, and every part gets one") {
  oasgen::render::ViewArena arena;
  oasgen::render::ViewArena::Scope scope(arena);
  CHECK(sizes(oasgen::render::split_models(models_with_fields({10, 0, 0, 0}), 2), "types") ==
        std::vector<std::size_t>{1, 3});
  CHECK(sizes(oasgen::render::split_models(models_with_fields({0, 0, 0, 10}), 2), "types") ==
        std::vector<std::size_t>{3, 1});
  CHECK(sizes(oasgen::render::split_models(models_with_fields({0, 0, 0, 99}), 3), "types") ==
        std::vector<std::size_t>{2, 1, 1});
  const auto parts = oasgen::render::split_models(models_with_fields({1, 2, 0, 3}), 2);
  CHECK(parts[0]["types"][0]["name"] == "T0");
  CHECK(parts[1]["types"].back()["name"] == "T3");
  CHECK(parts[1]["namespace"] == "api");
}

TEST_CASE("split: aliases of shared types weigh nothing and do not count toward a file's types") {
  oasgen::render::ViewArena arena;
  oasgen::render::ViewArena::Scope scope(arena);
  const std::size_t most = oasgen::render::kTypesPerFile;
  // As many types as one file holds, and as many aliases: one file.
  CHECK(sizes(oasgen::render::split_models(models_with_fields(std::vector<std::size_t>(most, 0), most)), "types") ==
        std::vector<std::size_t>{2 * most});
  CHECK(sizes(oasgen::render::split_models(models_with_fields(std::vector<std::size_t>(most + 1, 0))), "types") ==
        std::vector<std::size_t>{most / 2, most / 2 + 1});
  // Two parts by weight: the aliases after the first type weigh nothing.
  CHECK(sizes(oasgen::render::split_models(models_with_fields({0, 0}, 4), 2), "types") ==
        std::vector<std::size_t>{1, 5});
}
