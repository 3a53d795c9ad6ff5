// How the generator's process asks the C library to manage its memory.
#pragma once

namespace oasgen {

/// Sets glibc's (2.35 or later) malloc for a process that touches a few hundred MB once and exits:
/// - `glibc.malloc.hugetlb=1`: transparent huge pages for malloc's memory. In pages of 4 KB the
///   kernel faulted in 77,000 of them for GitHub's API, 0.6 s of the 1.2 s that `oasgen generate`
///   took (BENCHMARKS.md).
/// - `glibc.malloc.trim_threshold` 1 GB and `glibc.malloc.mmap_threshold` 32 MB: memory freed is
///   kept for the next allocation rather than given back to the kernel and faulted in again. With
///   glibc's defaults, a third of generate_bench's runs on GitHub took 90,000 faults instead of
///   30,000-60,000 and 20% longer (BENCHMARKS.md, "sixth session").
/// glibc reads these only when a process starts, so this starts the program again, once, with them
/// added to GLIBC_TUNABLES. It returns at once when GLIBC_TUNABLES names `glibc.malloc.hugetlb`
/// already (set it to 0 to keep glibc's defaults), and when the program cannot be started again. A
/// tunable GLIBC_TUNABLES names already is left as it is. Call first thing in main(), before
/// anything is read from stdin; a no-op where the C library is not glibc.
void tune_malloc(char** argv);

}  // namespace oasgen
