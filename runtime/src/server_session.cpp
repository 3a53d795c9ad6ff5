// One connection of the HTTP/1.1 adapter: reading requests, handing them to the router, writing
// responses, lingering and closing (see server_session.hpp).
#include "server_session.hpp"

#include <algorithm>
#include <array>
#include <boost/asio/write.hpp>
#include <charconv>
#include <cstring>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <cstdint>
#include <iterator>
#include <limits>
#include <utility>
#include <vector>

#include "http_conformance.hpp"
#include "oasgen/problem.hpp"

namespace oasgen::detail {
namespace {

// A field name is a token without separators we could be fooled by; a value holds no line break.
// One pass over each, as every response goes through here.
bool valid_fields(const Headers& headers) {
  for (const auto& [name, value] : headers) {
    if (name.empty()) return false;
    for (char c : name) {
      if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == ':') return false;
    }
    if (std::memchr(value.data(), '\n', value.size()) != nullptr ||
        std::memchr(value.data(), '\r', value.size()) != nullptr) {
      return false;
    }
  }
  return true;
}

// Writes `text` at `at` and returns the end: the head is sized once and filled by copies, as
// std::string::append (a call into the library each time) cost more than the copies themselves.
char* put(char* at, std::string_view text) {
  std::memcpy(at, text.data(), text.size());
  return at + text.size();
}

char* put_field(char* at, std::string_view name, std::string_view value) {
  at = put(at, name);
  at = put(at, ": ");
  at = put(at, value);
  return put(at, "\r\n");
}

char* put_decimal(char* at, std::uint64_t value) {
  return std::to_chars(at, at + 20, value).ptr;
}

}  // namespace

// Written by hand rather than through Beast's message and serializer: Beast allocates an element
// per field and hands the kernel a buffer per field, a cost every production feature's field paid
// again. `head_out` is the session's, reused, so its storage is allocated once per connection.
void serialize(Response response, unsigned version, bool& keep_alive, bool head,
               std::string& head_out, std::string& body, int& status) {
  if (response.status < 200 || response.status > 999 || !valid_fields(response.headers)) {
    response = problem_response(500, "the handler produced an invalid response");
  }
  status = response.status;
  const auto reason = http::obsolete_reason(static_cast<http::status>(status));
  std::optional<std::string_view> content_length;
  bool has_server = false;
  // Compared by length first: most fields are none of these four.
  const auto is = [](std::string_view name, std::string_view known) {
    return name.size() == known.size() && iequals(name, known);
  };
  const auto kept = [&](std::string_view name) {
    return !is(name, "Content-Length") && !is(name, "Connection") &&
           !is(name, "Transfer-Encoding");
  };
  // The most the head can take: the status line, the fields kept, and what the adapter adds.
  std::size_t most = 13 + reason.size() + 2;
  for (const auto& [name, value] : response.headers) {
    if (kept(name)) most += name.size() + value.size() + 4;
    if (is(name, "Content-Length")) most += value.size();
  }
  most += 16 + 20 + 2 + 16 + 24 + 2;  // Content-Length, Server, Connection, the empty line
  head_out.resize(most);
  char* at = head_out.data();
  at = put(at, version == 10 ? "HTTP/1.0 " : "HTTP/1.1 ");
  at = put_decimal(at, static_cast<std::uint64_t>(status));
  at = put(at, " ");
  at = put(at, {reason.data(), reason.size()});
  at = put(at, "\r\n");
  for (const auto& [name, value] : response.headers) {
    if (is(name, "Content-Length")) {
      content_length = value;
    } else if (is(name, "Connection")) {
      if (iequals(value, "close")) keep_alive = false;
    } else if (!is(name, "Transfer-Encoding")) {
      has_server = has_server || is(name, "Server");
      at = put_field(at, name, value);
    }
  }
  if (status == 204 || status == 304) {
    // No body; a 304 may announce the length of the representation it stands for.
    response.body.clear();
    if (status == 304 && content_length) at = put_field(at, "Content-Length", *content_length);
  } else if (head && content_length) {
    at = put_field(at, "Content-Length", *content_length);
    response.body.clear();
  } else {
    at = put(at, "Content-Length: ");
    at = put_decimal(at, response.body.size());
    at = put(at, "\r\n");
    if (head) response.body.clear();
  }
  if (!has_server) at = put(at, "Server: oasgen\r\n");
  // What Beast's keep_alive() adds when no Connection field is left: each version's non-default.
  if (version == 10 && keep_alive) at = put(at, "Connection: keep-alive\r\n");
  if (version != 10 && !keep_alive) at = put(at, "Connection: close\r\n");
  at = put(at, "\r\n");
  head_out.resize(static_cast<std::size_t>(at - head_out.data()));
  body = std::move(response.body);
}

