// The catalog service over HTTP: every operation and every declared error, on SQLite or (under
// with_postgres.sh) PostgreSQL, in this process or as two instances behind nginx.
#include <doctest/doctest.h>

#include <oasgen/security/jwt_signer.hpp>

#include "catalog_fixture.hpp"
#include "sql.hpp"

using namespace catalog_test;

TEST_CASE("catalog: accounts, login and the current user") {
  Served served;
  Api api(served.port);

  auto result = api.send("POST", "/v2/users", {{"email", "Ann@Example.com"}, {"password", "long-enough-1"}, {"name", "Ann"}});
  REQUIRE(result.status == 201);
  // nginx answers with its own Server field (it does not pass the upstream's on).
  CHECK(result.headers.get("Server").value_or("").rfind("nginx", 0) == (behind_nginx() ? 0u : std::string::npos));
  const std::string where = std::string(behind_nginx() ? "by two instances behind nginx" : "in process") +
                            " on " + (on_postgres() ? "PostgreSQL" : "SQLite");
  MESSAGE("served " << where);
  const json ann = body_of(result);
  CHECK(ann["email"] == "ann@example.com");
  CHECK(ann["admin"] == false);
  CHECK(result.headers.get("Location") == "/v2/users/" + std::to_string(ann["id"].get<std::int64_t>()));
  CHECK_FALSE(ann.contains("password"));

  // The same email (any case) again: 409. A short password, an unknown member: 422. Not JSON: 400.
  result = api.send("POST", "/v2/users", {{"email", "ann@example.COM"}, {"password", "long-enough-2"}, {"name", "Ann 2"}});
  CHECK(is_problem(result, 409));
  CHECK(body_of(result)["type"] == "https://catalog.example/problems/email-taken");
  CHECK(is_problem(api.send("POST", "/v2/users", {{"email", "bob@example.com"}, {"password", "short"}, {"name", "B"}}), 422));
  CHECK(is_problem(api.send("POST", "/v2/users", {{"email", "not-an-email"}, {"password", "long-enough-1"}, {"name", "B"}}), 422));
  CHECK(is_problem(api.raw("POST", "/v2/users", "{\"email\":", {{"Content-Type", "application/json"}}), 400));

  // Login: a token that is not cached; wrong password and unknown email alike are 401.
  result = api.send("POST", "/v2/auth/login", {{"email", "ann@example.com"}, {"password", "long-enough-1"}});
  REQUIRE(result.status == 200);
  CHECK(result.headers.get("Cache-Control") == "no-store");
  const json token = body_of(result);
  CHECK(token["token_type"] == "Bearer");
  CHECK(token["expires_in"] == 900);
  CHECK(token["scope"] == "");
  const std::string ann_token = token["access_token"];
  result = api.send("POST", "/v2/auth/login", {{"email", "ann@example.com"}, {"password", "wrong-password"}});
  CHECK(is_problem(result, 401));
  const std::string wrong_password_detail = body_of(result)["detail"];
  result = api.send("POST", "/v2/auth/login", {{"email", "nobody@example.com"}, {"password", "wrong-password"}});
  CHECK(is_problem(result, 401));
  CHECK(body_of(result)["detail"] == wrong_password_detail);  // does not tell which accounts exist
  CHECK(result.body.find("wrong-password") == std::string::npos);
  CHECK(is_problem(api.send("POST", "/v2/auth/login", {{"email", "ann@example.com"}}), 422));
  CHECK(is_problem(api.raw("POST", "/v2/auth/login", "[", {{"Content-Type", "application/json"}}), 400));

  // The current user needs a token the service issued.
  result = api.get("/v2/users/me", ann_token);
  REQUIRE(result.status == 200);
  CHECK(body_of(result)["id"] == ann["id"]);
  CHECK(is_problem(api.get("/v2/users/me"), 401));
  CHECK(is_problem(api.get("/v2/users/me", "e30.e30.e30"), 401));
  // A token signed with another secret, however well-formed, is refused.
  const oasgen::security::JwtSigner forger(oasgen::security::JwtAlgorithm::HS256, std::string(32, 'x'), "catalog-1");
  const std::string forged = forger.sign(oasgen::security::access_token_claims(
      std::to_string(ann["id"].get<std::int64_t>()), {"admin"}, std::chrono::minutes(5), {"catalog", "catalog-api", {}}));
  CHECK(is_problem(api.get("/v2/users/me", forged), 401));
  CHECK(is_problem(api.send("POST", "/v2/products", product_input("SKU-FORGED"), forged), 401));
  const std::string admin = api.login(kAdminEmail, kAdminPassword);
  result = api.get("/v2/users/me", admin);
  CHECK(body_of(result)["admin"] == true);

  // A token outlives its account: the account is gone (404), the token still verifies.
  auto connection = catalog_db::connection_factory(served.url, 1).open();
  connection->execute("DELETE FROM users WHERE id = ?", {ann["id"].get<std::int64_t>()});
  result = api.get("/v2/users/me", ann_token);
  CHECK(is_problem(result, 404));
}

