// A weft Pool: bounded outer concurrency over the shared arena. Items wait
// in the pool's own queue and are handed to the arena as running ones
// finish, without a round trip through JS; each runs within the pool mode's
// thread limit ('static', 'serial-inner') or freely ('composable').
#pragma once

#include <napi.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <unordered_map>

#include "common.h"

namespace weft {

class Job;

class Pool : public std::enable_shared_from_this<Pool> {
 public:
  // How items share the threads (lib/pool.ts, PoolMode).
  enum class Mode { kComposable, kStatic, kSerialInner };

  // concurrency: items running at once.
  Pool(int concurrency, Mode mode) : concurrency_(concurrency), mode_(mode) {}

  // Inner threads for the item starting on this thread when the arena has
  // `arena_threads`: 1 for 'serial-inner', an equal share for 'static'; for
  // 'composable', 1 when the work pending beside it (this pool's other items
  // by weight, other jobs) would keep the other threads busy for as long
  // as it runs single-threaded, else 0: free in the shared arena, where
  // idle threads join its MKL work. Read when the item starts, so a
  // setMaxThreads() in between counts.
  int ItemThreads(int arena_threads);

  // JS thread: the weight (estimated work, lib/pool.ts) of the items the
  // next calls launch, until set again, and whether Expect announced them.
  void SetNextWeight(double weight, bool announced) {
    next_weight_ = weight > 0 ? weight : 1;
    next_announced_ = announced;
  }

  // Runs `job` on the arena now if fewer than `concurrency` items run, else
  // when one finishes; then `settle` (which hands it to its Promise). The
  // pool's books are updated before `settle`, so they are current by the
  // time the caller sees the result.
  void Launch(Job* job, std::function<void()> settle);

  // JS thread: `weight` more (or, negative, less) of items that lib/ is
  // about to launch: a map announces all its items before it feeds the
  // first, so each item that starts at once, while the rest are still being
  // submitted (their inputs copied), weighs all of them in ItemThreads.
  void Expect(double weight);

  // JS thread: the call of `job` was aborted. If the job still waits in the
  // queue, it leaves it now, is settled as cancelled and counted so.
  void Withdraw(const Job* job);

  struct Stats {
    uint64_t submitted = 0, completed = 0, failed = 0, cancelled = 0;
    int queued = 0, running = 0;
    double busy_ms = 0;    // summed run time of its items
    int peak_threads = 0;  // most threads in weft's arenas while its items ran
  };
  Stats GetStats();

  // JS handle: an External that keeps the pool alive while JS holds it.
  // (concurrency, mode: 'composable' | 'static' | 'serial-inner')
  static Napi::Value New(const Napi::CallbackInfo& info);
  static Napi::Value StatsOf(const Napi::CallbackInfo& info);   // (handle)
  static Napi::Value ExpectOf(const Napi::CallbackInfo& info);  // (handle, weight)
  // (handle, weight, announced): the weight of the items the next calls launch
  static Napi::Value WeightOf(const Napi::CallbackInfo& info);
  static std::shared_ptr<Pool> FromValue(Napi::Value value);  // null if not a pool handle

 private:
  struct Item {
    Job* job;
    std::function<void()> settle;
    double weight;
  };
  // Runs `item` on the arena; it holds one of the `concurrency` slots.
  void Start(Item item);
  // Books the outcome of an item that held a slot and passes the slot on.
  void Finished(const Status& status, double weight, std::chrono::steady_clock::duration took);
  void NoteThreads();

  const int concurrency_;
  const Mode mode_;
  std::mutex mutex_;
  // Waiting items in order, and where each is, so an aborted one leaves in O(1).
  std::list<Item> queue_;
  std::unordered_map<const Job*, std::list<Item>::iterator> queued_at_;
  Stats stats_;
  double pending_weight_ = 0;    // of the items queued or running
  double incoming_weight_ = 0;   // of the items announced (Expect) and not launched yet
  double next_weight_ = 1;       // JS thread only
  bool next_announced_ = false;  // JS thread only
};

}  // namespace weft
