// The process-wide TBB arena that every weft task and MKL's own parallel
// regions run in, the smaller nested arenas that cap one task's inner
// threads, and the observer that counts the threads entering any of them.
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace weft::scheduler {

// Creates the arena once per process (worker_threads share it). Throws
// std::runtime_error with a user-facing sentence when the loaded oneTBB cannot
// serve (a second libtbb copy, an older runtime than weft was built for).
void Init();

// Slots in the shared arena: the most threads that run weft work at once.
int Concurrency();

// The CPUs oneTBB sees: the shared arena's size unless changed.
int DefaultConcurrency();

// Makes new work run in an arena of `threads` slots (and caps TBB's workers
// to match); work already running finishes where it is. Returns the previous
// size. A replaced arena is destroyed at a switch that finds no work left in it.
int SetConcurrency(int threads);

// Runs `fn` inside the shared arena on the calling thread and returns when it
// is done. When every slot is busy, TBB hands `fn` to an arena thread and the
// caller waits: a sync call never adds a thread beyond the arena's threads.
void Execute(const std::function<void()>& fn);

// Queues `fn` to run on an arena thread; returns at once.
void Enqueue(std::function<void()> fn);

// Runs `fn` on the calling (arena) thread inside a nested arena of `threads`
// slots, so MKL's parallel regions in it use at most that many threads: how
// a task is limited (Pool's 'static' and 'serial-inner' modes, an async
// call's `threads` option). At most the shared arena's size; nested
// arenas come from a small cache, and past it are destroyed after use.
void ExecuteLimited(int threads, const std::function<void()>& fn);

// Jobs submitted or running and not yet finished, process-wide: a Job counts
// itself in (Admit) when it is queued or starts a sync call, and out (Retire)
// when it is done. When at least as many jobs are pending as the arena has
// threads, outer parallelism alone fills every thread, and a starting job's
// own (MKL) parallelism would only add overhead: Saturated() says so.
// Admit returns true when no other job was pending: the arena is idle.
bool Admit();

void Retire();
// Counts JS threads in and out of the budget (native/budget.h): a pool
// worker's JS thread running an item holds a slot, and counts beside
// pending jobs in Saturated() and Pending().
void AddJsThreads(int delta);
// Slots held by pool workers' JS threads now.
int JsThreads();
bool Saturated();
// Jobs pending now (Admit minus Retire), plus the slots JS threads hold.
int Pending();

// Threads observed inside weft's arenas since the last reset.
struct ThreadStats {
  int active = 0;                // inside an arena right now
  int peak = 0;                  // most inside at once
  std::vector<long> thread_ids;  // OS thread ids (gettid) of every thread seen
};
ThreadStats Stats();
void ResetStats();
// Threads inside weft's arenas right now (cheaper than Stats()).
int ActiveThreads();

struct TbbInfo {
  std::string version;        // runtime TBB_runtime_version()
  int interface_version = 0;  // runtime TBB_runtime_interface_version()
  int built_interface_version = 0;
  std::string path;       // the libtbb that is loaded
  int loaded_copies = 0;  // oneTBB runtime files mapped (libtbb.so*, libtbb_debug.so*)
  int max_allowed_parallelism = 0;
  int default_concurrency = 0;
};
TbbInfo GetTbbInfo();

}  // namespace weft::scheduler
