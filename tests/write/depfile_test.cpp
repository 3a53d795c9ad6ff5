#include "write/depfile.hpp"

#include <doctest/doctest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace fs = std::filesystem;
using oasgen::Diagnostics;
using oasgen::write::depfile_text;
using oasgen::write::escape_depfile_path;
using oasgen::write::write_depfile;

namespace {

// A fresh folder under the system temp folder, removed at the end of the test.
class TempDir {
 public:
  TempDir() {
    static int counter = 0;
    path_ = fs::temp_directory_path() /
            ("oasgen-depfile-test-" + std::to_string(::getpid()) + "-" + std::to_string(++counter));
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() { fs::remove_all(path_); }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

std::string read(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

const fs::file_time_type kLongAgo = fs::file_time_type::clock::now() - std::chrono::hours(48);

}  // namespace

TEST_CASE("depfile: paths are escaped the way GCC writes them") {
  const struct {
    const char* path;
    const char* escaped;
  } cases[] = {
      {"/src/api.yaml", "/src/api.yaml"},
      {"/my specs/api.yaml", "/my\\ specs/api.yaml"},
      {"/a\tb", "/a\\\tb"},
      {"/specs/#1.yaml", "/specs/\\#1.yaml"},
      {"/specs/$HOME.yaml", "/specs/$$HOME.yaml"},
      // 2N+1 backslashes before a space stand for N backslashes and the space.
      {"/a\\ b", "/a\\\\\\ b"},
      {"/a\\\\ b", "/a\\\\\\\\\\ b"},
      // Backslashes elsewhere are not doubled.
      {"/a\\b", "/a\\b"},
      {"/a\\#b", "/a\\\\#b"},
      {"/x:y", "/x:y"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.path);
    CHECK(escape_depfile_path(c.path) == std::string(c.escaped));
  }
  CHECK(escape_depfile_path("/a\nb") == std::nullopt);
  CHECK(escape_depfile_path("/a\rb") == std::nullopt);
}

TEST_CASE("depfile: one rule, one input per line, duplicates dropped, order kept") {
  CHECK(depfile_text("/b/api.stamp", {"/s/api.yaml", "/s/schemas/pet.yaml", "/s/api.yaml",
                                      "/t/models.hpp.mustache"}) ==
        "/b/api.stamp: \\\n"
        "  /s/api.yaml \\\n"
        "  /s/schemas/pet.yaml \\\n"
        "  /t/models.hpp.mustache\n");
  CHECK(depfile_text("/b/api.stamp", {}) == "/b/api.stamp:\n");
  CHECK(depfile_text("/b/my api.stamp", {"/s/a b.yaml"}) == "/b/my\\ api.stamp: \\\n  /s/a\\ b.yaml\n");
  CHECK(depfile_text("/b/api.stamp", {"/s/a\nb.yaml"}) == std::nullopt);
}

TEST_CASE("depfile: written with absolute paths, and rewritten only when its content changes") {
  TempDir dir;
  const fs::path file = dir.path() / "deps" / "api.d";
  const fs::path previous = fs::current_path();
  fs::current_path(dir.path());
  Diagnostics diagnostics;
  const bool written = write_depfile(file, "out/api.stamp", {"api.yaml", "schemas/../pet.yaml"},
                                     diagnostics);
  fs::current_path(previous);
  REQUIRE(written);
  CHECK_FALSE(diagnostics.has_errors());
  const std::string root = dir.path().lexically_normal().generic_string();
  CHECK(read(file) == root + "/out/api.stamp: \\\n  " + root + "/api.yaml \\\n  " + root +
                          "/pet.yaml\n");
  CHECK(fs::directory_iterator(file.parent_path()) != fs::directory_iterator());
  for (const auto& entry : fs::directory_iterator(file.parent_path())) {
    CHECK(entry.path().filename() == "api.d");  // no temporary file left behind
  }

  // The same content: the file keeps its time, so that a build tool sees nothing new.
  fs::last_write_time(file, kLongAgo);
  CHECK(write_depfile(file, dir.path() / "out/api.stamp",
                      {dir.path() / "api.yaml", dir.path() / "pet.yaml"}, diagnostics));
  CHECK(fs::last_write_time(file) == kLongAgo);

  // A new input: rewritten.
  CHECK(write_depfile(file, dir.path() / "out/api.stamp",
                      {dir.path() / "api.yaml", dir.path() / "pet.yaml", dir.path() / "tag.yaml"},
                      diagnostics));
  CHECK(fs::last_write_time(file) != kLongAgo);
  CHECK(read(file).find(root + "/tag.yaml\n") != std::string::npos);
  CHECK_FALSE(diagnostics.has_errors());
}

TEST_CASE("depfile: a path that cannot be listed or a file that cannot be written is an error") {
  TempDir dir;
  Diagnostics diagnostics;
  CHECK_FALSE(write_depfile(dir.path() / "api.d", dir.path() / "api.stamp",
                            {dir.path() / "line\nbreak.yaml"}, diagnostics));
  REQUIRE(diagnostics.error_count() == 1);
  CHECK(diagnostics.all()[0].code == "depfile");
  CHECK_FALSE(fs::exists(dir.path() / "api.d"));

  std::ofstream(dir.path() / "plain-file") << "not a folder";
  CHECK_FALSE(write_depfile(dir.path() / "plain-file" / "api.d", dir.path() / "api.stamp",
                            {dir.path() / "api.yaml"}, diagnostics));
  REQUIRE(diagnostics.error_count() == 2);
  CHECK(diagnostics.all()[1].code == "output-write");
}
