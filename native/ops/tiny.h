// Tiny kernels: matmul, solve, inv and det of a single small matrix (no
// stack), the C++ twins of lib/internal/tiny.ts. A sync call of such a size
// runs the JS kernel without a native call; an async call (or a Pool item)
// reaches the binding, which hands it to the job made here instead of
// MKL's. Both are the same operations in the same order, and this file is
// compiled without FMA contraction (binding.gyp: -ffp-contract=off, and the
// pragma below), so sync and async results are bit-for-bit equal. The
// limits are codes.h's kTiny* (LIMITS in lib/internal/codes.ts).
#pragma once

#include <memory>

#include "../job.h"
#include "../view.h"

namespace weft::ops::tiny {

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