namespace {

const boost::system::error_category& http_category() {
  return http::make_error_code(http::error::bad_method).category();
}

}  // namespace

Session::~Session() {
  if (busy_) core_.request_finished();
  core_.forget(this);
}

void Session::start() {
  asio::dispatch(stream_.get_executor(), [self = shared_from_this()] {
    self->guarded([&] { self->refuse_ ? self->refuse_connection() : self->next_request(); });
  });
}

void Session::close_if_idle() {
  asio::post(stream_.get_executor(), [self = shared_from_this()] {
    // Not closed here: the pending read may have taken a request's bytes from the socket already,
    // its completion queued behind this. Cancelled, it completes with operation_aborted when
    // nothing came (then the connection closes, idle), or with the bytes (then the request is
    // answered, with Connection: close).
    if (self->idle()) {
      self->closing_idle_ = true;
      beast::error_code ignored;
      self->stream_.socket().cancel(ignored);
    }
  });
}

void Session::close_soon() {
  asio::post(stream_.get_executor(), [self = shared_from_this()] {
    if (!self->idle() && !self->lingering_) self->core_.note_cut_off();
    self->close();
  });
}

void Session::close() noexcept {
  if (busy_) {
    busy_ = false;
    core_.request_finished();
  }
  beast::error_code ignored;
  stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
  stream_.close();  // also cancels the timer
}

bool Session::idle() {
  if (busy_ || lingering_ || buffer_.size() > 0 || (parser_ && parser_->got_some())) return false;
  beast::error_code ec;
  return stream_.socket().available(ec) == 0 || ec;
}

void Session::refuse_connection() {
  started_ = Clock::now();
  respond(overloaded_response("too many connections", options().retry_after_seconds), 11, false,
          false);
}

void Session::next_request() {
  // Draining: a request whose bytes have arrived is still read and answered.
  if (core_.stopping() && idle()) {
    core_.note_idle_closed();
    return close();
  }
  if (!first_ && buffer_.size() == 0) {
    // Between keep-alive requests the idle timeout applies until the next request begins.
    stream_.expires_after(options().idle_timeout);
    stream_.async_read_some(buffer_.prepare(4096), bind(&Session::on_idle_read));
  } else {
    read_header();
  }
}

void Session::on_idle_read(beast::error_code ec, std::size_t bytes) {
  if (ec) return close_idle_or_failed(ec);
  buffer_.commit(bytes);
  read_header();
}

void Session::read_header() {
  parser_.emplace();
  parser_->header_limit(static_cast<std::uint32_t>(std::min<std::size_t>(
      options().max_header_bytes, std::numeric_limits<std::uint32_t>::max())));
  parser_->body_limit(static_cast<std::uint64_t>(options().max_body_bytes));
  // One deadline for the whole request, header and body.
  stream_.expires_after(options().read_timeout);
  http::async_read_header(stream_, buffer_, *parser_, bind(&Session::on_header));
}

void Session::on_header(beast::error_code ec, std::size_t) {
  if (ec) return on_read_error(ec);
  header_read_ = Clock::now();
  skipped_empty_line_ = false;
  if (!conform_head()) return;
  const auto& request = parser_->get();
  if (request.version() >= 11 && !parser_->is_done() &&
      beast::iequals(request[http::field::expect], "100-continue")) {
    continue_.emplace(http::status::continue_, 11);
    http::async_write(stream_, *continue_, bind(&Session::on_continue));
  } else {
    read_body();
  }
}

