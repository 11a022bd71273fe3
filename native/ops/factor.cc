// Factorisations of stacked matrices [..., m, n]: QR (?geqrf/?orgqr), LU
// (?getrf), Cholesky (?potrf), and what LU gives directly: inverse (?getri)
// and determinant.
//
// JS matrices are row-major and LAPACK is column-major. Each routine
// overwrites its input anyway, so every call makes one private copy, and
// makes it in the layout that saves the most work (batch.h): Cholesky and
// the inverse factor the row-major copy in place, as LAPACK's transpose,
// inside the output itself; det does too, in scratch; QR and LU need A
// itself, so they gather column-major and transpose their results back.
// LAPACKE's row-major path would add two full copies per routine.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
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
#include "small_lu.h"
#include "tiny.h"

namespace weft::ops {
namespace {

using lapack::NotPositiveDefinite;

// ------------------------------------------------------------------ QR

using codes::QrMode;

template <class T>
class QrJob final : public StackedJob<T> {
  using StackedJob<T>::a_;

 public:
  QrJob(const View& a, QrMode mode) : StackedJob<T>(a, /*column_major=*/true), mode_(mode) {}

  Napi::Value Result(Napi::Env env) override {
    switch (mode_) {
      case QrMode::kRaw:  // h: each item's column-major m×n work array, i.e. row-major n×m
        return Outputs(env, a_.data, tau_);
      case QrMode::kR:
        return Outputs(env, r_);
      default:
        return Outputs(env, q_, r_);
    }
  }

 protected:
  void Allocate() override {
    const int64_t m = a_.rows, n = a_.cols, k = std::min(m, n);
    const int64_t r_rows = mode_ == QrMode::kComplete ? m : k;
    const int64_t q_cols = mode_ == QrMode::kComplete ? m : k;
    tau_ = Buffer<T>::Output(a_.items * k);
    if (mode_ != QrMode::kRaw) r_ = Buffer<T>::Output(a_.items * r_rows * n);
    if (mode_ == QrMode::kReduced || mode_ == QrMode::kComplete) q_ = Buffer<T>::Output(a_.items * m * q_cols);
  }

  void Execute() override {
    const int64_t m = a_.rows, n = a_.cols, k = std::min(m, n);
    const int64_t r_rows = mode_ == QrMode::kComplete ? m : k;
    const int64_t q_cols = mode_ == QrMode::kComplete ? m : k;
    // Blocks of items (batch.h, ForEachBlock), with one workspace a block:
    // its size is asked of LAPACK once, not twice per item.
    ForEachBlock(*this, a_.items, BlockItems(std::max(m, n)), this->stacked_, [&](int64_t begin, int64_t end) {
      Buffer<T> work;
      if (k > 0) {
        T query{};
        lapack::CheckArguments("geqrf", lapack::geqrf(m, n, a_.item(begin), lapack::Ld(m), tau_.data(), &query, -1));
        lapack_int lwork = lapack::QueriedSize(query);
        if (mode_ != QrMode::kRaw && mode_ != QrMode::kR && q_cols > 0) {
          lapack::CheckArguments("orgqr",
                                 lapack::orgqr(m, q_cols, k, a_.item(begin), lapack::Ld(m), tau_.data(), &query, -1));
          lwork = std::max(lwork, lapack::QueriedSize(query));
        }
        work = Buffer<T>(lwork);
      }
      const lapack_int lwork = static_cast<lapack_int>(work.size());
      for (int64_t i = begin; i < end; ++i) {
        T* a = a_.item(i);
        T* tau = tau_.data() + i * k;
        if (k > 0) lapack::CheckArguments("geqrf", lapack::geqrf(m, n, a, lapack::Ld(m), tau, work.data(), lwork));
        if (mode_ == QrMode::kRaw) continue;
        // R: the upper triangle of the first r_rows rows.
        T* r = r_.data() + i * r_rows * n;
        StoreRowMajor(a, m, r_rows, n, r);
        for (int64_t row = 0; row < r_rows; ++row) std::fill_n(r + row * n, std::min(row, n), T(0));
        if (mode_ == QrMode::kR || q_cols == 0) continue;
        T* q = q_.data() + i * m * q_cols;
        if (k == 0) {  // no reflectors: complete Q of an m×0 matrix is the identity
          std::fill_n(q, m * q_cols, T(0));
          for (int64_t d = 0; d < m; ++d) q[d * q_cols + d] = T(1);
          continue;
        }
        Buffer<T> wide;  // complete mode with m > n needs m columns of room
        T* reflectors = a;
        if (q_cols > n) {
          wide = Buffer<T>(m * q_cols);
          std::memcpy(wide.data(), a, static_cast<size_t>(m * k) * sizeof(T));
          reflectors = wide.data();
        }
        lapack::CheckArguments("orgqr",
                               lapack::orgqr(m, q_cols, k, reflectors, lapack::Ld(m), tau, work.data(), lwork));
        StoreRowMajor(reflectors, m, m, q_cols, q);
      }
    });
  }

