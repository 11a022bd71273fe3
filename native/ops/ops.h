// The op bindings the addon exports, one family per file. Each reads its
// operands through GeometryReader, re-checks what it will touch, builds a Job
// and hands it to Dispatch (sync or async). Every binding's last two
// arguments are `async` and an optional cancel token (see job.h).
#pragma once

#include <napi.h>

namespace weft::ops {

// products.cc
Napi::Value Matmul(const Napi::CallbackInfo& info);    // (a, b)
Napi::Value Contract(const Napi::CallbackInfo& info);  // (a, b, ka, kb)

// factor.cc
Napi::Value Qr(const Napi::CallbackInfo& info);        // (a, mode: 0 reduced, 1 complete, 2 r, 3 raw)
Napi::Value Lu(const Napi::CallbackInfo& info);        // (a, mode: 0 P/L/U, 1 lu + piv)
Napi::Value Cholesky(const Napi::CallbackInfo& info);  // (a, upper, zeroOther)
Napi::Value Inv(const Napi::CallbackInfo& info);       // (a, nanOnSingular)
Napi::Value Det(const Napi::CallbackInfo& info);       // (a, log)

// solve.cc
Napi::Value Solve(const Napi::CallbackInfo& info);     // (a, b, assume: 0 gen, 1 sym, 2 pos, lower)
Napi::Value LuSolve(const Napi::CallbackInfo& info);   // (lu, piv, b, trans)
Napi::Value ChoSolve(const Napi::CallbackInfo& info);  // (c, b, lower)
Napi::Value Lstsq(const Napi::CallbackInfo& info);     // (a, b, rcond)

// spectral.cc
Napi::Value Svd(const Napi::CallbackInfo& info);   // (a, mode: 0 full, 1 reduced, 2 values)
Napi::Value Eig(const Napi::CallbackInfo& info);   // (a, vectors)
Napi::Value Eigh(const Napi::CallbackInfo& info);  // (a, lower, vectors)
Napi::Value Pinv(const Napi::CallbackInfo& info);  // (a, rcond, hermitian)

// reduce.cc
Napi::Value Reduction(const Napi::CallbackInfo& info);  // (x, axes, kind, p)

// random.cc
Napi::Value Random(const Napi::CallbackInfo& info);  // (kind, count, seed, f64, a, b)

}  // namespace weft::ops
