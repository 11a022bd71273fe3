// The edge between JS and C++: every function the addon exports goes
// through Export, so no C++ exception can leave a binding, whatever state
// the env is in.
//
// Why not node-addon-api's own wrapper: it catches a Napi::Error and
// rethrows it with napi_throw, and when that fails — as every napi call
// may while worker.terminate() or process.exit() tears the env down — it
// throws a new Napi::Error out of its catch handler, which reaches the C
// boundary and aborts the process (exit 134, "terminate called after
// throwing an instance of 'Napi::Error'"). Other exceptions (std::bad_alloc
// from a result too large to allocate) are not caught by it at all. Here
// every exception becomes a JS error through plain napi calls whose
// failures are ignored: an env that cannot take an exception any more is
// going away, and nobody is left to see it.
#pragma once

#include <napi.h>

namespace weft {

// A binding as the addon writes it, with node-addon-api's types.
using Binding = Napi::Value (*)(const Napi::CallbackInfo&);

struct ExportEntry {
  const char* name;
  Binding binding;
  // Its parameters by name, as lib/internal/native.ts's Binding type
  // declares them (every op's start with the call context, call_args.h);
  // test/51-native-boundary checks the two agree.
  const char* signature;
};

// Sets exports[entry.name] to a function running entry.binding behind the
// guard. `entry` must outlive the function (the export tables are static).
void Export(Napi::Env env, Napi::Object exports, const ExportEntry& entry);

// Runs `body` and turns any C++ exception it throws into a pending JS
// exception (or nothing, when the env can no longer take one). Returns
// body's value, or nullptr after an exception. For C entry points that
// node-addon-api does not wrap, such as a thread-safe function's callback.
template <class Body>
napi_value Guarded(napi_env env, const char* name, Body&& body) noexcept;

// The error for the exception being handled (call only inside a catch
// block): a Napi::Error as it is, std::bad_alloc and std::length_error as a
// RangeError with code ERR_WEFT_OUT_OF_MEMORY, anything else as an internal
// error. nullptr when the env cannot create one any more.
napi_value CurrentExceptionAsError(napi_env env, const char* name) noexcept;

template <class Body>
napi_value Guarded(napi_env env, const char* name, Body&& body) noexcept {
  try {
    return body();
  } catch (...) {
    napi_value error = CurrentExceptionAsError(env, name);
    if (error != nullptr) napi_throw(env, error);  // fails only while the env is going away
    return nullptr;
  }
}

}  // namespace weft
