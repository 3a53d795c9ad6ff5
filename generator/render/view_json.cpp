#include "render/view_json.hpp"

#include <algorithm>
#include <new>
#include <stdexcept>

namespace oasgen::render {
namespace {

thread_local ViewArena* current_arena = nullptr;

// Large enough that blocks are few; larger requests (long arrays) get blocks of their own.
constexpr std::size_t kBlockBytes = std::size_t{1} << 20;

}  // namespace

void* ViewArena::allocate(std::size_t bytes, std::size_t alignment) {
  auto aligned = [alignment](std::byte* p) {
    const auto address = reinterpret_cast<std::uintptr_t>(p);
    return p + ((alignment - address % alignment) % alignment);
  };
  std::byte* start = next_ ? aligned(next_) : nullptr;
  if (start == nullptr || bytes > static_cast<std::size_t>(end_ - start)) {
    const std::size_t size = std::max(kBlockBytes, bytes + alignment);
    blocks_.emplace_back(new std::byte[size]);  // not zeroed: every byte is written before read
    block_ = blocks_.back().get();
    end_ = block_ + size;
    start = aligned(block_);
  }
  next_ = start + bytes;
  return start;
}

ViewArena::Scope::Scope(ViewArena& arena) : outer_(current_arena) { current_arena = &arena; }

ViewArena::Scope::~Scope() { current_arena = outer_; }

ViewArena& ViewArena::current() {
  if (current_arena == nullptr) throw std::logic_error("a view built with no ViewArena::Scope");
  return *current_arena;
}

void ViewArena::drop(void* p, std::size_t bytes) noexcept {
  ViewArena* arena = current_arena;
  if (arena == nullptr || arena->next_ == nullptr) return;
  // Within the current block, only this arena's memory can end where its next allocation starts.
  auto* at = static_cast<std::byte*>(p);
  if (at + bytes == arena->next_ && at >= arena->block_) arena->next_ = at;
}

ViewJson* keep_in_arena(ViewJson&& view) {
  void* place = ViewArena::current().allocate(sizeof(ViewJson), alignof(ViewJson));
  return new (place) ViewJson(std::move(view));
}

}  // namespace oasgen::render
