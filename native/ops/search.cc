// argmin and argmax along one axis: numpy's first index of the smallest or
// largest element, or of the first NaN when there is one, as int32 (lib/
// refuses axes longer than 2^31 - 1). The answer is exact whatever the
// order of the work, so the loops follow memory: along the axis when it is
// the finest, else a row of lanes at once (the contiguous kept axis inner);
// one long lane splits across the arena.
#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/parallel_reduce.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <vector>

#include "../buffer.h"
#include "../call_args.h"
#include "../job.h"
#include "../layout.h"
#include "../view.h"
#include "ops.h"
#include "vector_clones.h"

namespace weft::ops {
namespace {

constexpr int64_t kGrain = 1 << 15;
constexpr int64_t kBlock = 1024;

// The best so far and where: NaN beats everything and is never beaten.
struct Best {
  double value;
  int64_t index;
};

inline bool Beats(double v, double best, bool largest) {
  return !std::isnan(best) && (std::isnan(v) || (largest ? v > best : v < best));
}

// The first index of the extreme of a contiguous run p[0, n), n > 0, as a
// scan finds it: first the extreme itself and whether there is a NaN, in
// eight independent running extremes (a loop the compiler vectorises; the
// extreme of a set does not depend on the order it is read in), then the
// first index holding it, or the first NaN.
template <bool kLargest, class T>
int64_t FirstExtremeOf(const T* __restrict p, int64_t n) {
  T m[8];
  bool nan = false;
  for (int k = 0; k < 8; ++k) m[k] = p[0];
  int64_t i = 0;
  for (; i + 8 <= n; i += 8) {
    for (int k = 0; k < 8; ++k) {
      const T v = p[i + k];
      nan |= v != v;
      m[k] = kLargest ? (v > m[k] ? v : m[k]) : (v < m[k] ? v : m[k]);
    }
  }
  for (; i < n; ++i) {
    nan |= p[i] != p[i];
    m[0] = kLargest ? (p[i] > m[0] ? p[i] : m[0]) : (p[i] < m[0] ? p[i] : m[0]);
  }
  if (nan) {
    for (int64_t j = 0; j < n; ++j) {
      if (p[j] != p[j]) return j;
    }
  }
  T best = m[0];
  for (int k = 1; k < 8; ++k) best = kLargest ? (m[k] > best ? m[k] : best) : (m[k] < best ? m[k] : best);
  for (int64_t j = 0; j < n; ++j) {
    if (p[j] == best) return j;
  }
  return 0;
}
WEFT_VECTOR_CLONES int64_t FirstMax(const double* p, int64_t n) { return FirstExtremeOf<true>(p, n); }
WEFT_VECTOR_CLONES int64_t FirstMax(const float* p, int64_t n) { return FirstExtremeOf<true>(p, n); }
WEFT_VECTOR_CLONES int64_t FirstMin(const double* p, int64_t n) { return FirstExtremeOf<false>(p, n); }
WEFT_VECTOR_CLONES int64_t FirstMin(const float* p, int64_t n) { return FirstExtremeOf<false>(p, n); }

template <class T>
class ArgJob final : public Job {
 public:
  ArgJob(const View& x, int axis, bool largest) : view_(x), axis_(axis), largest_(largest) {}

  // Async: the caller may change its array once the call returns; any
  // layout gives the same indices, so a row-major copy serves.
  void Own() {
    int64_t size = 1;
    for (int d = 0; d < view_.ndim; ++d) size *= view_.shape[d];
    owned_ = Buffer<T>(size);
    GatherAll(view_, owned_.data());
    view_.data = owned_.data();
    view_.length = size;
    view_.offset = 0;
    int64_t step = 1;
    for (int d = view_.ndim - 1; d >= 0; --d) {
      view_.strides[d] = step;
      step *= view_.shape[d];
    }
  }

  Napi::Value Result(Napi::Env env) override { return out_.ToTypedArray(env); }

 protected:
  void Allocate() override {
    outputs_ = 1;
    for (int d = 0; d < view_.ndim; ++d) {
      if (d != axis_) outputs_ *= view_.shape[d];
    }
    out_ = Buffer<int32_t>::Output(outputs_);
  }

  void Execute() override {
    const int64_t n = view_.shape[axis_];
    if (outputs_ == 0 || n == 0) return;  // lib/ refuses an empty axis with outputs to fill
    // The kept axes in order, the last one apart when it is the finest.
    std::vector<int> kept;
    for (int d = 0; d < view_.ndim; ++d) {
      if (d != axis_ && view_.shape[d] > 1) kept.push_back(d);
    }
    const bool columns = !kept.empty() && view_.shape[kept.back()] >= 8 &&
                         std::llabs(view_.strides[kept.back()]) < std::llabs(view_.strides[axis_]);
    std::vector<int> outer(kept.begin(), kept.end() - (columns ? 1 : 0));
    std::vector<int64_t> bases;
    ForEach(outer, [&](int64_t at) { bases.push_back(at); });
    if (columns) {
      Columns(bases, kept.back(), n);
    } else if (outputs_ == 1) {
      out_.data()[0] = static_cast<int32_t>(LongLane(bases[0], n));
    } else {
      tbb::parallel_for(tbb::blocked_range<int64_t>(0, outputs_, std::max<int64_t>(1, kGrain / n)),
                        [&](const tbb::blocked_range<int64_t>& r) {
                          for (int64_t i = r.begin(); i != r.end(); ++i) {
                            out_.data()[i] = static_cast<int32_t>(Lane(bases[i], 0, n).index);
                          }
                        });
    }
  }

