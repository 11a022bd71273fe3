#include "scheduler.h"

#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/info.h>
#include <oneapi/tbb/scalable_allocator.h>
#include <oneapi/tbb/task_arena.h>
#include <oneapi/tbb/task_scheduler_observer.h>
#include <oneapi/tbb/version.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <map>
#include <mutex>
#include <set>
#include <stdexcept>
#include <vector>

#include "common.h"
#include "loaded_libraries.h"

namespace weft::scheduler {
namespace {

long CurrentThreadId() { return static_cast<long>(syscall(SYS_gettid)); }

// Counts the threads inside weft's arenas (the shared ones and the nested
// ones that limit a task). An upper bound on the threads that ran weft or
// MKL work: a thread enters before it takes a task. A thread inside a nested
// arena is also inside the shared one, so entries are kept per thread and
// per arena, and the thread counts once. An arena that is destroyed is
// forgotten: its observer stops first, so exits it would have reported
// (a worker lingering in it) never come.
class ThreadCensus {
 public:
  void Enter(int arena) {
    std::lock_guard<std::mutex> lock(mutex_);
    const long tid = CurrentThreadId();
    auto& arenas = inside_[tid];
    if (arenas.empty()) ++active_;
    ++arenas[arena];
    seen_.insert(tid);
    peak_ = std::max(peak_, active_);
  }

  void Exit(int arena) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = inside_.find(CurrentThreadId());
    if (it == inside_.end()) return;  // entered before it was observed
    auto entry = it->second.find(arena);
    if (entry == it->second.end()) return;
    if (--entry->second == 0) it->second.erase(entry);
    if (it->second.empty()) {
      inside_.erase(it);
      --active_;
    }
  }

  void Forget(int arena) {
    std::lock_guard<std::mutex> lock(mutex_);
    for (auto it = inside_.begin(); it != inside_.end();) {
      it->second.erase(arena);
      if (it->second.empty()) {
        it = inside_.erase(it);
        --active_;
      } else {
        ++it;
      }
    }
  }

  ThreadStats Snapshot() {
    std::lock_guard<std::mutex> lock(mutex_);
    ThreadStats stats;
    stats.active = active_;
    stats.peak = peak_;
    stats.thread_ids.assign(seen_.begin(), seen_.end());
    return stats;
  }

  int Active() {
    std::lock_guard<std::mutex> lock(mutex_);
    return active_;
  }

  // Starts a new window. Threads inside an arena now (TBB workers linger
  // there between jobs) belong to it, though they will not enter again.
  void Reset() {
    std::lock_guard<std::mutex> lock(mutex_);
    seen_.clear();
    for (const auto& [tid, arenas] : inside_) seen_.insert(tid);
    peak_ = active_;
  }

 private:
  // Entries and exits are rare (a worker joins an arena, then takes task
  // after task), so one mutex costs nothing measurable.
  std::mutex mutex_;
  std::map<long, std::map<int, int>> inside_;  // threads inside now: arena id -> depth
  std::set<long> seen_;                        // threads that were inside during this window
  int active_ = 0;
  int peak_ = 0;
};

class ArenaObserver final : public tbb::task_scheduler_observer {
 public:
  ArenaObserver(tbb::task_arena& arena, int id, ThreadCensus& census)
      : tbb::task_scheduler_observer(arena), id_(id), census_(census) {
    observe(true);
  }
  void on_scheduler_entry(bool) override { census_.Enter(id_); }
  void on_scheduler_exit(bool) override { census_.Exit(id_); }

