// oasgen::Optional<T>: the optional members and parameters of generated types.
//
// Generated with `--optional oasgen`. It behaves like std::optional (same names, std::nullopt,
// comparisons) but is deliberately simple. std::optional<T> checks a dozen traits of T when it is
// instantiated, and for a struct whose members are optionals of other structs those checks cascade
// through the whole type graph: on GCC 12 the header of GitHub's API took 294 s to parse with
// std::optional and 10 s with this class (docs/design.md, "Compile time of large specs").
#pragma once

#include <cstddef>
#include <new>
#include <optional>
#include <type_traits>
#include <utility>

namespace oasgen {

template <typename T>
class Optional;

namespace detail {
template <typename T>
struct is_optional : std::false_type {};
template <typename T>
struct is_optional<Optional<T>> : std::true_type {};
}  // namespace detail

template <typename T>
class Optional {
 public:
  using value_type = T;

  Optional() noexcept {}
  Optional(std::nullopt_t) noexcept {}
  // Plain overloads, not std::optional's constrained templates: overload resolution considers these
  // for every copy of every struct, and a template there costs seconds per thousand types.
  Optional(const T& value) { emplace(value); }
  Optional(T&& value) { emplace(std::move(value)); }
  /// From a string literal, for Optional<std::string>.
  template <std::size_t N>
  Optional(const char (&text)[N]) {
    static_assert(std::is_constructible_v<T, const char*>, "an Optional of this type does not hold text");
    emplace(text);
  }
  /// From and to std::optional, for code that keeps one. Templates matching only std::optional<T>,
  /// so that copying an Optional never asks whether it converts (a cascade of trait checks again).
  template <typename U, std::enable_if_t<std::is_same_v<U, T>, int> = 0>
  Optional(const std::optional<U>& other) {
    if (other) emplace(*other);
  }
  template <typename U, std::enable_if_t<std::is_same_v<U, T>, int> = 0>
  Optional(std::optional<U>&& other) {
    if (other) emplace(std::move(*other));
  }
  template <typename U, std::enable_if_t<std::is_same_v<U, T>, int> = 0>
  operator std::optional<U>() const& {
    return engaged_ ? std::optional<U>(value_) : std::nullopt;
  }
  template <typename U, std::enable_if_t<std::is_same_v<U, T>, int> = 0>
  operator std::optional<U>() && {
    return engaged_ ? std::optional<U>(std::move(value_)) : std::nullopt;
  }
  template <typename... Args>
  explicit Optional(std::in_place_t, Args&&... args) {
    emplace(std::forward<Args>(args)...);
  }
  Optional(const Optional& other) {
    if (other.engaged_) emplace(other.value_);
  }
  // Moves are noexcept without asking T (what generated types hold never throws on a move): asking
  // would cascade through the type graph again.
  Optional(Optional&& other) noexcept {
    if (other.engaged_) emplace(std::move(other.value_));
  }
  ~Optional() { reset(); }

  Optional& operator=(const Optional& other) {
    if (this != &other) assign(other);
    return *this;
  }
  Optional& operator=(Optional&& other) noexcept {
    if (this != &other) assign(std::move(other));
    return *this;
  }
  Optional& operator=(std::nullopt_t) noexcept {
    reset();
    return *this;
  }
  Optional& operator=(const T& value) {
    set(value);
    return *this;
  }
  Optional& operator=(T&& value) {
    set(std::move(value));
    return *this;
  }
  template <std::size_t N>
  Optional& operator=(const char (&text)[N]) {
    static_assert(std::is_constructible_v<T, const char*>, "an Optional of this type does not hold text");
    set(T(text));
    return *this;
  }

  template <typename... Args>
  T& emplace(Args&&... args) {
    reset();
    ::new (static_cast<void*>(&value_)) T(std::forward<Args>(args)...);
    engaged_ = true;
    return value_;
  }
  void reset() noexcept {
    if (engaged_) {
      value_.~T();
      engaged_ = false;
    }
  }

  bool has_value() const noexcept { return engaged_; }
  explicit operator bool() const noexcept { return engaged_; }

  T& operator*() & noexcept { return value_; }
  const T& operator*() const& noexcept { return value_; }
  T&& operator*() && noexcept { return std::move(value_); }
  T* operator->() noexcept { return &value_; }
  const T* operator->() const noexcept { return &value_; }

  T& value() & {
    check();
    return value_;
  }
  const T& value() const& {
    check();
    return value_;
  }
  T&& value() && {
    check();
    return std::move(value_);
  }
  template <typename U>
  T value_or(U&& fallback) const& {
    return engaged_ ? value_ : static_cast<T>(std::forward<U>(fallback));
  }

  /// The same value as a std::optional, for code that wants one.
  std::optional<T> to_std() const { return *this; }

 private:
  void check() const {
    if (!engaged_) throw std::bad_optional_access();
  }
  template <typename U>
  void set(U&& value) {
    if (engaged_) {
      value_ = std::forward<U>(value);
    } else {
      emplace(std::forward<U>(value));
    }
  }
  template <typename Other>
  void assign(Other&& other) {
    if (!other.engaged_) {
      reset();
    } else if (engaged_) {
      value_ = std::forward<Other>(other).value_;
    } else {
      emplace(std::forward<Other>(other).value_);
    }
  }

  bool engaged_ = false;
  union {
    T value_;
  };
};

template <typename T, typename U>
bool operator==(const Optional<T>& a, const Optional<U>& b) {
  if (a.has_value() != b.has_value()) return false;
  return !a.has_value() || *a == *b;
}
template <typename T, typename U>
bool operator!=(const Optional<T>& a, const Optional<U>& b) {
  return !(a == b);
}
template <typename T>
bool operator==(const Optional<T>& a, std::nullopt_t) noexcept {
  return !a.has_value();
}
template <typename T>
bool operator!=(const Optional<T>& a, std::nullopt_t) noexcept {
  return a.has_value();
}
template <typename T, typename U, std::enable_if_t<!detail::is_optional<U>::value && !std::is_same_v<U, std::nullopt_t>, int> = 0>
bool operator==(const Optional<T>& a, const U& b) {
  return a.has_value() && *a == b;
}
template <typename T, typename U, std::enable_if_t<!detail::is_optional<U>::value && !std::is_same_v<U, std::nullopt_t>, int> = 0>
bool operator!=(const Optional<T>& a, const U& b) {
  return !(a == b);
}

}  // namespace oasgen
