// The socket-free client core: URLs, problems, credentials, server URLs, response reading and
// results.
#include <doctest/doctest.h>

#include <memory>

#include "oasgen/client.hpp"

using nlohmann::json;
using oasgen::ClientError;
using oasgen::Location;

TEST_CASE("client: absolute URLs parse, others do not") {
  auto url = oasgen::parse_url("https://api.example.com:8443/v1/");
  REQUIRE(url);
  CHECK(url->scheme == "https");
  CHECK(url->host == "api.example.com");
  CHECK(url->port == 8443);
  CHECK(url->path == "/v1");
  url = oasgen::parse_url("HTTP://[::1]/");
  REQUIRE(url);
  CHECK(url->host == "::1");
  CHECK(url->port == 80);
  CHECK(url->path.empty());
  for (const char* bad : {"/v1", "ftp://x", "http://", "http://x:0", "http://x:70000",
                          "http://u@x", "http://x/?q", "http://[::1"}) {
    CAPTURE(bad);
    CHECK_FALSE(oasgen::parse_url(bad));
  }
}

TEST_CASE("client: problem+json bodies parse into a Problem") {
  auto problem = oasgen::parse_problem(
      R"({"type":"urn:oasgen:problem:validation","title":"Bad Request","status":400,)"
      R"("detail":"1 validation error","errors":[{"location":"query","pointer":"limit",)"
      R"("keyword":"maximum","message":"must be at most 100"}]})");
  REQUIRE(problem);
  CHECK(problem->status == 400);
  CHECK(problem->type == "urn:oasgen:problem:validation");
  CHECK(problem->detail == "1 validation error");
  REQUIRE(problem->errors.size() == 1);
  CHECK(problem->errors[0].location == Location::Query);
  CHECK(problem->errors[0].keyword == "maximum");
  CHECK_FALSE(oasgen::parse_problem("not json"));
  CHECK_FALSE(oasgen::parse_problem("[1]"));
}

TEST_CASE("client: credentials go where each scheme says, for the first satisfiable alternative") {
  using Kind = oasgen::SecurityScheme::Kind;
  static constexpr oasgen::SecurityScheme kQueryKey{"q", Kind::ApiKey, Location::Query, "api_key", ""};
  static constexpr oasgen::SecurityScheme kCookieKey{"c", Kind::ApiKey, Location::Cookie, "sid", ""};
  static constexpr oasgen::SecurityScheme kHeaderKey{"h", Kind::ApiKey, Location::Header, "X-Key", ""};
  static constexpr oasgen::SecurityScheme kBasic{"b", Kind::Http, Location::Header, "", "basic"};
  static constexpr oasgen::SecurityScheme kBearer{"t", Kind::Http, Location::Header, "", "bearer"};
  static constexpr oasgen::SecurityScheme kOAuth{"o", Kind::OAuth2, Location::Header, "", ""};
  // (q and c) or basic or bearer.
  const oasgen::SecurityUse uses[] = {{0, &kQueryKey}, {0, &kCookieKey}, {1, &kBasic}, {2, &kBearer}};
  auto request = [] {
    oasgen::Request r;
    r.target = "/x?a=1";
    r.headers.set("Cookie", "theme=dark");
    return r;
  };
  oasgen::Credentials credentials;
  credentials.api_keys["q"] = "k&1";
  credentials.bearer_token = "tok";
  auto r = request();
  oasgen::apply_security(r, uses, 4, credentials);  // q alone does not satisfy alternative 0
  CHECK(r.target == "/x?a=1");
  CHECK(r.headers.get("Authorization") == "Bearer tok");

  credentials.api_keys["c"] = "s 1";
  r = request();
  oasgen::apply_security(r, uses, 4, credentials);
  CHECK(r.target == "/x?a=1&api_key=k%261");
  CHECK(r.headers.get("Cookie") == "theme=dark; sid=s%201");
  CHECK_FALSE(r.headers.contains("Authorization"));

  credentials.api_keys.clear();
  credentials.basic = oasgen::BasicCredentials{"Aladdin", "open sesame"};
  r = request();
  oasgen::apply_security(r, uses, 4, credentials);
  CHECK(r.headers.get("Authorization") == "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==");  // RFC 7617

  const oasgen::SecurityUse header_or_none[] = {{0, &kHeaderKey}, {1, nullptr}};
  r = request();
  oasgen::apply_security(r, header_or_none, 2, {});
  CHECK(r.headers.size() == 1);  // the empty alternative needs nothing
  const oasgen::SecurityUse oauth[] = {{0, &kOAuth}};
  r = request();
  oasgen::apply_security(r, oauth, 1, credentials);
  CHECK(r.headers.get("Authorization") == "Bearer tok");
}