TEST_CASE("catalog: products, ETags, If-Match and every declared error") {
  Served served;
  Api api(served.port);
  const std::string admin = api.login(kAdminEmail, kAdminPassword);
  const std::string customer = api.customer("carl@example.com");

  // Create: 201 with Location and ETag; without a token 401, without the admin scope 403.
  auto result = api.send("POST", "/v2/products", product_input("SKU-1"), admin);
  REQUIRE(result.status == 201);
  const json product = body_of(result);
  const std::string path = "/v2/products/" + std::to_string(product["id"].get<std::int64_t>());
  CHECK(result.headers.get("Location") == path);
  CHECK(result.headers.get("ETag") == "\"v1\"");
  CHECK(product["version"] == 1);
  CHECK(is_problem(api.send("POST", "/v2/products", product_input("SKU-2")), 401));
  result = api.send("POST", "/v2/products", product_input("SKU-2"), customer);
  CHECK(is_problem(result, 403));
  CHECK(result.headers.get("WWW-Authenticate").value_or("").find("insufficient_scope") != std::string::npos);
  CHECK(is_problem(api.send("POST", "/v2/products", product_input("SKU-1"), admin), 409));  // a taken SKU
  CHECK(is_problem(api.send("POST", "/v2/products", product_input("lower-case"), admin), 422));
  CHECK(is_problem(api.send("POST", "/v2/products", product_input("SKU-3", -1), admin), 422));
  CHECK(is_problem(api.raw("POST", "/v2/products", "{", {{"Content-Type", "application/json"}, {"Authorization", "Bearer " + admin}}), 400));

  // Read: 200 with the ETag; 304 for If-None-Match with it; 404; 412 for a GET with a stale If-Match.
  result = api.get(path);
  REQUIRE(result.status == 200);
  const std::string etag = std::string(result.headers.get("ETag").value_or(""));
  CHECK(etag == "\"v1\"");
  result = api.get(path, {}, {{"If-None-Match", etag}});
  CHECK(result.status == 304);
  CHECK(result.body.empty());
  CHECK(result.headers.get("ETag") == etag);
  CHECK(api.get(path, {}, {{"If-None-Match", "\"v0\""}}).status == 200);
  CHECK(is_problem(api.get("/v2/products/999999"), 404));
  CHECK(api.get(path, {}, {{"If-Match", "\"v0\""}}).status == 412);
  CHECK(is_problem(api.get("/v2/products/0"), 400));

  // Update: 428 without If-Match, 412 with a stale one, 200 and a new ETag with the current one.
  json change = product_input("SKU-1", 7, 2500, "Better widget");
  result = api.send("PUT", path, change, admin);
  CHECK(is_problem(result, 428));
  CHECK(is_problem(api.send("PUT", path, change, admin, {{"If-Match", "\"v0\""}}), 412));
  result = api.send("PUT", path, change, admin, {{"If-Match", etag}});
  REQUIRE(result.status == 200);
  CHECK(result.headers.get("ETag") == "\"v2\"");
  CHECK(body_of(result)["name"] == "Better widget");
  // The old tag is stale now: a second writer with it gets 412, and the reader's copy is refreshed.
  CHECK(is_problem(api.send("PUT", path, change, admin, {{"If-Match", etag}}), 412));
  CHECK(api.get(path, {}, {{"If-None-Match", etag}}).status == 200);
  CHECK(is_problem(api.send("PUT", path, change, customer, {{"If-Match", "\"v2\""}}), 403));
  CHECK(is_problem(api.send("PUT", path, change, {}, {{"If-Match", "\"v2\""}}), 401));
  CHECK(is_problem(api.send("PUT", "/v2/products/999999", change, admin, {{"If-Match", "\"v1\""}}), 404));
  CHECK(is_problem(api.send("PUT", path, product_input("SKU-1", 1, -5), admin, {{"If-Match", "\"v2\""}}), 422));
  CHECK(is_problem(api.raw("PUT", path, "[1", {{"Content-Type", "application/json"}, {"If-Match", "\"v2\""}, {"Authorization", "Bearer " + admin}}), 400));
  REQUIRE(api.send("POST", "/v2/products", product_input("SKU-OTHER"), admin).status == 201);
  CHECK(is_problem(api.send("PUT", path, product_input("SKU-OTHER"), admin, {{"If-Match", "\"v2\""}}), 409));

  // Pictures: checked by size and by their bytes.
  const std::string image_path = path + "/image";
  const auto auth = std::make_pair(std::string("Authorization"), "Bearer " + admin);
  const std::string png = std::string("\x89PNG\r\n\x1a\n", 8) + std::string(100, 'p');
  result = api.raw("PUT", image_path, png, {{"Content-Type", "image/png"}, auth});
  CHECK(result.status == 204);
  result = api.get(path);
  CHECK(body_of(result)["image"] == json{{"media_type", "image/png"}, {"bytes", 108}});
  CHECK(result.headers.get("ETag") == "\"v3\"");
  CHECK(api.raw("PUT", image_path, "\xFF\xD8\xFF\xE0 jpeg", {{"Content-Type", "image/jpeg"}, auth}).status == 204);
  CHECK(is_problem(api.raw("PUT", image_path, png, {{"Content-Type", "image/jpeg"}, auth}), 415));  // bytes say PNG
  CHECK(is_problem(api.raw("PUT", image_path, "GIF89a", {{"Content-Type", "image/gif"}, auth}), 415));
  const std::string huge = std::string("\x89PNG\r\n\x1a\n", 8) + std::string(512 * 1024, 'p');
  CHECK(is_problem(api.raw("PUT", image_path, huge, {{"Content-Type", "image/png"}, auth}), 413));
  CHECK(is_problem(api.raw("PUT", "/v2/products/999999/image", png, {{"Content-Type", "image/png"}, auth}), 404));
  CHECK(is_problem(api.raw("PUT", image_path, png, {{"Content-Type", "image/png"}}), 401));
  CHECK(is_problem(api.raw("PUT", "/v2/products/0/image", png, {{"Content-Type", "image/png"}, auth}), 400));
  CHECK(is_problem(api.raw("PUT", image_path, png, {{"Content-Type", "image/png"}, {"Authorization", "Bearer " + customer}}), 403));

  // Delete: 409 while an order refers to the product (a foreign key), else 204, then 404.
  result = api.send("POST", "/v2/orders", {{"lines", {{{"product_id", product["id"]}, {"quantity", 1}}}}}, customer,
                    {{"Idempotency-Key", "\"delete-test\""}});
  REQUIRE(result.status == 201);
  result = api.send("DELETE", path, nullptr, admin);
  CHECK(is_problem(result, 409));
  CHECK(body_of(result)["type"] == "https://catalog.example/problems/product-ordered");
  CHECK(is_problem(api.send("DELETE", path, nullptr, customer), 403));
  CHECK(is_problem(api.send("DELETE", path, nullptr), 401));
  CHECK(is_problem(api.send("DELETE", "/v2/products/0", nullptr, admin), 400));
  result = api.send("POST", "/v2/products", product_input("SKU-GONE"), admin);
  const std::string gone = "/v2/products/" + std::to_string(body_of(result)["id"].get<std::int64_t>());
  CHECK(api.send("DELETE", gone, nullptr, admin).status == 204);
  CHECK(is_problem(api.send("DELETE", gone, nullptr, admin), 404));
  CHECK(is_problem(api.get(gone), 404));
}

