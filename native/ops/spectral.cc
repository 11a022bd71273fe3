// Spectral decompositions of stacked matrices: SVD (?gesdd), general
// eigenproblems (?geev), symmetric eigenproblems (?syevd), and the
// pseudo-inverse built from them. The SVD and eigh work on the row-major
// copy as LAPACK's transpose (batch.h, StackedJob), so the SVD needs no
// transposes and eigh one, of its eigenvectors; eig and pinv gather
// column-major and write row-major.
#include <algorithm>
#include <cmath>
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

namespace weft::ops {
namespace {

template <class T>
void Identity(int64_t n, T* out) {
  std::fill_n(out, n * n, T(0));
  for (int64_t d = 0; d < n; ++d) out[d * n + d] = T(1);
}

// gesdd on one column-major m×n matrix (destroyed). jobz 'A': u m×m, vt n×n;
// 'S': u m×k, vt k×n; 'N': singular values only. Non-finite input fails as
// numpy's does: "SVD did not converge".
template <class T>
void Gesdd(char jobz, int64_t m, int64_t n, T* a, T* s, T* u, T* vt) {
  const int64_t k = std::min(m, n);
  if (!AllFinite(a, m * n)) lapack::NoConvergence("SVD did not converge");
  const int64_t vt_rows = jobz == 'A' ? n : k;
  Buffer<lapack_int> iwork(8 * std::max<int64_t>(k, 1));
  T query{};
  lapack::CheckArguments("gesdd", lapack::gesdd(jobz, m, n, a, lapack::Ld(m), s, u, lapack::Ld(m), vt,
                                                lapack::Ld(vt_rows), &query, -1, iwork.data()));
  Buffer<T> work(lapack::QueriedSize(query));
  const lapack_int info = lapack::gesdd(jobz, m, n, a, lapack::Ld(m), s, u, lapack::Ld(m), vt, lapack::Ld(vt_rows),
                                        work.data(), static_cast<lapack_int>(work.size()), iwork.data());
  lapack::CheckArguments("gesdd", info);
  if (info > 0) lapack::NoConvergence("SVD did not converge");
}

using codes::SvdMode;

template <class T>
class SvdJob final : public StackedJob<T> {
  using StackedJob<T>::a_;

 public:
  SvdJob(const View& a, SvdMode mode) : StackedJob<T>(a, /*column_major=*/false), mode_(mode) {}

  Napi::Value Result(Napi::Env env) override {
    return mode_ == SvdMode::kValues ? s_.ToTypedArray(env) : Outputs(env, u_, s_, vh_);
  }

 protected:
  void Allocate() override {
    const int64_t m = a_.rows, n = a_.cols, k = std::min(m, n);
    const bool full = mode_ == SvdMode::kFull;
    const int64_t u_cols = full ? m : k, vt_rows = full ? n : k;
    s_ = Buffer<T>::Output(a_.items * k);
    if (mode_ != SvdMode::kValues) {
      u_ = Buffer<T>::Output(a_.items * m * u_cols);
      vh_ = Buffer<T>::Output(a_.items * vt_rows * n);
    }
  }

  void Execute() override {
    const int64_t m = a_.rows, n = a_.cols, k = std::min(m, n);
    const bool full = mode_ == SvdMode::kFull;
    const int64_t u_cols = full ? m : k, vt_rows = full ? n : k;
    this->ForEach([&](int64_t i) {
      T* s = s_.data() + i * k;
      if (mode_ == SvdMode::kValues) {
        if (k > 0) Gesdd<T>('N', n, m, a_.item(i), s, nullptr, nullptr);  // a_ holds Aᵀ
        return;
      }
      T* u = u_.data() + i * m * u_cols;
      T* vh = vh_.data() + i * vt_rows * n;
      if (k == 0) {  // numpy: identities for the full factors of an empty matrix
        if (full) {
          Identity(m, u);
          Identity(n, vh);
        }
        return;
      }
      // LAPACK sees Aᵀ (n×m) = V·S·Uᵀ: its column-major "U" is V, which
      // read row-major is Vh, and its "Vt" is Uᵀ, read row-major U. So
      // gesdd writes both results in place, untransposed.
      Gesdd<T>(full ? 'A' : 'S', n, m, a_.item(i), s, vh, u);
    });
  }

 private:
  SvdMode mode_;
  Buffer<T> u_, s_, vh_;
};

template <class T>
class EigJob final : public StackedJob<T> {
  using StackedJob<T>::a_;

 public:
  EigJob(const View& a, bool vectors) : StackedJob<T>(a, /*column_major=*/true), vectors_(vectors) {}

  Napi::Value Result(Napi::Env env) override {
    return vectors_ ? Outputs(env, wr_, wi_, vr_, vi_) : Outputs(env, wr_, wi_);
  }

