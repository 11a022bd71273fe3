#include "view.h"

#include <cmath>
#include <string>

#include "addon.h"

namespace weft {
namespace {

// Largest integer a double holds exactly: geometry numbers must stay below it.
constexpr double kMaxSafe = 9007199254740991.0;

[[noreturn]] void ThrowRange(Napi::Env env, const std::string& message) { throw Napi::RangeError::New(env, message); }

bool IsInteger(double x) { return std::isfinite(x) && std::floor(x) == x; }

}  // namespace

GeometryReader::GeometryReader(Napi::Env env, const char* fn) : env_(env), fn_(fn) {
  const AddonData& data = Data(env);
  cursor_ = data.geometry_data;
  end_ = cursor_ + data.geometry_length;
}

View GeometryReader::Next(Napi::Value value, const char* name, bool allow_int32, bool allow_uint8, bool allow_complex) {
  // The operand's name in messages, built only for one (a string per call costs a malloc).
  const auto who = [&] { return fn_ + ": " + name; };
  if (!value.IsTypedArray()) {
    throw Napi::TypeError::New(env_, who() + ".data must be a Float64Array or Float32Array");
  }
  // One N-API call for the type, length and data (the wrapper's accessors make one each).
  napi_typedarray_type type = napi_int8_array;
  size_t length = 0;
  void* data = nullptr;
  if (napi_get_typedarray_info(env_, value, &type, &length, &data, nullptr, nullptr) != napi_ok) {
    throw Napi::Error::New(env_, who() + ".data could not be read");
  }
  View view;
  switch (type) {
    case napi_float64_array:
      view.dtype = Dtype::kFloat64;
      break;
    case napi_float32_array:
      view.dtype = Dtype::kFloat32;
      break;
    case napi_int32_array:
      if (!allow_int32) throw Napi::TypeError::New(env_, who() + ".data must be a Float64Array or Float32Array");
      view.dtype = Dtype::kInt32;
      break;
    case napi_uint8_array:
      if (!allow_uint8) throw Napi::TypeError::New(env_, who() + ".data must be a Float64Array or Float32Array");
      view.dtype = Dtype::kUint8;
      break;
    default:
      throw Napi::TypeError::New(env_, who() + ".data must be a Float64Array or Float32Array");
  }
  view.data = data;
  view.length = static_cast<int64_t>(length);

  if (end_ - cursor_ < 3) ThrowRange(env_, "weft: geometry buffer exhausted reading " + who());
  const double ndim = *cursor_++;
  const double kind = *cursor_++;
  if (kind == kComplexKind && (view.dtype == Dtype::kFloat64 || view.dtype == Dtype::kFloat32)) {
    // Interleaved (re, im): the geometry counts complex elements.
    if (!allow_complex) {
      throw Napi::TypeError::New(env_, fn_ + ": " + name + " has dtype " +
                                           (view.dtype == Dtype::kFloat64 ? "complex128" : "complex64") + ", which " +
                                           fn_ + " does not support");
    }
    if (length % 2 != 0) throw Napi::TypeError::New(env_, who() + ".data must hold (re, im) pairs: its length is odd");
    view.dtype = view.dtype == Dtype::kFloat64 ? Dtype::kComplex128 : Dtype::kComplex64;
    view.length = static_cast<int64_t>(length / 2);
  } else if (kind != 0) {
    ThrowRange(env_, who() + ": unknown element kind in the geometry buffer");
  }
  if (!IsInteger(ndim) || ndim < 0 || ndim > kMaxDims) {
    ThrowRange(env_, who() + " must have 0 to " + std::to_string(kMaxDims) + " dimensions");
  }
  view.ndim = static_cast<int>(ndim);
  const double offset = *cursor_++;
  if (!IsInteger(offset) || offset < 0 || offset > kMaxSafe) {
    ThrowRange(env_, who() + ".offset must be a non-negative integer");
  }
  view.offset = static_cast<int64_t>(offset);
  if (end_ - cursor_ < 2 * view.ndim) ThrowRange(env_, "weft: geometry buffer exhausted reading " + who());

  // Index range the view touches, in 128-bit so no shape/stride combination
  // can wrap around and sneak past the bounds check.
  __int128 low = view.offset, high = view.offset, count = 1;
  for (int d = 0; d < view.ndim; ++d) {
    const double dim = cursor_[d];
    const double stride = cursor_[view.ndim + d];
    if (!IsInteger(dim) || dim < 0 || dim > kMaxDim) {
      ThrowRange(env_,
                 who() + ".shape[" + std::to_string(d) + "] must be an integer from 0 to " + std::to_string(kMaxDim));
    }
    if (!IsInteger(stride) || std::fabs(stride) > kMaxSafe) {
      ThrowRange(env_, who() + ".strides[" + std::to_string(d) + "] must be an integer");
    }
    view.shape[d] = static_cast<int64_t>(dim);
    view.strides[d] = static_cast<int64_t>(stride);
    count *= view.shape[d];
    const __int128 reach = static_cast<__int128>(view.strides[d]) * (view.shape[d] > 0 ? view.shape[d] - 1 : 0);
    if (reach > 0)
      high += reach;
    else
      low += reach;
  }
  cursor_ += 2 * view.ndim;
  if (count > static_cast<__int128>(kMaxSafe)) ThrowRange(env_, who() + " has too many elements");
  if (count > 0 && view.length == 0 && value.As<Napi::TypedArray>().ArrayBuffer().IsDetached()) {
    throw Napi::TypeError::New(env_, who() + ".data's ArrayBuffer is detached");
  }
  if (count > 0 && (low < 0 || high >= view.length)) {
    ThrowRange(env_, who() + "'s shape, strides and offset reach elements " +
                         std::to_string(static_cast<int64_t>(low)) + " to " +
                         std::to_string(static_cast<int64_t>(high)) + ", outside its data (length " +
                         std::to_string(view.length) + ")");
  }
  return view;
}

}  // namespace weft
