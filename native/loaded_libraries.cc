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

std::string LibraryDefining(const void* address) {
  Dl_info info;
  if (dladdr(address, &info) == 0 || info.dli_fname == nullptr) return "";
  return RealPath(info.dli_fname);
}

}  // namespace weft
