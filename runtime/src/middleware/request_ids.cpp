#include "oasgen/middleware/request_ids.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <nlohmann/json.hpp>

#include "../json_text.hpp"
#include "../made_request_id.hpp"

namespace oasgen {
namespace {

bool is_lower_hex(std::string_view text, std::size_t size) {
  return text.size() == size && std::all_of(text.begin(), text.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

bool all_zero(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return c == '0'; });
}

// What `on_response` needs to know of a problem body, read without building anything.
enum class Members {
  kNotObject,  // not exactly one JSON object (or not JSON at all): left alone
  kNone,       // an object without `request_id` and `trace_id`: the members go in as text
  kOurs,       // an object with one of them already
  kAsk,        // undecided here (an escaped top-level name, very deep nesting): ask the library
};

bool hex4(const char* p, unsigned& value) {
  value = 0;
  for (int i = 0; i < 4; ++i) {
    const char c = p[i];
    const int digit = c >= '0' && c <= '9'   ? c - '0'
                      : c >= 'a' && c <= 'f' ? c - 'a' + 10
                      : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                             : -1;
    if (digit < 0) return false;
    value = value * 16 + static_cast<unsigned>(digit);
  }
  return true;
}

// The length of the UTF-8 sequence at `p` (RFC 3629: no overlong forms, no surrogates, at most
// U+10FFFF); 0 when it is not one.
std::size_t utf8_sequence(const char* p, const char* end) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(p[i]); };
  const auto in = [&](std::size_t i, unsigned lo, unsigned hi) {
    return p + i < end && byte(i) >= lo && byte(i) <= hi;
  };
  const unsigned lead = byte(0);
  if (lead >= 0xc2 && lead <= 0xdf) return in(1, 0x80, 0xbf) ? 2 : 0;
  if (lead >= 0xe0 && lead <= 0xef) {
    const unsigned lo = lead == 0xe0 ? 0xa0 : 0x80, hi = lead == 0xed ? 0x9f : 0xbf;
    return in(1, lo, hi) && in(2, 0x80, 0xbf) ? 3 : 0;
  }
  if (lead >= 0xf0 && lead <= 0xf4) {
    const unsigned lo = lead == 0xf0 ? 0x90 : 0x80, hi = lead == 0xf4 ? 0x8f : 0xbf;
    return in(1, lo, hi) && in(2, 0x80, 0xbf) && in(3, 0x80, 0xbf) ? 4 : 0;
  }
  return 0;
}

// Accepts what nlohmann's parser accepts (RFC 8259 with a leading byte order mark allowed, UTF-8
// checked in strings, no number that overflows a double), in one pass and without allocating: a
// 422 lists every failed check, and its SAX parse cost more than the rest of the request.
class ObjectScan {
 public:
  explicit ObjectScan(std::string_view text) : p_(text.data()), end_(text.data() + text.size()) {}

  Members run() {
    if (end_ - p_ >= 3 && std::string_view(p_, 3) == "\xEF\xBB\xBF") p_ += 3;
    skip_space();
    if (p_ == end_ || *p_ != '{') return Members::kNotObject;
    bool value = true;  // a value is expected next, else a separator or a closing bracket
    while (true) {
      skip_space();
      if (p_ == end_) return Members::kNotObject;
      if (value) {
        const char c = *p_;
        if (c == '{' || c == '[') {
          if (depth_ == 64) return Members::kAsk;
          nesting_ = (nesting_ << 1) | (c == '{' ? 1u : 0u);
          ++depth_;
          ++p_;
          skip_space();
          if (p_ < end_ && *p_ == (c == '{' ? '}' : ']')) {
            ++p_;
            close();
            if (depth_ == 0) return finish();
            value = false;
          } else if (c == '{' && !member()) {
            return Members::kNotObject;
          }
          continue;
        }
        if (!scalar()) return Members::kNotObject;
        value = false;
        continue;
      }
      const bool object = nesting_ & 1u;
      if (*p_ == ',') {
        ++p_;
        if (object && !member()) return Members::kNotObject;
        value = true;
      } else if (*p_ == (object ? '}' : ']')) {
        ++p_;
        close();
        if (depth_ == 0) return finish();
      } else {
        return Members::kNotObject;
      }
    }
  }

