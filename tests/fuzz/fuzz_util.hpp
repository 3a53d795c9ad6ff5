// Shared by the libFuzzer harnesses: property checks that abort, and an input format that carries
// several named files ("==> name <==" header lines, as `head` prints them).
#pragma once

#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

// A violated property: libFuzzer (and the replay test) reports the abort with its input.
#define OASGEN_FUZZ_CHECK(cond, what)                                                  \
  do {                                                                                 \
    if (!(cond)) {                                                                     \
      std::fprintf(stderr, "fuzz property violated: %s (%s:%d)\n", std::string(what).c_str(), \
                   __FILE__, __LINE__);                                                \
      std::abort();                                                                    \
    }                                                                                  \
  } while (false)

namespace oasgen::fuzz {

/// The input as text.
inline std::string_view text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

/// Splits `input` into named files. Text before the first header is `first_name`; each
/// "\n==> name <==\n" line starts a file. Names keep to [A-Za-z0-9._-/] and never climb ("..").
inline std::vector<std::pair<std::string, std::string>> split_files(std::string_view input,
                                                                     std::string first_name) {
  constexpr std::string_view kOpen = "==> ", kClose = " <==";
  std::vector<std::pair<std::string, std::string>> files;
  std::string name = std::move(first_name), body;
  std::size_t pos = 0;
  while (true) {
    const std::size_t eol = input.find('\n', pos);
    const std::string_view line =
        input.substr(pos, eol == std::string_view::npos ? eol : eol - pos);
    if (line.size() > kOpen.size() + kClose.size() && line.substr(0, kOpen.size()) == kOpen &&
        line.substr(line.size() - kClose.size()) == kClose && files.size() < 32) {
      files.emplace_back(std::move(name), std::move(body));
      body.clear();
      name.clear();
      for (char c : line.substr(kOpen.size(), line.size() - kOpen.size() - kClose.size())) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                        (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-' || c == '/';
        name += ok ? c : '_';
      }
      // ".." becomes "_" (not by replace(): GCC 12 warns -Wrestrict about it, a false positive).
      for (std::size_t at; (at = name.find("..")) != std::string::npos;) {
        name[at] = '_';
        name.erase(at + 1, 1);
      }
      while (!name.empty() && name.front() == '/') name.erase(0, 1);
      if (name.empty() || name.back() == '/') name += '_';
    } else {
      body += line;
      if (eol != std::string_view::npos) body += '\n';
    }
    if (eol == std::string_view::npos) break;
    pos = eol + 1;
  }
  files.emplace_back(std::move(name), std::move(body));
  return files;
}

/// A folder of its own on tmpfs where there is one, emptied for each input, removed at exit.
class Scratch {
 public:
  Scratch() {
    std::filesystem::path base = "/dev/shm";
    if (!std::filesystem::is_directory(base)) base = std::filesystem::temp_directory_path();
    root_ = base / ("oasgen-fuzz-" + std::to_string(::getpid()));
  }
  ~Scratch() {
    std::error_code ec;
    std::filesystem::remove_all(root_, ec);
  }
  /// Writes `files` into a fresh folder and returns the path of the first.
  std::filesystem::path write(const std::vector<std::pair<std::string, std::string>>& files) {
    std::error_code ec;
    std::filesystem::remove_all(root_, ec);
    std::filesystem::create_directories(root_);
    for (const auto& [name, body] : files) {
      const auto path = root_ / name;
      std::filesystem::create_directories(path.parent_path(), ec);
      std::ofstream(path, std::ios::binary) << body;
    }
    return root_ / files.front().first;
  }

 private:
  std::filesystem::path root_;
};

}  // namespace oasgen::fuzz
