// Products on BLAS ?gemm (real or complex, numpy's promotion):
//  - matmul: stacked matrix products, [..., m, k] @ [..., k, n], with the
//    batch axes already broadcast by lib/ (a broadcast axis has stride 0);
//  - contract: one product of two N-D operands flattened to matrices, a's
//    last `ka` axes against b's first `kb` axes — numpy's dot, vdot and outer
//    are each one call of it, with lib/ choosing the axes;
//  - cross: cross products of 3-vectors, [..., 3] × [..., 3] (no BLAS: three
//    differences of products per item, in parallel over the items).
#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/parallel_for.h>

#include <algorithm>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "../buffer.h"
#include "../call_args.h"
#include "../codes.h"
#include "../job.h"
#include "../layout.h"
#include "../view.h"
#include "batch.h"
#include "lapack.h"
#include "ops.h"
#include "tiny.h"

namespace weft::ops {
namespace {

// A gemm operand: the caller's own memory when gemm can read its layout as
// it is (rows or columns contiguous, e.g. a transposed view), otherwise a
// packed copy.
template <class T>
struct GemmOperand {
  const T* data = nullptr;
  MKL_INT ld = 1;
  CBLAS_TRANSPOSE trans = CblasNoTrans;
  Buffer<T> copy;
};

// `v` is one rows×cols matrix starting at element `offset` of its data.
// Async calls (borrow = false) copy every operand, sync calls only those
// gemm cannot read; either way a copy keeps the orientation gemm would have
// read the view in (a column-contiguous view is copied column-major and
// passed transposed). MKL's gemm rounds differently for Trans and NoTrans
// operands, so this is what makes sync and async results bit-for-bit equal.
template <class T>
GemmOperand<T> MakeOperand(const View& v, int64_t offset, bool borrow) {
  GemmOperand<T> op;
  const int nd = v.ndim;
  const int64_t rows = v.shape[nd - 2], cols = v.shape[nd - 1];
  const int64_t s0 = v.strides[nd - 2], s1 = v.strides[nd - 1];
  op.ld = static_cast<MKL_INT>(std::max<int64_t>(cols, 1));
  if (rows == 0 || cols == 0) return op;  // nothing to read
  // Row-major: a[i][j] at i*ld + j. A single row needs no row stride.
  const bool row_major = (cols == 1 || s1 == 1) && (rows == 1 || (s0 >= cols && s0 <= kMaxDim));
  // Column-major (a transposed view): a[i][j] at i + j*ld.
  const bool column_major = !row_major && (rows == 1 || s0 == 1) && (cols == 1 || (s1 >= rows && s1 <= kMaxDim));
  if (borrow && v.dtype == DtypeOf<T>() && (row_major || column_major)) {
    op.data = static_cast<const T*>(v.data) + offset;
    if (row_major) {
      op.ld = static_cast<MKL_INT>(rows == 1 ? cols : s0);
    } else {
      op.ld = static_cast<MKL_INT>(cols == 1 ? rows : s1);
      op.trans = CblasTrans;
    }
    return op;
  }
  op.copy = Buffer<T>(rows * cols);
  const int64_t dst_row = column_major ? 1 : cols, dst_col = column_major ? rows : 1;
  WithElements<T>(v,
                  [&](auto* data) { CopyMatrix(data + offset, s0, s1, op.copy.data(), dst_row, dst_col, rows, cols); });
  op.data = op.copy.data();
  if (column_major) {
    op.ld = static_cast<MKL_INT>(rows);
    op.trans = CblasTrans;
  }
  return op;
}

// The distinct matrices of a stacked operand: items that share an offset (a
// broadcast batch axis) share one operand, so broadcasting copies nothing.
template <class T>
struct StackedOperand {
  std::vector<GemmOperand<T>> operands;
  std::vector<size_t> of_item;

