// Linear systems on stacked real or complex matrices: solve (?getrf + ?getrs, ?sysv, ?posv), solving
// with a kept LU (?getrs) or Cholesky (?potrs) factor, and least squares
// (?gelsd). lib/ hands `b` over as [..., m, k] (a stack of vectors as k = 1)
// with its batch axes broadcast to a's.
#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <string>

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

using codes::Assume;

// a is gathered row-major, so LAPACK sees Aᵀ (no transpose of the n×n
// matrix): the general case solves (Aᵀ)ᵀx = b with getrf + getrs('T'), as
// gesv would do with getrs('N') on A (which it does for an item with
// NaN/Inf, as numpy: batch.h, FactorAsNumpyDoes); a symmetric A is its own
// transpose, with its lower triangle in LAPACK's upper one, hence the
// flipped uplo. a is factored even when b has no columns, so that a
// singular a fails as in numpy.
template <class T>
class SolveJob final : public Job {
 public:
  SolveJob(const View& a, const View& b, Assume assume, bool lower)
      : small_(!lapack::IsComplexV<T> && assume == Assume::kGen && a.shape[a.ndim - 1] <= small::kSmallLu),
        a_(GatherStack<T>(a, 2, /*column_major=*/false)),
        b_(small_ ? Stack<T>{ItemCount(b, 2), b.shape[b.ndim - 2], b.shape[b.ndim - 1], Buffer<T>()}
                  : GatherStack<T>(b, 2, /*column_major=*/true)),
        b_view_(small_ ? b : View()),
        stacked_(a.ndim > 2),
        assume_(assume),
        uplo_(lower ? 'U' : 'L') {}

  Napi::Value Result(Napi::Env env) override { return x_.ToTypedArray(env); }

 protected:
  void Allocate() override {
    x_ = Buffer<T>::Output(a_.items * a_.rows * b_.cols);
    if (small_) {
      GatherItems(b_view_, 2, /*column_major=*/false, x_.data());  // solved in place there
      b_view_ = View();                                            // the caller's memory is not touched after this
    }
  }

  // A block of items at a time (batch.h, ForEachBlock). Small finite
  // general items are solved as numpy does, getrf + getrs on A, in weft's
  // own loops (small_lu.h); the rest item by item with LAPACK.
  void Execute() override {
    const int64_t n = a_.rows;
    ForEachBlock(*this, a_.items, BlockItems(n), stacked_, [&](int64_t begin, int64_t end) {
      for (int64_t i = begin; i < end; ++i) {
        if (small_) {
          SolveSmallItem(i);
        } else {
          SolveItem(i);
        }
      }
    });
  }

 private:
  // A general system with n <= kSmallLu: b was gathered row-major into x
  // (Allocate) and is solved there in place.
  void SolveSmallItem(int64_t i) {
    const int64_t n = a_.rows, k = b_.cols;
    T* a = a_.item(i);
    T* x = x_.data() + i * n * k;
    if (n == 0) return;
    if constexpr (!lapack::IsComplexV<T>) {  // small_lu.h is real (small_ is never set for complex)
      if (!FactorAsNumpyDoes(a, n)) {
        int64_t piv[small::kSmallLu];
        if (small::Lu(a, n, piv) > 0) FailItem(lapack::kSingular, i);  // the row-major copy is A
        small::LuSolve(a, piv, n, x, k, /*row=*/k, /*col=*/1);
        return;
      }
    }
    // NaN/Inf: LAPACK on A, as numpy (batch.h, FactorAsNumpyDoes).
    TransposeSquare(a, n);
    Buffer<T> b(n * k);  // column-major
    CopyMatrix(x, k, 1, b.data(), 1, n, n, k);
    Buffer<lapack_int> ipiv(n);
    const lapack_int info = lapack::getrf(n, n, a, lapack::Ld(n), ipiv.data());
    lapack::CheckArguments("getrf", info);
    if (info > 0) FailItem(lapack::kSingular, i);
    if (k > 0) lapack::CheckArguments("getrs", lapack::getrs('N', n, k, a, lapack::Ld(n), ipiv.data(), b.data(), n));
    StoreRowMajor(b.data(), n, n, k, x);
  }