 private:
  QrMode mode_;
  Buffer<T> tau_, q_, r_;
};

// ------------------------------------------------------------------ LU

using codes::LuMode;

template <class T>
class LuJob final : public StackedJob<T> {
  using StackedJob<T>::a_;

 public:
  LuJob(const View& a, LuMode mode) : StackedJob<T>(a, /*column_major=*/true), mode_(mode) {}

  Napi::Value Result(Napi::Env env) override {
    return mode_ == LuMode::kFactor ? Outputs(env, lu_, piv_) : Outputs(env, p_, l_, u_);
  }

 protected:
  void Allocate() override {
    const int64_t m = a_.rows, n = a_.cols, k = std::min(m, n);
    if (mode_ == LuMode::kFactor) {
      lu_ = Buffer<T>::Output(a_.items * m * n);
      piv_ = Buffer<int32_t>::Output(a_.items * k);
    } else {
      p_ = Buffer<lapack::Real<T>>::Output(a_.items * m * m);  // real, as scipy's
      l_ = Buffer<T>::Output(a_.items * m * k);
      u_ = Buffer<T>::Output(a_.items * k * n);
    }
  }

  void Execute() override {
    const int64_t m = a_.rows, n = a_.cols, k = std::min(m, n);
    this->ForEach([&](int64_t i) {
      T* a = a_.item(i);
      Buffer<lapack_int> ipiv(k);
      // info > 0 (an exact zero pivot) still leaves a valid factorisation,
      // as scipy returns it; only negative info is an error.
      if (k > 0) lapack::CheckArguments("getrf", lapack::getrf(m, n, a, lapack::Ld(m), ipiv.data()));
      if (mode_ == LuMode::kFactor) {
        StoreRowMajor(a, m, m, n, lu_.data() + i * m * n);
        for (int64_t d = 0; d < k; ++d) piv_.data()[i * k + d] = ipiv.data()[d] - 1;  // scipy's 0-based pivots
        return;
      }
      // scipy's lu: a = P·L·U. getrf gives Pr·a = L·U with Pr the row swaps,
      // so P = Prᵀ: P[perm[c]][c] = 1.
      std::vector<int64_t> perm(static_cast<size_t>(m));
      for (int64_t r = 0; r < m; ++r) perm[r] = r;
      for (int64_t d = 0; d < k; ++d) std::swap(perm[d], perm[ipiv.data()[d] - 1]);
      lapack::Real<T>* p = p_.data() + i * m * m;
      std::fill_n(p, m * m, lapack::Real<T>(0));
      for (int64_t c = 0; c < m; ++c) p[perm[c] * m + c] = lapack::Real<T>(1);
      T* l = l_.data() + i * m * k;
      for (int64_t r = 0; r < m; ++r) {
        for (int64_t c = 0; c < k; ++c) l[r * k + c] = r > c ? a[r + c * m] : (r == c ? T(1) : T(0));
      }
      T* u = u_.data() + i * k * n;
      for (int64_t r = 0; r < k; ++r) {
        for (int64_t c = 0; c < n; ++c) u[r * n + c] = c >= r ? a[r + c * m] : T(0);
      }
    });
  }

