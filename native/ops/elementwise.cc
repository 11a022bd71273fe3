// Elementwise kernels over broadcast, strided operands: numpy's binary
// ufuncs (add ... arctan2), its unary math (the transcendental functions on
// oneMKL's Vector Mathematics in high-accuracy mode), clip, and where's
// select.
//
// lib/ broadcasts the operands to the result's shape (stride 0 along the
// axes it repeats them), so every operand arrives with the result's shape.
// Here the axes that all operands step through as one are merged (a
// contiguous array becomes one axis), the result's elements are walked as
// runs along the last merged axis, and large results spread their element
// ranges over the arena. The loop over one run has fast paths for unit and
// zero strides, which the compiler vectorises.
//
// VM's mode is set per call (the vm* functions' mode argument: high
// accuracy, denormals kept, errors ignored), never globally: other code in
// the process may rely on VM's global state.
#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>

#include "../buffer.h"
#include "../call_args.h"
#include "../codes.h"
#include "../job.h"
#include "../mkl_include.h"
#include "../scheduler.h"
#include "../view.h"
#include "ops.h"

namespace weft::ops {
namespace {

using codes::Binary;
using codes::Unary;

constexpr MKL_INT64 kVmMode = VML_HA | VML_FTZDAZ_OFF | VML_ERRMODE_IGNORE;
constexpr int kMaxOperands = 3;
// Runs never exceed this, so a run's length fits VM's 32-bit MKL_INT.
constexpr int64_t kMaxRun = int64_t{1} << 30;
// Elements per parallel task: memory-bound loops need long ranges to pay
// for a task; a transcendental function costs ~10-40 ns per element, so
// shorter ones pay. (Measured on the 2-vCPU Intel Xeon: add of 1e5 doubles runs
// on one thread as fast as on two; exp of 1e4 gains from two.)
constexpr int64_t kCheapGrain = int64_t{1} << 16;
constexpr int64_t kCostlyGrain = int64_t{1} << 12;

// The result's shape, and each operand's element offset and strides (0
// where broadcast), with size-1 axes dropped and axes merged where every
// operand steps through them as one.
struct Layout {
  int ndim = 0;
  int operands = 0;
  int64_t size = 1;
  int64_t shape[kMaxDims] = {};
  int64_t origin[kMaxOperands] = {};
  int64_t strides[kMaxOperands][kMaxDims] = {};
  const void* data[kMaxOperands] = {};

