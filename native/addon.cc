// Module entry: process-wide setup on first load, per-env state, and the flat
// export table that lib/internal/native.ts wraps. Nothing here is public API: only
// lib/ is typed and documented.
#include <napi.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <mutex>
#include <string>

#if defined(WEFT_SANITIZE)
#include <sanitizer/lsan_interface.h>
#endif

#include "addon.h"
#include "boundary.h"
#include "budget.h"
#include "buffer.h"
#include "call_args.h"
#include "codes.h"
#include "completion.h"
#include "loaded_libraries.h"
#include "malloc_tuning.h"
#include "mkl_setup.h"
#include "ops/ops.h"
#include "pool.h"
#include "scheduler.h"
#include "settings.h"

// Found by name in every loaded object (LibrariesDefining), this tells how
// many copies of weft's addon the process has: each runs its own arena.
extern "C" __attribute__((visibility("default"), used)) const char weft_addon_marker[] = "weft";

namespace weft {

AddonData& Data(Napi::Env env) {
  AddonData* data = env.GetInstanceData<AddonData>();
  if (data == nullptr || data->completion == nullptr) {
    throw Napi::Error::New(env, "weft: the native module was used before lib/internal/native.ts initialised it");
  }
  return *data;
}

namespace {

// The exception lib/internal/native.ts passes through as it is (a refusal to run in
// this process, with its reason), rather than as a failure to load.
Napi::Error InitError(Napi::Env env, const std::string& message) {
  Napi::Error error = Napi::Error::New(env, message);
  error.Set("code", Napi::String::New(env, "ERR_WEFT_INIT"));
  return error;
}

// loadMkl(path, source, layer, layerSource): loads libmkl_rt (once per
// process) and chooses its layers (layer: as lib/internal/env.ts read it).
// The first load makes MKL's first call inside the arena; later envs
// (worker_threads) only collect its outcome, without entering the arena.
Napi::Value LoadMkl(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  for (size_t i = 0; i < 4; ++i) {
    if (!info[i].IsString()) throw Napi::TypeError::New(env, "weft: loadMkl(path, source, layer, layerSource)");
  }
  try {
    mkl::Load(info[0].As<Napi::String>().Utf8Value(), info[1].As<Napi::String>().Utf8Value(),
              info[2].As<Napi::String>().Utf8Value(), info[3].As<Napi::String>().Utf8Value());
    static std::once_flag first_load;
    std::call_once(first_load, [] {
      scheduler::Execute([] {
        try {
          mkl::Init();
        } catch (const std::exception&) {
          // rethrown just below, in this env and every later one
        }
      });
    });
    mkl::Init();
  } catch (const std::exception& e) {
    throw InitError(env, e.what());
  }
  return env.Undefined();
}

// configure(threads, mklThreads): WEFT_NUM_THREADS and MKL_NUM_THREADS as
// lib/internal/env.ts read them (0: unset), applied by the first env of the
// process only (settings.h); returns true for that one.
Napi::Value Configure(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto count = [&](size_t i) {
    const double n = info[i].IsNumber() ? info[i].As<Napi::Number>().DoubleValue() : -1;
    if (!(n >= 0 && n <= codes::kMaxThreads) || n != static_cast<int>(n)) {
      throw Napi::RangeError::New(
          env, "weft: configure(threads, mklThreads: 0.." + std::to_string(codes::kMaxThreads) + ")");
    }
    return static_cast<int>(n);
  };
  const int threads = count(0);
  const int mkl_threads = count(1);
  return Napi::Boolean::New(env, settings::Configure(threads, mkl_threads));
}

// init(LinAlgError, geometry): called once per env by lib/internal/native.ts, after loadMkl.
Napi::Value Init(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!mkl::Loaded()) throw InitError(env, "weft: init() before loadMkl()");
  if (!info[0].IsFunction() || !info[1].IsTypedArray() ||
      info[1].As<Napi::TypedArray>().TypedArrayType() != napi_float64_array) {
    throw Napi::TypeError::New(env, "weft: init(LinAlgError, geometry: Float64Array)");
  }
  AddonData* data = env.GetInstanceData<AddonData>();
  if (data->completion != nullptr) return env.Undefined();  // idempotent per env
  data->lin_alg_error = Napi::Persistent(info[0].As<Napi::Function>());
  data->geometry = Napi::Persistent(info[1].As<Napi::Float64Array>());
  data->geometry_data = info[1].As<Napi::Float64Array>().Data();
  data->geometry_length = info[1].As<Napi::Float64Array>().ElementLength();
  data->completion = Completion::Create(env);
  return env.Undefined();
}

// info().settings: each threading setting in force and where it came from.
Napi::Object SettingsInfo(Napi::Env env, const mkl::Info& m) {
  auto setting = [&](Napi::Value value, const std::string& source) {
    Napi::Object o = Napi::Object::New(env);
    o.Set("value", value);
    o.Set("source", source);
    return o;
  };
  const int mkl_threads = settings::MklThreads();
  Napi::Object out = Napi::Object::New(env);
  out.Set("threads", setting(Napi::Number::New(env, scheduler::Concurrency()), settings::ThreadsSource()));
  out.Set("mklThreads", setting(mkl_threads > 0 ? Napi::Value(Napi::Number::New(env, mkl_threads)) : env.Null(),
                                mkl_threads > 0 ? "MKL_NUM_THREADS" : "default"));
  out.Set("threadingLayer", setting(Napi::String::New(env, m.threading_layer), m.layer_source));
  return out;
}

Napi::Value Info(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const mkl::Info m = mkl::GetInfo();
  Napi::Object mkl_info = Napi::Object::New(env);
  mkl_info.Set("version", m.version);
  mkl_info.Set("versionString", m.version_string);
  mkl_info.Set("build", m.build);
  mkl_info.Set("codePath", m.code_path);
  mkl_info.Set("threadingLayer", m.threading_layer);
  mkl_info.Set("requestedThreadingLayer", m.requested_layer);
  mkl_info.Set("threadingLayerSource", m.layer_source);
  mkl_info.Set("layerLibrary", m.layer_library);
  mkl_info.Set("interfaceLayer", m.interface_layer);
  mkl_info.Set("path", m.path);
  mkl_info.Set("source", m.source);

  const scheduler::TbbInfo t = scheduler::GetTbbInfo();
  Napi::Object tbb_info = Napi::Object::New(env);
  tbb_info.Set("version", t.version);
  tbb_info.Set("interfaceVersion", t.interface_version);
  tbb_info.Set("builtInterfaceVersion", t.built_interface_version);
  tbb_info.Set("path", t.path);
  tbb_info.Set("loadedCopies", t.loaded_copies);
  tbb_info.Set("maxAllowedParallelism", t.max_allowed_parallelism);
  tbb_info.Set("defaultConcurrency", t.default_concurrency);

  Napi::Object arena = Napi::Object::New(env);
  arena.Set("threads", scheduler::Concurrency());
  arena.Set("defaultThreads", scheduler::DefaultConcurrency());
  arena.Set("activeThreads", scheduler::ActiveThreads());
  arena.Set("jsThreads", scheduler::JsThreads());

  const malloc_tuning::State mt = malloc_tuning::Get();
  Napi::Object malloc_info = Napi::Object::New(env);
  malloc_info.Set("tunedBy", mt.source);
  malloc_info.Set("mmapThreshold",
                  mt.mmap_threshold > 0 ? Napi::Value(Napi::Number::New(env, mt.mmap_threshold)) : env.Null());
  malloc_info.Set("trimThreshold",
                  mt.trim_threshold > 0 ? Napi::Value(Napi::Number::New(env, mt.trim_threshold)) : env.Null());

  Napi::Object addon = Napi::Object::New(env);
  addon.Set("path", LibraryDefining(static_cast<const void*>(weft_addon_marker)));
  const std::vector<std::string> copies = LibrariesDefining("weft_addon_marker");
  Napi::Array copy_paths = Napi::Array::New(env, copies.size());
  for (size_t i = 0; i < copies.size(); ++i) copy_paths.Set(static_cast<uint32_t>(i), copies[i]);
  addon.Set("copies", copy_paths);

  Napi::Object out = Napi::Object::New(env);
  out.Set("addon", addon);
  out.Set("malloc", malloc_info);
  out.Set("mkl", mkl_info);
  out.Set("tbb", tbb_info);
  out.Set("arena", arena);
  out.Set("settings", SettingsInfo(env, m));
  return out;
}

Napi::Value ThreadStats(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const scheduler::ThreadStats stats = scheduler::Stats();
  Napi::Array ids = Napi::Array::New(env, stats.thread_ids.size());
  for (size_t i = 0; i < stats.thread_ids.size(); ++i) {
    ids.Set(static_cast<uint32_t>(i), Napi::Number::New(env, static_cast<double>(stats.thread_ids[i])));
  }
  Napi::Object out = Napi::Object::New(env);
  out.Set("active", stats.active);
  out.Set("peak", stats.peak);
  out.Set("threadIds", ids);
  return out;
}

Napi::Value ResetThreadStats(const Napi::CallbackInfo& info) {
  scheduler::ResetStats();
  return info.Env().Undefined();
}

// setMaxThreads(n): new work runs in an arena of n slots; returns the previous n.
Napi::Value SetMaxThreads(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const int n = info[0].IsNumber() ? info[0].As<Napi::Number>().Int32Value() : 0;
  if (n < 1 || n > codes::kMaxThreads) {
    throw Napi::RangeError::New(env, "weft: setMaxThreads(1.." + std::to_string(codes::kMaxThreads) + ")");
  }
  const int previous = scheduler::SetConcurrency(n);
  settings::NoteSetMaxThreads();
  return Napi::Number::New(env, previous);
}

Napi::Value CurrentThreadId(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), static_cast<double>(syscall(SYS_gettid)));
}

