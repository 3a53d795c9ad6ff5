// Drives every operation of a generated API through its security requirement over HTTP, from the
// API's own `kOperations` table: no credential, a bad one, one without the scopes, a good one per
// alternative, and a bad first alternative beside a good later one. Counts what held.
#pragma once

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <oasgen/operation.hpp>

#include <atomic>
#include <functional>
#include <iostream>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "http_client.hpp"
#include "security_judge.hpp"

namespace security_test {

struct Tally {
  int passed = 0;
  int failed = 0;
  void expect(bool held, const std::string& what) {
    if (held) {
      ++passed;
    } else {
      ++failed;
      FAIL_CHECK(what);
    }
  }
};

/// A request's credentials: where each one goes.
struct Credentials {
  std::string query;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string cookie;
};

inline std::string base64(const std::string& text) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  for (std::size_t i = 0; i < text.size(); i += 3) {
    unsigned n = static_cast<unsigned char>(text[i]) << 16;
    if (i + 1 < text.size()) n |= static_cast<unsigned char>(text[i + 1]) << 8;
    if (i + 2 < text.size()) n |= static_cast<unsigned char>(text[i + 2]);
    out += kAlphabet[n >> 18];
    out += kAlphabet[(n >> 12) & 63];
    out += i + 1 < text.size() ? kAlphabet[(n >> 6) & 63] : '=';
    out += i + 2 < text.size() ? kAlphabet[n & 63] : '=';
  }
  return out;
}

/// Adds `secret` for every scheme of `alternative`; false when one cannot be presented (mutualTLS).
inline bool present(const oasgen::OperationInfo& op, std::size_t alternative, std::string_view secret,
                    Credentials& out) {
  using Kind = oasgen::SecurityScheme::Kind;
  for (std::size_t i = 0; i < op.security_count; ++i) {
    const oasgen::SecurityUse& use = op.security[i];
    if (use.alternative != alternative || use.scheme == nullptr) continue;
    const oasgen::SecurityScheme& scheme = *use.scheme;
    const std::string value(secret);
    switch (scheme.kind) {
      case Kind::ApiKey:
        if (scheme.in == oasgen::Location::Query) {
          out.query += (out.query.empty() ? "?" : "&") + std::string(scheme.parameter) + "=" + value;
        } else if (scheme.in == oasgen::Location::Cookie) {
          out.cookie += (out.cookie.empty() ? "" : "; ") + std::string(scheme.parameter) + "=" + value;
        } else {
          out.headers.emplace_back(scheme.parameter, value);
        }
        break;
      case Kind::Http:
        if (scheme.scheme == "basic") {
          out.headers.emplace_back("Authorization", "Basic " + base64("alice:" + value));
        } else if (scheme.scheme == "bearer") {
          out.headers.emplace_back("Authorization", "Bearer " + value);
        } else {
          out.headers.emplace_back("Authorization", std::string(scheme.scheme) + " " + value);
        }
        break;
      case Kind::OAuth2:
      case Kind::OpenIdConnect:
        out.headers.emplace_back("Authorization", "Bearer " + value);
        break;
      case Kind::MutualTls:
        return false;
    }
  }
  return true;
}

/// What the matrix needs to know of the API under test.
struct Target {
  const oasgen::OperationInfo* operations;
  std::size_t count;
  unsigned short port;
  /// How many times a handler ran (a request that was refused must not add to it).
  std::function<int()> handler_calls;
  /// Checks the body of a response that reached the handler: anonymous (nullopt) or the
  /// alternative that admitted the call.
  std::function<bool(const oasgen::test::HttpResult&, std::optional<std::size_t>)> admitted_as;
};