TEST_CASE("client: server URLs expand their variables") {
  const oasgen::ServerVariable variables[] = {{"region", "eu"}, {"version", "v2"}};
  CHECK(oasgen::expand_server_url("https://{region}.example.com/{version}", variables, 2) ==
        "https://eu.example.com/v2");
  CHECK(oasgen::expand_server_url("https://{region}.example.com/{version}", variables, 2,
                                  {{"region", "us"}}) == "https://us.example.com/v2");
  CHECK_THROWS_AS(oasgen::expand_server_url("http://x", variables, 2, {{"zone", "a"}}),
                  std::invalid_argument);
  CHECK_THROWS_AS(oasgen::expand_server_url("http://{host}", nullptr, 0), std::invalid_argument);
}

namespace {

oasgen::Response response(int status, std::string type, std::string body) {
  oasgen::Response r;
  r.status = status;
  if (!type.empty()) r.headers.set("Content-Type", std::move(type));
  r.body = std::move(body);
  return r;
}

}  // namespace

TEST_CASE("client: a JSON body is validated before it is converted") {
  oasgen::ResponseReader in(response(200, "application/json; charset=utf-8", R"({"n": "x"})"), true);
  auto body = in.json_body("application/json");
  REQUIRE(body);
  {
    auto at = in.validator().enter(Location::Body);
    if (in.validator().type(*body, oasgen::JsonType::Object)) {
      auto n = in.validator().enter("n");
      in.validator().type((*body)["n"], oasgen::JsonType::Integer);
    }
  }
  std::map<std::string, int> out;
  in.convert(*body, out);
  CHECK(out.empty());
  CHECK_FALSE(in.good());
  ClientError error = in.error();
  CHECK(error.kind == ClientError::Kind::Invalid);
  CHECK(error.status == 200);
  REQUIRE(error.errors.size() == 1);
  CHECK(error.errors[0].pointer == "/n");
  CHECK(error.message == "the 200 response breaks the spec: body /n expected integer, got string");
}

TEST_CASE("client: with validation off, a conversion failure is still an Invalid error") {
  oasgen::ResponseReader in(response(200, "application/json", R"({"n": "x"})"), false);
  auto body = in.json_body("application/json");
  REQUIRE(body);
  std::map<std::string, int> out;
  in.convert(*body, out);
  CHECK_FALSE(in.good());
  CHECK(in.error().kind == ClientError::Kind::Invalid);
}

TEST_CASE("client: an undeclared problem+json body is an Undeclared error with its problem") {
  oasgen::ResponseReader in(
      response(404, "application/problem+json", R"({"status":404,"title":"Not Found","detail":"no route"})"),
      true);
  CHECK_FALSE(in.json_body("application/json"));
  ClientError error = in.error();
  CHECK(error.kind == ClientError::Kind::Undeclared);
  REQUIRE(error.problem);
  CHECK(error.problem->detail == "no route");
  CHECK(error.message == "undeclared response 404: no route");
}

