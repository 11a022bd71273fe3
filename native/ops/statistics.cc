// numpy's statistics over any set of axes: sum, prod, mean, var, std, min,
// max, accumulated in double whatever the element type.
//
// The kept and the reduced axes are read where they lie in memory, never
// copied to a transposed layout first. Axes of length 1 are dropped and
// neighbours that are contiguous together merged, so a contiguous array
// reduced whole is one long axis. Then one of two loops:
//  - Columns, when the kept axis with the smallest stride steps more finely
//    than any reduced one (axis 0 of a row-major matrix): a row of outputs
//    is accumulated at once, one reduced element after another, the inner
//    loop running along contiguous memory (vectorised), as numpy does.
//  - Per output otherwise (the last axis): each output folds its own
//    elements, sums pairwise along the innermost reduced axis (numpy's
//    pairwise summation, blocks of 128 in 8 partial sums).
// Both split the work across the arena when it is large, in fixed blocks, so
// a result does not change in its last bits with the scheduling.
#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/parallel_reduce.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <vector>

#include "../buffer.h"
#include "../call_args.h"
#include "../codes.h"
#include "../job.h"
#include "../layout.h"
#include "../view.h"
#include "ops.h"
#include "vector_clones.h"

namespace weft::ops {
namespace {

using codes::Statistic;

// Work below this many elements runs on the calling thread: a task costs
// more than it saves.
constexpr int64_t kParallelGrain = 1 << 15;
// Outputs accumulated together by the column loop (16 KiB of doubles), and
// the most blocks of rows it splits a reduction into (each one more partial
// row of outputs to keep).
constexpr int64_t kColumnBlock = 2048;
constexpr int64_t kMaxChunks = 16;

// One axis as the loops see it: the input's axis `source`, or several
// merged, `source` the innermost of them (whose stride it steps by).
struct Axis {
  int64_t extent;
  int64_t stride;
  int source;
};

// How each statistic starts, folds one element in, and joins two partials.
// var and std fold squared deviations from a centre found by a first pass.
enum class Fold { kAdd, kMultiply, kMin, kMax };

Fold FoldOf(Statistic s) {
  switch (s) {
    case Statistic::kProd:
      return Fold::kMultiply;
    case Statistic::kMin:
      return Fold::kMin;
    case Statistic::kMax:
      return Fold::kMax;
    default:
      return Fold::kAdd;
  }
}

double Initial(Fold f) {
  switch (f) {
    case Fold::kMultiply:
      return 1.0;
    case Fold::kMin:
      return std::numeric_limits<double>::infinity();
    case Fold::kMax:
      return -std::numeric_limits<double>::infinity();
    default:
      return 0.0;
  }
}

// NaN wins min and max, as in numpy.
inline double Join(Fold f, double acc, double v) {
  switch (f) {
    case Fold::kMultiply:
      return acc * v;
    case Fold::kMin:
      return (v < acc || std::isnan(v)) ? v : acc;
    case Fold::kMax:
      return (v > acc || std::isnan(v)) ? v : acc;
    default:
      return acc + v;
  }
}

// What one element adds: itself, or its squared deviation from `centre`.
struct Term {
  bool squared = false;
  double centre = 0.0;
  double operator()(double x) const {
    if (!squared) return x;
    const double d = x - centre;
    return d * d;
  }
};

// acc[j] += p[j]: a row of the column loop.
WEFT_VECTOR_CLONES void AddRow(double* __restrict acc, const double* __restrict p, int64_t n) {
  for (int64_t j = 0; j < n; ++j) acc[j] += p[j];
}
WEFT_VECTOR_CLONES void AddRow(double* __restrict acc, const float* __restrict p, int64_t n) {
  for (int64_t j = 0; j < n; ++j) acc[j] += p[j];
}

// The eight partial sums of numpy's pairwise block over contiguous p[0, n),
// n a multiple of 8: r[k] = p[k] + p[k + 8] + ..., in that order.
template <class T>
void EightSumsOf(const T* __restrict p, int64_t n, double* __restrict r) {
  for (int k = 0; k < 8; ++k) r[k] = p[k];
  for (int64_t i = 8; i < n; i += 8) {
    for (int k = 0; k < 8; ++k) r[k] += p[i + k];
  }
}
WEFT_VECTOR_CLONES void EightSums(const double* p, int64_t n, double* r) { EightSumsOf(p, n, r); }
WEFT_VECTOR_CLONES void EightSums(const float* p, int64_t n, double* r) { EightSumsOf(p, n, r); }

// numpy's pairwise summation (pairwise_sum in its loops): under 8 elements
// a plain loop, up to 128 eight partial sums, above that two halves.
template <class T>
double PairwiseSum(const T* p, int64_t n, int64_t stride, Term term) {
  if (n < 8) {
    double s = 0.0;
    for (int64_t i = 0; i < n; ++i) s += term(p[i * stride]);
    return s;
  }
  if (n <= 128) {
    double r[8];
    int64_t i = n & ~int64_t{7};
    if (stride == 1 && !term.squared) {
      EightSums(p, i, r);
    } else {
      for (int k = 0; k < 8; ++k) r[k] = term(p[k * stride]);
      for (int64_t b = 8; b < i; b += 8) {
        for (int k = 0; k < 8; ++k) r[k] += term(p[(b + k) * stride]);
      }
    }
    double s = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
    for (; i < n; ++i) s += term(p[i * stride]);
    return s;
  }
  const int64_t half = (n / 2) & ~int64_t{7};
  return PairwiseSum(p, half, stride, term) + PairwiseSum(p + half * stride, n - half, stride, term);
}

// Calls f(offset) for every index of `axes` (an odometer, first axis slowest).
template <class F>
void ForEachOffset(const std::vector<Axis>& axes, int64_t base, F&& f) {
  const int nd = static_cast<int>(axes.size());
  int64_t index[kMaxDims] = {};
  int64_t at = base;
  while (true) {
    f(at);
    int d = nd - 1;
    for (; d >= 0; --d) {
      if (++index[d] < axes[d].extent) {
        at += axes[d].stride;
        break;
      }
      at -= axes[d].stride * (axes[d].extent - 1);
      index[d] = 0;
    }
    if (d < 0) return;
  }
}

// Drops axes of length 1 and merges neighbours that step through memory as one.
std::vector<Axis> Simplify(std::vector<Axis> axes) {
  std::vector<Axis> out;
  for (const Axis& a : axes) {
    if (a.extent == 1) continue;
    if (!out.empty() && out.back().stride == a.stride * a.extent) {
      out.back() = {out.back().extent * a.extent, a.stride, a.source};
    } else {
      out.push_back(a);
    }
  }
  return out;
}

template <class T>
class StatisticJob final : public Job {
 public:
  StatisticJob(const View& x, uint32_t mask, Statistic kind, double ddof)
      : view_(x), mask_(mask), kind_(kind), fold_(FoldOf(kind)), ddof_(ddof) {
    Layout();
  }

