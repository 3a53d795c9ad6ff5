#include "oasgen/middleware/cors.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <memory>
#include <stdexcept>
#include <string>
#include <tuple>
#include <utility>
#include <variant>
#include <vector>

#include "oasgen/operation.hpp"
#include "oasgen/router.hpp"
#include "oasgen/security.hpp"

namespace {

using oasgen::Request;
using oasgen::Response;
using HeaderList = std::vector<std::pair<std::string, std::string>>;

const oasgen::SecurityScheme kBearer{"bearer", oasgen::SecurityScheme::Kind::Http,
                                     oasgen::Location::Header, "", "bearer"};
const oasgen::SecurityUse kBearerUse{0, &kBearer, nullptr, 0};

const oasgen::OperationInfo kListPets{"listPets", "GET",         "/pets",         nullptr, 0,
                                      "pets",     "X-Trace-Tag", "X-Total-Count", ""};
const oasgen::OperationInfo kCreatePet{
    "createPet", "POST", "/pets", &kBearerUse, 1, "pets", "Authorization, Content-Type",
    "Location",  ""};
const oasgen::OperationInfo kDeletePet{
    "deletePet", "DELETE", "/pets/{petId}", nullptr, 0, "pets", "", "", ""};
const oasgen::OperationInfo kOptionsThing{
    "thingOptions", "OPTIONS", "/things", nullptr, 0, "", "", "", ""};

Response ok(int status = 200) {
  Response response;
  response.status = status;
  response.headers.set("Content-Type", "application/json");
  response.body = "{}";
  return response;
}

struct Fixture {
  explicit Fixture(oasgen::CorsPolicy policy) {
    router.add(kListPets, [](const Request&) { return ok(); });
    oasgen::RouteSecurity security;
    security.authenticate = [](const oasgen::Credential& credential, const oasgen::AuthCheck&) {
      const auto* bearer = std::get_if<oasgen::BearerCredential>(&credential);
      if (bearer != nullptr && bearer->token == "good") return oasgen::AuthResult::admit({});
      return oasgen::AuthResult::reject();
    };
    router.add(
        kCreatePet, [](const Request&) { return ok(201); }, security);
    router.add(kDeletePet, [](const Request&) { return ok(204); });
    router.add(kOptionsThing, [](const Request&) { return ok(299); });
    router.add("GET", "/boom", [](const Request&) -> Response { throw std::runtime_error("x"); });
    router.use(std::make_shared<oasgen::Cors>(router, std::move(policy)));
  }

  Response send(std::string method, std::string target, const HeaderList& headers = {}) const {
    Request request;
    request.method = std::move(method);
    request.target = std::move(target);
    for (const auto& [name, value] : headers) request.headers.add(name, value);
    return router.handle(std::move(request));
  }

  Response preflight(std::string target, std::string origin, std::string method,
                     std::string headers = {}) const {
    HeaderList list = {{"Origin", std::move(origin)},
                       {"Access-Control-Request-Method", std::move(method)}};
    if (!headers.empty()) list.emplace_back("Access-Control-Request-Headers", std::move(headers));
    return send("OPTIONS", std::move(target), list);
  }

  oasgen::Router router;
};

oasgen::CorsPolicy policy(std::vector<std::string> origins, bool credentials = false) {
  oasgen::CorsPolicy result;
  result.origins = std::move(origins);
  result.credentials = credentials;
  return result;
}

std::vector<std::string> vary_tokens(const Response& response) {
  std::vector<std::string> tokens;
  for (std::string_view field : response.headers.get_all("Vary")) {
    std::size_t start = 0;
    while (start <= field.size()) {
      std::size_t comma = field.find(',', start);
      if (comma == std::string_view::npos) comma = field.size();
      std::string_view token = field.substr(start, comma - start);
      while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
      if (!token.empty()) tokens.emplace_back(token);
      start = comma + 1;
    }
  }
  return tokens;
}

}  // namespace

