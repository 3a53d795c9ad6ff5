// How the generator's process asks the C library to manage its memory.
#pragma once

namespace oasgen {

/// Asks glibc (2.35 or later) for transparent huge pages for malloc's memory. Generation touches a
/// few hundred MB once; in pages of 4 KB the kernel faulted in 77,000 of them for GitHub's API,
/// 0.6 s of the 1.2 s that `oasgen generate` took (BENCHMARKS.md). glibc reads the setting only
/// when a process starts, so this starts the program again, once, with `glibc.malloc.hugetlb=1`
/// added to GLIBC_TUNABLES. It returns at once when GLIBC_TUNABLES names that tunable already (set
/// it to 0 to keep small pages), and when the program cannot be started again. Call first thing
/// in main(), before anything is read from stdin; a no-op where the C library is not glibc.
void use_huge_pages(char** argv);

}  // namespace oasgen