  void SolveItem(int64_t i) {
    const int64_t n = a_.rows, k = b_.cols;
    T* a = a_.item(i);
    T no_columns{};  // LAPACK reads no b when k = 0, but wants a pointer
    T* b = k > 0 ? b_.item(i) : &no_columns;
    if (n > 0) {
      lapack_int info = 0;
      if (assume_ == Assume::kPos) {
        // A complex Hermitian A reads to LAPACK as Aᵀ = conj(A): conjugated
        // back, it is A (the triangle LAPACK reads holds the conjugates of
        // the triangle asked for, so the Hermitian matrix it stands for is A).
        if constexpr (lapack::IsComplexV<T>) {
          for (int64_t e = 0; e < n * n; ++e) a[e] = std::conj(a[e]);
        }
        info = lapack::posv(uplo_, n, k, a, lapack::Ld(n), b, lapack::Ld(n));
        lapack::CheckArguments("posv", info);
        if (info > 0) FailItem(lapack::kNotPositiveDefinite, i);
      } else if (assume_ == Assume::kSym) {
        Buffer<lapack_int> ipiv(n);
        info = lapack::WithWorkspace<T>("sysv", [&](T* work, lapack_int lwork) {
          return lapack::sysv(uplo_, n, k, a, lapack::Ld(n), ipiv.data(), b, lapack::Ld(n), work, lwork);
        });
      } else {
        Buffer<lapack_int> ipiv(n);
        const bool as_a = FactorAsNumpyDoes(a, n);
        if (as_a) TransposeSquare(a, n);
        info = lapack::getrf(n, n, a, lapack::Ld(n), ipiv.data());
        lapack::CheckArguments("getrf", info);
        if (info == 0 && k > 0) {
          lapack::CheckArguments(
              "getrs", lapack::getrs(as_a ? 'N' : 'T', n, k, a, lapack::Ld(n), ipiv.data(), b, lapack::Ld(n)));
        }
      }
      if (info > 0) FailItem(lapack::kSingular, i);
    }
    StoreRowMajor(b, n, n, k, x_.data() + i * n * k);
  }

  bool small_;      // see SolveSmallItem
  Stack<T> a_, b_;  // b_: only its shape when small_
  View b_view_;     // small_: the caller's b, read by Allocate during the binding call
  bool stacked_;
  Assume assume_;
  char uplo_;
  Buffer<T> x_;
};

// Solves with a factorisation kept from luFactor (lu + 0-based pivots) or
// choFactor (c + which triangle).
template <class T>
class FactorSolveJob final : public Job {
 public:
  FactorSolveJob(const View& factor, std::vector<lapack_int> pivots, const View& b, char trans_or_uplo, bool lu)
      : f_(GatherStack<T>(factor, 2, true)),
        b_(GatherStack<T>(b, 2, true)),
        pivots_(std::move(pivots)),
        stacked_(factor.ndim > 2),
        flag_(trans_or_uplo),
        lu_(lu) {}

  Napi::Value Result(Napi::Env env) override { return x_.ToTypedArray(env); }

 protected:
  void Allocate() override { x_ = Buffer<T>::Output(f_.items * f_.rows * b_.cols); }

  void Execute() override {
    const int64_t n = f_.rows, k = b_.cols;
    ForEachItem(*this, f_.items, stacked_, [&](int64_t i) {
      T* b = b_.item(i);
      if (n > 0 && k > 0) {
        if (lu_) {
          lapack::CheckArguments(
              "getrs", lapack::getrs(flag_, n, k, f_.item(i), lapack::Ld(n), pivots_.data() + i * n, b, lapack::Ld(n)));
        } else {
          lapack::CheckArguments("potrs", lapack::potrs(flag_, n, k, f_.item(i), lapack::Ld(n), b, lapack::Ld(n)));
        }
      }
      StoreRowMajor(b, n, n, k, x_.data() + i * n * k);
    });
  }

 private:
  Stack<T> f_, b_;
  std::vector<lapack_int> pivots_;  // 1-based, LAPACK's
  bool stacked_;
  char flag_;
  bool lu_;
  Buffer<T> x_;
};

// numpy's lstsq (?gelsd), T real or complex: x has T, the residuals and
// singular values are real.
template <class T>
class LstsqJob final : public Job {
  using R = lapack::Real<T>;

 public:
  LstsqJob(const View& a, const View& b, double rcond) : a_(GatherStack<T>(a, 2, true)), rcond_(static_cast<R>(rcond)) {
    // gelsd returns x in b's place, so b needs max(m, n) rows of room.
    const int64_t m = a_.rows, n = a_.cols;
    rows_ = std::max(m, n);
    k_ = b.shape[b.ndim - 1];
    b_ = Buffer<T>(rows_ * k_);
    std::fill_n(b_.data(), b_.size(), T(0));
    if (m > 0 && k_ > 0) {
      Buffer<T> packed(m * k_);
      GatherMatrix(b, packed.data(), true);
      for (int64_t c = 0; c < k_; ++c) std::copy_n(packed.data() + c * m, m, b_.data() + c * rows_);
    }
  }

  Napi::Value Result(Napi::Env env) override {
    Napi::Value out = Outputs(env, x_, residuals_, s_);
    out.As<Napi::Array>().Set(3u, Napi::Number::New(env, rank_));
    return out;
  }

