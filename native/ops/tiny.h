// Tiny kernels: matmul, solve, inv and det of a single small matrix (no
// stack), the C++ twins of lib/internal/tiny.ts. A sync call of such a size
// runs the JS kernel without a native call; an async call (or a Pool item)
// reaches the binding, which hands it to the job made here instead of
// MKL's. Both are the same operations in the same order, and this file is
// compiled without FMA contraction (binding.gyp: -ffp-contract=off, and the
// pragma below), so sync and async results are bit-for-bit equal. The
// limits are codes.h's kTiny* (LIMITS in lib/internal/codes.ts).
#pragma once

#include <algorithm>
#include <cstdint>
#include <memory>

#include "../job.h"
#include "../view.h"

namespace weft::ops::tiny {

// The tiny product c = a·b (m×k times k×n, c row-major m×n): each element
// the sum over k in order, starting from the first product, rounded step by
// step (this header is compiled without FMA contraction: binding.gyp), as
// lib/internal/tiny.ts's matmulJs. a(i, p) is a[i·a_row + p·a_col], b(p, j)
// b[p·b_row + j·b_col]. The loop runs over j innermost (vectorised), which
// rounds each element exactly as the sum over p does. Used for a single
// tiny product (MatmulJob in tiny.cc) and for every item of a stack of
// tiny products (products.cc), so both give the same bits.
// A row of c in registers, for b's rows contiguous and n = N (unrolled).
template <int N, class T>
void ProductRows(const T* a, int64_t a_row, int64_t a_col, const T* b, int64_t b_row, int64_t m, int64_t k, T* c) {
  for (int64_t i = 0; i < m; ++i) {
    T row[N];
    const T first = a[i * a_row];
    for (int j = 0; j < N; ++j) row[j] = first * b[j];
    for (int64_t p = 1; p < k; ++p) {
      const T aip = a[i * a_row + p * a_col];
      const T* bp = b + p * b_row;
      for (int j = 0; j < N; ++j) row[j] = row[j] + aip * bp[j];
    }
    std::copy_n(row, N, c + i * N);
  }
}

template <class T>
void Product(const T* a, int64_t a_row, int64_t a_col, const T* b, int64_t b_row, int64_t b_col, int64_t m, int64_t k,
             int64_t n, T* c) {
  if (b_col == 1) {
    switch (n) {
      case 1:
        return ProductRows<1>(a, a_row, a_col, b, b_row, m, k, c);
      case 2:
        return ProductRows<2>(a, a_row, a_col, b, b_row, m, k, c);
      case 3:
        return ProductRows<3>(a, a_row, a_col, b, b_row, m, k, c);
      case 4:
        return ProductRows<4>(a, a_row, a_col, b, b_row, m, k, c);
      case 5:
        return ProductRows<5>(a, a_row, a_col, b, b_row, m, k, c);
      case 6:
        return ProductRows<6>(a, a_row, a_col, b, b_row, m, k, c);
      case 7:
        return ProductRows<7>(a, a_row, a_col, b, b_row, m, k, c);
      case 8:
        return ProductRows<8>(a, a_row, a_col, b, b_row, m, k, c);
      default:
        break;
    }
  }
  for (int64_t i = 0; i < m; ++i) {
    T* ci = c + i * n;
    const T first = a[i * a_row];
    for (int64_t j = 0; j < n; ++j) ci[j] = first * b[j * b_col];
    for (int64_t p = 1; p < k; ++p) {
      const T aip = a[i * a_row + p * a_col];
      const T* bp = b + p * b_row;
      for (int64_t j = 0; j < n; ++j) ci[j] = ci[j] + aip * bp[j * b_col];
    }
  }
}

// The job for a tiny matmul of 2-D a [m, k] and b [k, n], else nullptr.
std::unique_ptr<Job> Matmul(const View& a, const View& b);
// The job for a tiny solve (assumeA 'gen') of 2-D a [n, n] and b [n, k], else
// nullptr (also when a holds NaN or ±Infinity: the native path has numpy's
// rules there).
std::unique_ptr<Job> Solve(const View& a, const View& b);
// The job for a tiny inv, else nullptr (as Solve).
std::unique_ptr<Job> Inv(const View& a, bool nan_on_singular);
// The job for a tiny det, else nullptr (as Solve; also when the product of
// U's diagonal overflows or underflows to 0, which the native path's
// sign · exp(Σ log|uᵢᵢ|) does not).
std::unique_ptr<Job> Det(const View& a);

}  // namespace weft::ops::tiny
