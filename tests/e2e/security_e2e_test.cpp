// The spec's security, enforced by the generated server over HTTP on 127.0.0.1, for every operation
// of specs/security.yaml (inherited and overridden requirements, OR, AND, `{}`, `[]`, oauth2 scope
// sets) and of the corpus's oa31-security.yaml (every kind of scheme): see security_matrix.hpp.
#include <doctest/doctest.h>

#include <oasgen/server.hpp>

#include <atomic>
#include <string>

#include "http_client.hpp"
#include "security_judge.hpp"
#include "security/server.hpp"
#include "security_matrix.hpp"
#ifdef OASGEN_HAVE_OA31_SECURITY
#include "oa31_security/server.hpp"
#endif

namespace {

using security_test::judge;
using nlohmann::json;

// specs/security.yaml: every operation answers with what admitted the call.
class Echo : public security::Handler {
 public:
  std::atomic<int> calls{0};

  security::BothResult both(const security::BothRequest&, oasgen::Context& c) override { return security::BothOk{caller(c)}; }
  security::EitherResult either(const security::EitherRequest&, oasgen::Context& c) override {
    return security::EitherOk{caller(c)};
  }
  security::InheritedResult inherited(const security::InheritedRequest&, oasgen::Context& c) override {
    return security::InheritedOk{caller(c)};
  }
  security::OptionalAuthResult optional_auth(const security::OptionalAuthRequest&, oasgen::Context& c) override {
    return security::OptionalAuthOk{caller(c)};
  }
  security::ReadPetsResult read_pets(const security::ReadPetsRequest&, oasgen::Context& c) override {
    return security::ReadPetsOk{caller(c)};
  }
  security::WritePetsResult write_pets(const security::WritePetsRequest&, oasgen::Context& c) override {
    return security::WritePetsOk{caller(c)};
  }
  security::ProfileResult profile(const security::ProfileRequest&, oasgen::Context& c) override {
    return security::ProfileOk{caller(c)};
  }
  security::PublicOperationResult public_operation(const security::PublicOperationRequest&, oasgen::Context& c) override {
    return security::PublicOperationOk{caller(c)};
  }
  security::SignedResult signed_(const security::SignedRequest&, oasgen::Context& c) override {
    return security::SignedOk{caller(c)};
  }

 private:
  security::Caller caller(oasgen::Context& context) {
    ++calls;
    context.response_headers().set("X-Request-Id", std::string(context.request_id()));
    security::Caller out;
    const oasgen::Principal* principal = context.principal();
    out.anonymous = principal == nullptr;
    if (principal == nullptr) return out;
    out.alternative = static_cast<std::int64_t>(principal->alternative);
    out.subject = std::string(principal->subject());
    out.schemes.emplace();
    for (const auto& identity : principal->identities) out.schemes->push_back(identity.scheme);
    return out;
  }
};

using Judge = security_test::SecretJudge<security::Authenticator>;

struct Served {
  Echo echo;
  Judge judge;
  oasgen::Router router;
  oasgen::Server server{router, {}};
  unsigned short port = 0;
  explicit Served(bool with_authenticator = true) {
    if (with_authenticator) {
      security::register_routes(router, echo, judge);
    } else {
      security::register_routes(router, echo);
    }
    port = server.start();
  }
};

bool admitted_as(const oasgen::test::HttpResult& result, std::optional<std::size_t> alternative) {
  if (result.status != 200) return false;
  const json body = json::parse(result.body, nullptr, false);
  if (!alternative) return body.value("anonymous", false) && !body.contains("subject");
  return !body.value("anonymous", true) && body.value("alternative", -1) == static_cast<int>(*alternative) &&
         body.value("subject", "") == "alice";
}

}  // namespace

TEST_CASE("security: every operation of specs/security.yaml enforces its requirement") {
  Served served;
  const auto tally = security_test::run_matrix(
      {security::kOperations, std::size(security::kOperations), served.port,
       [&] { return served.echo.calls.load(); }, admitted_as});
  CHECK(tally.failed == 0);
  // The floor, from the spec: 9 operations called bare, 7 of them challenged; 10 alternatives with
  // schemes, each called good and bad; 3 of them scoped; 2 second alternatives beside a bad first.
  CHECK(tally.passed >= 9 + 7 + 2 * 10 + 3 + 2);
}