  // Operand k's stride along the last merged axis (0 for a 0-d result).
  int64_t inner(int k) const { return ndim == 0 ? 0 : strides[k][ndim - 1]; }
};

// `views` must all have the same shape (the binding checks).
Layout MakeLayout(const View* const* views, int count) {
  Layout l;
  l.operands = count;
  const View& first = *views[0];
  for (int k = 0; k < count; ++k) {
    l.origin[k] = views[k]->offset;
    l.data[k] = views[k]->data;
  }
  for (int d = 0; d < first.ndim; ++d) l.size *= first.shape[d];
  if (l.size == 0) return l;  // nothing to index: an empty view's strides are unchecked (no products of them)
  for (int d = 0; d < first.ndim; ++d) {
    const int64_t n = first.shape[d];
    if (n == 1) continue;
    bool merge = l.ndim > 0;
    for (int k = 0; k < count && merge; ++k) merge = l.strides[k][l.ndim - 1] == views[k]->strides[d] * n;
    if (!merge) l.shape[l.ndim++] = 1;
    l.shape[l.ndim - 1] *= n;
    for (int k = 0; k < count; ++k) l.strides[k][l.ndim - 1] = views[k]->strides[d];
  }
  return l;
}

// Calls body(k, at, n) for each run of n consecutive result elements among
// [begin, end): k is the run's first index in the result, at[i] operand i's
// element offset there; along the run operand i steps by l.inner(i).
template <class Body>
void ForEachRun(const Layout& l, int64_t begin, int64_t end, Body&& body) {
  if (begin >= end) return;  // also: an empty result has axes of 0, which index nothing
  int64_t at[kMaxOperands] = {};
  for (int k = 0; k < l.operands; ++k) at[k] = l.origin[k];
  if (l.ndim == 0) {
    body(begin, at, int64_t{1});
    return;
  }
  const int last = l.ndim - 1;
  int64_t index[kMaxDims];
  for (int64_t d = last, rest = begin; d >= 0; --d) {
    index[d] = rest % l.shape[d];
    rest /= l.shape[d];
    for (int k = 0; k < l.operands; ++k) at[k] += index[d] * l.strides[k][d];
  }
  for (int64_t k = begin; k < end;) {
    const int64_t n = std::min({l.shape[last] - index[last], end - k, kMaxRun});
    body(k, at, n);
    k += n;
    index[last] += n;
    for (int i = 0; i < l.operands; ++i) at[i] += n * l.strides[i][last];
    if (index[last] < l.shape[last]) continue;
    // The odometer: carry into the outer axes.
    for (int i = 0; i < l.operands; ++i) at[i] -= l.shape[last] * l.strides[i][last];
    index[last] = 0;
    for (int d = last - 1; d >= 0; --d) {
      for (int i = 0; i < l.operands; ++i) at[i] += l.strides[i][d];
      if (++index[d] < l.shape[d]) break;
      for (int i = 0; i < l.operands; ++i) at[i] -= l.shape[d] * l.strides[i][d];
      index[d] = 0;
    }
  }
}

// ---- binary ops: the scalar each computes, in C (the result's type for
// the exact ones, double for the rest, rounded once to the result's type)

template <class C>
struct Add {
  using Compute = C;
  C operator()(C x, C y) const { return x + y; }
};
template <class C>
struct Subtract {
  using Compute = C;
  C operator()(C x, C y) const { return x - y; }
};
template <class C>
struct Multiply {
  using Compute = C;
  C operator()(C x, C y) const { return x * y; }
};
template <class C>
struct Divide {
  using Compute = C;
  C operator()(C x, C y) const { return x / y; }
};
// numpy's maximum/minimum: NaN if either is NaN; otherwise x on ties (so ±0 keeps x's sign).
template <class C>
struct Maximum {
  using Compute = C;
  C operator()(C x, C y) const { return (x >= y || x != x) ? x : y; }
};
template <class C>
struct Minimum {
  using Compute = C;
  C operator()(C x, C y) const { return (x <= y || x != x) ? x : y; }
};
// C's pow (numpy's power): pow(1, NaN) = 1, pow(−1, ±∞) = 1.
struct Power {
  using Compute = double;
  double operator()(double x, double y) const { return std::pow(x, y); }
};
// numpy's remainder (npy_divmod): the divisor's sign, a zero result
// signed as the divisor, NaN for a zero divisor.
struct Remainder {
  using Compute = double;
  double operator()(double x, double y) const {
    double m = std::fmod(x, y);
    if (y == 0) return m;
    if (m != 0) return (y < 0) != (m < 0) ? m + y : m;
    return std::copysign(0.0, y);
  }
};
struct Hypot {
  using Compute = double;
  double operator()(double x, double y) const { return std::hypot(x, y); }
};
struct Arctan2 {
  using Compute = double;
  double operator()(double x, double y) const { return std::atan2(x, y); }
};

// One run of a binary op; the stride-1 and stride-0 cases are loops the
// compiler vectorises.
template <class F, class R, class A, class B>
void BinaryRun(R* __restrict out, const A* x, int64_t sx, const B* y, int64_t sy, int64_t n) {
  using C = typename F::Compute;
  const F f;
  if (sx == 1 && sy == 1) {
    for (int64_t i = 0; i < n; ++i) out[i] = static_cast<R>(f(static_cast<C>(x[i]), static_cast<C>(y[i])));
  } else if (sx == 1 && sy == 0) {
    const C b = static_cast<C>(*y);
    for (int64_t i = 0; i < n; ++i) out[i] = static_cast<R>(f(static_cast<C>(x[i]), b));
  } else if (sx == 0 && sy == 1) {
    const C a = static_cast<C>(*x);
    for (int64_t i = 0; i < n; ++i) out[i] = static_cast<R>(f(a, static_cast<C>(y[i])));
  } else {
    for (int64_t i = 0; i < n; ++i) out[i] = static_cast<R>(f(static_cast<C>(x[i * sx]), static_cast<C>(y[i * sy])));
  }
}

// What a kernel needs beyond its operands: the unary op, round's decimals.
struct Params {
  Unary op = Unary::kNegative;
  double decimals = 0;
};

// A kernel computes the result elements [begin, end) of its layout into out.
template <class R>
using Kernel = void (*)(const Layout& l, R* out, int64_t begin, int64_t end, const Params& p);

template <class F, class R, class A, class B>
void BinaryKernel(const Layout& l, R* out, int64_t begin, int64_t end, const Params&) {
  const A* x = static_cast<const A*>(l.data[0]);
  const B* y = static_cast<const B*>(l.data[1]);
  const int64_t sx = l.inner(0), sy = l.inner(1);
  ForEachRun(l, begin, end,
             [&](int64_t k, const int64_t* at, int64_t n) { BinaryRun<F>(out + k, x + at[0], sx, y + at[1], sy, n); });
}

template <class R, class A, class B>
Kernel<R> BinaryKernelFor(Binary op) {
  switch (op) {
    case Binary::kAdd:
      return &BinaryKernel<Add<R>, R, A, B>;
    case Binary::kSubtract:
      return &BinaryKernel<Subtract<R>, R, A, B>;
    case Binary::kMultiply:
      return &BinaryKernel<Multiply<R>, R, A, B>;
    case Binary::kDivide:
      return &BinaryKernel<Divide<R>, R, A, B>;
    case Binary::kPower:
      return &BinaryKernel<Power, R, A, B>;
    case Binary::kMaximum:
      return &BinaryKernel<Maximum<R>, R, A, B>;
    case Binary::kMinimum:
      return &BinaryKernel<Minimum<R>, R, A, B>;
    case Binary::kMod:
      return &BinaryKernel<Remainder, R, A, B>;
    case Binary::kHypot:
      return &BinaryKernel<Hypot, R, A, B>;
    case Binary::kArctan2:
      return &BinaryKernel<Arctan2, R, A, B>;
  }
  return nullptr;
}

bool Costly(Binary op) { return op == Binary::kPower || op == Binary::kHypot || op == Binary::kArctan2; }

// ---- unary ops

// The VM function of each unary op that has one, called directly: oneMKL
// binds lazily (native/mkl_setup.cc loads it after the addon), and taking a
// VM function's address would need it bound when the addon loads.
bool HasVm(Unary op) {
  switch (op) {
    case Unary::kNegative:
    case Unary::kAbs:
    case Unary::kSign:
    case Unary::kSquare:
    case Unary::kReciprocal:
    case Unary::kSqrt:
      return false;
    default:
      return true;
  }
}
void CallVm(Unary op, MKL_INT n, const double* a, double* r) {
  switch (op) {
    case Unary::kExp:
      return vmdExp(n, a, r, kVmMode);
    case Unary::kExpm1:
      return vmdExpm1(n, a, r, kVmMode);
    case Unary::kExp2:
      return vmdExp2(n, a, r, kVmMode);
    case Unary::kLog:
      return vmdLn(n, a, r, kVmMode);
    case Unary::kLog1p:
      return vmdLog1p(n, a, r, kVmMode);
    case Unary::kLog2:
      return vmdLog2(n, a, r, kVmMode);
    case Unary::kLog10:
      return vmdLog10(n, a, r, kVmMode);
    case Unary::kSin:
      return vmdSin(n, a, r, kVmMode);
    case Unary::kCos:
      return vmdCos(n, a, r, kVmMode);
    case Unary::kTan:
      return vmdTan(n, a, r, kVmMode);
    case Unary::kArcsin:
      return vmdAsin(n, a, r, kVmMode);
    case Unary::kArccos:
      return vmdAcos(n, a, r, kVmMode);
    case Unary::kArctan:
      return vmdAtan(n, a, r, kVmMode);
    case Unary::kSinh:
      return vmdSinh(n, a, r, kVmMode);
    case Unary::kCosh:
      return vmdCosh(n, a, r, kVmMode);
    case Unary::kTanh:
      return vmdTanh(n, a, r, kVmMode);
    case Unary::kFloor:
      return vmdFloor(n, a, r, kVmMode);
    case Unary::kCeil:
      return vmdCeil(n, a, r, kVmMode);
    case Unary::kRound:
      return vmdRint(n, a, r, kVmMode);
    default:
      throw InternalFailure("elementwise: no VM function for unary op " + std::to_string(static_cast<int>(op)));
  }
}
void CallVm(Unary op, MKL_INT n, const float* a, float* r) {
  switch (op) {
    case Unary::kExp:
      return vmsExp(n, a, r, kVmMode);
    case Unary::kExpm1:
      return vmsExpm1(n, a, r, kVmMode);
    case Unary::kExp2:
      return vmsExp2(n, a, r, kVmMode);
    case Unary::kLog:
      return vmsLn(n, a, r, kVmMode);
    case Unary::kLog1p:
      return vmsLog1p(n, a, r, kVmMode);
    case Unary::kLog2:
      return vmsLog2(n, a, r, kVmMode);
    case Unary::kLog10:
      return vmsLog10(n, a, r, kVmMode);
    case Unary::kSin:
      return vmsSin(n, a, r, kVmMode);
    case Unary::kCos:
      return vmsCos(n, a, r, kVmMode);
    case Unary::kTan:
      return vmsTan(n, a, r, kVmMode);
    case Unary::kArcsin:
      return vmsAsin(n, a, r, kVmMode);
    case Unary::kArccos:
      return vmsAcos(n, a, r, kVmMode);
    case Unary::kArctan:
      return vmsAtan(n, a, r, kVmMode);
    case Unary::kSinh:
      return vmsSinh(n, a, r, kVmMode);
    case Unary::kCosh:
      return vmsCosh(n, a, r, kVmMode);
    case Unary::kTanh:
      return vmsTanh(n, a, r, kVmMode);
    case Unary::kFloor:
      return vmsFloor(n, a, r, kVmMode);
    case Unary::kCeil:
      return vmsCeil(n, a, r, kVmMode);
    case Unary::kRound:
      return vmsRint(n, a, r, kVmMode);
    default:
      throw InternalFailure("elementwise: no VM function for unary op " + std::to_string(static_cast<int>(op)));
  }
}

// The ops computed by a loop here: exact in the dtype, as numpy's are.
template <class T>
struct Negative {
  T operator()(T x) const { return -x; }
};
template <class T>
struct Abs {
  T operator()(T x) const { return std::fabs(x); }
};
// numpy's sign: NaN stays NaN, ±0 gives +0.
template <class T>
struct Sign {
  T operator()(T x) const { return x > 0 ? T(1) : x < 0 ? T(-1) : x == 0 ? T(0) : x; }
};
template <class T>
struct Square {
  T operator()(T x) const { return x * x; }
};
template <class T>
struct Reciprocal {
  T operator()(T x) const { return T(1) / x; }
};
// Correctly rounded, as numpy's (VM's high-accuracy sqrt is 1 ulp off at times).
template <class T>
struct Sqrt {
  T operator()(T x) const { return std::sqrt(x); }
};

// Copies one run into out (converting nothing: unary ops keep the dtype).
template <class T>
void CopyRun(T* __restrict out, const T* x, int64_t sx, int64_t n) {
  if (sx == 1) {
    std::copy(x, x + n, out);
  } else {
    for (int64_t i = 0; i < n; ++i) out[i] = x[i * sx];
  }
}

template <class F, class T>
void LoopKernel(const Layout& l, T* out, int64_t begin, int64_t end, const Params&) {
  const T* x = static_cast<const T*>(l.data[0]);
  const int64_t sx = l.inner(0);
  const F f;
  ForEachRun(l, begin, end, [&](int64_t k, const int64_t* at, int64_t n) {
    const T* in = x + at[0];
    T* __restrict r = out + k;
    if (sx == 1) {
      for (int64_t i = 0; i < n; ++i) r[i] = f(in[i]);
    } else {
      for (int64_t i = 0; i < n; ++i) r[i] = f(in[i * sx]);
    }
  });
}

// A VM function: straight from a contiguous run, else on a copy of the run
// made in the result (VM computes in place).
template <class T>
void VmKernel(const Layout& l, T* out, int64_t begin, int64_t end, const Params& p) {
  const T* x = static_cast<const T*>(l.data[0]);
  const int64_t sx = l.inner(0);
  ForEachRun(l, begin, end, [&](int64_t k, const int64_t* at, int64_t n) {
    if (sx == 1) {
      CallVm(p.op, static_cast<MKL_INT>(n), x + at[0], out + k);
    } else {
      CopyRun(out + k, x + at[0], sx, n);
      CallVm(p.op, static_cast<MKL_INT>(n), out + k, out + k);
    }
  });
}

// numpy's round(x, decimals) for decimals ≠ 0, step by step as numpy does
// it: x·10^d rounded half to even, divided by 10^d (for d < 0: x ÷ 10^−d,
// rounded, times 10^−d), each step in the dtype; 10^|d| is exact in double
// up to 10^22 and rounded to the dtype once, as numpy's Python float is.
template <class T>
void RoundKernel(const Layout& l, T* out, int64_t begin, int64_t end, const Params& p) {
  const T* x = static_cast<const T*>(l.data[0]);
  const int64_t sx = l.inner(0);
  double power = 1;
  for (double d = std::fabs(p.decimals); d > 0; --d) power *= 10;
  const T f = static_cast<T>(power);
  const bool scale_up = p.decimals >= 0;
  ForEachRun(l, begin, end, [&](int64_t k, const int64_t* at, int64_t n) {
    const T* in = x + at[0];
    for (int64_t i = 0; i < n; ++i) {
      const T y = std::nearbyint(scale_up ? in[i * sx] * f : in[i * sx] / f);
      out[k + i] = scale_up ? y / f : y * f;
    }
  });
}

template <class T>
Kernel<T> UnaryKernelFor(Unary op, double decimals) {
  switch (op) {
    case Unary::kNegative:
      return &LoopKernel<Negative<T>, T>;
    case Unary::kAbs:
      return &LoopKernel<Abs<T>, T>;
    case Unary::kSign:
      return &LoopKernel<Sign<T>, T>;
    case Unary::kSquare:
      return &LoopKernel<Square<T>, T>;
    case Unary::kReciprocal:
      return &LoopKernel<Reciprocal<T>, T>;
    case Unary::kSqrt:
      return &LoopKernel<Sqrt<T>, T>;
    case Unary::kRound:
      if (decimals != 0) return &RoundKernel<T>;
      break;
    default:
      break;
  }
  return &VmKernel<T>;
}

// ---- ternary: clip and select

// numpy 2's clip: minimum(maximum(x, lo), hi), NaN-propagating and x kept on ties (so ±0
// keeps x's sign, as numpy); lo > hi gives hi.
template <class R, class A, class B, class C>
void ClipKernel(const Layout& l, R* out, int64_t begin, int64_t end, const Params&) {
  const A* x = static_cast<const A*>(l.data[0]);
  const B* lo = static_cast<const B*>(l.data[1]);
  const C* hi = static_cast<const C*>(l.data[2]);
  const int64_t sx = l.inner(0), sl = l.inner(1), sh = l.inner(2);
  const Maximum<R> max;
  const Minimum<R> min;
  ForEachRun(l, begin, end, [&](int64_t k, const int64_t* at, int64_t n) {
    const A* xa = x + at[0];
    const B* la = lo + at[1];
    const C* ha = hi + at[2];
    R* __restrict r = out + k;
    if (sx == 1 && sl == 0 && sh == 0) {
      const R low = static_cast<R>(*la), high = static_cast<R>(*ha);
      for (int64_t i = 0; i < n; ++i) r[i] = min(max(static_cast<R>(xa[i]), low), high);
    } else {
      for (int64_t i = 0; i < n; ++i) {
        r[i] = min(max(static_cast<R>(xa[i * sx]), static_cast<R>(la[i * sl])), static_cast<R>(ha[i * sh]));
      }
    }
  });
}

// where(cond, x, y): x where cond is nonzero, else y.
template <class R, class A, class B>
void SelectKernel(const Layout& l, R* out, int64_t begin, int64_t end, const Params&) {
  const uint8_t* cond = static_cast<const uint8_t*>(l.data[0]);
  const A* x = static_cast<const A*>(l.data[1]);
  const B* y = static_cast<const B*>(l.data[2]);
  const int64_t sc = l.inner(0), sx = l.inner(1), sy = l.inner(2);
  ForEachRun(l, begin, end, [&](int64_t k, const int64_t* at, int64_t n) {
    const uint8_t* c = cond + at[0];
    const A* xa = x + at[1];
    const B* ya = y + at[2];
    R* __restrict r = out + k;
    if (sc == 1 && sx == 1 && sy == 1) {
      for (int64_t i = 0; i < n; ++i) r[i] = c[i] != 0 ? static_cast<R>(xa[i]) : static_cast<R>(ya[i]);
    } else {
      for (int64_t i = 0; i < n; ++i) r[i] = c[i * sc] != 0 ? static_cast<R>(xa[i * sx]) : static_cast<R>(ya[i * sy]);
    }
  });
}

// ---- the job

// An async call's private copy of an operand: its distinct elements only
// (an axis lib/ broadcast with stride 0 is copied once and keeps stride 0),
// contiguous otherwise.
template <class T>
class OwnedOperand {
 public:
  void Take(View& v) {
    View source = v;
    // An axis of length 0 stays 0: an empty view indexes nothing (and its
    // offset and strides were never checked against its data).
    for (int d = 0; d < v.ndim; ++d) {
      if (v.strides[d] == 0 && v.shape[d] != 0) source.shape[d] = 1;
    }
    const View* one[] = {&source};
    const Layout l = MakeLayout(one, 1);
    copy_ = Buffer<T>(l.size);
    const T* from = static_cast<const T*>(source.data);
    T* to = copy_.data();
    const int64_t step = l.inner(0);
    auto copy = [&](int64_t begin, int64_t end) {
      ForEachRun(l, begin, end,
                 [&](int64_t k, const int64_t* at, int64_t n) { CopyRun(to + k, from + at[0], step, n); });
    };
    if (l.size <= kCheapGrain) {
      copy(0, l.size);
    } else {
      // A large copy (first touch of fresh pages included) spread over the
      // arena's threads, on the JS thread's own slot as a sync call runs:
      // the call returns once its inputs are copied anyway.
      scheduler::ExecuteLimited(scheduler::Saturated() ? 1 : scheduler::Concurrency(), [&] {
        tbb::parallel_for(tbb::blocked_range<int64_t>(0, l.size, kCheapGrain),
                          [&](const tbb::blocked_range<int64_t>& r) { copy(r.begin(), r.end()); });
      });
    }
    int64_t stride = 1;
    for (int d = v.ndim - 1; d >= 0; --d) {
      if (v.strides[d] != 0) v.strides[d] = stride;
      stride *= source.shape[d];
    }
    v.data = copy_.data();
    v.offset = 0;
    v.length = l.size;
  }

