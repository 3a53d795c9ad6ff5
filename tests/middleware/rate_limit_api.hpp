// The handler and authenticator of tests/middleware/rate_limit.yaml, shared by the in-process
// tests and the test server: every operation answers 200; an API key "good-<name>" is the caller
// <name>, any other key is refused.
#pragma once

#include <oasgen/security.hpp>
#include <string>

#include "ratelimited/server.hpp"

namespace rate_limit_test {

class Items : public ratelimited::Handler {
 public:
  ratelimited::ListItemsResult list_items(const ratelimited::ListItemsRequest&,
                                          oasgen::Context&) override {
    return ratelimited::ListItemsOk{};
  }
  ratelimited::GetItemResult get_item(const ratelimited::GetItemRequest&,
                                      oasgen::Context&) override {
    return ratelimited::GetItemOk{};
  }
  ratelimited::WhoamiResult whoami(const ratelimited::WhoamiRequest&, oasgen::Context&) override {
    return ratelimited::WhoamiOk{};
  }
  ratelimited::PingResult ping(const ratelimited::PingRequest&, oasgen::Context&) override {
    return ratelimited::PingOk{};
  }
};

class Keys : public ratelimited::Authenticator {
 public:
  oasgen::AuthResult key(const oasgen::ApiKeyCredential& credential,
                         const oasgen::AuthCheck&) override {
    if (credential.key.rfind("good-", 0) != 0) return oasgen::AuthResult::reject("unknown key");
    oasgen::Identity identity;
    identity.subject = credential.key.substr(5);
    return oasgen::AuthResult::admit(std::move(identity));
  }
};

}  // namespace rate_limit_test
