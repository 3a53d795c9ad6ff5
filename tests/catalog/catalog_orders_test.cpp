// Orders and listings under load: pagination through 1,000 rows while rows are inserted,
// idempotent replay, and 100 concurrent orders for the last 10 items.
#include <doctest/doctest.h>

#include <atomic>
#include <map>
#include <set>
#include <thread>

#include "catalog_fixture.hpp"

using namespace catalog_test;

namespace {

std::int64_t create_product(Api& api, const std::string& admin, const json& input) {
  const auto result = api.send("POST", "/v2/products", input, admin);
  REQUIRE(result.status == 201);
  return body_of(result)["id"].get<std::int64_t>();
}

/// The target of a `Link: <target>; rel="next"` field; "" without one.
std::string next_link(const oasgen::test::HttpResult& result) {
  const std::string link(result.headers.get("Link").value_or(""));
  if (link.empty()) return {};
  REQUIRE(link.front() == '<');
  const auto end = link.find('>');
  REQUIRE(end != std::string::npos);
  CHECK(link.substr(end) == ">; rel=\"next\"");
  return link.substr(1, end - 1);
}

json order_of(std::int64_t product, int quantity) {
  return {{"lines", {{{"product_id", product}, {"quantity", quantity}}}}};
}

}  // namespace

TEST_CASE("catalog: 1,000 rows paged while rows are inserted: none lost, none repeated") {
  Served served;
  Api api(served.port);
  const std::string admin = api.login(kAdminEmail, kAdminPassword);
  std::set<std::int64_t> before;
  for (int i = 0; i < 1000; ++i) {
    before.insert(create_product(api, admin, product_input("PAGE-" + std::to_string(i), 1, 100 + i)));
  }
  std::multiset<std::int64_t> seen;
  std::string target = "/v2/products?limit=37&min_price=100";
  int pages = 0;
  int inserted = 0;
  while (!target.empty()) {
    const auto result = api.get(target);
    REQUIRE(result.status == 200);
    const json page = body_of(result);
    for (const json& item : page["items"]) seen.insert(item["id"].get<std::int64_t>());
    target = next_link(result);
    CHECK(page.contains("next_cursor") == !target.empty());
    // Rows arrive between pages (some before the position, all with larger ids).
    for (int i = 0; i < 3; ++i) {
      create_product(api, admin, product_input("LATE-" + std::to_string(inserted++), 1, 5000));
    }
    REQUIRE(++pages < 200);
  }
  for (std::int64_t id : before) CHECK_MESSAGE(seen.count(id) == 1, "product " << id);
  for (std::int64_t id : seen) CHECK_MESSAGE(seen.count(id) == 1, "product " << id << " served twice");
  CHECK(pages >= 1000 / 37);
}

