// The example petstore server, run as a real process (PETSTORE_SERVER) and driven over HTTP on
// 127.0.0.1: every operation of specs/petstore.yaml, every error path, and a clean shutdown.
#include <doctest/doctest.h>
#include <signal.h>

#include <chrono>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "http_client.hpp"
#include "process.hpp"

#ifndef PETSTORE_SERVER
#error "PETSTORE_SERVER must be the path of the petstore-server binary"
#endif

using namespace std::chrono_literals;
using nlohmann::json;
using oasgen::test::HttpResult;

namespace {

constexpr const char* kJson = "application/json";
constexpr const char* kProblemJson = "application/problem+json";

/// The first header field called `name` (case-insensitively), or "(absent)".
std::string header(const HttpResult& result, std::string_view name) {
  return std::string(result.headers.get(name).value_or("(absent)"));
}

/// The Content-Type without parameters such as charset.
std::string media_type(const HttpResult& result) {
  std::string type = header(result, "Content-Type");
  type = type.substr(0, type.find(';'));
  while (!type.empty() && type.back() == ' ') type.pop_back();
  return type;
}

json parse_body(const HttpResult& result) {
  json body = json::parse(result.body, nullptr, /*allow_exceptions=*/false);
  INFO("body: ", result.body);
  CHECK_FALSE(body.is_discarded());
  return body;
}

/// Checks that `result` is an RFC 9457 problem with `status` (and `type` unless empty); returns it.
json expect_problem(const HttpResult& result, int status, std::string_view type = {}) {
  INFO("response: ", result.status, " ", result.body);
  CHECK(result.status == status);
  CHECK(media_type(result) == kProblemJson);
  json problem = parse_body(result);
  REQUIRE(problem.is_object());
  CHECK(problem.value("status", 0) == status);
  CHECK(problem.contains("type"));
  CHECK(problem["type"].is_string());
  CHECK(problem.contains("title"));
  CHECK(problem["title"].is_string());
  if (!type.empty()) CHECK(problem.value("type", "") == type);
  return problem;
}

using FieldErrorKey =
    std::tuple<std::string, std::string, std::string>;  // location, pointer, keyword

/// The problem's `errors` as (location, pointer, keyword) triples; each must carry a message.
std::multiset<FieldErrorKey> field_errors(const json& problem) {
  std::multiset<FieldErrorKey> keys;
  if (!problem.contains("errors")) return keys;
  REQUIRE(problem["errors"].is_array());
  for (const json& error : problem["errors"]) {
    INFO("error: ", error.dump());
    CHECK(error.value("message", "") != "");
    keys.emplace(error.value("location", ""), error.value("pointer", "?"),
                 error.value("keyword", ""));
  }
  return keys;
}

/// Checks the declared Error body ({"code", "message"}) that handlers return for 404 and 409.
void expect_error_body(const HttpResult& result, int status) {
  INFO("response: ", result.status, " ", result.body);
  CHECK(result.status == status);
  CHECK(media_type(result) == kJson);
  const json body = parse_body(result);
  CHECK(body.value("code", 0) == status);
  REQUIRE(body.contains("message"));
  CHECK(body["message"].is_string());
}

std::vector<long long> ids_of(const json& pets) {
  std::vector<long long> ids;
  REQUIRE(pets.is_array());
  for (const json& pet : pets) ids.push_back(pet.at("id").get<long long>());
  return ids;
}

/// A petstore-server process for one test case, on an ephemeral port.
class PetstoreServer {
 public:
  PetstoreServer() : process_(PETSTORE_SERVER, {"--port", "0", "--threads", "2"}) {
    const std::optional<std::string> line = process_.read_line(10s);
    REQUIRE_MESSAGE(line, "petstore-server printed no line within 10 s");
    constexpr std::string_view kPrefix = "listening on http://127.0.0.1:";
    INFO("first line: ", *line);
    REQUIRE(line->rfind(kPrefix, 0) == 0);
    const std::string digits = line->substr(kPrefix.size());
    REQUIRE(!digits.empty());
    REQUIRE(digits.find_first_not_of("0123456789") == std::string::npos);
    const long port = std::strtol(digits.c_str(), nullptr, 10);
    REQUIRE(port > 0);
    REQUIRE(port < 65536);
    client_.emplace("127.0.0.1", static_cast<unsigned short>(port));
  }