  StackedOperand(const View& v, bool borrow) {
    std::map<int64_t, size_t> seen;
    for (int64_t offset : ItemOffsets(v, 2)) {
      auto [it, fresh] = seen.emplace(offset, operands.size());
      if (fresh) operands.push_back(MakeOperand<T>(v, offset, borrow));
      of_item.push_back(it->second);
    }
  }
  const GemmOperand<T>& item(int64_t i) const { return operands[of_item[static_cast<size_t>(i)]]; }
};

template <class T>
void Product(const GemmOperand<T>& a, const GemmOperand<T>& b, int64_t m, int64_t k, int64_t n, T* c) {
  if (m == 0 || n == 0) return;
  if (k == 0) {  // an empty sum: numpy gives zeros
    std::fill_n(c, m * n, T(0));
    return;
  }
  if (m == 1 && n == 1 && k <= kMaxDim) {
    // An inner product (vdot, a row times a column): gemm takes a slow path
    // for a 1×1 result (measured 32 µs for k = 65536; ?dot 6 µs).
    const MKL_INT step_a = a.trans == CblasNoTrans ? 1 : a.ld;
    const MKL_INT step_b = b.trans == CblasNoTrans ? b.ld : 1;
    c[0] = lapack::dot(static_cast<MKL_INT>(k), a.data, step_a, b.data, step_b);
    return;
  }
  lapack::gemm(a.trans, b.trans, static_cast<MKL_INT>(m), static_cast<MKL_INT>(n), static_cast<MKL_INT>(k), a.data,
               a.ld, b.data, b.ld, c, static_cast<MKL_INT>(n));
}

// A stacked gemm operand for one batch call: item i at data + i*stride
// (stride 0: one matrix for every item), each read as `first` says. Sync
// calls borrow the caller's memory when its items are evenly spaced and
// gemm can read them; otherwise (and always for async calls) the items
// are packed, keeping the orientation gemm would have read them in (see
// MakeOperand), so that sync and async results are bit-for-bit equal.
template <class T>
struct StridedOperand {
  GemmOperand<T> first;
  int64_t stride = 0;
  Buffer<T> packed;

  StridedOperand(const View& v, const std::vector<int64_t>& offsets, bool borrow) {
    const int nd = v.ndim;
    const int64_t rows = v.shape[nd - 2], cols = v.shape[nd - 1], items = static_cast<int64_t>(offsets.size());
    const int64_t step = items > 1 ? offsets[1] - offsets[0] : 0;
    bool even = step >= 0 && step <= kMaxDim;
    for (int64_t i = 2; even && i < items; ++i) even = offsets[i] - offsets[i - 1] == step;
    first = MakeOperand<T>(v, offsets[0], borrow && even);
    if (first.copy.size() == 0 && first.data != nullptr) {  // borrowed
      stride = step;
      return;
    }
    if (even && step == 0) return;  // one matrix for every item, copied once
    // Pack every item in the orientation of the copy MakeOperand made.
    const bool column_major = first.trans == CblasTrans;
    first.copy = Buffer<T>();
    packed = Buffer<T>(items * rows * cols);
    GatherItems(v, 2, column_major, packed.data());
    first.data = packed.data();
    stride = rows * cols;
  }
};

// Whether a stacked product can go to gemm as batch calls: a real product
// (not an inner product, which Product sends to ?dot; not empty) whose
// strides MKL's 32-bit interface can express.
bool BatchGemmFits(int64_t items, int64_t m, int64_t k, int64_t n) {
  return items > 1 && m > 0 && n > 0 && k > 0 && !(m == 1 && n == 1) && m * n <= kMaxDim;
}

template <class T>
class MatmulJob final : public Job {
 public:
  MatmulJob(const View& a, const View& b, bool borrow)
      : items_(ItemCount(a, 2)),
        stacked_(a.ndim > 2),
        m_(a.shape[a.ndim - 2]),
        k_(a.shape[a.ndim - 1]),
        n_(b.shape[b.ndim - 1]) {
    if (BatchGemmFits(items_, m_, k_, n_)) {
      const std::vector<int64_t> a_offsets = ItemOffsets(a, 2), b_offsets = ItemOffsets(b, 2);
      sa_ = std::make_unique<StridedOperand<T>>(a, a_offsets, borrow);
      sb_ = std::make_unique<StridedOperand<T>>(b, b_offsets, borrow);
    } else {
      a_ = std::make_unique<StackedOperand<T>>(a, borrow);
      b_ = std::make_unique<StackedOperand<T>>(b, borrow);
    }
  }

  Napi::Value Result(Napi::Env env) override { return c_.ToTypedArray(env); }

 protected:
  void Allocate() override { c_ = Buffer<T>::Output(items_ * m_ * n_); }

