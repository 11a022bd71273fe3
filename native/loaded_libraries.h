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

}  // namespace weft
