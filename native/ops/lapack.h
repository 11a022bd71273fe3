// Typed overloads over the LAPACK routines weft calls (float and double share
// one template body in the ops), and the workspace-query idiom around them.
//
// Always the column-major LAPACKE *_work entry points: they pass straight to
// LAPACK without the transposed scratch copies LAPACK_ROW_MAJOR makes, and
// without the NaN scan the high-level LAPACKE wrappers run (numpy lets NaN
// through to LAPACK for these routines; so does weft).
#pragma once

#include <mkl.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "../array.h"
#include "../common.h"

namespace weft::lapack {

// A negative info means weft passed an illegal argument: a weft bug.
inline void CheckArguments(const char* routine, lapack_int info) {
  if (info == LAPACK_WORK_MEMORY_ERROR || info == LAPACK_TRANSPOSE_MEMORY_ERROR) throw std::bad_alloc();
  if (info < 0) {
    throw InternalFailure(std::string("LAPACK ") + routine + " rejected argument " + std::to_string(-info) +
                          " (info = " + std::to_string(info) + ")");
  }
}

// Runs `call(work, lwork)` twice: once to ask for the optimal workspace size,
// once with a workspace of that size. Returns the second call's info (>= 0).
template <class T, class Call>
lapack_int WithWorkspace(const char* routine, Call call) {
  T query{};
  CheckArguments(routine, call(&query, -1));
  const lapack_int lwork = std::max<lapack_int>(1, static_cast<lapack_int>(std::ceil(static_cast<double>(query))));
  Buffer<T> work(lwork);
  const lapack_int info = call(work.data(), lwork);
  CheckArguments(routine, info);
  return info;
}

inline lapack_int geqrf(lapack_int m, lapack_int n, double* a, lapack_int lda, double* tau, double* work,
                        lapack_int lwork) {
  return LAPACKE_dgeqrf_work(LAPACK_COL_MAJOR, m, n, a, lda, tau, work, lwork);
}
inline lapack_int geqrf(lapack_int m, lapack_int n, float* a, lapack_int lda, float* tau, float* work,
                        lapack_int lwork) {
  return LAPACKE_sgeqrf_work(LAPACK_COL_MAJOR, m, n, a, lda, tau, work, lwork);
}

inline lapack_int orgqr(lapack_int m, lapack_int n, lapack_int k, double* a, lapack_int lda, const double* tau,
                        double* work, lapack_int lwork) {
  return LAPACKE_dorgqr_work(LAPACK_COL_MAJOR, m, n, k, a, lda, tau, work, lwork);
}
inline lapack_int orgqr(lapack_int m, lapack_int n, lapack_int k, float* a, lapack_int lda, const float* tau,
                        float* work, lapack_int lwork) {
  return LAPACKE_sorgqr_work(LAPACK_COL_MAJOR, m, n, k, a, lda, tau, work, lwork);
}

}  // namespace weft::lapack
