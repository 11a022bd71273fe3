#include "boundary.h"

#include <new>
#include <stdexcept>
#include <string>

namespace weft {
namespace {

// An Error/RangeError made with plain napi calls, `code` set; nullptr when
// the env refuses (it is being torn down).
napi_value PlainError(napi_env env, bool range, const char* code, const char* message) noexcept {
  napi_value js_code = nullptr, js_message = nullptr, error = nullptr;
  if (napi_create_string_utf8(env, code, NAPI_AUTO_LENGTH, &js_code) != napi_ok ||
      napi_create_string_utf8(env, message, NAPI_AUTO_LENGTH, &js_message) != napi_ok) {
    return nullptr;
  }
  const napi_status status = range ? napi_create_range_error(env, js_code, js_message, &error)
                                   : napi_create_error(env, js_code, js_message, &error);
  return status == napi_ok ? error : nullptr;
}

napi_value Trampoline(napi_env env, napi_callback_info cbinfo) {
  void* data = nullptr;
  if (napi_get_cb_info(env, cbinfo, nullptr, nullptr, nullptr, &data) != napi_ok || data == nullptr) return nullptr;
  const auto* entry = static_cast<const ExportEntry*>(data);
  return Guarded(env, entry->name, [&]() -> napi_value {
    Napi::CallbackInfo info(env, cbinfo);
    return entry->binding(info);
  });
}

}  // namespace

napi_value CurrentExceptionAsError(napi_env env, const char* name) noexcept {
  // Building a message allocates too: when even that fails, a fixed one.
  try {
    try {
      throw;
    } catch (const Napi::Error& e) {
      return e.Value();  // a napi call too: it may fail at teardown
    } catch (const std::bad_alloc&) {
      return PlainError(
          env, true, "ERR_WEFT_OUT_OF_MEMORY",
          (std::string(name) + ": out of memory: the arrays this call needs could not be allocated").c_str());
    } catch (const std::length_error&) {
      return PlainError(env, true, "ERR_WEFT_OUT_OF_MEMORY",
                        (std::string(name) + ": array is too big: its size cannot be allocated").c_str());
    } catch (const std::exception& e) {
      return PlainError(env, false, "ERR_WEFT_INTERNAL",
                        (std::string("weft internal error in ") + name + ": " + e.what() +
                         " (please report this with the call that caused it)")
                            .c_str());
    } catch (...) {
      return PlainError(env, false, "ERR_WEFT_INTERNAL",
                        (std::string("weft internal error in ") + name + ": unknown C++ exception").c_str());
    }
  } catch (...) {
    return PlainError(env, true, "ERR_WEFT_OUT_OF_MEMORY", "out of memory");
  }
}

void Export(Napi::Env env, Napi::Object exports, const ExportEntry& entry) {
  napi_value fn = nullptr;
  NAPI_THROW_IF_FAILED_VOID(
      env, napi_create_function(env, entry.name, NAPI_AUTO_LENGTH, Trampoline, const_cast<ExportEntry*>(&entry), &fn));
  exports.Set(entry.name, Napi::Value(env, fn));
}

}  // namespace weft