 private:
  void skip_space() {
    const char* p = p_;
    while (p < end_ && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')) ++p;
    p_ = p;
  }

  // After the object: nothing but white space may follow.
  Members finish() {
    skip_space();
    if (p_ != end_) return Members::kNotObject;
    return ours_ ? Members::kOurs : ask_ ? Members::kAsk : Members::kNone;
  }

  void close() {
    nesting_ >>= 1;
    --depth_;
  }

  // A member's name and its ':'; the value follows.
  bool member() {
    skip_space();
    if (p_ == end_ || *p_ != '"') return false;
    const char* name = p_ + 1;
    bool escaped = false;
    if (!string(escaped)) return false;
    if (depth_ == 1) {
      const std::string_view text(name, static_cast<std::size_t>(p_ - 1 - name));
      if (escaped) ask_ = true;  // "request\u005fid" is request_id: the library decodes it
      if (text == "request_id" || text == "trace_id") ours_ = true;
    }
    skip_space();
    if (p_ == end_ || *p_ != ':') return false;
    ++p_;
    return true;
  }

  // The bytes among 8 that are a control character, '"', '\\' or not ASCII (what ends a plain run
  // in a string), as their top bits: the classic bit tricks, exact up to the first such byte.
  static std::uint64_t special(std::uint64_t bytes) {
    constexpr std::uint64_t kOnes = 0x0101010101010101ULL, kHigh = 0x8080808080808080ULL;
    const auto equal = [&](unsigned char c) {
      const std::uint64_t x = bytes ^ (kOnes * c);
      return (x - kOnes) & ~x & kHigh;
    };
    const std::uint64_t below_space = (bytes - kOnes * 0x20) & ~bytes & kHigh;
    return (bytes & kHigh) | below_space | equal('"') | equal('\\');
  }

  static bool plain(char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte >= 0x20 && byte < 0x80 && byte != '"' && byte != '\\';
  }

  bool string(bool& escaped) {
    // On a local pointer: `p_` is reachable through the char pointers the loop reads, so the
    // compiler would store it back on every step.
    const char* p = p_ + 1;
    const char* const end = end_;
    while (true) {
      // Most of a problem body is the plain text of its messages: skipped 8 bytes at a time, up
      // to the first byte that is not plain.
      while (end - p >= 8) {
        std::uint64_t bytes;
        std::memcpy(&bytes, p, 8);
        const std::uint64_t found = special(bytes);
        if (found == 0) {
          p += 8;
          continue;
        }
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
        p += __builtin_ctzll(found) / 8;
#endif
        break;
      }
      while (p < end && plain(*p)) ++p;
      if (p == end) return false;
      const auto c = static_cast<unsigned char>(*p);
      if (c == '"') {
        p_ = p + 1;
        return true;
      }
      if (c < 0x20) return false;
      if (c == '\\') {
        escaped = true;
        if (++p == end) return false;
        if (*p != 'u') {
          if (std::string_view("\"\\/bfnrt").find(*p) == std::string_view::npos) return false;
          ++p;
          continue;
        }
        unsigned unit = 0, low = 0;
        if (end - p < 5 || !hex4(p + 1, unit)) return false;
        p += 5;
        if (unit >= 0xdc00 && unit <= 0xdfff) return false;
        if (unit >= 0xd800 && unit <= 0xdbff) {
          // A high surrogate must be followed by an escaped low one.
          if (end - p < 6 || p[0] != '\\' || p[1] != 'u' || !hex4(p + 2, low) || low < 0xdc00 ||
              low > 0xdfff) {
            return false;
          }
          p += 6;
        }
      } else {
        const std::size_t length = utf8_sequence(p, end);
        if (length == 0) return false;
        p += length;
      }
    }
  }

  bool scalar() {
    bool escaped = false;
    switch (*p_) {
      case '"':
        return string(escaped);
      case 't':
        return word("true");
      case 'f':
        return word("false");
      case 'n':
        return word("null");
      default:
        return number();
    }
  }

  bool word(std::string_view literal) {
    if (static_cast<std::size_t>(end_ - p_) < literal.size() ||
        std::string_view(p_, literal.size()) != literal) {
      return false;
    }
    p_ += literal.size();
    return true;
  }

  bool digits() {
    const char* start = p_;
    while (p_ < end_ && *p_ >= '0' && *p_ <= '9') ++p_;
    return p_ != start;
  }

  bool number() {
    const char* start = p_;
    if (*p_ == '-') ++p_;
    if (p_ == end_) return false;
    if (*p_ == '0') {
      ++p_;
    } else if (!digits()) {
      return false;
    }
    bool exponent = false;
    if (p_ < end_ && *p_ == '.') {
      ++p_;
      if (!digits()) return false;
    }
    if (p_ < end_ && (*p_ == 'e' || *p_ == 'E')) {
      exponent = true;
      ++p_;
      if (p_ < end_ && (*p_ == '+' || *p_ == '-')) ++p_;
      if (!digits()) return false;
    }
    // The library refuses a number a double cannot hold; only an exponent or some 300 digits
    // make one.
    if (exponent || p_ - start > 300) {
      const std::string token(start, p_);
      if (!std::isfinite(std::strtod(token.c_str(), nullptr))) return false;
    }
    return true;
  }

  const char* p_;
  const char* const end_;
  std::uint64_t nesting_ = 0;  // a bit per open bracket, innermost lowest: 1 object, 0 array
  int depth_ = 0;
  bool ours_ = false;
  bool ask_ = false;
};

// The library's answer, for what ObjectScan leaves undecided: whether the body is one JSON object
// with a member `request_id` or `trace_id`.
class ObjectMembers : public nlohmann::json_sax<nlohmann::json> {
 public:
  bool object() const { return object_; }
  bool has_ours() const { return has_ours_; }

  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t) override { return true; }
  bool number_unsigned(number_unsigned_t) override { return true; }
  bool number_float(number_float_t, const string_t&) override { return true; }
  bool string(string_t&) override { return true; }
  bool binary(binary_t&) override { return true; }
  bool start_object(std::size_t) override {
    if (depth_++ == 0) object_ = true;
    return true;
  }
  bool key(string_t& name) override {
    if (depth_ == 1 && (name == "request_id" || name == "trace_id")) has_ours_ = true;
    return true;
  }
  bool end_object() override {
    --depth_;
    return true;
  }
  bool start_array(std::size_t) override {
    ++depth_;
    return true;
  }
  bool end_array() override {
    --depth_;
    return true;
  }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override {
    object_ = false;
    return false;
  }

