// Fuzz target: the file server's path guard (server/path_guard.h) on arbitrary request paths.
// The promise under test is the one that matters: whatever the path, a file the guard lets the
// server send (200) is a regular file below the served root, even through a symbolic link that
// points out of it. The fixture, made once per process in a fresh temporary folder:
//   root/track.wma, root/album/disc.wma, root/out -> ../outside (a link leading out),
//   root/loop -> loop (a link to itself), outside/secret.wma.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

#include "backend/testing/scratch_folder.h"
#include "fuzz/fuzz_check.h"
#include "server/path_guard.h"

namespace {

namespace fs = std::filesystem;

class Fixture {
 public:
  Fixture() {
    const fs::path& folder = scratch_.path();
    fs::create_directories(folder / "root" / "album");
    fs::create_directories(folder / "outside");
    std::ofstream(folder / "root" / "track.wma") << "track";
    std::ofstream(folder / "root" / "album" / "disc.wma") << "disc";
    std::ofstream(folder / "outside" / "secret.wma") << "secret";
    fs::create_directory_symlink("../outside", folder / "root" / "out");
    fs::create_symlink("loop", folder / "root" / "loop");
    root_ = fs::canonical(folder / "root");
  }
  const fs::path& root() const { return root_; }

 private:
  bitsh::testing::ScratchFolder scratch_{"bitsh-fuzz-path-guard"};
  fs::path root_;
};

bool IsBelow(const fs::path& root, const fs::path& file) {
  const auto [root_end, file_end] = std::mismatch(root.begin(), root.end(), file.begin(), file.end());
  return root_end == root.end() && file_end != file.end();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const Fixture fixture;
  const std::string_view request_path(reinterpret_cast<const char*>(data), size);

  const bool refused_by_form = bitsh::server::RefusalOf(request_path).has_value();
  const bitsh::server::PathResolution resolution = bitsh::server::ResolveRequestPath(fixture.root(), request_path);
  FUZZ_CHECK(resolution.http_status == 200 || resolution.http_status == 403 || resolution.http_status == 404);
  if (refused_by_form) FUZZ_CHECK(resolution.http_status == 403);
  if (resolution.http_status == 200) {
    FUZZ_CHECK(IsBelow(fixture.root(), resolution.file));
    FUZZ_CHECK(fs::is_regular_file(resolution.file));
    FUZZ_CHECK(fs::canonical(resolution.file) == resolution.file);
  } else {
    FUZZ_CHECK(!resolution.reason.empty());
  }
  return 0;
}