 protected:
  void Allocate() override {
    const int64_t n = a_.rows;
    wr_ = Buffer<T>::Output(a_.items * n);
    wi_ = Buffer<T>::Output(a_.items * n);
    if (vectors_) {
      vr_ = Buffer<T>::Output(a_.items * n * n);
      vi_ = Buffer<T>::Output(a_.items * n * n);
    }
  }

  void Execute() override {
    const int64_t n = a_.rows;
    this->ForEach([&](int64_t i) {
      if (n == 0) return;
      T* a = a_.item(i);
      if (!AllFinite(a, n * n)) lapack::NonFinite();
      T* wr = wr_.data() + i * n;
      T* wi = wi_.data() + i * n;
      Buffer<T> v(vectors_ ? n * n : 1);
      const lapack_int info = lapack::WithWorkspace<T>("geev", [&](T* work, lapack_int lwork) {
        return lapack::geev(vectors_ ? 'V' : 'N', n, a, lapack::Ld(n), wr, wi, v.data(), lapack::Ld(n), work, lwork);
      });
      if (info > 0) lapack::NoConvergence("Eigenvalues did not converge");
      if (!vectors_) return;
      // geev packs a complex pair λ, conj(λ) (wi[j] > 0) into columns j and
      // j+1 as re and im of the first vector; the second is its conjugate.
      T* re = vr_.data() + i * n * n;
      T* im = vi_.data() + i * n * n;
      for (int64_t j = 0; j < n; ++j) {
        const T* col = v.data() + j * n;
        if (wi[j] != T(0) && j + 1 < n) {
          const T* next = col + n;
          for (int64_t r = 0; r < n; ++r) {
            re[r * n + j] = col[r];
            im[r * n + j] = next[r];
            re[r * n + j + 1] = col[r];
            im[r * n + j + 1] = -next[r];
          }
          ++j;
        } else {
          for (int64_t r = 0; r < n; ++r) {
            re[r * n + j] = col[r];
            im[r * n + j] = T(0);
          }
        }
      }
    });
  }

 private:
  bool vectors_;
  Buffer<T> wr_, wi_, vr_, vi_;
};

// True when the triangle syevd reads (column-major, with the diagonal) is finite.
template <class T>
bool TriangleFinite(const T* a, int64_t n, char uplo) {
  for (int64_t c = 0; c < n; ++c) {
    const int64_t from = uplo == 'L' ? c : 0, to = uplo == 'L' ? n : c + 1;
    for (int64_t r = from; r < to; ++r) {
      if (!std::isfinite(a[r + c * n])) return false;
    }
  }
  return true;
}

// syevd on one column-major n×n matrix: eigenvalues ascending into w, and
// with vectors the eigenvectors in a's columns. Only the `uplo` triangle is
// read; a NaN or Inf there fails as LAPACK's own iteration would.
template <class T>
void Syevd(bool vectors, char uplo, int64_t n, T* a, T* w) {
  if (!TriangleFinite(a, n, uplo)) lapack::NoConvergence("Eigenvalues did not converge");
  T query{};
  lapack_int iquery = 0;
  const char jobz = vectors ? 'V' : 'N';
  lapack::CheckArguments("syevd", lapack::syevd(jobz, uplo, n, a, lapack::Ld(n), w, &query, -1, &iquery, -1));
  Buffer<T> work(lapack::QueriedSize(query));
  Buffer<lapack_int> iwork(std::max<lapack_int>(1, iquery));
  const lapack_int info =
      lapack::syevd(jobz, uplo, n, a, lapack::Ld(n), w, work.data(), static_cast<lapack_int>(work.size()), iwork.data(),
                    static_cast<lapack_int>(iwork.size()));
  lapack::CheckArguments("syevd", info);
  if (info > 0) lapack::NoConvergence("Eigenvalues did not converge");
}

template <class T>
class EighJob final : public StackedJob<T> {
  using StackedJob<T>::a_;

 public:
  EighJob(const View& a, bool lower, bool vectors)
      : StackedJob<T>(a, /*column_major=*/false), uplo_(lower ? 'U' : 'L'), vectors_(vectors) {}
  // (Gathered row-major, a_ holds the symmetric matrix as it is, but A's
  // lower triangle is LAPACK's upper one: hence the flipped uplo.)

  Napi::Value Result(Napi::Env env) override { return vectors_ ? Outputs(env, w_, v_) : w_.ToTypedArray(env); }

 protected:
  void Allocate() override {
    w_ = Buffer<T>::Output(a_.items * a_.rows);
    if (vectors_) v_ = Buffer<T>::Output(a_.items * a_.rows * a_.rows);
  }

  void Execute() override {
    const int64_t n = a_.rows;
    this->ForEach([&](int64_t i) {
      if (n == 0) return;
      T* a = a_.item(i);
      Syevd(vectors_, uplo_, n, a, w_.data() + i * n);
      if (vectors_) StoreRowMajor(a, n, n, n, v_.data() + i * n * n);
    });
  }

