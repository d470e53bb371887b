// File: core/uninitialized_vector.h
// A std::vector whose resize() leaves new elements as raw memory (the type
// must be trivially copyable; default member initialisers are skipped too).
// For arrays of hundreds of MB every element of which is written next by
// worker threads (signatures, candidate-line occurrences): filling them
// first would be a serial pass over the memory that also faults every page
// in on one thread.
#ifndef DEDUP_CORE_UNINITIALIZED_VECTOR_H_
#define DEDUP_CORE_UNINITIALIZED_VECTOR_H_

#include <memory>
#include <new>
#include <type_traits>
#include <utility>
#include <vector>

namespace dedup {

template <typename T>
struct DefaultInitAllocator : std::allocator<T> {
  DefaultInitAllocator() = default;
  template <typename U>
  DefaultInitAllocator(const DefaultInitAllocator<U>&) noexcept {}
  // Without arguments, nothing is written (the element is an
  // implicit-lifetime object in allocated storage); with, as usual.
  template <typename U, typename... Args>
  void construct(U* p, Args&&... args) {
    static_assert(std::is_trivially_copyable_v<U>);
    if constexpr (sizeof...(Args) > 0) ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
  }
};

template <typename T>
using UninitializedVector = std::vector<T, DefaultInitAllocator<T>>;

}  // namespace dedup

#endif  // DEDUP_CORE_UNINITIALIZED_VECTOR_H_
