// The generated client against the generated server for tests/client/features.yaml, in-process over
// 127.0.0.1: every parameter style, form, multipart and raw bodies, status ranges, default, response
// headers, text responses, server variables and security schemes.
#include <doctest/doctest.h>

#include <mutex>
#include <optional>

#include "client_features/client.hpp"
#include "client_features/server.hpp"
#include "served.hpp"

namespace {

using nlohmann::json;

class Echo : public client_features::UnimplementedHandler {
 public:
  std::optional<client_features::StylesRequest> styled;

  client_features::StylesResult styles(const client_features::StylesRequest& request, oasgen::Context&) override {
    styled = request;
    client_features::StylesOk ok;
    ok.body = {{"label", request.label}, {"matrix", request.matrix}, {"simple", request.simple}};
    ok.x_count = static_cast<std::int64_t>(request.label.size());
    if (request.form) ok.x_names = std::vector<std::string>{"n1", "n 2"};
    return ok;
  }
  client_features::ExplodedResult exploded(const client_features::ExplodedRequest& request, oasgen::Context&) override {
    return client_features::ExplodedOk{request.filter.value_or(std::map<std::string, std::string>{})};
  }
  client_features::StatusesResult statuses(const client_features::StatusesRequest& request, oasgen::Context&) override {
    const int code = static_cast<int>(request.code);
    if (code == 200) return client_features::StatusesOk{"plain text"};
    client_features::Status status;
    status.status = code;
    status.note = "code " + std::to_string(code);
    if (code / 100 == 2) return client_features::StatusesSuccess{code, status};
    if (code / 100 == 4) return client_features::StatusesClientError{code, status};
    return client_features::StatusesDefault{code, status};
  }
  client_features::PostFormResult post_form(const client_features::PostFormRequest& request, oasgen::Context&) override {
    return client_features::PostFormOk{request.body};
  }
  client_features::PostMultipartResult post_multipart(const client_features::PostMultipartRequest& request, oasgen::Context&) override {
    return client_features::PostMultipartOk{request.body};
  }
  client_features::UploadFilesResult upload_files(const client_features::UploadFilesRequest& request, oasgen::Context&) override {
    std::vector<client_features::Upload> files;
    auto add = [&](const oasgen::File& file) {
      static constexpr char kHex[] = "0123456789abcdef";
      std::string hex;
      for (unsigned char c : file.data) hex += {kHex[c >> 4], kHex[c & 15]};
      files.push_back({file.content_type, file.filename, hex});
    };
    add(request.body->avatar);
    oasgen::for_each_file(request.body->attachments, add);
    return client_features::UploadFilesOk{files};
  }
  client_features::PutRawResult put_raw(const client_features::PutRawRequest& request, oasgen::Context&) override {
    return client_features::PutRawOk{request.body.media_type + ":" + request.body.data};
  }
  client_features::PostOptionalResult post_optional(const client_features::PostOptionalRequest& request, oasgen::Context&) override {
    if (request.body) return client_features::PostOptionalOk{*request.body};
    return client_features::PostOptionalNoContent{};
  }
  client_features::EitherKeyResult either_key(const client_features::EitherKeyRequest&, oasgen::Context&) override { return {}; }
  client_features::CookieAndBasicResult cookie_and_basic(const client_features::CookieAndBasicRequest&, oasgen::Context&) override {
    return {};
  }
  client_features::DefaultSecurityResult default_security(const client_features::DefaultSecurityRequest&, oasgen::Context&) override {
    return {};
  }
  client_features::NoSecurityResult no_security(const client_features::NoSecurityRequest&, oasgen::Context&) override { return {}; }
  client_features::OauthResult oauth(const client_features::OauthRequest&, oasgen::Context&) override { return {}; }
  client_features::GetAlertResult get_alert(const client_features::GetAlertRequest& request, oasgen::Context&) override {
    return client_features::GetAlertOk{request.alert_number + request.since.value_or(0)};
  }
};

// Admits any credential, which it names as the subject: these tests are about what the client sends
// (tests/security checks what the server does with it).
class AdmitAll : public client_features::Authenticator {
 public:
  oasgen::AuthResult bearer(const oasgen::BearerCredential& credential, const oasgen::AuthCheck&) override {
    return admit(credential.token);
  }
  oasgen::AuthResult basic(const oasgen::BasicCredential& credential, const oasgen::AuthCheck&) override {
    return admit(credential.username);
  }
  oasgen::AuthResult header_key(const oasgen::ApiKeyCredential& credential, const oasgen::AuthCheck&) override {
    return admit(credential.key);
  }
  oasgen::AuthResult query_key(const oasgen::ApiKeyCredential& credential, const oasgen::AuthCheck&) override {
    return admit(credential.key);
  }
  oasgen::AuthResult cookie_key(const oasgen::ApiKeyCredential& credential, const oasgen::AuthCheck&) override {
    return admit(credential.key);
  }
  oasgen::AuthResult oauth(const oasgen::BearerCredential& credential, const oasgen::AuthCheck&) override {
    return admit(credential.token);
  }

