// File: core/append_buffer.h
// An array of trivially copyable values that only grows at the end, for the
// per-thread parts of pass 1's line-key log, which reach hundreds of MB.
// Once past 1 MiB it lives in its own mapping, grown with mremap: no copy,
// no page faulted in twice (a std::vector copies every element into fresh
// pages at each doubling: ~100k more page faults at 1 GB for this log and
// the occurrences, which went to such buffers until session 14), and each
// size it outgrew goes back to the kernel at once. (With realloc, glibc
// kept the blocks it outgrew below its mmap threshold, which rises up to
// 32 MiB, in the thread's heap: at 1 GB on 16 threads clustering started
// with ~180 MiB more resident, on 2 ~15 MiB.)
#ifndef DEDUP_CORE_APPEND_BUFFER_H_
#define DEDUP_CORE_APPEND_BUFFER_H_

#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <new>
#include <type_traits>
#include <utility>

#include "core/large_buffer.h"

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace dedup {

template <typename T>
class AppendBuffer {
  static_assert(std::is_trivially_copyable_v<T> && std::is_trivially_destructible_v<T>);

 public:
  AppendBuffer() = default;
  AppendBuffer(AppendBuffer&& other) noexcept
      : data_(std::exchange(other.data_, nullptr)),
        size_(std::exchange(other.size_, 0)),
        capacity_(std::exchange(other.capacity_, 0)) {}
  AppendBuffer& operator=(AppendBuffer&& other) noexcept {
    if (this != &other) {
      Free();
      data_ = std::exchange(other.data_, nullptr);
      size_ = std::exchange(other.size_, 0);
      capacity_ = std::exchange(other.capacity_, 0);
    }
    return *this;
  }
  AppendBuffer(const AppendBuffer&) = delete;
  AppendBuffer& operator=(const AppendBuffer&) = delete;
  ~AppendBuffer() { Free(); }

  void push_back(const T& value) {
    if (size_ == capacity_) Grow();
    data_[size_++] = value;
  }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  T* data() { return data_; }
  const T* data() const { return data_; }
  const T* begin() const { return data_; }
  const T* end() const { return data_ + size_; }
  T& operator[](size_t i) { return data_[i]; }
  const T& operator[](size_t i) const { return data_[i]; }

 private:
  static constexpr size_t kMapBytes = size_t{1} << 20;  // from here on, a mapping of its own

  // The bytes of data_'s mapping, or 0 when data_ is from malloc: capacity
  // only grows, so a buffer is mapped from its first size of kMapBytes on.
  size_t MappedBytes() const {
#if defined(__linux__)
    const size_t bytes = capacity_ * sizeof(T);
    return bytes >= kMapBytes ? bytes : 0;
#else
    return 0;
#endif
  }

  void Grow() {
    const size_t capacity = capacity_ == 0 ? 1024 : capacity_ * 2;
    const size_t bytes = capacity * sizeof(T);
#if defined(__linux__)
    if (bytes >= kMapBytes) {
      const size_t mapped = MappedBytes();
      void* grown;
      if (mapped != 0) {
        grown = ::mremap(data_, mapped, bytes, MREMAP_MAYMOVE);
      } else {
        grown = ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (grown != MAP_FAILED && size_ > 0) std::memcpy(grown, data_, size_ * sizeof(T));
      }
      if (grown == MAP_FAILED) throw std::bad_alloc();
      if (mapped == 0) std::free(data_);
      data_ = static_cast<T*>(grown);
      capacity_ = capacity;
      return;
    }
#endif
    void* grown = std::realloc(data_, bytes);
    if (grown == nullptr) throw std::bad_alloc();
    data_ = static_cast<T*>(grown);
    capacity_ = capacity;
  }

  void Free() { FreeMappedOrMalloced(data_, MappedBytes()); }

  T* data_ = nullptr;
  size_t size_ = 0;
  size_t capacity_ = 0;
};

}  // namespace dedup

#endif  // DEDUP_CORE_APPEND_BUFFER_H_