 private:
  char uplo_;
  bool vectors_;
  Buffer<T> w_, v_;
};

// numpy's pinv: singular values (or, for hermitian input, eigenvalues by
// magnitude) at most rcond·max are treated as zero; the rest are inverted.
template <class T>
class PinvJob final : public StackedJob<T> {
  using StackedJob<T>::a_;

 public:
  PinvJob(const View& a, double rcond, bool hermitian)
      : StackedJob<T>(a, /*column_major=*/true), rcond_(rcond), hermitian_(hermitian) {}

  Napi::Value Result(Napi::Env env) override { return out_.ToTypedArray(env); }

 protected:
  void Allocate() override { out_ = Buffer<T>::Output(a_.items * a_.cols * a_.rows); }

  void Execute() override {
    const int64_t m = a_.rows, n = a_.cols, k = std::min(m, n);
    this->ForEach([&](int64_t i) {
      T* out = out_.data() + i * n * m;
      if (k == 0) return;
      if (hermitian_) {
        Buffer<T> w(n);
        T* v = a_.item(i);
        Syevd(true, 'L', n, v, w.data());
        T largest = T(0);
        for (int64_t d = 0; d < n; ++d) largest = std::max(largest, std::abs(w.data()[d]));
        const T cutoff = static_cast<T>(rcond_) * largest;
        Buffer<T> scaled(n * n);  // V·diag(1/w), column-major
        for (int64_t c = 0; c < n; ++c) {
          const T wc = w.data()[c];
          const T inv = std::abs(wc) > cutoff ? T(1) / wc : T(0);
          for (int64_t r = 0; r < n; ++r) scaled.data()[r + c * n] = v[r + c * n] * inv;
        }
        // out = (V·D)·Vᵀ; a column-major buffer read row-major is its transpose.
        lapack::gemm(CblasTrans, CblasNoTrans, n, n, n, scaled.data(), n, v, n, out, n);
        return;
      }
      Buffer<T> s(k), u(m * k), vt(k * n);
      Gesdd<T>('S', m, n, a_.item(i), s.data(), u.data(), vt.data());
      const T cutoff = static_cast<T>(rcond_) * s.data()[0];
      for (int64_t c = 0; c < k; ++c) {  // U's columns scaled by 1/s (or 0)
        const T inv = s.data()[c] > cutoff ? T(1) / s.data()[c] : T(0);
        for (int64_t r = 0; r < m; ++r) u.data()[r + c * m] *= inv;
      }
      // out (n×m, row-major) = V·diag(1/s)·Uᵀ = (Vt read row-major as V: n×k)·(U read row-major as Uᵀ: k×m)
      lapack::gemm(CblasNoTrans, CblasNoTrans, n, m, k, vt.data(), k, u.data(), m, out, m);
    });
  }

 private:
  double rcond_;
  bool hermitian_;
  Buffer<T> out_;
};

}  // namespace

Napi::Value Svd(const Napi::CallbackInfo& info) {
  CallArgs args(info, "linalg.svd");
  const View a = args.Matrices("a", false);
  const auto mode = static_cast<SvdMode>(args.Code(codes::kSvdModeCount - 1, "mode code"));
  if (mode == SvdMode::kFull) {
    const int64_t m = a.shape[a.ndim - 2], n = a.shape[a.ndim - 1];
    CheckLp64(args.env(), args.fn(), "U (each matrix)", m, m);
    CheckLp64(args.env(), args.fn(), "Vh (each matrix)", n, n);
  }
  return Dispatch(args.env(), MakeTyped<SvdJob>(F64(a), a, mode), args.mode());
}

Napi::Value Eig(const Napi::CallbackInfo& info) {
  CallArgs args(info, "linalg.eig");
  const View a = args.Matrices("a", true);
  const bool vectors = args.Flag();
  return Dispatch(args.env(), MakeTyped<EigJob>(F64(a), a, vectors), args.mode());
}

Napi::Value Eigh(const Napi::CallbackInfo& info) {
  CallArgs args(info, "linalg.eigh");
  const View a = args.Matrices("a", true);
  const bool lower = args.Flag();
  const bool vectors = args.Flag();
  return Dispatch(args.env(), MakeTyped<EighJob>(F64(a), a, lower, vectors), args.mode());
}

Napi::Value Pinv(const Napi::CallbackInfo& info) {
  CallArgs args(info, "linalg.pinv");
  const View a = args.Matrices("a", false);
  const double rcond = args.Number("rcond");
  const bool hermitian = args.Flag();
  if (hermitian) CheckSquare(args.env(), args.fn(), "a", a);
  return Dispatch(args.env(), MakeTyped<PinvJob>(F64(a), a, rcond, hermitian), args.mode());
}

}  // namespace weft::ops
