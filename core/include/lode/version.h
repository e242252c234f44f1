// lode/version.h — lode's version, its plugin ABI version and build fingerprint.
//
// The ABI version changes when the SDK's types or calls change: the major when
// old plugins can no longer work (a field removed, a virtual added), the minor
// when only something was added that old plugins do not use.
#pragma once

#include <cstddef>  // defines the standard library's ABI macros used below

#define LODE_VERSION_STRING "0.1.0"

// A build option (LODE_ABI_MAJOR_OVERRIDE) may set the major, to test refusals.
#ifndef LODE_ABI_MAJOR
#define LODE_ABI_MAJOR 1
#endif
#ifndef LODE_ABI_MINOR
#define LODE_ABI_MINOR 3
#endif

#define LODE_STRINGIFY_INNER_(x) #x
#define LODE_STRINGIFY_(x) LODE_STRINGIFY_INNER_(x)

// What must match between lode and a plugin beyond the ABI version: the C++
// standard library and its ABI, and the compiler family and major version, since
// SDK types such as std::string and std::function cross the boundary.
#if defined(__clang__)
#define LODE_COMPILER_ID_ "clang-" LODE_STRINGIFY_(__clang_major__)
#elif defined(__GNUC__)
#define LODE_COMPILER_ID_ "gcc-" LODE_STRINGIFY_(__GNUC__)
#else
#define LODE_COMPILER_ID_ "unknown-compiler"
#endif
#if defined(_GLIBCXX_USE_CXX11_ABI)
#define LODE_STDLIB_ID_ "libstdc++-cxx11abi" LODE_STRINGIFY_(_GLIBCXX_USE_CXX11_ABI)
#elif defined(_LIBCPP_VERSION)
#define LODE_STDLIB_ID_ "libc++-" LODE_STRINGIFY_(_LIBCPP_ABI_VERSION)
#else
#define LODE_STDLIB_ID_ "unknown-stdlib"
#endif

#ifndef LODE_BUILD_FINGERPRINT
#define LODE_BUILD_FINGERPRINT LODE_COMPILER_ID_ "/" LODE_STDLIB_ID_
#endif

namespace lode {
// The versions lode itself was built with (the host side of every check).
const char* Version();
int AbiMajor();
int AbiMinor();
const char* BuildFingerprint();
}  // namespace lode
