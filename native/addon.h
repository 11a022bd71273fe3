// Per-env state of the addon (each worker_thread that loads weft has its own;
// the arena behind it is one per process).
#pragma once

#include <napi.h>

#include <memory>

namespace weft {

class Completion;

struct AddonData {
  AddonData() = default;
  AddonData(const AddonData&) = delete;
  AddonData& operator=(const AddonData&) = delete;

  // Settles this env's async jobs; shared with the jobs in flight so it
  // outlives the env if they do.
  std::shared_ptr<Completion> completion;
  // lib/errors.ts's LinAlgError, so native code throws the public class.
  Napi::FunctionReference lin_alg_error;
  // lib/internal/native.ts's geometry buffer (see view.h, GeometryReader).
  Napi::Reference<Napi::Float64Array> geometry;
  // Its elements, read once at init: the reference keeps the array alive,
  // its 2 KiB live outside V8's heap (they never move), and nothing outside
  // lib/internal/native.ts can reach the array to detach it. Saves two
  // N-API calls per native call.
  const double* geometry_data = nullptr;
  size_t geometry_length = 0;
};

// The env's AddonData; throws if lib/internal/native.ts has not called init() yet.
AddonData& Data(Napi::Env env);

}  // namespace weft
