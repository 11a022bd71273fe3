// linalg.matmul: C = A·B with BLAS ?gemm. lib/linalg.ts hands over 2-D views
// (a 1-D `a` as one row, a 1-D `b` as one column) and removes those axes from
// the result, as numpy does.
#include <mkl.h>

#include <algorithm>
#include <memory>
#include <string>

#include "../array.h"
#include "../job.h"
#include "ops.h"

namespace weft::ops {
namespace {

void Gemm(CBLAS_TRANSPOSE ta, CBLAS_TRANSPOSE tb, MKL_INT m, MKL_INT n, MKL_INT k, const double* a, MKL_INT lda,
          const double* b, MKL_INT ldb, double* c, MKL_INT ldc) {
  cblas_dgemm(CblasRowMajor, ta, tb, m, n, k, 1.0, a, lda, b, ldb, 0.0, c, ldc);
}
void Gemm(CBLAS_TRANSPOSE ta, CBLAS_TRANSPOSE tb, MKL_INT m, MKL_INT n, MKL_INT k, const float* a, MKL_INT lda,
          const float* b, MKL_INT ldb, float* c, MKL_INT ldc) {
  cblas_sgemm(CblasRowMajor, ta, tb, m, n, k, 1.0f, a, lda, b, ldb, 0.0f, c, ldc);
}

// A gemm operand: the caller's own memory when gemm can read its layout as
// it is (rows or columns contiguous, e.g. a transposed view), otherwise a
// packed row-major copy.
template <class T>
struct GemmOperand {
  const T* data = nullptr;
  MKL_INT ld = 1;
  CBLAS_TRANSPOSE trans = CblasNoTrans;
  Buffer<T> copy;
};

template <class T>
GemmOperand<T> MakeOperand(const View& v, bool borrow) {
  GemmOperand<T> op;
  const int64_t rows = v.shape[0], cols = v.shape[1];
  const int64_t s0 = v.strides[0], s1 = v.strides[1];
  op.ld = static_cast<MKL_INT>(std::max<int64_t>(cols, 1));
  if (rows == 0 || cols == 0) return op;  // nothing to read
  if (borrow && v.dtype == DtypeOf<T>()) {
    // Row-major: a[i][j] at i*ld + j. A single row needs no row stride.
    if ((cols == 1 || s1 == 1) && (rows == 1 || (s0 >= cols && s0 <= kMaxDim))) {
      op.data = v.origin<T>();
      op.ld = static_cast<MKL_INT>(rows == 1 ? cols : s0);
      return op;
    }
    // Column-major (a transposed view): a[i][j] at i + j*ld.
    if ((rows == 1 || s0 == 1) && (cols == 1 || (s1 >= rows && s1 <= kMaxDim))) {
      op.data = v.origin<T>();
      op.ld = static_cast<MKL_INT>(cols == 1 ? rows : s1);
      op.trans = CblasTrans;
      return op;
    }
  }
  op.copy = Buffer<T>(rows * cols);
  GatherMatrix(v, op.copy.data(), /*column_major=*/false);
  op.data = op.copy.data();
  return op;
}

template <class T>
class MatmulJob final : public Job {
 public:
  MatmulJob(const View& a, const View& b, bool borrow)
      : m_(a.shape[0]), k_(a.shape[1]), n_(b.shape[1]), a_(MakeOperand<T>(a, borrow)), b_(MakeOperand<T>(b, borrow)) {}

  Napi::Value Result(Napi::Env env) override { return c_.ToTypedArray(env); }

 protected:
  void Execute() override {
    c_ = Buffer<T>(m_ * n_);
    if (m_ == 0 || n_ == 0) return;
    if (k_ == 0) {  // an empty sum: numpy gives zeros
      std::fill_n(c_.data(), m_ * n_, T(0));
      return;
    }
    Gemm(a_.trans, b_.trans, static_cast<MKL_INT>(m_), static_cast<MKL_INT>(n_), static_cast<MKL_INT>(k_), a_.data,
         a_.ld, b_.data, b_.ld, c_.data(), static_cast<MKL_INT>(n_));
  }

 private:
  int64_t m_, k_, n_;
  GemmOperand<T> a_, b_;
  Buffer<T> c_;
};

}  // namespace

Napi::Value Matmul(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  GeometryReader geometry(env, "linalg.matmul");
  const View a = geometry.Next(info[0], "a");
  const View b = geometry.Next(info[1], "b");
  const bool async = info[2].ToBoolean();
  if (a.ndim != 2 || b.ndim != 2) {
    throw Napi::RangeError::New(env, "linalg.matmul: native operands must be 2-D, got " + std::to_string(a.ndim) +
                                         "-D and " + std::to_string(b.ndim) + "-D");
  }
  if (a.shape[1] != b.shape[0]) {
    throw Napi::RangeError::New(env, "linalg.matmul: a has " + std::to_string(a.shape[1]) + " columns but b has " +
                                         std::to_string(b.shape[0]) + " rows");
  }
  // numpy's promotion: float32 with float64 computes in float64.
  const bool f64 = a.dtype == Dtype::kFloat64 || b.dtype == Dtype::kFloat64;
  std::unique_ptr<Job> job;
  if (f64) {
    job = std::make_unique<MatmulJob<double>>(a, b, !async);
  } else {
    job = std::make_unique<MatmulJob<float>>(a, b, !async);
  }
  return Dispatch(env, std::move(job), async);
}

}  // namespace weft::ops
