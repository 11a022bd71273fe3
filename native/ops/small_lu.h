// LU with partial pivoting for small square matrices, in weft's own loops.
//
// For n up to kSmallLu an MKL getrf/getri/getrs call costs more than its
// arithmetic (measured on a 2-vCPU Xeon, TBB layer: ~0.6 µs per 8×8 getrf
// called from an arena task, against ~0.1 µs for these loops), and a stack
// of 20000 such matrices is nothing but calls. These follow LAPACK's
// unblocked dgetf2 and dtrsm step for step: the pivot is the first entry of
// largest magnitude in its column, the column below it is scaled by its
// reciprocal (divided when tiny), an exact zero pivot is reported as
// LAPACK's info and the factorisation goes on; substitution divides by U's
// diagonal. Each item's arithmetic depends only on that item, so results do
// not depend on blocking, threads or sync/async. A single tiny matrix
// (tiny.cc, and its JS mirror lib/internal/tiny.ts: change all three or none)
// gets these same steps, so it matches the same matrix in a stack. Callers send only finite
// items here: with NaN or ±Infinity, which entry wins a pivot search is
// implementation-defined, and those items keep MKL's (numpy-matching) path.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <utility>

namespace weft::small {

// Largest n factored here (det, slogdet, inv, solve); larger goes to MKL.
constexpr int64_t kSmallLu = 16;

// Factors the row-major n×n `a` in place as P·A = L·U (L unit lower, below
// the diagonal; U on and above it). piv[k] is the row swapped with row k at
// step k (0-based). Returns 0, or k + 1 for the first exactly zero pivot
// U[k][k] (LAPACK's info).
template <class T>
int64_t Lu(T* a, int64_t n, int64_t* piv) {
  const T tiny = std::numeric_limits<T>::min();  // LAPACK's sfmin
  int64_t info = 0;
  for (int64_t k = 0; k < n; ++k) {
    int64_t p = k;
    T best = std::abs(a[k * n + k]);
    for (int64_t r = k + 1; r < n; ++r) {
      const T v = std::abs(a[r * n + k]);
      if (v > best) {
        best = v;
        p = r;
      }
    }
    piv[k] = p;
    T* row_k = a + k * n;
    if (a[p * n + k] != T(0)) {
      if (p != k) std::swap_ranges(row_k, row_k + n, a + p * n);
      const T pivot = row_k[k];
      if (std::abs(pivot) >= tiny) {
        const T scale = T(1) / pivot;
        for (int64_t r = k + 1; r < n; ++r) a[r * n + k] *= scale;
      } else {
        for (int64_t r = k + 1; r < n; ++r) a[r * n + k] /= pivot;
      }
    } else if (info == 0) {
      info = k + 1;
    }
    for (int64_t r = k + 1; r < n; ++r) {
      T* row = a + r * n;
      const T l = row[k];
      for (int64_t c = k + 1; c < n; ++c) row[c] -= l * row_k[c];
    }
  }
  return info;
}

// Solves A·x = b in place for `k` right-hand sides with the factors of Lu
// (no zero pivot). b is n×k, element (r, c) at b[r * row + c * col].
template <class T>
void LuSolve(const T* lu, const int64_t* piv, int64_t n, T* b, int64_t k, int64_t row, int64_t col) {
  for (int64_t c = 0; c < k; ++c) {
    T* x = b + c * col;
    for (int64_t i = 0; i < n; ++i) {
      if (piv[i] != i) std::swap(x[i * row], x[piv[i] * row]);
    }
    for (int64_t i = 0; i < n; ++i) {  // L, unit diagonal
      const T xi = x[i * row];
      if (xi == T(0)) continue;
      for (int64_t r = i + 1; r < n; ++r) x[r * row] -= xi * lu[r * n + i];
    }
    for (int64_t i = n - 1; i >= 0; --i) {  // U
      if (x[i * row] == T(0)) continue;
      x[i * row] /= lu[i * n + i];
      const T xi = x[i * row];
      for (int64_t r = 0; r < i; ++r) x[r * row] -= xi * lu[r * n + i];
    }
  }
}

}  // namespace weft::small
