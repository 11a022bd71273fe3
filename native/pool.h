// A weft Pool: bounded outer concurrency over the shared arena. Items wait
// in the pool's own queue and are handed to the arena as running ones
// finish, without a round trip through JS; each runs within the pool mode's
// thread limit ('static', 'serial-inner') or freely ('composable').
#pragma once

#include <napi.h>

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>

#include "common.h"

namespace weft {

class Pool : public std::enable_shared_from_this<Pool> {
 public:
  // concurrency: items running at once; thread_limit: each item's inner
  // threads (0: no limit).
  Pool(int concurrency, int thread_limit) : concurrency_(concurrency), thread_limit_(thread_limit) {}

  int thread_limit() const { return thread_limit_; }

  // Runs `task` now (on the arena) if fewer than `concurrency` items run,
  // else when one finishes.
  void Launch(std::function<void()> task);

  // While held, launched tasks only queue; releasing starts them. lib/ holds
  // the pool while it submits a map's items, so all of them count as pending
  // before the first starts and chooses how many threads to use.
  void Hold(bool held);

  // Called by the task itself when its job is done, before it is settled.
  void Finished(const Status& status, std::chrono::steady_clock::duration took);

  struct Stats {
    uint64_t submitted = 0, completed = 0, failed = 0, cancelled = 0;
    int queued = 0, running = 0;
    double busy_ms = 0;     // summed run time of its items
    int peak_threads = 0;   // most threads in weft's arenas while its items ran
  };
  Stats GetStats();

  // JS handle: an External that keeps the pool alive while JS holds it.
  static Napi::Value New(const Napi::CallbackInfo& info);       // (concurrency, threadLimit)
  static Napi::Value StatsOf(const Napi::CallbackInfo& info);   // (handle)
  static Napi::Value HoldOf(const Napi::CallbackInfo& info);    // (handle, held)
  static std::shared_ptr<Pool> FromValue(Napi::Value value);   // null if not a pool handle

 private:
  void Start(std::function<void()> task);
  void NoteThreads();

  const int concurrency_;
  const int thread_limit_;
  std::mutex mutex_;
  std::deque<std::function<void()>> queue_;
  bool held_ = false;
  Stats stats_;
};

}  // namespace weft
