// How a call becomes a running job: its inner threads, cancel tokens, and the
// sync/async fork. (The call context every op binding takes, job.h's
// CallMode, is read by CallArgs: call_args.h.)
#include "job.h"

#include "addon.h"
#include "budget.h"
#include "buffer.h"
#include "completion.h"
#include "errors.h"
#include "pool.h"
#include "scheduler.h"
#include "settings.h"

namespace weft {
namespace {

// Tags on the Externals lib/ holds, so one kind can never be read as another.
constexpr napi_type_tag kCancelTag = {0x7765667463616e63ULL, 0x656c746f6b656e31ULL};

// SetDirectCalls's switch (job.h).
std::atomic<bool> direct_calls{false};

// A sync call of an op that opted in (CallArgs: linalg ops whose work on a
// single matrix is MKL/LAPACK's alone, with no tbb::parallel_for of their
// own) on single matrices or vectors (no stack) of at most
// kSmallCallElements elements together, none with an axis longer than
// kSmallCallAxis, runs on the calling thread without entering an arena.
// The axis bound is the work bound: every such op's result has at most
// (longest axis)² = 484 elements and its flops are at most (longest
// axis)³, sizes MKL runs on one thread, so the call computes exactly what
// it would inside the arena, and the nested arena's entry (its cache lock
// and the thread census's observer callbacks) costs more than a 4×4
// solve. Elementwise, reduction and search ops never take this path:
// their own parallel_for would run in TBB's implicit arena on the JS
// thread, and a small broadcast ([512,1] + [1,512]) can make a large
// result. Measured on a Xeon (2 vCPUs): a sync 2×2 matmul ~0.5 µs less.
constexpr int64_t kSmallCallElements = 512;
constexpr int64_t kSmallCallAxis = 22;

bool SmallCall(const CallMode& mode) {
  return mode.may_skip_arena && mode.operands > 0 && !mode.stacked && mode.operand_elements <= kSmallCallElements &&
         mode.longest_axis <= kSmallCallAxis && mode.threads == 0;
}

}  // namespace

CancelFlag CancelFrom(Napi::Value value) {
  if (!value.IsExternal()) return nullptr;
  bool tagged = false;
  napi_check_object_type_tag(value.Env(), value, &kCancelTag, &tagged);
  if (!tagged) throw Napi::TypeError::New(value.Env(), "weft: not a cancel token");
  return *value.As<Napi::External<CancelFlag>>().Data();
}

int Job::InnerThreads(bool on_caller) const {
  // The call's own `threads` option first (as mkl_set_num_threads_local
  // overrides MKL_NUM_THREADS), then its Pool's mode.
  if (threads_ > 0) return threads_;
  // MKL_NUM_THREADS, which MKL itself ignores under the TBB layer: the most
  // inner threads any job runs with (a job that would run free runs in a
  // nested arena of that size).
  const int mkl_threads = settings::MklThreads();
  const int cap = mkl_threads < scheduler::Concurrency() ? mkl_threads : 0;  // at the arena's size, no cap
  auto capped = [cap](int threads) { return cap > 0 && (threads == 0 || threads > cap) ? cap : threads; };
  // A call inside a function item: its pool's mode, without weights
  // (Pool::MemberThreads).
  if (pool_member_) return capped(pool_->MemberThreads(scheduler::Concurrency(), on_caller));
  // A Pool item: its mode decides, weighing its siblings (Pool::ItemThreads).
  if (pool_ != nullptr) return capped(pool_->ItemThreads(scheduler::Concurrency()));
  // Any other job: while other pending jobs already fill every
  // thread, this one runs its MKL work single-threaded (MKL's parallel code
  // paths cost more than they give on a busy arena); when threads are idle
  // it runs free and MKL's nested work fills them. Measured, 10 concurrent
  // QR 256x256 on 2 cores: 12.5 ms free, 9.2 ms single-threaded each.
  if (scheduler::Saturated()) return 1;
  // A sync call on its JS thread needs a nested arena of its own to join
  // (RunOnCaller); an arena thread already is in the shared one.
  return capped(on_caller ? scheduler::Concurrency() : 0);
}

void Job::RunNoted() noexcept {
  RunGuarded();
  // A function item's call: its pool's peakThreads sees the arena as the work
  // ends, while its threads are still inside (an op item's pool notes them
  // around the item itself).
  if (pool_member_) pool_->NoteThreads();
}

void Job::Run() noexcept {
  const int threads = InnerThreads(/*on_caller=*/false);
  if (threads == 0) {
    RunNoted();
    return;
  }
  try {
    scheduler::ExecuteLimited(threads, [this] { RunNoted(); });
  } catch (...) {  // creating the nested arena failed: run unlimited rather than not at all
    RunGuarded();
  }
}

void Job::RunOnCaller() noexcept {
  // A sync call runs at once on the calling JS thread, never queued behind
  // async work: that thread is blocked in the call anyway, so computing on
  // it adds no thread that was not already waiting (measured before: a 2×2
  // det behind 4 queued 1200² SVDs waited 2.9 s). It runs in a nested arena
  // that reserves the caller a slot; its other slots take TBB's workers for
  // MKL's nested parallelism only while some are idle: when pending jobs
  // already fill the shared arena it gets one slot, the caller's own.
  // (Entering the shared arena instead would hand the job to a lingering
  // worker and cost 30-40 µs of wake-up per call, or wait for a free slot.)
  try {
    scheduler::ExecuteLimited(InnerThreads(/*on_caller=*/true), [this] { RunNoted(); });
  } catch (...) {  // creating the nested arena failed: run here without one
    RunGuarded();
  }
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

Napi::Value SetDirectCalls(const Napi::CallbackInfo& info) {
  direct_calls.store(info[0].ToBoolean());
  return info.Env().Undefined();
}

Napi::Value Dispatch(Napi::Env env, std::unique_ptr<Job> job, CallMode mode) {
  job->set_cancel(std::move(mode.cancel));
  // A pool's mode limits its items' inner threads unless the call says otherwise.
  job->set_threads(mode.threads);
  if (mode.pool_member) job->set_member_of(mode.pool);
  {
    SyncResults results(mode.async ? nullptr : env);  // sync: outputs in V8 memory
    job->Allocate();
    SetOutTarget(OutTarget{});  // taken by Allocate, or not for this call
  }
  if (mode.async) {
    // A function item's call goes straight to the arena: the item holds its slot.
    return Data(env).completion->Submit(env, std::move(job), mode.pool_member ? nullptr : std::move(mode.pool));
  }
  if (direct_calls.load(std::memory_order_relaxed) || SmallCall(mode)) {
    job->RunGuarded();
  } else {
    // A pool worker's JS thread that holds a budget slot computes in it:
    // the slot already counts it (budget.h).
    const bool counted = budget::HoldsSlot();
    if (!counted) scheduler::Admit();
    job->RunOnCaller();
    if (!counted) scheduler::Retire();
  }
  if (!job->status().ok()) throw MakeError(env, job->status());
  return job->Result(env);
}

}  // namespace weft
