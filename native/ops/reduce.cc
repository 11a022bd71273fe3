// Reductions over the last `axes` axes of a view, accumulated in double: the
// building blocks of norm and trace. lib/ permutes the axes to reduce to the
// end (a strided view, no copy), so one loop serves every axis choice.
#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/parallel_reduce.h>

#include <algorithm>
#include <cmath>
#include <complex>
#include <limits>
#include <string>
#include <type_traits>

#include "../buffer.h"
#include "../call_args.h"
#include "../codes.h"
#include "../job.h"
#include "../layout.h"
#include "../view.h"
#include "batch.h"
#include "ops.h"

namespace weft::ops {
namespace {

using codes::Reduce;

// Max starts at 0, as numpy's norms do (`initial=0`): every value it sees is
// a magnitude, and an empty norm is then 0 rather than an error.
double Initial(Reduce r) {
  switch (r) {
    case Reduce::kMaxAbs:
    case Reduce::kMax:
      return 0.0;
    case Reduce::kMinAbs:
    case Reduce::kMin:
      return std::numeric_limits<double>::infinity();
    default:
      return 0.0;
  }
}

// Folds one more value (or partial result) in; NaN wins, as in numpy.
double Combine(Reduce r, double acc, double v) {
  switch (r) {
    case Reduce::kMaxAbs:
    case Reduce::kMax:
      return (v > acc || std::isnan(v)) ? v : acc;
    case Reduce::kMinAbs:
    case Reduce::kMin:
      return (v < acc || std::isnan(v)) ? v : acc;
    default:
      return acc + v;
  }
}

double Term(Reduce r, double p, double x) {
  switch (r) {
    case Reduce::kL1:
    case Reduce::kMaxAbs:
    case Reduce::kMinAbs:
      return std::abs(x);
    case Reduce::kL2:
      return x * x;
    case Reduce::kCountNonzero:
      return x != 0.0 ? 1.0 : 0.0;
    case Reduce::kLp:
      return std::pow(std::abs(x), p);
    default:
      return x;
  }
}

// Term of a complex element: the norms read its magnitude |z| (numpy's
// hypot), and the squared norm re² + im², as numpy's (z.conj()·z).real.
double ComplexTerm(Reduce r, double p, std::complex<double> z) {
  switch (r) {
    case Reduce::kL2:
      return z.real() * z.real() + z.imag() * z.imag();
    case Reduce::kCountNonzero:
      return z != 0.0 ? 1.0 : 0.0;
    default:
      return Term(r, p, std::abs(z));
  }
}

// Whether a reduction reads magnitudes only, so that its result is real for
// complex input (every norm); the others (sum, max, min) take real input.
bool ReadsMagnitude(Reduce r) {
  return r == Reduce::kL1 || r == Reduce::kL2 || r == Reduce::kMaxAbs || r == Reduce::kMinAbs ||
         r == Reduce::kCountNonzero || r == Reduce::kLp;
}

double Finish(Reduce r, double p, double acc) {
  if (r == Reduce::kL2) return std::sqrt(acc);
  if (r == Reduce::kLp) return std::pow(acc, 1.0 / p);
  return acc;
}

// T is the result's element type, real: the input may be T or std::complex<T>.
template <class T>
class ReduceJob final : public Job {
 public:
  ReduceJob(const View& v, int axes, Reduce kind, double p)
      : view_(v), axes_(axes), kind_(kind), p_(p), outputs_(ItemOffsets(v, axes)) {
    // Async: the caller may change its array after the call returns, so take
    // a contiguous copy; sync reads it in place.
  }

  template <class E>
  void Own(Buffer<E> copy) {
    view_.data = copy.data();
    view_.dtype = DtypeOf<E>();
    if constexpr (std::is_same_v<E, T>) {
      owned_ = std::move(copy);
    } else {
      owned_complex_ = std::move(copy);
    }
    view_.offset = 0;
    int64_t step = 1;
    for (int d = view_.ndim - 1; d >= 0; --d) {
      view_.strides[d] = step;
      step *= view_.shape[d];
    }
    outputs_ = ItemOffsets(view_, axes_);
  }

  Napi::Value Result(Napi::Env env) override { return out_.ToTypedArray(env); }

 protected:
  void Allocate() override { out_ = Buffer<T>::Output(static_cast<int64_t>(outputs_.size())); }

  void Execute() override {
    const int64_t count = static_cast<int64_t>(outputs_.size());
    if (count == 1) {
      out_.data()[0] = static_cast<T>(Finish(kind_, p_, ParallelCore(outputs_[0])));
      return;
    }
    tbb::parallel_for(tbb::blocked_range<int64_t>(0, count), [&](const tbb::blocked_range<int64_t>& r) {
      for (int64_t i = r.begin(); i != r.end(); ++i) {
        out_.data()[i] = static_cast<T>(Finish(kind_, p_, Core(outputs_[i], 0, CoreExtent(0))));
      }
    });
  }

