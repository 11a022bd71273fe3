#include "budget.h"

#include <condition_variable>
#include <memory>
#include <mutex>

#include "scheduler.h"

namespace weft::budget {
namespace {

// One hold's placeholder task and the JS thread that owns it.
struct Slot {
  std::mutex mutex;
  std::condition_variable changed;
  enum class State { kQueued, kStarted, kReleased } state = State::kQueued;
};

// The calling JS thread's part of the budget. thread_local: a worker's env
// lives on one thread, and so do the hooks that read this (bindings,
// Dispatch's sync path, Completion::Submit and CallJs).
struct ThreadState {
  bool item = false;           // an item runs (between Hold and Release)
  int async_outstanding = 0;   // async calls counted against the item, not settled
  std::shared_ptr<Slot> slot;  // the slot held now, if any
  bool hooked = false;         // the env cleanup hook is registered
  ~ThreadState();
};

void Give(ThreadState& state) {
  std::shared_ptr<Slot> slot = std::move(state.slot);
  if (slot == nullptr) return;
  scheduler::AddJsThreads(-1);
  {
    std::lock_guard<std::mutex> lock(slot->mutex);
    slot->state = Slot::State::kReleased;
  }
  slot->changed.notify_all();
}

ThreadState::~ThreadState() { Give(*this); }

thread_local ThreadState state;

// Takes a slot: waits until a TBB worker has started the placeholder,
// which then blocks until Give; from then on the thread counts (so the
// slots counted never exceed the workers blocked for them). A placeholder
// that starts after its release returns at once.
void Take(ThreadState& s) {
  if (s.slot != nullptr) return;
  auto slot = std::make_shared<Slot>();
  try {
    scheduler::Enqueue([slot] {
      std::unique_lock<std::mutex> lock(slot->mutex);
      if (slot->state == Slot::State::kReleased) return;
      slot->state = Slot::State::kStarted;
      slot->changed.notify_all();
      slot->changed.wait(lock, [&] { return slot->state == Slot::State::kReleased; });
    });
  } catch (...) {  // no task could be queued (out of memory): run unbudgeted rather than not at all
    return;
  }
  {
    std::unique_lock<std::mutex> lock(slot->mutex);
    slot->changed.wait(lock, [&] { return slot->state != Slot::State::kQueued; });
  }
  scheduler::AddJsThreads(1);
  s.slot = slot;
}

// worker.terminate() or a crash ends the env with an item running: its slot
// goes back (the thread's own exit would, too, but a thread may outlive its env).
void OnEnvCleanup(void*) {
  state.hooked = false;
  state.item = false;
  state.async_outstanding = 0;
  Give(state);
}

}  // namespace

Napi::Value Hold(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!state.hooked) {
    NAPI_THROW_IF_FAILED(env, napi_add_env_cleanup_hook(env, &OnEnvCleanup, &state), Napi::Value());
    state.hooked = true;
  }
  state.item = true;
  if (state.async_outstanding == 0) Take(state);
  return env.Undefined();
}

Napi::Value Release(const Napi::CallbackInfo& info) {
  state.item = false;
  Give(state);
  return info.Env().Undefined();
}

bool HoldsSlot() { return state.slot != nullptr; }

bool AsyncSubmitted() {
  if (!state.item) return false;
  ++state.async_outstanding;
  Give(state);
  return true;
}

void AsyncSettled() {
  if (state.async_outstanding > 0) --state.async_outstanding;
  if (state.async_outstanding == 0 && state.item) Take(state);
}

}  // namespace weft::budget
