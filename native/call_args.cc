#include "call_args.h"

#include <algorithm>
#include <string>
#include <utility>

#include "codes.h"
#include "ops/batch.h"
#include "pool.h"

namespace weft {
namespace {

// The slots of the call context (call_args.h), and the first after it.
enum Slot : size_t { kAsync, kCancel, kPool, kThreads, kFirstOperand };

// The most inner threads a call may ask for (lib/internal/options.ts, MAX_THREADS).

std::string NameAt(const Napi::CallbackInfo& info, const char* fallback, size_t name_at) {
  const Napi::Value name = info[kFirstOperand + name_at];
  return name.IsString() ? name.As<Napi::String>().Utf8Value() : fallback;
}

// The ops that may skip the arena on small single matrices (job.cc,
// SmallCall): each runs a single matrix through MKL/LAPACK alone, with no
// TBB construct of its own (their batch loop, ops/batch.h, runs one item
// inline), and every result is at most (longest operand axis)² elements.
// An op joins this list only after its code is checked for that.
bool MaySkipArena(const std::string& fn) {
  static const char* const kOps[] = {"linalg.matmul", "linalg.solve", "linalg.luSolve", "linalg.choSolve",
                                     "linalg.lstsq",  "linalg.qr",    "linalg.lu",      "linalg.cholesky",
                                     "linalg.inv",    "linalg.det",   "linalg.svd",     "linalg.eig",
                                     "linalg.eigh",   "linalg.pinv"};
  for (const char* op : kOps) {
    if (fn == op) return true;
  }
  return false;
}

}  // namespace

CallArgs::CallArgs(const Napi::CallbackInfo& info, const char* fn) : CallArgs(info, std::string(fn)) {}

CallArgs::CallArgs(const Napi::CallbackInfo& info, const char* fallback, size_t name_at)
    : CallArgs(info, NameAt(info, fallback, name_at)) {}

CallArgs::CallArgs(const Napi::CallbackInfo& info, std::string fn)
    : info_(info), fn_(std::move(fn)), next_(kFirstOperand) {
  mode_.async = info[kAsync].ToBoolean();
  mode_.may_skip_arena = !mode_.async && MaySkipArena(fn_);
  mode_.cancel = CancelFrom(info[kCancel]);
  mode_.pool = Pool::FromValue(info[kPool], &mode_.pool_member);
  if (info[kThreads].IsNumber()) {
    mode_.threads = info[kThreads].As<Napi::Number>().Int32Value();
    if (mode_.threads < 0 || mode_.threads > codes::kMaxThreads) {
      throw Napi::RangeError::New(env(), fn_ + ": threads must be 0 to " + std::to_string(codes::kMaxThreads));
    }
  }
  if (mode_.pool && !mode_.pool_member && !mode_.async)
    throw Napi::TypeError::New(env(), fn_ + ": a pool runs async calls only");
}

View CallArgs::Array(const char* name, bool allow_int32, bool allow_complex) {
  if (!geometry_) geometry_.emplace(env(), fn_.c_str());
  View view = geometry_->Next(Next(), name, allow_int32, false, allow_complex);
  Count(view);
  return view;
}

void CallArgs::Count(const View& view) {
  int64_t elements = 1;
  for (int d = 0; d < view.ndim; ++d) {
    elements *= view.shape[d];  // checked below 2^53 by GeometryReader
    mode_.longest_axis = std::max(mode_.longest_axis, view.shape[d]);
  }
  ++mode_.operands;
  mode_.operand_elements += elements;
  mode_.stacked = mode_.stacked || view.ndim > 2;
}

View CallArgs::Mask(const char* name) {
  if (!geometry_) geometry_.emplace(env(), fn_.c_str());
  const Napi::Value value = Next();
  if (!value.IsTypedArray() || value.As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array) {
    throw Napi::TypeError::New(env(), fn_ + ": " + name + ".data must be a Uint8Array");
  }
  View view = geometry_->Next(value, name, false, /*allow_uint8=*/true);
  Count(view);
  return view;
}

View CallArgs::Matrices(const char* name, bool square, bool allow_complex) {
  Napi::Env env = this->env();
  const View a = Array(name, false, allow_complex);
  CheckStacked(env, fn_, name, a, 2);
  if (square) CheckSquare(env, fn_, name, a);
  const int64_t m = a.shape[a.ndim - 2], n = a.shape[a.ndim - 1];
  if (!FitsLp64(m, n)) CheckLp64(env, fn_, std::string(name) + " (each matrix)", m, n);  // the message only when thrown
  CheckOutputSize(env, fn_, {ItemCount(a, 2), std::max(m, n), std::max(m, n)});
  return a;
}

int CallArgs::Code(int high, const char* what) {
  const Napi::Value value = Next();
  const int code = value.IsNumber() ? value.As<Napi::Number>().Int32Value() : -1;
  if (code < 0 || code > high) {
    throw Napi::TypeError::New(env(), fn_ + ": " + what + " must be 0 to " + std::to_string(high));
  }
  return code;
}

bool CallArgs::Flag() { return Next().ToBoolean(); }

int CallArgs::Int(const char* name) { return NextNumber(name).Int32Value(); }

double CallArgs::Number(const char* name) { return NextNumber(name).DoubleValue(); }

Napi::Number CallArgs::NextNumber(const char* name) {
  const Napi::Value value = Next();
  if (!value.IsNumber()) throw Napi::TypeError::New(env(), fn_ + ": " + name + " must be a number");
  return value.As<Napi::Number>();
}

}  // namespace weft
