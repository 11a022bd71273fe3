// The C++ twins of lib/internal/tiny.ts (tiny.h says why). Every loop here
// mirrors one there, operation for operation: change both or neither.
#include "tiny.h"

#include <cmath>
#include <limits>
#include <utility>

#include "../buffer.h"
#include "../codes.h"
#include "lapack.h"
#include "small_lu.h"

// No a·b + c fused into one rounding: JS rounds the product and the sum apart.
// binding.gyp passes -ffp-contract=off; this keeps it so for this file
// whatever the flags.
#if defined(__clang__)
#pragma STDC FP_CONTRACT OFF
#elif defined(__GNUC__)
#pragma GCC optimize("fp-contract=off")
#endif

namespace weft::ops::tiny {
namespace {

constexpr int kMaxMatmul = codes::kTinyMatmul;
constexpr int kMaxSolve = codes::kTinySolve;
constexpr int kMaxColumns = codes::kTinySolveColumns;
static_assert(kMaxSolve <= small::kSmallLu, "a tiny solve is one small stacked item's LU");

// v's element (i, j) of a 2-D view, as T.
template <class T>
T At(const View& v, int64_t i, int64_t j) {
  const int64_t k = v.offset + i * v.strides[0] + j * v.strides[1];
  return v.dtype == Dtype::kFloat32 ? static_cast<T>(static_cast<const float*>(v.data)[k])
                                    : static_cast<T>(static_cast<const double*>(v.data)[k]);
}

// v (rows × cols) row-major into out; false when an element is NaN or ±Infinity.
template <class T>
bool Gather(const View& v, int rows, int cols, T* out) {
  for (int i = 0; i < rows; ++i) {
    for (int j = 0; j < cols; ++j) {
      const T x = At<T>(v, i, j);
      if (!std::isfinite(x)) return false;
      out[i * cols + j] = x;
    }
  }
  return true;
}

// ------------------------------------------------------------------ matmul

template <class T>
class MatmulJob final : public Job {
 public:
  MatmulJob(const View& a, const View& b)
      : m_(static_cast<int>(a.shape[0])), k_(static_cast<int>(a.shape[1])), n_(static_cast<int>(b.shape[1])) {
    for (int i = 0; i < m_; ++i)
      for (int p = 0; p < k_; ++p) a_[i * k_ + p] = At<T>(a, i, p);
    for (int p = 0; p < k_; ++p)
      for (int j = 0; j < n_; ++j) b_[p * n_ + j] = At<T>(b, p, j);
  }

  Napi::Value Result(Napi::Env env) override { return c_.ToTypedArray(env); }

 protected:
  void Allocate() override { c_ = Buffer<T>::Output(m_ * n_); }

  // The sum over k in order, starting from the first product (so -0 stays -0).
  void Execute() override { Product(a_, k_, 1, b_, n_, 1, m_, k_, n_, c_.data()); }

 private:
  int m_, k_, n_;
  T a_[kMaxMatmul * kMaxMatmul];
  T b_[kMaxMatmul * kMaxMatmul];
  Buffer<T> c_;
};

// ------------------------------------------------------------------ LU

// lu (n×n, row-major) factored in place by small_lu.h's Lu, the LU of every
// small stacked item too (lib/internal/tiny.ts's factor() mirrors it). The
// number of row swaps, or -1 for a zero pivot.
template <class T>
int Factor(T* lu, int n, int64_t* piv) {
  if (small::Lu(lu, n, piv) > 0) return -1;
  int swaps = 0;
  for (int k = 0; k < n; ++k) swaps += piv[k] != k;
  return swaps;
}

// x (n×k, holding b, row-major) = A⁻¹ b in place, for A factored by Factor.
template <class T>
void Substitute(const T* lu, const int64_t* piv, T* x, int n, int k) {
  small::LuSolve(lu, piv, n, x, k, /*row=*/k, /*col=*/1);
}

// solve (k columns of b) or inv (b = I, k = n).
template <class T>
class SolveJob final : public Job {
 public:
  // `lu` holds a (gathered, finite); b is null for inv.
  SolveJob(const T* lu, int n, const View* b, bool nan_on_singular)
      : n_(n), k_(b != nullptr ? static_cast<int>(b->shape[1]) : n), inverse_(b == nullptr), nan_(nan_on_singular) {
    std::copy_n(lu, n * n, lu_);
    if (b != nullptr) {
      for (int i = 0; i < n_; ++i)
        for (int c = 0; c < k_; ++c) b_[i * k_ + c] = At<T>(*b, i, c);
    }
  }

  Napi::Value Result(Napi::Env env) override { return x_.ToTypedArray(env); }

