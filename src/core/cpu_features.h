// File: core/cpu_features.h
// What core's vector code needs to know about the CPU, checked once. That
// code is compiled with function target attributes and picked at run time,
// so the build needs no flags and runs on any x86-64; every vector path
// gives the bits of the plain one.
#ifndef DEDUP_CORE_CPU_FEATURES_H_
#define DEDUP_CORE_CPU_FEATURES_H_

#if defined(__x86_64__)
#include <immintrin.h>
#define DEDUP_X86_64 1
#endif

// Around code using AVX-512 intrinsics: GCC 12's fill unused results from a
// self-initialised variable, which -Wmaybe-uninitialized reports wherever
// they are inlined (GCC bug 105593, fixed in GCC 13).
#if defined(__GNUC__) && !defined(__clang__)
#define DEDUP_AVX512_INTRINSICS_BEGIN \
  _Pragma("GCC diagnostic push") _Pragma("GCC diagnostic ignored \"-Wmaybe-uninitialized\"")
#define DEDUP_AVX512_INTRINSICS_END _Pragma("GCC diagnostic pop")
#else
#define DEDUP_AVX512_INTRINSICS_BEGIN
#define DEDUP_AVX512_INTRINSICS_END
#endif

namespace dedup {

// SSE2 and AVX2: the byte classifier's 16- and 32-byte paths (on 32-bit x86
// too).
bool CpuHasSse2();
bool CpuHasAvx2();
// AVX-512 F and BW: 64-byte registers and byte masks.
bool CpuHasAvx512Bw();
// Those, DQ, VBMI and VBMI2 (byte permutes and compress, 64-bit multiplies),
// POPCNT and BMI1: the tokeniser's vector window steps.
bool CpuHasAvx512Vbmi2();

}  // namespace dedup

#endif  // DEDUP_CORE_CPU_FEATURES_H_
