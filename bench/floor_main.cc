// File: bench/floor_main.cc
// dedup_floor: the end-to-end baseline for scripts/bench_e2e.sh. Maps each
// FILE and runs the floor pass (bench/floor.h: ASCII words, XXH3 per word and
// per 5-word shingle) over its raw bytes, the file cut at newlines into one
// piece per thread. Prints one line per file:
//
//   dedup_floor: FILE bytes=N threads=T seconds=S MB/s=R shingles=M checksum=C
//
// MB is 10^6 bytes; seconds cover mapping, page faults and the pass.
//
//   dedup_floor [--threads N] FILE...
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "floor.h"

namespace {

int Usage() {
  std::fprintf(stderr, "usage: dedup_floor [--threads N] FILE...\n");
  return 2;
}

// Returns false (after printing why) when the file cannot be read.
bool RunFile(const char* path, int threads) {
  const auto start = std::chrono::steady_clock::now();
  const int fd = ::open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    std::fprintf(stderr, "dedup_floor: %s: %s\n", path, std::strerror(errno));
    return false;
  }
  struct stat st;
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    std::fprintf(stderr, "dedup_floor: %s: not a regular file\n", path);
    ::close(fd);
    return false;
  }
  const size_t size = static_cast<size_t>(st.st_size);
  void* map = nullptr;
  if (size > 0) {
    map = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (map == MAP_FAILED) {
      std::fprintf(stderr, "dedup_floor: %s: mmap: %s\n", path, std::strerror(errno));
      ::close(fd);
      return false;
    }
    ::madvise(map, size, MADV_SEQUENTIAL);
  }
  ::close(fd);
  const std::string_view bytes(static_cast<const char*>(map), size);
  std::vector<size_t> cuts(threads + 1);
  dedup::bench::SplitAtNewlines(bytes, threads, cuts.data());
  std::vector<dedup::bench::FloorResult> results(threads);
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) {
    pool.emplace_back([&, t] { results[t] = dedup::bench::FloorPass(bytes.substr(cuts[t], cuts[t + 1] - cuts[t])); });
  }
  results[0] = dedup::bench::FloorPass(bytes.substr(0, cuts[1]));
  for (auto& th : pool) th.join();
  dedup::bench::FloorResult total;
  for (const auto& r : results) {
    total.shingles += r.shingles;
    total.checksum += r.checksum;
  }
  if (map != nullptr) ::munmap(map, size);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("dedup_floor: %s bytes=%zu threads=%d seconds=%.3f MB/s=%.1f shingles=%llu checksum=%016llx\n", path,
              size, threads, seconds, seconds > 0 ? size / 1e6 / seconds : 0.0,
              static_cast<unsigned long long>(total.shingles), static_cast<unsigned long long>(total.checksum));
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  int threads = 2;
  std::vector<const char*> files;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--threads" && i + 1 < argc) {
      threads = std::atoi(argv[++i]);
    } else if (arg.starts_with("--threads=")) {
      threads = std::atoi(argv[i] + 10);
    } else if (arg == "-h" || arg == "--help") {
      Usage();
      return 0;
    } else if (arg.starts_with("-") && arg != "-") {
      return Usage();
    } else {
      files.push_back(argv[i]);
    }
  }
  if (files.empty() || threads < 1 || threads > 1024) return Usage();
  bool ok = true;
  for (const char* f : files) ok &= RunFile(f, threads);
  return ok ? 0 : 1;
}