inline Tally run_matrix(const Target& target) {
  Tally tally;
  oasgen::test::HttpClient client("127.0.0.1", target.port);
  for (std::size_t o = 0; o < target.count; ++o) {
    const oasgen::OperationInfo& op = target.operations[o];
    const std::string name = std::string(op.method) + " " + std::string(op.path);
    std::set<std::size_t> alternatives, scoped;
    bool anonymous = op.security_count == 0;
    for (std::size_t i = 0; i < op.security_count; ++i) {
      if (op.security[i].scheme == nullptr) {
        anonymous = true;
      } else {
        alternatives.insert(op.security[i].alternative);
        if (op.security[i].scope_count > 0) scoped.insert(op.security[i].alternative);
      }
    }
    auto call = [&](const Credentials& credentials) {
      auto headers = credentials.headers;
      if (!credentials.cookie.empty()) headers.emplace_back("Cookie", credentials.cookie);
      const bool body = op.method == "POST" || op.method == "PUT" || op.method == "PATCH";
      if (body) headers.emplace_back("Content-Type", "application/json");
      return client.send(std::string(op.method), std::string(op.path) + credentials.query,
                         body ? R"({"name": "Rex"})" : "", headers);
    };
    auto refused = [&](const oasgen::test::HttpResult& result, int status, std::string_view type,
                       int calls_before, const std::string& what) {
      bool held = result.status == status &&
                  result.headers.get("Content-Type") == "application/problem+json" &&
                  nlohmann::json::parse(result.body, nullptr, false).value("type", "") == type &&
                  target.handler_calls() == calls_before;
      tally.expect(held, name + ": " + what + ": got " + std::to_string(result.status) + " " + result.body);
    };

    // 1. No credential.
    int before = target.handler_calls();
    auto result = call({});
    if (anonymous) {
      tally.expect(target.admitted_as(result, std::nullopt) && target.handler_calls() == before + 1,
                   name + ": anonymous call should reach the handler, got " + std::to_string(result.status));
    } else {
      refused(result, 401, oasgen::kProblemUnauthenticated, before, "no credential");
      bool challenged = !result.headers.get_all("WWW-Authenticate").empty();
      bool mtls_only = true;
      for (std::size_t i = 0; i < op.security_count; ++i) {
        mtls_only = mtls_only && op.security[i].scheme->kind == oasgen::SecurityScheme::Kind::MutualTls;
      }
      tally.expect(challenged || mtls_only, name + ": a 401 without WWW-Authenticate");
    }

    for (std::size_t alternative : alternatives) {
      const std::string which = " (alternative " + std::to_string(alternative) + ")";
      Credentials good, bad, unscoped;
      if (!present(op, alternative, kGood, good)) continue;  // mutualTLS: nothing to present
      present(op, alternative, kBad, bad);
      present(op, alternative, kUnscoped, unscoped);
      // 2. A good credential reaches the handler, which sees who was admitted and how.
      before = target.handler_calls();
      result = call(good);
      tally.expect(target.admitted_as(result, alternative) && target.handler_calls() == before + 1,
                   name + ": good credential" + which + " should be admitted, got " +
                       std::to_string(result.status) + " " + result.body);
      // 3. A bad one is 401 invalid, even where anonymous calls are allowed.
      before = target.handler_calls();
      refused(call(bad), 401, oasgen::kProblemInvalidCredential, before, "bad credential" + which);
      // 4. A good one without the scopes is 403.
      if (scoped.count(alternative)) {
        before = target.handler_calls();
        result = call(unscoped);
        refused(result, 403, oasgen::kProblemInsufficientScope, before, "unscoped credential" + which);
      }
      // 5. Alternatives are OR: a bad earlier alternative does not stop a good later one.
      if (alternative > *alternatives.begin()) {
        Credentials both = good;
        Credentials first;
        present(op, *alternatives.begin(), kBad, first);
        bool collide = false;
        for (const auto& header : first.headers) {
          for (const auto& mine : both.headers) collide = collide || oasgen::iequals(header.first, mine.first);
        }
        if (collide || !first.cookie.empty() || !first.query.empty()) continue;
        for (auto& header : first.headers) both.headers.push_back(header);
        before = target.handler_calls();
        result = call(both);
        tally.expect(target.admitted_as(result, alternative) && target.handler_calls() == before + 1,
                     name + ": a bad first alternative beside a good" + which + ", got " +
                         std::to_string(result.status));
      }
    }
  }
  std::cout << "security: " << tally.passed << " passed, " << tally.failed << " failed\n";
  return tally;
}

}  // namespace security_test
