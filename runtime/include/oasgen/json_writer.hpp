// Writing typed values straight to JSON text, without building a nlohmann::json first.
//
// The text is byte for byte what `nlohmann::json(value).dump(-1, ' ', false,
// nlohmann::json::error_handler_t::replace)` gives: object members in the order of their keys,
// non-ASCII text as is, invalid UTF-8 replaced by U+FFFD, doubles as nlohmann prints them (`1.0`,
// `1e+20`, `-0.0`, `null` for NaN and infinities). Generated code specializes `JsonWriter` for each
// of its types (models.hpp); the runtime provides the vocabulary types below.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "oasgen/json.hpp"
#include "oasgen/optional.hpp"

namespace oasgen {

/// Appends `text` as a JSON string literal, quotes included.
void append_json_string(std::string& out, std::string_view text);

/// Appends a number as nlohmann's dump writes it.
void append_json_number(std::string& out, std::int64_t value);
void append_json_number(std::string& out, double value);

/// How a `T` is written as JSON text: `static void write(std::string& out, const T& value)`.
/// Specialized for the types generated code uses; an unknown `T` fails to compile.
template <typename T>
struct JsonWriter;

/// Appends `value` to `out` as JSON text.
template <typename T>
void write_json(std::string& out, const T& value) {
  JsonWriter<T>::write(out, value);
}

/// `value` as JSON text. Example: `oasgen::to_json_text(pet)` gives `{"id":1,"name":"Rex"}`.
template <typename T>
std::string to_json_text(const T& value) {
  std::string out;
  // Room for a typical object at once, rather than growing through 15, 30, 60, ... bytes.
  out.reserve(256);
  write_json(out, value);
  return out;
}

/// Writes an object's members one by one: the commas between them, the braces around them.
/// Keys come as JSON text, quotes included (`"\"id\""`), in the order the object is to have.
class JsonObjectWriter {
 public:
  explicit JsonObjectWriter(std::string& out) : out_(out) { out_ += '{'; }

  template <typename T>
  void member(std::string_view key, const T& value) {
    if (!first_) out_ += ',';
    first_ = false;
    out_ += key;
    out_ += ':';
    JsonWriter<T>::write(out_, value);
  }

  void end() { out_ += '}'; }

 private:
  std::string& out_;
  bool first_ = true;
};

template <>
struct JsonWriter<bool> {
  static void write(std::string& out, bool value) { out += value ? "true" : "false"; }
};

template <>
struct JsonWriter<std::int32_t> {
  static void write(std::string& out, std::int32_t value) {
    append_json_number(out, static_cast<std::int64_t>(value));
  }
};

template <>
struct JsonWriter<std::int64_t> {
  static void write(std::string& out, std::int64_t value) { append_json_number(out, value); }
};

template <>
struct JsonWriter<double> {
  static void write(std::string& out, double value) { append_json_number(out, value); }
};

template <>
struct JsonWriter<std::string> {
  static void write(std::string& out, const std::string& value) { append_json_string(out, value); }
};

/// A file is its bytes as a string, as its to_json has it.
template <>
struct JsonWriter<File> {
  static void write(std::string& out, const File& value) { append_json_string(out, value.data); }
};

/// A free-form value is dumped as it is.
template <>
struct JsonWriter<nlohmann::json> {
  static void write(std::string& out, const nlohmann::json& value) {
    out += value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }
};

template <typename T>
struct JsonWriter<std::vector<T>> {
  static void write(std::string& out, const std::vector<T>& value) {
    out += '[';
    bool first = true;
    for (const auto& item : value) {
      if (!first) out += ',';
      first = false;
      JsonWriter<T>::write(out, item);
    }
    out += ']';
  }
};

/// std::map keeps its keys in the order nlohmann's objects do.
template <typename T>
struct JsonWriter<std::map<std::string, T>> {
  static void write(std::string& out, const std::map<std::string, T>& value) {
    out += '{';
    bool first = true;
    for (const auto& [key, item] : value) {
      if (!first) out += ',';
      first = false;
      append_json_string(out, key);
      out += ':';
      JsonWriter<T>::write(out, item);
    }
    out += '}';
  }
};

/// An empty optional is null.
template <typename T>
struct JsonWriter<std::optional<T>> {
  static void write(std::string& out, const std::optional<T>& value) {
    if (value) {
      JsonWriter<T>::write(out, *value);
    } else {
      out += "null";
    }
  }
};

template <typename T>
struct JsonWriter<Optional<T>> {
  static void write(std::string& out, const Optional<T>& value) {
    if (value) {
      JsonWriter<T>::write(out, *value);
    } else {
      out += "null";
    }
  }
};

}  // namespace oasgen
