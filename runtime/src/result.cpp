// The untyped part of generated results (oasgen/result.hpp).
#include "oasgen/result.hpp"

#include <stdexcept>

namespace oasgen::detail {

ResultStorage::ResultStorage(const ResultStorage& other, const CopyCase* copies)
    : index_(other.index_),
      destroy_(other.destroy_),
      value_(other.value_ != nullptr ? copies[other.index_](other.value_) : nullptr) {}

ResultStorage::ResultStorage(ResultStorage&& other) noexcept
    : index_(other.index_), destroy_(other.destroy_), value_(other.value_) {
  other.index_ = npos;
  other.value_ = nullptr;
}

ResultStorage& ResultStorage::operator=(ResultStorage&& other) noexcept {
  if (this != &other) {
    if (value_ != nullptr) destroy_(value_);
    index_ = other.index_;
    destroy_ = other.destroy_;
    value_ = other.value_;
    other.index_ = npos;
    other.value_ = nullptr;
  }
  return *this;
}

ResultStorage::~ResultStorage() {
  if (value_ != nullptr) destroy_(value_);
}

void ResultStorage::moved_from() {
  throw std::logic_error("oasgen::Result: visited after it was moved from");
}

}  // namespace oasgen::detail