 private:
  std::size_t depth_ = 0;
  bool object_ = false;
  bool has_ours_ = false;
};

Members members_of(std::string_view body) {
  const Members scanned = ObjectScan(body).run();
  if (scanned != Members::kAsk) return scanned;
  ObjectMembers members;
  if (!nlohmann::json::sax_parse(body, &members) || !members.object()) return Members::kNotObject;
  return members.has_ours() ? Members::kOurs : Members::kNone;
}

}  // namespace

bool is_valid_request_id(std::string_view id) {
  return !id.empty() && id.size() <= 128 && std::all_of(id.begin(), id.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == ':' ||
           c == '-';
  });
}

bool parse_traceparent(std::string_view value, TraceContext& trace) {
  // version "-" trace-id "-" parent-id "-" trace-flags: 2 + 1 + 32 + 1 + 16 + 1 + 2 = 55
  // characters.
  if (value.size() < 55) return false;
  const std::string_view version = value.substr(0, 2), trace_id = value.substr(3, 32),
                         parent_id = value.substr(36, 16), flags = value.substr(53, 2);
  if (!is_lower_hex(version, 2) || version == "ff") return false;
  if (value[2] != '-' || value[35] != '-' || value[52] != '-') return false;
  // Section 3.2.4: version 00 has exactly these fields; a later version may append "-" and more.
  if (version == "00" ? value.size() != 55 : (value.size() > 55 && value[55] != '-')) return false;
  if (!is_lower_hex(trace_id, 32) || all_zero(trace_id)) return false;
  if (!is_lower_hex(parent_id, 16) || all_zero(parent_id)) return false;
  if (!is_lower_hex(flags, 2)) return false;
  trace.trace_id = trace_id;
  trace.parent_id = parent_id;
  trace.flags = std::string(flags);
  return true;
}