TEST_CASE("security: challenges and problems name what is missing (RFC 6750, RFC 7617)") {
  Served served;
  oasgen::test::HttpClient client("127.0.0.1", served.port);
  auto result = client.send("GET", "/inherited");
  CHECK(result.status == 401);
  CHECK(result.headers.get_all("WWW-Authenticate") == std::vector<std::string_view>{R"(Bearer realm="Security rules")"});
  CHECK(json::parse(result.body)["detail"] == "this operation requires credentials: 'bearer'");

  result = client.send("GET", "/either");
  CHECK(result.headers.get_all("WWW-Authenticate") ==
        std::vector<std::string_view>{R"(ApiKey realm="Security rules", in="header", name="X-API-Key")",
                                      R"(Basic realm="Security rules", charset="UTF-8")"});
  CHECK(json::parse(result.body)["detail"] == "this operation requires credentials: 'header_key', or 'basic'");

  // A bad token: error="invalid_token" first, then the operation's challenges; the description
  // comes from the authenticator.
  result = client.send("GET", "/pets", "", {{"Authorization", "Bearer bad-credential"}});
  CHECK(result.status == 401);
  CHECK(result.headers.get_all("WWW-Authenticate") ==
        std::vector<std::string_view>{R"(Bearer realm="Security rules", error="invalid_token", scope="pets:read")",
                                      R"(Bearer realm="Security rules", scope="pets:read")"});
  CHECK(json::parse(result.body)["detail"] == "the credential for 'oauth' was not accepted: unknown credential");

  result = client.send("POST", "/pets", R"({"name": "Rex"})",
                       {{"Authorization", "Bearer unscoped-credential"}, {"Content-Type", "application/json"}});
  CHECK(result.status == 403);
  CHECK(result.headers.get("WWW-Authenticate") ==
        R"(Bearer realm="Security rules", error="insufficient_scope", scope="pets:read pets:write")");
  CHECK(json::parse(result.body)["detail"] ==
        "the credential for 'oauth' lacks a required scope (required: pets:read pets:write)");

  // AND: one of the two is not enough.
  result = client.send("GET", "/both", "", {{"X-API-Key", "good-credential"}});
  CHECK(result.status == 401);
  CHECK(served.echo.calls == 0);

  // A malformed Authorization header is 400 invalid_request (RFC 6750 section 3.1).
  result = client.send("GET", "/inherited", "", {{"Authorization", "Bearer a b"}});
  CHECK(result.status == 400);
  CHECK(result.headers.get("WWW-Authenticate") == R"(Bearer realm="Security rules", error="invalid_request")");
  result = client.send("GET", "/either", "", {{"Authorization", "Basic bm8tY29sb24="}});  // "no-colon"
  CHECK(result.status == 400);
  result = client.send("GET", "/inherited", "",
                       {{"Authorization", "Bearer good-credential"}, {"Authorization", "Bearer good-credential"}});
  CHECK(result.status == 400);
  // The scheme name is case-insensitive (RFC 9110 section 11.1).
  result = client.send("GET", "/inherited", "", {{"Authorization", "bEaReR good-credential"}});
  CHECK(result.status == 200);
  // The handler's response headers arrive, and the request id it saw is the router's.
  CHECK(result.headers.get("X-Request-Id").value_or("").size() == 16);
  CHECK(served.echo.calls == 1);
}

TEST_CASE("security: an anonymous 1 MB body is refused before it is parsed") {
  Served served;
  oasgen::test::HttpClient client("127.0.0.1", served.port);
  // Not JSON at all: a parse would answer 400, validation 422; security answers first.
  const std::string body(1000 * 1000, '{');
  auto result = client.send("POST", "/pets", body, {{"Content-Type", "application/json"}});
  CHECK(result.status == 401);
  CHECK(json::parse(result.body)["type"] == oasgen::kProblemUnauthenticated);
  // The same body with a good credential is parsed, and refused as malformed.
  result = client.send("POST", "/pets", body, {{"Content-Type", "application/json"}, {"Authorization", "Bearer good-credential"}});
  CHECK(result.status == 400);
  CHECK(served.echo.calls == 0);
}

