// The process-wide TBB arena that every weft task and MKL's own parallel
// regions run in, plus the observer that counts the threads entering it.
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace weft::scheduler {

// Creates the arena once per process (worker_threads share it). Throws
// std::runtime_error with a user-facing sentence when the loaded oneTBB cannot
// serve (a second libtbb copy, an older runtime than weft was built for).
void Init();

// Number of slots in the arena: the most threads that run weft work at once.
int Concurrency();

// Runs `fn` inside the arena on the calling thread and returns when it is
// done. When every slot is busy, TBB hands `fn` to an arena thread and the
// caller waits: a sync call never adds a thread beyond the arena's concurrency.
void Execute(const std::function<void()>& fn);

// Queues `fn` to run on an arena thread; returns at once.
void Enqueue(std::function<void()> fn);

// Threads observed inside the arena since the last reset.
struct ThreadStats {
  int active = 0;                   // inside the arena right now
  int peak = 0;                     // most inside at once
  std::vector<long> thread_ids;     // OS thread ids (gettid) of every thread seen
};
ThreadStats Stats();
void ResetStats();

struct TbbInfo {
  std::string version;        // runtime TBB_runtime_version()
  int interface_version = 0;  // runtime TBB_runtime_interface_version()
  int built_interface_version = 0;
  std::string path;           // the libtbb that is loaded
  int loaded_copies = 0;      // distinct libtbb.so files mapped into the process
  int max_allowed_parallelism = 0;
  int default_concurrency = 0;
};
TbbInfo GetTbbInfo();

}  // namespace weft::scheduler