  void Execute() override {
    if (!sa_) {
      ForEachItem(*this, items_, stacked_,
                  [&](int64_t i) { Product(a_->item(i), b_->item(i), m_, k_, n_, c_.data() + i * m_ * n_); });
      return;
    }
    // Blocks of items, one ?gemm_batch_strided call each: the per-call cost
    // of gemm is paid once a block.
    const GemmOperand<T>&a = sa_->first, &b = sb_->first;
    const int64_t block = std::max<int64_t>(1, (int64_t{1} << 16) / (m_ * n_ * k_));
    if (!lapack::IsComplexV<T> && m_ <= codes::kTinyMatmul && k_ <= codes::kTinyMatmul && n_ <= codes::kTinyMatmul) {
      // Tiny items: the tiny kernel, item by item, as a single tiny product
      // gets it (same bits), and cheaper than gemm_batch at these sizes
      // (real only: complex items take ?gemm_batch).
      const int64_t a_row = a.trans == CblasNoTrans ? a.ld : 1, a_col = a.trans == CblasNoTrans ? 1 : a.ld;
      const int64_t b_row = b.trans == CblasNoTrans ? b.ld : 1, b_col = b.trans == CblasNoTrans ? 1 : b.ld;
      ForEachBlock(*this, items_, block, stacked_, [&](int64_t begin, int64_t end) {
        for (int64_t i = begin; i < end; ++i) {
          if constexpr (!lapack::IsComplexV<T>)
            tiny::Product(a.data + i * sa_->stride, a_row, a_col, b.data + i * sb_->stride, b_row, b_col, m_, k_, n_,
                          c_.data() + i * m_ * n_);
        }
      });
      return;
    }
    ForEachBlock(*this, items_, block, stacked_, [&](int64_t begin, int64_t end) {
      lapack::gemm_batch(a.trans, b.trans, static_cast<MKL_INT>(m_), static_cast<MKL_INT>(n_), static_cast<MKL_INT>(k_),
                         a.data + begin * sa_->stride, a.ld, static_cast<MKL_INT>(sa_->stride),
                         b.data + begin * sb_->stride, b.ld, static_cast<MKL_INT>(sb_->stride),
                         c_.data() + begin * m_ * n_, static_cast<MKL_INT>(n_), static_cast<MKL_INT>(m_ * n_),
                         static_cast<MKL_INT>(end - begin));
    });
  }

 private:
  int64_t items_;
  bool stacked_;
  int64_t m_, k_, n_;
  std::unique_ptr<StridedOperand<T>> sa_, sb_;  // batch calls
  std::unique_ptr<StackedOperand<T>> a_, b_;    // one call per item
  Buffer<T> c_;
};

bool IsContiguous(const View& v) {
  int64_t step = 1;
  for (int d = v.ndim - 1; d >= 0; --d) {
    if (v.shape[d] != 1 && v.strides[d] != step) return false;
    step *= v.shape[d];
  }
  return true;
}

// An N-D operand as one rows×cols row-major matrix: borrowed when already
// contiguous (sync only), else gathered.
template <class T>
GemmOperand<T> Flatten(const View& v, int64_t rows, int64_t cols, bool borrow) {
  GemmOperand<T> op;
  op.ld = static_cast<MKL_INT>(std::max<int64_t>(cols, 1));
  if (rows == 0 || cols == 0) return op;
  if (borrow && v.dtype == DtypeOf<T>() && IsContiguous(v)) {
    op.data = static_cast<const T*>(v.data) + v.offset;
    return op;
  }
  op.copy = Buffer<T>(rows * cols);
  GatherAll(v, op.copy.data());
  op.data = op.copy.data();
  return op;
}

template <class T>
class ContractJob final : public Job {
 public:
  ContractJob(const View& a, const View& b, int64_t p, int64_t k, int64_t q, bool borrow)
      : p_(p), k_(k), q_(q), a_(Flatten<T>(a, p, k, borrow)), b_(Flatten<T>(b, k, q, borrow)) {}

  Napi::Value Result(Napi::Env env) override { return c_.ToTypedArray(env); }

 protected:
  void Allocate() override { c_ = Buffer<T>::Output(p_ * q_); }

  void Execute() override { Product(a_, b_, p_, k_, q_, c_.data()); }

 private:
  int64_t p_, k_, q_;
  GemmOperand<T> a_, b_;
  Buffer<T> c_;
};

// Cross products of the items of two stacks of 3-vectors (batch axes already
// broadcast by lib/). Both are gathered (converted to T) when the job is
// made, so sync and async read the same copies; numpy's formula and order,
// so NaN and Infinity land where numpy's do.
template <class T>
class CrossJob final : public Job {
 public:
  CrossJob(const View& a, const View& b)
      : a_(GatherStack<T>(a, /*core_dims=*/1, /*column_major=*/false)),
        b_(GatherStack<T>(b, /*core_dims=*/1, /*column_major=*/false)) {}

  Napi::Value Result(Napi::Env env) override { return c_.ToTypedArray(env); }

 protected:
  void Allocate() override { c_ = Buffer<T>::Output(a_.items * 3); }

  void Execute() override {
    // About 10 flops an item: blocks of 4096 items keep a task worth its
    // scheduling; cancellation is checked between blocks.
    tbb::parallel_for(tbb::blocked_range<int64_t>(0, a_.items, 4096), [&](const tbb::blocked_range<int64_t>& r) {
      if (Cancelled()) return;
      for (int64_t i = r.begin(); i != r.end(); ++i) {
        const T* x = a_.item(i);
        const T* y = b_.item(i);
        T* z = c_.data() + i * 3;
        z[0] = x[1] * y[2] - x[2] * y[1];
        z[1] = x[2] * y[0] - x[0] * y[2];
        z[2] = x[0] * y[1] - x[1] * y[0];
      }
    });
    if (Cancelled()) throw weft::Cancelled{};
  }