std::optional<Response> RequestIds::before_routing(Request& request) {
  // One pass over the fields for the three this reads (names compared by length first).
  std::optional<std::string_view> id, parent;
  std::size_t parents = 0, states = 0;
  for (const auto& [name, value] : request.headers) {
    if (name.size() == 12 && !id && iequals(name, "X-Request-Id")) {
      id = value;
    } else if (name.size() == 11 && iequals(name, "traceparent")) {
      parent = value;
      ++parents;
    } else if (name.size() == 10 && iequals(name, "tracestate")) {
      ++states;
    }
  }
  if (id && is_valid_request_id(*id)) {
    request.request_id = *id;
  } else if (!detail::has_made_request_id(request)) {
    request.request_id = random_hex(16);
  }

  TraceContext& trace = request.trace;
  trace = TraceContext{};
  if (parents == 1 && parse_traceparent(*parent, trace)) {
    // Section 3.3: tracestate is only meaningful beside a valid traceparent; its fields combine.
    std::string state;
    if (states > 0) {
      for (std::string_view field : request.headers.get_all("tracestate"))
        state += (state.empty() ? "" : ",") + std::string(field);
    }
    if (state.size() <= 512) trace.state = std::move(state);
  } else {
    trace.trace_id.randomize();
  }
  trace.span_id.randomize();
  return std::nullopt;
}

void RequestIds::on_response(const Request& request, Response& response) {
  response.headers.set("X-Request-Id", request.request_id);
  // Compared as a media type: case-insensitive, parameters (`; charset=utf-8`) allowed.
  const auto type = response.headers.get("Content-Type");
  constexpr std::string_view kProblem = "application/problem+json";
  if (!type || type->size() < kProblem.size() ||
      !iequals(type->substr(0, kProblem.size()), kProblem) ||
      (type->size() > kProblem.size() && (*type)[kProblem.size()] != ';' &&
       (*type)[kProblem.size()] != ' ')) {
    return;
  }
  // The members go in as text, first in the object: a 422 lists every failed check, and parsing
  // it into a DOM and dumping it again cost as much as the rest of the request.
  const Members members = response.plain_problem ? Members::kNone : members_of(response.body);
  if (members == Members::kNotObject) return;
  if (members == Members::kNone) {
    const std::size_t open = response.body.find('{');  // the first character but whitespace
    const std::size_t next = response.body.find_first_not_of(" \t\r\n", open + 1);
    std::string added = "\"request_id\":";
    detail::append_json_string(added, request.request_id);
    if (!request.trace.trace_id.empty()) {
      added += ",\"trace_id\":";
      detail::append_json_string(added, request.trace.trace_id);
    }
    if (response.body[next] != '}') added += ',';
    response.body.insert(open + 1, added);
    return;
  }
  // The body has one of them already: replaced, as a DOM does it.
  nlohmann::json problem = nlohmann::json::parse(response.body, nullptr, false);
  problem["request_id"] = request.request_id;
  if (!request.trace.trace_id.empty()) problem["trace_id"] = request.trace.trace_id.str();
  response.body = problem.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace oasgen
