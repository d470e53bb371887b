// File: core/append_buffer.h
// An array of trivially copyable values that only grows at the end, for the
// per-thread logs of a pass (line keys, candidate-line occurrences) that
// reach hundreds of MB. It grows with realloc, which glibc does for large
// blocks by remapping their pages (mremap): no copy, and no page is faulted
// in twice. A std::vector copies every element into fresh pages at each
// doubling: at 1 GB of input, ~100k more page faults for the two logs.
#ifndef DEDUP_CORE_APPEND_BUFFER_H_
#define DEDUP_CORE_APPEND_BUFFER_H_

#include <cstddef>
#include <cstdlib>
#include <new>
#include <type_traits>
#include <utility>

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
      std::free(data_);
      data_ = std::exchange(other.data_, nullptr);
      size_ = std::exchange(other.size_, 0);
      capacity_ = std::exchange(other.capacity_, 0);
    }
    return *this;
  }
  AppendBuffer(const AppendBuffer&) = delete;
  AppendBuffer& operator=(const AppendBuffer&) = delete;
  ~AppendBuffer() { std::free(data_); }

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
  void Grow() {
    const size_t capacity = capacity_ == 0 ? 1024 : capacity_ * 2;
    void* grown = std::realloc(data_, capacity * sizeof(T));
    if (grown == nullptr) throw std::bad_alloc();
    data_ = static_cast<T*>(grown);
    capacity_ = capacity;
  }

  T* data_ = nullptr;
  size_t size_ = 0;
  size_t capacity_ = 0;
};

}  // namespace dedup

#endif  // DEDUP_CORE_APPEND_BUFFER_H_
