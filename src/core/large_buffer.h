// File: core/large_buffer.h
// Zeroed memory for tables much larger than the caches (line counters, LSH
// buckets). Such tables are read at random, so with 4 KiB pages nearly every
// access also misses the TLB; the buffer asks the kernel for transparent huge
// pages (2 MiB), which cuts those misses. A hint only: without it (or off
// Linux) the memory is ordinary.
#ifndef DEDUP_CORE_LARGE_BUFFER_H_
#define DEDUP_CORE_LARGE_BUFFER_H_

#include <cstddef>

namespace dedup {

class LargeBuffer {
 public:
  LargeBuffer() = default;
  explicit LargeBuffer(size_t bytes);
  LargeBuffer(LargeBuffer&& other) noexcept;
  LargeBuffer& operator=(LargeBuffer&& other) noexcept;
  LargeBuffer(const LargeBuffer&) = delete;
  LargeBuffer& operator=(const LargeBuffer&) = delete;
  ~LargeBuffer();

  void* data() const { return data_; }
  size_t size() const { return size_; }

 private:
  void* data_ = nullptr;
  size_t size_ = 0;
  size_t mapped_ = 0;  // bytes mapped (0: allocated with calloc)
};

// Frees memory that is either an anonymous mapping of `mapped` bytes
// (mapped != 0) or from malloc: how LargeBuffer and AppendBuffer hold theirs.
void FreeMappedOrMalloced(void* data, size_t mapped);

}  // namespace dedup

#endif  // DEDUP_CORE_LARGE_BUFFER_H_
