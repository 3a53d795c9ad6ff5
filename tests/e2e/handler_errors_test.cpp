// What the generated routes do when a handler fails: an exception is a 500 that does not leak its
// message, and every UnimplementedHandler operation is a 501. In-process server on 127.0.0.1.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <oasgen/server.hpp>

#include <set>
#include <stdexcept>
#include <string>
#include <tuple>

#include "http_client.hpp"
#include "problem_checks.hpp"
#include "pet_store.hpp"

namespace {

class FailingStore : public example::PetStore {
 public:
  petstore::GetPetResult get_pet(const petstore::GetPetRequest&, oasgen::Context&) override {
    throw std::runtime_error("connection to db://admin:secret@10.0.0.1 failed");
  }
};

struct Served {
  explicit Served(petstore::Handler& handler) {
    petstore::register_routes(router, handler);
    port = server.start();
  }
  oasgen::Router router;
  oasgen::Server server{router, {}};
  unsigned short port = 0;
};

using nlohmann::json;
using oasgen::test::problem_of;
using ErrorKey = std::tuple<std::string, std::string, std::string>;  // location, pointer, keyword


std::multiset<ErrorKey> error_keys(const json& problem) {
  std::multiset<ErrorKey> keys;
  for (const auto& error : problem.value("errors", json::array())) {
    keys.emplace(error["location"], error["pointer"], error["keyword"]);
  }
  return keys;
}

}  // namespace

TEST_CASE("handler errors: an exception is a 500 problem without its message") {
  FailingStore store;
  Served served(store);
  oasgen::test::HttpClient client("127.0.0.1", served.port);
  const auto result = client.send("GET", "/pets/1");
  CHECK(result.status == 500);
  CHECK(result.headers.get("Content-Type") == "application/problem+json");
  CHECK(result.body.find("secret") == std::string::npos);
  const auto problem = problem_of(result, 500);
  CHECK(problem["title"] == "Internal Server Error");
}

TEST_CASE("handler errors: every operation of an UnimplementedHandler answers 501") {
  petstore::UnimplementedHandler handler;
  Served served(handler);
  oasgen::test::HttpClient client("127.0.0.1", served.port);
  const std::string pet = R"({"name": "Rex", "status": "available", "category": {"name": "dogs"}})";
  const struct {
    const char* method;
    const char* target;
    std::string body;
    const char* operation;
  } calls[] = {{"GET", "/pets", "", "list_pets"},          {"POST", "/pets", pet, "create_pet"},
               {"GET", "/pets/1", "", "get_pet"},          {"PUT", "/pets/1", pet, "update_pet"},
               {"DELETE", "/pets/1", "", "delete_pet"},
               {"GET", "/pets/1/vaccinations", "", "list_vaccinations"}};
  for (const auto& call : calls) {
    CAPTURE(call.method);
    CAPTURE(call.target);
    const auto problem = problem_of(client.send(call.method, call.target, call.body,
                                                {{"Content-Type", "application/json"}}),
                                    501);
    CHECK(problem["title"] == "Not Implemented");
    CHECK(problem["type"] == "about:blank");
    CHECK(problem["detail"] == std::string("operation not implemented: ") + call.operation);
  }
}

TEST_CASE("handler errors: validation runs before the handler, even an unimplemented one") {
  petstore::UnimplementedHandler handler;
  Served served(handler);
  oasgen::test::HttpClient client("127.0.0.1", served.port);
  const auto parameter = problem_of(client.send("GET", "/pets?limit=0"), 400);
  CHECK(parameter["type"] == "urn:oasgen:problem:validation");
  CHECK(error_keys(parameter) == std::multiset<ErrorKey>{{"query", "/limit", "minimum"}});
  const auto body = problem_of(client.send("POST", "/pets", "{}", {{"Content-Type", "application/json"}}), 422);
  CHECK(body["type"] == "urn:oasgen:problem:validation");
  CHECK(body["detail"] == "3 validation errors");
  CHECK(error_keys(body) == std::multiset<ErrorKey>{{"body", "/name", "required"},
                                                    {"body", "/status", "required"},
                                                    {"body", "/category", "required"}});
}

TEST_CASE("handler errors: past 100 validation errors a request's problem lists 100, counts all") {
  petstore::UnimplementedHandler handler;
  Served served(handler);
  oasgen::test::HttpClient client("127.0.0.1", served.port);
  // 200 distinct tags over maxLength (16), and over maxItems (5): 201 failures.
  json pet = {{"name", "Rex"}, {"status", "available"}, {"category", {{"name", "dogs"}}}};
  for (int i = 0; i < 200; ++i) pet["tags"].push_back("a-tag-far-too-long-" + std::to_string(i));
  const auto problem =
      problem_of(client.send("POST", "/pets", pet.dump(), {{"Content-Type", "application/json"}}), 422);
  CHECK(problem["detail"] == "201 validation errors");
  REQUIRE(problem["errors"].size() == oasgen::Validator::kDefaultMaxErrors);
  CHECK(problem["errors"][0]["keyword"] == "maxItems");
  CHECK(problem["errors"][99]["pointer"] == "/tags/98");
}
