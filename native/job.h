// The one job type every weft operation is built on.
//
// Lifecycle (sync and async share it; only where step 2 runs differs):
//  1. Prepare (JS thread). An op's factory validates the arguments and fills a
//     job with everything Execute needs. Async jobs always take private copies
//     of their inputs: the caller may mutate or detach its arrays as soon as
//     the call returns. Sync jobs may borrow the caller's memory, because the
//     JS thread stays inside the call until the job is done. Bad arguments
//     throw here, before any work is queued.
//  2. Execute (inside the shared arena). Sync: on the calling JS thread, in
//     task_arena::execute. Async: on an arena worker. Touches only memory the
//     job owns or borrowed, never napi_env. Never throws out: RunGuarded turns
//     LAPACK failures and C++ exceptions into `status`.
//  3. Settle (JS thread). Result() hands the outputs to JS (buffer ownership
//     moves to ArrayBuffers), or MakeError turns `status` into an error; sync
//     returns or throws, async resolves or rejects its Promise.
//  4. Destroy. Whoever holds the job last deletes it: the settling code, or
//     the completion queue when the env is torn down with the job in flight.
//     So a job holds no napi handle that would need the env to release.
#pragma once

#include <napi.h>

#include <memory>
#include <new>

#include "common.h"

namespace weft {

class Completion;

class Job {
 public:
  virtual ~Job() = default;

  // Step 2. Runs Execute and records its outcome; never throws.
  void RunGuarded() noexcept {
    try {
      Execute();
    } catch (const LinAlgFailure& f) {
      Fail(Status::Kind::kLinAlg, f.code, f.message);
    } catch (const std::bad_alloc&) {
      Fail(Status::Kind::kOutOfMemory, "ERR_WEFT_OUT_OF_MEMORY", "Out of memory while running the operation");
    } catch (const std::exception& e) {
      Fail(Status::Kind::kInternal, "ERR_WEFT_INTERNAL", e.what());
    } catch (...) {
      Fail(Status::Kind::kInternal, "ERR_WEFT_INTERNAL", "unknown C++ exception");
    }
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

  // Async bookkeeping, owned by Completion (completion.cc).
  friend class Completion;
  napi_deferred deferred_ = nullptr;
  std::shared_ptr<Completion> completion_;
};

// Runs `job` synchronously (in the arena, on this thread) or asynchronously
// (Promise), and settles it. The single exit of every op binding.
Napi::Value Dispatch(Napi::Env env, std::unique_ptr<Job> job, bool async);

}  // namespace weft
