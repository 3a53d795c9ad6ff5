// HTTP request and response values: what the router, dispatch and handlers exchange.
// Plain data, no sockets: the server adapter converts to and from the wire.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace oasgen {

/// An ordered list of header fields; names compare case-insensitively.
class Headers {
 public:
  using Field = std::pair<std::string, std::string>;
  using const_iterator = std::vector<Field>::const_iterator;

  /// Appends a field, keeping any existing field of the same name.
  void add(std::string name, std::string value);
  /// Replaces every field of this name with one field.
  void set(std::string name, std::string value);
  void remove(std::string_view name);
  /// The first field of this name.
  std::optional<std::string_view> get(std::string_view name) const;
  std::vector<std::string_view> get_all(std::string_view name) const;
  bool contains(std::string_view name) const { return get(name).has_value(); }

  const_iterator begin() const { return fields_.begin(); }
  const_iterator end() const { return fields_.end(); }
  std::size_t size() const { return fields_.size(); }
  bool empty() const { return fields_.empty(); }

 private:
  std::vector<Field> fields_;
};

/// Case-insensitive ASCII comparison, as HTTP field names and media types require.
bool iequals(std::string_view a, std::string_view b);

/// An HTTP request as the application sees it.
struct Request {
  std::string method;  ///< "GET", "POST", ... as received (methods are case-sensitive)
  std::string target;  ///< origin-form target: "/pets/7?verbose=true"
  Headers headers;
  std::string body;
  /// Path parameters, percent-decoded, in template order; filled in by `Router`.
  std::vector<std::pair<std::string, std::string>> path_params;
  /// The request's id (issue 13: set by the server; oasgen/context.hpp reads it).
  std::string request_id;
  /// "address:port" of the peer; empty when the request did not come over a socket.
  std::string remote_address;

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
};

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
