// The one job type every weft operation is built on.
//
// Lifecycle (sync and async share it; only where step 2 runs differs):
//  1. Prepare (JS thread). An op's factory validates the arguments and fills a
//     job with everything Execute needs. Async jobs always take private copies
//     of their inputs: the caller may mutate or detach its arrays as soon as
//     the call returns. Sync jobs may borrow the caller's memory, because the
//     JS thread stays inside the call until the job is done. Bad arguments
//     throw here, before any work is queued. Then Allocate() makes the
//     outputs whose sizes the arguments fix, still on the JS thread: for a
//     sync call in V8's memory (buffer.h, SyncResults), so results are not
//     copied and V8's GC frees them; async results are owned memory that
//     becomes external ArrayBuffers in step 3.
//  2. Execute (inside weft's arenas). Sync: at once, on the calling JS
//     thread, in a nested arena whose other slots take idle workers only
//     (RunOnCaller), never queued behind async work. Async: on an arena
//     worker. Touches only memory the
//     job owns or borrowed, never napi_env. Never throws out: RunGuarded turns
//     LAPACK failures, cancellation and C++ exceptions into `status`. It runs
//     isolated, so a thread waiting inside it (for MKL's or the batch's
//     subtasks) never picks up an unrelated queued job and stalls this one.
//  3. Settle (JS thread). Result() hands the outputs to JS (buffer ownership
//     moves to ArrayBuffers), or MakeError turns `status` into an error; sync
//     returns or throws, async resolves or rejects its Promise.
//  4. Destroy. Whoever holds the job last deletes it: the settling code, or
//     the completion queue when the env is torn down with the job in flight.
//     So a job holds no napi handle that would need the env to release.
#pragma once

#include <napi.h>
#include <oneapi/tbb/task_arena.h>

#include <atomic>
#include <memory>
#include <new>
#include <stdexcept>

#include "common.h"

namespace weft {

class Completion;
class Pool;

// Set from JS when the caller's AbortSignal fires; read by the job.
using CancelFlag = std::shared_ptr<std::atomic<bool>>;

class Job {
 public:
  virtual ~Job() = default;

  // Step 2, where the job runs: within its inner threads if InnerThreads
  // caps them (a nested arena), else directly on the calling arena thread.
  void Run() noexcept;
  // Step 2 for a sync call: on the calling JS thread itself (job.cc says why).
  void RunOnCaller() noexcept;

  // The one place a job's inner (MKL and batch) thread count is decided,
  // when it starts: the call's own `threads`, else its Pool's mode, else 1 when
  // pending jobs already fill the arena, else the arena's threads (0: run
  // in the shared arena as it is); all but the call's own `threads` capped
  // at MKL_NUM_THREADS when the environment set it (settings.h).
  // `on_caller`: a sync call on its JS thread.
  int InnerThreads(bool on_caller) const;
  // RunGuarded, then a function item's pool notes the threads in the arena.
  void RunNoted() noexcept;

  // Step 2. Runs Execute and records its outcome; never throws.
  void RunGuarded() noexcept {
    try {
      if (Cancelled()) throw weft::Cancelled{};
      tbb::this_task_arena::isolate([this] { Execute(); });
    } catch (const LinAlgFailure& f) {
      Fail(Status::Kind::kLinAlg, f.code, f.message);
      status_.batch_index = f.batch_index;
    } catch (const TooLarge& t) {
      Fail(Status::Kind::kTooLarge, "ERR_WEFT_TOO_LARGE", t.message);
    } catch (const weft::Cancelled&) {
      Fail(Status::Kind::kCancelled, "ABORT_ERR", "The operation was aborted");
    } catch (const std::bad_alloc&) {
      Fail(Status::Kind::kOutOfMemory, "ERR_WEFT_OUT_OF_MEMORY", "out of memory while running the operation");
    } catch (const std::length_error&) {
      Fail(Status::Kind::kOutOfMemory, "ERR_WEFT_OUT_OF_MEMORY", "array is too big: its size cannot be allocated");
    } catch (const std::exception& e) {
      Fail(Status::Kind::kInternal, "ERR_WEFT_INTERNAL", e.what());
    } catch (...) {
      Fail(Status::Kind::kInternal, "ERR_WEFT_INTERNAL", "unknown C++ exception");
    }
  }

  // Step 1, on the JS thread: allocate outputs with Buffer::Output. Jobs
  // whose output sizes depend on the computation allocate in Execute.
  virtual void Allocate() {}

