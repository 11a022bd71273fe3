// Stacked (batched) operands and the loop over their items.
//
// lib/ broadcasts every operand's batch axes to one shape before the call (a
// broadcast axis has stride 0), so here all operands of a call have the same
// leading axes and item i of one pairs with item i of the others.
#pragma once

#include <napi.h>
#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <exception>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "../buffer.h"
#include "../job.h"
#include "../layout.h"
#include "../view.h"

namespace weft {

// The items of a stacked operand, gathered into one job-owned buffer item
// after item, each rows×cols in column-major (LAPACK's) or row-major order.
// A vector core ([..., n]) is read as n×1.
template <class T>
struct Stack {
  int64_t items = 0;
  int64_t rows = 0;
  int64_t cols = 0;
  Buffer<T> data;

  int64_t item_size() const { return rows * cols; }
  T* item(int64_t i) const { return data.data() + i * rows * cols; }
};

// Items of `view` whose last `core_dims` axes are the core.
inline int64_t ItemCount(const View& view, int core_dims) {
  int64_t items = 1;
  for (int d = 0; d < view.ndim - core_dims; ++d) items *= view.shape[d];
  return items;
}

// Throws RangeError unless `view` has at least `core_dims` axes and the same
// batch axes as `batch` (the first operand of the call).
void CheckStacked(Napi::Env env, const std::string& fn, const char* name, const View& view, int core_dims,
                  const View* batch = nullptr, int batch_core_dims = 0);

// Throws RangeError unless the matrices of `view` (at least 2 axes) are square.
void CheckSquare(Napi::Env env, const std::string& fn, const char* name, const View& view);

// Throws RangeError when an output of `dims` elements could not be indexed
// by a double (lib/ checks first; this guards the allocation arithmetic).
void CheckOutputSize(Napi::Env env, const std::string& fn, std::initializer_list<int64_t> dims);

// weft calls MKL's 32-bit (LP64) interface, so every matrix it hands MKL (an
// operand or a result, per item of a stack) must have fewer than 2^31
// elements: then every dimension, leading dimension and index MKL forms
// fits its int. FitsLp64 tells whether a rows×cols matrix does; CheckLp64
// throws RangeError naming `what` when it does not, before any work.
// (LAPACK workspaces are checked when queried: lapack.h, QueriedSize.)
inline bool FitsLp64(int64_t rows, int64_t cols) { return static_cast<__int128>(rows) * cols <= 2147483647; }
void CheckLp64(Napi::Env env, const std::string& fn, const std::string& what, int64_t rows, int64_t cols);

// Copies the items of `view` (core rows×cols) into dst, one after another,
// each column-major or row-major, converting to T.
template <class T>
void GatherItems(const View& view, int core_dims, bool column_major, T* dst) {
  const int nd = view.ndim;
  const int64_t rows = view.shape[nd - core_dims];
  const int64_t cols = core_dims == 2 ? view.shape[nd - 1] : 1;
  if (rows == 0 || cols == 0) return;
  const int64_t row_stride = view.strides[nd - core_dims];
  const int64_t col_stride = core_dims == 2 ? view.strides[nd - 1] : 0;
  const int64_t dst_row = column_major ? 1 : cols;
  const int64_t dst_col = column_major ? rows : 1;
  if (!column_major && view.dtype == DtypeOf<T>()) {
    // A C-contiguous stack, wanted row-major: one copy.
    int64_t step = 1;
    bool contiguous = true;
    for (int d = nd - 1; d >= 0 && contiguous; --d) {
      contiguous = view.shape[d] == 1 || view.strides[d] == step;
      step *= view.shape[d];
    }
    if (contiguous) {
      // (an empty stack has no buffer to copy into: memcpy's pointers must not be null)
      if (step > 0)
        std::memcpy(dst, static_cast<const T*>(view.data) + view.offset, static_cast<size_t>(step) * sizeof(T));
      return;
    }
  }
  WithElements<T>(view, [&](auto* data) {
    for (int64_t offset : ItemOffsets(view, core_dims)) {
      CopyMatrix(data + offset, row_stride, col_stride, dst, dst_row, dst_col, rows, cols);
      dst += rows * cols;
    }
  });
}

template <class T>
Stack<T> GatherStack(const View& view, int core_dims, bool column_major) {
  Stack<T> stack;
  stack.items = ItemCount(view, core_dims);
  stack.rows = view.shape[view.ndim - core_dims];
  stack.cols = core_dims == 2 ? view.shape[view.ndim - 1] : 1;
  stack.data = Buffer<T>(stack.items * stack.rows * stack.cols);
  GatherItems(view, core_dims, column_major, stack.data.data());
  return stack;
}

// Runs fn(i) for each item: in parallel across the arena when there are
// several (each item's own MKL parallelism shares the same threads). A
// LinAlgFailure is reported for the lowest failing index, which becomes the
// error's batchIndex when the input was stacked. Checks for cancellation
// before each item.
template <class Fn>
void ForEachItem(const Job& job, int64_t items, bool stacked, Fn&& fn) {
  std::mutex mutex;
  int64_t failed_at = -1;
  LinAlgFailure failure;
  std::exception_ptr other;
  auto run = [&](int64_t i) {
    if (job.Cancelled()) return;
    try {
      fn(i);
    } catch (const LinAlgFailure& f) {
      std::lock_guard<std::mutex> lock(mutex);
      if (failed_at < 0 || i < failed_at) {
        failed_at = i;
        failure = f;
      }
    } catch (...) {
      std::lock_guard<std::mutex> lock(mutex);
      if (!other) other = std::current_exception();
    }
  };
  if (items == 1) {
    run(0);
  } else if (items > 1) {
    tbb::parallel_for(tbb::blocked_range<int64_t>(0, items), [&](const tbb::blocked_range<int64_t>& range) {
      for (int64_t i = range.begin(); i != range.end(); ++i) run(i);
    });
  }
  if (other) std::rethrow_exception(other);
  if (job.Cancelled()) throw Cancelled{};
  if (failed_at >= 0) {
    failure.batch_index = stacked ? failed_at : -1;
    throw failure;
  }
}

// Items per block for ForEachBlock: enough that a block is worth a task
// (about 2^15 multiply-adds, ~n³ per item for an n×n factorisation or
// product) and the per-block setup (workspace, pivots) is amortised, and
// never fewer than one.
inline int64_t BlockItems(int64_t n) {
  const int64_t cube = std::max<int64_t>(1, n * n * n);
  return std::max<int64_t>(1, (int64_t{1} << 15) / cube);
}

// Runs fn(begin, end) over the items in blocks of `block` consecutive items,
// in parallel across the arena. The blocks depend only on `items` and
// `block`, never on the thread count or on sync/async, so a routine that
// processes a block as one call (a batch MKL routine) gives every item the
// same result whatever runs it. fn reports a failed item by throwing a
// LinAlgFailure whose batch_index is that item's index (the lowest failing
// one of its block); the lowest over all blocks is thrown, with batch_index
// kept only when the input was stacked, as ForEachItem does. Checks for
// cancellation before each block.
template <class Fn>
void ForEachBlock(const Job& job, int64_t items, int64_t block, bool stacked, Fn&& fn) {
  std::mutex mutex;
  int64_t failed_at = -1;
  LinAlgFailure failure;
  std::exception_ptr other;
  const int64_t blocks = (items + block - 1) / block;
  auto run = [&](int64_t b) {
    if (job.Cancelled()) return;
    try {
      fn(b * block, std::min(items, (b + 1) * block));
    } catch (const LinAlgFailure& f) {
      std::lock_guard<std::mutex> lock(mutex);
      if (failed_at < 0 || f.batch_index < failed_at) {
        failed_at = f.batch_index;
        failure = f;
      }
    } catch (...) {
      std::lock_guard<std::mutex> lock(mutex);
      if (!other) other = std::current_exception();
    }
  };
  if (blocks == 1) {
    run(0);
  } else if (blocks > 1) {
    tbb::parallel_for(tbb::blocked_range<int64_t>(0, blocks, 1), [&](const tbb::blocked_range<int64_t>& range) {
      for (int64_t b = range.begin(); b != range.end(); ++b) run(b);
    });
  }
  if (other) std::rethrow_exception(other);
  if (job.Cancelled()) throw Cancelled{};
  if (failed_at >= 0) {
    failure.batch_index = stacked ? failed_at : -1;
    throw failure;
  }
}

// Throws `failure` for item i (see ForEachBlock).
[[noreturn]] inline void FailItem(LinAlgFailure failure, int64_t i) {
  failure.batch_index = i;
  throw failure;
}

// numpy's promotion: float32 only when every operand is float32.
inline bool F64(const View& a) { return a.dtype == Dtype::kFloat64; }
inline bool F64(const View& a, const View& b) { return F64(a) || F64(b); }

// numpy's promotion with complex operands: complex when any operand is,
// double precision when any operand is (float64 with complex64 gives
// complex128); what MakeTyped(Dtype, ...) instantiates the job for.
inline Dtype Promoted(const View& a) { return a.dtype; }
inline Dtype Promoted(const View& a, const View& b) {
  const bool complex = IsComplex(a.dtype) || IsComplex(b.dtype);
  const bool wide = a.dtype == Dtype::kFloat64 || a.dtype == Dtype::kComplex128 || b.dtype == Dtype::kFloat64 ||
                    b.dtype == Dtype::kComplex128;
  return complex ? (wide ? Dtype::kComplex128 : Dtype::kComplex64) : (wide ? Dtype::kFloat64 : Dtype::kFloat32);
}

// A job over one stacked matrix operand, gathered on the JS thread, whose
// items are processed independently across the arena.
//
// Row-major or column-major: JS matrices are row-major, LAPACK's are
// column-major, and a row-major m×n item is, to LAPACK, the column-major
// n×m transpose. Ops that can work on Aᵀ instead of A (det(Aᵀ) = det(A);
// a symmetric matrix is its own transpose; the SVD of Aᵀ is the SVD of A
// with U and V swapped) gather row-major, a plain copy, and skip the
// transposes; the others gather column-major.
template <class T>
class StackedJob : public Job {
 protected:
  StackedJob(const View& a, bool column_major) : a_(GatherStack<T>(a, 2, column_major)), stacked_(a.ndim > 2) {}

