#include "support/allocator.hpp"

#include <cstdlib>  // first: it defines __GLIBC__
#include <cstring>
#include <string>

#if defined(__GLIBC__) && defined(__linux__)
#include <sys/auxv.h>
#include <unistd.h>
#endif

namespace oasgen {

void use_huge_pages(char** argv) {
#if defined(__GLIBC__) && defined(__linux__)
  constexpr const char* kTunable = "glibc.malloc.hugetlb";
  // A set-user-id start: glibc would drop the setting, and the program would start again forever.
  if (getauxval(AT_SECURE) != 0) return;
  const char* tunables = std::getenv("GLIBC_TUNABLES");
  if (tunables != nullptr && std::strstr(tunables, kTunable) != nullptr) return;
  std::string value = tunables != nullptr && *tunables != '\0' ? std::string(tunables) + ":" : "";
  value += std::string(kTunable) + "=1";
  // The same executable, arguments and process id; execv returns only if it failed.
  if (setenv("GLIBC_TUNABLES", value.c_str(), 1) == 0) execv("/proc/self/exe", argv);
#else
  (void)argv;
#endif
}

}  // namespace oasgen
