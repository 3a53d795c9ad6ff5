// Keys are claimed with INSERT ... ON CONFLICT DO NOTHING inside a write transaction: exactly one
// request wins a key; the others find its row and wait for its response.
#include "sql_idempotency_store.hpp"

#include <nlohmann/json.hpp>

#include <thread>

namespace catalog_app {
namespace {

std::int64_t epoch_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string encode_headers(const oasgen::Headers& headers) {
  nlohmann::json fields = nlohmann::json::array();
  for (const auto& field : headers) fields.push_back({field.first, field.second});
  return fields.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

oasgen::Headers decode_headers(const std::string& text) {
  oasgen::Headers headers;
  for (const auto& field : nlohmann::json::parse(text)) {
    headers.add(field.at(0).get<std::string>(), field.at(1).get<std::string>());
  }
  return headers;
}

}  // namespace

oasgen::IdempotencyStore::Result SqlIdempotencyStore::claim(const std::string& key, const std::string& fingerprint,
                                                            std::chrono::seconds ttl,
                                                            std::chrono::milliseconds wait) {
  const auto deadline = std::chrono::steady_clock::now() + wait;
  for (;;) {
    auto outcome = catalog_db::in_write_transaction(pool_, [&](catalog_db::Connection& connection)
                                                               -> std::optional<Result> {
      const std::int64_t now = epoch_seconds();
      connection.execute("DELETE FROM idempotency_keys WHERE key = ? AND expires_at <= ?", {key, now});
      const auto inserted = connection.execute(
          "INSERT INTO idempotency_keys (key, fingerprint, expires_at) VALUES (?, ?, ?) "
          "ON CONFLICT (key) DO NOTHING",
          {key, fingerprint, now + static_cast<std::int64_t>(ttl.count())});
      if (inserted.changes == 1) {
        // The expired keys of others go too (indexed by expiry), so that the table stays small.
        connection.execute("DELETE FROM idempotency_keys WHERE expires_at <= ?", {now});
        return Result{Claim::kFirst, std::nullopt};
      }
      const auto found = connection.execute(
          "SELECT fingerprint, status, headers, body FROM idempotency_keys WHERE key = ?", {key});
      if (found.rows.empty()) return std::nullopt;  // released meanwhile: try again
      const catalog_db::Row& row = found.rows.front();
      if (row.text(0) != fingerprint) return Result{Claim::kMismatch, std::nullopt};
      if (row.is_null(1)) return std::nullopt;  // still running
      oasgen::Response response;
      response.status = static_cast<int>(row.integer(1));
      response.headers = decode_headers(row.text(2));
      response.body = row.optional_text(3).value_or("");
      return Result{Claim::kReplay, std::move(response)};
    });
    if (outcome) return std::move(*outcome);
    if (std::chrono::steady_clock::now() >= deadline) return Result{Claim::kInProgress, std::nullopt};
    std::this_thread::sleep_for(poll_);
  }
}

void SqlIdempotencyStore::complete(const std::string& key, const oasgen::Response& response) {
  auto connection = pool_.acquire();
  connection->execute("UPDATE idempotency_keys SET status = ?, headers = ?, body = ? WHERE key = ?",
                      {std::int64_t{response.status}, encode_headers(response.headers),
                       catalog_db::Blob{response.body}, key});
}

void SqlIdempotencyStore::release(const std::string& key) {
  auto connection = pool_.acquire();
  connection->execute("DELETE FROM idempotency_keys WHERE key = ? AND status IS NULL", {key});
}

}  // namespace catalog_app