 private:
  static oasgen::AuthResult admit(const std::string& subject) {
    oasgen::Identity identity;
    identity.subject = subject;
    return oasgen::AuthResult::admit(std::move(identity));
  }
};

// The document's requirement (bearer) covers most operations: the tests' clients carry a token.
oasgen::ClientOptions with_token() {
  oasgen::ClientOptions options;
  options.credentials.bearer_token = "t0ken";
  return options;
}

// A transport of our own: records each request, then sends it over HTTP.
class Recording : public oasgen::Transport {
 public:
  explicit Recording(const std::string& url) : http_(url) {}
  oasgen::TransportResult send(const oasgen::Request& request,
                               const oasgen::RequestOptions& options) override {
    {
      std::lock_guard lock(mutex_);
      sent_.push_back(request);
    }
    return http_.send(request, options);
  }
  oasgen::Request last() {
    std::lock_guard lock(mutex_);
    return sent_.back();
  }

 private:
  oasgen::HttpTransport http_;
  std::mutex mutex_;
  std::vector<oasgen::Request> sent_;
};

}  // namespace

TEST_CASE("features round trip: every parameter style arrives as it was sent") {
  Echo echo;
  AdmitAll admit_all;
  Served served(echo, admit_all);
  client_features::Client client(served.url(), with_token());
  client_features::StylesRequest request;
  request.label = {"a", "b"};
  request.matrix = {{"x", 1}, {"y", -2}};
  request.simple = {3, 4, 5};
  request.form = std::vector<std::string>{"p q", "r,s", "t&u"};
  request.space = std::vector<double>{1.5, -2, 1e-3};
  request.pipe = std::vector<std::string>{"one", "two"};
  request.deep = std::map<std::string, std::string>{{"k", "v w"}, {"z", "&="}};
  request.flag = false;
  request.x_list = std::vector<std::string>{"h1", "h2"};
  request.x_object = std::map<std::string, std::int64_t>{{"a", 1}, {"b", 2}};
  request.theme = "dark; mode=1";
  request.sizes = std::vector<std::int64_t>{10, 20};

  auto result = client.styles(request);
  const auto& ok = expect<client_features::StylesOk>(result);
  CHECK(ok.x_count == 2);
  CHECK(ok.x_names == std::vector<std::string>{"n1", "n 2"});
  CHECK(ok.body["matrix"] == json(request.matrix));
  REQUIRE(served.handler.styled);
  const auto& got = *served.handler.styled;
  CHECK(got.label == request.label);
  CHECK(got.matrix == request.matrix);
  CHECK(got.simple == request.simple);
  CHECK(got.form == request.form);
  CHECK(got.space == request.space);
  CHECK(got.pipe == request.pipe);
  CHECK(got.deep == request.deep);
  CHECK(got.flag == request.flag);
  CHECK(got.x_list == request.x_list);
  CHECK(got.x_object == request.x_object);
  CHECK(got.theme == request.theme);
  CHECK(got.sizes == request.sizes);

  // Optional parameters left out stay out; a required response header that is missing is Invalid.
  client_features::StylesRequest minimal;
  minimal.label = {"only"};
  minimal.simple = {1};
  auto plain = client.styles(minimal);
  CHECK_FALSE(expect<client_features::StylesOk>(plain).x_names.has_value());
  CHECK_FALSE(served.handler.styled->form.has_value());
  CHECK_FALSE(served.handler.styled->theme.has_value());

  std::map<std::string, std::string> filter{{"color", "red"}, {"size", "x l"}};
  CHECK(expect<client_features::ExplodedOk>(client.exploded({filter})).body == filter);
}

TEST_CASE("features round trip: codes, ranges and default pick their cases") {
  Echo echo;
  AdmitAll admit_all;
  Served served(echo, admit_all);
  client_features::Client client(served.url(), with_token());
  CHECK(expect<client_features::StatusesOk>(client.statuses({200})).body == "plain text");
  const auto accepted = expect<client_features::StatusesSuccess>(client.statuses({202}));
  CHECK(accepted.status == 202);
  CHECK(accepted.body.note == "code 202");
  CHECK(expect<client_features::StatusesClientError>(client.statuses({418})).status == 418);
  const auto other = expect<client_features::StatusesDefault>(client.statuses({503}));
  CHECK(other.status == 503);
  CHECK(other.body.status == 503);
}

