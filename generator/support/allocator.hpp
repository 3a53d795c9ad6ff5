// How the generator's process asks the C library to manage its memory.
#pragma once

namespace oasgen {

/// Keeps freed memory in the process for reuse instead of giving it back to the kernel at once.
/// Generation is a short batch: it allocates a few hundred MB in small blocks, frees much of it
/// between stages and exits. With glibc's defaults every stage gave pages back and faulted them in
/// again: a fifth of the generation of a large spec (BENCHMARKS.md, "Generating
/// big-github.json"). Call once, first thing in main(); a no-op where the C library is not glibc.
void keep_freed_memory();

}  // namespace oasgen