 protected:
  void Allocate() override { x_ = Buffer<T>::Output(n_ * k_); }

  void Execute() override {
    T* x = x_.data();
    int64_t perm[kMaxSolve];
    if (Factor(lu_, n_, perm) < 0) {
      if (!nan_) lapack::Singular();
      std::fill_n(x, n_ * k_, std::numeric_limits<T>::quiet_NaN());
      return;
    }
    if (inverse_) {
      std::fill_n(x, n_ * n_, T(0));
      for (int i = 0; i < n_; ++i) x[i * n_ + i] = T(1);
    } else {
      std::copy_n(b_, n_ * k_, x);
    }
    Substitute(lu_, perm, x, n_, k_);
  }

 private:
  int n_, k_;
  bool inverse_, nan_;
  T lu_[kMaxSolve * kMaxSolve];
  T b_[kMaxSolve * kMaxColumns] = {};
  Buffer<T> x_;
};

// det: computed when the job is made (so that the binding can leave an
// overflowing product to the native path), handed over by the job.
template <class T>
class DetJob final : public Job {
 public:
  explicit DetJob(T det) : det_(det) {}

  Napi::Value Result(Napi::Env env) override { return out_.ToTypedArray(env); }

 protected:
  void Allocate() override { out_ = Buffer<T>::Output(1); }
  void Execute() override { out_.data()[0] = det_; }

 private:
  T det_;
  Buffer<T> out_;
};

template <class T>
std::unique_ptr<Job> SolveOf(const View& a, const View* b, bool nan_on_singular) {
  const int n = static_cast<int>(a.shape[0]);
  T lu[kMaxSolve * kMaxSolve];
  if (!Gather(a, n, n, lu)) return nullptr;
  return std::make_unique<SolveJob<T>>(lu, n, b, nan_on_singular);
}

// U's diagonal multiplied in order, negated for an odd number of swaps; 0
// when singular. false when a is not finite or the product overflows or
// underflows to 0.
template <class T>
bool DetOf(const View& a, T* det) {
  const int n = static_cast<int>(a.shape[0]);
  T lu[kMaxSolve * kMaxSolve];
  int64_t perm[kMaxSolve];
  if (!Gather(a, n, n, lu)) return false;
  const int swaps = Factor(lu, n, perm);
  if (swaps < 0) {
    *det = T(0);
    return true;
  }
  T p = lu[0];
  for (int i = 1; i < n; ++i) p = p * lu[i * n + i];
  if (p == 0 || !std::isfinite(p)) return false;
  *det = swaps % 2 == 1 ? -p : p;
  return true;
}

bool SquareTiny(const View& a) {
  return a.ndim == 2 && a.shape[0] >= 1 && a.shape[0] <= kMaxSolve && !IsComplex(a.dtype);
}

}  // namespace

std::unique_ptr<Job> Matmul(const View& a, const View& b) {
  if (a.ndim != 2 || b.ndim != 2 || IsComplex(a.dtype) || IsComplex(b.dtype)) return nullptr;  // real kernels only
  const int64_t m = a.shape[0], k = a.shape[1], n = b.shape[1];
  if (m < 1 || k < 1 || n < 1 || m > kMaxMatmul || k > kMaxMatmul || n > kMaxMatmul) return nullptr;
  if (a.dtype == Dtype::kFloat32 && b.dtype == Dtype::kFloat32) return std::make_unique<MatmulJob<float>>(a, b);
  return std::make_unique<MatmulJob<double>>(a, b);
}

std::unique_ptr<Job> Solve(const View& a, const View& b) {
  if (!SquareTiny(a) || IsComplex(b.dtype) || b.ndim != 2 || b.shape[1] < 1 || b.shape[1] > kMaxColumns) return nullptr;
  if (a.dtype == Dtype::kFloat32 && b.dtype == Dtype::kFloat32) return SolveOf<float>(a, &b, false);
  return SolveOf<double>(a, &b, false);
}

std::unique_ptr<Job> Inv(const View& a, bool nan_on_singular) {
  if (!SquareTiny(a)) return nullptr;
  if (a.dtype == Dtype::kFloat32) return SolveOf<float>(a, nullptr, nan_on_singular);
  return SolveOf<double>(a, nullptr, nan_on_singular);
}

std::unique_ptr<Job> Det(const View& a) {
  if (!SquareTiny(a)) return nullptr;
  if (a.dtype == Dtype::kFloat32) {
    float det;
    return DetOf(a, &det) ? std::make_unique<DetJob<float>>(det) : nullptr;
  }
  double det;
  return DetOf(a, &det) ? std::make_unique<DetJob<double>>(det) : nullptr;
}

}  // namespace weft::ops::tiny