#if defined(WEFT_SANITIZE)
// The sanitizer build's positive controls (test/52-hardening,
// scripts/dev/leak-check.mjs). sanitizerProbe('overflow') reads one element past
// a weft Buffer, which AddressSanitizer must report: proof that weft's own
// allocations are watched in this build (they come from malloc here, not
// from tbbmalloc's pools, which ASan cannot see into). sanitizerProbe('leak')
// drops weft-allocated memory, which the leak check must find and attribute
// to weft. sanitizerProbe('leak-check') runs LeakSanitizer now and returns 1
// when it found leaks: its own check at exit does not complete once oneMKL
// and oneTBB are loaded (the report stops while it scans threads, and the
// process exits 0), so the leak loop calls this instead.
Napi::Value SanitizerProbe(const Napi::CallbackInfo& info) {
  const std::string kind = info[0].IsString() ? info[0].As<Napi::String>().Utf8Value() : "";
  if (kind == "leak-check") return Napi::Number::New(info.Env(), __lsan_do_recoverable_leak_check());
  if (kind == "leak") {
    // Several blocks: a pointer that lingers in a dead stack slot or a
    // register still counts as a reference to LeakSanitizer.
    for (int i = 0; i < 16; ++i) {
      static void* volatile dropped;
      dropped = AllocateAligned(4096);
    }
    return info.Env().Undefined();
  }
  Buffer<double> buffer(8);  // 64 bytes, exactly one aligned block
  volatile double* data = buffer.data();
  return Napi::Number::New(info.Env(), data[8]);
}
#endif

