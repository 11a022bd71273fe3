#include "batch.h"

#include <algorithm>

namespace weft {

void CheckStacked(Napi::Env env, const std::string& fn, const char* name, const View& view, int core_dims,
                  const View* batch, int batch_core_dims) {
  if (view.ndim < core_dims) {
    throw Napi::RangeError::New(env, fn + ": " + name + " must have at least " + std::to_string(core_dims) +
                                         " axes, got " + std::to_string(view.ndim));
  }
  if (batch == nullptr) return;
  const int mine = view.ndim - core_dims;
  const int theirs = batch->ndim - batch_core_dims;
  bool same = mine == theirs;
  for (int d = 0; same && d < mine; ++d) same = view.shape[d] == batch->shape[d];
  if (!same) {
    throw Napi::RangeError::New(env, fn + ": " + name + "'s batch axes do not match the first operand's");
  }
}

View ReadMatrices(const Napi::CallbackInfo& info, size_t index, const std::string& fn, bool square) {
  Napi::Env env = info.Env();
  GeometryReader geometry(env, fn.c_str());
  View a = geometry.Next(info[index], "a");
  CheckStacked(env, fn, "a", a, 2);
  const int64_t m = a.shape[a.ndim - 2], n = a.shape[a.ndim - 1];
  if (square && m != n) throw Napi::RangeError::New(env, fn + ": a must be square in its last two axes");
  CheckLp64(env, fn, "a (each matrix)", m, n);
  CheckOutputSize(env, fn, {ItemCount(a, 2), std::max(m, n), std::max(m, n)});
  return a;
}

int CodeArg(const Napi::CallbackInfo& info, size_t index, int high, const std::string& what) {
  const int value = info[index].IsNumber() ? info[index].As<Napi::Number>().Int32Value() : -1;
  if (value < 0 || value > high) {
    throw Napi::TypeError::New(info.Env(), what + " must be 0 to " + std::to_string(high));
  }
  return value;
}

void CheckLp64(Napi::Env env, const std::string& fn, const std::string& what, int64_t rows, int64_t cols) {
  const __int128 elements = static_cast<__int128>(rows) * cols;
  if (elements > 2147483647) {
    throw Napi::RangeError::New(env, fn + ": " + what + " would be " + std::to_string(rows) + "×" +
                                         std::to_string(cols) + " = " +
                                         std::to_string(static_cast<long long>(elements)) +
                                         " elements; weft calls MKL's 32-bit (LP64) interface, which takes matrices of "
                                         "at most 2147483647 elements");
  }
}

void CheckOutputSize(Napi::Env env, const std::string& fn, std::initializer_list<int64_t> dims) {
  __int128 count = 1;
  for (int64_t d : dims) {
    count *= d;
    if (count > (static_cast<__int128>(1) << 53)) {
      throw Napi::RangeError::New(env, fn + ": the result would have more elements than an array can hold");
    }
  }
}

}  // namespace weft
