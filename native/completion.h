// Async completion: a job that ran on an arena thread comes back to its env's
// JS thread through one thread-safe function per env, which settles its
// Promise. Not Napi::AsyncWorker: that runs on libuv's 4-thread pool, a
// second pool that would oversubscribe the cores against the arena and starve
// Node's fs/dns work.
#pragma once

#include <napi.h>

#include <memory>
#include <mutex>
#include <unordered_map>

#include "job.h"

namespace weft {

class Completion : public std::enable_shared_from_this<Completion> {
 public:
  // Creates the env's thread-safe function, then registers the env cleanup
  // hook that stops further calls into it (see OnEnvCleanup).
  static std::shared_ptr<Completion> Create(Napi::Env env);

  // Queues `job` in the arena (through `pool`'s queue when given) and
  // returns a Promise for its result.
  Napi::Value Submit(Napi::Env env, std::unique_ptr<Job> job, std::shared_ptr<Pool> pool);

  // JS thread: the call carrying `flag` was aborted, and lib/ has already
  // rejected its Promise, so its job (queued or running on) no longer keeps
  // the event loop alive: a process whose only work left is a discarded
  // call may exit.
  void Abandon(Napi::Env env, const CancelFlag& flag);

 private:
  static void CallJs(Napi::Env env, Napi::Function, Completion* context, Job* job);
  using Tsfn = Napi::TypedThreadSafeFunction<Completion, Job, &Completion::CallJs>;

  // Arena thread: hands a finished job to the JS thread, or drops it when the
  // env is closing.
  void Post(std::unique_ptr<Job> job);
  // Env teardown (worker.terminate(), process exit), on the JS thread.
  static void OnEnvCleanup(void* self);

  // JS thread: `job` stops keeping the event loop alive (once).
  void Release(Napi::Env env, Job& job);

  Tsfn tsfn_;
  std::mutex mutex_;
  bool closing_ = false;  // guarded by mutex_; once true, tsfn_ is never called again
  // JS thread only: jobs in flight that keep the loop alive (the function
  // is ref'd while this is above 0), and the in-flight jobs that carry a
  // cancel token, by token, for Abandon. A job leaves the map when it is
  // settled; one dropped at env teardown leaves a stale entry nobody reads.
  size_t keeping_alive_ = 0;
  std::unordered_multimap<const std::atomic<bool>*, Job*> cancellable_;
};

}  // namespace weft
