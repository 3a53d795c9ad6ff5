// HTTP request and response values: what the router, dispatch and handlers exchange.
// Plain data, no sockets: the server adapter converts to and from the wire.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace oasgen {

/// An ordered list of header fields; names compare case-insensitively.
///
/// Names and values are kept back to back in one string, not a string each: the middleware add
/// several long fields to every response (CORS, rate limits, request ids), and a string per name and
/// value was most of what they allocated. Iterating gives views, valid until the list changes.
class Headers {
 public:
  using Field = std::pair<std::string_view, std::string_view>;
  class const_iterator;

  /// Appends a field, keeping any existing field of the same name.
  void add(std::string_view name, std::string_view value);
  /// Replaces every field of this name with one field.
  void set(std::string_view name, std::string_view value);
  void remove(std::string_view name);
  /// Makes room for `count` fields of `bytes` bytes of names and values in all.
  void reserve(std::size_t count, std::size_t bytes = 0);
  /// The first field of this name.
  std::optional<std::string_view> get(std::string_view name) const;
  std::vector<std::string_view> get_all(std::string_view name) const;
  bool contains(std::string_view name) const { return get(name).has_value(); }

  const_iterator begin() const;
  const_iterator end() const;
  std::size_t size() const { return slots_.size(); }
  bool empty() const { return slots_.empty(); }

 private:
  struct Slot {
    std::uint32_t name_at, name_size, value_at, value_size;
  };
  Field field(const Slot& slot) const {
    return {std::string_view(text_).substr(slot.name_at, slot.name_size),
            std::string_view(text_).substr(slot.value_at, slot.value_size)};
  }
  bool aliases(std::string_view text) const;
  void compact();

  std::string text_;
  std::vector<Slot> slots_;
  std::size_t unused_ = 0;  // bytes of text_ no slot refers to any more
};

class Headers::const_iterator {
 public:
  using iterator_category = std::input_iterator_tag;
  using value_type = Field;
  using difference_type = std::ptrdiff_t;
  using reference = Field;
  struct pointer {
    Field field;
    const Field* operator->() const { return &field; }
  };

  Field operator*() const { return headers_->field(*slot_); }
  pointer operator->() const { return {**this}; }
  const_iterator& operator++() {
    ++slot_;
    return *this;
  }
  const_iterator operator++(int) {
    const_iterator before = *this;
    ++slot_;
    return before;
  }
  friend bool operator==(const const_iterator& a, const const_iterator& b) {
    return a.slot_ == b.slot_;
  }
  friend bool operator!=(const const_iterator& a, const const_iterator& b) {
    return a.slot_ != b.slot_;
  }

 private:
  friend class Headers;
  const_iterator(const Headers* headers, std::vector<Slot>::const_iterator slot)
      : headers_(headers), slot_(slot) {}
  const Headers* headers_;
  std::vector<Slot>::const_iterator slot_;
};

inline Headers::const_iterator Headers::begin() const { return {this, slots_.begin()}; }
inline Headers::const_iterator Headers::end() const { return {this, slots_.end()}; }

/// Case-insensitive ASCII comparison, as HTTP field names and media types require.
bool iequals(std::string_view a, std::string_view b);

struct OperationInfo;  // oasgen/operation.hpp
struct Principal;      // oasgen/context.hpp

namespace detail {
void fill_random_hex(char* out, std::size_t digits);
}  // namespace detail

/// An id of `Digits` lower-case hex digits (a W3C trace or span id), held in place rather than in a
/// string: a request's trace and span ids were two allocations per request. Empty until assigned;
/// reads as a `std::string_view`.
template <std::size_t Digits>
class HexId {
  static_assert(Digits > 0 && Digits <= 64);

 public:
  HexId() = default;
  explicit HexId(std::string_view text) { *this = text; }
  /// Takes `text` as it is (`parse_traceparent` checks the digits); throws std::length_error when
  /// it is longer than `Digits`.
  HexId& operator=(std::string_view text) {
    if (text.size() > Digits) throw std::length_error("id longer than its digits");
    text.copy(text_, text.size());
    size_ = static_cast<unsigned char>(text.size());
    return *this;
  }
  /// Random digits, not a secret (see `random_hex`).
  void randomize() {
    detail::fill_random_hex(text_, Digits);
    size_ = Digits;
  }
  void clear() { size_ = 0; }

  bool empty() const { return size_ == 0; }
  std::size_t size() const { return size_; }
  std::string_view view() const { return {text_, size_}; }
  operator std::string_view() const { return view(); }
  std::string str() const { return std::string(view()); }

