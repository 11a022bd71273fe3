// Spectral decompositions of stacked matrices, real or complex: SVD
// (?gesdd), general eigenproblems (?geev), symmetric and Hermitian
// eigenproblems (?syevd, ?heevd), and the
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

// gesdd on one column-major m×n matrix (destroyed), as lapack::Gesdd.
// Non-finite input fails as numpy's does: "SVD did not converge".
template <class T>
void Gesdd(char jobz, int64_t m, int64_t n, T* a, lapack::Real<T>* s, T* u, T* vt) {
  if (!AllFinite(a, m * n)) lapack::NoConvergence("SVD did not converge");
  lapack::Gesdd(jobz, m, n, a, s, u, vt);
}

using codes::SvdMode;

// The SVD of a stack, T real or complex; the singular values are real.
template <class T>
class SvdJob final : public StackedJob<T> {
  using StackedJob<T>::a_;
  using R = lapack::Real<T>;

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
    s_ = Buffer<R>::Output(a_.items * k);
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
      R* s = s_.data() + i * k;
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
      // LAPACK sees Aᵀ (n×m) = conj(V)·S·Uᵀ: its column-major "U" is
      // conj(V), which read row-major is Vᴴ = Vh, and its "Vt" is Uᵀ, read
      // row-major U. So gesdd writes both results in place, untransposed
      // (and, for complex A, unconjugated).
      Gesdd<T>(full ? 'A' : 'S', n, m, a_.item(i), s, vh, u);
    });
  }

 private:
  SvdMode mode_;
  Buffer<T> u_, vh_;
  Buffer<R> s_;
};

// The general eigenproblem (?geev) of a stack. The results are complex
// whatever T is (std::complex of T's precision): eigenvalues w, and with
// `vectors` the right eigenvectors as columns, row-major; lib/ gives a real
// dtype back where numpy does (real input whose eigenvalues are all real).
template <class T>
class EigJob final : public StackedJob<T> {
  using StackedJob<T>::a_;
  using R = lapack::Real<T>;
  using C = std::complex<R>;

 public:
  EigJob(const View& a, bool vectors) : StackedJob<T>(a, /*column_major=*/true), vectors_(vectors) {}

  Napi::Value Result(Napi::Env env) override { return vectors_ ? Outputs(env, w_, v_) : w_.ToTypedArray(env); }

 protected:
  void Allocate() override {
    const int64_t n = a_.rows;
    w_ = Buffer<C>::Output(a_.items * n);
    if (vectors_) v_ = Buffer<C>::Output(a_.items * n * n);
  }

  void Execute() override {
    const int64_t n = a_.rows;
    this->ForEach([&](int64_t i) {
      if (n == 0) return;
      T* a = a_.item(i);
      if (!AllFinite(a, n * n)) lapack::NonFinite();
      C* w = w_.data() + i * n;
      C* v = vectors_ ? v_.data() + i * n * n : nullptr;
      if constexpr (lapack::IsComplexV<T>) {
        Buffer<T> vr(vectors_ ? n * n : 1);
        Buffer<R> rwork(2 * n);
        const lapack_int info = lapack::WithWorkspace<T>("geev", [&](T* work, lapack_int lwork) {
          return lapack::geev(vectors_ ? 'V' : 'N', n, a, lapack::Ld(n), w, vr.data(), lapack::Ld(n), work, lwork,
                              rwork.data());
        });
        if (info > 0) lapack::NoConvergence("Eigenvalues did not converge");
        if (vectors_) StoreRowMajor(vr.data(), n, n, n, v);
      } else {
        Buffer<T> wr(n), wi(n), vr(vectors_ ? n * n : 1);
        const lapack_int info = lapack::WithWorkspace<T>("geev", [&](T* work, lapack_int lwork) {
          return lapack::geev(vectors_ ? 'V' : 'N', n, a, lapack::Ld(n), wr.data(), wi.data(), vr.data(), lapack::Ld(n),
                              work, lwork);
        });
        if (info > 0) lapack::NoConvergence("Eigenvalues did not converge");
        for (int64_t j = 0; j < n; ++j) w[j] = C(wr.data()[j], wi.data()[j]);
        if (vectors_) PairsToComplex(vr.data(), wi.data(), n, v);
      }
    });
  }

