#include "loaded_libraries.h"

#include <dlfcn.h>
#include <link.h>

#include <algorithm>
#include <climits>
#include <cstdlib>
#include <cstring>

namespace weft {
namespace {

std::string RealPath(const char* path) {
  char resolved[PATH_MAX];
  return realpath(path, resolved) != nullptr ? std::string(resolved) : std::string(path);
}

struct Search {
  const std::string* prefix;
  std::vector<std::string>* found;
};

int Visit(struct dl_phdr_info* info, size_t, void* data) {
  auto* search = static_cast<Search*>(data);
  if (info->dlpi_name == nullptr || info->dlpi_name[0] == '\0') return 0;
  const char* slash = std::strrchr(info->dlpi_name, '/');
  const char* base = slash != nullptr ? slash + 1 : info->dlpi_name;
  if (std::strncmp(base, search->prefix->c_str(), search->prefix->size()) == 0) {
    search->found->push_back(RealPath(info->dlpi_name));
  }
  return 0;
}

}  // namespace

std::vector<std::string> LoadedLibraries(const std::string& prefix) {
  std::vector<std::string> found;
  Search search{&prefix, &found};
  dl_iterate_phdr(Visit, &search);
  std::sort(found.begin(), found.end());
  found.erase(std::unique(found.begin(), found.end()), found.end());
  return found;
}

std::vector<std::string> LoadedTbbRuntimes() {
  std::vector<std::string> found = LoadedLibraries("libtbb.so");
  for (std::string& path : LoadedLibraries("libtbb_debug.so")) found.push_back(std::move(path));
  return found;
}

namespace {

int CollectNames(struct dl_phdr_info* info, size_t, void* data) {
  if (info->dlpi_name != nullptr && info->dlpi_name[0] != '\0') {
    static_cast<std::vector<std::string>*>(data)->push_back(info->dlpi_name);
  }
  return 0;
}

}  // namespace

std::vector<std::string> LibrariesDefining(const char* symbol) {
  std::vector<std::string> names, found;
  dl_iterate_phdr(CollectNames, &names);
  for (const std::string& name : names) {
    void* handle = dlopen(name.c_str(), RTLD_LAZY | RTLD_NOLOAD);
    if (handle == nullptr) continue;
    // dlsym also searches the object's dependencies: keep only a definition
    // that lies in the object itself.
    void* address = dlsym(handle, symbol);
    const std::string path = RealPath(name.c_str());
    if (address != nullptr && LibraryDefining(address) == path) found.push_back(path);
    dlclose(handle);
  }
  std::sort(found.begin(), found.end());
  found.erase(std::unique(found.begin(), found.end()), found.end());
  return found;
}

std::string LibraryDefining(const void* address) {
  Dl_info info;
  if (dladdr(address, &info) == 0 || info.dli_fname == nullptr) return "";
  return RealPath(info.dli_fname);
}

}  // namespace weft
