#include "write/output_sink.hpp"

#include <doctest/doctest.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace fs = std::filesystem;
using oasgen::Diagnostics;
using oasgen::format_diagnostic;
using oasgen::write::check;
using oasgen::write::commit;
using oasgen::write::kManifestName;
using oasgen::write::MemorySink;

using Files = std::map<std::string, std::string>;
using Paths = std::vector<std::string>;

namespace {

// A fresh output root under the system temp folder, removed at the end of the test.
class TempDir {
 public:
  TempDir() {
    static int counter = 0;
    path_ = fs::temp_directory_path() /
            ("oasgen-write-test-" + std::to_string(::getpid()) + "-" + std::to_string(++counter));
    fs::remove_all(path_);
    fs::create_directories(path_ / "out");
  }
  ~TempDir() { fs::remove_all(path_); }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  fs::path root() const { return path_ / "out"; }
  fs::path outside() const { return path_; }

 private:
  fs::path path_;
};

std::string read(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Every file and folder under `root`, relative and sorted.
Paths tree(const fs::path& root) {
  Paths paths;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    paths.push_back(entry.path().lexically_relative(root).generic_string());
  }
  std::sort(paths.begin(), paths.end());
  return paths;
}

const fs::file_time_type kLongAgo = fs::file_time_type::clock::now() - std::chrono::hours(48);

}  // namespace

TEST_CASE("write: the memory sink keeps files and refuses a path written twice") {
  MemorySink sink;
  sink.write("a.hpp", "one");
  sink.write("src/a.cpp", "two");
  CHECK(sink.files() == Files{{"a.hpp", "one"}, {"src/a.cpp", "two"}});
  CHECK_THROWS_AS(sink.write("a.hpp", "again"), std::logic_error);
}

TEST_CASE("write: commit writes new files and the manifest, then leaves identical files alone") {
  TempDir dir;
  const Files files{{"include/api/models.hpp", "models"}, {"src/models.cpp", "code"}};
  Diagnostics diagnostics;
  auto report = commit(dir.root(), files, diagnostics);
  CHECK(report.written == Paths{"include/api/models.hpp", "src/models.cpp"});
  CHECK(report.unchanged.empty());
  CHECK(report.removed.empty());
  CHECK(read(dir.root() / "src/models.cpp") == "code");
  CHECK(read(dir.root() / kManifestName) == "include/api/models.hpp\nsrc/models.cpp\n");
  CHECK(tree(dir.root()) == Paths{".oasgen-manifest", "include", "include/api",
                                  "include/api/models.hpp", "src", "src/models.cpp"});
  CHECK(check(dir.root(), files).empty());

  for (const char* path : {"include/api/models.hpp", "src/models.cpp", kManifestName}) {
    fs::last_write_time(dir.root() / path, kLongAgo);
  }
  report = commit(dir.root(), files, diagnostics);
  CHECK(report.written.empty());
  CHECK(report.unchanged == Paths{"include/api/models.hpp", "src/models.cpp"});
  for (const char* path : {"include/api/models.hpp", "src/models.cpp", kManifestName}) {
    CAPTURE(path);
    CHECK(fs::last_write_time(dir.root() / path) == kLongAgo);
  }

  const Files changed{{"include/api/models.hpp", "models v2"}, {"src/models.cpp", "code"}};
  CHECK(check(dir.root(), changed) == Paths{"include/api/models.hpp"});
  report = commit(dir.root(), changed, diagnostics);
  CHECK(report.written == Paths{"include/api/models.hpp"});
  CHECK(report.unchanged == Paths{"src/models.cpp"});
  CHECK(read(dir.root() / "include/api/models.hpp") == "models v2");
  CHECK(fs::last_write_time(dir.root() / "src/models.cpp") == kLongAgo);
  CHECK(fs::last_write_time(dir.root() / kManifestName) == kLongAgo);  // same list of paths
  CHECK(tree(dir.root()).size() == 6);  // no temporary file left behind
  CHECK_FALSE(diagnostics.has_errors());
}

TEST_CASE("write: files no longer produced are removed with the folders they leave empty") {
  TempDir dir;
  Diagnostics diagnostics;
  commit(dir.root(), {{"a/b/old.hpp", "x"}, {"a/keep.hpp", "k"}, {"top.hpp", "t"}}, diagnostics);
  std::ofstream(dir.root() / "a/b/user-notes.txt") << "not ours";
  std::ofstream(dir.root() / "mine.txt") << "not ours";

  const Files next{{"top.hpp", "t"}};
  CHECK(check(dir.root(), next) == Paths{"a/b/old.hpp", "a/keep.hpp"});
  const auto report = commit(dir.root(), next, diagnostics);
  CHECK(report.removed == Paths{"a/b/old.hpp", "a/keep.hpp"});
  CHECK(tree(dir.root()) ==
        Paths{".oasgen-manifest", "a", "a/b", "a/b/user-notes.txt", "mine.txt", "top.hpp"});
  CHECK(read(dir.root() / kManifestName) == "top.hpp\n");

  fs::remove(dir.root() / "a/b/user-notes.txt");
  commit(dir.root(), {{"a/b/c/deep.hpp", "d"}}, diagnostics);
  commit(dir.root(), {{"z.hpp", "z"}}, diagnostics);
  CHECK(tree(dir.root()) == Paths{".oasgen-manifest", "mine.txt", "z.hpp"});
  CHECK_FALSE(diagnostics.has_errors());
}