 private:
  double At(int64_t at) const { return static_cast<const T*>(view_.data)[at]; }

  // f(offset) for every index of `axes`, row-major.
  template <class F>
  void ForEach(const std::vector<int>& axes, F&& f) const {
    const int nd = static_cast<int>(axes.size());
    int64_t index[kMaxDims] = {};
    int64_t at = view_.offset;
    while (true) {
      f(at);
      int d = nd - 1;
      for (; d >= 0; --d) {
        const int a = axes[d];
        if (++index[d] < view_.shape[a]) {
          at += view_.strides[a];
          break;
        }
        at -= view_.strides[a] * (view_.shape[a] - 1);
        index[d] = 0;
      }
      if (d < 0) return;
    }
  }

  // Elements [lo, hi) of the lane at `base`.
  Best Lane(int64_t base, int64_t lo, int64_t hi) const {
    const int64_t stride = view_.strides[axis_];
    if (stride == 1) {
      const T* p = static_cast<const T*>(view_.data) + base + lo;
      const int64_t i = lo + (largest_ ? FirstMax(p, hi - lo) : FirstMin(p, hi - lo));
      return {At(base + i), i};
    }
    Best best{At(base + lo * stride), lo};
    for (int64_t i = lo + 1; i < hi && !std::isnan(best.value); ++i) {
      const double v = At(base + i * stride);
      if (Beats(v, best.value, largest_)) best = {v, i};
    }
    return best;
  }

  // One lane across the arena: the earlier part wins ties, as a plain scan.
  int64_t LongLane(int64_t base, int64_t n) const {
    if (n <= kGrain) return Lane(base, 0, n).index;
    return tbb::parallel_deterministic_reduce(
               tbb::blocked_range<int64_t>(0, n, kGrain), Best{0.0, -1},
               [&](const tbb::blocked_range<int64_t>& r, Best acc) {
                 const Best part = Lane(base, r.begin(), r.end());
                 return acc.index < 0 || Beats(part.value, acc.value, largest_) ? part : acc;
               },
               [&](Best a, Best b) {
                 return a.index < 0 || (b.index >= 0 && Beats(b.value, a.value, largest_)) ? b : a;
               })
        .index;
  }

  // A row of lanes at once, `inner` the kept axis whose lanes sit side by side.
  void Columns(const std::vector<int64_t>& bases, int inner, int64_t n) {
    const int64_t width = view_.shape[inner], step = view_.strides[inner], stride = view_.strides[axis_];
    const int64_t blocks = (width + kBlock - 1) / kBlock;
    tbb::parallel_for(tbb::blocked_range<int64_t>(0, static_cast<int64_t>(bases.size()) * blocks),
                      [&](const tbb::blocked_range<int64_t>& r) {
                        std::vector<double> best(static_cast<size_t>(kBlock));
                        for (int64_t t = r.begin(); t != r.end(); ++t) {
                          const int64_t item = t / blocks, j0 = (t % blocks) * kBlock;
                          const int64_t w = std::min(width, j0 + kBlock) - j0;
                          const int64_t start = bases[item] + j0 * step;
                          int32_t* index = out_.data() + item * width + j0;
                          for (int64_t j = 0; j < w; ++j) {
                            best[j] = At(start + j * step);
                            index[j] = 0;
                          }
                          for (int64_t i = 1; i < n; ++i) {
                            const int64_t row = start + i * stride;
                            for (int64_t j = 0; j < w; ++j) {
                              const double v = At(row + j * step);
                              if (Beats(v, best[j], largest_)) {
                                best[j] = v;
                                index[j] = static_cast<int32_t>(i);
                              }
                            }
                          }
                        }
                      });
  }

  View view_;
  int axis_;
  bool largest_;
  int64_t outputs_ = 1;
  Buffer<T> owned_;
  Buffer<int32_t> out_;
};

}  // namespace

Napi::Value ArgExtreme(const Napi::CallbackInfo& info) {
  CallArgs args(info, "argExtreme");
  const View x = args.Array("x");
  const int axis = args.Int("axis");
  const bool largest = args.Flag();
  if (axis < 0 || axis >= x.ndim) throw Napi::RangeError::New(args.env(), args.fn() + ": axis out of range");
  if (x.shape[axis] > kMaxDim) throw Napi::RangeError::New(args.env(), args.fn() + ": axis too long for int32 indices");
  int64_t outputs = 1;
  for (int d = 0; d < x.ndim; ++d) {
    if (d != axis) outputs *= x.shape[d];
  }
  if (x.shape[axis] == 0 && outputs > 0) throw Napi::RangeError::New(args.env(), args.fn() + ": empty axis");
  auto make = [&](auto tag) -> std::unique_ptr<Job> {
    using T = decltype(tag);
    auto job = std::make_unique<ArgJob<T>>(x, axis, largest);
    if (args.mode().async) job->Own();
    return job;
  };
  std::unique_ptr<Job> job = x.dtype == Dtype::kFloat64 ? make(double{}) : make(float{});
  return Dispatch(args.env(), std::move(job), args.mode());
}

}  // namespace weft::ops