 private:
  // Real geev packs a complex pair λ, conj(λ) (wi[j] > 0) into columns j
  // and j+1 as re and im of the first vector; the second is its conjugate.
  // Writes the n complex columns row-major into v (numpy's assembly).
  static void PairsToComplex(const T* packed, const T* wi, int64_t n, C* v) {
    for (int64_t j = 0; j < n; ++j) {
      const T* col = packed + j * n;
      if (wi[j] != T(0) && j + 1 < n) {
        const T* next = col + n;
        for (int64_t r = 0; r < n; ++r) {
          v[r * n + j] = C(col[r], next[r]);
          v[r * n + j + 1] = C(col[r], -next[r]);
        }
        ++j;
      } else {
        for (int64_t r = 0; r < n; ++r) v[r * n + j] = C(col[r], T(0));
      }
    }
  }

  bool vectors_;
  Buffer<C> w_, v_;
};

// True when the triangle syevd reads (column-major, with the diagonal) is finite.
template <class T>
bool TriangleFinite(const T* a, int64_t n, char uplo) {
  for (int64_t c = 0; c < n; ++c) {
    const int64_t from = uplo == 'L' ? c : 0, to = uplo == 'L' ? n : c + 1;
    for (int64_t r = from; r < to; ++r) {
      if (!IsFinite(a[r + c * n])) return false;
    }
  }
  return true;
}

// ?syevd (real) or ?heevd (complex) on one column-major n×n matrix:
// eigenvalues ascending into w (real either way), and with vectors the
// eigenvectors in a's columns. Only the `uplo` triangle is read; a NaN or
// Inf there fails as LAPACK's own iteration would.
template <class T>
void Syevd(bool vectors, char uplo, int64_t n, T* a, lapack::Real<T>* w) {
  using R = lapack::Real<T>;
  if (!TriangleFinite(a, n, uplo)) lapack::NoConvergence("Eigenvalues did not converge");
  const char jobz = vectors ? 'V' : 'N';
  T query{};
  R rquery{};
  lapack_int iquery = 0;
  auto call = [&](T* work, lapack_int lwork, R* rwork, lapack_int lrwork, lapack_int* iwork, lapack_int liwork) {
    if constexpr (lapack::IsComplexV<T>) {
      return lapack::heevd(jobz, uplo, n, a, lapack::Ld(n), w, work, lwork, rwork, lrwork, iwork, liwork);
    } else {
      return lapack::syevd(jobz, uplo, n, a, lapack::Ld(n), w, work, lwork, iwork, liwork);
    }
  };
  const char* routine = lapack::IsComplexV<T> ? "heevd" : "syevd";
  lapack::CheckArguments(routine, call(&query, -1, &rquery, -1, &iquery, -1));
  Buffer<T> work(lapack::QueriedSize(query));
  Buffer<R> rwork(lapack::IsComplexV<T> ? lapack::QueriedSize(rquery) : 1);
  Buffer<lapack_int> iwork(std::max<lapack_int>(1, iquery));
  const lapack_int info =
      call(work.data(), static_cast<lapack_int>(work.size()), rwork.data(), static_cast<lapack_int>(rwork.size()),
           iwork.data(), static_cast<lapack_int>(iwork.size()));
  lapack::CheckArguments(routine, info);
  if (info > 0) lapack::NoConvergence("Eigenvalues did not converge");
}

template <class T>
class EighJob final : public StackedJob<T> {
  using StackedJob<T>::a_;
  using R = lapack::Real<T>;

 public:
  EighJob(const View& a, bool lower, bool vectors)
      : StackedJob<T>(a, /*column_major=*/false), uplo_(lower ? 'U' : 'L'), vectors_(vectors) {}
  // (Gathered row-major, a_ holds Aᵀ to LAPACK: A's lower triangle is
  // LAPACK's upper one, hence the flipped uplo. For a symmetric A that is A
  // itself; for a Hermitian A it is conj(A), whose eigenvalues are A's and
  // whose eigenvectors are their conjugates: conjugated back as stored.)

  Napi::Value Result(Napi::Env env) override { return vectors_ ? Outputs(env, w_, v_) : w_.ToTypedArray(env); }

 protected:
  void Allocate() override {
    w_ = Buffer<R>::Output(a_.items * a_.rows);
    if (vectors_) v_ = Buffer<T>::Output(a_.items * a_.rows * a_.rows);
  }

  void Execute() override {
    const int64_t n = a_.rows;
    this->ForEach([&](int64_t i) {
      if (n == 0) return;
      T* a = a_.item(i);
      Syevd(vectors_, uplo_, n, a, w_.data() + i * n);
      if (!vectors_) return;
      T* v = v_.data() + i * n * n;
      StoreRowMajor(a, n, n, n, v);
      if constexpr (lapack::IsComplexV<T>) {
        for (int64_t e = 0; e < n * n; ++e) v[e] = std::conj(v[e]);
      }
    });
  }