 private:
  Buffer<T> copy_;
};

template <class R>
class ElementwiseJob final : public Job {
 public:
  ElementwiseJob(Kernel<R> kernel, Params params, int64_t grain) : kernel_(kernel), params_(params), grain_(grain) {}

  // Takes the operands (all of the result's shape); async: private copies.
  void SetOperands(View* views, int count, bool async) {
    if (async) {
      for (int k = 0; k < count; ++k) Own(views[k], k);
    }
    const View* pointers[kMaxOperands] = {};
    for (int k = 0; k < count; ++k) pointers[k] = &views[k];
    layout_ = MakeLayout(pointers, count);
  }

  Napi::Value Result(Napi::Env env) override { return out_.ToTypedArray(env); }

 protected:
  void Allocate() override { out_ = Buffer<R>::Output(layout_.size); }

  void Execute() override {
    R* out = out_.data();
    if (layout_.size <= grain_) {
      kernel_(layout_, out, 0, layout_.size, params_);
      return;
    }
    tbb::parallel_for(tbb::blocked_range<int64_t>(0, layout_.size, grain_), [&](const tbb::blocked_range<int64_t>& r) {
      kernel_(layout_, out, r.begin(), r.end(), params_);
    });
  }

 private:
  void Own(View& v, int k) {
    switch (v.dtype) {
      case Dtype::kFloat64:
        owned_f64_[k].Take(v);
        break;
      case Dtype::kFloat32:
        owned_f32_[k].Take(v);
        break;
      default:
        owned_u8_[k].Take(v);
        break;
    }
  }

