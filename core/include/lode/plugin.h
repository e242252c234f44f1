// lode/plugin.h — the one entry point of a plugin.
//
// A plugin is a shared library that exports one function, `lode_plugin_entry`,
// returning a plain descriptor. lode reads the descriptor before it runs any
// other code of the plugin: ABI major and minor, the build fingerprint (compiler
// and standard library), the plugin's name, version and description, and the
// function that registers its stages. Nothing runs at load time: there are no
// static constructors to rely on, so the same sources also work linked
// statically into a test.
//
//   // my_plugin.cc
//   #include "lode/plugin.h"
//   static lode::Status Register(lode::Registry& r) { ... r.Add(...) ... }
//   LODE_PLUGIN(my_plugin, "my-plugin", "1.0.0", "Budget lines per project.", Register)
//
// The macro defines `lode_plugin_my_plugin()` (use it to link the plugin
// statically, e.g. in a test harness) and, when the file is built as a loadable
// module (LODE_PLUGIN_MODULE, set by lode_add_plugin()), the exported entry.
//
// ABI rules: a plugin loads when its ABI major equals lode's, its ABI minor is
// not newer than lode's, and its fingerprint equals lode's. Otherwise lode
// refuses it with a message naming the file and both versions.
#pragma once

#include <cstdint>

#include "lode/registry.h"
#include "lode/status.h"
#include "lode/version.h"

namespace lode {

using RegisterFunction = Status (*)(Registry& registry);

// What `lode_plugin_entry` returns. Plain data: fields are only ever added at
// the end (reserved slots first), and only with a minor ABI bump.
struct PluginDescriptor {
  uint32_t abi_major;
  uint32_t abi_minor;
  const char* fingerprint;  // LODE_BUILD_FINGERPRINT as the plugin was compiled
  const char* name;         // "dedup" — unique among loaded plugins
  const char* version;      // the plugin's own version, free form
  const char* description;  // one line
  RegisterFunction register_stages;
  void* reserved[4];
};

}  // namespace lode

// The name of the symbol lode looks up in a plugin library.
#define LODE_PLUGIN_ENTRY_SYMBOL "lode_plugin_entry"

#if defined(LODE_PLUGIN_MODULE)
#define LODE_PLUGIN_EXPORT_ENTRY_(id)                                          \
  extern "C" __attribute__((visibility("default"))) const ::lode::PluginDescriptor* \
  lode_plugin_entry() {                                                        \
    return lode_plugin_##id();                                                 \
  }
#else
#define LODE_PLUGIN_EXPORT_ENTRY_(id)
#endif

// Declares the plugin. `id` is a C identifier, the other arguments as in
// PluginDescriptor. Registration exceptions are caught here, inside the plugin.
#define LODE_PLUGIN(id, name, version, description, register_fn)                 \
  static ::lode::Status lode_plugin_register_##id(::lode::Registry& registry) {  \
    try {                                                                        \
      return register_fn(registry);                                              \
    } catch (...) {                                                              \
      return ::lode::internal::StatusFromCurrentException("registration");       \
    }                                                                            \
  }                                                                              \
  const ::lode::PluginDescriptor* lode_plugin_##id() {                           \
    static const ::lode::PluginDescriptor descriptor = {                         \
        LODE_ABI_MAJOR, LODE_ABI_MINOR, LODE_BUILD_FINGERPRINT, name, version,   \
        description, &lode_plugin_register_##id, {nullptr, nullptr, nullptr, nullptr}}; \
    return &descriptor;                                                          \
  }                                                                              \
  LODE_PLUGIN_EXPORT_ENTRY_(id)

// Declares `lode_plugin_<id>()` for code that links a plugin statically.
#define LODE_DECLARE_STATIC_PLUGIN(id) const ::lode::PluginDescriptor* lode_plugin_##id()