 private:
  char uplo_;
  bool vectors_;
  Buffer<R> w_;
  Buffer<T> v_;
};

// numpy's pinv: singular values (or, for hermitian input, eigenvalues by
// magnitude) at most rcond·max are treated as zero; the rest are inverted.
// Complex a: the same products with the conjugate transposes (conjugating
// the factors in place before the one gemm).
template <class T>
class PinvJob final : public StackedJob<T> {
  using StackedJob<T>::a_;
  using R = lapack::Real<T>;

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
        Buffer<R> w(n);
        T* v = a_.item(i);
        Syevd(true, 'L', n, v, w.data());
        R largest = R(0);
        for (int64_t d = 0; d < n; ++d) largest = std::max(largest, std::abs(w.data()[d]));
        const R cutoff = static_cast<R>(rcond_) * largest;
        Buffer<T> scaled(n * n);  // V·diag(1/w), column-major
        for (int64_t c = 0; c < n; ++c) {
          const R wc = w.data()[c];
          const R inv = std::abs(wc) > cutoff ? R(1) / wc : R(0);
          for (int64_t r = 0; r < n; ++r) scaled.data()[r + c * n] = v[r + c * n] * inv;
        }
        for (int64_t e = 0; e < n * n; ++e) v[e] = lapack::Conj(v[e]);
        // out = (V·D)·Vᴴ; a column-major buffer read row-major is its transpose.
        lapack::gemm(CblasTrans, CblasNoTrans, n, n, n, scaled.data(), n, v, n, out, n);
        return;
      }
      Buffer<R> s(k);
      Buffer<T> u(m * k), vt(k * n);
      Gesdd<T>('S', m, n, a_.item(i), s.data(), u.data(), vt.data());
      const R cutoff = static_cast<R>(rcond_) * s.data()[0];
      for (int64_t c = 0; c < k; ++c) {  // conj(U)'s columns scaled by 1/s (or 0)
        const R inv = s.data()[c] > cutoff ? R(1) / s.data()[c] : R(0);
        for (int64_t r = 0; r < m; ++r) u.data()[r + c * m] = lapack::Conj(u.data()[r + c * m]) * inv;
      }
      for (int64_t e = 0; e < k * n; ++e) vt.data()[e] = lapack::Conj(vt.data()[e]);
      // out (n×m, row-major) = V·diag(1/s)·Uᴴ = (conj(Vt) read row-major as
      // V: n×k)·(conj(U) read row-major as Uᴴ: k×m)
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
  const View a = args.Matrices("a", false, /*allow_complex=*/true);
  const auto mode = static_cast<SvdMode>(args.Code(codes::kSvdModeCount - 1, "mode code"));
  if (mode == SvdMode::kFull) {
    const int64_t m = a.shape[a.ndim - 2], n = a.shape[a.ndim - 1];
    CheckLp64(args.env(), args.fn(), "U (each matrix)", m, m);
    CheckLp64(args.env(), args.fn(), "Vh (each matrix)", n, n);
  }
  return Dispatch(args.env(), MakeTyped<SvdJob>(a.dtype, a, mode), args.mode());
}

Napi::Value Eig(const Napi::CallbackInfo& info) {
  CallArgs args(info, "linalg.eig");
  const View a = args.Matrices("a", true, /*allow_complex=*/true);
  const bool vectors = args.Flag();
  return Dispatch(args.env(), MakeTyped<EigJob>(a.dtype, a, vectors), args.mode());
}

Napi::Value Eigh(const Napi::CallbackInfo& info) {
  CallArgs args(info, "linalg.eigh");
  const View a = args.Matrices("a", true, /*allow_complex=*/true);
  const bool lower = args.Flag();
  const bool vectors = args.Flag();
  return Dispatch(args.env(), MakeTyped<EighJob>(a.dtype, a, lower, vectors), args.mode());
}

Napi::Value Pinv(const Napi::CallbackInfo& info) {
  CallArgs args(info, "linalg.pinv");
  const View a = args.Matrices("a", false, /*allow_complex=*/true);
  const double rcond = args.Number("rcond");
  const bool hermitian = args.Flag();
  if (hermitian) CheckSquare(args.env(), args.fn(), "a", a);
  return Dispatch(args.env(), MakeTyped<PinvJob>(a.dtype, a, rcond, hermitian), args.mode());
}

}  // namespace weft::ops
