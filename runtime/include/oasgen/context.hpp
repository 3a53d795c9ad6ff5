// What a handler knows about the request beyond its typed arguments: who is calling, the request's
// id, where it came from, its raw headers; and the response headers the handler wants to add.
//
//   petstore::GetPetResult get_pet(const petstore::GetPetRequest& request,
//                                  oasgen::Context& context) override {
//     if (const oasgen::Principal* caller = context.principal()) log(caller->subject());
//     context.response_headers().set("Cache-Control", "no-store");
//     ...
//   }
#pragma once

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "oasgen/http.hpp"

namespace oasgen {

/// What one security scheme established about the caller.
struct Identity {
  std::string scheme;               ///< the scheme's name under components/securitySchemes
  std::string subject;              ///< who: a user id, a JWT's `sub`, an API key's owner
  std::vector<std::string> scopes;  ///< the scopes granted (not only those the operation requires)
  nlohmann::json claims = nlohmann::json::object();  ///< e.g. a JWT's payload

  bool has_scope(std::string_view scope) const;
};

/// The authenticated caller: which alternative of the operation's `security` admitted the request
/// (numbered from 0 in the spec's order) and one identity per scheme of that alternative, in the
/// spec's order.
struct Principal {
  std::size_t alternative = 0;
  std::vector<Identity> identities;

  /// The identity a scheme established; nullptr when the scheme was not part of the alternative.
  const Identity* find(std::string_view scheme) const;
  /// The first non-empty subject of the identities ("" when none has one).
  std::string_view subject() const;
};

/// The context of one request, handed to every generated handler method.
class Context {
 public:
  /// `request` must outlive the context.
  explicit Context(const Request& request) : request_(request) {}

  const Request& request() const { return request_; }
  const Headers& headers() const { return request_.headers; }
  /// The request's id (see `Request::request_id`).
  std::string_view request_id() const { return request_.request_id; }
  /// "address:port" of the peer; empty when the request did not come over a socket.
  std::string_view remote_address() const { return request_.remote_address; }

  /// The authenticated caller; nullptr for an operation without security, or when an empty
  /// alternative (`{}`) admitted a request that presented no credential.
  const Principal* principal() const { return request_.principal.get(); }
  /// The W3C trace context of the request (see `Request::trace`).
  const TraceContext& trace() const { return request_.trace; }

  /// When the handler should have answered (`ServerOptions::handler_deadline` after the request's
  /// header was read); nullopt when no deadline is set. Cooperative: the server never interrupts a
  /// running handler, which may check `expired()` between steps and give up (e.g. with a 503).
  std::optional<std::chrono::steady_clock::time_point> deadline() const {
    return request_.deadline;
  }
  /// Whether the deadline has passed (false when there is none).
  bool expired() const;

  /// Headers added to the response, whichever result the handler returns (a header the result
  /// also sets is replaced by the result's).
  Headers& response_headers() { return response_headers_; }
  const Headers& response_headers() const { return response_headers_; }

  /// `response` with `response_headers()` added where it does not set them itself.
  Response finish(Response response) const;

 private:
  const Request& request_;
  Headers response_headers_;
};

}  // namespace oasgen