  friend bool operator==(const HexId& a, const HexId& b) { return a.view() == b.view(); }
  friend bool operator!=(const HexId& a, const HexId& b) { return a.view() != b.view(); }
  friend bool operator==(const HexId& a, std::string_view b) { return a.view() == b; }
  friend bool operator!=(const HexId& a, std::string_view b) { return a.view() != b; }
  friend bool operator==(std::string_view a, const HexId& b) { return a == b.view(); }
  friend bool operator!=(std::string_view a, const HexId& b) { return a != b.view(); }

 private:
  char text_[Digits] = {};
  unsigned char size_ = 0;
};

/// W3C Trace Context (https://www.w3.org/TR/trace-context/): the `traceparent` a request arrived
/// with, or one made for it, and its `tracestate`.
struct TraceContext {
  HexId<32> trace_id;   ///< 32 lower-case hex digits, not all zero
  HexId<16> parent_id;  ///< the caller's span (empty when the request brought none)
  HexId<16> span_id;    ///< this request's span, the parent of calls it makes
  std::string flags = "00";  ///< trace-flags, 2 hex digits ("01": sampled)
  std::string state;         ///< `tracestate`, as received

  /// The `traceparent` to send on calls made while serving this request.
  std::string traceparent() const;
};

/// An HTTP request as the application sees it.
struct Request {
  std::string method;  ///< "GET", "POST", ... as received (methods are case-sensitive)
  std::string target;  ///< origin-form target: "/pets/7?verbose=true"
  Headers headers;
  std::string body;
  /// Path parameters, percent-decoded, in template order; filled in by `Router`.
  std::vector<std::pair<std::string, std::string>> path_params;
  /// "address:port" of the peer, set by `Server`; empty for a request that came from elsewhere.
  std::string remote_address;
  /// Identifies the request in logs, problems and to handlers; `Router::handle` makes one when it is
  /// empty (16 random hex digits), unless a middleware (`RequestIds`) took a well-formed
  /// `X-Request-Id`.
  std::string request_id;
  TraceContext trace;  ///< filled in by the `RequestIds` middleware
  /// After routing: the matched route's template ("/pets/{petId}"), and its operation when the
  /// route was added with one.
  std::string_view route;
  const OperationInfo* operation = nullptr;
  /// After routing: the caller an alternative of the operation's `security` admitted (null when
  /// the operation is public, or anonymous access was allowed and taken).
  std::shared_ptr<const Principal> principal;
  /// When the request arrived whole: set by `Server`, else by `Router::handle` when unset. What
  /// durations (access log, metrics) are measured from.
  std::chrono::steady_clock::time_point received{};
  /// Set by `Server` when `ServerOptions::handler_deadline` is set: the request's header was read
  /// at `deadline - handler_deadline`. The router answers 503 instead of starting the handler once
  /// it has passed; a running handler is never interrupted (see `Context::expired`).
  std::optional<std::chrono::steady_clock::time_point> deadline;
  /// Set by `Server` when the request is past `ServerOptions::max_in_flight`: the chain's
  /// `before_routing` hooks still run (ids, health probes, preflights), then the router answers 503
  /// with `Retry-After` instead of routing.
  bool overloaded = false;

  /// The target's path, still percent-encoded.
  std::string_view path() const;
  /// The target's query, without '?', still percent-encoded; empty when there is none.
  std::string_view query() const;
};

/// An HTTP response.
struct Response {
  int status = 200;
  Headers headers;
  std::string body;
  /// Set by `problem_response`: `body` is the JSON object it wrote, with no `request_id` or
  /// `trace_id` member, so `RequestIds` adds them without reading the body first (a 422 lists
  /// every failed check). Clear it if you change such a body.
  bool plain_problem = false;
};

/// 16 random bytes' worth of lower-case hex digits, `digits` long (at most 32): ids for requests,
/// traces and spans. Not a secret.
std::string random_hex(std::size_t digits);

/// A body kept as bytes (octet-stream, images, text, ...), with the media type it arrived as.
struct RawBody {
  std::string media_type;
  std::string data;
};

/// The standard reason phrase for a status code ("Not Found"), or "Unknown Status".
std::string_view reason_phrase(int status);

/// Decodes %XX escapes; with `plus_as_space`, '+' becomes ' ' (form encoding). Returns nullopt on a
/// malformed escape.
std::optional<std::string> percent_decode(std::string_view text, bool plus_as_space = false);

}  // namespace oasgen
