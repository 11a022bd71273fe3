// oneMKL through its single dynamic library (libmkl_rt): fixing the threading
// and interface layers before the first MKL call, and reporting what loaded.
#pragma once

#include <string>

namespace weft::mkl {

// Loads libmkl_rt from `path` (found by lib/internal/find-mkl.ts) into the process with
// RTLD_GLOBAL, so that the MKL calls weft.node makes (left unresolved at link
// time) bind to it. Once per process: a later call with another path keeps
// the first library. Throws std::runtime_error with dlopen's message, or when
// the library is not oneMKL 2026 or newer. `layer` is the threading layer
// asked for, as lib/internal/env.ts read it ("" for weft's default, TBB),
// and `layer_source` the variable it came from ("MKL_THREADING_LAYER" or
// "WEFT_THREADING_LAYER"; "default"): only the first call's count.
void Load(const std::string& path, const std::string& source, const std::string& layer,
          const std::string& layer_source);
bool Loaded();

// Chooses MKL's threading layer (TBB unless Load's `layer` names another)
// and the LP64 interface, then makes one tiny call so MKL loads its layer
// libraries now. Must run before any other MKL call in the process; runs once.
// Throws std::runtime_error for a layer MKL does not know (naming the
// variable it came from), or when MKL was already initialised with the
// ILP64 interface.
void Init();

struct Info {
  std::string version;          // "2026.2.0"
  std::string version_string;   // MKL's own banner
  std::string build;            // build date, e.g. "20260915"
  std::string code_path;        // the instruction set MKL dispatched to on this CPU
  std::string threading_layer;  // "tbb" | "intel" | "gnu" | "sequential": what MKL runs
  std::string requested_layer;  // what weft asked for
  std::string layer_source;     // "default" | "MKL_THREADING_LAYER" | "WEFT_THREADING_LAYER"
  std::string layer_library;    // path of the loaded layer library, "" if none
  std::string interface_layer;  // "lp64"
  std::string path;             // path of the loaded libmkl_rt
  std::string source;           // where lib/internal/find-mkl.ts found it ("WEFT_MKL_DIR", "conda", ...)
};
Info GetInfo();

}  // namespace weft::mkl
