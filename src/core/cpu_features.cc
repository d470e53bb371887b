#include "core/cpu_features.h"

namespace dedup {

#if defined(__x86_64__) || defined(__i386__)
bool CpuHasSse2() {
  static const bool has = __builtin_cpu_supports("sse2");
  return has;
}
bool CpuHasAvx2() {
  static const bool has = __builtin_cpu_supports("avx2");
  return has;
}
#else
bool CpuHasSse2() { return false; }
bool CpuHasAvx2() { return false; }
#endif

bool CpuHasAvx512Bw() {
#ifdef DEDUP_X86_64
  static const bool has = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw");
  return has;
#else
  return false;
#endif
}

bool CpuHasAvx512Vbmi2() {
#ifdef DEDUP_X86_64
  static const bool has = CpuHasAvx512Bw() && __builtin_cpu_supports("avx512dq") &&
                          __builtin_cpu_supports("avx512vbmi") && __builtin_cpu_supports("avx512vbmi2") &&
                          __builtin_cpu_supports("popcnt") && __builtin_cpu_supports("bmi");
  return has;
#else
  return false;
#endif
}

}  // namespace dedup
