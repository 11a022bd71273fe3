// How a call becomes a running job: the trailing arguments every op binding
// takes (job.h, CallMode), cancel tokens, and the sync/async fork.
#include "job.h"

#include "addon.h"
#include "array.h"
#include "completion.h"
#include "errors.h"
#include "pool.h"
#include "scheduler.h"

namespace weft {
namespace {

// Tags on the Externals lib/ holds, so one kind can never be read as another.
constexpr napi_type_tag kCancelTag = {0x7765667463616e63ULL, 0x656c746f6b656e31ULL};

CancelFlag CancelFrom(Napi::Value value) {
  if (!value.IsExternal()) return nullptr;
  bool tagged = false;
  napi_check_object_type_tag(value.Env(), value, &kCancelTag, &tagged);
  if (!tagged) throw Napi::TypeError::New(value.Env(), "weft: not a cancel token");
  return *value.As<Napi::External<CancelFlag>>().Data();
}

}  // namespace

void Job::Run() noexcept {
  // No limit asked for: composable by default. While other pending jobs
  // already fill every thread, this one runs its MKL work single-threaded
  // (MKL's parallel code paths cost more than they give on a busy arena);
  // when threads are idle it runs free and MKL's nested work fills them.
  // Measured, 10 concurrent QR 256x256 on 2 cores: 12.5 ms free, 9.2 ms
  // single-threaded each.
  const int limit = thread_limit_ > 0 ? thread_limit_ : (scheduler::Saturated() ? 1 : 0);
  if (limit == 0) {
    RunGuarded();
    return;
  }
  try {
    scheduler::ExecuteLimited(limit, [this] { RunGuarded(); });
  } catch (...) {  // creating the nested arena failed: run unlimited rather than not at all
    RunGuarded();
  }
}

void Job::RunOnCaller() noexcept {
  // The shared arena's workers linger in its slots for a while after each
  // job, so a JS thread calling execute() on it right after a previous call
  // finds no free slot and TBB hands its job to a worker while the JS thread
  // sleeps: measured 30-40 µs per sync call of wake-up latency (a 256²
  // matmul 230 µs instead of 198 µs; raw MKL 171 µs). With nothing else
  // pending, the JS thread instead computes its own job in a nested arena of
  // the same size that reserves it a slot, with the other threads coming
  // from TBB's workers: still `concurrency` threads in all.
  const int threads = thread_limit_ > 0 ? thread_limit_ : scheduler::Concurrency();
  try {
    scheduler::ExecuteLimited(threads, [this] { RunGuarded(); });
  } catch (...) {  // creating the nested arena failed: the shared arena's way
    scheduler::Execute([this] { Run(); });
  }
}

CallMode ReadCallMode(const Napi::CallbackInfo& info, size_t index) {
  CallMode mode;
  mode.async = info[index].ToBoolean();
  mode.cancel = CancelFrom(info[index + 1]);
  mode.pool = Pool::FromValue(info[index + 2]);
  if (info[index + 3].IsNumber()) {
    mode.thread_limit = info[index + 3].As<Napi::Number>().Int32Value();
    if (mode.thread_limit < 0 || mode.thread_limit > 4096) {
      throw Napi::RangeError::New(info.Env(), "weft: thread limit must be 0 to 4096");
    }
  }
  mode.direct = info[index + 4].ToBoolean();
  if (mode.pool && !mode.async) throw Napi::TypeError::New(info.Env(), "weft: a pool runs async calls only");
  return mode;
}

Napi::Value NewCancelToken(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto token = Napi::External<CancelFlag>::New(env, new CancelFlag(std::make_shared<std::atomic<bool>>(false)),
                                               [](Napi::Env, CancelFlag* flag) { delete flag; });
  NAPI_THROW_IF_FAILED(env, napi_type_tag_object(env, token, &kCancelTag), Napi::Value());
  return token;
}

Napi::Value Cancel(const Napi::CallbackInfo& info) {
  CancelFlag flag = CancelFrom(info[0]);
  if (flag == nullptr) throw Napi::TypeError::New(info.Env(), "weft: cancel(token)");
  flag->store(true);
  Data(info.Env()).completion->Abandon(info.Env(), flag);
  return info.Env().Undefined();
}

Napi::Value Dispatch(Napi::Env env, std::unique_ptr<Job> job, CallMode mode) {
  job->set_cancel(std::move(mode.cancel));
  // A pool's mode limits its items' inner threads unless the call says otherwise.
  job->set_thread_limit(mode.thread_limit > 0 ? mode.thread_limit : (mode.pool ? mode.pool->thread_limit() : 0));
  {
    SyncResults results(mode.async ? nullptr : env);  // sync: outputs in V8 memory
    job->Allocate();
  }
  if (mode.async) return Data(env).completion->Submit(env, std::move(job), std::move(mode.pool));
  if (mode.direct) {
    job->RunGuarded();
  } else {
    // Alone in the arena, and no other JS thread that could start work while
    // this one is busy in the call: then the caller can safely be one of
    // the arena's threads without pushing the total past its size.
    if (scheduler::Admit() && scheduler::Environments() == 1) {
      job->RunOnCaller();
    } else {
      scheduler::Execute([&job] { job->Run(); });
    }
    scheduler::Retire();
  }
  if (!job->status().ok()) throw MakeError(env, job->status());
  return job->Result(env);
}

}  // namespace weft
