// A vector that keeps each element in an allocation of its own.
#pragma once

#include <cstddef>
#include <iterator>
#include <memory>
#include <utility>
#include <vector>

namespace oasgen {

/// A sequence of T indexed like std::vector<T>, whose elements stay where they were made: growing
/// it, or handing an element to another StableVector, moves a pointer and never the element, and
/// references stay valid as it grows. For the model's schemas (1,104 bytes each, tens of thousands
/// for a large API), built on worker threads and then put in place by one: a contiguous vector had
/// that thread move every schema into memory it touched for the first time (BENCHMARKS.md).
template <typename T>
class StableVector {
  using Slots = std::vector<std::unique_ptr<T>>;

  template <typename Slot, typename Value>
  class Iterator {
   public:
    using iterator_category = std::random_access_iterator_tag;
    using value_type = T;
    using difference_type = std::ptrdiff_t;
    using pointer = Value*;
    using reference = Value&;

    Iterator() = default;
    explicit Iterator(Slot slot) : slot_(slot) {}
    reference operator*() const { return **slot_; }
    pointer operator->() const { return slot_->get(); }
    reference operator[](difference_type n) const { return *slot_[n]; }
    Iterator& operator++() { return ++slot_, *this; }
    Iterator operator++(int) { return Iterator(slot_++); }
    Iterator& operator--() { return --slot_, *this; }
    Iterator operator--(int) { return Iterator(slot_--); }
    Iterator& operator+=(difference_type n) { return slot_ += n, *this; }
    Iterator& operator-=(difference_type n) { return slot_ -= n, *this; }
    Iterator operator+(difference_type n) const { return Iterator(slot_ + n); }
    Iterator operator-(difference_type n) const { return Iterator(slot_ - n); }
    difference_type operator-(const Iterator& other) const { return slot_ - other.slot_; }
    bool operator==(const Iterator& other) const { return slot_ == other.slot_; }
    bool operator!=(const Iterator& other) const { return slot_ != other.slot_; }
    bool operator<(const Iterator& other) const { return slot_ < other.slot_; }

   private:
    Slot slot_{};
  };

 public:
  using value_type = T;
  using iterator = Iterator<typename Slots::iterator, T>;
  using const_iterator = Iterator<typename Slots::const_iterator, const T>;

  StableVector() = default;
  StableVector(StableVector&&) noexcept = default;
  StableVector& operator=(StableVector&&) noexcept = default;
  StableVector(const StableVector& other) { *this = other; }
  StableVector& operator=(const StableVector& other) {
    if (this == &other) return *this;
    slots_.clear();
    slots_.reserve(other.size());
    for (const T& value : other) emplace_back(value);
    return *this;
  }

  std::size_t size() const { return slots_.size(); }
  bool empty() const { return slots_.empty(); }
  void reserve(std::size_t n) { slots_.reserve(n); }
  T& operator[](std::size_t i) { return *slots_[i]; }
  const T& operator[](std::size_t i) const { return *slots_[i]; }
  T& at(std::size_t i) { return *slots_.at(i); }
  const T& at(std::size_t i) const { return *slots_.at(i); }
  T& front() { return *slots_.front(); }
  const T& front() const { return *slots_.front(); }
  T& back() { return *slots_.back(); }
  const T& back() const { return *slots_.back(); }

  template <typename... Args>
  T& emplace_back(Args&&... args) {
    slots_.push_back(std::make_unique<T>(std::forward<Args>(args)...));
    return *slots_.back();
  }
  void push_back(T value) { emplace_back(std::move(value)); }

  /// Takes element i out of `from` and puts it at i here, replacing what was there; from[i] is
  /// left empty and must not be read again.
  void take(std::size_t i, StableVector& from, std::size_t from_i) {
    slots_[i] = std::move(from.slots_[from_i]);
  }

  iterator begin() { return iterator(slots_.begin()); }
  iterator end() { return iterator(slots_.end()); }
  const_iterator begin() const { return const_iterator(slots_.begin()); }
  const_iterator end() const { return const_iterator(slots_.end()); }

 private:
  Slots slots_;
};

}  // namespace oasgen
