// What the generated routes do when a handler fails: an exception is a 500 that does not leak its
// message, and every UnimplementedHandler operation is a 501. In-process server on 127.0.0.1.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <oasgen/server.hpp>

#include <stdexcept>

#include "http_client.hpp"
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

}  // namespace

TEST_CASE("handler errors: an exception is a 500 problem without its message") {
  FailingStore store;
  Served served(store);
  oasgen::test::HttpClient client("127.0.0.1", served.port);
  const auto result = client.send("GET", "/pets/1");
  CHECK(result.status == 500);
  CHECK(result.headers.get("Content-Type") == "application/problem+json");
  CHECK(result.body.find("secret") == std::string::npos);
  const auto problem = nlohmann::json::parse(result.body);
  CHECK(problem["status"] == 500);
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
  } calls[] = {{"GET", "/pets", ""},          {"POST", "/pets", pet},     {"GET", "/pets/1", ""},
               {"PUT", "/pets/1", pet},       {"DELETE", "/pets/1", ""},  {"GET", "/pets/1/vaccinations", ""}};
  for (const auto& call : calls) {
    CAPTURE(call.method);
    CAPTURE(call.target);
    const auto result = client.send(call.method, call.target, call.body,
                                    {{"Content-Type", "application/json"}});
    CHECK(result.status == 501);
    CHECK(result.headers.get("Content-Type") == "application/problem+json");
  }
}

TEST_CASE("handler errors: validation runs before the handler, even an unimplemented one") {
  petstore::UnimplementedHandler handler;
  Served served(handler);
  oasgen::test::HttpClient client("127.0.0.1", served.port);
  CHECK(client.send("GET", "/pets?limit=0").status == 400);
  CHECK(client.send("POST", "/pets", "{}", {{"Content-Type", "application/json"}}).status == 422);
}