  // Async: the caller may change its array once the call returns, so the job
  // reads a copy, with the same loops in the same order as a sync call on
  // the original (async results are bit-for-bit the sync ones). A view that
  // fills most of the memory it spans is copied span and all, geometry
  // unchanged. A sparse one (a column of a large matrix) is gathered by the
  // loops' own axes (Layout's merged groups, each stepped as one axis),
  // coarsest stride first, and each group gets its stride in the copy: the
  // groups stay whole, so the loops read the same elements in the same
  // order, and Layout's choice of loop (columns_) is kept, not re-made from
  // the copy's strides (whose ties differ).
  void Own() {
    int64_t lo = view_.offset, hi = view_.offset, size = 1;
    for (int d = 0; d < view_.ndim; ++d) size *= view_.shape[d];
    if (size == 0) return;  // nothing is read (and the strides of an empty view are never checked)
    for (int d = 0; d < view_.ndim; ++d) {
      const int64_t reach = (view_.shape[d] - 1) * view_.strides[d];
      (reach < 0 ? lo : hi) += reach;
    }
    const T* data = static_cast<const T*>(view_.data);
    if (hi - lo + 1 <= 2 * size + 64) {
      owned_ = Buffer<T>(hi - lo + 1);
      std::copy(data + lo, data + hi + 1, owned_.data());
      view_.offset -= lo;
      view_.data = owned_.data();
      view_.length = owned_.size();
      return;  // the loops' strides hold for the copy; their base is view_.offset
    }
    std::vector<Axis*> groups;
    for (std::vector<Axis>* axes : {&kept_, &reduced_}) {
      for (Axis& a : *axes) {
        if (a.source >= 0) groups.push_back(&a);
      }
    }
    std::stable_sort(groups.begin(), groups.end(),
                     [](const Axis* a, const Axis* b) { return std::llabs(a->stride) > std::llabs(b->stride); });
    View sorted = view_;
    sorted.ndim = static_cast<int>(groups.size());
    for (int d = 0; d < sorted.ndim; ++d) {
      sorted.shape[d] = groups[d]->extent;
      sorted.strides[d] = groups[d]->stride;
    }
    owned_ = Buffer<T>(size);
    GatherAll(sorted, owned_.data());
    int64_t step = 1;
    for (int d = sorted.ndim - 1; d >= 0; --d) {
      groups[d]->stride = step;
      step *= groups[d]->extent;
    }
    view_.offset = 0;
    view_.data = owned_.data();
    view_.length = owned_.size();
  }