 private:
  int64_t CoreExtent(int axis) const { return axes_ == 0 ? 1 : view_.shape[view_.ndim - axes_ + axis]; }

  // Accumulates the core block at `base`, rows [lo, hi) of its first core axis.
  double Core(int64_t base, int64_t lo, int64_t hi) const {
    double acc = Initial(kind_);
    if (axes_ == 0) return Combine(kind_, acc, TermAt(base));
    const int first = view_.ndim - axes_;
    // An empty core has nothing to read. (Found by the fuzzer: an empty
    // middle axis let the odometer read one row anyway, and an empty view's
    // strides and offset are not bounds-checked, so that read could land
    // anywhere in memory.)
    for (int d = first; d < view_.ndim; ++d) {
      if (view_.shape[d] == 0) return acc;
    }
    const int last = view_.ndim - 1;
    const int64_t inner = view_.shape[last], inner_stride = view_.strides[last];
    int64_t index[kMaxDims] = {};
    for (int64_t row = lo; row < hi; ++row) {
      const int64_t row_base = base + row * view_.strides[first];
      if (axes_ == 1) {
        acc = Combine(kind_, acc, TermAt(row_base));
        continue;
      }
      // Odometer over the middle core axes, innermost axis in a tight loop.
      std::fill(index, index + kMaxDims, 0);
      int64_t at = row_base;
      while (true) {
        for (int64_t j = 0; j < inner; ++j) acc = Combine(kind_, acc, TermAt(at + j * inner_stride));
        int d = last - 1;
        for (; d > first; --d) {
          if (++index[d] < view_.shape[d]) {
            at += view_.strides[d];
            break;
          }
          at -= view_.strides[d] * (view_.shape[d] - 1);
          index[d] = 0;
        }
        if (d == first) break;
      }
    }
    return acc;
  }

  // One output over a large core: split the first core axis across the arena.
  // Deterministic: the same splits and joins every run, so a sum does not
  // change in its last bits with how the threads happened to be scheduled.
  double ParallelCore(int64_t base) const {
    const int64_t rows = CoreExtent(0);
    return tbb::parallel_deterministic_reduce(
        tbb::blocked_range<int64_t>(0, rows, 1024), Initial(kind_),
        [&](const tbb::blocked_range<int64_t>& r, double acc) {
          return Combine(kind_, acc, Core(base, r.begin(), r.end()));
        },
        [&](double x, double y) { return Combine(kind_, x, y); });
  }

  double TermAt(int64_t at) const {
    switch (view_.dtype) {
      case Dtype::kFloat64:
        return Term(kind_, p_, static_cast<const double*>(view_.data)[at]);
      case Dtype::kComplex128:
        return ComplexTerm(kind_, p_, static_cast<const std::complex<double>*>(view_.data)[at]);
      case Dtype::kComplex64:
        return ComplexTerm(kind_, p_, std::complex<double>(static_cast<const std::complex<float>*>(view_.data)[at]));
      default:
        return Term(kind_, p_, static_cast<const float*>(view_.data)[at]);
    }
  }

  View view_;
  int axes_;
  Reduce kind_;
  double p_;
  std::vector<int64_t> outputs_;
  Buffer<T> owned_, out_;
  Buffer<std::complex<T>> owned_complex_;
};

}  // namespace

Napi::Value Reduction(const Napi::CallbackInfo& info) {
  CallArgs args(info, "linalg.norm");
  const View x = args.Array("x", false, /*allow_complex=*/true);
  const int axes = args.Int("axes");
  const auto kind = static_cast<Reduce>(args.Code(codes::kReduceCount - 1, "reduction code"));
  const double p = args.Number("p");
  if (axes < 0 || axes > x.ndim)
    throw Napi::RangeError::New(args.env(), args.fn() + ": reduced axis count out of range");
  if (IsComplex(x.dtype) && !ReadsMagnitude(kind)) {
    throw Napi::TypeError::New(args.env(), args.fn() + ": this reduction takes real input only");
  }
  // T: the result's type (real); E: the input's elements (T or std::complex<T>).
  auto make = [&](auto result_tag, auto element_tag) -> std::unique_ptr<Job> {
    using T = decltype(result_tag);
    using E = decltype(element_tag);
    auto job = std::make_unique<ReduceJob<T>>(x, axes, kind, p);
    if (args.mode().async) {
      int64_t size = 1;
      for (int d = 0; d < x.ndim; ++d) size *= x.shape[d];
      Buffer<E> copy(size);
      GatherAll(x, copy.data());
      job->Own(std::move(copy));
    }
    return job;
  };
  std::unique_ptr<Job> job;
  switch (x.dtype) {
    case Dtype::kFloat64:
      job = make(double{}, double{});
      break;
    case Dtype::kComplex128:
      job = make(double{}, std::complex<double>{});
      break;
    case Dtype::kComplex64:
      job = make(float{}, std::complex<float>{});
      break;
    default:
      job = make(float{}, float{});
      break;
  }
  return Dispatch(args.env(), std::move(job), args.mode());
}

}  // namespace weft::ops
