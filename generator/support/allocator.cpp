#include "support/allocator.hpp"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace oasgen {

void keep_freed_memory() {
#if defined(__GLIBC__)
  // Give memory back only when a gigabyte is free at the top of a heap (default: 128 KB), and grow
  // a heap 256 MB beyond what is asked (default: 128 KB), so that stages reuse one another's pages.
  mallopt(M_TRIM_THRESHOLD, 1 << 30);
  mallopt(M_TOP_PAD, 256 << 20);
#endif
}

}  // namespace oasgen