  Kernel<R> kernel_;
  Params params_;
  int64_t grain_;
  Layout layout_;
  OwnedOperand<double> owned_f64_[kMaxOperands];
  OwnedOperand<float> owned_f32_[kMaxOperands];
  OwnedOperand<uint8_t> owned_u8_[kMaxOperands];
  Buffer<R> out_;
};

// Every operand must have the first one's shape: lib/ broadcast them.
void CheckSameShape(const CallArgs& args, const View* views, int count) {
  for (int k = 1; k < count; ++k) {
    bool same = views[k].ndim == views[0].ndim;
    for (int d = 0; same && d < views[0].ndim; ++d) same = views[k].shape[d] == views[0].shape[d];
    if (!same) throw Napi::RangeError::New(args.env(), args.fn() + ": operands must be broadcast to one shape");
  }
}

template <class R>
Napi::Value Run(CallArgs& args, Kernel<R> kernel, View* views, int count, Params params, int64_t grain) {
  auto job = std::make_unique<ElementwiseJob<R>>(kernel, params, grain);
  job->SetOperands(views, count, args.mode().async);
  return Dispatch(args.env(), std::move(job), args.mode());
}

bool IsF64(const View& v) { return v.dtype == Dtype::kFloat64; }

// Calls make(R{}, A{}, B{}) with the element types of x and y and the
// promoted result type (float32 only if both are).
template <class Make>
Napi::Value ByTypes(const View& x, const View& y, Make&& make) {
  if (IsF64(x) && IsF64(y)) return make(double{}, double{}, double{});
  if (IsF64(x)) return make(double{}, double{}, float{});
  if (IsF64(y)) return make(double{}, float{}, double{});
  return make(float{}, float{}, float{});
}

}  // namespace

Napi::Value Elementwise(const Napi::CallbackInfo& info) {
  CallArgs args(info, "binary");
  View views[2] = {args.Array("x1"), args.Array("x2")};
  const auto op = static_cast<Binary>(args.Code(codes::kBinaryCount - 1, "binary op code"));
  CheckSameShape(args, views, 2);
  const int64_t grain = Costly(op) ? kCostlyGrain : kCheapGrain;
  return ByTypes(views[0], views[1], [&](auto r, auto a, auto b) {
    using R = decltype(r);
    return Run<R>(args, BinaryKernelFor<R, decltype(a), decltype(b)>(op), views, 2, Params{}, grain);
  });
}

Napi::Value UnaryMath(const Napi::CallbackInfo& info) {
  CallArgs args(info, "unary");
  View x = args.Array("x");
  const auto op = static_cast<Unary>(args.Code(codes::kUnaryCount - 1, "unary op code"));
  const double decimals = args.Number("decimals");
  if (!(std::fabs(decimals) <= 400) || std::floor(decimals) != decimals) {
    throw Napi::RangeError::New(args.env(), args.fn() + ": decimals must be an integer from -400 to 400");
  }
  // VM's own loops for the transcendental functions; a task's range is
  // then worth far more than a cheap loop's.
  const bool costly = op != Unary::kFloor && op != Unary::kCeil && op != Unary::kRound;
  auto run = [&](auto tag) {
    using T = decltype(tag);
    return Run<T>(args, UnaryKernelFor<T>(op, decimals), &x, 1, Params{op, decimals},
                  HasVm(op) && costly ? kCostlyGrain : kCheapGrain);
  };
  return IsF64(x) ? run(double{}) : run(float{});
}

Napi::Value Clip(const Napi::CallbackInfo& info) {
  CallArgs args(info, "clip");
  View views[3] = {args.Array("a"), args.Array("aMin"), args.Array("aMax")};
  CheckSameShape(args, views, 3);
  const bool f64 = IsF64(views[0]) || IsF64(views[1]) || IsF64(views[2]);
  auto make = [&](auto r) {
    using R = decltype(r);
    // Every combination of operand types: none is converted before the loop.
    auto with = [&](auto a, auto b, auto c) {
      return Run<R>(args, &ClipKernel<R, decltype(a), decltype(b), decltype(c)>, views, 3, Params{}, kCheapGrain);
    };
    auto with_bounds = [&](auto a) {
      return ByTypes(views[1], views[2], [&](auto, auto b, auto c) { return with(a, b, c); });
    };
    return IsF64(views[0]) ? with_bounds(double{}) : with_bounds(float{});
  };
  return f64 ? make(double{}) : make(float{});
}

Napi::Value Select(const Napi::CallbackInfo& info) {
  CallArgs args(info, "select");
  View views[3] = {args.Mask("condition"), args.Array("x"), args.Array("y")};
  CheckSameShape(args, views, 3);
  return ByTypes(views[1], views[2], [&](auto r, auto a, auto b) {
    using R = decltype(r);
    return Run<R>(args, &SelectKernel<R, decltype(a), decltype(b)>, views, 3, Params{}, kCheapGrain);
  });
}

}  // namespace weft::ops