TEST_CASE("cors: exact origins and one-label-or-more patterns") {
  Fixture fixture(
      policy({"https://app.example.com", "https://*.example.org", "http://127.0.0.1:3000"}));
  const oasgen::Cors cors(
      fixture.router,
      policy({"https://app.example.com", "https://*.example.org", "http://127.0.0.1:3000"}));
  struct Case {
    std::string origin;
    bool allowed;
  };
  const Case cases[] = {
      {"https://app.example.com", true},        {"HTTPS://APP.EXAMPLE.COM", true},
      {"https://app.example.com:443", false},   {"http://app.example.com", false},
      {"https://evil-app.example.com", false},  {"https://app.example.com.evil.net", false},
      {"https://a.example.org", true},          {"https://a.b.example.org", true},
      {"https://example.org", false},           {"https://.example.org", false},
      {"https://a_b.example.org", false},       {"https://a.example.org:8443", false},
      {"https://evil.net/.example.org", false}, {"http://127.0.0.1:3000", true},
      {"http://127.0.0.1:3001", false},         {"null", false},
  };
  for (const Case& c : cases) {
    CAPTURE(c.origin);
    CHECK(cors.allows(c.origin) == c.allowed);
    Response response = fixture.send("GET", "/pets", {{"Origin", c.origin}});
    CHECK(response.headers.contains("Access-Control-Allow-Origin") == c.allowed);
    if (c.allowed) CHECK(response.headers.get("Access-Control-Allow-Origin") == c.origin);
  }
}

TEST_CASE("cors: credentials are never allowed with *") {
  oasgen::Router router;
  CHECK_THROWS_WITH_AS(oasgen::Cors(router, policy({"*"}, true)),
                       "CORS: the origin \"*\" cannot be allowed together with credentials",
                       std::invalid_argument);
  Fixture any(policy({"*"}));
  Response response = any.send("GET", "/pets", {{"Origin", "https://anyone.example"}});
  CHECK(response.headers.get("Access-Control-Allow-Origin") == "*");
  CHECK_FALSE(response.headers.contains("Access-Control-Allow-Credentials"));

  Fixture credentialed(policy({"https://app.example.com"}, true));
  response = credentialed.send("GET", "/pets", {{"Origin", "https://app.example.com"}});
  CHECK(response.headers.get("Access-Control-Allow-Origin") == "https://app.example.com");
  CHECK(response.headers.get("Access-Control-Allow-Credentials") == "true");
}

TEST_CASE("cors: a preflight allows the path's methods and the headers its operations declare") {
  Fixture fixture(policy({"https://app.example.com"}, true));
  Response response =
      fixture.preflight("/pets", "https://app.example.com", "POST", "authorization,content-type");
  CHECK(response.status == 204);
  CHECK(response.body.empty());
  CHECK(response.headers.get("Access-Control-Allow-Origin") == "https://app.example.com");
  CHECK(response.headers.get("Access-Control-Allow-Credentials") == "true");
  CHECK(response.headers.get("Access-Control-Allow-Methods") == "GET, HEAD, POST");
  CHECK(response.headers.get("Access-Control-Allow-Headers") ==
        "X-Trace-Tag, Authorization, Content-Type, X-Request-Id, traceparent, tracestate");
  CHECK(response.headers.get("Access-Control-Max-Age") == "600");
  // Preflights are not authenticated: POST /pets needs a bearer token, the preflight does not.
  CHECK(fixture.send("POST", "/pets").status == 401);

  // The runtime's own headers (request id, trace context) are always allowed.
  CHECK(
      fixture.preflight("/pets/7", "https://app.example.com", "DELETE", "traceparent, X-Request-Id")
          .headers.get("Access-Control-Allow-Methods") == "DELETE");
}

TEST_CASE("cors: a refused preflight has no CORS headers, so the browser blocks the call") {
  Fixture fixture(policy({"https://app.example.com"}));
  const Response refused[] = {
      fixture.preflight("/pets", "https://evil.example.com", "GET"),
      fixture.preflight("/pets", "https://app.example.com", "PUT"),  // no PUT on /pets
      fixture.preflight("/pets", "https://app.example.com", "POST", "X-Secret"),
      fixture.preflight("/pets/7", "https://app.example.com", "GET"),  // only DELETE
  };
  for (const Response& response : refused) {
    CHECK(response.status == 204);
    CHECK_FALSE(response.headers.contains("Access-Control-Allow-Origin"));
    CHECK_FALSE(response.headers.contains("Access-Control-Allow-Methods"));
  }
  // A path nobody serves is the router's 404.
  CHECK(fixture.preflight("/nowhere", "https://app.example.com", "GET").status == 404);
}

