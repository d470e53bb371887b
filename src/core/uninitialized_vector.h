// File: core/uninitialized_vector.h
// A std::vector whose resize() leaves new elements of trivial types
// uninitialised. For arrays of hundreds of MB every element of which is
// written next by worker threads (the documents' signatures): zero-filling
// first would be a serial pass over the memory that also faults every page
// in on one thread.
#ifndef DEDUP_CORE_UNINITIALIZED_VECTOR_H_
#define DEDUP_CORE_UNINITIALIZED_VECTOR_H_

#include <memory>
#include <new>
#include <utility>
#include <vector>

namespace dedup {

template <typename T>
struct DefaultInitAllocator : std::allocator<T> {
  DefaultInitAllocator() = default;
  template <typename U>
  DefaultInitAllocator(const DefaultInitAllocator<U>&) noexcept {}
  // Default-initialises (for trivial types: leaves as is) instead of
  // value-initialising (zeroing); anything else is constructed as usual.
  template <typename U, typename... Args>
  void construct(U* p, Args&&... args) {
    if constexpr (sizeof...(Args) == 0) {
      ::new (static_cast<void*>(p)) U;
    } else {
      ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
    }
  }
};

template <typename T>
using UninitializedVector = std::vector<T, DefaultInitAllocator<T>>;

}  // namespace dedup

#endif  // DEDUP_CORE_UNINITIALIZED_VECTOR_H_
