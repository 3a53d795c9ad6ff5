// What the client round-trip tests share: a generated API served in-process on 127.0.0.1 (an
// ephemeral port), and `expect`, which unwraps the response a call should have got.
#pragma once

#include <doctest/doctest.h>

#include <oasgen/router.hpp>
#include <oasgen/server.hpp>

#include <string>

/// Serves `handler` through its API's generated `register_routes` (found by argument-dependent
/// lookup) for as long as it lives; with an authenticator for an API with security schemes.
template <typename Handler>
struct Served {
  explicit Served(Handler& served) : handler(served) {
    register_routes(router, handler);
    port = server.start();
  }
  template <typename Authenticator>
  Served(Handler& served, Authenticator& authenticator) : handler(served) {
    register_routes(router, handler, authenticator);
    port = server.start();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port); }

  Handler& handler;
  oasgen::Router router;
  oasgen::Server server{router, {}};
  unsigned short port = 0;
};

/// The response of type `T` that `result` must hold.
template <typename T, typename Result>
const T& expect(const Result& result) {
  if (!result.ok()) FAIL("no declared response: " << result.error().message);
  const T* value = result.template get_if<T>();
  REQUIRE(value != nullptr);
  return *value;
}