 private:
  const int id_;
  ThreadCensus& census_;
};

// An arena with its observer. Kept while in use or cached; destroyed only
// when idle (DestroyArena), so no task of weft's is ever inside it then.
struct Arena {
  int slots = 0;
  int id = 0;
  tbb::task_arena* arena = nullptr;
  ArenaObserver* observer = nullptr;
  // Shared arenas: tasks queued or running in it, and sync calls inside it.
  std::atomic<int> users{0};
};

// Idle nested arenas kept for reuse, at most: each costs memory in
// proportion to its slots, and distinct per-call limits would otherwise
// keep one each forever (measured before: 1 024 sizes, +435 MiB of RSS).
constexpr size_t kIdleNestedArenas = 64;

// The runtime is never destroyed: at exit, arena threads may still be
// finishing jobs whose env is gone, and destroying an arena or an observer
// under them would crash the process on its way out. Arenas no work can
// reach any more are destroyed as they fall idle (see Evict below).
struct Runtime {
  ThreadCensus census;
  int default_concurrency = 0;
  std::mutex mutex;  // guards everything below but the atomics
  tbb::global_control* parallelism = nullptr;
  int next_id = 0;
  Arena* current = nullptr;                        // where new work goes
  std::map<int, Arena*> shared_by_size;            // current, and replaced ones still in use
  std::map<int, std::vector<Arena*>> nested_free;  // idle nested arenas by size
  size_t nested_idle = 0;
  std::atomic<int> concurrency{0};
  std::atomic<int> pending_jobs{0};
  std::atomic<int> js_threads{0};  // slots held by pool workers' JS (budget.cc)
};

Runtime* runtime = nullptr;
ProcessOnce init_once;

// Creates an arena of `slots` with `reserved` slots kept for the thread that
// calls execute() on it, plus its observer. Caller holds runtime->mutex.
Arena* NewArena(int slots, int reserved) {
  auto* a = new Arena();
  a->slots = slots;
  a->id = runtime->next_id++;
  a->arena = new tbb::task_arena(slots, reserved);
  a->arena->initialize();
  a->observer = new ArenaObserver(*a->arena, a->id, runtime->census);
  return a;
}

// Destroys an arena no work can reach any more, from a thread outside it.
// The observer stops first (observe(false) waits for callbacks running
// now), then the census forgets the arena, so a worker still lingering in
// it counts no more; oneTBB frees the arena itself once such threads leave.
void DestroyArena(Arena* a) {
  a->observer->observe(false);
  runtime->census.Forget(a->id);
  delete a->observer;
  delete a->arena;
  delete a;
}

// Replaced shared arenas without users, and idle nested arenas larger than
// the shared arena (no limit can ask for them now). Caller holds
// runtime->mutex; returns them for DestroyArena outside it.
std::vector<Arena*> TakeUnreachable() {
  std::vector<Arena*> gone;
  for (auto it = runtime->shared_by_size.begin(); it != runtime->shared_by_size.end();) {
    if (it->second != runtime->current && it->second->users.load() == 0) {
      gone.push_back(it->second);
      it = runtime->shared_by_size.erase(it);
    } else {
      ++it;
    }
  }
  const int slots = runtime->current->slots;
  for (auto it = runtime->nested_free.upper_bound(slots); it != runtime->nested_free.end();) {
    runtime->nested_idle -= it->second.size();
    gone.insert(gone.end(), it->second.begin(), it->second.end());
    it = runtime->nested_free.erase(it);
  }
  return gone;
}

// Points new work at an arena of `slots` and caps TBB's workers to match.
// TBB's market starts max_allowed_parallelism - 1 workers, keeping one slot
// for the thread that "owns" the work. weft's JS threads enqueue async jobs
// and return, so with the default only P-1 workers would ever serve the
// arena (measured: 40 async jobs ran on one thread of two). slots + 1 gives
// the arena all its workers; the arena's size still caps threads at `slots`.
// Replaced arenas are destroyed once idle (here, or at a later switch).
void UseSharedArena(int slots) {
  std::vector<Arena*> gone;
  {
    std::lock_guard<std::mutex> lock(runtime->mutex);
    auto it = runtime->shared_by_size.find(slots);
    if (it == runtime->shared_by_size.end()) {
      // No slots reserved for external threads: every slot is for whoever has work.
      it = runtime->shared_by_size.emplace(slots, NewArena(slots, 0)).first;
    }
    auto* control = new tbb::global_control(tbb::global_control::max_allowed_parallelism, slots + 1);
    delete runtime->parallelism;  // the smallest live limit wins, so drop the old one
    runtime->parallelism = control;
    runtime->current = it->second;
    runtime->concurrency.store(slots);
    gone = TakeUnreachable();
  }
  if (gone.empty()) return;
  for (Arena* a : gone) DestroyArena(a);
  // oneTBB allocates an arena's slots through tbbmalloc, whose caches keep
  // the freed blocks; each new size is a new block, so a sweep of sizes
  // kept them all (1 024 sizes with async work: +380 MiB of RSS). Hand
  // them back: switching arenas is rare, and this runs only when one went.
  scalable_allocation_command(TBBMALLOC_CLEAN_ALL_BUFFERS, nullptr);
}

// The current shared arena, counted as in use until Release.
Arena* Acquire() {
  std::lock_guard<std::mutex> lock(runtime->mutex);
  runtime->current->users.fetch_add(1);
  return runtime->current;
}

void Release(Arena* a) { a->users.fetch_sub(1); }

void CheckSingleTbb() {
  const std::vector<std::string> copies = LoadedTbbRuntimes();
  if (copies.size() > 1) {
    std::string list;
    for (const std::string& path : copies) list += (list.empty() ? "" : ", ") + path;
    throw std::runtime_error("weft needs exactly one oneTBB runtime in the process, shared with oneMKL, but " +
                             std::to_string(copies.size()) + " are loaded: " + list +
                             ". Import weft before the other library that loads libtbb, or make both use the same one "
                             "(a libtbb_debug in LD_PRELOAD is a second runtime too).");
  }
  const int runtime_interface = TBB_runtime_interface_version();
  if (runtime_interface < TBB_INTERFACE_VERSION) {
    throw std::runtime_error(std::string("weft was built against oneTBB interface ") +
                             std::to_string(TBB_INTERFACE_VERSION) +
                             " (" TBB_VERSION_STRING "), but the libtbb.so.12 already loaded in this process (" +
                             LibraryDefining(reinterpret_cast<const void*>(&TBB_runtime_version)) + ") is version " +
                             TBB_runtime_version() + " (interface " + std::to_string(runtime_interface) +
                             "). Load weft before the library that brought the older oneTBB, or upgrade that library.");
  }
}

void InitOnce() {
  CheckSingleTbb();
  runtime = new Runtime();
  runtime->default_concurrency = tbb::info::default_concurrency();
  UseSharedArena(runtime->default_concurrency);
}

}  // namespace

