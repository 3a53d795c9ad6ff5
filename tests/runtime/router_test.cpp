#include "oasgen/router.hpp"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

using nlohmann::json;
using oasgen::Request;
using oasgen::Response;
using oasgen::Router;

namespace {

// A handler that answers with its name and the path parameters it was given.
oasgen::RouteHandler echo(std::string name) {
  return [name](const Request& request) {
    Response response;
    response.headers.set("X-Route", name);
    response.body = name;
    for (const auto& [key, value] : request.path_params) response.body += " " + key + "=" + value;
    return response;
  };
}

Response send(const Router& router, std::string method, std::string target) {
  Request request;
  request.method = std::move(method);
  request.target = std::move(target);
  return router.handle(std::move(request));
}

Router pet_router() {
  Router router;
  router.add("GET", "/pets", echo("list"));
  router.add("POST", "/pets", echo("create"));
  router.add("GET", "/pets/{petId}", echo("get"));
  router.add("DELETE", "/pets/{petId}", echo("delete"));
  router.add("GET", "/pets/mine", echo("mine"));
  router.add("GET", "/pets/{petId}/photos/{photoId}", echo("photo"));
  router.add("GET", "/pets/mine/photos", echo("my photos"));
  router.add("GET", "/files/{name}.{ext}", echo("file"));
  router.add("GET", "/", echo("root"));
  router.add("GET", "/pets/", echo("slash"));
  return router;
}

json problem_of(const Response& response) {
  CHECK(response.headers.get("Content-Type") == "application/problem+json");
  return json::parse(response.body);
}

}  // namespace

TEST_CASE("router: a literal segment wins over a parameter, with backtracking") {
  Router router = pet_router();
  struct Case {
    std::string method, target, body;
  };
  for (const Case& c : std::vector<Case>{
           {"GET", "/pets", "list"},
           {"POST", "/pets?x=1", "create"},
           {"GET", "/pets/mine", "mine"},
           {"GET", "/pets/7", "get petId=7"},
           {"DELETE", "/pets/mine", "delete petId=mine"},  // the literal has no DELETE
           {"GET", "/pets/mine/photos/3", "photo petId=mine photoId=3"},
           {"GET", "/pets/mine/photos", "my photos"},
           {"GET", "/files/report.tar.gz", "file name=report ext=tar.gz"},
           {"GET", "/", "root"},
           {"GET", "/pets/", "slash"},
           {"GET", "/pets/a%2Fb%20c", "get petId=a/b c"},
           {"GET", "/p%65ts", "list"},
       }) {
    CAPTURE(c.method + " " + c.target);
    Response response = send(router, c.method, c.target);
    CHECK(response.status == 200);
    CHECK(response.body == c.body);
  }
}

TEST_CASE("router: no matching template is 404") {
  Router router = pet_router();
  for (std::string target : {"/dogs", "/pets/7/", "/pets/7/photos", "//pets", "*", "/files/x."}) {
    CAPTURE(target);
    Response response = send(router, "GET", target);
    CHECK(response.status == 404);
    CHECK(problem_of(response) == json::parse(R"({"type":"about:blank","title":"Not Found",
            "status":404,"detail":"no route matches this path"})"));
  }
}

TEST_CASE("router: a path without the method is 405 with Allow") {
  Router router = pet_router();
  Response response = send(router, "PUT", "/pets");
  CHECK(response.status == 405);
  CHECK(response.headers.get("Allow") == "GET, HEAD, POST");
  CHECK(problem_of(response)["detail"] == "method PUT is not allowed here");
  // Both /pets/mine and /pets/{petId} match: Allow lists the methods of both.
  CHECK(send(router, "POST", "/pets/mine").headers.get("Allow") == "DELETE, GET, HEAD");
  CHECK(send(router, "get", "/pets").status == 405);  // methods are case-sensitive
}

TEST_CASE("router: HEAD runs GET without the body") {
  Router router = pet_router();
  Response response = send(router, "HEAD", "/pets/7");
  CHECK(response.status == 200);
  CHECK(response.headers.get("X-Route") == "get");
  CHECK(response.body.empty());
  Response missing = send(router, "HEAD", "/nothing");
  CHECK(missing.status == 404);
  CHECK(missing.body.empty());
  CHECK(missing.headers.get("Content-Type") == "application/problem+json");
}

TEST_CASE("router: a malformed escape in the path is 400") {
  Response response = send(pet_router(), "GET", "/pets/%zz");
  CHECK(response.status == 400);
  CHECK(problem_of(response)["detail"] == "malformed percent-encoding in the request path");
}

TEST_CASE("router: exceptions become problems without leaking messages") {
  Router router;
  router.add("GET", "/ni",
             [](const Request&) -> Response { throw oasgen::NotImplemented("list_pets"); });
  router.add("GET", "/http", [](const Request&) -> Response {
    throw oasgen::HttpError(409, "pet 7 already exists");
  });
  router.add("GET", "/std",
             [](const Request&) -> Response { throw std::runtime_error("password=hunter2"); });
  router.add("GET", "/json", [](const Request&) -> Response {
    return Response{200, {}, json::parse("{\"a\":1}").at("secret").dump()};
  });
  router.add("GET", "/int", [](const Request&) -> Response { throw 42; });
  struct Case {
    std::string target;
    int status;
    std::string detail;
  };
  for (const Case& c : std::vector<Case>{
           {"/ni", 501, "operation not implemented: list_pets"},
           {"/http", 409, "pet 7 already exists"},
           {"/std", 500, "the server failed to handle the request"},
           {"/json", 500, "the server failed to handle the request"},
           {"/int", 500, "the server failed to handle the request"},
       }) {
    CAPTURE(c.target);
    Response response = send(router, "GET", c.target);
    CHECK(response.status == c.status);
    json problem = problem_of(response);
    CHECK(problem["status"] == c.status);
    CHECK(problem["detail"] == c.detail);
  }
}

TEST_CASE("router: invalid and duplicate templates are rejected") {
  Router router;
  router.add("GET", "/pets/{id}", echo("a"));
  CHECK_THROWS_WITH_AS(router.add("GET", "/pets/{petId}", echo("b")),
                       "route GET /pets/{petId} conflicts with /pets/{id}", std::invalid_argument);
  router.add("PUT", "/pets/{petId}", echo("put"));
  CHECK(send(router, "PUT", "/pets/3").body == "put petId=3");
  CHECK(send(router, "GET", "/pets/3").body == "a id=3");
  for (std::string bad : {"pets", "/pets/{id", "/pets/id}", "/pets/{}", "/{a}{b}", "/{a}/{a}"}) {
    CAPTURE(bad);
    CHECK_THROWS_AS(router.add("GET", bad, echo("x")), std::invalid_argument);
  }
}

TEST_CASE("router: a moved router keeps its routes") {
  Router router = pet_router();
  Router moved = std::move(router);
  CHECK(send(moved, "GET", "/pets/7").body == "get petId=7");
}
