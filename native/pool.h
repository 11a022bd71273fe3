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

  // Inner threads for a call made inside one of this pool's function items
  // (lib/pool.ts runs the function on the JS thread; its weft calls belong to
  // the item): 1 for 'serial-inner', an equal share for 'static'; for
  // 'composable' the rule every other job follows (single-threaded while
  // the arena is saturated, else free; on_caller: a sync call, which needs
  // a nested arena of the arena's size to spread into). Function items
  // carry no weight: their work is not known before their function runs.
  int MemberThreads(int arena_threads, bool on_caller);

  // JS thread, function items (lib/pool.ts): the item holds one of the
  // `concurrency` slots from TakeSlot's true to EndItem, so op items and
  // function items of one pool together stay within its concurrency.
  // TakeSlot(false) submits a new item: it takes a free slot (true) or
  // waits in lib/'s queue, counted as queued (false); TakeSlot(true) is a
  // waiting item's retry. Items queued natively (op items) go first.
  bool TakeSlot(bool waiting);
  // The item that held a slot ended: kOk, kFailed or kCancelled, after
  // `ms` milliseconds; the slot passes to the next natively queued item.
  enum class Outcome { kOk, kFailed, kCancelled };
  void EndItem(Outcome outcome, double ms);
  // A waiting function item was aborted before it took a slot.
  void DropWaiting();

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
  // Records the threads inside weft's arenas now in stats().peak_threads.
  void NoteThreads();

  // JS handle: an External that keeps the pool alive while JS holds it.
  // (concurrency, mode: 'composable' | 'static' | 'serial-inner')
  static Napi::Value New(const Napi::CallbackInfo& info);
  static Napi::Value StatsOf(const Napi::CallbackInfo& info);   // (handle)
  static Napi::Value ExpectOf(const Napi::CallbackInfo& info);  // (handle, weight)
  // (handle, weight, announced): the weight of the items the next calls launch
  static Napi::Value WeightOf(const Napi::CallbackInfo& info);
  // (handle): the handle a function item's calls carry (CallMode::pool_member)
  static Napi::Value MemberOf(const Napi::CallbackInfo& info);
  // (handle, waiting) -> boolean; (handle, outcome 0 ok | 1 failed | 2 cancelled, ms); (handle)
  static Napi::Value TakeSlotOf(const Napi::CallbackInfo& info);
  static Napi::Value EndItemOf(const Napi::CallbackInfo& info);
  static Napi::Value DropWaitingOf(const Napi::CallbackInfo& info);
  // Null if not a pool handle; `member`, when given, says whether it is a
  // function item's (MemberOf) rather than the pool's own.
  static std::shared_ptr<Pool> FromValue(Napi::Value value, bool* member = nullptr);

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
  void Finished(Outcome outcome, double weight, double ms);
  // Caller holds mutex_: queued items, natively and in lib/'s queue.
  void CountQueued() { stats_.queued = static_cast<int>(queue_.size()) + waiting_; }

  const int concurrency_;
  const Mode mode_;
  std::mutex mutex_;
  // Waiting items in order, and where each is, so an aborted one leaves in O(1).
  std::list<Item> queue_;
  std::unordered_map<const Job*, std::list<Item>::iterator> queued_at_;
  Stats stats_;
  int waiting_ = 0;              // function items waiting in lib/'s queue for a slot
  double pending_weight_ = 0;    // of the items queued or running
  double incoming_weight_ = 0;   // of the items announced (Expect) and not launched yet
  double next_weight_ = 1;       // JS thread only
  bool next_announced_ = false;  // JS thread only
};

}  // namespace weft