TEST_CASE("client: missing, mistyped and malformed bodies are Invalid") {
  struct Row {
    oasgen::Response response;
    std::string keyword;
  };
  const Row rows[] = {{response(200, "application/json", ""), "required"},
                      {response(200, "text/html", "<p>"), "contentType"},
                      {response(200, "application/json", "{"), "json"}};
  for (const auto& row : rows) {
    oasgen::ResponseReader in(row.response, true);
    CHECK_FALSE(in.json_body("application/json"));
    ClientError error = in.error();
    CHECK(error.kind == ClientError::Kind::Invalid);
    REQUIRE(error.errors.size() == 1);
    CHECK(error.errors[0].keyword == row.keyword);
  }
}

TEST_CASE("client: response headers decode like simple-style parameters") {
  auto r = response(200, "", "");
  r.headers.set("X-Rate", "7");
  r.headers.set("X-Tags", "a, b");
  oasgen::ResponseReader in(r, true);
  oasgen::ParamSpec rate{"X-Rate", Location::Header, oasgen::ParamStyle::Simple, false, true,
                         oasgen::ParamShape::Scalar, oasgen::JsonType::Integer};
  oasgen::ParamSpec tags{"x-tags", Location::Header, oasgen::ParamStyle::Simple, false, false,
                         oasgen::ParamShape::Array, oasgen::JsonType::String};
  oasgen::ParamSpec missing{"X-Missing", Location::Header, oasgen::ParamStyle::Simple, false, true,
                            oasgen::ParamShape::Scalar, oasgen::JsonType::String};
  CHECK(in.header(rate) == json(7));
  CHECK(in.header(tags) == json::array({"a", "b"}));
  CHECK_FALSE(in.header(missing));
  ClientError error = in.error();
  CHECK(error.kind == ClientError::Kind::Invalid);
  REQUIRE(error.errors.size() == 1);
  CHECK(error.errors[0].location == Location::Header);
  CHECK(error.errors[0].keyword == "required");
}

namespace {

struct Ok {
  int n = 0;
};
struct NotFound {};
using Declared = oasgen::Result<Ok, NotFound>;
using Result = oasgen::ClientResult<Declared>;

// Records what it is asked to send and answers with a canned response.
class Recorder : public oasgen::Transport {
 public:
  oasgen::TransportResult send(const oasgen::Request& request,
                               const oasgen::RequestOptions& options) override {
    sent = request;
    timeout = options.timeout;
    if (fail) throw std::runtime_error("socket on fire");
    return response(204, "", "");
  }
  oasgen::Request sent;
  std::chrono::milliseconds timeout{0};
  bool fail = false;
};

}  // namespace

TEST_CASE("client: results hold one of the declared cases or a ClientError") {
  Result ok = Ok{3};
  CHECK(ok.ok());
  CHECK(ok.index() == 0);
  REQUIRE(ok.get_if<Ok>());
  CHECK(ok.get_if<Ok>()->n == 3);
  CHECK(ok.get_if<NotFound>() == nullptr);
  CHECK(ok.value().get_if<Ok>()->n == 3);
  const int seen = ok.visit(oasgen::overloaded{[](const Ok& value) { return value.n; },
                                               [](const NotFound&) { return -1; },
                                               [](const ClientError&) { return -2; }});
  CHECK(seen == 3);

  Result failed = ClientError{ClientError::Kind::Transport, "timed out: slow", {}, 0, {}, {}, {}, {}};
  CHECK_FALSE(failed.ok());
  CHECK(failed.index() == 2);
  CHECK(failed.error().message == "timed out: slow");
  CHECK_THROWS_WITH_AS(failed.value(), "timed out: slow", oasgen::ClientException);
  CHECK_THROWS_AS(ok.error(), std::logic_error);

  Result declared = Declared(NotFound{});
  CHECK(declared.index() == 1);
  CHECK(std::move(declared).value().holds<NotFound>());
}