TEST_CASE("features round trip: form, multipart, raw and optional bodies") {
  Echo echo;
  AdmitAll admit_all;
  Served served(echo, admit_all);
  client_features::Client client(served.url(), with_token());
  client_features::Form form;
  form.name = "Rex & Fido";
  form.count = 2;
  form.tags = std::vector<std::string>{"a", "b c"};
  auto echoed = [](const client_features::Form& f) { return json(f); };
  CHECK(echoed(expect<client_features::PostFormOk>(client.post_form({form})).body) == echoed(form));
  CHECK(echoed(expect<client_features::PostMultipartOk>(client.post_multipart({form})).body) ==
        echoed(form));

  client_features::UploadFilesBody upload;
  upload.title = "Holiday";
  upload.avatar = {std::string("\x89PNG\0", 5), "me; \"1\".png", "image/png"};
  upload.attachments = std::vector<oasgen::File>{{"{\"a\": 1}", "a.json", "application/json"}, {"x", "", ""}};
  const auto uploaded = expect<client_features::UploadFilesOk>(client.upload_files({upload})).body;
  REQUIRE(uploaded.size() == 3);
  auto labels = [](const client_features::Upload& u) { return std::vector<std::string>{u.hex, u.filename, u.content_type}; };
  CHECK(labels(uploaded[0]) == std::vector<std::string>{"89504e4700", "me; \"1\".png", "image/png"});
  CHECK(labels(uploaded[1]) == std::vector<std::string>{"7b2261223a20317d", "a.json", "application/json"});
  CHECK(labels(uploaded[2]) == std::vector<std::string>{"78", "", "application/octet-stream"});

  oasgen::RawBody raw{"", std::string("\x00\x01\xff", 3)};
  CHECK(expect<client_features::PutRawOk>(client.put_raw({raw})).body ==
        "application/octet-stream:" + raw.data);

  expect<client_features::PostOptionalNoContent>(client.post_optional({}));
  client_features::Status status;
  status.status = 7;
  CHECK(expect<client_features::PostOptionalOk>(client.post_optional({status})).body.status == 7);
}

TEST_CASE("features round trip: credentials follow each operation's requirement") {
  Echo echo;
  AdmitAll admit_all;
  Served served(echo, admit_all);
  auto recording = std::make_shared<Recording>(served.url());
  oasgen::ClientOptions options;
  options.credentials.api_keys["query_key"] = "q-key";
  options.credentials.api_keys["cookie_key"] = "c key";
  options.credentials.basic = oasgen::BasicCredentials{"user", "pass"};
  options.default_headers.set("X-Team", "pets");
  client_features::Client client(recording, options);

  expect<client_features::EitherKeyNoContent>(client.either_key({}));  // header_key absent: query_key
  auto sent = recording->last();
  CHECK(sent.target == "/secure/either-key?api_key=q-key");
  CHECK_FALSE(sent.headers.contains("X-Api-Key"));
  CHECK(sent.headers.get("X-Team") == "pets");

  expect<client_features::CookieAndBasicNoContent>(client.cookie_and_basic({}));
  sent = recording->last();
  CHECK(sent.headers.get("Cookie") == "session=c%20key");
  CHECK(sent.headers.get("Authorization") == "Basic dXNlcjpwYXNz");

  // No bearer token: the client sends none, and the server refuses the call.
  auto refused = client.default_security({});
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().status == 401);
  CHECK_FALSE(recording->last().headers.contains("Authorization"));
  expect<client_features::OauthNoContent>(client.oauth({}));  // the empty alternative: anonymous
  CHECK_FALSE(recording->last().headers.contains("Authorization"));

  options.credentials.bearer_token = "t0ken";
  options.credentials.api_keys["header_key"] = "h-key";
  client_features::Client with_token(recording, options);
  expect<client_features::DefaultSecurityNoContent>(with_token.default_security({}));
  CHECK(recording->last().headers.get("Authorization") == "Bearer t0ken");
  expect<client_features::OauthNoContent>(with_token.oauth({}));
  CHECK(recording->last().headers.get("Authorization") == "Bearer t0ken");
  expect<client_features::NoSecurityNoContent>(with_token.no_security({}));
  CHECK_FALSE(recording->last().headers.contains("Authorization"));
  expect<client_features::EitherKeyNoContent>(with_token.either_key({}));
  CHECK(recording->last().headers.get("X-Api-Key") == "h-key");
  CHECK(recording->last().target == "/secure/either-key");
}

TEST_CASE("features round trip: server URLs with variables") {
  CHECK(client_features::server_url() == "http://127.0.0.1:8080/v1");
  CHECK(client_features::server_url(0, {{"port", "9000"}}) == "http://127.0.0.1:9000/v1");
  CHECK(client_features::server_url(1) == "https://api.example.com");
  CHECK_THROWS_AS(client_features::server_url(0, {{"region", "eu"}}), std::invalid_argument);
}

TEST_CASE("features round trip: a parameter whose schema is readOnly is accepted in a request") {
  Echo echo;
  AdmitAll admit_all;
  Served served(echo, admit_all);
  client_features::Client client(served.url(), with_token());
  client_features::GetAlertRequest request;
  request.alert_number = 42;
  request.since = 1;
  CHECK(expect<client_features::GetAlertOk>(client.get_alert(request)).body == 43);
  // The server on its own, without the client's checks.
  oasgen::Request raw;
  raw.method = "GET";
  raw.target = "/alerts/7?since=2";
  const auto response = served.router.handle(raw);
  CHECK(response.status == 200);
  CHECK(response.body == "9");
}
