// The result of an operation: one of its declared responses, whichever the handler returns or the
// client received. Each generated `<Operation>Result` is an `oasgen::Result` of the operation's
// response structs:
//
//   using GetPetResult = oasgen::Result<GetPetOk, GetPetNotFound>;
//
//   GetPetResult get_pet(const GetPetRequest& request, oasgen::Context&) override {
//     if (auto pet = find(request.pet_id)) return GetPetOk{*pet};
//     return GetPetNotFound{{404, "no such pet"}};
//   }
//
//   if (const auto* ok = result.get_if<GetPetOk>()) show(ok->body);
//   result.visit(oasgen::overloaded{[](const GetPetOk& ok) {...}, [](const GetPetNotFound&) {...}});
//
// Not a std::variant: a large API has thousands of these, and a variant's constructors, copies and
// visitation are instantiated per operation in every file that handles or calls it (0.25 to 0.5 s
// each at -O0, docs/design.md "Compile time of large specs"). Here the case lives on the heap
// behind one untyped class; what is typed per case is its construction and its delete. Its copy
// is typed too, but instantiated only where a result is copied: a copy of a case reaches through
// its body's whole type graph.
#pragma once

#include <cstddef>
#include <type_traits>
#include <utility>

namespace oasgen {

template <typename Declared>
class ClientResult;

namespace detail {

using CopyCase = void* (*)(const void* value);
using DestroyCase = void (*)(void* value) noexcept;

template <typename T>
void* copy_case(const void* value) {
  return new T(*static_cast<const T*>(value));
}

template <typename T>
void destroy_case(void* value) noexcept {
  delete static_cast<T*>(value);
}

// The position of T in Cases, or sizeof...(Cases) when it is none of them.
template <typename T, typename... Cases>
constexpr std::size_t case_index() {
  constexpr bool same[] = {std::is_same_v<T, Cases>..., false};
  std::size_t i = 0;
  while (i < sizeof...(Cases) && !same[i]) ++i;
  return i;
}

template <typename First, typename...>
struct FirstOf {
  using type = First;
};

template <typename R, typename F, typename T>
R call_case(F& f, const void* value) {
  return f(*static_cast<const T*>(value));
}

// What every Result holds, untyped: which case, how to delete it, and the case. A move leaves the
// source holding nothing (index() == npos).
class ResultStorage {
 public:
  static constexpr std::size_t npos = static_cast<std::size_t>(-1);

  ResultStorage(ResultStorage&& other) noexcept;
  ResultStorage& operator=(ResultStorage&& other) noexcept;
  ~ResultStorage();

 protected:
  ResultStorage(std::size_t index, DestroyCase destroy, void* value) noexcept
      : index_(index), destroy_(destroy), value_(value) {}
  // A copy of `other`, its case copied by `copies[other.index_]`.
  ResultStorage(const ResultStorage& other, const CopyCase* copies);
  // Throws std::logic_error: a moved-from result holds no case.
  [[noreturn]] static void moved_from();

  std::size_t index_;
  DestroyCase destroy_;
  void* value_;
};

}  // namespace detail

/// One of `Cases`, the declared responses of an operation.
template <typename... Cases>
class Result : public detail::ResultStorage {
  template <typename T>
  static constexpr std::size_t kIndex = detail::case_index<T, Cases...>();

 public:
  static_assert(sizeof...(Cases) > 0, "an operation declares at least one response");

  /// Holds the first case, value-initialised (as std::variant does): `return {};`.
  Result() : Result(std::in_place_type<typename detail::FirstOf<Cases...>::type>) {}

  /// Holds `value`, one of `Cases`. Implicit, so that a handler returns the case itself.
  template <typename T, typename Case = std::decay_t<T>,
            std::enable_if_t<(kIndex<Case> < sizeof...(Cases)), int> = 0>
  Result(T&& value)  // NOLINT(google-explicit-constructor)
      : ResultStorage(kIndex<Case>, &detail::destroy_case<Case>, new Case(std::forward<T>(value))) {}

  /// Holds a value-initialised `T`, one of `Cases`, to be filled in where it lies (no move):
  /// `Result r(std::in_place_type<GetPetOk>); r.get_if<GetPetOk>()->body = pet;`.
  template <typename T>
  explicit Result(std::in_place_type_t<T>)
      : ResultStorage(kIndex<T>, &detail::destroy_case<T>, new T()) {
    static_assert(kIndex<T> < sizeof...(Cases), "T is not a case of this result");
  }

  Result(const Result& other) : ResultStorage(other, copies()) {}
  Result(Result&&) noexcept = default;
  Result& operator=(const Result& other) {
    if (this != &other) ResultStorage::operator=(Result(other));
    return *this;
  }
  Result& operator=(Result&&) noexcept = default;
  ~Result() = default;

  /// Which case it holds, counted in `Cases` (npos once moved from).
  std::size_t index() const noexcept { return index_; }

  /// Whether it holds the case `T`.
  template <typename T>
  bool holds() const noexcept {
    static_assert(kIndex<T> < sizeof...(Cases), "T is not a case of this result");
    return index_ == kIndex<T>;
  }

  /// The case `T`, or nullptr when it holds another.
  template <typename T>
  const T* get_if() const noexcept {
    return holds<T>() ? static_cast<const T*>(value_) : nullptr;
  }
  template <typename T>
  T* get_if() noexcept {
    return holds<T>() ? static_cast<T*>(value_) : nullptr;
  }

  /// `f(case)` for the case it holds; `f` takes every case and gives one type for all (see
  /// `overloaded`).
  template <typename F>
  decltype(auto) visit(F&& f) const {
    using First = typename detail::FirstOf<Cases...>::type;
    using R = decltype(f(std::declval<const First&>()));
    using Call = R (*)(F&, const void*);
    static constexpr Call kCalls[] = {&detail::call_case<R, F, Cases>...};
    if (value_ == nullptr) moved_from();
    return kCalls[index_](f, value_);
  }

 private:
  template <typename Declared>
  friend class ClientResult;
  explicit Result(detail::ResultStorage&& storage) noexcept : ResultStorage(std::move(storage)) {}

  static const detail::CopyCase* copies() {
    static constexpr detail::CopyCase kCopies[] = {&detail::copy_case<Cases>...};
    return kCopies;
  }
};

/// Lambdas as one visitor: `result.visit(oasgen::overloaded{[](const A&) {...}, [](const B&) {...}})`.
template <typename... Fs>
struct overloaded : Fs... {
  using Fs::operator()...;
};
template <typename... Fs>
overloaded(Fs...) -> overloaded<Fs...>;

}  // namespace oasgen
