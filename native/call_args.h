// The one reader of an op binding's arguments. lib/internal/dispatch.ts
// (nativeCall) passes every op
//
//   slots 0-3  the call context, the same for every op: async (boolean),
//              cancel token or undefined, pool or undefined, threads (the
//              cap on the call's inner threads, 0: none) — job.h, CallMode
//   slots 4-   the op's operands, typed arrays whose geometry it wrote into
//              the geometry buffer (view.h), then the op's parameters
//
// and a binding reads them all through one CallArgs, in that order, with
// no argument index of its own (ops/ops.h lists each op's). Every error
// names the op first, as lib/ does ("linalg.qr: ..."), except a foreign
// External in the cancel or pool slot ("weft: not a cancel token", from
// CancelFrom and Pool::FromValue, which cancel() and poolStats() share).
#pragma once

#include <napi.h>

#include <cstddef>
#include <optional>
#include <string>

#include "job.h"
#include "view.h"

// The call context's slots by name, as lib/internal/native.ts's Call type
// names them: the start of every op's signature in addon.cc's export table.
#define WEFT_CALL_SIGNATURE "async, cancel, pool, threads, "

namespace weft {

class CallArgs {
 public:
  // Reads the call context. Throws RangeError for threads outside 0 to 4096,
  // TypeError for a pool on a sync call or a foreign External.
  CallArgs(const Napi::CallbackInfo& info, const char* fn);
  // For an op that several public functions share (contract: dot, vdot,
  // outer): `fn` is the string operand or parameter `name_at` (0: the first
  // after the call context) when it is one, else `fallback`.
  CallArgs(const Napi::CallbackInfo& info, const char* fallback, size_t name_at);

  CallArgs(const CallArgs&) = delete;
  CallArgs& operator=(const CallArgs&) = delete;

  Napi::Env env() const { return info_.Env(); }
  const std::string& fn() const { return fn_; }
  const CallMode& mode() const { return mode_; }

  // The next operand: a typed array, checked against its geometry
  // (GeometryReader::Next). Int32Array only with `allow_int32`, complex
  // data only with `allow_complex` (the op handles Dtype::kComplex*).
  View Array(const char* name, bool allow_int32 = false, bool allow_complex = false);
  // The next operand as a mask: a Uint8Array (nonzero: true), checked as Array.
  View Mask(const char* name);
  // The next operand as a stack of matrices [..., m, n] (square ones with
  // `square`), each within MKL's LP64 limit, for an op whose results are
  // at most max(m, n)² per item.
  View Matrices(const char* name, bool square, bool allow_complex = false);
  // The next parameter as an integer code in [0, high] (codes.h): TypeError
  // naming `what` otherwise.
  int Code(int high, const char* what);
  // The next parameter as a boolean (JS truthiness).
  bool Flag();
  // The next parameter as an int32 / a double: TypeError naming `name`
  // unless it is a number.
  int Int(const char* name);
  double Number(const char* name);

 private:
  CallArgs(const Napi::CallbackInfo& info, std::string fn);

  Napi::Value Next() { return info_[next_++]; }
  // Adds an operand to what mode() says of the operands.
  void Count(const View& view);
  Napi::Number NextNumber(const char* name);

  const Napi::CallbackInfo& info_;
  std::string fn_;
  CallMode mode_;
  size_t next_;
  std::optional<GeometryReader> geometry_;  // made by the first Array
};

}  // namespace weft
