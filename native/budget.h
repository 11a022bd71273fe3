// The thread budget JavaScript shares with weft's arena: while a pool
// worker's JS thread runs an item it holds one slot of the shared arena, so
// JS threads busy in items plus arena threads running weft work stay within
// the arena's threads (docs/ARCHITECTURE.md, "A worker item").
//
// A hold is a placeholder task enqueued in the shared arena that keeps its
// TBB worker blocked until the hold is given back: oneTBB runs at most the
// arena's size in workers (scheduler.cc), so each hold takes one of them
// for the JS thread. budgetHold() returns only once its placeholder has
// started: the item's JavaScript waits for a free thread, as a Python
// thread waits for the GIL, instead of running beside a full arena. The
// held slots also count beside pending jobs in scheduler::Saturated(), so
// new jobs run single-threaded while JS and jobs fill the arena.
//
// A holding thread's own weft calls: a sync call keeps the slot and
// computes on the thread (its MKL work takes free workers only, as any
// sync call); an async call gives the slot up while the thread has async
// calls outstanding (its item is then awaiting them, its JS idle) and takes
// it back when the last one settles on the thread, if the item still runs.
// Not counted: JS an item runs between submitting an async call and
// awaiting it, and an item awaiting something other than weft (a timer, I/O)
// keeps its slot though its JS is idle. A worker terminated while it waits
// for a slot ends once it gets one (the wait is in C++, which
// worker.terminate() cannot interrupt). The placeholder's worker counts in
// threading.threadStats() as inside the arena: it is, held for the JS.
//
// Why the slot is kept through a sync call rather than given up for it: the
// call computes on the very thread the slot was taken for, never waits for
// a worker (its nested arena reserves the caller's slot; MKL's parallel
// regions run on the caller alone when no worker joins), and taking the
// slot back afterwards could wait behind queued jobs.
#pragma once

#include <napi.h>

namespace weft::budget {

// budgetHold(): the calling JS thread (a pool worker's) starts an item:
// it takes a slot now (blocking until one is free), or once its async weft
// calls outstanding have settled.
Napi::Value Hold(const Napi::CallbackInfo& info);
// budgetRelease(): the item ended; its slot, if held, is given back.
Napi::Value Release(const Napi::CallbackInfo& info);

// Whether the calling thread holds a slot now (a sync call then runs in it).
bool HoldsSlot();
// An async call is being submitted from the calling thread: returns true
// when it counts against the thread's item (the slot is given up until it
// settles); the job remembers that and calls AsyncSettled on the thread.
bool AsyncSubmitted();
void AsyncSettled();

}  // namespace weft::budget