 protected:
  void Allocate() override {
    s_ = Buffer<R>::Output(std::min(a_.rows, a_.cols));
    x_ = Buffer<T>::Output(a_.cols * k_);
  }

  void Execute() override {
    const int64_t m = a_.rows, n = a_.cols, k = std::min(m, n);
    if (!AllFinite(a_.data.data(), m * n) || !AllFinite(b_.data(), rows_ * k_)) {
      lapack::NoConvergence("SVD did not converge in Linear Least Squares");
    }
    lapack_int rank = 0;
    if (k > 0 && k_ > 0) {
      // The query reports the real and integer workspaces too (complex: rwork).
      T query{};
      R rquery{};
      lapack_int iquery = 0;
      auto call = [&](T* work, lapack_int lwork, R* rwork, lapack_int* iwork) {
        if constexpr (lapack::IsComplexV<T>) {
          return lapack::gelsd(m, n, k_, a_.item(0), lapack::Ld(m), b_.data(), lapack::Ld(rows_), s_.data(), rcond_,
                               &rank, work, lwork, rwork, iwork);
        } else {
          return lapack::gelsd(m, n, k_, a_.item(0), lapack::Ld(m), b_.data(), lapack::Ld(rows_), s_.data(), rcond_,
                               &rank, work, lwork, iwork);
        }
      };
      lapack::CheckArguments("gelsd", call(&query, -1, &rquery, &iquery));
      Buffer<T> work(lapack::QueriedSize(query));
      Buffer<R> rwork(lapack::IsComplexV<T> ? lapack::QueriedSize(rquery) : 1);
      Buffer<lapack_int> iwork(std::max<lapack_int>(1, iquery));
      const lapack_int info = call(work.data(), static_cast<lapack_int>(work.size()), rwork.data(), iwork.data());
      lapack::CheckArguments("gelsd", info);
      if (info > 0) lapack::NoConvergence("SVD did not converge in Linear Least Squares");
    } else if (k > 0) {  // no right-hand sides: only the singular values are wanted
      Buffer<T> copy(m * n);
      std::copy_n(a_.item(0), m * n, copy.data());
      lapack::Gesdd<T>('N', m, n, copy.data(), s_.data(), nullptr, nullptr,
                       "SVD did not converge in Linear Least Squares");
      const R cutoff = (rcond_ < 0 ? std::numeric_limits<R>::epsilon() : rcond_) * s_.data()[0];
      for (int64_t d = 0; d < k; ++d) rank += s_.data()[d] > cutoff ? 1 : 0;
    }
    rank_ = rank;
    // x is b's first n rows.
    for (int64_t r = 0; r < n; ++r) {
      for (int64_t c = 0; c < k_; ++c) x_.data()[r * k_ + c] = b_.data()[r + c * rows_];
    }
    // numpy: residuals are the squared norms of b's remaining rows, but only
    // for a full-rank, strictly overdetermined system; otherwise empty.
    if (rank == n && m > n) {
      residuals_ = Buffer<R>(k_);  // only known now: owned memory
      for (int64_t c = 0; c < k_; ++c) {
        R sum = R(0);
        for (int64_t r = n; r < m; ++r) sum += std::norm(b_.data()[r + c * rows_]);
        residuals_.data()[c] = sum;
      }
    }
  }

 private:
  Stack<T> a_;
  R rcond_;
  int64_t rows_ = 0, k_ = 0;
  Buffer<T> b_, x_;
  Buffer<R> residuals_, s_;
  lapack_int rank_ = 0;
};

struct System {
  View a, b;
};

// Reads the next two operands: a square stacked `a` and a [..., n, k] `b`
// with the same batch axes.
System ReadSystem(CallArgs& args, const char* a_name) {
  Napi::Env env = args.env();
  const std::string& fn = args.fn();
  System s{args.Matrices(a_name, true, /*allow_complex=*/true), View()};
  const int64_t n = s.a.shape[s.a.ndim - 1];
  s.b = args.Array("b", false, /*allow_complex=*/true);
  CheckStacked(env, fn, "b", s.b, 2, &s.a, 2);
  if (s.b.shape[s.b.ndim - 2] != n) {
    throw Napi::RangeError::New(env, fn + ": b has " + std::to_string(s.b.shape[s.b.ndim - 2]) + " rows but " + a_name +
                                         " is " + std::to_string(n) + "×" + std::to_string(n));
  }
  CheckOutputSize(env, fn, {ItemCount(s.a, 2), n, std::max(n, s.b.shape[s.b.ndim - 1])});
  CheckLp64(env, fn, "b (each matrix)", n, s.b.shape[s.b.ndim - 1]);
  return s;
}

}  // namespace

