// linalg.qr: A = QR with LAPACK ?geqrf (Householder factorisation) and
// ?orgqr (forming Q), numpy's modes.
//
// JS matrices are row-major and LAPACK is column-major. geqrf overwrites its
// input anyway, so the one private copy every call needs is made straight
// into column-major order; R and Q are transposed back while being extracted.
// No other copies (LAPACKE's row-major path would add two per routine).
#include <algorithm>
#include <cstring>
#include <memory>
#include <string>

#include "../array.h"
#include "../job.h"
#include "lapack.h"
#include "ops.h"

namespace weft::ops {
namespace {

enum class QrMode { kReduced = 0, kComplete = 1, kR = 2, kRaw = 3 };

template <class T>
class QrJob final : public Job {
 public:
  QrJob(const View& a, QrMode mode) : m_(a.shape[0]), n_(a.shape[1]), mode_(mode), a_(m_ * n_) {
    GatherMatrix(a, a_.data(), /*column_major=*/true);
  }

  Napi::Value Result(Napi::Env env) override {
    Napi::Array out = Napi::Array::New(env);
    switch (mode_) {
      case QrMode::kRaw:  // h is the column-major m×n work array, i.e. row-major n×m
        out.Set(0u, a_.ToTypedArray(env));
        out.Set(1u, tau_.ToTypedArray(env));
        break;
      case QrMode::kR:
        out.Set(0u, r_.ToTypedArray(env));
        break;
      default:
        out.Set(0u, q_.ToTypedArray(env));
        out.Set(1u, r_.ToTypedArray(env));
        break;
    }
    return out;
  }

 protected:
  void Execute() override {
    const int64_t k = std::min(m_, n_);
    const lapack_int m = static_cast<lapack_int>(m_), n = static_cast<lapack_int>(n_);
    const lapack_int lda = std::max<lapack_int>(1, m);
    tau_ = Buffer<T>(k);
    if (k > 0) {
      lapack::WithWorkspace<T>("geqrf", [&](T* work, lapack_int lwork) {
        return lapack::geqrf(m, n, a_.data(), lda, tau_.data(), work, lwork);
      });
    }
    if (mode_ == QrMode::kRaw) return;

    // R: the upper triangle of the first (reduced/r: k, complete: m) rows.
    const int64_t r_rows = mode_ == QrMode::kComplete ? m_ : k;
    r_ = Buffer<T>(r_rows * n_);
    for (int64_t i = 0; i < r_rows; ++i) {
      T* row = r_.data() + i * n_;
      for (int64_t j = 0; j < n_; ++j) row[j] = j >= i ? a_.data()[i + j * m_] : T(0);
    }
    if (mode_ == QrMode::kR) return;

    // Q: m×k (reduced) or m×m (complete), formed from the k reflectors.
    const int64_t q_cols = mode_ == QrMode::kComplete ? m_ : k;
    q_ = Buffer<T>(m_ * q_cols);
    if (q_cols == 0) return;
    if (k == 0) {  // no reflectors: complete Q of an m×0 matrix is the identity
      std::fill_n(q_.data(), m_ * q_cols, T(0));
      for (int64_t i = 0; i < m_; ++i) q_.data()[i * q_cols + i] = T(1);
      return;
    }
    Buffer<T> wide;  // complete mode with m > n needs m columns of room
    T* reflectors = a_.data();
    if (q_cols > n_) {
      wide = Buffer<T>(m_ * q_cols);
      std::memcpy(wide.data(), a_.data(), static_cast<size_t>(m_ * k) * sizeof(T));
      reflectors = wide.data();
    }
    const lapack_int qc = static_cast<lapack_int>(q_cols), kk = static_cast<lapack_int>(k);
    lapack::WithWorkspace<T>("orgqr", [&](T* work, lapack_int lwork) {
      return lapack::orgqr(m, qc, kk, reflectors, lda, tau_.data(), work, lwork);
    });
    CopyMatrix(reflectors, 1, m_, q_.data(), q_cols, 1, m_, q_cols);
  }

 private:
  int64_t m_, n_;
  QrMode mode_;
  Buffer<T> a_;  // column-major copy of the input; geqrf's reflectors after
  Buffer<T> tau_, q_, r_;
};

}  // namespace

Napi::Value Qr(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  GeometryReader geometry(env, "linalg.qr");
  const View a = geometry.Next(info[0], "a");
  const int mode = info[1].IsNumber() ? info[1].As<Napi::Number>().Int32Value() : -1;
  const bool async = info[2].ToBoolean();
  if (a.ndim != 2) {
    throw Napi::RangeError::New(env, "linalg.qr: native operand must be 2-D, got " + std::to_string(a.ndim) + "-D");
  }
  if (mode < 0 || mode > 3) throw Napi::TypeError::New(env, "linalg.qr: mode code must be 0 to 3");
  std::unique_ptr<Job> job;
  if (a.dtype == Dtype::kFloat64) {
    job = std::make_unique<QrJob<double>>(a, static_cast<QrMode>(mode));
  } else {
    job = std::make_unique<QrJob<float>>(a, static_cast<QrMode>(mode));
  }
  return Dispatch(env, std::move(job), async);
}

}  // namespace weft::ops
