// The op bindings the addon exports, one family per file. Each reads its
// operands through GeometryReader, re-checks what it will touch, builds a Job
// and hands it to Dispatch (sync or async).
#pragma once

#include <napi.h>

namespace weft::ops {

// matmul(aData, bData, async): 2-D views from the geometry buffer.
Napi::Value Matmul(const Napi::CallbackInfo& info);

// qr(aData, mode, async): mode 0 reduced, 1 complete, 2 r, 3 raw.
Napi::Value Qr(const Napi::CallbackInfo& info);

}  // namespace weft::ops
