// The generated petstore client against the generated petstore server, in-process over 127.0.0.1:
// every operation, every declared response (errors included) arrives typed and intact, and the
// server's own problems arrive as typed problems.
#include <doctest/doctest.h>

#include <optional>

#include "petstore/client.hpp"
#include "petstore/server.hpp"
#include "served.hpp"

namespace {

using petstore::Category;
using petstore::Error;
using petstore::NewPet;
using petstore::Pet;
using petstore::PetStatus;

Pet rex() {
  Pet pet;
  pet.id = 7;
  pet.name = "Rex the 2nd";
  pet.status = PetStatus::kPending;
  pet.category = Category{3, "dogs"};
  pet.tags = std::vector<std::string>{"good", "loud"};
  pet.birth_date = "2020-02-29";
  pet.weight_kg = 12.5;
  pet.nickname = std::nullopt;
  return pet;
}

NewPet new_rex() {
  NewPet pet;
  pet.name = "Rex";
  pet.status = PetStatus::kAvailable;
  pet.category = Category{std::nullopt, "dogs"};
  pet.nickname = "R";
  return pet;
}

nlohmann::json as_json(const Pet& pet) { return pet; }
nlohmann::json as_json(const NewPet& pet) { return pet; }

// Answers each operation with the response that `answer` names, and records what it received.
class Scripted : public petstore::UnimplementedHandler {
 public:
  int answer = 0;
  std::optional<petstore::ListPetsRequest> listed;
  std::optional<petstore::CreatePetRequest> created;
  std::optional<petstore::UpdatePetRequest> updated;
  std::int64_t pet_id = 0;
  Pet pet = rex();

  petstore::ListPetsResult list_pets(const petstore::ListPetsRequest& request, oasgen::Context&) override {
    listed = request;
    if (answer == 0) return petstore::ListPetsOk{{pet, pet}, 42};
    if (answer == 1) return petstore::ListPetsOk{{}, std::nullopt};
    return petstore::ListPetsDefault{503, Error{503, "maintenance"}};
  }
  petstore::CreatePetResult create_pet(const petstore::CreatePetRequest& request, oasgen::Context&) override {
    created = request;
    if (answer == 0) return petstore::CreatePetCreated{pet};
    if (answer == 1) return petstore::CreatePetConflict{Error{409, "taken"}};
    return petstore::CreatePetDefault{418, Error{418, "teapot"}};
  }
  petstore::DeletePetResult delete_pet(const petstore::DeletePetRequest& request, oasgen::Context&) override {
    pet_id = request.pet_id;
    if (answer == 0) return petstore::DeletePetNoContent{};
    return petstore::DeletePetNotFound{Error{404, "no pet " + std::to_string(request.pet_id)}};
  }
  petstore::GetPetResult get_pet(const petstore::GetPetRequest& request, oasgen::Context&) override {
    pet_id = request.pet_id;
    if (answer == 0) return petstore::GetPetOk{pet};
    return petstore::GetPetNotFound{Error{404, "gone"}};
  }
  petstore::UpdatePetResult update_pet(const petstore::UpdatePetRequest& request, oasgen::Context&) override {
    updated = request;
    if (answer == 0) return petstore::UpdatePetOk{pet};
    return petstore::UpdatePetNotFound{Error{404, "gone"}};
  }
};

}  // namespace

TEST_CASE("petstore round trip: list_pets, its parameters and every declared response") {
  Scripted handler;
  Served served(handler);
  petstore::Client client(served.url());

  petstore::ListPetsRequest request;
  request.limit = 5;
  request.tags = std::vector<std::string>{"a b", "c,d", "é"};
  request.x_request_id = "123e4567-e89b-12d3-a456-426614174000";
  auto ok = client.list_pets(request);
  const auto& listed = expect<petstore::ListPetsOk>(ok);
  REQUIRE(listed.body.size() == 2);
  CHECK(as_json(listed.body[1]) == as_json(rex()));
  CHECK(listed.x_total_count == 42);
  REQUIRE(handler.listed);
  CHECK(handler.listed->limit == 5);
  CHECK(handler.listed->tags == request.tags);
  CHECK(handler.listed->x_request_id == request.x_request_id);

  handler.answer = 1;
  auto empty = client.list_pets({});
  const auto& none = expect<petstore::ListPetsOk>(empty);
  CHECK(none.body.empty());
  CHECK_FALSE(none.x_total_count.has_value());
  CHECK(handler.listed->limit == 20);  // the default went out as declared
  CHECK_FALSE(handler.listed->tags.has_value());

  handler.answer = 2;
  auto down = client.list_pets({});
  const auto& fallback = expect<petstore::ListPetsDefault>(down);
  CHECK(fallback.status == 503);
  CHECK(fallback.body.message == "maintenance");
}

TEST_CASE("petstore round trip: create_pet's body and its 201, 409 and default responses") {
  Scripted handler;
  Served served(handler);
  petstore::Client client(served.url());
  petstore::CreatePetRequest request{new_rex()};

  auto created = client.create_pet(request);
  CHECK(as_json(expect<petstore::CreatePetCreated>(created).body) == as_json(rex()));
  REQUIRE(handler.created);
  CHECK(as_json(handler.created->body) == as_json(new_rex()));

  handler.answer = 1;
  auto conflict = client.create_pet(request);
  CHECK(expect<petstore::CreatePetConflict>(conflict).body.message == "taken");

  handler.answer = 2;
  auto teapot = client.create_pet(request);
  CHECK(expect<petstore::CreatePetDefault>(teapot).status == 418);
}