  Napi::Value Result(Napi::Env env) override { return out_.ToTypedArray(env); }

 protected:
  void Allocate() override { out_ = Buffer<T>::Output(outputs_); }

  void Execute() override {
    if (outputs_ == 0) return;
    if (count_ == 0) {
      std::fill(out_.data(), out_.data() + outputs_, static_cast<T>(Finish(Initial(fold_))));
      return;
    }
    if (columns_) {
      ColumnLoop();
    } else {
      OutputLoop();
    }
  }

 private:
  // Splits the axes into kept and reduced, simplified; the offsets of the
  // kept ones are the outputs, in row-major order.
  void Layout() {
    std::vector<Axis> kept, reduced;
    outputs_ = 1;
    count_ = 1;
    for (int d = 0; d < view_.ndim; ++d) {
      const bool reduce = (mask_ >> d) & 1u;
      (reduce ? reduced : kept).push_back({view_.shape[d], view_.strides[d], d});
      (reduce ? count_ : outputs_) *= view_.shape[d];
    }
    if (outputs_ == 0 || count_ == 0) return;  // Execute reads nothing (and an empty view's strides are unchecked)
    kept_ = Simplify(std::move(kept));
    // The reduced axes in any order give the same statistic: the finest
    // stride innermost, for the pairwise loop.
    std::stable_sort(reduced.begin(), reduced.end(),
                     [](const Axis& a, const Axis& b) { return std::llabs(a.stride) > std::llabs(b.stride); });
    reduced_ = Simplify(std::move(reduced));
    if (reduced_.empty()) reduced_.push_back({1, 0, -1});
    // Columns: the innermost kept axis runs finer through memory than the
    // reduced ones, so outputs side by side are accumulated row by row.
    columns_ = !kept_.empty() && kept_.back().extent >= 8 &&
               std::llabs(kept_.back().stride) < std::llabs(reduced_.back().stride);
  }

  double Finish(double acc) const {
    const double n = static_cast<double>(count_);
    switch (kind_) {
      case Statistic::kMean:
        return acc / n;
      case Statistic::kVar:
        return acc / std::max(n - ddof_, 0.0);
      case Statistic::kStd:
        return std::sqrt(acc / std::max(n - ddof_, 0.0));
      default:
        return acc;
    }
  }

  bool TwoPass() const { return kind_ == Statistic::kVar || kind_ == Statistic::kStd; }

  // ---- per output

  // Folds rows [lo, hi) of the outermost reduced axis of the output at `base`.
  double FoldRows(int64_t base, int64_t lo, int64_t hi, Term term) const {
    const T* data = static_cast<const T*>(view_.data);
    const Axis inner = reduced_.back();
    if (reduced_.size() == 1) return Inner(data + base + lo * inner.stride, hi - lo, inner.stride, term);
    const Axis outer = reduced_.front();
    const std::vector<Axis> middle(reduced_.begin() + 1, reduced_.end() - 1);
    double acc = Initial(fold_);
    for (int64_t row = lo; row < hi; ++row) {
      ForEachOffset(middle, base + row * outer.stride,
                    [&](int64_t at) { acc = Join(fold_, acc, Inner(data + at, inner.extent, inner.stride, term)); });
    }
    return acc;
  }

