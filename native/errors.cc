#include "errors.h"

#include "addon.h"

namespace weft {

Napi::Error MakeError(Napi::Env env, const Status& status) {
  Napi::Error error;
  switch (status.kind) {
    case Status::Kind::kLinAlg: {
      Napi::Object e = Data(env).lin_alg_error.New({Napi::String::New(env, status.message)});
      error = Napi::Error(env, e);
      break;
    }
    case Status::Kind::kCancelled:
      error = Napi::Error::New(env, status.message);
      error.Set("name", Napi::String::New(env, "AbortError"));
      break;
    case Status::Kind::kOutOfMemory:
    case Status::Kind::kTooLarge:
      error = Napi::RangeError::New(env, status.message);
      break;
    default:
      error = Napi::Error::New(
          env, "weft internal error: " + status.message + " (please report this with the call that caused it)");
      break;
  }
  error.Set("code", Napi::String::New(env, status.code));
  if (status.batch_index >= 0) error.Set("batchIndex", Napi::Number::New(env, static_cast<double>(status.batch_index)));
  return error;
}

}  // namespace weft
