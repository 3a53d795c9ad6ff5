// The rate-limiting middleware: policies from configuration and the spec, 429s and the IETF fields.
#include "oasgen/middleware/rate_limit.hpp"

#include <charconv>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "oasgen/context.hpp"
#include "oasgen/operation.hpp"
#include "oasgen/problem.hpp"

namespace oasgen {
namespace {

constexpr std::string_view kExtension = "x-oasgen-rate-limit";
// Large enough for any real policy, small enough that microsecond arithmetic cannot overflow.
constexpr std::uint64_t kMaxLimit = 1'000'000'000;
constexpr std::int64_t kMaxWindow = 366LL * 24 * 3600;

// Policy names land in structured-field strings (RFC 8941 section 3.3.3: printable ASCII) and in
// store keys, where '|' separates the name from the caller.
bool valid_name(std::string_view name) {
  if (name.empty() || name.size() > 128) return false;
  for (char c : name) {
    if (c < 0x20 || c > 0x7e || c == '"' || c == '\\' || c == '|') return false;
  }
  return true;
}

// An operationId as a policy name: what a name may not hold becomes '_'.
std::string name_from(std::string_view operation_id) {
  std::string out(operation_id.substr(0, 128));
  for (char& c : out) {
    if (c < 0x20 || c > 0x7e || c == '"' || c == '\\' || c == '|') c = '_';
  }
  return out.empty() ? "operation" : out;
}

void check(const RateLimitPolicy& policy, const std::string& where) {
  if (!valid_name(policy.name)) {
    throw std::invalid_argument(where + ": policy name '" + policy.name +
                                "' must be 1 to 128 printable ASCII characters without '\"', '\\' "
                                "or '|'");
  }
  if (policy.limit == 0 || policy.limit > kMaxLimit) {
    throw std::invalid_argument(where + ": limit must be between 1 and 1000000000");
  }
  if (policy.window.count() <= 0 || policy.window.count() > kMaxWindow) {
    throw std::invalid_argument(where + ": window must be between 1 and 31622400 seconds");
  }
}

bool same_quota(const RateLimitPolicy& a, const RateLimitPolicy& b) {
  return a.limit == b.limit && a.window == b.window;
}

// Between after_routing and on_response, which `Router::handle` calls for one request on one
// thread: the decision, to be shown on the response the handler (or security) makes later.
struct Pending {
  const RateLimit* owner;
  const Request* request;
  std::size_t policy;
  RateLimitDecision decision;
};
thread_local std::vector<Pending> pending;

}  // namespace

std::optional<RateLimitExtension> rate_limit_extension(std::string_view operation_id,
                                                       std::string_view extensions) {
  if (extensions.empty()) return std::nullopt;
  const std::string where =
      "operation '" + std::string(operation_id) + "': " + std::string(kExtension);
  const auto all = nlohmann::json::parse(extensions, nullptr, false);
  if (!all.is_object())
    throw std::invalid_argument(where + ": the extensions are not a JSON object");
  const auto found = all.find(std::string(kExtension));
  if (found == all.end()) return std::nullopt;
  const nlohmann::json& value = *found;
  RateLimitExtension out;
  if (value.is_boolean() && !value.get<bool>()) {
    out.exempt = true;
    return out;
  }
  if (!value.is_object()) {
    throw std::invalid_argument(
        where + " must be false or an object {limit, window[, name]}, not " + value.dump());
  }
  out.policy.name = name_from(operation_id);
  bool has_limit = false, has_window = false;
  for (const auto& [key, member] : value.items()) {
    if (key == "limit" || key == "window") {
      if (!member.is_number_integer() && !member.is_number_unsigned()) {
        throw std::invalid_argument(where + ": '" + key + "' must be an integer, not " +
                                    member.dump());
      }
      const auto number = member.get<std::int64_t>();
      if (number <= 0) throw std::invalid_argument(where + ": '" + key + "' must be positive");
      if (key == "limit") {
        out.policy.limit = static_cast<std::uint64_t>(number);
        has_limit = true;
      } else {
        out.policy.window = std::chrono::seconds(number);
        has_window = true;
      }
    } else if (key == "name") {
      if (!member.is_string()) throw std::invalid_argument(where + ": 'name' must be a string");
      out.policy.name = member.get<std::string>();
    } else {
      throw std::invalid_argument(where + ": unknown member '" + key +
                                  "' (expected limit, window, name)");
    }
  }
  if (!has_limit || !has_window) {
    throw std::invalid_argument(where + " needs both 'limit' and 'window' (seconds)");
  }
  check(out.policy, where);
  return out;
}

RateLimit::RateLimit(const OperationInfo* operations, std::size_t count, RateLimitOptions options)
    : operations_(operations), trusted_proxies_(options.trusted_proxies),
      store_(std::move(options.store)) {
  if (!store_) store_ = std::make_shared<MemoryRateLimitStore>();
  // Operations whose policies share a name share a quota: the name must mean one quota.
  std::map<std::string, std::size_t, std::less<>> by_name;
  auto add = [&](const RateLimitPolicy& policy, const std::string& where) -> std::size_t {
    check(policy, where);
    auto [it, inserted] = by_name.try_emplace(policy.name, policies_.size());
    if (inserted) {
      policies_.push_back(policy);
    } else if (!same_quota(policies_[it->second], policy)) {
      throw std::invalid_argument(where + ": policy name '" + policy.name +
                                  "' is already used for a different limit or window");
    }
    return it->second;
  };
  if (options.default_policy) default_ = add(*options.default_policy, "default rate limit policy");

  std::set<std::string_view> known;
  for (std::size_t i = 0; i < count; ++i) {
    const OperationInfo& operation = operations[i];
    const std::string id(operation.operation_id);
    known.insert(operation.operation_id);
    std::optional<std::size_t> index = default_;
    if (options.exempt.count(id) != 0) {
      index.reset();
    } else if (auto configured = options.operations.find(id);
               configured != options.operations.end()) {
      index = add(configured->second, "rate limit of operation '" + id + "'");
    } else if (auto extension =
                   rate_limit_extension(operation.operation_id, operation.extensions)) {
      if (extension->exempt) {
        index.reset();
      } else {
        index = add(extension->policy, "operation '" + id + "': " + std::string(kExtension));
      }
    }
    by_operation_[operation.operation_id] = index;
    by_position_.push_back(index);
  }
  for (const auto& entry : options.operations) {
    if (known.count(entry.first) == 0) {
      throw std::invalid_argument("rate limit configured for operation '" + entry.first +
                                  "', which the API does not have");
    }
  }
  for (const auto& id : options.exempt) {
    if (known.count(id) == 0) {
      throw std::invalid_argument("rate limit exemption for operation '" + id +
                                  "', which the API does not have");
    }
  }
  for (const auto& policy : policies_) {
    policy_fields_.push_back("\"" + policy.name + "\";q=" + std::to_string(policy.limit) +
                             ";w=" + std::to_string(policy.window.count()));
  }
}

const RateLimitPolicy* RateLimit::policy(std::string_view operation_id) const {
  std::optional<std::size_t> index = default_;
  if (auto it = by_operation_.find(operation_id); it != by_operation_.end()) index = it->second;
  return index ? &policies_[*index] : nullptr;
}

namespace {

// Who a request is counted as, appended to `out` (see `RateLimit::caller`).
void append_caller(std::string& out, const Request& request, const AddressSet& trusted_proxies) {
  if (request.principal && !request.principal->identities.empty()) {
    const Identity& identity = request.principal->identities.front();
    if (!identity.subject.empty()) {
      out += "principal:";
      out += identity.scheme;
      out += ':';
      out += identity.subject;
      return;
    }
  }
  out += "address:";
  out += client_address(request, trusted_proxies);
}

void append_decimal(std::string& out, std::uint64_t value) {
  char digits[20];
  const auto end = std::to_chars(digits, digits + sizeof digits, value).ptr;
  out.append(digits, static_cast<std::size_t>(end - digits));
}

void add_fields(Response& response, const std::string& policy_field, const RateLimitPolicy& policy,
                const RateLimitDecision& decision) {
  response.headers.set("RateLimit-Policy", policy_field);
  if (!decision.known) return;
  // This thread's, reused: the list copies the value, and a new string was an allocation.
  thread_local std::string value;
  value.assign(1, '"');
  value += policy.name;
  value += "\";r=";
  append_decimal(value, decision.remaining);
  value += ";t=";
  append_decimal(value, static_cast<std::uint64_t>(decision.reset.count()));
  response.headers.set("RateLimit", value);
}

}  // namespace

std::string RateLimit::caller(const Request& request) const {
  std::string out;
  append_caller(out, request, trusted_proxies_);
  return out;
}

std::optional<Response> RateLimit::after_routing(Request& request) {
  std::optional<std::size_t> index = default_;
  if (const OperationInfo* operation = request.operation; operation != nullptr) {
    const std::less<const OperationInfo*> before;
    if (!before(operation, operations_) && before(operation, operations_ + by_position_.size())) {
      index = by_position_[static_cast<std::size_t>(operation - operations_)];
    } else if (auto it = by_operation_.find(operation->operation_id); it != by_operation_.end()) {
      index = it->second;
    }
  }
  if (!index) return std::nullopt;
  const RateLimitPolicy& policy = policies_[*index];
  // The key is built in this thread's buffer: no allocation once it has grown.
  thread_local std::string key;
  key.assign(policy.name);
  key += '|';
  append_caller(key, request, trusted_proxies_);
  const RateLimitDecision decision = store_->acquire(key, policy);

  if (pending.size() > 64) pending.clear();  // never expected: on_response always follows
  pending.push_back(Pending{this, &request, *index, decision});
  if (decision.allowed) return std::nullopt;

  ++rejected_;
  Response response;
  if (!decision.known) {
    Problem problem;
    problem.status = 503;
    problem.type = std::string(kProblemRateLimitUnavailable);
    problem.detail = "the rate limit cannot be checked right now";
    response = problem_response(problem);
    response.headers.set("Retry-After", std::to_string(decision.retry_after.count()));
    return response;
  }
  Problem problem;
  problem.status = 429;
  problem.type = std::string(kProblemRateLimited);
  problem.detail = "rate limit '" + policy.name + "' of " + std::to_string(policy.limit) +
                   " requests per " + std::to_string(policy.window.count()) +
                   " s exceeded; retry in " + std::to_string(decision.retry_after.count()) + " s";
  nlohmann::json body = problem;
  // draft-ietf-httpapi-ratelimit-headers-10 section 5.1's member, with our own problem type.
  body["violated-policies"] = nlohmann::json::array({policy.name});
  response.status = 429;
  response.headers.set("Content-Type", "application/problem+json");
  response.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  response.headers.set("Retry-After", std::to_string(decision.retry_after.count()));
  add_fields(response, policy_fields_[*index], policy, decision);
  return response;
}

void RateLimit::on_response(const Request& request, Response& response) {
  for (auto it = pending.begin(); it != pending.end(); ++it) {
    if (it->owner != this || it->request != &request) continue;
    add_fields(response, policy_fields_[it->policy], policies_[it->policy], it->decision);
    pending.erase(it);
    return;
  }
}

}  // namespace oasgen