  double Inner(const T* p, int64_t n, int64_t stride, Term term) const {
    if (fold_ == Fold::kAdd) return PairwiseSum(p, n, stride, term);
    double acc = Initial(fold_);
    for (int64_t i = 0; i < n; ++i) acc = Join(fold_, acc, static_cast<double>(p[i * stride]));
    return acc;
  }

  // One output, split across the arena along its outermost reduced axis.
  double FoldParallel(int64_t base, Term term) const {
    const int64_t rows = reduced_.front().extent;
    const int64_t per_row = count_ / rows;
    const int64_t grain = std::max<int64_t>(1, kParallelGrain / per_row);
    if (rows <= grain) return FoldRows(base, 0, rows, term);
    return tbb::parallel_deterministic_reduce(
        tbb::blocked_range<int64_t>(0, rows, grain), Initial(fold_),
        [&](const tbb::blocked_range<int64_t>& r, double acc) {
          return Join(fold_, acc, FoldRows(base, r.begin(), r.end(), term));
        },
        [&](double a, double b) { return Join(fold_, a, b); });
  }

  double OneOutput(int64_t base) const {
    const int64_t rows = reduced_.front().extent;
    const bool parallel = outputs_ == 1;
    auto fold = [&](Term term) { return parallel ? FoldParallel(base, term) : FoldRows(base, 0, rows, term); };
    const double acc = fold(Term{});
    if (!TwoPass()) return Finish(acc);
    return Finish(fold(Term{true, acc / static_cast<double>(count_)}));
  }

  void OutputLoop() {
    std::vector<int64_t> bases;
    bases.reserve(static_cast<size_t>(outputs_));
    ForEachOffset(kept_, view_.offset, [&](int64_t at) { bases.push_back(at); });
    T* out = out_.data();
    if (outputs_ == 1) {
      out[0] = static_cast<T>(OneOutput(bases[0]));
      return;
    }
    const int64_t grain = std::max<int64_t>(1, kParallelGrain / count_);
    tbb::parallel_for(tbb::blocked_range<int64_t>(0, outputs_, grain), [&](const tbb::blocked_range<int64_t>& r) {
      for (int64_t i = r.begin(); i != r.end(); ++i) out[i] = static_cast<T>(OneOutput(bases[i]));
    });
  }

  // ---- columns

  // Folds rows [r0, r1) of the outermost reduced axis into acc[0, width):
  // the outputs at `start`, `stride` apart along the last kept axis. With
  // `centre`, squared deviations from it (var's second pass).
  void FoldColumns(int64_t start, int64_t stride, int64_t r0, int64_t r1, int64_t width, const double* centre,
                   double* acc) const {
    const T* data = static_cast<const T*>(view_.data);
    const Axis rows = reduced_.front();
    const std::vector<Axis> rest(reduced_.begin() + 1, reduced_.end());
    std::fill(acc, acc + width, centre != nullptr ? 0.0 : Initial(fold_));
    for (int64_t r = r0; r < r1; ++r) {
      ForEachOffset(rest, start + r * rows.stride, [&](int64_t at) {
        const T* p = data + at;
        if (centre != nullptr) {
          for (int64_t j = 0; j < width; ++j) {
            const double d = p[j * stride] - centre[j];
            acc[j] += d * d;
          }
        } else if (fold_ == Fold::kAdd && stride == 1) {
          AddRow(acc, p, width);
        } else if (fold_ == Fold::kAdd) {
          for (int64_t j = 0; j < width; ++j) acc[j] += p[j * stride];
        } else {
          for (int64_t j = 0; j < width; ++j) acc[j] = Join(fold_, acc[j], static_cast<double>(p[j * stride]));
        }
      });
    }
  }

