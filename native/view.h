// A caller's array at the boundary: its typed array and the geometry JS
// wrote for it, every index of which is checked against the typed array's
// real length before a View is handed out.
#pragma once

#include <napi.h>

#include <cstdint>
#include <string>

#include "common.h"

namespace weft {

constexpr int kMaxDims = 32;
// Largest dimension the LP64 interface can pass to MKL (MKL_INT is int32).
constexpr int64_t kMaxDim = 2147483647;
// The geometry buffer's element kind for complex data (lib/internal/native.ts
// writes it; 0 is real): the typed array holds (re, im) pairs, and length,
// offset, shape and strides count pairs.
constexpr double kComplexKind = 1;

// A caller's array: a typed array plus the geometry that JS wrote into the
// env's geometry buffer. Every index the geometry reaches was checked to lie
// inside `length` before a View is handed out.
struct View {
  Dtype dtype = Dtype::kFloat64;
  const void* data = nullptr;  // element 0 of the typed array
  int64_t length = 0;          // elements in the typed array (complex ones for complex data)
  int ndim = 0;
  int64_t offset = 0;
  int64_t shape[kMaxDims] = {};
  int64_t strides[kMaxDims] = {};

  template <class T>
  const T* origin() const {
    return static_cast<const T*>(data) + offset;
  }
};

// The cursor over the per-env geometry buffer behind CallArgs::Array
// (call_args.h): reads operands in argument order from the buffer that
// lib/internal/native.ts fills right before each call (layout documented there):
// reading numbers from one Float64Array costs far less per call than reading
// shape and strides arrays property by property through N-API.
class GeometryReader {
 public:
  // `fn` prefixes error messages, as lib/ does: "linalg.qr".
  GeometryReader(Napi::Env env, const char* fn);
  // Throws TypeError/RangeError naming `name` when the geometry or the typed
  // array is invalid or the view reaches outside the typed array. Int32Array
  // is accepted only with `allow_int32` (index arrays), Uint8Array only with
  // `allow_uint8` (masks), complex data only with `allow_complex` (an op
  // that has not opted in refuses it by name: never reads it as reals).
  View Next(Napi::Value typed_array, const char* name, bool allow_int32 = false, bool allow_uint8 = false,
            bool allow_complex = false);

 private:
  Napi::Env env_;
  std::string fn_;
  const double* cursor_ = nullptr;
  const double* end_ = nullptr;
};

}  // namespace weft
