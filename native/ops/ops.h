// The op bindings the addon exports, one family per file. Each reads all its
// arguments through one CallArgs (call_args.h), re-checks what it will touch,
// builds a Job and hands it to Dispatch (sync or async, job.h). Every
// binding's first four arguments are the call context, `...call` below:
// async, cancel token, pool, threads. Its operands and parameters follow.
#pragma once

#include <napi.h>

namespace weft::ops {

// products.cc
Napi::Value Matmul(const Napi::CallbackInfo& info);    // (...call, a, b)
Napi::Value Contract(const Napi::CallbackInfo& info);  // (...call, a, b, ka, kb, fn: the public name, for messages)
Napi::Value Cross(const Napi::CallbackInfo& info);     // (...call, a, b): [..., 3] each, batch axes broadcast

// factor.cc
Napi::Value Qr(const Napi::CallbackInfo& info);        // (...call, a, mode: 0 reduced, 1 complete, 2 r, 3 raw)
Napi::Value Lu(const Napi::CallbackInfo& info);        // (...call, a, mode: 0 P/L/U, 1 lu + piv)
Napi::Value Cholesky(const Napi::CallbackInfo& info);  // (...call, a, upper, zeroOther)
Napi::Value Inv(const Napi::CallbackInfo& info);       // (...call, a, nanOnSingular)
Napi::Value Det(const Napi::CallbackInfo& info);       // (...call, a, log)

// solve.cc
Napi::Value Solve(const Napi::CallbackInfo& info);     // (...call, a, b, assume: 0 gen, 1 sym, 2 pos, lower)
Napi::Value LuSolve(const Napi::CallbackInfo& info);   // (...call, lu, piv, b, trans)
Napi::Value ChoSolve(const Napi::CallbackInfo& info);  // (...call, c, b, lower)
Napi::Value Lstsq(const Napi::CallbackInfo& info);     // (...call, a, b, rcond): a m×n, b m×k, both 2-D

// spectral.cc
Napi::Value Svd(const Napi::CallbackInfo& info);   // (...call, a, mode: 0 full, 1 reduced, 2 values)
Napi::Value Eig(const Napi::CallbackInfo& info);   // (...call, a, vectors)
Napi::Value Eigh(const Napi::CallbackInfo& info);  // (...call, a, lower, vectors)
Napi::Value Pinv(const Napi::CallbackInfo& info);  // (...call, a, rcond, hermitian)

// reduce.cc
Napi::Value Reduction(const Napi::CallbackInfo& info);  // (...call, x, axes: x's last `axes` reduced, kind, p)

// statistics.cc
Napi::Value Statistics(const Napi::CallbackInfo& info);  // (...call, x, mask: bit d set reduces axis d, kind, ddof)

// search.cc
Napi::Value ArgExtreme(
    const Napi::CallbackInfo& info);  // (...call, x, axis, largest): argmax (largest) or argmin, int32
// elementwise.cc: every operand already broadcast (by lib/) to the result's shape
Napi::Value Elementwise(const Napi::CallbackInfo& info);  // (...call, x1, x2, op: codes::Binary)
Napi::Value UnaryMath(const Napi::CallbackInfo& info);    // (...call, x, op: codes::Unary, decimals: round's)
Napi::Value Clip(const Napi::CallbackInfo& info);         // (...call, a, aMin, aMax)
Napi::Value Select(const Napi::CallbackInfo& info);       // (...call, condition: Uint8Array, x, y)

// random.cc
Napi::Value Random(const Napi::CallbackInfo& info);  // (...call, kind, count, seed, f64, a, b)

}  // namespace weft::ops
