// The SQL layer and the SQL IdempotencyStore on their own, on SQLite or PostgreSQL.
#include <doctest/doctest.h>

#include <thread>

#include "catalog_fixture.hpp"
#include "repository.hpp"
#include "sql.hpp"
#include "sql_idempotency_store.hpp"

using namespace catalog_test;
using Claim = oasgen::IdempotencyStore::Claim;

namespace {

struct Database {
  std::string url = fresh_database_url();
  catalog_db::Pool pool{catalog_db::connection_factory(url, 4)};
  Database() { catalog_app::Repository(pool).migrate(); }
  ~Database() {
    if (!on_postgres()) {
      for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(url + suffix);
    }
  }
};

}  // namespace

TEST_CASE("catalog store: URLs, and which database they open") {
  CHECK(catalog_db::redact_url("postgresql://app:s3cret@db:5432/catalog") == "postgresql://app:***@db:5432/catalog");
  CHECK(catalog_db::redact_url("postgresql://app@db/catalog") == "postgresql://app@db/catalog");
  CHECK(catalog_db::redact_url("/var/lib/catalog.sqlite") == "/var/lib/catalog.sqlite");
  CHECK(catalog_db::connection_factory("", 8).dialect == catalog_db::Dialect::kSqlite);
  CHECK(catalog_db::connection_factory("", 8).max_connections == 1);  // in memory: one connection
  CHECK(catalog_db::connection_factory("sqlite:/tmp/x.db", 8).max_connections == 8);
  CHECK(catalog_db::connection_factory("postgres://h/db", 3).dialect == catalog_db::Dialect::kPostgres);
  CHECK_THROWS_AS(catalog_db::connection_factory("mysql://h/db", 3), std::invalid_argument);
}

TEST_CASE("catalog store: constraint violations have their kind; transactions roll back") {
  Database db;
  auto connection = db.pool.acquire();
  connection->execute("INSERT INTO users (email, name, password_hash) VALUES (?, ?, ?)", {std::string("a@x"), std::string("A"), std::string("h")});
  try {
    connection->execute("INSERT INTO users (email, name, password_hash) VALUES (?, ?, ?)", {std::string("a@x"), std::string("B"), std::string("h")});
    FAIL("a duplicate email was stored");
  } catch (const catalog_db::DbError& e) {
    CHECK(e.kind() == catalog_db::DbError::Kind::kUnique);
    CHECK(std::string(e.what()).find("a@x") == std::string::npos);  // no value in the message
  }
  try {
    connection->execute("INSERT INTO orders (user_id, total_cents, created_at) VALUES (?, ?, ?)", {std::int64_t{999}, std::int64_t{1}, std::string("t")});
    FAIL("an order of nobody was stored");
  } catch (const catalog_db::DbError& e) {
    CHECK(e.kind() == catalog_db::DbError::Kind::kForeignKey);
  }
  try {
    connection->execute("INSERT INTO products (sku, name, category, price_cents, stock) VALUES (?, ?, ?, ?, ?)",
                        {std::string("S"), std::string("N"), std::string("tools"), std::int64_t{1}, std::int64_t{-1}});
    FAIL("negative stock was stored");
  } catch (const catalog_db::DbError& e) {
    CHECK(e.kind() == catalog_db::DbError::Kind::kCheck);
  }
  {
    catalog_db::Transaction transaction(*connection, true);
    connection->execute("INSERT INTO users (email, name, password_hash) VALUES (?, ?, ?)", {std::string("b@x"), std::string("B"), std::string("h")});
  }  // not committed
  CHECK(connection->execute("SELECT count(*) FROM users", {}).rows.at(0).integer(0) == 1);
  // Bytes survive the round trip, NUL and high bytes included.
  const std::string bytes("\x00\x01\xff\x89PNG", 7);
  connection->execute("INSERT INTO idempotency_keys (key, fingerprint, body, expires_at) VALUES (?, ?, ?, ?)",
                      {std::string("k"), std::string("f"), catalog_db::Blob{bytes}, std::int64_t{1}});
  CHECK(connection->execute("SELECT body FROM idempotency_keys WHERE key = ?", {std::string("k")}).rows.at(0).text(0) == bytes);
}

TEST_CASE("catalog store: the SQL IdempotencyStore claims, replays, refuses and releases") {
  Database db;
  catalog_app::SqlIdempotencyStore store(db.pool, std::chrono::milliseconds(5));
  const auto ttl = std::chrono::seconds(60);
  const auto no_wait = std::chrono::milliseconds(0);

  CHECK(store.claim("k1", "f1", ttl, no_wait).claim == Claim::kFirst);
  CHECK(store.claim("k1", "f1", ttl, no_wait).claim == Claim::kInProgress);
  CHECK(store.claim("k1", "f2", ttl, no_wait).claim == Claim::kMismatch);
  oasgen::Response response;
  response.status = 201;
  response.headers.add("Location", "/orders/7");
  response.body = std::string("{\"id\":7}\x00", 9);
  store.complete("k1", response);
  auto replay = store.claim("k1", "f1", ttl, no_wait);
  REQUIRE(replay.claim == Claim::kReplay);
  CHECK(replay.response->status == 201);
  CHECK(replay.response->headers.get("Location") == "/orders/7");
  CHECK(replay.response->body == response.body);
  store.release("k1");  // a completed key is kept
  CHECK(store.claim("k1", "f1", ttl, no_wait).claim == Claim::kReplay);

  // A released claim lets the retry run; a waiting retry gets the response once it is there.
  CHECK(store.claim("k2", "f", ttl, no_wait).claim == Claim::kFirst);
  store.release("k2");
  CHECK(store.claim("k2", "f", ttl, no_wait).claim == Claim::kFirst);
  std::thread finisher([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    store.complete("k2", response);
  });
  const auto waited = store.claim("k2", "f", ttl, std::chrono::seconds(5));
  finisher.join();
  CHECK(waited.claim == Claim::kReplay);

  // An expired key is claimed afresh.
  CHECK(store.claim("k3", "f", std::chrono::seconds(0), no_wait).claim == Claim::kFirst);
  CHECK(store.claim("k3", "other", ttl, no_wait).claim == Claim::kFirst);
}