// The RFC 9110/9112 rules Beast leaves to us (http_conformance.hpp); false: answered and closing.
bool Session::conform_head() {
  auto& request = parser_->get();
  const auto view = [](beast::string_view s) { return std::string_view(s.data(), s.size()); };
  std::vector<HeadField> fields;
  for (const auto& field : request) {
    fields.emplace_back(view(field.name_string()), view(field.value()));
  }
  auto check = check_request_head(view(request.method_string()), view(request.target()),
                                  request.version(), fields);
  if (check.status != 0) {
    respond_error(check.status, std::move(check.detail));
    return false;
  }
  if (!check.target.empty()) request.target(check.target);
  return true;
}

void Session::on_continue(beast::error_code ec, std::size_t) {
  if (ec) return close();
  read_body();
}

void Session::close_idle_or_failed(beast::error_code ec) {
  if (closing_idle_ && ec == asio::error::operation_aborted) core_.note_idle_closed();
  close();
}

void Session::on_read_error(beast::error_code ec) {
  if (closing_idle_ && ec == asio::error::operation_aborted) return close_idle_or_failed(ec);
  if (ec == http::error::header_limit) {
    // Beast consumes the request-line once parsed, and only then sets the method.
    if (header_limit_status(!parser_->get().method_string().empty()) == 414) {
      return respond_error(414, "the request line is longer than " +
                                    std::to_string(options().max_header_bytes) + " bytes");
    }
    return respond_error(431, "the request header is larger than " +
                                  std::to_string(options().max_header_bytes) + " bytes");
  }
  if (ec == http::error::body_limit) {
    return respond_error(413, "the request body is larger than " +
                                  std::to_string(options().max_body_bytes) + " bytes");
  }
  if (!skipped_empty_line_ && &ec.category() == &http_category()) {
    // One empty line before the request-line is ignored (RFC 9112 2.2); Beast refuses it.
    const auto received = buffer_.cdata();
    if (const auto n = leading_empty_line(
            {static_cast<const char*>(received.data()), received.size()})) {
      skipped_empty_line_ = true;
      buffer_.consume(n);
      return read_header();
    }
  }
  if (ec == http::error::bad_version) {
    // Beast parses HTTP/1.0 and 1.1 only; the header is still in buffer_, unconsumed.
    const auto received = buffer_.data();
    auto* bytes = static_cast<char*>(received.data());
    const auto fix = fix_version({bytes, received.size()});
    if (fix.status == 505) return respond_error(505, "only HTTP/1.0 and HTTP/1.1 are supported");
    if (fix.minor_at != std::string_view::npos) {
      bytes[fix.minor_at] = '1';  // HTTP/1.x above 1.1 is read as HTTP/1.1 (RFC 9110 2.5)
      return read_header();
    }
  }
  // A client that closes or stalls mid-request gets no answer; malformed bytes get a 400.
  if (ec == http::error::end_of_stream || ec == http::error::partial_message ||
      &ec.category() != &http_category()) {
    return close();
  }
  respond_error(400, "malformed HTTP request: " + ec.message());
}

std::size_t Session::begin_request() {
  std::size_t in_flight = 0;
  if (!busy_) {
    busy_ = true;
    in_flight = core_.request_started();
  }
  started_ = Clock::now();
  const auto& request = parser_->get();
  method_ = std::string(request.method_string());
  target_ = std::string(request.target());
  return in_flight;
}

