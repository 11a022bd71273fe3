// What the dynamic loader has mapped into this process: used to prove that
// one libtbb serves weft and MKL, and which MKL threading layer is loaded.
#pragma once

#include <string>
#include <vector>

namespace weft {

// Real paths (symlinks resolved, deduplicated) of every loaded shared object
// whose file name starts with `prefix`.
std::vector<std::string> LoadedLibraries(const std::string& prefix);

// Real path of the shared object that defines `address`, or "" if unknown.
std::string LibraryDefining(const void* address);

// Real paths of the loaded shared objects that themselves define `symbol`
// (found by name in each: not only those whose file name is known).
std::vector<std::string> LibrariesDefining(const char* symbol);

// The oneTBB runtimes mapped: libtbb.so* and libtbb_debug.so*. A preloaded
// debug runtime beside weft's libtbb.so.12 is a second runtime too.
std::vector<std::string> LoadedTbbRuntimes();

}  // namespace weft
