#include "scheduler.h"

#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <mutex>
#include <set>
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

// Counts the threads that enter the arena. An upper bound on the threads
// that ran weft or MKL work: a thread enters before it takes a task.
class ArenaObserver final : public tbb::task_scheduler_observer {
 public:
  explicit ArenaObserver(tbb::task_arena& arena) : tbb::task_scheduler_observer(arena) {}

  void on_scheduler_entry(bool) override {
    std::lock_guard<std::mutex> lock(mutex_);
    const long tid = CurrentThreadId();
    inside_.insert(tid);
    seen_.insert(tid);
    peak_ = std::max(peak_, static_cast<int>(inside_.size()));
  }

  void on_scheduler_exit(bool) override {
    std::lock_guard<std::mutex> lock(mutex_);
    inside_.erase(CurrentThreadId());
  }

  ThreadStats Snapshot() {
    std::lock_guard<std::mutex> lock(mutex_);
    ThreadStats stats;
    stats.active = static_cast<int>(inside_.size());
    stats.peak = peak_;
    stats.thread_ids.assign(seen_.begin(), seen_.end());
    return stats;
  }

  // Starts a new window. Threads inside the arena now (TBB workers linger
  // there between jobs) belong to it, though they will not enter again.
  void Reset() {
    std::lock_guard<std::mutex> lock(mutex_);
    seen_ = inside_;
    peak_ = static_cast<int>(inside_.size());
  }

 private:
  // Entries and exits are rare (a worker joins the arena, then takes task
  // after task), so one mutex costs nothing measurable.
  std::mutex mutex_;
  std::set<long> inside_;  // threads in the arena now
  std::set<long> seen_;    // threads that were in it during this window
  int peak_ = 0;
};

// Process-lifetime objects, deliberately never destroyed: at exit, arena
// threads may still be finishing jobs whose env is gone, and destroying the
// arena or the observer under them would crash the process on its way out.
struct Runtime {
  tbb::global_control* parallelism = nullptr;
  tbb::task_arena* arena = nullptr;
  ArenaObserver* observer = nullptr;
  int concurrency = 0;
};

Runtime* runtime = nullptr;
ProcessOnce init_once;

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
  auto* rt = new Runtime();
  rt->concurrency = tbb::info::default_concurrency();
  // TBB's market starts max_allowed_parallelism - 1 workers, keeping one slot
  // for the thread that "owns" the work. weft's JS threads enqueue async jobs
  // and return, so with the default only P-1 workers would ever serve the
  // arena (measured: 40 async jobs ran on one thread of two). P+1 gives the
  // arena its P workers; the arena's own size still caps threads at P.
  rt->parallelism =
      new tbb::global_control(tbb::global_control::max_allowed_parallelism, rt->concurrency + 1);
  // No slots reserved for external threads: every slot is for whoever has
  // work, workers for async jobs and a JS thread for its sync call.
  rt->arena = new tbb::task_arena(rt->concurrency, 0);
  rt->arena->initialize();
  rt->observer = new ArenaObserver(*rt->arena);
  rt->observer->observe(true);
  runtime = rt;
}

}  // namespace

void Init() { init_once.Run(InitOnce); }

int Concurrency() { return runtime->concurrency; }

void Execute(const std::function<void()>& fn) { runtime->arena->execute(fn); }

void Enqueue(std::function<void()> fn) { runtime->arena->enqueue(std::move(fn)); }

ThreadStats Stats() { return runtime->observer->Snapshot(); }

void ResetStats() { runtime->observer->Reset(); }

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