Napi::Value ExportTable(const Napi::CallbackInfo& info);

// The flat export table lib/internal/native.ts wraps (its Binding type).
const ExportEntry kExports[] = {
    {"loadMkl", LoadMkl, "library, source, layer, layerSource"},
    {"configure", Configure, "threads, mklThreads"},
    {"init", Init, "linAlgError, geometry"},
    {"info", Info, ""},
    {"threadStats", ThreadStats, ""},
    {"resetThreadStats", ResetThreadStats, ""},
    {"currentThreadId", CurrentThreadId, ""},
    {"setMaxThreads", SetMaxThreads, "threads"},
    {"newPool", Pool::New, "concurrency, mode"},
    {"poolStats", Pool::StatsOf, "pool"},
    {"poolExpect", Pool::ExpectOf, "pool, weight"},
    {"poolWeight", Pool::WeightOf, "pool, weight, announced"},
    {"poolMember", Pool::MemberOf, "pool"},
    {"poolTakeSlot", Pool::TakeSlotOf, "pool, waiting"},
    {"poolEndItem", Pool::EndItemOf, "pool, outcome, ms"},
    {"poolDropWaiting", Pool::DropWaitingOf, "pool"},
    {"cancelToken", NewCancelToken, ""},
    {"cancel", Cancel, "token"},
    {"setDirectCalls", SetDirectCalls, "on"},
    {"budgetHold", budget::Hold, ""},
    {"budgetRelease", budget::Release, ""},
    {"setOut", SetOut, "data, offset, count"},
    {"exportTable", ExportTable, ""},
    {"matmul", ops::Matmul, WEFT_CALL_SIGNATURE "a, b"},
    {"contract", ops::Contract, WEFT_CALL_SIGNATURE "a, b, ka, kb, fn"},
    {"cross", ops::Cross, WEFT_CALL_SIGNATURE "a, b"},
    {"qr", ops::Qr, WEFT_CALL_SIGNATURE "a, mode"},
    {"lu", ops::Lu, WEFT_CALL_SIGNATURE "a, mode"},
    {"cholesky", ops::Cholesky, WEFT_CALL_SIGNATURE "a, upper, zeroOther"},
    {"inv", ops::Inv, WEFT_CALL_SIGNATURE "a, nanOnSingular"},
    {"det", ops::Det, WEFT_CALL_SIGNATURE "a, log"},
    {"solve", ops::Solve, WEFT_CALL_SIGNATURE "a, b, assume, lower"},
    {"luSolve", ops::LuSolve, WEFT_CALL_SIGNATURE "lu, piv, b, trans"},
    {"choSolve", ops::ChoSolve, WEFT_CALL_SIGNATURE "c, b, lower"},
    {"lstsq", ops::Lstsq, WEFT_CALL_SIGNATURE "a, b, rcond"},
    {"svd", ops::Svd, WEFT_CALL_SIGNATURE "a, mode"},
    {"eig", ops::Eig, WEFT_CALL_SIGNATURE "a, vectors"},
    {"eigh", ops::Eigh, WEFT_CALL_SIGNATURE "a, lower, vectors"},
    {"pinv", ops::Pinv, WEFT_CALL_SIGNATURE "a, rcond, hermitian"},
    {"reduce", ops::Reduction, WEFT_CALL_SIGNATURE "x, axes, kind, p"},
    {"statistic", ops::Statistics, WEFT_CALL_SIGNATURE "x, mask, kind, ddof"},
    {"argExtreme", ops::ArgExtreme, WEFT_CALL_SIGNATURE "x, axis, largest"},
    {"binary", ops::Elementwise, WEFT_CALL_SIGNATURE "x1, x2, op"},
    {"unary", ops::UnaryMath, WEFT_CALL_SIGNATURE "x, op, decimals"},
    {"clip", ops::Clip, WEFT_CALL_SIGNATURE "a, aMin, aMax"},
    {"select", ops::Select, WEFT_CALL_SIGNATURE "condition, x, y"},
    {"random", ops::Random, WEFT_CALL_SIGNATURE "kind, count, seed, f64, a, b"},
#if defined(WEFT_SANITIZE)
    {"sanitizerProbe", SanitizerProbe, "kind"},
#endif
};