TEST_CASE("catalog: search and filters; cursors are checked") {
  Served served;
  Api api(served.port);
  const std::string admin = api.login(kAdminEmail, kAdminPassword);
  REQUIRE(api.send("POST", "/v2/products", product_input("BOOK-1", 3, 1500, "The C++ Book", "books"), admin).status == 201);
  REQUIRE(api.send("POST", "/v2/products", product_input("BOOK-2", 0, 4500, "A 100% true story", "books"), admin).status == 201);
  REQUIRE(api.send("POST", "/v2/products", product_input("RAKE-1", 9, 2500, "Rake", "garden"), admin).status == 201);

  const auto skus = [&](const std::string& query) {
    const auto result = api.get("/v2/products" + query);
    REQUIRE(result.status == 200);
    std::vector<std::string> out;
    const json page = body_of(result);
    for (const json& item : page["items"]) out.push_back(item["sku"]);
    return out;
  };
  using List = std::vector<std::string>;
  CHECK(skus("") == List{"BOOK-1", "BOOK-2", "RAKE-1"});
  CHECK(skus("?q=c%2B%2B") == List{"BOOK-1"});
  CHECK(skus("?q=BOOK") == List{"BOOK-1"});  // in the name, any case
  CHECK(skus("?q=100%25") == List{"BOOK-2"});  // % is matched literally
  CHECK(skus("?q=_") == List{});              // so is _
  CHECK(skus("?category=books") == List{"BOOK-1", "BOOK-2"});
  CHECK(skus("?min_price=2000&max_price=3000") == List{"RAKE-1"});
  CHECK(skus("?in_stock=false") == List{"BOOK-2"});
  CHECK(skus("?in_stock=true&category=books") == List{"BOOK-1"});

  // Bad parameters are 400 (the runtime's validation of parameters), and so are cursors that this
  // listing did not issue.
  CHECK(is_problem(api.get("/v2/products?limit=0"), 400));
  CHECK(is_problem(api.get("/v2/products?limit=101"), 400));
  CHECK(is_problem(api.get("/v2/products?category=food"), 400));
  CHECK(is_problem(api.get("/v2/products?cursor=bogus"), 400));
  auto result = api.get("/v2/products?limit=1");
  const std::string cursor = body_of(result)["next_cursor"];
  std::string altered = cursor;
  altered[2] = altered[2] == 'A' ? 'B' : 'A';
  CHECK(is_problem(api.get("/v2/products?cursor=" + altered), 400));
  const std::string customer = api.customer("dora@example.com");
  CHECK(is_problem(api.get("/v2/orders?cursor=" + cursor, customer), 400));  // a products cursor
  CHECK(is_problem(api.get("/v2/orders?limit=0", customer), 400));
  CHECK(is_problem(api.get("/v2/orders"), 401));
}