TEST_CASE("petstore round trip: get, update and delete with their 2xx and 404 responses") {
  Scripted handler;
  Served served(handler);
  petstore::Client client(served.url());

  auto got = client.get_pet({7});
  CHECK(expect<petstore::GetPetOk>(got).body.id == 7);
  CHECK(handler.pet_id == 7);
  auto updated = client.update_pet({8, new_rex()});
  CHECK(expect<petstore::UpdatePetOk>(updated).body.name == "Rex the 2nd");
  CHECK(handler.updated->pet_id == 8);
  CHECK(as_json(handler.updated->body) == as_json(new_rex()));
  auto deleted = client.delete_pet({9});
  expect<petstore::DeletePetNoContent>(deleted);
  CHECK(handler.pet_id == 9);

  handler.answer = 1;
  CHECK(expect<petstore::GetPetNotFound>(client.get_pet({7})).body.message == "gone");
  CHECK(expect<petstore::UpdatePetNotFound>(client.update_pet({7, new_rex()})).body.code == 404);
  CHECK(expect<petstore::DeletePetNotFound>(client.delete_pet({11})).body.message == "no pet 11");
}

TEST_CASE("petstore round trip: the server's own problems arrive typed") {
  Scripted handler;
  Served served(handler);
  petstore::Client client(served.url());

  // Not implemented: 501, which list_vaccinations does not declare.
  auto unimplemented = client.list_vaccinations({1});
  REQUIRE_FALSE(unimplemented.ok());
  const oasgen::ClientError& error = unimplemented.error();
  CHECK(error.kind == oasgen::ClientError::Kind::Undeclared);
  CHECK(error.status == 501);
  REQUIRE(error.problem);
  CHECK(error.problem->status == 501);

  // A body that breaks the spec: the server's 422 is problem+json, not the declared default.
  NewPet bad = new_rex();
  bad.name = "";
  bad.tags = std::vector<std::string>{"x", "x"};
  auto rejected = client.create_pet({bad});
  REQUIRE_FALSE(rejected.ok());
  CHECK(rejected.error().kind == oasgen::ClientError::Kind::Undeclared);
  CHECK(rejected.error().status == 422);
  REQUIRE(rejected.error().problem);
  const auto& problem = *rejected.error().problem;
  CHECK(problem.type == "urn:oasgen:problem:validation");
  REQUIRE(problem.errors.size() == 3);  // minLength and pattern, then uniqueItems
  CHECK(problem.errors[0].pointer == "/name");
  CHECK(problem.errors[1].pointer == "/name");
  CHECK(problem.errors[2].pointer == "/tags");
  CHECK(problem.errors[2].keyword == "uniqueItems");

  // A parameter out of range: 400.
  petstore::ListPetsRequest too_many;
  too_many.limit = 1000;
  auto bad_limit = client.list_pets(too_many);
  REQUIRE_FALSE(bad_limit.ok());
  CHECK(bad_limit.error().status == 400);
  REQUIRE(bad_limit.error().problem);
  CHECK(bad_limit.error().problem->errors.at(0).location == oasgen::Location::Query);
}

TEST_CASE("petstore round trip: responses that break the spec are Invalid unless validation is off") {
  Scripted handler;
  handler.pet.id = 0;             // minimum 1
  handler.pet.name = "no_under";  // pattern ^[A-Za-z0-9 -]+$
  Served served(handler);

  petstore::Client strict(served.url());
  auto result = strict.get_pet({1});
  REQUIRE_FALSE(result.ok());
  const auto& error = result.error();
  CHECK(error.kind == oasgen::ClientError::Kind::Invalid);
  CHECK(error.status == 200);
  REQUIRE(error.errors.size() == 2);
  CHECK(error.errors[0].pointer == "/name");
  CHECK(error.errors[0].keyword == "pattern");
  CHECK(error.errors[1].pointer == "/id");
  CHECK(error.errors[1].keyword == "minimum");
  CHECK_THROWS_AS(result.value(), oasgen::ClientException);

  oasgen::ClientOptions lenient;
  lenient.validate_responses = false;
  petstore::Client trusting(served.url(), lenient);
  auto accepted = trusting.get_pet({1});
  CHECK(expect<petstore::GetPetOk>(accepted).body.id == 0);
}

TEST_CASE("petstore round trip: a client with the spec's server URL, and a transport error") {
  CHECK(petstore::server_url() == "http://127.0.0.1:8080");
  CHECK_THROWS_AS(petstore::server_url(1), std::out_of_range);
  unsigned short port = 0;
  {
    Scripted handler;
    Served served(handler);
    port = served.port;
  }
  petstore::Client client("http://127.0.0.1:" + std::to_string(port));
  auto result = client.get_pet({1});
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().kind == oasgen::ClientError::Kind::Transport);
  REQUIRE(result.error().transport);
  CHECK(result.error().transport->kind == oasgen::TransportErrorKind::Connect);
  int visited = 0;
  result.visit([&](const auto& alternative) {
    if constexpr (std::is_same_v<std::decay_t<decltype(alternative)>, oasgen::ClientError>) {
      ++visited;
    }
  });
  CHECK(visited == 1);
}
