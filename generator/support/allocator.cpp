#include "support/allocator.hpp"

#include <cstdlib>  // first: it defines __GLIBC__
#include <cstring>
#include <string>

#if defined(__GLIBC__) && defined(__linux__)
#include <sys/auxv.h>
#include <unistd.h>
#endif

namespace oasgen {

void tune_malloc(char** argv) {
#if defined(__GLIBC__) && defined(__linux__)
  constexpr const char* kHugePages = "glibc.malloc.hugetlb";
  constexpr const char* kTunables[][2] = {{kHugePages, "1"},
                                          {"glibc.malloc.trim_threshold", "1073741824"},
                                          {"glibc.malloc.mmap_threshold", "33554432"}};
  // A set-user-id start: glibc would drop the settings, and the program would start again forever.
  if (getauxval(AT_SECURE) != 0) return;
  const char* tunables = std::getenv("GLIBC_TUNABLES");
  if (tunables != nullptr && std::strstr(tunables, kHugePages) != nullptr) return;
  std::string value = tunables != nullptr ? tunables : "";
  for (const auto& [name, setting] : kTunables) {
    if (std::strstr(value.c_str(), name) != nullptr) continue;
    value += std::string(value.empty() ? "" : ":") + name + "=" + setting;
  }
  // The same executable, arguments and process id; execv returns only if it failed.
  if (setenv("GLIBC_TUNABLES", value.c_str(), 1) == 0) execv("/proc/self/exe", argv);
#else
  (void)argv;
#endif
}

}  // namespace oasgen
