// Turning a job's Status into the JS error the caller sees.
#pragma once

#include <napi.h>

#include "common.h"

namespace weft {

// kLinAlg -> LinAlgError (lib/errors.ts) with `code` and, for a stacked
// input, `batchIndex`; kOutOfMemory -> RangeError; kInternal -> Error. All
// carry a `code` property.
Napi::Error MakeError(Napi::Env env, const Status& status);

}  // namespace weft