TEST_CASE("security: without an authenticator every secured operation is refused") {
  Served served(false);
  oasgen::test::HttpClient client("127.0.0.1", served.port);
  for (const auto& op : security::kOperations) {
    if (op.method != "GET") continue;
    const auto result = client.send("GET", std::string(op.path), "",
                                    {{"Authorization", "Bearer good-credential"}, {"X-API-Key", "good-credential"}});
    CAPTURE(op.path);
    CHECK(result.status == (op.security_count == 0 ? 200 : 401));
  }
  CHECK(served.echo.calls == 1);  // the public operation
}

#ifdef OASGEN_HAVE_OA31_SECURITY
namespace {

// oa31-security.yaml: handlers are unimplemented, so a call that gets through answers 501.
class Unimplemented : public oa31_security::UnimplementedHandler {};

class Oa31Judge : public oa31_security::Authenticator {
 public:
  std::atomic<int> admitted{0};
  oasgen::AuthResult count(oasgen::AuthResult result) {
    if (result.admitted()) ++admitted;
    return result;
  }
  oasgen::AuthResult api_key_cookie(const oasgen::ApiKeyCredential& c, const oasgen::AuthCheck& k) override { return count(judge(c.key, k)); }
  oasgen::AuthResult api_key_header(const oasgen::ApiKeyCredential& c, const oasgen::AuthCheck& k) override { return count(judge(c.key, k)); }
  oasgen::AuthResult api_key_query(const oasgen::ApiKeyCredential& c, const oasgen::AuthCheck& k) override { return count(judge(c.key, k)); }
  oasgen::AuthResult basic(const oasgen::BasicCredential& c, const oasgen::AuthCheck& k) override { return count(judge(c.password, k)); }
  oasgen::AuthResult bearer(const oasgen::BearerCredential& c, const oasgen::AuthCheck& k) override { return count(judge(c.token, k)); }
  oasgen::AuthResult bearer_jwt(const oasgen::BearerCredential& c, const oasgen::AuthCheck& k) override { return count(judge(c.token, k)); }
  oasgen::AuthResult oauth2(const oasgen::BearerCredential& c, const oasgen::AuthCheck& k) override { return count(judge(c.token, k)); }
  oasgen::AuthResult oauth2_authorization_code(const oasgen::BearerCredential& c, const oasgen::AuthCheck& k) override { return count(judge(c.token, k)); }
  oasgen::AuthResult oauth2_client_credentials(const oasgen::BearerCredential& c, const oasgen::AuthCheck& k) override { return count(judge(c.token, k)); }
  oasgen::AuthResult oauth2_implicit(const oasgen::BearerCredential& c, const oasgen::AuthCheck& k) override { return count(judge(c.token, k)); }
  oasgen::AuthResult oauth2_password(const oasgen::BearerCredential& c, const oasgen::AuthCheck& k) override { return count(judge(c.token, k)); }
  oasgen::AuthResult open_id_connect(const oasgen::BearerCredential& c, const oasgen::AuthCheck& k) override { return count(judge(c.token, k)); }
};

}  // namespace

TEST_CASE("security: every operation of the corpus's oa31-security.yaml enforces its requirement") {
  Unimplemented handler;
  Oa31Judge authenticator;
  oasgen::Router router;
  oa31_security::register_routes(router, handler, authenticator);
  oasgen::Server server(router, {});
  const unsigned short port = server.start();
  // A call reaches the handler when it answers 501 (the handler throws NotImplemented); the
  // anonymous operation has no authenticator call to count, so 501s are counted on the wire.
  int reached = 0;
  const auto tally = security_test::run_matrix(
      {oa31_security::kOperations, std::size(oa31_security::kOperations), port, [&] { return reached; },
       [&](const oasgen::test::HttpResult& result, std::optional<std::size_t>) {
         if (result.status == 501) ++reached;
         return result.status == 501;
       }});
  CHECK(tally.failed == 0);
  CHECK(tally.passed >= 2 * 15);
}
#endif