TEST_CASE("cors: Vary: Origin on every response, allowed or not, preflight or not") {
  Fixture fixture(policy({"https://app.example.com"}));
  const Response responses[] = {
      fixture.send("GET", "/pets"),
      fixture.send("GET", "/pets", {{"Origin", "https://app.example.com"}}),
      fixture.send("GET", "/pets", {{"Origin", "https://evil.example.com"}}),
      fixture.preflight("/pets", "https://app.example.com", "GET"),
      fixture.preflight("/pets", "https://evil.example.com", "GET"),
  };
  for (const Response& response : responses) {
    const auto tokens = vary_tokens(response);
    CHECK(std::count(tokens.begin(), tokens.end(), "Origin") == 1);
  }
  const auto preflight = vary_tokens(responses[3]);
  CHECK(std::count(preflight.begin(), preflight.end(), "Access-Control-Request-Method") == 1);
}

TEST_CASE("cors: Vary is extended by token, not by substring") {
  oasgen::Router router;
  router.add("GET", "/a", [](const Request&) {
    Response response = ok();
    response.headers.set("Vary", "Origin-Agent-Cluster");
    return response;
  });
  router.add("GET", "/b", [](const Request&) {
    Response response = ok();
    response.headers.set("Vary", "Accept, origin");
    return response;
  });
  router.use(std::make_shared<oasgen::Cors>(router, policy({"https://app.example.com"})));
  Request a;
  a.method = "GET";
  a.target = "/a";
  CHECK(router.handle(a).headers.get("Vary") == "Origin-Agent-Cluster, Origin");
  Request b = a;
  b.target = "/b";
  CHECK(router.handle(b).headers.get("Vary") == "Accept, origin");
}

TEST_CASE("cors: error responses carry CORS headers and expose the declared headers") {
  Fixture fixture(policy({"https://app.example.com"}, true));
  const HeaderList origin = {{"Origin", "https://app.example.com"}};
  for (const auto& [method, target, status] :
       std::vector<std::tuple<std::string, std::string, int>>{{"POST", "/pets", 401},
                                                              {"GET", "/nowhere", 404},
                                                              {"PUT", "/pets", 405},
                                                              {"GET", "/boom", 500}}) {
    const std::string captured_target = target;  // C++17: CAPTURE cannot capture a binding
    CAPTURE(captured_target);
    Response response = fixture.send(method, target, origin);
    CHECK(response.status == status);
    CHECK(response.headers.get("Access-Control-Allow-Origin") == "https://app.example.com");
    CHECK(response.headers.get("Access-Control-Allow-Credentials") == "true");
  }
  CHECK(fixture.send("GET", "/pets", origin).headers.get("Access-Control-Expose-Headers") ==
        "X-Request-Id, RateLimit, RateLimit-Policy, Retry-After, WWW-Authenticate, X-Total-Count");
  CHECK(fixture
            .send("POST", "/pets",
                  {{"Origin", "https://app.example.com"}, {"Authorization", "Bearer good"}})
            .headers.get("Access-Control-Expose-Headers") ==
        "X-Request-Id, RateLimit, RateLimit-Policy, Retry-After, WWW-Authenticate, Location");
}

TEST_CASE("cors: a plain OPTIONS gets Allow, unless the spec declares an OPTIONS operation") {
  Fixture fixture(policy({"https://app.example.com"}));
  Response response = fixture.send("OPTIONS", "/pets");
  CHECK(response.status == 204);
  CHECK(response.headers.get("Allow") == "GET, HEAD, POST, OPTIONS");
  CHECK(fixture.send("OPTIONS", "/things").status == 299);
  // A preflight for the OPTIONS path is still a preflight.
  CHECK(fixture.preflight("/things", "https://app.example.com", "OPTIONS")
            .headers.get("Access-Control-Allow-Methods") == "OPTIONS");
}
