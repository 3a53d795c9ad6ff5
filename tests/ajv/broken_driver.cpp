// A driver that breaks on purpose, for ajv_selftest.sh: ajv_test.sh must fail with it.
// AJV_BROKEN_MODE=crash prints a plausible summary and aborts; =short judges one instance of many.
#include <cstdlib>
#include <cstring>
#include <iostream>

int main() {
  const char* mode = std::getenv("AJV_BROKEN_MODE");
  std::cout << "compared 1 disagreements 0 ajv-valid 1 missing 0" << std::endl;
  if (mode != nullptr && std::strcmp(mode, "crash") == 0) std::abort();
  return 0;
}
