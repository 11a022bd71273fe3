// random.uniform / random.normal on MKL's Vector Statistics streams.
//
// The output is cut into fixed blocks; block b draws from a Philox4x32-10
// stream seeded with `seed` and skipped ahead by b·2^36 numbers. Blocks are
// filled in parallel across the arena, yet the values depend only on the
// seed and the position, never on how many threads ran. (Normal uses the
// inverse-CDF method: one uniform per value, so a block's draws never spill
// into the next block's range.)
#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "../buffer.h"
#include "../call_args.h"
#include "../codes.h"
#include "../job.h"
#include "../layout.h"
#include "../mkl_include.h"
#include "../view.h"
#include "ops.h"

namespace weft::ops {
namespace {

constexpr int64_t kBlock = int64_t{1} << 16;
constexpr long long kSkipPerBlock = 1LL << 36;

using codes::Distribution;

void Check(int status, const char* what) {
  if (status != VSL_STATUS_OK)
    throw InternalFailure(std::string("MKL VS ") + what + " failed with status " + std::to_string(status));
}

int Draw(Distribution d, VSLStreamStatePtr stream, MKL_INT n, double* out, double a, double b) {
  return d == Distribution::kUniform ? vdRngUniform(VSL_RNG_METHOD_UNIFORM_STD, stream, n, out, a, b)
                                     : vdRngGaussian(VSL_RNG_METHOD_GAUSSIAN_ICDF, stream, n, out, a, b);
}
int Draw(Distribution d, VSLStreamStatePtr stream, MKL_INT n, float* out, double a, double b) {
  return d == Distribution::kUniform
             ? vsRngUniform(VSL_RNG_METHOD_UNIFORM_STD, stream, n, out, static_cast<float>(a), static_cast<float>(b))
             : vsRngGaussian(VSL_RNG_METHOD_GAUSSIAN_ICDF, stream, n, out, static_cast<float>(a),
                             static_cast<float>(b));
}

// Vector Statistics' own intermediates overflow before the values do: its
// uniform computes low + high, its normal std·√2. Beyond half the dtype's
// range, draw with the parameters halved and double the values: scaling by
// 2 is exact, so these are the values the unhalved formula would give, and
// ±Infinity only where mean + std·z truly lies beyond the dtype's range.
template <class T>
bool NeedsHalving(double a, double b) {
  const double half = static_cast<double>(std::numeric_limits<T>::max()) / 2;
  return std::abs(a) > half || std::abs(b) > half;
}

template <class T>
int DrawScaled(Distribution d, VSLStreamStatePtr stream, MKL_INT n, T* out, double a, double b) {
  if (!NeedsHalving<T>(a, b)) return Draw(d, stream, n, out, a, b);
  const int status = Draw(d, stream, n, out, a / 2, b / 2);
  for (MKL_INT i = 0; i < n; ++i) out[i] *= 2;
  return status;
}

// numpy's cases that Vector Statistics refuses (it wants low < high and
// std > 0, in the output's own precision): an interval of one value, or a
// deviation of 0, is that value everywhere; low > high draws from
// [high, low) and reflects, so values lie in (high, low] as numpy's
// low + (high - low)·U do. lib/random.ts has refused non-finite parameters,
// and an interval whose width overflows.
//
// low + (high − low)·U rounds to high for U close enough to 1 (numpy says
// so of its own); such values become the nearest value inside the interval,
// so high is never returned.
template <class T>
int DrawInto(Distribution d, VSLStreamStatePtr stream, MKL_INT n, T* out, double a, double b) {
  if (d == Distribution::kNormal) {
    if (static_cast<T>(b) == T(0)) {
      std::fill_n(out, n, static_cast<T>(a));
      return VSL_STATUS_OK;
    }
    return DrawScaled(d, stream, n, out, a, b);
  }
  const double lo = std::min(a, b), hi = std::max(a, b);
  const T low = static_cast<T>(a), high = static_cast<T>(b);
  if (static_cast<T>(lo) == static_cast<T>(hi)) {
    std::fill_n(out, n, low);
    return VSL_STATUS_OK;
  }
  const int status = DrawScaled(d, stream, n, out, lo, hi);
  const T inside = std::nextafter(high, low);  // the value of the interval nearest high
  for (MKL_INT i = 0; i < n; ++i) {
    // Reflected as low − (U' − high), not low + high − U', which overflows.
    T v = a > b ? static_cast<T>(a - (static_cast<double>(out[i]) - b)) : out[i];
    if (a > b ? v <= high : v >= high) v = inside;
    out[i] = a > b ? std::min(v, low) : std::max(v, low);
  }
  return status;
}

template <class T>
class RandomJob final : public Job {
 public:
  RandomJob(Distribution d, int64_t count, uint32_t seed, double a, double b)
      : d_(d), count_(count), seed_(seed), a_(a), b_(b) {}

  Napi::Value Result(Napi::Env env) override { return out_.ToTypedArray(env); }

 protected:
  void Allocate() override { out_ = Buffer<T>::Output(count_); }

  void Execute() override {
    const int64_t blocks = (count_ + kBlock - 1) / kBlock;
    tbb::parallel_for(tbb::blocked_range<int64_t>(0, blocks), [&](const tbb::blocked_range<int64_t>& r) {
      for (int64_t block = r.begin(); block != r.end(); ++block) {
        VSLStreamStatePtr stream = nullptr;
        Check(vslNewStream(&stream, VSL_BRNG_PHILOX4X32X10, seed_), "vslNewStream");
        int status = vslSkipAheadStream(stream, block * kSkipPerBlock);
        const int64_t start = block * kBlock;
        const MKL_INT n = static_cast<MKL_INT>(std::min(kBlock, count_ - start));
        if (status == VSL_STATUS_OK) status = DrawInto(d_, stream, n, out_.data() + start, a_, b_);
        vslDeleteStream(&stream);
        Check(status, "draw");
      }
    });
  }

 private:
  Distribution d_;
  int64_t count_;
  uint32_t seed_;
  double a_, b_;
  Buffer<T> out_;
};

}  // namespace

Napi::Value Random(const Napi::CallbackInfo& info) {
  CallArgs args(info, "random");
  Napi::Env env = args.env();
  const auto kind = static_cast<Distribution>(args.Code(codes::kDistributionCount - 1, "distribution code"));
  const double count = args.Number("size");
  const double seed = args.Number("seed");
  if (!(count >= 0 && count <= 9007199254740991.0) || std::floor(count) != count) {
    throw Napi::RangeError::New(env, args.fn() + ": size must be a non-negative integer");
  }
  if (!(seed >= 0 && seed <= 4294967295.0) || std::floor(seed) != seed) {
    throw Napi::RangeError::New(env, args.fn() + ": seed must be an integer from 0 to 4294967295");
  }
  const bool f64 = args.Flag();
  const double a = args.Number("a");
  const double b = args.Number("b");
  return Dispatch(env, MakeTyped<RandomJob>(f64, kind, static_cast<int64_t>(count), static_cast<uint32_t>(seed), a, b),
                  args.mode());
}

}  // namespace weft::ops
