// What validation.cpp and validation_keywords.cpp share.
#pragma once

#include <cmath>
#include <string>
#include <string_view>
#include <utility>

#include "oasgen/validation.hpp"

namespace oasgen::detail {

inline bool is_integral_double(double value) {
  return std::isfinite(value) && std::floor(value) == value;
}

}  // namespace oasgen::detail

namespace oasgen {

// A template, so that a message is built only when it is kept.
template <typename MakeMessage>
void Validator::report(std::string_view keyword, MakeMessage&& message) {
  ++failures_;
  // Inside a trial only the count matters: no message is built, nothing is allocated.
  if (muted_ > 0) return;
  if (errors_.size() >= max_errors_) {
    ++dropped_;
    return;
  }
  FieldError error{location_, pointer_, std::string(keyword), message()};
  // allOf parts can find the same fault (each checks the type, say): say it once.
  for (const FieldError& known : errors_) {
    if (known.pointer == error.pointer && known.keyword == error.keyword &&
        known.message == error.message && known.location == error.location) {
      return;
    }
  }
  errors_.push_back(std::move(error));
}

}  // namespace oasgen
