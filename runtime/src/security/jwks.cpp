// RemoteJwks: a JWK Set fetched over oasgen::HttpTransport, cached, refreshed on unknown key ids.
#include "oasgen/security/jwks.hpp"

#include <algorithm>
#include <cctype>
#include <mutex>
#include <stdexcept>

#include "encoding.hpp"
#include "oasgen/client.hpp"

namespace oasgen::security {
namespace {

using Clock = std::chrono::steady_clock;

// An absolute URL, split into the origin a transport is made for and the request target.
struct Endpoint {
  std::string origin;  // "https://host:port"
  std::string target;  // "/path?query"
};

std::optional<Endpoint> endpoint(const std::string& url, bool allow_http) {
  const std::size_t query = url.find('?');
  auto parsed = parse_url(std::string_view(url).substr(0, query));
  if (!parsed || (parsed->scheme != "https" && !(allow_http && parsed->scheme == "http"))) {
    return std::nullopt;
  }
  const bool ipv6 = parsed->host.find(':') != std::string::npos;
  Endpoint result;
  result.origin = parsed->scheme + "://" + (ipv6 ? "[" + parsed->host + "]" : parsed->host) +
                  ":" + std::to_string(parsed->port);
  result.target = parsed->path.empty() ? "/" : parsed->path;
  if (query != std::string::npos) result.target += url.substr(query);
  return result;
}

// The max-age of a Cache-Control header (RFC 9111 §5.2.2.1), 0 for no-cache/no-store, nullopt
// when it says nothing about it.
std::optional<long long> max_age(std::string_view header) {
  std::optional<long long> result;
  std::size_t begin = 0;
  while (begin <= header.size()) {
    std::size_t end = header.find(',', begin);
    if (end == std::string_view::npos) end = header.size();
    std::string directive;
    for (char c : header.substr(begin, end - begin)) {
      if (c != ' ' && c != '\t') directive += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    if (directive == "no-cache" || directive == "no-store") return 0;
    if (directive.rfind("max-age=", 0) == 0) {
      const std::string digits = directive.substr(8);
      if (!digits.empty() && digits.size() < 12 &&
          std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        result = std::stoll(digits);
      }
    }
    begin = end + 1;
  }
  return result;
}

}  // namespace

struct RemoteJwks::State {
  RemoteJwksOptions options;
  std::string discovery_url;  // empty: `jwks_url` is known from the start
  std::optional<Endpoint> jwks;

  mutable std::mutex fetching;  // one fetch at a time; held while fetching
  mutable std::mutex mutex;     // guards what follows; never held while fetching
  std::vector<JwtKey> keys;
  bool loaded = false;
  Clock::time_point expires{};
  std::optional<Clock::time_point> last_attempt;
  std::size_t attempts = 0;
  std::optional<std::string> issuer;

  Clock::time_point now() const { return options.clock ? options.clock() : Clock::now(); }

  std::optional<Response> get(const Endpoint& where) const {
    try {
      HttpTransportOptions transport_options;
      transport_options.connect_timeout = options.timeout;
      transport_options.request_timeout = options.timeout;
      transport_options.max_response_bytes = options.max_document_bytes;
      transport_options.max_idle_connections = 0;
      transport_options.ca_file = options.ca_file;
      HttpTransport transport(where.origin, transport_options);
      Request request;
      request.method = "GET";
      request.target = where.target;
      request.headers.set("Accept", "application/jwk-set+json, application/json");
      TransportResult result = transport.send(request, {});
      auto* response = std::get_if<Response>(&result);
      if (response == nullptr || response->status != 200) return std::nullopt;
      return std::move(*response);
    } catch (const std::exception&) {
      return std::nullopt;
    }
  }

  // Finds `jwks_uri` through the discovery document (once).
  bool resolve() {
    if (jwks) return true;
    auto response = get(*endpoint(discovery_url, true));
    if (!response) return false;
    auto document = detail::parse_json_object(response->body, 16);
    if (!document) return false;
    auto uri = document->find("jwks_uri");
    auto iss = document->find("issuer");
    if (uri == document->end() || !uri->is_string() || iss == document->end() ||
        !iss->is_string()) {
      return false;
    }
    static constexpr std::string_view kSuffix = "/.well-known/openid-configuration";
    if (discovery_url.size() > kSuffix.size() &&
        discovery_url.compare(discovery_url.size() - kSuffix.size(), kSuffix.size(), kSuffix) ==
            0 &&
        iss->get_ref<const std::string&>() !=
            discovery_url.substr(0, discovery_url.size() - kSuffix.size())) {
      return false;
    }
    auto found = endpoint(uri->get<std::string>(), options.allow_http);
    if (!found) return false;
    std::lock_guard<std::mutex> lock(mutex);
    jwks = std::move(found);
    issuer = iss->get<std::string>();
    return true;
  }

