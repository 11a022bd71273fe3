#include "mkl_setup.h"

#include <dlfcn.h>

#include <algorithm>
#include <cctype>
#include <mutex>
#include <stdexcept>
#include <vector>

#include "common.h"
#include "loaded_libraries.h"
#include "mkl_include.h"

namespace weft::mkl {
namespace {

struct Layer {
  const char* env_name;  // as MKL_THREADING_LAYER spells it
  const char* name;      // as weft reports it
  const char* library;   // the layer library libmkl_rt loads for it
  int code;
};

constexpr Layer kLayers[] = {
    {"TBB", "tbb", "libmkl_tbb_thread.so", MKL_THREADING_TBB},
    {"INTEL", "intel", "libmkl_intel_thread.so", MKL_THREADING_INTEL},
    {"GNU", "gnu", "libmkl_gnu_thread.so", MKL_THREADING_GNU},
    {"SEQUENTIAL", "sequential", "libmkl_sequential.so", MKL_THREADING_SEQUENTIAL},
};

const Layer* LayerByCode(int code) {
  for (const Layer& layer : kLayers) {
    if (layer.code == code) return &layer;
  }
  return nullptr;
}

struct State {
  std::string asked;                   // the layer Load was given, as the variable spells it
  std::string asked_from = "default";  // the variable it came from
  const Layer* requested = nullptr;
  const Layer* active = nullptr;
};
State state;
ProcessOnce init_once;

std::mutex load_mutex;
void* library = nullptr;  // the dlopen handle of libmkl_rt, never closed
std::string library_path, library_source;

std::string Trimmed(const char* text) {
  std::string s(text);
  auto space = [](unsigned char c) { return std::isspace(c) != 0; };
  s.erase(s.begin(), std::find_if_not(s.begin(), s.end(), space));
  s.erase(std::find_if_not(s.rbegin(), s.rend(), space).base(), s.end());
  return s;
}

const Layer& RequestedLayer() {
  std::string wanted = Trimmed(state.asked.c_str());
  if (wanted.empty()) {
    state.asked_from = "default";
    return kLayers[0];
  }
  std::transform(wanted.begin(), wanted.end(), wanted.begin(), [](unsigned char c) { return std::toupper(c); });
  for (const Layer& layer : kLayers) {
    if (wanted == layer.env_name) return layer;
  }
  throw std::runtime_error(state.asked_from + " must be one of TBB, INTEL, GNU, SEQUENTIAL, but it is \"" +
                           state.asked + "\". Unset it to use weft's default (TBB).");
}

void InitOnce() {
  // mkl_set_interface_layer overrides MKL_INTERFACE_LAYER: weft passes 32-bit
  // MKL_INT everywhere, so ILP64 would misread every integer argument.
  const int interface_layer = mkl_set_interface_layer(MKL_INTERFACE_LP64);
  if (interface_layer != MKL_INTERFACE_LP64) {
    throw std::runtime_error(
        "oneMKL was already initialised in this process with the ILP64 interface (by another library, or "
        "MKL_INTERFACE_LAYER); weft calls the LP64 interface and cannot share it. Load weft first.");
  }
  const Layer& requested = RequestedLayer();
  state.requested = &requested;
  // Returns the layer MKL will use: the requested one, unless another library
  // in this process made MKL calls first and fixed it already.
  state.active = LayerByCode(mkl_set_threading_layer(requested.code));
  // A first real call makes libmkl_rt load its layer and kernel libraries now,
  // so info() can show the loaded files and failures surface at import time.
  double one = 1.0, out = 0.0;
  cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, 1, 1, 1, 1.0, &one, 1, &one, 1, 0.0, &out, 1);
  MKLVersion v{};
  mkl_get_version(&v);
  if (v.MajorVersion < 2026) {
    throw std::runtime_error("the oneMKL found is " + std::to_string(v.MajorVersion) + "." +
                             std::to_string(v.UpdateVersion) + "; weft needs oneMKL 2026 or newer");
  }
}

}  // namespace

void Load(const std::string& path, const std::string& source, const std::string& layer,
          const std::string& layer_source) {
  std::lock_guard<std::mutex> lock(load_mutex);
  if (library != nullptr) return;
  // RTLD_NOW: a broken install fails here, with dlopen's message, rather than
  // at some later call; RTLD_GLOBAL: weft.node's MKL calls resolve to it.
  void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_GLOBAL);
  if (handle == nullptr) {
    const char* why = dlerror();
    throw std::runtime_error("could not load oneMKL from " + path + ": " + (why != nullptr ? why : "dlopen failed"));
  }
  // Only looked up, not called: any MKL call, even MKL_Get_Version, fixes
  // the threading layer before Init can choose it. (The version is checked
  // in Init, after the layer is set.)
  if (dlsym(handle, "MKL_Set_Threading_Layer") == nullptr) {
    throw std::runtime_error(path + " is not oneMKL's single dynamic library (it has no MKL_Set_Threading_Layer)");
  }
  library = handle;
  library_path = path;
  library_source = source;
  state.asked = layer;
  state.asked_from = layer_source;
}

bool Loaded() {
  std::lock_guard<std::mutex> lock(load_mutex);
  return library != nullptr;
}

void Init() {
  if (!Loaded()) throw std::runtime_error("weft: oneMKL must be loaded before it is initialised");
  init_once.Run(InitOnce);
}

Info GetInfo() {
  Info info;
  MKLVersion v;
  mkl_get_version(&v);
  // MKL numbers its releases Major.Update(.Minor): 2026.2.0 has Update 2.
  info.version =
      std::to_string(v.MajorVersion) + "." + std::to_string(v.UpdateVersion) + "." + std::to_string(v.MinorVersion);
  info.build = v.Build != nullptr ? v.Build : "";
  info.code_path = v.Processor != nullptr ? v.Processor : "";
  char banner[256] = {0};
  mkl_get_version_string(banner, sizeof banner);
  info.version_string = banner;
  info.requested_layer = state.requested != nullptr ? state.requested->name : "";
  info.layer_source = state.asked_from;
  info.threading_layer = state.active != nullptr ? state.active->name : "unknown";
  if (state.active != nullptr) {
    std::vector<std::string> loaded = LoadedLibraries(state.active->library);
    info.layer_library = loaded.empty() ? "" : loaded.front();
  }
  info.interface_layer = "lp64";
  info.path = library_path;  // as found, not resolved: a conda env's link shows as the env's
  info.source = library_source;
  return info;
}

}  // namespace weft::mkl
