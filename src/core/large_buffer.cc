#include "core/large_buffer.h"

#include <cstdint>
#include <cstdlib>
#include <new>
#include <utility>

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace dedup {

namespace {
constexpr size_t kHugePage = size_t{2} << 20;
}  // namespace

LargeBuffer::LargeBuffer(size_t bytes) : size_(bytes) {
  if (bytes == 0) return;
#if defined(__linux__)
  if (bytes >= kHugePage) {
    // Map one huge page more and start at a 2 MiB boundary, so every page of
    // the table can be a huge one.
    const size_t mapped = (bytes + kHugePage - 1) / kHugePage * kHugePage + kHugePage;
    void* map = ::mmap(nullptr, mapped, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (map != MAP_FAILED) {
      char* base = static_cast<char*>(map);
      char* aligned = reinterpret_cast<char*>((reinterpret_cast<uintptr_t>(base) + kHugePage - 1) & ~(kHugePage - 1));
      // Give back the unaligned head and the tail beyond the table.
      if (aligned > base) ::munmap(base, aligned - base);
      const size_t kept = (bytes + kHugePage - 1) / kHugePage * kHugePage;
      char* end = base + mapped;
      if (aligned + kept < end) ::munmap(aligned + kept, end - (aligned + kept));
      ::madvise(aligned, kept, MADV_HUGEPAGE);
      data_ = aligned;
      mapped_ = kept;
      return;
    }
  }
#endif
  data_ = std::calloc(bytes, 1);
  if (data_ == nullptr) throw std::bad_alloc();
}

LargeBuffer::LargeBuffer(LargeBuffer&& other) noexcept
    : data_(std::exchange(other.data_, nullptr)),
      size_(std::exchange(other.size_, 0)),
      mapped_(std::exchange(other.mapped_, 0)) {}

LargeBuffer& LargeBuffer::operator=(LargeBuffer&& other) noexcept {
  if (this != &other) {
    this->~LargeBuffer();
    data_ = std::exchange(other.data_, nullptr);
    size_ = std::exchange(other.size_, 0);
    mapped_ = std::exchange(other.mapped_, 0);
  }
  return *this;
}

LargeBuffer::~LargeBuffer() { FreeMappedOrMalloced(data_, mapped_); }

void FreeMappedOrMalloced(void* data, size_t mapped) {
#if defined(__linux__)
  if (mapped != 0) {
    ::munmap(data, mapped);
    return;
  }
#endif
  std::free(data);
}

}  // namespace dedup
