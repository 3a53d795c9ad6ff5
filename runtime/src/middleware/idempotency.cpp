#include "oasgen/middleware/idempotency.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <stdexcept>

#include "oasgen/context.hpp"
#include "oasgen/operation.hpp"
#include "oasgen/problem.hpp"
#include "oasgen/rest/conditional.hpp"

namespace oasgen {
namespace {

constexpr std::string_view kHeader = "Idempotency-Key";
constexpr std::string_view kExtension = "x-oasgen-idempotency";
constexpr std::size_t kMaxKeyLength = 255;

inline constexpr std::string_view kProblemIdempotency = "urn:oasgen:problem:idempotency-key";

// What makes two requests "the same" for a key (draft §2.4, the idempotency fingerprint): the
// method, the target, the body's media type and the body, digested as an entity tag is.
std::string fingerprint(const Request& request) {
  std::string text = request.method;
  text += '\n';
  text += request.target;
  text += '\n';
  text += request.headers.get("Content-Type").value_or("");
  text += '\n';
  text += request.body;
  return content_tag(text);
}

// The key in the store: operation, caller, key. Lengths first, so that no choice of key can make
// one scope look like another.
std::string scoped_key(const Request& request, std::string_view key) {
  const std::string_view operation = request.operation->operation_id;
  const std::string_view subject =
      request.principal ? request.principal->subject() : std::string_view{};
  std::string out;
  for (std::string_view part : {operation, subject, key}) {
    out += std::to_string(part.size());
    out += ':';
    out += part;
  }
  return out;
}

Response idempotency_problem(int status, std::string detail) {
  Problem problem;
  problem.status = status;
  problem.type = std::string(kProblemIdempotency);
  problem.detail = std::move(detail);
  return problem_response(problem);
}

// Between after_routing and on_response, which `Router::handle` calls for one request on one
// thread: the key this request claimed.
struct Claimed {
  const Idempotency* owner;
  const Request* request;
  std::string key;
};
thread_local std::vector<Claimed> t_claimed;

}  // namespace

std::optional<std::string> parse_idempotency_key(std::string_view field) {
  while (!field.empty() && (field.front() == ' ' || field.front() == '\t')) field.remove_prefix(1);
  while (!field.empty() && (field.back() == ' ' || field.back() == '\t')) field.remove_suffix(1);
  std::string key;
  if (!field.empty() && field.front() == '"') {
    // RFC 8941 §3.3.3: sf-string = DQUOTE *chr DQUOTE; chr = unescaped / escaped;
    // escaped = "\" ( DQUOTE / "\" ); unescaped = %x20-21 / %x23-5B / %x5D-7E.
    std::size_t i = 1;
    for (; i < field.size() && field[i] != '"'; ++i) {
      char c = field[i];
      if (c == '\\') {
        if (++i == field.size() || (field[i] != '"' && field[i] != '\\')) return std::nullopt;
        c = field[i];
      } else if (c < 0x20 || c > 0x7E) {
        return std::nullopt;
      }
      key += c;
    }
    if (i + 1 != field.size()) return std::nullopt;  // unterminated, or text after the string
  } else {
    for (char c : field) {
      if (c <= 0x20 || c > 0x7E || c == '"' || c == ',' || c == ';') return std::nullopt;
    }
    key = field;
  }
  if (key.empty() || key.size() > kMaxKeyLength) return std::nullopt;
  return key;
}

MemoryIdempotencyStore::Result MemoryIdempotencyStore::claim(const std::string& key,
                                                             const std::string& fingerprint,
                                                             std::chrono::seconds ttl,
                                                             std::chrono::milliseconds wait) {
  std::unique_lock lock(mutex_);
  const auto deadline = Clock::now() + wait;
  while (true) {
    const auto now = Clock::now();
    auto found = entries_.find(key);
    if (found != entries_.end() && found->second.expiry->first <= now) {
      erase(found);
      found = entries_.end();
    }
    if (found == entries_.end()) {
      make_room(now);
      Entry entry{fingerprint, std::nullopt, expiries_.emplace(now + ttl, key)};
      entries_.emplace(key, std::move(entry));
      return {Claim::kFirst, std::nullopt};
    }
    const Entry& entry = found->second;
    if (entry.fingerprint != fingerprint) return {Claim::kMismatch, std::nullopt};
    if (entry.response) return {Claim::kReplay, entry.response};
    // The first request still runs: wait for its response (or its release), then look again.
    if (now >= deadline) return {Claim::kInProgress, std::nullopt};
    completed_.wait_until(lock, deadline);
  }
}

void MemoryIdempotencyStore::complete(const std::string& key, const Response& response) {
  {
    std::lock_guard lock(mutex_);
    const auto found = entries_.find(key);
    if (found == entries_.end() || found->second.response) return;
    found->second.response = response;
  }
  completed_.notify_all();
}

void MemoryIdempotencyStore::release(const std::string& key) {
  {
    std::lock_guard lock(mutex_);
    const auto found = entries_.find(key);
    if (found == entries_.end() || found->second.response) return;
    erase(found);
  }
  completed_.notify_all();
}

std::size_t MemoryIdempotencyStore::size() const {
  std::lock_guard lock(mutex_);
  return entries_.size();
}

void MemoryIdempotencyStore::erase(std::unordered_map<std::string, Entry>::iterator entry) {
  expiries_.erase(entry->second.expiry);
  entries_.erase(entry);
}

void MemoryIdempotencyStore::make_room(Clock::time_point now) {
  while (!expiries_.empty() && expiries_.begin()->first <= now) {
    erase(entries_.find(expiries_.begin()->second));
  }
  // Full of live keys: drop the soonest to expire that has its response (a running request's
  // claim is never dropped, or its retry would run twice).
  for (auto it = expiries_.begin(); entries_.size() >= max_entries_ && it != expiries_.end();) {
    const auto entry = entries_.find(it->second);
    ++it;
    if (entry->second.response) erase(entry);
  }
}

Idempotency::Idempotency(const OperationInfo* operations, std::size_t count,
                         std::shared_ptr<IdempotencyStore> store, IdempotencyOptions options)
    : store_(std::move(store)), options_(std::move(options)) {
  if (!store_) throw std::invalid_argument("Idempotency needs a store");
  for (std::size_t i = 0; i < count; ++i) {
    const OperationInfo& operation = operations[i];
    if (operation.extensions.empty()) continue;
    const auto all = nlohmann::json::parse(operation.extensions, nullptr, false);
    const auto found = all.is_object() ? all.find(std::string(kExtension)) : all.end();
    if (!all.is_object() || found == all.end()) continue;
    if (*found == "required") {
      required_.insert(&operation);
    } else if (*found == false) {
      exempt_.insert(&operation);
    } else if (*found != "optional") {
      throw std::invalid_argument("operation '" + std::string(operation.operation_id) + "': " +
                                  std::string(kExtension) +
                                  " must be \"required\", \"optional\" or false, not " +
                                  found->dump());
    }
  }
}

std::optional<Response> Idempotency::after_routing(Request& request) {
  if (request.operation == nullptr || exempt_.count(request.operation) != 0) return std::nullopt;
  const auto& methods = options_.methods;
  if (std::find(methods.begin(), methods.end(), request.method) == methods.end() &&
      required_.count(request.operation) == 0) {
    return std::nullopt;
  }
  const auto fields = request.headers.get_all(kHeader);
  if (fields.empty()) {
    // Draft §2.7: "If the Idempotency-Key request header is missing for a documented idempotent
    // operation requiring this header, the resource server SHOULD reply with an HTTP 400".
    if (required_.count(request.operation) == 0) return std::nullopt;
    return idempotency_problem(400, "this operation requires an Idempotency-Key header");
  }
  const auto key = fields.size() == 1 ? parse_idempotency_key(fields.front()) : std::nullopt;
  if (!key) {
    return idempotency_problem(
        400, "Idempotency-Key must be one string of 1 to 255 visible ASCII characters");
  }
  const std::string scoped = scoped_key(request, *key);
  auto result = store_->claim(scoped, fingerprint(request), options_.ttl, options_.wait);
  switch (result.claim) {
    case IdempotencyStore::Claim::kFirst:
      t_claimed.push_back({this, &request, scoped});
      return std::nullopt;
    case IdempotencyStore::Claim::kReplay:
      result.response->headers.set("Idempotent-Replayed", "true");
      return std::move(result.response);
    case IdempotencyStore::Claim::kMismatch:
      // Draft §2.7: "If there is an attempt to reuse an idempotency key with a different request
      // payload, the resource server SHOULD reply with a HTTP 422 status code".
      return idempotency_problem(422, "this Idempotency-Key was used for a different request");
    case IdempotencyStore::Claim::kInProgress: {
      // Draft §2.7: "If the request is retried, while the original request is still being
      // processed, the resource server SHOULD reply with an HTTP 409 status code".
      Response busy = idempotency_problem(
          409, "a request with this Idempotency-Key is still being processed; retry later");
      busy.headers.set("Retry-After", "1");
      return busy;
    }
  }
  return std::nullopt;
}

void Idempotency::on_response(const Request& request, Response& response) {
  const auto claimed = std::find_if(t_claimed.begin(), t_claimed.end(), [&](const Claimed& c) {
    return c.owner == this && c.request == &request;
  });
  if (claimed == t_claimed.end()) return;
  const std::string key = std::move(claimed->key);
  t_claimed.erase(claimed);
  // A server error, a refused credential or an overload refusal says nothing about the request
  // itself: a retry (with a credential, or later) must run it.
  const int status = response.status;
  if (status >= 500 || status == 401 || status == 403 || status == 408 || status == 429) {
    store_->release(key);
  } else {
    store_->complete(key, response);
  }
}

}  // namespace oasgen
