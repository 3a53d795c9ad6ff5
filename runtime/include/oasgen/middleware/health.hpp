// Liveness and readiness endpoints for orchestrators and load balancers, answered before routing
// (so never authenticated, rate limited or counted as API traffic).
//
//   auto health = std::make_shared<oasgen::Health>();
//   router.use(health);
//   ...
//   health->set_ready(false);   // draining: load balancers stop sending new requests
#pragma once

#include <atomic>
#include <string>

#include "oasgen/middleware.hpp"

namespace oasgen {

struct HealthOptions {
  std::string live_path = "/healthz";  ///< 200 while the process serves at all
  std::string ready_path = "/readyz";  ///< 200 when ready, 503 while starting or draining
};

class Health : public Middleware {
 public:
  explicit Health(HealthOptions options = {});

  std::optional<Response> before_routing(Request& request) override;

  void set_ready(bool ready) { ready_.store(ready); }
  bool ready() const { return ready_.load(); }

 private:
  HealthOptions options_;
  std::atomic<bool> ready_{true};
};

}  // namespace oasgen
