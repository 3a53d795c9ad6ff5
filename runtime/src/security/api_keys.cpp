#include "oasgen/security/api_keys.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <mutex>
#include <stdexcept>

namespace oasgen::security {
namespace {

ApiKeyStore::Digest sha256(std::string_view data) {
  ApiKeyStore::Digest digest{};
  unsigned int length = 0;
  if (EVP_Digest(data.data(), data.size(), digest.data(), &length, EVP_sha256(), nullptr) != 1 ||
      length != digest.size()) {
    throw std::runtime_error("SHA-256 failed");
  }
  return digest;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string ApiKeyStore::digest_hex(std::string_view key) {
  static constexpr char kDigits[] = "0123456789abcdef";
  const Digest digest = sha256(key);
  std::string hex;
  for (unsigned char byte : digest) {
    hex += kDigits[byte >> 4];
    hex += kDigits[byte & 0x0F];
  }
  return hex;
}

void ApiKeyStore::add_key(std::string_view key, ApiKeyOwner owner) {
  if (key.empty() || key.size() > kMaxKeyBytes) {
    throw std::invalid_argument("an API key must have 1 to 4096 bytes");
  }
  Entry entry{sha256(key), std::move(owner)};
  std::unique_lock<std::shared_mutex> lock(mutex_);
  entries_.push_back(std::move(entry));
}

void ApiKeyStore::add_digest(std::string_view digest_hex, ApiKeyOwner owner) {
  if (digest_hex.size() != 64) throw std::invalid_argument("an API key digest must be 64 hex digits");
  Entry entry{{}, std::move(owner)};
  for (std::size_t i = 0; i < entry.digest.size(); ++i) {
    const int high = hex_value(digest_hex[2 * i]);
    const int low = hex_value(digest_hex[2 * i + 1]);
    if (high < 0 || low < 0) throw std::invalid_argument("an API key digest must be 64 hex digits");
    entry.digest[i] = static_cast<unsigned char>(high * 16 + low);
  }
  std::unique_lock<std::shared_mutex> lock(mutex_);
  entries_.push_back(std::move(entry));
}

std::optional<ApiKeyOwner> ApiKeyStore::find(std::string_view key) const {
  if (key.empty() || key.size() > kMaxKeyBytes) return std::nullopt;
  // Hashing first makes what is compared independent of the key's length and content; every
  // entry is compared whole (CRYPTO_memcmp) and the scan never stops at a match, so the time does
  // not tell which entry, if any, matched.
  const Digest digest = sha256(key);
  std::shared_lock<std::shared_mutex> lock(mutex_);
  const Entry* match = nullptr;
  for (const Entry& entry : entries_) {
    const bool same = CRYPTO_memcmp(entry.digest.data(), digest.data(), digest.size()) == 0;
    if (same && match == nullptr) match = &entry;
  }
  if (match == nullptr) return std::nullopt;
  return match->owner;
}

AuthResult ApiKeyStore::authenticate(const ApiKeyCredential& credential,
                                     const AuthCheck& check) const {
  std::optional<ApiKeyOwner> owner = find(credential.key);
  if (!owner) return AuthResult::reject("the API key is not valid");
  Identity identity;
  identity.scheme = std::string(check.scheme.name);
  identity.subject = std::move(owner->subject);
  identity.scopes = std::move(owner->scopes);
  return admit_with_scopes(std::move(identity), check);
}

std::size_t ApiKeyStore::size() const {
  std::shared_lock<std::shared_mutex> lock(mutex_);
  return entries_.size();
}

}  // namespace oasgen::security