 private:
  LuMode mode_;
  Buffer<T> lu_, l_, u_;
  Buffer<lapack::Real<T>> p_;
  Buffer<int32_t> piv_;
};

// ------------------------------------------------------------------ Cholesky

template <class T>
class CholeskyJob final : public InPlaceJob<T> {
  using InPlaceJob<T>::n_;

 public:
  // upper: factor as UᵀU instead of LLᵀ. zero_other: clear the triangle not
  // used (cholesky); scipy's cho_factor leaves the input's values there.
  CholeskyJob(const View& a, bool upper, bool zero_other) : InPlaceJob<T>(a), upper_(upper), zero_other_(zero_other) {}

 protected:
  void Execute() override {
    const int64_t n = n_;
    // A's row-major lower triangle is, to LAPACK, the upper triangle of the
    // same symmetric matrix, and potrf('U') factors it as UᵀU with U in
    // that triangle: U read row-major is Uᵀ = L, numpy's factor, in place.
    // For upper the roles swap. A complex Hermitian A reads to LAPACK as
    // Aᵀ = conj(A), which potrf('U') factors as UᴴU: then A = Uᵀ·conj(U) =
    // L·Lᴴ with L = Uᵀ, again U read row-major (and likewise for upper).
    const char uplo = upper_ ? 'L' : 'U';
    // Blocks of items (batch.h, ForEachBlock) spare small items a task each.
    ForEachBlock(*this, this->items_, BlockItems(n), this->stacked_, [&](int64_t begin, int64_t end) {
      for (int64_t i = begin; i < end; ++i) {
        T* a = this->item(i);
        if (n > 0) {
          const lapack_int info = lapack::potrf(uplo, n, a, lapack::Ld(n));
          lapack::CheckArguments("potrf", info);
          if (info > 0) FailItem(lapack::kNotPositiveDefinite, i);
        }
        if (!zero_other_) continue;
        for (int64_t r = 0; r < n; ++r) {
          if (upper_) {
            std::fill_n(a + r * n, r, T(0));
          } else {
            std::fill_n(a + r * n + r + 1, n - r - 1, T(0));
          }
        }
      }
    });
  }

 private:
  bool upper_, zero_other_;
};

// ------------------------------------------------------------------ inverse

template <class T>
class InvJob final : public InPlaceJob<T> {
  using InPlaceJob<T>::n_;

 public:
  // nan_on_singular: fill a singular item with NaN instead of failing, as
  // numpy's cond does when it inverts with errors ignored.
  InvJob(const View& a, bool nan_on_singular) : InPlaceJob<T>(a), nan_on_singular_(nan_on_singular) {}