TEST_CASE("catalog: orders, with idempotent replay and every declared error") {
  Served served;
  Api api(served.port);
  const std::string admin = api.login(kAdminEmail, kAdminPassword);
  const std::string eve = api.customer("eve@example.com");
  const std::string fay = api.customer("fay@example.com");
  const std::int64_t pen = create_product(api, admin, product_input("PEN-1", 5, 250, "Pen"));
  const std::int64_t ink = create_product(api, admin, product_input("INK-1", 1, 900, "Ink"));

  const json two_lines = {{"lines", {{{"product_id", pen}, {"quantity", 2}}, {{"product_id", ink}, {"quantity", 1}}}}};
  auto first = api.send("POST", "/v2/orders", two_lines, eve, {{"Idempotency-Key", "\"order-1\""}});
  REQUIRE(first.status == 201);
  const json order = body_of(first);
  CHECK(order["total_cents"] == 2 * 250 + 900);
  CHECK(order["lines"].size() == 2);
  CHECK(order["lines"][0]["unit_price_cents"] == 250);
  const std::string order_path = "/v2/orders/" + std::to_string(order["id"].get<std::int64_t>());
  CHECK(first.headers.get("Location") == order_path);

  // The retry replays the first answer; the stock was taken once.
  auto replay = api.send("POST", "/v2/orders", two_lines, eve, {{"Idempotency-Key", "\"order-1\""}});
  CHECK(replay.status == 201);
  CHECK(replay.body == first.body);
  CHECK(replay.headers.get("Idempotent-Replayed") == "true");
  CHECK(body_of(api.get("/v2/products/" + std::to_string(pen)))["stock"] == 3);
  // The same key with another body: 422. Another user's same key is their own.
  CHECK(is_problem(api.send("POST", "/v2/orders", order_of(pen, 1), eve, {{"Idempotency-Key", "\"order-1\""}}), 422));
  auto fays = api.send("POST", "/v2/orders", two_lines, fay, {{"Idempotency-Key", "\"order-1\""}});
  CHECK(fays.status == 409);  // her own request: only one ink was left
  CHECK(body_of(fays)["type"] == "https://catalog.example/problems/out-of-stock");
  CHECK_FALSE(fays.headers.contains("Idempotent-Replayed"));
  // The refused order took nothing: its pen line was rolled back with it.
  CHECK(body_of(api.get("/v2/products/" + std::to_string(pen)))["stock"] == 3);

  // No key, a malformed key: 400. Unknown product: 422. Bad body: 422 / 400. No token: 401.
  CHECK(is_problem(api.send("POST", "/v2/orders", order_of(pen, 1), eve), 400));
  CHECK(is_problem(api.send("POST", "/v2/orders", order_of(pen, 1), eve, {{"Idempotency-Key", "\"unterminated"}}), 400));
  CHECK(is_problem(api.send("POST", "/v2/orders", order_of(999999, 1), eve, {{"Idempotency-Key", "k-unknown"}}), 422));
  CHECK(is_problem(api.send("POST", "/v2/orders", order_of(pen, 0), eve, {{"Idempotency-Key", "k-zero"}}), 422));
  CHECK(is_problem(api.send("POST", "/v2/orders", json{{"lines", json::array()}}, eve, {{"Idempotency-Key", "k-empty"}}), 422));
  CHECK(is_problem(api.raw("POST", "/v2/orders", "{", {{"Content-Type", "application/json"}, {"Idempotency-Key", "k-bad"}, {"Authorization", "Bearer " + eve}}), 400));
  CHECK(is_problem(api.send("POST", "/v2/orders", order_of(pen, 1), {}, {{"Idempotency-Key", "k-anon"}}), 401));
  // Too little stock: 409, and a retry with the same key gets the same 409 without trying again.
  auto short_stock = api.send("POST", "/v2/orders", order_of(pen, 4), eve, {{"Idempotency-Key", "k-short"}});
  CHECK(is_problem(short_stock, 409));
  CHECK(api.send("POST", "/v2/orders", order_of(pen, 4), eve, {{"Idempotency-Key", "k-short"}}).headers.get("Idempotent-Replayed") == "true");

  // Reading: one's own orders only.
  auto result = api.get(order_path, eve);
  CHECK(result.status == 200);
  CHECK(body_of(result) == order);
  CHECK(is_problem(api.get(order_path, fay), 404));
  CHECK(is_problem(api.get(order_path), 401));
  CHECK(is_problem(api.get("/v2/orders/999999", eve), 404));
  CHECK(is_problem(api.get("/v2/orders/0", eve), 400));

  // Listing pages through one's own orders.
  for (int i = 0; i < 3; ++i) {
    REQUIRE(api.send("POST", "/v2/orders", order_of(pen, 1), eve, {{"Idempotency-Key", "list-" + std::to_string(i)}}).status == 201);
  }
  CHECK(is_problem(api.send("POST", "/v2/orders", order_of(pen, 1), eve, {{"Idempotency-Key", "list-3"}}), 409));
  std::vector<std::int64_t> ids;
  std::string target = "/v2/orders?limit=2";
  while (!target.empty()) {
    result = api.get(target, eve);
    REQUIRE(result.status == 200);
    const json page = body_of(result);
    for (const json& item : page["items"]) {
      CHECK(item["user_id"] == order["user_id"]);
      ids.push_back(item["id"]);
    }
    target = next_link(result);
  }
  CHECK(ids.size() == 1 + 3);
  CHECK(std::is_sorted(ids.begin(), ids.end()));
  CHECK(body_of(api.get("/v2/orders", fay))["items"].empty());
}