  // fn(i) for every item: see ForEachItem.
  template <class Fn>
  void ForEach(Fn&& fn) const {
    ForEachItem(*this, a_.items, stacked_, std::forward<Fn>(fn));
  }

  Stack<T> a_;  // the items, as gathered; LAPACK overwrites them
  bool stacked_;
};

// A job whose LAPACK routine overwrites a square input with a result of the
// same shape (Cholesky, inverse): Allocate gathers the input row-major
// straight into the output, where LAPACK factors it as the column-major
// transpose in place. The result needs no copy and no transpose.
template <class T>
class InPlaceJob : public Job {
 protected:
  explicit InPlaceJob(const View& a)
      : input_(a), items_(ItemCount(a, 2)), n_(a.shape[a.ndim - 1]), stacked_(a.ndim > 2) {}

  void Allocate() override {
    out_ = Buffer<T>::Output(items_ * n_ * n_);
    GatherItems(input_, 2, /*column_major=*/false, out_.data());
    input_ = View();  // the caller's memory is not touched after this
  }

  Napi::Value Result(Napi::Env env) override { return out_.ToTypedArray(env); }

  template <class Fn>
  void ForEach(Fn&& fn) const {
    ForEachItem(*this, items_, stacked_, std::forward<Fn>(fn));
  }
  T* item(int64_t i) const { return out_.data() + i * n_ * n_; }