 protected:
  // LAPACK sees Aᵀ and inverts it in place; inv(Aᵀ) = inv(A)ᵀ, which read
  // row-major is inv(A). An item with NaN/Inf is inverted as A, as numpy
  // does (batch.h, FactorAsNumpyDoes), and transposed back.
  //
  // A block of items at a time (batch.h, ForEachBlock). Small finite items
  // are inverted as numpy does it, by solving A·X = I (small_lu.h); larger
  // ones take one getrf batch call a block, then getri item after item with
  // one workspace for the block.
  void Execute() override {
    const int64_t n = n_;
    if (n == 0) return;
    ForEachBlock(*this, this->items_, BlockItems(n), this->stacked_, [&](int64_t begin, int64_t end) {
      if (n <= small::kSmallLu && !lapack::IsComplexV<T>) {  // small_lu.h is real
        if constexpr (!lapack::IsComplexV<T>) {
          T lu[small::kSmallLu * small::kSmallLu];
          int64_t piv[small::kSmallLu];
          for (int64_t i = begin; i < end; ++i) {
            T* a = this->item(i);
            if (FactorAsNumpyDoes(a, n)) {
              InvertWithLapack(a, i);
              continue;
            }
            std::copy_n(a, n * n, lu);
            if (small::Lu(lu, n, piv) > 0) {
              OnSingular(a, i);
              continue;
            }
            std::fill_n(a, n * n, T(0));
            for (int64_t d = 0; d < n; ++d) a[d * n + d] = T(1);
            small::LuSolve(lu, piv, n, a, n, /*row=*/n, /*col=*/1);
          }
        }
        return;
      }
      const int64_t count = end - begin;
      std::vector<char> as_a(static_cast<size_t>(count));
      for (int64_t i = begin; i < end; ++i) {
        T* a = this->item(i);
        as_a[i - begin] = FactorAsNumpyDoes(a, n);
        if (as_a[i - begin]) TransposeSquare(a, n);
      }
      Buffer<lapack_int> ipiv(count * n), info(count);
      lapack::getrf_batch(n, this->item(begin), ipiv.data(), count, info.data());
      T query{};
      lapack::CheckArguments("getri", lapack::getri(n, this->item(begin), lapack::Ld(n), ipiv.data(), &query, -1));
      Buffer<T> work(lapack::QueriedSize(query));
      for (int64_t i = begin; i < end; ++i) {
        T* a = this->item(i);
        const lapack_int status = info.data()[i - begin];
        lapack::CheckArguments("getrf", status);
        if (status > 0) {
          OnSingular(a, i);
          continue;
        }
        lapack::CheckArguments("getri", lapack::getri(n, a, lapack::Ld(n), ipiv.data() + (i - begin) * n, work.data(),
                                                      static_cast<lapack_int>(work.size())));
        if (as_a[i - begin]) TransposeSquare(a, n);
      }
    });
  }

 private:
  // A singular item i: fails, or becomes NaN (nan_on_singular).
  void OnSingular(T* a, int64_t i) const {
    if (!nan_on_singular_) FailItem(lapack::kSingular, i);
    const lapack::Real<T> nan = std::numeric_limits<lapack::Real<T>>::quiet_NaN();
    if constexpr (lapack::IsComplexV<T>) {
      std::fill_n(a, n_ * n_, T(nan, nan));  // numpy's complex NaN: both parts
    } else {
      std::fill_n(a, n_ * n_, nan);
    }
  }

  // Inverts the row-major item i (with NaN/Inf) as A, as numpy does, with
  // getrf + getri.
  void InvertWithLapack(T* a, int64_t i) const {
    const int64_t n = n_;
    TransposeSquare(a, n);
    Buffer<lapack_int> ipiv(n);
    const lapack_int info = lapack::getrf(n, n, a, lapack::Ld(n), ipiv.data());
    lapack::CheckArguments("getrf", info);
    if (info > 0) return OnSingular(a, i);
    lapack::WithWorkspace<T>("getri", [&](T* work, lapack_int lwork) {
      return lapack::getri(n, a, lapack::Ld(n), ipiv.data(), work, lwork);
    });
    TransposeSquare(a, n);
  }

  bool nan_on_singular_;
};

// ------------------------------------------------------------------ determinant

template <class T>
class DetJob final : public StackedJob<T> {
  using StackedJob<T>::a_;
  using R = lapack::Real<T>;

 public:
  // log: slogdet's (sign, log|det|) instead of det.
  DetJob(const View& a, bool log) : StackedJob<T>(a, /*column_major=*/false), log_(log) {}  // det(Aᵀ) = det(A)

  Napi::Value Result(Napi::Env env) override { return log_ ? Outputs(env, sign_, logdet_) : det_.ToTypedArray(env); }

 protected:
  void Allocate() override {
    sign_ = Buffer<T>::Output(a_.items);
    logdet_ = Buffer<R>::Output(a_.items);  // real for complex input too, as numpy
    if (!log_) det_ = Buffer<T>::Output(a_.items);
  }