  bool Cancelled() const { return cancel_ != nullptr && cancel_->load(std::memory_order_relaxed); }
  void set_cancel(CancelFlag flag) { cancel_ = std::move(flag); }
  // At most `threads` threads for this job's inner (MKL) parallelism, as the
  // call's `threads` option asks; 0: InnerThreads decides.
  void set_threads(int threads) { threads_ = threads; }
  // A call made inside a Pool item that is a user function (lib/pool.ts):
  // the job belongs to `pool`'s running item, so the pool's mode limits its
  // inner threads, but it takes no slot of its own (the item holds one).
  void set_member_of(std::shared_ptr<Pool> pool) {
    pool_ = std::move(pool);
    pool_member_ = pool_ != nullptr;
  }

  const Status& status() const { return status_; }

  // Step 3, when status().ok(): the JS value the call returns or resolves to.
  virtual Napi::Value Result(Napi::Env env) = 0;

 protected:
  virtual void Execute() = 0;

 private:
  void Fail(Status::Kind kind, std::string code, std::string message) {
    status_.kind = kind;
    status_.code = std::move(code);
    status_.message = std::move(message);
  }

  Status status_;
  CancelFlag cancel_;
  int threads_ = 0;

  // Async bookkeeping, owned by Completion (completion.cc).
  friend class Completion;
  napi_deferred deferred_ = nullptr;
  std::shared_ptr<Completion> completion_;
  bool keeps_alive_ = false;     // JS thread only: counted in Completion::keeping_alive_
  bool budget_counted_ = false;  // JS thread only: counted against its item's budget slot (budget.h)
  std::shared_ptr<Pool> pool_;   // the Pool whose queue the job joined, or whose item made it
  bool pool_member_ = false;     // pool_ is the pool of the function item that made the call
};

// How an op binding was called: the call context in its leading arguments,
// from lib/internal/dispatch.ts (CallArgs reads it, call_args.h).
struct CallMode {
  bool async = false;
  CancelFlag cancel;
  // The Pool whose queue the job joins (async only), or, with pool_member,
  // the Pool whose function item made the call (sync or async).
  std::shared_ptr<Pool> pool;
  bool pool_member = false;
  int threads = 0;  // cap on the inner threads: the call's `threads` option (0: none)
  // What CallArgs read of the operands, for Dispatch's small-call path:
  // whether the op may take it at all (CallArgs's list of ops whose work on
  // one small matrix is one thread's, no TBB construct of their own), how
  // many operands, their elements together, the longest axis of any (which
  // bounds the result: at most its square elements), and whether any is a
  // stack (> 2 axes).
  bool may_skip_arena = false;
  int operands = 0;
  int64_t operand_elements = 0;
  int64_t longest_axis = 0;
  bool stacked = false;
};

// setDirectCalls(on): for the demo's oversubscribed baseline only, a switch
// for the whole process: sync calls then run on the calling thread outside
// weft's arena, as a binding without one would. (The baseline runs in a
// process of its own.)
Napi::Value SetDirectCalls(const Napi::CallbackInfo& info);

// Runs `job` synchronously (in the arena, on this thread) or asynchronously
// (Promise), and settles it. The single exit of every op binding.
Napi::Value Dispatch(Napi::Env env, std::unique_ptr<Job> job, CallMode mode);

// Cancel tokens for lib/internal/dispatch.ts: a tagged External holding a CancelFlag
// that jobs share, so setting it never touches freed memory.
Napi::Value NewCancelToken(const Napi::CallbackInfo& info);
Napi::Value Cancel(const Napi::CallbackInfo& info);
// The flag of a cancel token; null for a value that is no External, and a
// TypeError for an External of another kind.
CancelFlag CancelFrom(Napi::Value value);

// Makes JobT<float> or JobT<double>: the single place ops choose their
// element type (float64 if any input is float64, as numpy promotes).
template <template <class> class JobT, class... Args>
std::unique_ptr<Job> MakeTyped(bool f64, Args&&... args) {
  if (f64) return std::make_unique<JobT<double>>(std::forward<Args>(args)...);
  return std::make_unique<JobT<float>>(std::forward<Args>(args)...);
}

// The same for an op that also takes complex operands: JobT<T> for the
// element type of `dtype` (batch.h's Promoted gives it from the operands).
template <template <class> class JobT, class... Args>
std::unique_ptr<Job> MakeTyped(Dtype dtype, Args&&... args) {
  switch (dtype) {
    case Dtype::kComplex128:
      return std::make_unique<JobT<std::complex<double>>>(std::forward<Args>(args)...);
    case Dtype::kComplex64:
      return std::make_unique<JobT<std::complex<float>>>(std::forward<Args>(args)...);
    case Dtype::kFloat32:
      return std::make_unique<JobT<float>>(std::forward<Args>(args)...);
    default:
      return std::make_unique<JobT<double>>(std::forward<Args>(args)...);
  }
}

}  // namespace weft