 private:
  Stack<T> a_, b_;
  Buffer<T> c_;
};

int64_t ProductOf(const View& v, int from, int to) {
  int64_t n = 1;
  for (int d = from; d < to; ++d) n *= v.shape[d];
  return n;
}

}  // namespace

Napi::Value Matmul(const Napi::CallbackInfo& info) {
  CallArgs args(info, "linalg.matmul");
  Napi::Env env = args.env();
  const std::string& fn = args.fn();
  const View a = args.Array("a", false, /*allow_complex=*/true);
  const View b = args.Array("b", false, /*allow_complex=*/true);
  CheckStacked(env, fn, "a", a, 2);
  CheckStacked(env, fn, "b", b, 2, &a, 2);
  if (a.shape[a.ndim - 1] != b.shape[b.ndim - 2]) {
    throw Napi::RangeError::New(env, fn + ": a has " + std::to_string(a.shape[a.ndim - 1]) + " columns but b has " +
                                         std::to_string(b.shape[b.ndim - 2]) + " rows");
  }
  CheckOutputSize(env, fn, {ItemCount(a, 2), a.shape[a.ndim - 2], b.shape[b.ndim - 1]});
  CheckLp64(env, fn, "a (each matrix)", a.shape[a.ndim - 2], a.shape[a.ndim - 1]);
  CheckLp64(env, fn, "b (each matrix)", b.shape[b.ndim - 2], b.shape[b.ndim - 1]);
  CheckLp64(env, fn, "the result (each matrix)", a.shape[a.ndim - 2], b.shape[b.ndim - 1]);
  // numpy's promotion: float32 with float64 computes in float64, with complex in complex.
  if (auto job = tiny::Matmul(a, b)) return Dispatch(env, std::move(job), args.mode());  // one small real matrix
  return Dispatch(env, MakeTyped<MatmulJob>(Promoted(a, b), a, b, !args.mode().async), args.mode());
}

Napi::Value Contract(const Napi::CallbackInfo& info) {
  // dot, vdot and outer all contract; lib/ names the one called in the last
  // parameter (after a, b, ka, kb), for messages.
  CallArgs args(info, "linalg.dot", /*name_at=*/4);
  Napi::Env env = args.env();
  const std::string& fn = args.fn();
  const View a = args.Array("a", false, /*allow_complex=*/true);
  const View b = args.Array("b", false, /*allow_complex=*/true);
  const int ka = args.Int("ka");
  const int kb = args.Int("kb");
  if (ka < 0 || ka > a.ndim || kb < 0 || kb > b.ndim) {
    throw Napi::RangeError::New(env, fn + ": contracted axis counts out of range");
  }
  const int64_t k = ProductOf(a, a.ndim - ka, a.ndim);
  if (k != ProductOf(b, 0, kb)) {
    throw Napi::RangeError::New(env, fn + ": the contracted axes of a and b hold " + std::to_string(k) + " and " +
                                         std::to_string(ProductOf(b, 0, kb)) + " elements");
  }
  const int64_t p = ProductOf(a, 0, a.ndim - ka);
  const int64_t q = ProductOf(b, kb, b.ndim);
  if (p > kMaxDim || q > kMaxDim || k > kMaxDim) {
    throw Napi::RangeError::New(env, fn + ": operands flatten to more than 2147483647 rows or columns, "
                                          "beyond MKL's 32-bit (LP64) interface");
  }
  CheckOutputSize(env, fn, {p, q});
  CheckLp64(env, fn, "a, flattened,", p, k);
  CheckLp64(env, fn, "b, flattened,", k, q);
  CheckLp64(env, fn, "the result", p, q);
  return Dispatch(env, MakeTyped<ContractJob>(Promoted(a, b), a, b, p, k, q, !args.mode().async), args.mode());
}

Napi::Value Cross(const Napi::CallbackInfo& info) {
  CallArgs args(info, "linalg.cross");
  Napi::Env env = args.env();
  const std::string& fn = args.fn();
  const View a = args.Array("a", false, /*allow_complex=*/true);
  const View b = args.Array("b", false, /*allow_complex=*/true);
  CheckStacked(env, fn, "a", a, 1);
  CheckStacked(env, fn, "b", b, 1, &a, 1);
  if (a.shape[a.ndim - 1] != 3 || b.shape[b.ndim - 1] != 3) {
    throw Napi::RangeError::New(env, fn + ": expected 3-element vectors, but a has " +
                                         std::to_string(a.shape[a.ndim - 1]) + " and b " +
                                         std::to_string(b.shape[b.ndim - 1]));
  }
  CheckOutputSize(env, fn, {ItemCount(a, 1), 3});
  return Dispatch(env, MakeTyped<CrossJob>(Promoted(a, b), a, b), args.mode());
}

}  // namespace weft::ops