TEST_CASE("write: paths outside the root are rejected and then nothing is written") {
  TempDir dir;
  struct Case {
    const char* path;
    const char* why;
  };
  const Case cases[] = {
      {"../x", "it leaves the output directory"},
      {"a/../../x", "it leaves the output directory"},
      {"/abs", "it is absolute"},
      {"a//b", "it has an empty segment"},
      {"a/", "it has an empty segment"},
      {"", "it is empty"},
      {"a\\b", "it contains a backslash"},
      {"./a", "it has a '.' segment"},
      {".oasgen-manifest", "the name is reserved for the manifest"},
      {"a.hpp.oasgen-tmp", "the suffix is reserved for temporary files"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.path);
    Diagnostics diagnostics;
    const auto report = commit(dir.root(), {{"good.hpp", "g"}, {c.path, "evil"}}, diagnostics);
    REQUIRE(diagnostics.all().size() == 1);
    CHECK(format_diagnostic(diagnostics.all().front()) ==
          std::string("error[output-path]: refusing to write '") + c.path + "': " + c.why);
    CHECK(report.written.empty());
    CHECK(tree(dir.root()).empty());
  }
  Diagnostics diagnostics;
  commit(dir.root(), {{"a", "file"}, {"a/b", "file in a folder a"}}, diagnostics);
  CHECK(format_diagnostic(diagnostics.all().at(0)) ==
        "error[output-path]: refusing to write 'a': it is also a folder of 'a/b'");
  CHECK(tree(dir.root()).empty());
  CHECK(tree(dir.outside()) == Paths{"out"});
}

TEST_CASE("write: a manifest naming paths outside the root removes nothing there") {
  TempDir dir;
  std::ofstream(dir.outside() / "victim.txt") << "precious";
  std::ofstream(dir.root() / kManifestName) << "../victim.txt\n/etc/hostname\nold.hpp\n";
  std::ofstream(dir.root() / "old.hpp") << "stale";
  CHECK(check(dir.root(), {{"new.hpp", "n"}}) == Paths{"new.hpp", "old.hpp"});
  Diagnostics diagnostics;
  const auto report = commit(dir.root(), {{"new.hpp", "n"}}, diagnostics);
  CHECK(report.removed == Paths{"old.hpp"});
  CHECK(read(dir.outside() / "victim.txt") == "precious");
  CHECK(read(dir.root() / kManifestName) == "new.hpp\n");
  CHECK_FALSE(diagnostics.has_errors());
}

TEST_CASE("write: create writes files once, without a manifest, and refuses any that exists") {
  TempDir dir;
  const Files files{{"CMakeLists.txt", "project"}, {"src/main.cpp", "main"}};
  Diagnostics diagnostics;
  CHECK(oasgen::write::create(dir.root(), files, diagnostics) ==
        Paths{"CMakeLists.txt", "src/main.cpp"});
  CHECK_FALSE(diagnostics.has_errors());
  CHECK(tree(dir.root()) == Paths{"CMakeLists.txt", "src", "src/main.cpp"});

  // One exists (edited since): nothing is written, the existing file is named.
  std::ofstream(dir.root() / "src/main.cpp") << "edited";
  const Files again{{"README.md", "new"}, {"src/main.cpp", "main"}};
  Diagnostics refused;
  CHECK(oasgen::write::create(dir.root(), again, refused).empty());
  REQUIRE(refused.all().size() == 1);
  CHECK(format_diagnostic(refused.all().front()) ==
        "error[output-exists]: '" + (dir.root() / "src/main.cpp").generic_string() +
            "' exists; it is written only once, and never overwritten");
  CHECK(read(dir.root() / "src/main.cpp") == "edited");
  CHECK_FALSE(fs::exists(dir.root() / "README.md"));

  // Paths outside the root are refused as commit refuses them.
  Diagnostics outside;
  CHECK(oasgen::write::create(dir.root(), {{"../escape.txt", "x"}}, outside).empty());
  CHECK(outside.has_errors());
  CHECK_FALSE(fs::exists(dir.outside() / "escape.txt"));
}
