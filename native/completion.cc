#include "completion.h"

#include "addon.h"
#include "boundary.h"
#include "budget.h"
#include "errors.h"
#include "pool.h"
#include "scheduler.h"

namespace weft {

// Node 20's thread-safe functions are unsafe at env teardown (nodejs/node#55706):
// a call racing the function's finalisation touches freed memory, and the
// queue is drained after the context may be gone. Hence:
//  - every call happens under mutex_ and only while !closing_;
//  - OnEnvCleanup sets closing_ under mutex_. It is registered after the
//    thread-safe function is created, and cleanup hooks run in reverse order,
//    so it runs before Node finalises the function;
//  - napi_closing from a call is final;
//  - CallJs with a null env (the teardown drain) only frees the job;
//  - jobs reach their Completion through a shared_ptr, never through env state.
// Jobs never touch the env, so nothing needs to wait for them at teardown:
// one that finishes afterwards is simply freed.

std::shared_ptr<Completion> Completion::Create(Napi::Env env) {
  auto completion = std::make_shared<Completion>();
  completion->tsfn_ = Tsfn::New(env, "weft.completion", 0, 1, completion.get());
  // An idle env must be free to exit; Submit refs while jobs are in flight.
  completion->tsfn_.Unref(env);
  NAPI_THROW_IF_FAILED(env, napi_add_env_cleanup_hook(env, &Completion::OnEnvCleanup, completion.get()), nullptr);
  return completion;
}

void Completion::OnEnvCleanup(void* self) {
  auto* completion = static_cast<Completion*>(self);
  std::lock_guard<std::mutex> lock(completion->mutex_);
  completion->closing_ = true;
}

Napi::Value Completion::Submit(Napi::Env env, std::unique_ptr<Job> job, std::shared_ptr<Pool> pool) {
  // The raw napi_deferred, not Napi::Promise::Deferred: the job carries it
  // across threads and may be freed without the env (see job.h, step 4).
  napi_value promise = nullptr;
  NAPI_THROW_IF_FAILED(env, napi_create_promise(env, &job->deferred_, &promise), Napi::Value());
  job->completion_ = shared_from_this();
  Job* queued = job.release();
  scheduler::Admit();
  try {
    auto settle = [self = shared_from_this(), queued] { self->Post(std::unique_ptr<Job>(queued)); };
    if (pool) {
      queued->pool_ = pool;
      pool->Launch(queued, std::move(settle));
    } else {
      scheduler::Enqueue([queued, settle = std::move(settle)] {
        queued->Run();
        scheduler::Retire();
        settle();
      });
    }
  } catch (...) {
    scheduler::Retire();
    delete queued;
    throw;
  }
  queued->keeps_alive_ = true;
  if (keeping_alive_++ == 0) tsfn_.Ref(env);
  if (queued->cancel_ != nullptr) cancellable_.emplace(queued->cancel_.get(), queued);
  // A pool worker's item awaiting this call gives its budget slot up meanwhile.
  queued->budget_counted_ = budget::AsyncSubmitted();
  return Napi::Value(env, promise);
}

void Completion::Release(Napi::Env env, Job& job) {
  if (!job.keeps_alive_) return;
  job.keeps_alive_ = false;
  if (--keeping_alive_ == 0) tsfn_.Unref(env);
}

void Completion::Abandon(Napi::Env env, const CancelFlag& flag) {
  auto [first, last] = cancellable_.equal_range(flag.get());
  // The jobs may be running on arena threads, but keeps_alive_ is only
  // ever touched here, on the JS thread.
  for (auto it = first; it != last; ++it) {
    Release(env, *it->second);
    // A Pool item still waiting in its queue is settled now, as cancelled,
    // so the pool's books are right when lib/ rejects the map.
    if (it->second->pool_ != nullptr && !it->second->pool_member_) it->second->pool_->Withdraw(it->second);
  }
}

void Completion::Post(std::unique_ptr<Job> job) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!closing_) {
      if (tsfn_.NonBlockingCall(job.get()) == napi_ok) {
        job.release();  // CallJs owns it now
        return;
      }
      closing_ = true;  // napi_closing: the function is going away
    }
  }
  // The env is gone: nobody is waiting for this result. Freed outside the
  // lock, since the job may hold the last reference to this Completion.
}

void Completion::CallJs(Napi::Env env, Napi::Function, Completion*, Job* raw) {
  std::unique_ptr<Job> job(raw);
  if (env == nullptr || job == nullptr) return;  // teardown drain
  std::shared_ptr<Completion> self = job->completion_;
  self->Release(env, *job);
  // Before the item's JS resumes: it takes its budget slot back when this
  // was its last async call outstanding.
  if (job->budget_counted_) budget::AsyncSettled();
  if (job->cancel_ != nullptr) {
    auto [first, last] = self->cancellable_.equal_range(job->cancel_.get());
    for (auto it = first; it != last; ++it) {
      if (it->second == job.get()) {
        self->cancellable_.erase(it);
        break;
      }
    }
  }
  // Nothing may escape: this is called from C. Any napi call here can fail
  // when the env is being torn down, and then the Promise is simply left
  // (nobody can observe it any more).
  napi_handle_scope scope = nullptr;
  if (napi_open_handle_scope(env, &scope) != napi_ok) return;
  bool fulfilled = job->status().ok();
  napi_value outcome = nullptr;
  try {
    outcome = fulfilled ? job->Result(env) : MakeError(env, job->status()).Value();
  } catch (...) {
    fulfilled = false;
    outcome = CurrentExceptionAsError(env, "weft");
  }
  if (outcome != nullptr) {
    if (fulfilled) {
      napi_resolve_deferred(env, job->deferred_, outcome);
    } else {
      napi_reject_deferred(env, job->deferred_, outcome);
    }
  }
  napi_close_handle_scope(env, scope);
}

}  // namespace weft
