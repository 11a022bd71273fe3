// Small shared vocabulary of the addon: dtypes, a job's outcome, and the
// exceptions job code throws to report one.
#pragma once

#include <complex>
#include <cstdint>
#include <mutex>
#include <stdexcept>
#include <string>

namespace weft {

// kInt32 only for index arrays (luSolve's pivots), kUint8 only for masks
// (where's condition); math runs in float32/float64 and, for the ops that
// accept them, complex64/complex128: (re, im) interleaved in a Float32Array
// or Float64Array, counted in complex elements (GeometryReader).
enum class Dtype : uint8_t { kFloat32, kFloat64, kInt32, kUint8, kComplex64, kComplex128 };

inline bool IsComplex(Dtype dtype) { return dtype == Dtype::kComplex64 || dtype == Dtype::kComplex128; }

template <class T>
constexpr Dtype DtypeOf();
template <>
constexpr Dtype DtypeOf<float>() {
  return Dtype::kFloat32;
}
template <>
constexpr Dtype DtypeOf<double>() {
  return Dtype::kFloat64;
}
template <>
constexpr Dtype DtypeOf<std::complex<float>>() {
  return Dtype::kComplex64;
}
template <>
constexpr Dtype DtypeOf<std::complex<double>>() {
  return Dtype::kComplex128;
}

// What became of a job. Written on the thread that ran it, read on the JS
// thread, which turns it into a JS error (errors.cc).
struct Status {
  enum class Kind : uint8_t { kOk, kLinAlg, kOutOfMemory, kInternal, kCancelled, kTooLarge };
  Kind kind = Kind::kOk;
  std::string code;     // kLinAlg: ERR_SINGULAR, ERR_NOT_POSITIVE_DEFINITE, ...
  std::string message;  // plain sentence, numpy's wording where numpy has one
  int64_t batch_index = -1;

  bool ok() const { return kind == Kind::kOk; }
};

// Thrown by job code when the mathematics fails (singular matrix, no
// convergence): becomes a LinAlgError in JS.
struct LinAlgFailure {
  std::string code;
  std::string message;
  int64_t batch_index = -1;  // set by ForEachItem for stacked input
};

// Thrown when a job sees its AbortSignal fired before or between items.
struct Cancelled {};

// Thrown when a size MKL's 32-bit (LP64) interface cannot express shows up
// only once a job runs (a LAPACK workspace): becomes a RangeError.
struct TooLarge {
  std::string message;
};

// Thrown when a LAPACK routine reports a negative `info`, i.e. weft passed it
// an illegal argument. That is a weft bug, never the caller's: the message
// names the routine and `info` so the report can be acted on.
class InternalFailure : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Process-wide setup that must happen once, whichever env loads weft first.
// A failure is remembered and rethrown to every later caller, so each env
// (each worker_thread) gets the same error.
class ProcessOnce {
 public:
  template <class Init>
  void Run(Init&& init) {
    std::call_once(flag_, [&] {
      try {
        init();
      } catch (const std::exception& e) {
        error_ = e.what();
        failed_ = true;
      }
    });
    if (failed_) throw std::runtime_error(error_);
  }

 private:
  std::once_flag flag_;
  std::string error_;
  bool failed_ = false;
};

}  // namespace weft
