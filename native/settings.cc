#include "settings.h"

#include <atomic>
#include <mutex>

#include "scheduler.h"

namespace weft::settings {
namespace {

enum class ThreadsFrom : int { kDefault, kEnvironment, kSetMaxThreads };

std::once_flag configured;
std::atomic<int> mkl_threads{0};
std::atomic<ThreadsFrom> threads_from{ThreadsFrom::kDefault};

}  // namespace

bool Configure(int threads, int mkl_threads_wanted) {
  bool applied = false;
  std::call_once(configured, [&] {
    applied = true;
    mkl_threads.store(mkl_threads_wanted);
    if (threads <= 0) return;
    scheduler::SetConcurrency(threads);
    threads_from.store(ThreadsFrom::kEnvironment);
  });
  return applied;
}

int MklThreads() { return mkl_threads.load(std::memory_order_relaxed); }

const char* ThreadsSource() {
  switch (threads_from.load()) {
    case ThreadsFrom::kEnvironment:
      return "WEFT_NUM_THREADS";
    case ThreadsFrom::kSetMaxThreads:
      return "setMaxThreads";
    default:
      return "default";
  }
}

void NoteSetMaxThreads() { threads_from.store(ThreadsFrom::kSetMaxThreads); }

}  // namespace weft::settings