  // A block of items at a time (batch.h, ForEachBlock). Never fails: a
  // singular matrix has determinant 0. Small finite items are factored by
  // small::Lu (as A: the row-major copy), the rest by getrf — one batch call
  // a block for larger n, as Aᵀ, or item by item as A for NaN/Inf. Complex
  // items are factored as A, as numpy and scipy factor them: the rounding
  // of a complex64 det depends on the orientation, and no small kernel
  // serves complex (numpy's test_linalg: det of 3·[[1+2i, 2+3i], [3+4i,
  // 4+5i]] in complex64 is 1.7e-5 off through Aᵀ's LU, 8e-15 through A's).
  void Execute() override {
    const int64_t n = a_.rows;
    const bool small_n = n <= small::kSmallLu && !lapack::IsComplexV<T>;  // small_lu.h is real
    std::vector<char> by_product(log_ ? 0 : static_cast<size_t>(a_.items));
    ForEachBlock(*this, a_.items, BlockItems(n), this->stacked_, [&](int64_t begin, int64_t end) {
      const int64_t count = end - begin;
      Buffer<lapack_int> ipiv(count * n), info(count);
      std::fill_n(info.data(), count, 0);  // an item nothing factors (n = 0) is not singular
      Buffer<int64_t> piv(count * n);      // 0-based, whichever routine factored the item
      for (int64_t i = begin; i < end; ++i) {
        T* a = a_.item(i);
        const int64_t j = i - begin;
        const bool as_a = lapack::IsComplexV<T> || FactorAsNumpyDoes(a, n);
        if (as_a) TransposeSquare(a, n);  // A itself, for complex and NaN/Inf
        if (!small_n) continue;           // the batch call below
        if constexpr (!lapack::IsComplexV<T>) {
          if (!as_a) {
            info.data()[j] = static_cast<lapack_int>(small::Lu(a, n, piv.data() + j * n));
            continue;
          }
        }
        info.data()[j] = lapack::getrf(n, n, a, lapack::Ld(n), ipiv.data() + j * n);
        lapack::CheckArguments("getrf", info.data()[j]);
        for (int64_t d = 0; d < n; ++d) piv.data()[j * n + d] = ipiv.data()[j * n + d] - 1;
      }
      if (!small_n && n > 0) {  // (LAPACK refuses n = 0's leading dimension of 0)
        lapack::getrf_batch(n, a_.item(begin), ipiv.data(), count, info.data());
        for (int64_t j = 0; j < count; ++j) {
          lapack::CheckArguments("getrf", info.data()[j]);
          for (int64_t d = 0; d < n; ++d) piv.data()[j * n + d] = ipiv.data()[j * n + d] - 1;
        }
      }
      for (int64_t i = begin; i < end; ++i) {
        const T* a = a_.item(i);
        const int64_t* pivots = piv.data() + (i - begin) * n;
        // As numpy: a zero pivot gives sign 0 and log|det| = -inf, and the
        // determinant is sign·exp(log|det|), which cannot overflow midway.
        T sign = T(1);
        R logdet = R(0);
        if (info.data()[i - begin] > 0) {
          sign = T(0);
          logdet = -std::numeric_limits<R>::infinity();
        } else if constexpr (lapack::IsComplexV<T>) {
          // numpy's complex sign: the swaps' ±1 times each pivot's phase u/|u|, in order.
          int64_t swaps = 0;
          for (int64_t d = 0; d < n; ++d) swaps += pivots[d] != d;
          sign = swaps % 2 == 1 ? T(-1) : T(1);
          for (int64_t d = 0; d < n; ++d) {
            const T pivot = a[d + d * n];
            const R magnitude = std::abs(pivot);
            sign *= pivot / magnitude;
            logdet += std::log(magnitude);
          }
        } else {
          for (int64_t d = 0; d < n; ++d) {
            const T pivot = a[d + d * n];  // the diagonal: the same in either layout
            if (pivots[d] != d) sign = -sign;
            if (pivot < 0) sign = -sign;
            logdet += std::log(std::abs(pivot));
          }
        }
        sign_.data()[i] = sign;
        logdet_.data()[i] = logdet;
        if constexpr (!lapack::IsComplexV<T>) {  // the tiny kernels are real
          if (!log_ && n >= 1 && n <= codes::kTinySolve && info.data()[i - begin] == 0) {
            // A tiny matrix's det is U's diagonal multiplied in order, as a
            // single one's is (tiny.cc, lib/internal/tiny.ts: the same bits),
            // unless that product overflows or underflows to 0 midway.
            T product = a[0];
            int64_t swaps = pivots[0] != 0;
            for (int64_t d = 1; d < n; ++d) {
              product = product * a[d + d * n];
              swaps += pivots[d] != d;
            }
            if (product != T(0) && std::isfinite(product)) {
              det_.data()[i] = swaps % 2 == 1 ? -product : product;
              by_product[i] = 1;
            }
          }
        }
      }
    });
    if (!log_) {
      for (int64_t i = 0; i < a_.items; ++i) {
        if (!by_product[i]) det_.data()[i] = sign_.data()[i] * std::exp(logdet_.data()[i]);
      }
    }
  }

