#include "scheduler.h"

#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <map>
#include <mutex>
#include <set>
#include <vector>
#include <stdexcept>

#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/info.h>
#include <oneapi/tbb/task_arena.h>
#include <oneapi/tbb/task_scheduler_observer.h>
#include <oneapi/tbb/version.h>

#include "common.h"
#include "loaded_libraries.h"

namespace weft::scheduler {
namespace {

long CurrentThreadId() { return static_cast<long>(syscall(SYS_gettid)); }

// Counts the threads inside weft's arenas (the shared ones and the nested
// ones that limit a task). An upper bound on the threads that ran weft or
// MKL work: a thread enters before it takes a task. A thread inside a nested
// arena is also inside the shared one, so entries are counted per thread by
// depth and the thread counts once.
class ThreadCensus {
 public:
  void Enter() {
    std::lock_guard<std::mutex> lock(mutex_);
    const long tid = CurrentThreadId();
    if (depth_[tid]++ == 0) ++active_;
    seen_.insert(tid);
    peak_ = std::max(peak_, active_);
  }

  void Exit() {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = depth_.find(CurrentThreadId());
    if (it == depth_.end()) return;  // entered before it was observed
    if (--it->second == 0) {
      depth_.erase(it);
      --active_;
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
    for (const auto& [tid, depth] : depth_) seen_.insert(tid);
    peak_ = active_;
  }

 private:
  // Entries and exits are rare (a worker joins an arena, then takes task
  // after task), so one mutex costs nothing measurable.
  std::mutex mutex_;
  std::map<long, int> depth_;  // threads inside now, and how many arenas deep
  std::set<long> seen_;        // threads that were inside during this window
  int active_ = 0;
  int peak_ = 0;
};

class ArenaObserver final : public tbb::task_scheduler_observer {
 public:
  ArenaObserver(tbb::task_arena& arena, ThreadCensus& census) : tbb::task_scheduler_observer(arena), census_(census) {
    observe(true);
  }
  void on_scheduler_entry(bool) override { census_.Enter(); }
  void on_scheduler_exit(bool) override { census_.Exit(); }

 private:
  ThreadCensus& census_;
};

// An arena with its observer, created once and kept for the process's life.
struct ObservedArena {
  tbb::task_arena* arena;
  ArenaObserver* observer;
};

// Process-lifetime objects, deliberately never destroyed: at exit, arena
// threads may still be finishing jobs whose env is gone, and destroying an
// arena or an observer under them would crash the process on its way out.
// Replaced shared arenas are kept for the same reason (and reused by size).
struct Runtime {
  ThreadCensus census;
  int default_concurrency = 0;
  std::mutex mutex;  // guards the maps and `parallelism` below
  tbb::global_control* parallelism = nullptr;
  std::map<int, ObservedArena> shared_by_size;
  std::map<int, std::vector<ObservedArena>> nested_free;  // idle nested arenas by size
  std::atomic<tbb::task_arena*> current{nullptr};
  std::atomic<int> concurrency{0};
  std::atomic<int> pending_jobs{0};
};

Runtime* runtime = nullptr;
ProcessOnce init_once;

// Creates an arena of `slots` with `reserved` slots kept for the thread that
// calls execute() on it, plus its observer. Caller holds runtime->mutex.
ObservedArena NewArena(int slots, int reserved) {
  auto* arena = new tbb::task_arena(slots, reserved);
  arena->initialize();
  return {arena, new ArenaObserver(*arena, runtime->census)};
}

// Points new work at an arena of `slots` and caps TBB's workers to match.
// TBB's market starts max_allowed_parallelism - 1 workers, keeping one slot
// for the thread that "owns" the work. weft's JS threads enqueue async jobs
// and return, so with the default only P-1 workers would ever serve the
// arena (measured: 40 async jobs ran on one thread of two). slots + 1 gives
// the arena all its workers; the arena's size still caps threads at `slots`.
void UseSharedArena(int slots) {
  std::lock_guard<std::mutex> lock(runtime->mutex);
  auto it = runtime->shared_by_size.find(slots);
  if (it == runtime->shared_by_size.end()) {
    // No slots reserved for external threads: every slot is for whoever has
    // work, workers for async jobs and a JS thread for its sync call.
    it = runtime->shared_by_size.emplace(slots, NewArena(slots, 0)).first;
  }
  auto* control = new tbb::global_control(tbb::global_control::max_allowed_parallelism, slots + 1);
  delete runtime->parallelism;  // the smallest live limit wins, so drop the old one
  runtime->parallelism = control;
  runtime->current.store(it->second.arena);
  runtime->concurrency.store(slots);
}

void CheckSingleTbb() {
  const std::vector<std::string> copies = LoadedLibraries("libtbb.so");
  if (copies.size() > 1) {
    std::string list;
    for (const std::string& path : copies) list += (list.empty() ? "" : ", ") + path;
    throw std::runtime_error(
        "weft needs exactly one oneTBB runtime in the process, shared with oneMKL, but " +
        std::to_string(copies.size()) + " are loaded: " + list +
        ". Import weft before the other library that loads libtbb, or make both use the same one.");
  }
  const int runtime_interface = TBB_runtime_interface_version();
  if (runtime_interface < TBB_INTERFACE_VERSION) {
    throw std::runtime_error(
        std::string("weft was built against oneTBB interface ") + std::to_string(TBB_INTERFACE_VERSION) +
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

void Execute(const std::function<void()>& fn) { runtime->current.load()->execute(fn); }

void Enqueue(std::function<void()> fn) { runtime->current.load()->enqueue(std::move(fn)); }

void ExecuteLimited(int threads, const std::function<void()>& fn) {
  ObservedArena nested{};
  {
    std::lock_guard<std::mutex> lock(runtime->mutex);
    auto& free = runtime->nested_free[threads];
    if (free.empty()) {
      // One slot reserved for the task's own thread, which enters from the
      // shared arena (or is a JS thread making a sync call in an idle
      // arena, job.cc); the other threads - 1 come from TBB's workers.
      nested = NewArena(threads, 1);
    } else {
      nested = free.back();
      free.pop_back();
    }
  }
  struct GiveBack {
    ObservedArena arena;
    int threads;
    ~GiveBack() {
      std::lock_guard<std::mutex> lock(runtime->mutex);
      runtime->nested_free[threads].push_back(arena);
    }
  } give_back{nested, threads};
  nested.arena->execute(fn);
}

bool Admit() { return runtime->pending_jobs.fetch_add(1, std::memory_order_relaxed) == 0; }

void Retire() { runtime->pending_jobs.fetch_sub(1, std::memory_order_relaxed); }

bool Saturated() {
  return runtime->pending_jobs.load(std::memory_order_relaxed) >= runtime->concurrency.load(std::memory_order_relaxed);
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
  info.loaded_copies = static_cast<int>(LoadedLibraries("libtbb.so").size());
  info.max_allowed_parallelism =
      static_cast<int>(tbb::global_control::active_value(tbb::global_control::max_allowed_parallelism));
  info.default_concurrency = tbb::info::default_concurrency();
  return info;
}

}  // namespace weft::scheduler