  // One fetch; called with `fetching` held.
  bool fetch() {
    const Clock::time_point started = now();
    {
      std::lock_guard<std::mutex> lock(mutex);
      last_attempt = started;
      ++attempts;
    }
    if (!resolve()) return false;
    auto response = get(*jwks);
    if (!response) return false;
    JwkSet set;
    try {
      set = JwkSet::parse(response->body);
    } catch (const std::invalid_argument&) {
      return false;
    }
    std::chrono::seconds ttl = options.default_ttl;
    if (auto header = response->headers.get("Cache-Control")) {
      if (auto age = max_age(*header)) ttl = std::chrono::seconds(*age);
    }
    ttl = std::clamp(ttl, options.min_ttl, std::max(options.min_ttl, options.max_ttl));
    std::lock_guard<std::mutex> lock(mutex);
    keys = std::move(set.keys);
    loaded = true;
    expires = started + ttl;
    return true;
  }

  Lookup select(const std::optional<std::string>& kid) const {
    Lookup lookup;
    for (const JwtKey& key : keys) {
      if (!kid || key.id().empty() || key.id() == *kid) lookup.keys.push_back(key);
    }
    return lookup;
  }
};

RemoteJwks::RemoteJwks(std::unique_ptr<State> state) : state_(std::move(state)) {}
RemoteJwks::~RemoteJwks() = default;

std::shared_ptr<RemoteJwks> RemoteJwks::from_url(const std::string& url,
                                                 RemoteJwksOptions options) {
  auto state = std::make_unique<State>();
  state->jwks = endpoint(url, options.allow_http);
  if (!state->jwks) {
    throw std::invalid_argument(options.allow_http ? "the JWKS URL is not an absolute http(s) URL"
                                                   : "the JWKS URL is not an absolute https URL");
  }
  state->options = std::move(options);
  return std::shared_ptr<RemoteJwks>(new RemoteJwks(std::move(state)));
}

std::shared_ptr<RemoteJwks> RemoteJwks::from_discovery(const std::string& url,
                                                       RemoteJwksOptions options) {
  if (!endpoint(url, options.allow_http)) {
    throw std::invalid_argument(options.allow_http
                                    ? "the discovery URL is not an absolute http(s) URL"
                                    : "the discovery URL is not an absolute https URL");
  }
  auto state = std::make_unique<State>();
  state->discovery_url = url;
  state->options = std::move(options);
  return std::shared_ptr<RemoteJwks>(new RemoteJwks(std::move(state)));
}

KeySource::Lookup RemoteJwks::find(const std::optional<std::string>& kid) const {
  State& s = *state_;
  auto known = [&](const std::optional<std::string>& id) {
    if (!id) return true;
    return std::any_of(s.keys.begin(), s.keys.end(),
                       [&](const JwtKey& key) { return key.id().empty() || key.id() == *id; });
  };
  std::size_t seen_attempts = 0;
  {
    std::lock_guard<std::mutex> lock(s.mutex);
    if (s.loaded && s.now() < s.expires && known(kid)) return s.select(kid);
    seen_attempts = s.attempts;
  }
  std::lock_guard<std::mutex> fetching(s.fetching);
  bool fetch = false;
  {
    std::lock_guard<std::mutex> lock(s.mutex);
    const Clock::time_point now = s.now();
    const bool fresh = s.loaded && now < s.expires;
    // Another thread fetched while this one waited: use its result.
    if (s.attempts == seen_attempts) {
      const bool cooled = !s.last_attempt || now - *s.last_attempt >= s.options.refresh_cooldown;
      if (!fresh) {
        // Expired or never loaded: fetch, unless a fetch just failed (then wait the cool-down).
        fetch = cooled || (s.loaded && *s.last_attempt < s.expires);
      } else {
        // RFC 7517 §4.5 leaves kid matching to the application; an unknown one may be a rotated
        // key, so refresh, at most once per cool-down.
        fetch = !known(kid) && cooled;
      }
    }
  }
  if (fetch) s.fetch();
  std::lock_guard<std::mutex> lock(s.mutex);
  if (!s.loaded || s.now() >= s.expires) {
    Lookup lookup;
    lookup.unavailable = true;
    return lookup;
  }
  return s.select(kid);
}

bool RemoteJwks::refresh() {
  std::lock_guard<std::mutex> fetching(state_->fetching);
  return state_->fetch();
}

std::size_t RemoteJwks::fetches() const {
  std::lock_guard<std::mutex> lock(state_->mutex);
  return state_->attempts;
}

std::optional<std::string> RemoteJwks::issuer() const {
  std::lock_guard<std::mutex> lock(state_->mutex);
  return state_->issuer;
}

}  // namespace oasgen::security
