// Typed overloads over the BLAS/LAPACK routines weft calls (float, double,
// std::complex<float> and std::complex<double> share one template body in
// the ops), the type traits those bodies need, and the workspace-query idiom.
//
// Always the column-major LAPACKE *_work entry points: they pass straight to
// LAPACK without the transposed scratch copies LAPACK_ROW_MAJOR makes, and
// without the NaN scan the high-level LAPACKE wrappers run (weft checks
// finiteness itself where numpy does).
#pragma once

#include <algorithm>
#include <cmath>
#include <complex>
#include <string>
#include <type_traits>

#include "../buffer.h"
#include "../common.h"
#include "../layout.h"
#include "../mkl_include.h"
#include "../view.h"

namespace weft::lapack {

// ---- Traits: what one template body over T asks of its element type

template <class T>
struct RealOfT {
  using type = T;
};
template <class R>
struct RealOfT<std::complex<R>> {
  using type = R;
};
// The real type of T's precision: double for std::complex<double>, T for a real T.
template <class T>
using Real = typename RealOfT<T>::type;
template <class T>
inline constexpr bool IsComplexV = !std::is_same_v<T, Real<T>>;

// x's complex conjugate (x itself for a real T).
template <class T>
T Conj(T x) {
  if constexpr (IsComplexV<T>) {
    return std::conj(x);
  } else {
    return x;
  }
}

// A negative info means weft passed an illegal argument: a weft bug.
inline void CheckArguments(const char* routine, lapack_int info) {
  if (info == LAPACK_WORK_MEMORY_ERROR || info == LAPACK_TRANSPOSE_MEMORY_ERROR) throw std::bad_alloc();
  if (info < 0) {
    throw InternalFailure(std::string("LAPACK ") + routine + " rejected argument " + std::to_string(-info) +
                          " (info = " + std::to_string(info) + ")");
  }
}

// Workspace size LAPACK reported in a query (a float for float routines).
// LP64 passes it as a 32-bit int: a matrix small enough to pass the
// per-matrix limit can still need a larger workspace (gesdd wants ~4n²).
template <class T>
lapack_int QueriedSize(T query) {
  const double size = std::ceil(static_cast<double>(std::real(query)));
  if (!(size <= 2147483647.0)) {
    throw TooLarge{"the LAPACK workspace this needs (" + std::to_string(static_cast<long long>(size)) +
                   " elements) is beyond MKL's 32-bit (LP64) interface, which counts to 2147483647"};
  }
  return std::max<lapack_int>(1, static_cast<lapack_int>(size));
}

// Runs `call(work, lwork)` twice: once to ask for the optimal workspace size,
// once with a workspace of that size. Returns the second call's info (>= 0).
template <class T, class Call>
lapack_int WithWorkspace(const char* routine, Call call) {
  T query{};
  CheckArguments(routine, call(&query, -1));
  const lapack_int lwork = QueriedSize(query);
  Buffer<T> work(lwork);
  const lapack_int info = call(work.data(), lwork);
  CheckArguments(routine, info);
  return info;
}

constexpr int kCol = LAPACK_COL_MAJOR;

// Leading dimension of a column-major block of `rows` rows (LAPACK wants >= 1).
inline lapack_int Ld(int64_t rows) { return static_cast<lapack_int>(std::max<int64_t>(rows, 1)); }

// ---- BLAS

inline void gemm(CBLAS_TRANSPOSE ta, CBLAS_TRANSPOSE tb, MKL_INT m, MKL_INT n, MKL_INT k, const double* a, MKL_INT lda,
                 const double* b, MKL_INT ldb, double* c, MKL_INT ldc) {
  cblas_dgemm(CblasRowMajor, ta, tb, m, n, k, 1.0, a, lda, b, ldb, 0.0, c, ldc);
}
inline void gemm(CBLAS_TRANSPOSE ta, CBLAS_TRANSPOSE tb, MKL_INT m, MKL_INT n, MKL_INT k, const float* a, MKL_INT lda,
                 const float* b, MKL_INT ldb, float* c, MKL_INT ldc) {
  cblas_sgemm(CblasRowMajor, ta, tb, m, n, k, 1.0f, a, lda, b, ldb, 0.0f, c, ldc);
}
// The complex gemms take alpha and beta by pointer.
inline void gemm(CBLAS_TRANSPOSE ta, CBLAS_TRANSPOSE tb, MKL_INT m, MKL_INT n, MKL_INT k, const std::complex<double>* a,
                 MKL_INT lda, const std::complex<double>* b, MKL_INT ldb, std::complex<double>* c, MKL_INT ldc) {
  const std::complex<double> one(1), zero(0);
  cblas_zgemm(CblasRowMajor, ta, tb, m, n, k, &one, a, lda, b, ldb, &zero, c, ldc);
}
inline void gemm(CBLAS_TRANSPOSE ta, CBLAS_TRANSPOSE tb, MKL_INT m, MKL_INT n, MKL_INT k, const std::complex<float>* a,
                 MKL_INT lda, const std::complex<float>* b, MKL_INT ldb, std::complex<float>* c, MKL_INT ldc) {
  const std::complex<float> one(1), zero(0);
  cblas_cgemm(CblasRowMajor, ta, tb, m, n, k, &one, a, lda, b, ldb, &zero, c, ldc);
}

// Products of `batch` pairs of matrices, item i at a + i*stride_a (and so
// on); a stride of 0 repeats one matrix.
inline void gemm_batch(CBLAS_TRANSPOSE ta, CBLAS_TRANSPOSE tb, MKL_INT m, MKL_INT n, MKL_INT k, const double* a,
                       MKL_INT lda, MKL_INT stride_a, const double* b, MKL_INT ldb, MKL_INT stride_b, double* c,
                       MKL_INT ldc, MKL_INT stride_c, MKL_INT batch) {
  cblas_dgemm_batch_strided(CblasRowMajor, ta, tb, m, n, k, 1.0, a, lda, stride_a, b, ldb, stride_b, 0.0, c, ldc,
                            stride_c, batch);
}
inline void gemm_batch(CBLAS_TRANSPOSE ta, CBLAS_TRANSPOSE tb, MKL_INT m, MKL_INT n, MKL_INT k, const float* a,
                       MKL_INT lda, MKL_INT stride_a, const float* b, MKL_INT ldb, MKL_INT stride_b, float* c,
                       MKL_INT ldc, MKL_INT stride_c, MKL_INT batch) {
  cblas_sgemm_batch_strided(CblasRowMajor, ta, tb, m, n, k, 1.0f, a, lda, stride_a, b, ldb, stride_b, 0.0f, c, ldc,
                            stride_c, batch);
}
inline void gemm_batch(CBLAS_TRANSPOSE ta, CBLAS_TRANSPOSE tb, MKL_INT m, MKL_INT n, MKL_INT k,
                       const std::complex<double>* a, MKL_INT lda, MKL_INT stride_a, const std::complex<double>* b,
                       MKL_INT ldb, MKL_INT stride_b, std::complex<double>* c, MKL_INT ldc, MKL_INT stride_c,
                       MKL_INT batch) {
  const std::complex<double> one(1), zero(0);
  cblas_zgemm_batch_strided(CblasRowMajor, ta, tb, m, n, k, &one, a, lda, stride_a, b, ldb, stride_b, &zero, c, ldc,
                            stride_c, batch);
}
inline void gemm_batch(CBLAS_TRANSPOSE ta, CBLAS_TRANSPOSE tb, MKL_INT m, MKL_INT n, MKL_INT k,
                       const std::complex<float>* a, MKL_INT lda, MKL_INT stride_a, const std::complex<float>* b,
                       MKL_INT ldb, MKL_INT stride_b, std::complex<float>* c, MKL_INT ldc, MKL_INT stride_c,
                       MKL_INT batch) {
  const std::complex<float> one(1), zero(0);
  cblas_cgemm_batch_strided(CblasRowMajor, ta, tb, m, n, k, &one, a, lda, stride_a, b, ldb, stride_b, &zero, c, ldc,
                            stride_c, batch);
}

inline double dot(MKL_INT n, const double* x, MKL_INT incx, const double* y, MKL_INT incy) {
  return cblas_ddot(n, x, incx, y, incy);
}
inline float dot(MKL_INT n, const float* x, MKL_INT incx, const float* y, MKL_INT incy) {
  return cblas_sdot(n, x, incx, y, incy);
}
// The unconjugated complex dot (?dotu): vdot conjugates its first operand in lib/.
inline std::complex<double> dot(MKL_INT n, const std::complex<double>* x, MKL_INT incx, const std::complex<double>* y,
                                MKL_INT incy) {
  std::complex<double> result;
  cblas_zdotu_sub(n, x, incx, y, incy, &result);
  return result;
}
inline std::complex<float> dot(MKL_INT n, const std::complex<float>* x, MKL_INT incx, const std::complex<float>* y,
                               MKL_INT incy) {
  std::complex<float> result;
  cblas_cdotu_sub(n, x, incx, y, incy, &result);
  return result;
}

// ---- QR

inline lapack_int geqrf(lapack_int m, lapack_int n, double* a, lapack_int lda, double* tau, double* work,
                        lapack_int lwork) {
  return LAPACKE_dgeqrf_work(kCol, m, n, a, lda, tau, work, lwork);
}
inline lapack_int geqrf(lapack_int m, lapack_int n, float* a, lapack_int lda, float* tau, float* work,
                        lapack_int lwork) {
  return LAPACKE_sgeqrf_work(kCol, m, n, a, lda, tau, work, lwork);
}
inline lapack_int geqrf(lapack_int m, lapack_int n, std::complex<double>* a, lapack_int lda, std::complex<double>* tau,
                        std::complex<double>* work, lapack_int lwork) {
  return LAPACKE_zgeqrf_work(kCol, m, n, a, lda, tau, work, lwork);
}
inline lapack_int geqrf(lapack_int m, lapack_int n, std::complex<float>* a, lapack_int lda, std::complex<float>* tau,
                        std::complex<float>* work, lapack_int lwork) {
  return LAPACKE_cgeqrf_work(kCol, m, n, a, lda, tau, work, lwork);
}

inline lapack_int orgqr(lapack_int m, lapack_int n, lapack_int k, double* a, lapack_int lda, const double* tau,
                        double* work, lapack_int lwork) {
  return LAPACKE_dorgqr_work(kCol, m, n, k, a, lda, tau, work, lwork);
}
inline lapack_int orgqr(lapack_int m, lapack_int n, lapack_int k, float* a, lapack_int lda, const float* tau,
                        float* work, lapack_int lwork) {
  return LAPACKE_sorgqr_work(kCol, m, n, k, a, lda, tau, work, lwork);
}
// Complex Q: ?ungqr, under orgqr's name so that one body serves every T.
inline lapack_int orgqr(lapack_int m, lapack_int n, lapack_int k, std::complex<double>* a, lapack_int lda,
                        const std::complex<double>* tau, std::complex<double>* work, lapack_int lwork) {
  return LAPACKE_zungqr_work(kCol, m, n, k, a, lda, tau, work, lwork);
}
inline lapack_int orgqr(lapack_int m, lapack_int n, lapack_int k, std::complex<float>* a, lapack_int lda,
                        const std::complex<float>* tau, std::complex<float>* work, lapack_int lwork) {
  return LAPACKE_cungqr_work(kCol, m, n, k, a, lda, tau, work, lwork);
}

// ---- LU

inline lapack_int getrf(lapack_int m, lapack_int n, double* a, lapack_int lda, lapack_int* ipiv) {
  return LAPACKE_dgetrf_work(kCol, m, n, a, lda, ipiv);
}
inline lapack_int getrf(lapack_int m, lapack_int n, float* a, lapack_int lda, lapack_int* ipiv) {
  return LAPACKE_sgetrf_work(kCol, m, n, a, lda, ipiv);
}
inline lapack_int getrf(lapack_int m, lapack_int n, std::complex<double>* a, lapack_int lda, lapack_int* ipiv) {
  return LAPACKE_zgetrf_work(kCol, m, n, a, lda, ipiv);
}
inline lapack_int getrf(lapack_int m, lapack_int n, std::complex<float>* a, lapack_int lda, lapack_int* ipiv) {
  return LAPACKE_cgetrf_work(kCol, m, n, a, lda, ipiv);
}

// LU of `batch` n×n column-major matrices, item i at a + i*n*n, pivots at
// ipiv + i*n, info per item (LAPACK's getrf info).
inline void getrf_batch(lapack_int n, double* a, lapack_int* ipiv, lapack_int batch, lapack_int* info) {
  const MKL_INT stride = n * n;
  dgetrf_batch_strided(&n, &n, a, &n, &stride, ipiv, &n, &batch, info);
}
inline void getrf_batch(lapack_int n, float* a, lapack_int* ipiv, lapack_int batch, lapack_int* info) {
  const MKL_INT stride = n * n;
  sgetrf_batch_strided(&n, &n, a, &n, &stride, ipiv, &n, &batch, info);
}
inline void getrf_batch(lapack_int n, std::complex<double>* a, lapack_int* ipiv, lapack_int batch, lapack_int* info) {
  const MKL_INT stride = n * n;
  zgetrf_batch_strided(&n, &n, a, &n, &stride, ipiv, &n, &batch, info);
}
inline void getrf_batch(lapack_int n, std::complex<float>* a, lapack_int* ipiv, lapack_int batch, lapack_int* info) {
  const MKL_INT stride = n * n;
  cgetrf_batch_strided(&n, &n, a, &n, &stride, ipiv, &n, &batch, info);
}

inline lapack_int getrs(char trans, lapack_int n, lapack_int nrhs, const double* a, lapack_int lda,
                        const lapack_int* ipiv, double* b, lapack_int ldb) {
  return LAPACKE_dgetrs_work(kCol, trans, n, nrhs, a, lda, ipiv, b, ldb);
}
inline lapack_int getrs(char trans, lapack_int n, lapack_int nrhs, const float* a, lapack_int lda,
                        const lapack_int* ipiv, float* b, lapack_int ldb) {
  return LAPACKE_sgetrs_work(kCol, trans, n, nrhs, a, lda, ipiv, b, ldb);
}
inline lapack_int getrs(char trans, lapack_int n, lapack_int nrhs, const std::complex<double>* a, lapack_int lda,
                        const lapack_int* ipiv, std::complex<double>* b, lapack_int ldb) {
  return LAPACKE_zgetrs_work(kCol, trans, n, nrhs, a, lda, ipiv, b, ldb);
}
inline lapack_int getrs(char trans, lapack_int n, lapack_int nrhs, const std::complex<float>* a, lapack_int lda,
                        const lapack_int* ipiv, std::complex<float>* b, lapack_int ldb) {
  return LAPACKE_cgetrs_work(kCol, trans, n, nrhs, a, lda, ipiv, b, ldb);
}

inline lapack_int getri(lapack_int n, double* a, lapack_int lda, const lapack_int* ipiv, double* work,
                        lapack_int lwork) {
  return LAPACKE_dgetri_work(kCol, n, a, lda, ipiv, work, lwork);
}
inline lapack_int getri(lapack_int n, float* a, lapack_int lda, const lapack_int* ipiv, float* work, lapack_int lwork) {
  return LAPACKE_sgetri_work(kCol, n, a, lda, ipiv, work, lwork);
}
inline lapack_int getri(lapack_int n, std::complex<double>* a, lapack_int lda, const lapack_int* ipiv,
                        std::complex<double>* work, lapack_int lwork) {
  return LAPACKE_zgetri_work(kCol, n, a, lda, ipiv, work, lwork);
}
inline lapack_int getri(lapack_int n, std::complex<float>* a, lapack_int lda, const lapack_int* ipiv,
                        std::complex<float>* work, lapack_int lwork) {
  return LAPACKE_cgetri_work(kCol, n, a, lda, ipiv, work, lwork);
}

// ---- Symmetric indefinite and positive definite (complex: ?sysv complex
// symmetric, as scipy's assume_a 'sym'; ?potrf/?posv/?potrs Hermitian)

inline lapack_int sysv(char uplo, lapack_int n, lapack_int nrhs, double* a, lapack_int lda, lapack_int* ipiv, double* b,
                       lapack_int ldb, double* work, lapack_int lwork) {
  return LAPACKE_dsysv_work(kCol, uplo, n, nrhs, a, lda, ipiv, b, ldb, work, lwork);
}
inline lapack_int sysv(char uplo, lapack_int n, lapack_int nrhs, float* a, lapack_int lda, lapack_int* ipiv, float* b,
                       lapack_int ldb, float* work, lapack_int lwork) {
  return LAPACKE_ssysv_work(kCol, uplo, n, nrhs, a, lda, ipiv, b, ldb, work, lwork);
}
inline lapack_int sysv(char uplo, lapack_int n, lapack_int nrhs, std::complex<double>* a, lapack_int lda,
                       lapack_int* ipiv, std::complex<double>* b, lapack_int ldb, std::complex<double>* work,
                       lapack_int lwork) {
  return LAPACKE_zsysv_work(kCol, uplo, n, nrhs, a, lda, ipiv, b, ldb, work, lwork);
}
inline lapack_int sysv(char uplo, lapack_int n, lapack_int nrhs, std::complex<float>* a, lapack_int lda,
                       lapack_int* ipiv, std::complex<float>* b, lapack_int ldb, std::complex<float>* work,
                       lapack_int lwork) {
  return LAPACKE_csysv_work(kCol, uplo, n, nrhs, a, lda, ipiv, b, ldb, work, lwork);
}

inline lapack_int potrf(char uplo, lapack_int n, double* a, lapack_int lda) {
  return LAPACKE_dpotrf_work(kCol, uplo, n, a, lda);
}
inline lapack_int potrf(char uplo, lapack_int n, float* a, lapack_int lda) {
  return LAPACKE_spotrf_work(kCol, uplo, n, a, lda);
}
inline lapack_int potrf(char uplo, lapack_int n, std::complex<double>* a, lapack_int lda) {
  return LAPACKE_zpotrf_work(kCol, uplo, n, a, lda);
}
inline lapack_int potrf(char uplo, lapack_int n, std::complex<float>* a, lapack_int lda) {
  return LAPACKE_cpotrf_work(kCol, uplo, n, a, lda);
}

inline lapack_int posv(char uplo, lapack_int n, lapack_int nrhs, double* a, lapack_int lda, double* b, lapack_int ldb) {
  return LAPACKE_dposv_work(kCol, uplo, n, nrhs, a, lda, b, ldb);
}
inline lapack_int posv(char uplo, lapack_int n, lapack_int nrhs, float* a, lapack_int lda, float* b, lapack_int ldb) {
  return LAPACKE_sposv_work(kCol, uplo, n, nrhs, a, lda, b, ldb);
}
inline lapack_int posv(char uplo, lapack_int n, lapack_int nrhs, std::complex<double>* a, lapack_int lda,
                       std::complex<double>* b, lapack_int ldb) {
  return LAPACKE_zposv_work(kCol, uplo, n, nrhs, a, lda, b, ldb);
}
inline lapack_int posv(char uplo, lapack_int n, lapack_int nrhs, std::complex<float>* a, lapack_int lda,
                       std::complex<float>* b, lapack_int ldb) {
  return LAPACKE_cposv_work(kCol, uplo, n, nrhs, a, lda, b, ldb);
}

inline lapack_int potrs(char uplo, lapack_int n, lapack_int nrhs, const double* a, lapack_int lda, double* b,
                        lapack_int ldb) {
  return LAPACKE_dpotrs_work(kCol, uplo, n, nrhs, a, lda, b, ldb);
}
inline lapack_int potrs(char uplo, lapack_int n, lapack_int nrhs, const float* a, lapack_int lda, float* b,
                        lapack_int ldb) {
  return LAPACKE_spotrs_work(kCol, uplo, n, nrhs, a, lda, b, ldb);
}
inline lapack_int potrs(char uplo, lapack_int n, lapack_int nrhs, const std::complex<double>* a, lapack_int lda,
                        std::complex<double>* b, lapack_int ldb) {
  return LAPACKE_zpotrs_work(kCol, uplo, n, nrhs, a, lda, b, ldb);
}
inline lapack_int potrs(char uplo, lapack_int n, lapack_int nrhs, const std::complex<float>* a, lapack_int lda,
                        std::complex<float>* b, lapack_int ldb) {
  return LAPACKE_cpotrs_work(kCol, uplo, n, nrhs, a, lda, b, ldb);
}

// ---- SVD, eigenproblems, least squares

inline lapack_int gesdd(char jobz, lapack_int m, lapack_int n, double* a, lapack_int lda, double* s, double* u,
                        lapack_int ldu, double* vt, lapack_int ldvt, double* work, lapack_int lwork,
                        lapack_int* iwork) {
  return LAPACKE_dgesdd_work(kCol, jobz, m, n, a, lda, s, u, ldu, vt, ldvt, work, lwork, iwork);
}
inline lapack_int gesdd(char jobz, lapack_int m, lapack_int n, float* a, lapack_int lda, float* s, float* u,
                        lapack_int ldu, float* vt, lapack_int ldvt, float* work, lapack_int lwork, lapack_int* iwork) {
  return LAPACKE_sgesdd_work(kCol, jobz, m, n, a, lda, s, u, ldu, vt, ldvt, work, lwork, iwork);
}

inline lapack_int geev(char jobvr, lapack_int n, double* a, lapack_int lda, double* wr, double* wi, double* vr,
                       lapack_int ldvr, double* work, lapack_int lwork) {
  return LAPACKE_dgeev_work(kCol, 'N', jobvr, n, a, lda, wr, wi, nullptr, 1, vr, ldvr, work, lwork);
}
inline lapack_int geev(char jobvr, lapack_int n, float* a, lapack_int lda, float* wr, float* wi, float* vr,
                       lapack_int ldvr, float* work, lapack_int lwork) {
  return LAPACKE_sgeev_work(kCol, 'N', jobvr, n, a, lda, wr, wi, nullptr, 1, vr, ldvr, work, lwork);
}

inline lapack_int syevd(char jobz, char uplo, lapack_int n, double* a, lapack_int lda, double* w, double* work,
                        lapack_int lwork, lapack_int* iwork, lapack_int liwork) {
  return LAPACKE_dsyevd_work(kCol, jobz, uplo, n, a, lda, w, work, lwork, iwork, liwork);
}
inline lapack_int syevd(char jobz, char uplo, lapack_int n, float* a, lapack_int lda, float* w, float* work,
                        lapack_int lwork, lapack_int* iwork, lapack_int liwork) {
  return LAPACKE_ssyevd_work(kCol, jobz, uplo, n, a, lda, w, work, lwork, iwork, liwork);
}

inline lapack_int gelsd(lapack_int m, lapack_int n, lapack_int nrhs, double* a, lapack_int lda, double* b,
                        lapack_int ldb, double* s, double rcond, lapack_int* rank, double* work, lapack_int lwork,
                        lapack_int* iwork) {
  return LAPACKE_dgelsd_work(kCol, m, n, nrhs, a, lda, b, ldb, s, rcond, rank, work, lwork, iwork);
}
inline lapack_int gelsd(lapack_int m, lapack_int n, lapack_int nrhs, float* a, lapack_int lda, float* b, lapack_int ldb,
                        float* s, float rcond, lapack_int* rank, float* work, lapack_int lwork, lapack_int* iwork) {
  return LAPACKE_sgelsd_work(kCol, m, n, nrhs, a, lda, b, ldb, s, rcond, rank, work, lwork, iwork);
}

// The complex routines: ?gesdd, ?geev and ?gelsd take a real workspace
// (rwork) beside the complex one; Hermitian eigenproblems are ?heevd, with
// real eigenvalues.
using C128 = std::complex<double>;
using C64 = std::complex<float>;

// Rows of gesdd's real workspace for a complex m×n matrix (LAPACK's LRWORK).
inline int64_t GesddRwork(char jobz, int64_t m, int64_t n) {
  const int64_t mn = std::min(m, n), mx = std::max(m, n);
  if (jobz == 'N') return std::max<int64_t>(1, 7 * mn);
  return std::max<int64_t>(1, std::max(5 * mn * mn + 7 * mn, 2 * mx * mn + 2 * mn * mn + mn));
}

inline lapack_int gesdd(char jobz, lapack_int m, lapack_int n, C128* a, lapack_int lda, double* s, C128* u,
                        lapack_int ldu, C128* vt, lapack_int ldvt, C128* work, lapack_int lwork, double* rwork,
                        lapack_int* iwork) {
  return LAPACKE_zgesdd_work(kCol, jobz, m, n, a, lda, s, u, ldu, vt, ldvt, work, lwork, rwork, iwork);
}
inline lapack_int gesdd(char jobz, lapack_int m, lapack_int n, C64* a, lapack_int lda, float* s, C64* u, lapack_int ldu,
                        C64* vt, lapack_int ldvt, C64* work, lapack_int lwork, float* rwork, lapack_int* iwork) {
  return LAPACKE_cgesdd_work(kCol, jobz, m, n, a, lda, s, u, ldu, vt, ldvt, work, lwork, rwork, iwork);
}

// Complex geev: eigenvalues w directly (no real pairs); rwork has 2n.
inline lapack_int geev(char jobvr, lapack_int n, C128* a, lapack_int lda, C128* w, C128* vr, lapack_int ldvr,
                       C128* work, lapack_int lwork, double* rwork) {
  return LAPACKE_zgeev_work(kCol, 'N', jobvr, n, a, lda, w, nullptr, 1, vr, ldvr, work, lwork, rwork);
}
inline lapack_int geev(char jobvr, lapack_int n, C64* a, lapack_int lda, C64* w, C64* vr, lapack_int ldvr, C64* work,
                       lapack_int lwork, float* rwork) {
  return LAPACKE_cgeev_work(kCol, 'N', jobvr, n, a, lda, w, nullptr, 1, vr, ldvr, work, lwork, rwork);
}

inline lapack_int heevd(char jobz, char uplo, lapack_int n, C128* a, lapack_int lda, double* w, C128* work,
                        lapack_int lwork, double* rwork, lapack_int lrwork, lapack_int* iwork, lapack_int liwork) {
  return LAPACKE_zheevd_work(kCol, jobz, uplo, n, a, lda, w, work, lwork, rwork, lrwork, iwork, liwork);
}
inline lapack_int heevd(char jobz, char uplo, lapack_int n, C64* a, lapack_int lda, float* w, C64* work,
                        lapack_int lwork, float* rwork, lapack_int lrwork, lapack_int* iwork, lapack_int liwork) {
  return LAPACKE_cheevd_work(kCol, jobz, uplo, n, a, lda, w, work, lwork, rwork, lrwork, iwork, liwork);
}

inline lapack_int gelsd(lapack_int m, lapack_int n, lapack_int nrhs, C128* a, lapack_int lda, C128* b, lapack_int ldb,
                        double* s, double rcond, lapack_int* rank, C128* work, lapack_int lwork, double* rwork,
                        lapack_int* iwork) {
  return LAPACKE_zgelsd_work(kCol, m, n, nrhs, a, lda, b, ldb, s, rcond, rank, work, lwork, rwork, iwork);
}
inline lapack_int gelsd(lapack_int m, lapack_int n, lapack_int nrhs, C64* a, lapack_int lda, C64* b, lapack_int ldb,
                        float* s, float rcond, lapack_int* rank, C64* work, lapack_int lwork, float* rwork,
                        lapack_int* iwork) {
  return LAPACKE_cgelsd_work(kCol, m, n, nrhs, a, lda, b, ldb, s, rcond, rank, work, lwork, rwork, iwork);
}

// ---- The failures numpy reports, with numpy's messages

inline const LinAlgFailure kSingular{"ERR_SINGULAR", "Singular matrix"};
inline const LinAlgFailure kNotPositiveDefinite{"ERR_NOT_POSITIVE_DEFINITE", "Matrix is not positive definite"};
[[noreturn]] inline void Singular() { throw kSingular; }
[[noreturn]] inline void NotPositiveDefinite() {
  throw LinAlgFailure{"ERR_NOT_POSITIVE_DEFINITE", "Matrix is not positive definite"};
}
[[noreturn]] inline void NoConvergence(const char* message) { throw LinAlgFailure{"ERR_NO_CONVERGENCE", message}; }
[[noreturn]] inline void NonFinite() { throw LinAlgFailure{"ERR_NONFINITE", "Array must not contain infs or NaNs"}; }

// ---- gesdd with its workspaces (the SVD, pinv and lstsq's singular values)

// gesdd on one column-major m×n matrix (destroyed), for every T. jobz 'A':
// u m×m, vt n×n; 'S': u m×k, vt k×n; 'N': singular values only (u and vt
// unused). Failure to converge is numpy's "SVD did not converge", or
// `failure` where the caller's numpy function says otherwise.
template <class T>
void Gesdd(char jobz, int64_t m, int64_t n, T* a, Real<T>* s, T* u, T* vt,
           const char* failure = "SVD did not converge") {
  const int64_t k = std::min(m, n);
  const int64_t vt_rows = jobz == 'A' ? n : k;
  Buffer<lapack_int> iwork(8 * std::max<int64_t>(k, 1));
  Buffer<Real<T>> rwork(IsComplexV<T> ? GesddRwork(jobz, m, n) : 1);
  auto call = [&](T* work, lapack_int lwork) {
    if constexpr (IsComplexV<T>) {
      return gesdd(jobz, m, n, a, Ld(m), s, u, Ld(m), vt, Ld(vt_rows), work, lwork, rwork.data(), iwork.data());
    } else {
      return gesdd(jobz, m, n, a, Ld(m), s, u, Ld(m), vt, Ld(vt_rows), work, lwork, iwork.data());
    }
  };
  T query{};
  CheckArguments("gesdd", call(&query, -1));
  Buffer<T> work(QueriedSize(query));
  const lapack_int info = call(work.data(), static_cast<lapack_int>(work.size()));
  CheckArguments("gesdd", info);
  if (info > 0) NoConvergence(failure);
}

}  // namespace weft::lapack
