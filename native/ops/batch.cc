#include "batch.h"

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

void CheckSquare(Napi::Env env, const std::string& fn, const char* name, const View& view) {
  if (view.shape[view.ndim - 2] != view.shape[view.ndim - 1]) {
    throw Napi::RangeError::New(env, fn + ": " + name + " must be square in its last two axes");
  }
}

void CheckLp64(Napi::Env env, const std::string& fn, const std::string& what, int64_t rows, int64_t cols) {
  if (!FitsLp64(rows, cols)) {
    const __int128 elements = static_cast<__int128>(rows) * cols;
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