Napi::Value Solve(const Napi::CallbackInfo& info) {
  CallArgs args(info, "linalg.solve");
  const System s = ReadSystem(args, "a");
  const auto assume = static_cast<Assume>(args.Code(codes::kAssumeCount - 1, "assume code"));
  const bool lower = args.Flag();
  if (assume == Assume::kGen) {
    if (auto job = tiny::Solve(s.a, s.b)) return Dispatch(args.env(), std::move(job), args.mode());  // one small system
  }
  return Dispatch(args.env(), MakeTyped<SolveJob>(Promoted(s.a, s.b), s.a, s.b, assume, lower), args.mode());
}

Napi::Value LuSolve(const Napi::CallbackInfo& info) {
  CallArgs args(info, "linalg.luSolve");
  Napi::Env env = args.env();
  const std::string& fn = args.fn();
  const View lu = args.Matrices("lu", true, /*allow_complex=*/true);
  const View piv = args.Array("piv", /*allow_int32=*/true);
  CheckStacked(env, fn, "piv", piv, 1, &lu, 2);
  const int64_t n = lu.shape[lu.ndim - 1];
  if (piv.shape[piv.ndim - 1] != n)
    throw Napi::RangeError::New(env, fn + ": piv must have " + std::to_string(n) + " entries per matrix");
  // LAPACK trusts its pivots and would swap rows outside the matrix on a bad
  // one: each must be an integer in [0, n).
  std::vector<lapack_int> pivots;
  pivots.reserve(static_cast<size_t>(ItemCount(piv, 1) * n));
  for (int64_t offset : ItemOffsets(piv, 1)) {
    for (int64_t d = 0; d < n; ++d) {
      const int64_t at = offset + d * piv.strides[piv.ndim - 1];
      double value = piv.dtype == Dtype::kInt32     ? static_cast<const int32_t*>(piv.data)[at]
                     : piv.dtype == Dtype::kFloat64 ? static_cast<const double*>(piv.data)[at]
                                                    : static_cast<const float*>(piv.data)[at];
      if (!(value >= 0 && value < static_cast<double>(n)) || std::floor(value) != value) {
        throw Napi::RangeError::New(env, fn + ": piv entries must be integers from 0 to " + std::to_string(n - 1) +
                                             " (0-based, as luFactor returns them)");
      }
      pivots.push_back(static_cast<lapack_int>(value) + 1);
    }
  }
  const View b = args.Array("b", false, /*allow_complex=*/true);
  CheckStacked(env, fn, "b", b, 2, &lu, 2);
  if (b.shape[b.ndim - 2] != n) throw Napi::RangeError::New(env, fn + ": b must have " + std::to_string(n) + " rows");
  CheckOutputSize(env, fn, {ItemCount(lu, 2), n, std::max(n, b.shape[b.ndim - 1])});
  CheckLp64(env, fn, "b (each matrix)", n, b.shape[b.ndim - 1]);
  const char trans = args.Flag() ? 'T' : 'N';
  return Dispatch(env, MakeTyped<FactorSolveJob>(Promoted(lu, b), lu, std::move(pivots), b, trans, true), args.mode());
}

Napi::Value ChoSolve(const Napi::CallbackInfo& info) {
  CallArgs args(info, "linalg.choSolve");
  const System s = ReadSystem(args, "c");
  const char uplo = args.Flag() ? 'L' : 'U';
  return Dispatch(args.env(),
                  MakeTyped<FactorSolveJob>(Promoted(s.a, s.b), s.a, std::vector<lapack_int>(), s.b, uplo, false),
                  args.mode());
}

Napi::Value Lstsq(const Napi::CallbackInfo& info) {
  CallArgs args(info, "linalg.lstsq");
  Napi::Env env = args.env();
  const std::string& fn = args.fn();
  const View a = args.Array("a", false, /*allow_complex=*/true);
  const View b = args.Array("b", false, /*allow_complex=*/true);
  if (a.ndim != 2 || b.ndim != 2) throw Napi::RangeError::New(env, fn + ": a and b must be 2-D here");
  if (a.shape[0] != b.shape[0]) {
    throw Napi::RangeError::New(
        env, fn + ": a has " + std::to_string(a.shape[0]) + " rows but b has " + std::to_string(b.shape[0]));
  }
  CheckOutputSize(env, fn, {std::max(a.shape[0], a.shape[1]), std::max(a.shape[1], b.shape[1])});
  CheckLp64(env, fn, "a", a.shape[0], a.shape[1]);
  CheckLp64(env, fn, "b, padded to max(m, n) rows,", std::max(a.shape[0], a.shape[1]), b.shape[1]);
  const double rcond = args.Number("rcond");
  return Dispatch(env, MakeTyped<LstsqJob>(Promoted(a, b), a, b, rcond), args.mode());
}

}  // namespace weft::ops
