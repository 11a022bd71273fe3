{
  "targets": [
    {
      "target_name": "weft",
      "sources": [
        "native/addon.cc",
        "native/boundary.cc",
        "native/budget.cc",
        "native/buffer.cc",
        "native/call_args.cc",
        "native/completion.cc",
        "native/errors.cc",
        "native/job.cc",
        "native/layout.cc",
        "native/loaded_libraries.cc",
        "native/malloc_tuning.cc",
        "native/mkl_setup.cc",
        "native/pool.cc",
        "native/scheduler.cc",
        "native/settings.cc",
        "native/view.cc",
        "native/ops/batch.cc",
        "native/ops/elementwise.cc",
        "native/ops/factor.cc",
        "native/ops/products.cc",
        "native/ops/random.cc",
        "native/ops/reduce.cc",
        "native/ops/search.cc",
        "native/ops/solve.cc",
        "native/ops/spectral.cc",
        "native/ops/statistics.cc",
        "native/ops/tiny.cc"
      ],
      "include_dirs": [
        "<!(node -p \"require('node-addon-api').include_dir\")",
        "<(module_root_dir)/.deps/include"
      ],
      # NODE_API_SWALLOW_UNTHROWABLE_EXCEPTIONS: without it node-addon-api
      # aborts the process when a napi call fails while an env is torn down
      # (native/boundary.h has the rest of that story).
      "defines": [
        "NAPI_VERSION=8",
        "NODE_ADDON_API_DISABLE_DEPRECATED",
        "NAPI_CPP_EXCEPTIONS",
        "NODE_API_SWALLOW_UNTHROWABLE_EXCEPTIONS"
      ],
      "cflags!": ["-fno-exceptions"],
      "cflags_cc!": ["-fno-exceptions", "-fno-rtti", "-std=gnu++17"],
      # -ffp-contract=off: no a·b + c fused into one rounding (GCC fuses by
      # default where the target has FMA), so that the tiny kernels
      # (native/ops/tiny.cc) round exactly as their JS twins.
      "cflags_cc": ["-std=c++17", "-fexceptions", "-O3", "-ffp-contract=off", "-Wall", "-Wextra", "-Wno-unused-parameter"],
      "libraries": [
        "-L<(module_root_dir)/.deps/lib",
        # By soname: the wheels may lack the unversioned symlinks. oneMKL is
        # deliberately not linked: lib/find-mkl.ts finds libmkl_rt.so.3
        # wherever the user keeps it and native/mkl_setup.cc dlopens it
        # (RTLD_GLOBAL) before the first MKL call, which binds lazily. MKL's
        # TBB layer then uses this libtbb (one libtbb per process).
        "-l:libtbb.so.12",
        "-l:libtbbmalloc.so.2"
      ],
      "ldflags": [
        # Never unload: arena threads outlive any one env (a worker_thread that
        # exits), and unloading code they run segfaults the process.
        "-Wl,-z,nodelete",
        # Prebuilds ship libtbb beside the .node; source builds find the
        # fetched runtimes in <package>/.deps/lib.
        "-Wl,-rpath,'$$ORIGIN'",
        "-Wl,-rpath,'$$ORIGIN/../../.deps/lib'"
      ]
    }
  ]
}