  HttpResult send(const std::string& method, const std::string& target,
                  const std::string& body = {}, const std::string& content_type = {},
                  const std::vector<std::pair<std::string, std::string>>& extra = {}) {
    std::vector<std::pair<std::string, std::string>> headers = extra;
    if (!content_type.empty()) headers.emplace_back("Content-Type", content_type);
    return client_->send(method, target, body, headers);
  }
  HttpResult send_json(const std::string& method, const std::string& target, const json& body) {
    return send(method, target, body.dump(), kJson);
  }

  /// Sends `signo` and expects exit code 0 within 10 s; kills the process otherwise.
  void stop(int signo = SIGTERM) {
    process_.signal(signo);
    std::optional<oasgen::test::ExitStatus> status = process_.wait(10s);
    if (!status) {
      process_.signal(SIGKILL);
      process_.wait(10s);
      FAIL("petstore-server did not exit within 10 s of signal ", signo);
    }
    INFO("signal: ", status->signal);
    CHECK(status->exited());
    CHECK(status->code == 0);
  }

 private:
  oasgen::test::ChildProcess process_;
  std::optional<oasgen::test::HttpClient> client_;  // one keep-alive connection, as a browser would
};

const json kRex = {{"name", "Rex"},
                   {"status", "available"},
                   {"category", {{"name", "Dogs"}}},
                   {"tags", {"good", "small"}}};
const json kTom = {
    {"name", "Tom"},    {"status", "pending"},       {"category", {{"id", 2}, {"name", "Cats"}}},
    {"tags", {"good"}}, {"birthDate", "2020-02-29"}, {"weightKg", 4.5}};
const json kNemo = {{"name", "Nemo Fish"},
                    {"status", "sold"},
                    {"category", {{"name", "Fish"}}},
                    {"tags", {"small"}},
                    {"nickname", "Little-1"}};

json with_id(json pet, long long id) {
  pet["id"] = id;
  return pet;
}

/// GET `target`, expecting 200 with an array; returns the ids and checks X-Total-Count.
std::vector<long long> list_ids(PetstoreServer& server, const std::string& target,
                                int total_count) {
  const HttpResult result = server.send("GET", target);
  INFO("GET ", target, " -> ", result.status, " ", result.body);
  CHECK(result.status == 200);
  CHECK(media_type(result) == kJson);
  CHECK(header(result, "X-Total-Count") == std::to_string(total_count));
  return ids_of(parse_body(result));
}

}  // namespace