  // Every output accumulated along memory: tasks of a block of columns times
  // a block of rows, each into its own partial row; the partials are then
  // joined in row order. The blocks depend on the shape only.
  void ColumnLoop() {
    const Axis last = kept_.back();
    std::vector<int64_t> bases;
    ForEachOffset(std::vector<Axis>(kept_.begin(), kept_.end() - 1), view_.offset,
                  [&](int64_t at) { bases.push_back(at); });
    const int64_t blocks = (last.extent + kColumnBlock - 1) / kColumnBlock;
    const int64_t rows = reduced_.front().extent;
    const int64_t per_row = (count_ / rows) * std::min(last.extent, kColumnBlock);
    const int64_t rows_per_chunk =
        std::max({int64_t{1}, kParallelGrain / per_row, (rows + kMaxChunks - 1) / kMaxChunks});
    const int64_t chunks = (rows + rows_per_chunk - 1) / rows_per_chunk;
    const int64_t items = static_cast<int64_t>(bases.size());
    std::vector<double> partial(static_cast<size_t>(chunks * outputs_));
    std::vector<double> centre;
    auto pass = [&](const double* around) {
      tbb::parallel_for(
          tbb::blocked_range<int64_t>(0, items * blocks * chunks), [&](const tbb::blocked_range<int64_t>& r) {
            for (int64_t t = r.begin(); t != r.end(); ++t) {
              const int64_t chunk = t % chunks, block = (t / chunks) % blocks, item = t / (chunks * blocks);
              const int64_t j0 = block * kColumnBlock, width = std::min(last.extent, j0 + kColumnBlock) - j0;
              const int64_t first = item * last.extent + j0;
              const int64_t r0 = chunk * rows_per_chunk, r1 = std::min(rows, r0 + rows_per_chunk);
              FoldColumns(bases[item] + j0 * last.stride, last.stride, r0, r1, width,
                          around != nullptr ? around + first : nullptr, partial.data() + chunk * outputs_ + first);
            }
          });
      const Fold join = around != nullptr ? Fold::kAdd : fold_;
      for (int64_t c = 1; c < chunks; ++c) {
        const double* from = partial.data() + c * outputs_;
        for (int64_t o = 0; o < outputs_; ++o) partial[o] = Join(join, partial[o], from[o]);
      }
    };
    pass(nullptr);
    if (TwoPass()) {
      centre.resize(static_cast<size_t>(outputs_));
      for (int64_t o = 0; o < outputs_; ++o) centre[o] = partial[o] / static_cast<double>(count_);
      pass(centre.data());
    }
    T* out = out_.data();
    for (int64_t o = 0; o < outputs_; ++o) out[o] = static_cast<T>(Finish(partial[o]));
  }

  View view_;
  uint32_t mask_;
  Statistic kind_;
  Fold fold_;
  double ddof_;
  std::vector<Axis> kept_, reduced_;
  bool columns_ = false;  // Layout's choice of loop (see Layout)
  int64_t outputs_ = 1, count_ = 1;
  Buffer<T> owned_, out_;
};

// Bit d of the mask reduces axis d: an integer with no bit past the last axis.
uint32_t AxisMask(const CallArgs& args, const View& x, double value) {
  if (!(value >= 0 && value < std::ldexp(1.0, x.ndim) && value == std::floor(value))) {
    throw Napi::RangeError::New(args.env(), args.fn() + ": axis mask out of range");
  }
  return static_cast<uint32_t>(value);
}

}  // namespace

Napi::Value Statistics(const Napi::CallbackInfo& info) {
  CallArgs args(info, "statistic");
  const View x = args.Array("x");
  const uint32_t mask = AxisMask(args, x, args.Number("mask"));
  const auto kind = static_cast<Statistic>(args.Code(codes::kStatisticCount - 1, "statistic code"));
  const double ddof = args.Number("ddof");
  if (std::isnan(ddof)) throw Napi::TypeError::New(args.env(), args.fn() + ": ddof must be a number");
  auto make = [&](auto tag) -> std::unique_ptr<Job> {
    using T = decltype(tag);
    auto job = std::make_unique<StatisticJob<T>>(x, mask, kind, ddof);
    if (args.mode().async) job->Own();
    return job;
  };
  std::unique_ptr<Job> job = x.dtype == Dtype::kFloat64 ? make(double{}) : make(float{});
  return Dispatch(args.env(), std::move(job), args.mode());
}

}  // namespace weft::ops