// exportTable(): [{ name, signature }] of every export, for the test that
// holds them to lib/internal/native.ts's Binding type.
Napi::Value ExportTable(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Array table = Napi::Array::New(env);
  uint32_t i = 0;
  for (const ExportEntry& entry : kExports) {
    Napi::Object row = Napi::Object::New(env);
    row.Set("name", entry.name);
    row.Set("signature", entry.signature);
    table.Set(i++, row);
  }
  return table;
}

Napi::Object RegisterWeft(Napi::Env env, Napi::Object exports) {
  try {
    // The arena (it also proves one usable libtbb is loaded); oneMKL comes
    // with loadMkl, once lib/ has found it.
    scheduler::Init();
    malloc_tuning::Apply();  // before the first sync result is allocated
  } catch (const std::exception& e) {
    throw InitError(env, e.what());
  }
  env.SetInstanceData(new AddonData());
  for (const ExportEntry& entry : kExports) Export(env, exports, entry);
  return exports;
}

}  // namespace
}  // namespace weft

// Module init, guarded like every binding (boundary.h): a worker_thread
// terminated while it loads weft must not abort the process.
NAPI_MODULE_INIT() {
  return weft::Guarded(env, "weft",
                       [&]() -> napi_value { return weft::RegisterWeft(Napi::Env(env), Napi::Object(env, exports)); });
}