TEST_CASE("petstore e2e: create, list, get, update and delete pets") {
  PetstoreServer server;

  long long next_id = 1;
  for (const json& pet : {kRex, kTom, kNemo}) {
    const HttpResult created = server.send_json("POST", "/pets", pet);
    INFO("POST ", pet.dump(), " -> ", created.body);
    CHECK(created.status == 201);
    CHECK(media_type(created) == kJson);
    CHECK(parse_body(created) == with_id(pet, next_id++));
  }

  SUBCASE("a second pet with a taken name is a conflict") {
    json again = kTom;
    again["name"] = "Rex";
    expect_error_body(server.send_json("POST", "/pets", again), 409);
    CHECK(list_ids(server, "/pets", 3) == std::vector<long long>{1, 2, 3});
  }

  SUBCASE("listing filters by every given tag and applies limit after counting") {
    CHECK(list_ids(server, "/pets", 3) == std::vector<long long>{1, 2, 3});
    CHECK(list_ids(server, "/pets?limit=2", 3) == std::vector<long long>{1, 2});
    CHECK(list_ids(server, "/pets?limit=100", 3) == std::vector<long long>{1, 2, 3});
    CHECK(list_ids(server, "/pets?tags=good", 2) == std::vector<long long>{1, 2});
    CHECK(list_ids(server, "/pets?tags=small", 2) == std::vector<long long>{1, 3});
    CHECK(list_ids(server, "/pets?tags=good&tags=small", 1) == std::vector<long long>{1});
    CHECK(list_ids(server, "/pets?tags=small&limit=1", 2) == std::vector<long long>{1});
    CHECK(list_ids(server, "/pets?tags=good&tags=nothing", 0).empty());

    const HttpResult all = server.send("GET", "/pets", {}, {},
                                       {{"X-Request-Id", "0b6f2c1e-9d4a-4c3b-8f5e-2a7d1c9e4b60"}});
    CHECK(all.status == 200);
    CHECK(parse_body(all) == json{with_id(kRex, 1), with_id(kTom, 2), with_id(kNemo, 3)});
  }

  SUBCASE("get, replace and delete one pet") {
    HttpResult got = server.send("GET", "/pets/2");
    CHECK(got.status == 200);
    CHECK(media_type(got) == kJson);
    CHECK(parse_body(got) == with_id(kTom, 2));

    // PUT replaces every field: tags, birthDate and weightKg are gone afterwards.
    const json replacement = {
        {"name", "Tommy"}, {"status", "sold"}, {"category", {{"name", "Cats"}}}, {"nickname", "T"}};
    const HttpResult updated = server.send_json("PUT", "/pets/2", replacement);
    CHECK(updated.status == 200);
    CHECK(media_type(updated) == kJson);
    CHECK(parse_body(updated) == with_id(replacement, 2));
    got = server.send("GET", "/pets/2");
    CHECK(got.status == 200);
    CHECK(parse_body(got) == with_id(replacement, 2));
    CHECK(list_ids(server, "/pets?tags=good", 1) == std::vector<long long>{1});

    const HttpResult deleted = server.send("DELETE", "/pets/2");
    CHECK(deleted.status == 204);
    CHECK(deleted.body.empty());
    expect_error_body(server.send("GET", "/pets/2"), 404);
    expect_error_body(server.send_json("PUT", "/pets/2", replacement), 404);
    expect_error_body(server.send("DELETE", "/pets/2"), 404);
    CHECK(list_ids(server, "/pets", 2) == std::vector<long long>{1, 3});

    // The name is free again once its pet is gone.
    const HttpResult recreated = server.send_json("POST", "/pets", replacement);
    CHECK(recreated.status == 201);
    CHECK(parse_body(recreated).value("name", "") == "Tommy");
  }

  SUBCASE("an id that was never issued is not found") {
    expect_error_body(server.send("GET", "/pets/99"), 404);
    expect_error_body(server.send("DELETE", "/pets/99"), 404);
  }

  server.stop();
}

TEST_CASE("petstore e2e: a body breaking several constraints gets 422 listing each violation") {
  PetstoreServer server;
  const json bad = {{"name", "Rex!"},              // pattern
                    {"status", "lost"},            // enum
                    {"category", {{"name", ""}}},  // minLength
                    {"tags", {"ok", ""}},          // minLength of an item
                    {"birthDate", "2020-13-45"},   // format: date
                    {"weightKg", 501},             // maximum
                    {"nickname", 5}};              // type
  const std::multiset<FieldErrorKey> expected = {
      {"body", "/name", "pattern"},
      {"body", "/status", "enum"},
      {"body", "/category/name", "minLength"},
      {"body", "/tags/1", "minLength"},
      {"body", "/birthDate", "format"},
      {"body", "/weightKg", "maximum"},
      {"body", "/nickname", "type"},
  };

  const json created =
      expect_problem(server.send_json("POST", "/pets", bad), 422, "urn:oasgen:problem:validation");
  INFO("problem: ", created.dump());
  CHECK(field_errors(created) == expected);

  REQUIRE(server.send_json("POST", "/pets", kRex).status == 201);
  const json replaced =
      expect_problem(server.send_json("PUT", "/pets/1", bad), 422, "urn:oasgen:problem:validation");
  INFO("problem: ", replaced.dump());
  CHECK(field_errors(replaced) == expected);
  // Nothing was stored by the rejected requests.
  CHECK(list_ids(server, "/pets", 1) == std::vector<long long>{1});

  // A missing member and an unknown member are reported at the member's own pointer.
  const json incomplete = {{"status", "available"}, {"category", {{"name", "Dogs"}, {"x", 1}}}};
  const json problem = expect_problem(server.send_json("POST", "/pets", incomplete), 422,
                                      "urn:oasgen:problem:validation");
  INFO("problem: ", problem.dump());
  CHECK(field_errors(problem) == std::multiset<FieldErrorKey>{
                                     {"body", "/name", "required"},
                                     {"body", "/category/x", "additionalProperties"},
                                 });

  server.stop();
}

