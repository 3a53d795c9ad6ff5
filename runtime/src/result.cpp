// The untyped part of generated results (oasgen/result.hpp).
#include "oasgen/result.hpp"

#include <stdexcept>

namespace oasgen::detail {

ResultStorage::ResultStorage(const ResultStorage& other)
    : index_(other.index_),
      ops_(other.ops_),
      value_(other.value_ != nullptr ? other.ops_->copy(other.value_) : nullptr) {}

ResultStorage::ResultStorage(ResultStorage&& other) noexcept
    : index_(other.index_), ops_(other.ops_), value_(other.value_) {
  other.index_ = npos;
  other.value_ = nullptr;
}

ResultStorage& ResultStorage::operator=(const ResultStorage& other) {
  if (this != &other) *this = ResultStorage(other);
  return *this;
}

ResultStorage& ResultStorage::operator=(ResultStorage&& other) noexcept {
  if (this != &other) {
    if (value_ != nullptr) ops_->destroy(value_);
    index_ = other.index_;
    ops_ = other.ops_;
    value_ = other.value_;
    other.index_ = npos;
    other.value_ = nullptr;
  }
  return *this;
}

ResultStorage::~ResultStorage() {
  if (value_ != nullptr) ops_->destroy(value_);
}

void ResultStorage::moved_from() {
  throw std::logic_error("oasgen::Result: visited after it was moved from");
}

}  // namespace oasgen::detail
