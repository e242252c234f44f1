#include "plugin_loader.h"

#include <dlfcn.h>
#include <unistd.h>

#include <algorithm>
#include <boost/dll/shared_library.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace lode::host {

namespace fs = std::filesystem;

namespace {

// Libraries are never unloaded: stages, their vtables and the strings they
// returned must stay valid for the life of the process.
std::vector<boost::dll::shared_library>& Libraries() {
  static auto* libs = new std::vector<boost::dll::shared_library>();
  return *libs;
}

std::string ExecutableDir() {
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  return ec ? std::string(".") : exe.parent_path().string();
}

}  // namespace

std::vector<std::string> DefaultPluginPath() {
  std::vector<std::string> path;
  path.push_back((fs::path(ExecutableDir()) / ".." / "lib" / "lode" / "plugins").lexically_normal().string());
  if (const char* env = std::getenv("LODE_PLUGIN_PATH")) {
    std::string s(env);
    size_t start = 0;
    while (start <= s.size()) {
      size_t colon = s.find(':', start);
      if (colon == std::string::npos) colon = s.size();
      if (colon > start) path.push_back(s.substr(start, colon - start));
      start = colon + 1;
    }
  }
  return path;
}

Status PluginLoader::LoadFile(const std::string& file) {
  std::error_code fec;
  std::string canonical = fs::weakly_canonical(file, fec).string();
  if (std::find(loaded_.begin(), loaded_.end(), canonical) != loaded_.end()) return OkStatus();
  loaded_.push_back(canonical);

  // Boost.DLL reports only "Bad file descriptor" for a file that is not a shared
  // library, so look at the file first and say what is wrong.
  {
    std::ifstream in(file, std::ios::binary);
    if (!in) return IoError(file + ": cannot read the plugin file");
    char magic[4] = {};
    in.read(magic, 4);
    if (in.gcount() != 4 || magic[0] != 0x7f || magic[1] != 'E' || magic[2] != 'L' || magic[3] != 'F')
      return InvalidArgumentError(file + ": not a lode plugin (not a shared library: no ELF header)");
  }

  boost::dll::shared_library lib;
  boost::dll::fs::error_code ec;
  ::dlerror();
  lib.load(boost::dll::fs::path(file), ec, boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local);
  if (ec || !lib.is_loaded()) {
    const char* why = ::dlerror();
    return InvalidArgumentError(file + ": cannot load the library: " +
                                (why ? std::string(why) : ec.message()));
  }
  if (!lib.has(LODE_PLUGIN_ENTRY_SYMBOL)) {
    Libraries().push_back(std::move(lib));
    return InvalidArgumentError(file + ": not a lode plugin (it exports no '" LODE_PLUGIN_ENTRY_SYMBOL "')");
  }
  auto& entry = lib.get<const PluginDescriptor*()>(LODE_PLUGIN_ENTRY_SYMBOL);
  const PluginDescriptor* descriptor = entry();
  Libraries().push_back(std::move(lib));
  return registry_.Register(descriptor, file);
}

void PluginLoader::LoadPath(const std::string& path) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    std::vector<std::string> files;
    for (const auto& e : fs::directory_iterator(path, ec))
      if (e.path().extension() == ".so") files.push_back(e.path().string());
    std::sort(files.begin(), files.end());
    for (const std::string& f : files) {
      Status s = LoadFile(f);
      if (!s.ok()) errors_.push_back(s.message());
    }
  } else if (fs::exists(path, ec)) {
    Status s = LoadFile(path);
    if (!s.ok()) errors_.push_back(s.message());
  }
}

}  // namespace lode::host