TEST_CASE("petstore e2e: malformed bodies are rejected before validation") {
  PetstoreServer server;

  expect_problem(server.send("POST", "/pets", R"({"name": "Rex", )", kJson), 400,
                 "urn:oasgen:problem:malformed-request");
  expect_problem(server.send("POST", "/pets", kRex.dump(), "text/plain"), 415);
  expect_problem(server.send("POST", "/pets", "name=Rex", "application/x-www-form-urlencoded"),
                 415);

  const json missing = expect_problem(server.send("POST", "/pets"), 400);
  INFO("problem: ", missing.dump());
  CHECK(field_errors(missing) == std::multiset<FieldErrorKey>{{"body", "", "required"}});

  REQUIRE(server.send_json("POST", "/pets", kRex).status == 201);
  expect_problem(server.send("PUT", "/pets/1", "[1, 2", kJson), 400,
                 "urn:oasgen:problem:malformed-request");
  expect_problem(server.send("PUT", "/pets/1", kTom.dump(), "text/plain"), 415);
  expect_problem(server.send("PUT", "/pets/1"), 400);
  // The pet is untouched.
  CHECK(parse_body(server.send("GET", "/pets/1")) == with_id(kRex, 1));

  server.stop();
}

TEST_CASE("petstore e2e: bad parameters are 400 with the parameter's location and pointer") {
  PetstoreServer server;
  REQUIRE(server.send_json("POST", "/pets", kRex).status == 201);

  struct Case {
    std::string target;
    FieldErrorKey error;
    std::vector<std::pair<std::string, std::string>> headers;
  };
  const std::vector<Case> cases = {
      {"/pets?limit=0", {"query", "/limit", "minimum"}, {}},
      {"/pets?limit=1000", {"query", "/limit", "maximum"}, {}},
      {"/pets?limit=abc", {"query", "/limit", "type"}, {}},
      {"/pets/abc", {"path", "/petId", "type"}, {}},
      {"/pets/0", {"path", "/petId", "minimum"}, {}},
      {"/pets", {"header", "/X-Request-Id", "format"}, {{"X-Request-Id", "not-a-uuid"}}},
  };
  for (const Case& c : cases) {
    INFO("GET ", c.target);
    const json problem = expect_problem(server.send("GET", c.target, {}, {}, c.headers), 400);
    INFO("problem: ", problem.dump());
    CHECK(field_errors(problem) == std::multiset<FieldErrorKey>{c.error});
  }
  expect_problem(server.send("DELETE", "/pets/abc"), 400);
  expect_problem(server.send_json("PUT", "/pets/0", kTom), 400);

  server.stop();
}

TEST_CASE("petstore e2e: unknown paths, wrong methods and unimplemented operations") {
  PetstoreServer server;

  expect_problem(server.send("GET", "/nowhere"), 404);
  expect_problem(server.send("GET", "/pets/1/vaccinations/2"), 404);

  struct Case {
    std::string method;
    std::string target;
    std::string allow;
  };
  const std::vector<Case> cases = {
      {"PATCH", "/pets", "GET, HEAD, POST"},         {"DELETE", "/pets", "GET, HEAD, POST"},
      {"POST", "/pets/1", "DELETE, GET, HEAD, PUT"}, {"PATCH", "/pets/1", "DELETE, GET, HEAD, PUT"},
      {"POST", "/pets/1/vaccinations", "GET, HEAD"},
  };
  for (const Case& c : cases) {
    INFO(c.method, " ", c.target);
    const HttpResult result = server.send(c.method, c.target);
    expect_problem(result, 405);
    CHECK(header(result, "Allow") == c.allow);
  }

  expect_problem(server.send("GET", "/pets/1/vaccinations"), 501);

  server.stop();
}

TEST_CASE("petstore e2e: SIGINT also stops the server with exit code 0") {
  PetstoreServer server;
  CHECK(server.send("GET", "/pets").status == 200);
  server.stop(SIGINT);
}
