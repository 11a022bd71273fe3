// Async completion: a job that ran on an arena thread comes back to its env's
// JS thread through one thread-safe function per env, which settles its
// Promise. Not Napi::AsyncWorker: that runs on libuv's 4-thread pool, a
// second pool that would oversubscribe the cores against the arena and starve
// Node's fs/dns work.
#pragma once

#include <napi.h>

#include <memory>
#include <mutex>

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

 private:
  static void CallJs(Napi::Env env, Napi::Function, Completion* context, Job* job);
  using Tsfn = Napi::TypedThreadSafeFunction<Completion, Job, &Completion::CallJs>;

  // Arena thread: hands a finished job to the JS thread, or drops it when the
  // env is closing.
  void Post(std::unique_ptr<Job> job);
  // Env teardown (worker.terminate(), process exit), on the JS thread.
  static void OnEnvCleanup(void* self);

  Tsfn tsfn_;
  std::mutex mutex_;
  bool closing_ = false;  // guarded by mutex_; once true, tsfn_ is never called again
  size_t in_flight_ = 0;  // JS thread only
};

}  // namespace weft
