// An `oasgen::IdempotencyStore` on the service's own database (table `idempotency_keys`), so that
// every instance behind a load balancer sees the same keys: a retry that lands on another instance
// replays the first answer too.
#pragma once

#include <atomic>
#include <oasgen/middleware/idempotency.hpp>

#include "sql.hpp"

namespace catalog_app {

class SqlIdempotencyStore : public oasgen::IdempotencyStore {
 public:
  /// `poll`: how often a retry looks again while the first request with its key still runs.
  explicit SqlIdempotencyStore(catalog_db::Pool& pool,
                               std::chrono::milliseconds poll = std::chrono::milliseconds(25))
      : pool_(pool), poll_(poll) {}

  Result claim(const std::string& key, const std::string& fingerprint, std::chrono::seconds ttl,
               std::chrono::milliseconds wait) override;
  void complete(const std::string& key, const oasgen::Response& response) override;
  void release(const std::string& key) override;

 private:
  catalog_db::Pool& pool_;
  std::chrono::milliseconds poll_;
};

}  // namespace catalog_app
