#include "oasgen/security/passwords.hpp"

#include <argon2.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <cstdio>
#include <mutex>
#include <stdexcept>

namespace oasgen::security {
namespace {

constexpr std::size_t kSaltBytes = 16;  // RFC 9106 §3.1: "16 bytes is RECOMMENDED for password hashing"
constexpr std::size_t kHashBytes = 32;

// The costs of an encoded argon2id hash ("$argon2id$v=19$m=..,t=..,p=..$salt$hash"), or nullopt.
std::optional<Argon2Params> costs_of(const std::string& encoded) {
  unsigned version = 0, memory = 0, time = 0, lanes = 0;
  int consumed = 0;
  if (std::sscanf(encoded.c_str(), "$argon2id$v=%u$m=%u,t=%u,p=%u$%n", &version, &memory, &time,
                  &lanes, &consumed) != 4 ||
      consumed <= 0 || version != ARGON2_VERSION_13) {
    return std::nullopt;
  }
  return Argon2Params{time, memory, lanes};
}

}  // namespace

std::string hash_password(std::string_view password, const Argon2Params& params) {
  unsigned char salt[kSaltBytes];
  if (RAND_bytes(salt, sizeof salt) != 1) throw std::runtime_error("no random salt");
  std::string encoded(argon2_encodedlen(params.time_cost, params.memory_kib, params.parallelism,
                                        kSaltBytes, kHashBytes, Argon2_id),
                      '\0');
  const int status = argon2id_hash_encoded(params.time_cost, params.memory_kib, params.parallelism,
                                           password.data(), password.size(), salt, sizeof salt,
                                           kHashBytes, encoded.data(), encoded.size());
  if (status != ARGON2_OK) {
    throw std::runtime_error(std::string("argon2id hashing failed: ") + argon2_error_message(status));
  }
  encoded.resize(encoded.find('\0'));
  return encoded;
}

bool verify_password(std::string_view encoded, std::string_view password) {
  const std::string text(encoded);  // argon2id_verify wants a NUL-terminated string
  if (!costs_of(text)) return false;
  return argon2id_verify(text.c_str(), password.data(), password.size()) == ARGON2_OK;
}

void PasswordStore::add_user(std::string username, std::string encoded_hash,
                             std::vector<std::string> scopes, std::string subject) {
  auto costs = costs_of(encoded_hash);
  if (!costs) throw std::invalid_argument("the password hash is not an argon2id encoded hash");
  if (costs->memory_kib > 1024 * 1024 || costs->parallelism > 16 || costs->time_cost > 64) {
    throw std::invalid_argument("the password hash's costs are out of bounds");
  }
  std::string dummy;
  {
    std::shared_lock<std::shared_mutex> lock(mutex_);
    if (dummy_.empty()) {
      // A hash of 32 random bytes, which no password presented matches in practice.
      unsigned char random[32];
      if (RAND_bytes(random, sizeof random) != 1) throw std::runtime_error("no random bytes");
      dummy = hash_password(std::string_view(reinterpret_cast<char*>(random), sizeof random),
                            *costs);
      OPENSSL_cleanse(random, sizeof random);
    }
  }
  if (subject.empty()) subject = username;
  std::unique_lock<std::shared_mutex> lock(mutex_);
  if (dummy_.empty()) dummy_ = std::move(dummy);
  users_[std::move(username)] = Entry{std::move(encoded_hash), User{std::move(subject), std::move(scopes)}};
}

std::optional<PasswordStore::User> PasswordStore::check(std::string_view username,
                                                        std::string_view password) const {
  std::shared_lock<std::shared_mutex> lock(mutex_);
  auto it = users_.find(username);
  const bool known = it != users_.end();
  // An unknown user (or an over-long password) still pays one verification.
  const std::string& encoded = known ? it->second.encoded : dummy_;
  if (encoded.empty()) return std::nullopt;  // no user at all
  const std::string_view presented =
      password.size() <= kMaxPasswordBytes ? password : std::string_view();
  const bool match = argon2id_verify(encoded.c_str(), presented.data(), presented.size()) ==
                     ARGON2_OK;
  if (!known || !match || password.size() > kMaxPasswordBytes) return std::nullopt;
  return it->second.user;
}

AuthResult PasswordStore::authenticate(const BasicCredential& credential,
                                       const AuthCheck& check) const {
  std::optional<User> user = this->check(credential.username, credential.password);
  // One description for an unknown user and a wrong password: it must not tell them apart.
  if (!user) return AuthResult::reject("the user name or password is not valid");
  Identity identity;
  identity.scheme = std::string(check.scheme.name);
  identity.subject = std::move(user->subject);
  identity.scopes = std::move(user->scopes);
  return admit_with_scopes(std::move(identity), check);
}

}  // namespace oasgen::security