 private:
  bool log_;
  Buffer<T> sign_, det_;
  Buffer<R> logdet_;
};

}  // namespace

Napi::Value Qr(const Napi::CallbackInfo& info) {
  CallArgs args(info, "linalg.qr");
  const View a = args.Matrices("a", false, /*allow_complex=*/true);
  const auto mode = static_cast<QrMode>(args.Code(codes::kQrModeCount - 1, "mode code"));
  const int64_t m = a.shape[a.ndim - 2];
  if (mode == QrMode::kComplete) CheckLp64(args.env(), args.fn(), "the complete Q (each matrix)", m, m);
  return Dispatch(args.env(), MakeTyped<QrJob>(Promoted(a), a, mode), args.mode());
}

Napi::Value Lu(const Napi::CallbackInfo& info) {
  CallArgs args(info, "linalg.lu");
  const View a = args.Matrices("a", false, /*allow_complex=*/true);
  const auto mode = static_cast<LuMode>(args.Code(codes::kLuModeCount - 1, "mode code"));
  const int64_t m = a.shape[a.ndim - 2];
  if (mode == LuMode::kPlu) CheckLp64(args.env(), args.fn(), "P (each matrix)", m, m);
  return Dispatch(args.env(), MakeTyped<LuJob>(Promoted(a), a, mode), args.mode());
}

Napi::Value Cholesky(const Napi::CallbackInfo& info) {
  CallArgs args(info, "linalg.cholesky");
  const View a = args.Matrices("a", true, /*allow_complex=*/true);
  const bool upper = args.Flag();
  const bool zero_other = args.Flag();
  return Dispatch(args.env(), MakeTyped<CholeskyJob>(Promoted(a), a, upper, zero_other), args.mode());
}

Napi::Value Inv(const Napi::CallbackInfo& info) {
  CallArgs args(info, "linalg.inv");
  const View a = args.Matrices("a", true, /*allow_complex=*/true);
  const bool nan_on_singular = args.Flag();
  if (auto job = tiny::Inv(a, nan_on_singular))
    return Dispatch(args.env(), std::move(job), args.mode());  // one small matrix
  return Dispatch(args.env(), MakeTyped<InvJob>(Promoted(a), a, nan_on_singular), args.mode());
}

Napi::Value Det(const Napi::CallbackInfo& info) {
  CallArgs args(info, "linalg.det");
  const View a = args.Matrices("a", true, /*allow_complex=*/true);
  const bool log = args.Flag();
  if (!log) {
    if (auto job = tiny::Det(a)) return Dispatch(args.env(), std::move(job), args.mode());  // one small matrix
  }
  return Dispatch(args.env(), MakeTyped<DetJob>(Promoted(a), a, log), args.mode());
}

}  // namespace weft::ops