TEST_CASE("catalog: 100 concurrent orders for the last 10 items sell exactly 10") {
  Served served;
  Api api(served.port);
  const std::string admin = api.login(kAdminEmail, kAdminPassword);
  const std::int64_t last = create_product(api, admin, product_input("LAST-10", 10, 1000, "Scarce"));
  std::vector<std::string> tokens;
  for (int i = 0; i < 4; ++i) tokens.push_back(api.customer("buyer" + std::to_string(i) + "@example.com"));

  std::atomic<int> sold{0}, refused{0}, other{0};
  std::vector<std::thread> buyers;
  for (int i = 0; i < 100; ++i) {
    buyers.emplace_back([&, i] {
      try {
        Api own(served.port);
        const auto result = own.send("POST", "/v2/orders", order_of(last, 1), tokens[static_cast<std::size_t>(i) % tokens.size()],
                                     {{"Idempotency-Key", "buy-" + std::to_string(i)}});
        if (result.status == 201) {
          ++sold;
        } else if (result.status == 409 && body_of(result)["type"] == "https://catalog.example/problems/out-of-stock") {
          ++refused;
        } else {
          ++other;
        }
      } catch (const std::exception&) {
        ++other;
      }
    });
  }
  for (std::thread& buyer : buyers) buyer.join();
  CHECK(sold == 10);
  CHECK(refused == 90);
  CHECK(other == 0);
  const json product = body_of(api.get("/v2/products/" + std::to_string(last)));
  CHECK(product["stock"] == 0);
  int lines = 0;
  for (const std::string& token : tokens) {
    const json page = body_of(api.get("/v2/orders?limit=100", token));
    for (const json& order : page["items"]) {
      for (const json& line : order["lines"]) lines += line["quantity"].get<int>();
    }
  }
  CHECK(lines == 10);
}

TEST_CASE("catalog: concurrent retries with one Idempotency-Key order once") {
  Served served;
  Api api(served.port);
  const std::string admin = api.login(kAdminEmail, kAdminPassword);
  const std::int64_t mug = create_product(api, admin, product_input("MUG-1", 50, 800, "Mug"));
  const std::string buyer = api.customer("gil@example.com");

  std::vector<oasgen::test::HttpResult> results(12);
  std::vector<std::thread> clients;
  for (std::size_t i = 0; i < results.size(); ++i) {
    clients.emplace_back([&, i] {
      try {
        Api own(served.port);
        results[i] = own.send("POST", "/v2/orders", order_of(mug, 2), buyer, {{"Idempotency-Key", "\"same-key\""}});
      } catch (const std::exception&) {
        results[i].status = -1;
      }
    });
  }
  for (std::thread& client : clients) client.join();
  int replayed = 0;
  std::string body;
  for (const auto& result : results) {
    REQUIRE(result.status == 201);  // the first, or its replay (the duplicates wait for it)
    if (body.empty()) body = result.body;
    CHECK(result.body == body);
    if (result.headers.get("Idempotent-Replayed") == "true") ++replayed;
  }
  CHECK(replayed == static_cast<int>(results.size()) - 1);
  CHECK(body_of(api.get("/v2/products/" + std::to_string(mug)))["stock"] == 48);
  const json page = body_of(api.get("/v2/orders", buyer));
  CHECK(page["items"].size() == 1);
}