void Session::on_request(beast::error_code ec, std::size_t) {
  if (ec) return on_read_error(ec);
  const std::size_t in_flight = begin_request();
  auto& message = parser_->get();
  Request request;
  request.method = method_;
  request.target = target_;
  std::size_t fields = 0, bytes = 0;
  for (const auto& field : message) {
    ++fields;
    bytes += field.name_string().size() + field.value().size();
  }
  request.headers.reserve(fields, bytes);
  for (const auto& field : message) {
    const auto name = field.name_string();
    const auto value = field.value();
    request.headers.add({name.data(), name.size()}, {value.data(), value.size()});
  }
  request.body = std::move(message.body());
  request.remote_address = remote_;
  request.received = started_;
  request.overloaded = options().max_in_flight != 0 && in_flight > options().max_in_flight;
  if (options().handler_deadline.count() > 0) {
    request.deadline = header_read_ + options().handler_deadline;
  }
  const bool head = message.method() == http::verb::head;
  const bool keep_alive = message.keep_alive();
  const unsigned version = message.version();

  asio::thread_pool* pool = core_.handler_pool();
  if (pool == nullptr) return respond(handle(std::move(request)), version, keep_alive, head);
  // On the pool, then back on the connection's strand to write. Nothing else of the session is
  // touched off the strand: the request was moved out, and `busy_` keeps a drain from closing
  // the connection meanwhile.
  asio::post(*pool, [self = shared_from_this(), request = std::move(request), version, keep_alive,
                     head]() mutable {
    const auto executor = self->stream_.get_executor();
    try {
      Response response = self->handle(std::move(request));
      asio::post(executor, [self, response = std::move(response), version, keep_alive,
                            head]() mutable {
        self->guarded([&] { self->respond(std::move(response), version, keep_alive, head); });
      });
    } catch (...) {
      // Out of memory: no exception may leave a pool thread; the connection closes instead.
      try {
        asio::post(executor, [self] { self->close(); });
      } catch (...) {
      }
    }
  });
}

Response Session::handle(Request request) const {
  try {
    return core_.router().handle(std::move(request));
  } catch (...) {
    // Router::handle promises not to throw; should it, the client still gets an answer.
    return problem_response(500);
  }
}

void Session::respond_error(int status, std::string detail) {
  begin_request();
  // What was read of the request, for the middleware's on_response (the access log, metrics,
  // request ids, CORS): the fields parsed before the error, no body.
  Request request;
  request.method = method_;
  request.target = target_;
  for (const auto& field : parser_->get()) {
    request.headers.add(std::string(field.name_string()), std::string(field.value()));
  }
  request.remote_address = remote_;
  request.received = started_;
  Response response = problem_response(status, std::move(detail));
  core_.router().finish_unrouted(request, response);
  respond(std::move(response), 11, false, false);
}

void Session::respond(Response response, unsigned version, bool keep_alive, bool head) {
  keep_alive_ = keep_alive && !core_.stopping();
  serialize(std::move(response), version, keep_alive_, head, head_, body_, status_);
  // A client that stops reading the response counts as idle.
  stream_.expires_after(options().idle_timeout);
  // Header and body in one gather write.
  const std::array<asio::const_buffer, 2> buffers{asio::buffer(head_), asio::buffer(body_)};
  asio::async_write(stream_, buffers, bind(&Session::on_write));
}

void Session::on_write(beast::error_code ec, std::size_t) {
  if (busy_) {
    busy_ = false;
    core_.request_finished();
  }
  if (ec) return close();
  if (core_.stopping()) core_.note_answered();
  if (options().access_log) {
    AccessLogEntry entry;
    entry.method = std::move(method_);
    entry.target = std::move(target_);
    entry.status = status_;
    entry.response_bytes = body_.size();
    entry.duration =
        std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - started_);
    entry.remote = remote_;
    core_.log(entry);
  }
  // head_ keeps its storage for the next response; a large body's is given back.
  body_ = std::string();
  parser_.reset();
  first_ = false;
  if (!keep_alive_) return linger();
  // A drain that began while this response was written: it promised keep-alive, so a request the
  // client has already sent is still read and answered (with Connection: close); next_request
  // closes the connection if none has.
  next_request();
}

void Session::linger() {
  lingering_ = true;
  beast::error_code ec;
  stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
  if (ec) return close();
  stream_.expires_after(kLingerTime);
  drain();
}

void Session::drain() {
  buffer_.clear();
  stream_.async_read_some(buffer_.prepare(4096), bind(&Session::on_drain));
}

void Session::on_drain(beast::error_code ec, std::size_t) {
  if (ec) return close();
  drain();
}

}  // namespace oasgen::detail