  View input_;  // the caller's array, read by Allocate during the binding call
  int64_t items_, n_;
  bool stacked_;
  Buffer<T> out_;
};

// The JS array [buffers...] of a multi-output result.
template <class... Buffers>
Napi::Value Outputs(Napi::Env env, Buffers&... buffers) {
  Napi::Array out = Napi::Array::New(env);
  uint32_t i = 0;
  (out.Set(i++, buffers.ToTypedArray(env)), ...);
  return out;
}

// Writes a column-major rows×cols block (leading dimension ld) row-major into dst.
template <class T>
void StoreRowMajor(const T* column_major, int64_t ld, int64_t rows, int64_t cols, T* dst) {
  CopyMatrix(column_major, 1, ld, dst, cols, 1, rows, cols);
}

// Whether x is finite: for a complex x, both its parts.
template <class T>
bool IsFinite(T x) {
  return std::isfinite(x);
}
template <class R>
bool IsFinite(std::complex<R> x) {
  return std::isfinite(x.real()) && std::isfinite(x.imag());
}

// True when every one of `count` elements is finite.
template <class T>
bool AllFinite(const T* a, int64_t count) {
  for (int64_t i = 0; i < count; ++i) {
    if (!IsFinite(a[i])) return false;
  }
  return true;
}

// Transposes an n×n matrix in place.
template <class T>
void TransposeSquare(T* a, int64_t n) {
  for (int64_t r = 0; r < n; ++r) {
    for (int64_t c = r + 1; c < n; ++c) std::swap(a[r * n + c], a[c * n + r]);
  }
}

// Whether an n×n item gathered row-major (Aᵀ to LAPACK) must be factored as
// A itself instead, by TransposeSquare. For finite input LU of Aᵀ gives A's
// det, inverse and solutions to rounding; with NaN or ±Infinity the values
// depend on which of the two LU meets (det([[1, Inf], [0, 1]]) is NaN one
// way round, 0 the other), and numpy factors A, so such an item is too.
template <class T>
bool FactorAsNumpyDoes(const T* row_major, int64_t n) {
  return !AllFinite(row_major, n * n);
}

}  // namespace weft
