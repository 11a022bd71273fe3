// The process-wide threading settings weft takes from the environment
// (WEFT_NUM_THREADS, MKL_NUM_THREADS: lib/internal/env.ts reads and checks
// them) and where each setting in force came from, for
// threading.info().settings.
#pragma once

namespace weft::settings {

// Applies the environment's settings, once per process: the first env to
// load weft (the main thread, or whichever worker_thread loads it first)
// decides; a later env changes nothing, so a worker that loads weft after
// threading.setMaxThreads() does not undo it. `threads`: the shared arena's
// size (0: unset, the CPUs); `mkl_threads`: the cap on a job's inner threads
// (0: unset, none). Returns true for the call that applied them.
bool Configure(int threads, int mkl_threads);

// MKL_NUM_THREADS: the most inner threads a job runs with unless its call
// asks otherwise (Job::InnerThreads); 0 when unset.
int MklThreads();

// Where the shared arena's size came from: "default", "WEFT_NUM_THREADS" or
// "setMaxThreads" (the latest of them).
const char* ThreadsSource();

// threading.setMaxThreads() changed the arena's size.
void NoteSetMaxThreads();

}  // namespace weft::settings
