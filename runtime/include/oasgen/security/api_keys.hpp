// API keys checked against stored SHA-256 digests: the store never holds a key itself, and a
// lookup compares the presented key's digest with every stored digest in constant time.
//
//   oasgen::security::ApiKeyStore keys;
//   keys.add_digest(digest_hex_from_config, "billing-service", {"invoices:read"});
//   // in the application's authenticator:
//   oasgen::AuthResult api_key(const oasgen::ApiKeyCredential& credential,
//                              const oasgen::AuthCheck& check) override {
//     return keys.authenticate(credential, check);
//   }
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

#include "oasgen/security.hpp"

namespace oasgen::security {

/// Who a key belongs to and what it may do.
struct ApiKeyOwner {
  std::string subject;
  std::vector<std::string> scopes;
};

/// A set of API keys, kept as SHA-256 digests. Thread-safe: lookups share a lock, additions take
/// it alone.
class ApiKeyStore {
 public:
  using Digest = std::array<unsigned char, 32>;

  /// The SHA-256 digest of `key`, as 64 lower-case hex digits (what `add_digest` takes).
  static std::string digest_hex(std::string_view key);

  /// Adds `key` (only its digest is kept). Throws std::invalid_argument for an empty key.
  void add_key(std::string_view key, ApiKeyOwner owner);
  /// Adds a key by its digest (64 hex digits, as `digest_hex` makes them). Throws
  /// std::invalid_argument for anything else (the message does not quote it).
  void add_digest(std::string_view digest_hex, ApiKeyOwner owner);

  /// The owner of `key`, or nullopt. Every stored digest is compared, each in constant time.
  std::optional<ApiKeyOwner> find(std::string_view key) const;

  /// For an authenticator method: admits the key's owner (subject, scopes; the check's scheme)
  /// when it holds the required scopes; rejects an unknown key with a fixed description.
  AuthResult authenticate(const ApiKeyCredential& credential, const AuthCheck& check) const;

  std::size_t size() const;

  /// Keys longer than this are refused without hashing.
  static constexpr std::size_t kMaxKeyBytes = 4096;

 private:
  struct Entry {
    Digest digest;
    ApiKeyOwner owner;
  };
  mutable std::shared_mutex mutex_;
  std::vector<Entry> entries_;
};

}  // namespace oasgen::security
