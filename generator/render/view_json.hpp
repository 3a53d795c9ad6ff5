// The JSON of the C++ views: nlohmann's basic_json with its nodes and text in a ViewArena, given
// at once. GitHub's views are millions of small nodes (an object per generated line); allocating
// and freeing them one by one through malloc was about a third of the render stage.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace oasgen::render {

/// Memory handed out from large blocks and released only with the arena. One thread allocates
/// from an arena at a time; what it hands out may be read and dropped on any thread.
class ViewArena {
 public:
  ViewArena() = default;
  ViewArena(const ViewArena&) = delete;
  ViewArena& operator=(const ViewArena&) = delete;

  void* allocate(std::size_t bytes, std::size_t alignment);

  /// While a Scope lives, its thread builds views in `arena`. Building a view with no Scope alive
  /// is a bug (std::logic_error).
  class Scope {
   public:
    explicit Scope(ViewArena& arena);
    ~Scope();
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;

   private:
    ViewArena* outer_;
  };

  /// The arena of this thread's innermost Scope.
  static ViewArena& current();
  /// Memory dropped by a view: taken back only when it is the last allocation of this thread's
  /// arena (a vector that grew), else it stays until the arena goes.
  static void drop(void* p, std::size_t bytes) noexcept;

 private:
  std::vector<std::unique_ptr<std::byte[]>> blocks_;
  std::byte* block_ = nullptr;  // start of the current block
  std::byte* next_ = nullptr;
  std::byte* end_ = nullptr;
};

template <class T>
struct ViewAllocator {
  using value_type = T;
  ViewAllocator() = default;
  template <class U>
  ViewAllocator(const ViewAllocator<U>&) noexcept {}  // NOLINT: rebinding converts implicitly
  T* allocate(std::size_t n) {
    return static_cast<T*>(ViewArena::current().allocate(n * sizeof(T), alignof(T)));
  }
  void deallocate(T* p, std::size_t n) noexcept { ViewArena::drop(p, n * sizeof(T)); }
  friend bool operator==(ViewAllocator, ViewAllocator) { return true; }
  friend bool operator!=(ViewAllocator, ViewAllocator) { return false; }
};

/// Text in the current ViewArena.
using ViewString = std::basic_string<char, std::char_traits<char>, ViewAllocator<char>>;

/// What nlohmann::json is, with all its memory (nodes and text) in ViewArenas. A view dropped
/// with its arenas needs no destructor: rendering drops each part's view so, unwalked.
using ViewJson = nlohmann::basic_json<std::map, std::vector, ViewString, bool, std::int64_t,
                                      std::uint64_t, double, ViewAllocator>;

/// `view` moved into the current ViewArena, where it stays, never destroyed: its memory is all in
/// arenas, so dropping them frees it, without a walk over its nodes.
ViewJson* keep_in_arena(ViewJson&& view);

}  // namespace oasgen::render
