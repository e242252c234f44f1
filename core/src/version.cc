#include "lode/version.h"

namespace lode {
const char* Version() { return LODE_VERSION_STRING; }
int AbiMajor() { return LODE_ABI_MAJOR; }
int AbiMinor() { return LODE_ABI_MINOR; }
const char* BuildFingerprint() { return LODE_BUILD_FINGERPRINT; }
}  // namespace lode