void Init() { init_once.Run(InitOnce); }

int Concurrency() { return runtime->concurrency.load(); }

int DefaultConcurrency() { return runtime->default_concurrency; }

int SetConcurrency(int threads) {
  const int previous = runtime->concurrency.load();
  UseSharedArena(threads);
  return previous;
}

void Execute(const std::function<void()>& fn) {
  Arena* a = Acquire();
  struct Done {
    Arena* a;
    ~Done() { Release(a); }
  } done{a};
  a->arena->execute(fn);
}

void Enqueue(std::function<void()> fn) {
  Arena* a = Acquire();
  try {
    a->arena->enqueue([a, fn = std::move(fn)] {
      fn();
      Release(a);  // the arena stays alive for this thread until it leaves it
    });
  } catch (...) {
    Release(a);
    throw;
  }
}

void ExecuteLimited(int threads, const std::function<void()>& fn) {
  // More slots than the shared arena has cannot fill: TBB runs at most its
  // size in workers. Clamping also bounds the sizes there are to cache.
  threads = std::max(1, std::min(threads, runtime->concurrency.load()));
  Arena* nested = nullptr;
  {
    std::lock_guard<std::mutex> lock(runtime->mutex);
    auto& free = runtime->nested_free[threads];
    if (free.empty()) {
      // One slot reserved for the task's own thread, which enters from the
      // shared arena (or is a JS thread making a sync call, job.cc); the
      // other threads - 1 come from TBB's workers.
      nested = NewArena(threads, 1);
    } else {
      nested = free.back();
      free.pop_back();
      --runtime->nested_idle;
    }
  }
  struct GiveBack {
    Arena* nested;
    ~GiveBack() {
      bool keep = false;
      {
        std::lock_guard<std::mutex> lock(runtime->mutex);
        keep = runtime->nested_idle < kIdleNestedArenas && nested->slots <= runtime->concurrency.load();
        if (keep) {
          try {
            runtime->nested_free[nested->slots].push_back(nested);
            ++runtime->nested_idle;
          } catch (...) {  // out of memory (a destructor must not throw): not cached, then
            keep = false;
          }
        }
      }
      if (!keep) DestroyArena(nested);
    }
  } give_back{nested};
  nested->arena->execute(fn);
}

bool Admit() { return runtime->pending_jobs.fetch_add(1, std::memory_order_relaxed) == 0; }

void Retire() { runtime->pending_jobs.fetch_sub(1, std::memory_order_relaxed); }

void AddJsThreads(int delta) { runtime->js_threads.fetch_add(delta, std::memory_order_relaxed); }

int JsThreads() { return runtime->js_threads.load(std::memory_order_relaxed); }

bool Saturated() { return Pending() >= runtime->concurrency.load(std::memory_order_relaxed); }

int Pending() {
  return runtime->pending_jobs.load(std::memory_order_relaxed) + runtime->js_threads.load(std::memory_order_relaxed);
}

ThreadStats Stats() { return runtime->census.Snapshot(); }

void ResetStats() { runtime->census.Reset(); }

int ActiveThreads() { return runtime->census.Active(); }

TbbInfo GetTbbInfo() {
  TbbInfo info;
  info.version = TBB_runtime_version();
  info.interface_version = TBB_runtime_interface_version();
  info.built_interface_version = TBB_INTERFACE_VERSION;
  info.path = LibraryDefining(reinterpret_cast<const void*>(&TBB_runtime_version));
  info.loaded_copies = static_cast<int>(LoadedTbbRuntimes().size());
  info.max_allowed_parallelism =
      static_cast<int>(tbb::global_control::active_value(tbb::global_control::max_allowed_parallelism));
  info.default_concurrency = tbb::info::default_concurrency();
  return info;
}

}  // namespace weft::scheduler