TEST_CASE("catalog: migrations are recorded once") {
  const std::string url = fresh_database_url();
  {
    catalog_app::CatalogService first(test_options(url));
    CHECK(first.dialect() == (on_postgres() ? catalog_db::Dialect::kPostgres : catalog_db::Dialect::kSqlite));
    CHECK(first.migrations_applied() == 3);
  }
  catalog_app::CatalogService second(test_options(url));
  CHECK(second.migrations_applied() == 0);
  if (!on_postgres()) {
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(url + suffix);
  }
}

TEST_CASE("catalog: /v1 serves the same products, marked deprecated with a sunset") {
  Served served;
  Api api(served.port);
  const std::string admin = api.login(kAdminEmail, kAdminPassword);
  REQUIRE(api.send("POST", "/v2/products", product_input("OLD-1", 0, 1905, "Gramophone", "music"), admin).status == 201);
  REQUIRE(api.send("POST", "/v2/products", product_input("OLD-2", 3, 7, "Needle", "music"), admin).status == 201);

  auto result = api.get("/v1/products?limit=1");
  REQUIRE(result.status == 200);
  CHECK(body_of(result) == json::parse(R"([{"id": 1, "sku": "OLD-1", "name": "Gramophone", "price": "19.05", "in_stock": false}])"));
  CHECK(result.headers.get("Deprecation") == "@1767225600");
  CHECK(result.headers.get("Sunset") == "Fri, 01 Jan 2027 00:00:00 GMT");
  CHECK(result.headers.get("Link") == "</v2/products>; rel=\"successor-version\"");
  result = api.get("/v1/products?after=1");
  CHECK(body_of(result) == json::parse(R"([{"id": 2, "sku": "OLD-2", "name": "Needle", "price": "0.07", "in_stock": true}])"));
  result = api.get("/v1/products/2");
  CHECK(body_of(result)["price"] == "0.07");
  CHECK(result.headers.contains("Sunset"));
  // Its errors are deprecated too; v2 is not.
  result = api.get("/v1/products/99");
  CHECK(is_problem(result, 404));
  CHECK(result.headers.contains("Deprecation"));
  CHECK(is_problem(api.get("/v1/products?limit=0"), 400));
  result = api.get("/v2/products/2");
  CHECK(result.status == 200);
  CHECK_FALSE(result.headers.contains("Deprecation"));
  CHECK_FALSE(result.headers.contains("Sunset"));
  CHECK(is_problem(api.get("/products/2"), 404));  // no unversioned paths
}

TEST_CASE("catalog: HTTP dates for Sunset") {
  using std::chrono::seconds;
  using std::chrono::system_clock;
  CHECK(catalog_app::http_date(system_clock::time_point(seconds(784111777))) == "Sun, 06 Nov 1994 08:49:37 GMT");
  CHECK(catalog_app::http_date(system_clock::time_point(seconds(951782400))) == "Tue, 29 Feb 2000 00:00:00 GMT");
}
