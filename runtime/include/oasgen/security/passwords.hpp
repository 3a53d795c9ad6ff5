// HTTP Basic credentials (RFC 7617) checked against salted argon2id hashes (RFC 9106), by
// libargon2, in the PHC encoded form ("$argon2id$v=19$m=65536,t=3,p=1$<salt>$<hash>").
//
//   // once, when a user is created (store the result, never the password):
//   std::string hash = oasgen::security::hash_password(password);
//   // at start-up:
//   oasgen::security::PasswordStore users;
//   users.add_user("alice", hash_from_database, {"pets:read"});
//   // in the application's authenticator:
//   oasgen::AuthResult basic(const oasgen::BasicCredential& credential,
//                            const oasgen::AuthCheck& check) override {
//     return users.authenticate(credential, check);
//   }
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

#include "oasgen/security.hpp"

namespace oasgen::security {

/// argon2id's costs. The defaults are RFC 9106 §4's second recommended option ("t=3 iterations,
/// p=4 lanes, m=2^(16) (64 MiB of RAM)"), with one lane: each verification takes that memory.
struct Argon2Params {
  std::uint32_t time_cost = 3;
  std::uint32_t memory_kib = 64 * 1024;
  std::uint32_t parallelism = 1;
};

/// A new argon2id hash of `password` with a random 16-byte salt (OpenSSL's RAND_bytes), in the
/// encoded form. Throws std::runtime_error when hashing fails (never quoting the password).
std::string hash_password(std::string_view password, const Argon2Params& params = {});
/// Whether `password` matches `encoded` (an argon2id hash in the encoded form); false for a
/// malformed hash.
bool verify_password(std::string_view encoded, std::string_view password);

/// Users with argon2id password hashes. Thread-safe.
class PasswordStore {
 public:
  /// Adds or replaces a user. `subject` defaults to the user name. Throws std::invalid_argument
  /// when `encoded_hash` is not an argon2id hash in the encoded form (or too costly: over 1 GiB or
  /// 16 lanes).
  void add_user(std::string username, std::string encoded_hash,
                std::vector<std::string> scopes = {}, std::string subject = {});

  /// The user's subject and scopes when the password matches. An unknown user costs one
  /// verification too (against a dummy hash with the first user's costs), so that timing does not
  /// tell which user names exist.
  struct User {
    std::string subject;
    std::vector<std::string> scopes;
  };
  std::optional<User> check(std::string_view username, std::string_view password) const;

  /// For an authenticator method: admits the user (the check's scheme, subject, scopes) when the
  /// password matches and the scopes suffice; else rejects with a fixed description that does not
  /// say whether the user exists.
  AuthResult authenticate(const BasicCredential& credential, const AuthCheck& check) const;

  /// Passwords longer than this are refused (without hashing beyond the dummy).
  static constexpr std::size_t kMaxPasswordBytes = 1024;

 private:
  struct Entry {
    std::string encoded;
    User user;
  };
  mutable std::shared_mutex mutex_;
  std::map<std::string, Entry, std::less<>> users_;
  std::string dummy_;  // a hash of a random password, with the first user's costs
};

}  // namespace oasgen::security