TEST_CASE("client: results copy their case and leave nothing behind when moved") {
  Declared first = Ok{7};
  Declared copy = first;
  copy.get_if<Ok>()->n = 8;
  CHECK(first.get_if<Ok>()->n == 7);
  Declared moved = std::move(first);
  CHECK(moved.get_if<Ok>()->n == 7);
  CHECK(first.index() == Declared::npos);  // NOLINT(bugprone-use-after-move)
  CHECK_THROWS_AS(first.visit([](const auto&) {}), std::logic_error);
  copy = moved;
  CHECK(copy.get_if<Ok>()->n == 7);
  copy = NotFound{};
  CHECK(copy.holds<NotFound>());
  CHECK(Declared().get_if<Ok>()->n == 0);
}

TEST_CASE("client: results of move-only cases build, since a case's copy is instantiated only where copied") {
  // With the copy compiled for every case, as before, this did not compile.
  using Owning = oasgen::Result<std::unique_ptr<int>, NotFound>;
  Owning owning = std::make_unique<int>(5);
  Owning moved = std::move(owning);
  CHECK(**moved.get_if<std::unique_ptr<int>>() == 5);
  moved = NotFound{};
  CHECK(moved.index() == 1);

  Declared in_place(std::in_place_type<NotFound>);
  CHECK(in_place.holds<NotFound>());
  Result client_side(std::in_place_type<Ok>);
  CHECK(client_side.get_if<Ok>()->n == 0);
  Result copied = client_side;
  client_side.get_if<Ok>()->n = 4;
  CHECK(copied.get_if<Ok>()->n == 0);
  CHECK(client_side.value().get_if<Ok>()->n == 4);
}

TEST_CASE("client: the core adds default and per-call headers and reports a throwing transport") {
  auto recorder = std::make_shared<Recorder>();
  oasgen::ClientOptions options;
  options.default_headers.set("X-Team", "pets");
  options.default_headers.set("Accept", "text/plain");
  oasgen::ClientCore core(recorder, options);
  oasgen::Request request;
  request.target = "/x";
  request.headers.set("Accept", "application/json");
  oasgen::RequestOptions call;
  call.timeout = std::chrono::milliseconds(250);
  call.headers.set("X-Trace", "1");
  auto in = core.send(request, nullptr, 0, call);
  CHECK(in.status() == 204);
  CHECK(recorder->sent.headers.get("Accept") == "application/json");
  CHECK(recorder->sent.headers.get("X-Team") == "pets");
  CHECK(recorder->sent.headers.get("X-Trace") == "1");
  CHECK(recorder->timeout.count() == 250);

  recorder->fail = true;
  auto failed = core.send(request, nullptr, 0, {});
  REQUIRE(failed.failed());
  ClientError error = failed.error();
  CHECK(error.kind == ClientError::Kind::Transport);
  REQUIRE(error.transport);
  CHECK(error.transport->kind == oasgen::TransportErrorKind::Io);
  CHECK(error.message == "connection lost: socket on fire");
}

TEST_CASE("client: propagate passes the request id and the trace context on") {
  oasgen::Request request;
  request.request_id = "req-7";
  request.trace.trace_id = "4bf92f3577b34da6a3ce929d0e0e4736";
  request.trace.parent_id = "00f067aa0ba902b7";
  request.trace.span_id = "b7ad6b7169203331";
  request.trace.flags = "01";
  request.trace.state = "congo=t61rcWkgMzE";
  const oasgen::Context context(request);
  oasgen::RequestOptions options;
  options.headers.set("X-Team", "pets");
  const auto out = oasgen::propagate(context, options);
  CHECK(out.headers.get("X-Request-Id") == "req-7");
  // The parent of the outgoing call is this request's own span, not its caller's.
  CHECK(out.headers.get("traceparent") == "00-4bf92f3577b34da6a3ce929d0e0e4736-b7ad6b7169203331-01");
  CHECK(out.headers.get("tracestate") == "congo=t61rcWkgMzE");
  CHECK(out.headers.get("X-Team") == "pets");
  // A request without them passes nothing on.
  const oasgen::Request bare;
  CHECK(oasgen::propagate(oasgen::Context(bare)).headers.empty());
}
