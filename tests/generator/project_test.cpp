// What `oasgen init` and `oasgen stubs` render, and how `stubs --check` reads a handler file.
#include <unistd.h>  // getpid: a folder per process, so that parallel runs do not collide

#include "render/project.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "pipeline.hpp"

namespace fs = std::filesystem;
using oasgen::render::FoundMethod;

namespace {

constexpr const char* kSpec = R"(openapi: 3.0.3
info: {title: Shelter, version: '1'}
paths:
  /animals:
    get:
      operationId: listAnimals
      summary: Lists the animals
      responses:
        '200': {description: ok}
  /animals/{id}:
    get:
      operationId: getAnimal
      parameters:
        - {name: id, in: path, required: true, schema: {type: integer}}
      responses:
        '200': {description: ok}
        '404': {description: missing}
)";

struct Planned {
  oasgen::Diagnostics diagnostics;
  oasgen::Stages stages;
};

std::unique_ptr<Planned> plan(const std::string& yaml) {
  const fs::path dir = fs::temp_directory_path() / ("oasgen_project_test_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "spec.yaml") << yaml;
  auto planned = std::make_unique<Planned>();
  REQUIRE(planned->stages.run(dir / "spec.yaml", {"shelter", oasgen::cpp::OptionalType::Std}, true,
                              planned->diagnostics));
  return planned;
}

oasgen::render::ProjectOptions options() {
  oasgen::render::ProjectOptions project;
  project.version = "9.9";
  project.project = "shelter";
  project.spec_file = "spec.yaml";
  return project;
}

std::string all(const oasgen::Diagnostics& diagnostics) {
  std::string out;
  for (const auto& d : diagnostics.all()) out += oasgen::format_diagnostic(d) + "\n";
  return out;
}

}  // namespace

TEST_CASE("stubs: handler methods are found by their Result type, outside comments and strings") {
  const std::string source = R"(class Service : public shelter::Handler {
  // shelter::OldResult commented_out(
  /* shelter::OtherResult
     also_commented(const X&) */
  const char* text = "shelter::TextResult in_string(";
  shelter::ListAnimalsResult list_animals(const shelter::ListAnimalsRequest& request,
                                          oasgen::Context& context) override;
  shelter::GetAnimalResult
      get_animal (const shelter::GetAnimalRequest&, oasgen::Context&) override { return {}; }
  ListAnimalsResult helper;  // a member, not a method
  int count(int);
};
)";
  const auto found = oasgen::render::find_handler_methods(source);
  REQUIRE(found.size() == 2);
  CHECK(found[0].name == "list_animals");
  CHECK(found[0].line == 6);
  CHECK(found[0].column == 30);
  CHECK(found[1].name == "get_animal");
  CHECK(found[1].line == 9);
  CHECK(found[1].column == 7);
}

TEST_CASE("stubs: the skeleton overrides every operation, answering 501, and passes its own check") {
  auto planned = plan(kSpec);
  const auto text = oasgen::render::render_stubs(*planned->stages.cpp, options(), planned->diagnostics);
  REQUIRE(text);
  CHECK(text->rfind("// Written by oasgen 9.9 from spec.yaml as a starting point.\n", 0) == 0);
  CHECK(text->find("class Service : public shelter::Handler {") != std::string::npos);
  CHECK(text->find("  shelter::GetAnimalResult get_animal(const shelter::GetAnimalRequest& request,\n"
                   "      oasgen::Context& context) override {\n"
                   "    (void)request;\n"
                   "    (void)context;\n"
                   "    throw oasgen::NotImplemented(\"get_animal\");\n"
                   "  }\n") != std::string::npos);
  CHECK(text->find("/// Answers one of: `shelter::GetAnimalOk`, `shelter::GetAnimalNotFound`.") !=
        std::string::npos);
  oasgen::Diagnostics check;
  CHECK(oasgen::render::check_stubs(*planned->stages.cpp, "handler.hpp", *text, check));
  CHECK(check.all().empty());
}

TEST_CASE("stubs: the check names what the spec added (error) and what it dropped (warning)") {
  auto planned = plan(kSpec);
  const std::string handler = R"(#include "shelter/server.hpp"
class Service : public shelter::Handler {
 public:
  shelter::ListAnimalsResult list_animals(const shelter::ListAnimalsRequest&, oasgen::Context&) override;
  shelter::AdoptAnimalResult adopt_animal(const shelter::AdoptAnimalRequest&, oasgen::Context&) override;
};
)";
  oasgen::Diagnostics diagnostics;
  CHECK_FALSE(oasgen::render::check_stubs(*planned->stages.cpp, "handler.hpp", handler, diagnostics));
  const std::string spec = (fs::temp_directory_path() /
                            ("oasgen_project_test_" + std::to_string(::getpid())) / "spec.yaml")
                               .generic_string();
  CHECK(all(diagnostics) ==
        spec + ":12:7: error[stub-missing]: operation GET /animals/{id} is not implemented in "
               "handler.hpp: add shelter::GetAnimalResult get_animal(const "
               "shelter::GetAnimalRequest& request, oasgen::Context& context) override "
               "(at #/paths/~1animals~1{id}/get)\n"
               "handler.hpp:5:30: warning[stub-stale]: 'adopt_animal' is no operation of spec.yaml "
               "(any more): remove it, or restore the operation\n");
}

TEST_CASE("init: the project's files, rendered from the spec") {
  auto planned = plan(kSpec);
  const auto files = oasgen::render::render_project(*planned->stages.cpp, options(), planned->diagnostics);
  REQUIRE(files);
  std::vector<std::string> names;
  for (const auto& [path, content] : *files) names.push_back(path);
  CHECK(names == std::vector<std::string>{".gitignore", "CMakeLists.txt", "README.md", "handler.hpp",
                                          "main.cpp", "test.cpp"});
  const std::string& cmake = files->at("CMakeLists.txt");
  CHECK(cmake.find("find_package(oasgen CONFIG REQUIRED)") != std::string::npos);
  CHECK(cmake.find("oasgen_generate(shelter_api SPEC spec.yaml NAMESPACE shelter SERVER CLIENT DOCS)") !=
        std::string::npos);
  CHECK(files->at("main.cpp").find("service.configure(argc, argv)") != std::string::npos);
  CHECK(files->at("main.cpp").find("service.install(router, shelter::kOperations)") !=
        std::string::npos);
  // The test calls the operation that needs no value.
  CHECK(files->at("test.cpp").find("client.list_animals(request)") != std::string::npos);
  INFO(files->at("README.md"));
  CHECK(files->at("README.md").find("| GET /animals/\\{id\\} | get\\_animal |") != std::string::npos);
}

TEST_CASE("init: the starter spec is a valid spec of its own") {
  oasgen::Diagnostics diagnostics;
  const auto text = oasgen::render::render_starter_spec(options(), diagnostics);
  REQUIRE(text);
  auto planned = plan(*text);
  CHECK(planned->stages.cpp->operations.size() == 2);
  CHECK(planned->diagnostics.all().empty());
}
