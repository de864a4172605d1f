// ScratchFolder: a fresh temporary folder for one test, removed with everything in it when the
// object goes away. Every test that touches the file system uses one, so tests never share files.
#pragma once

#include <filesystem>
#include <random>
#include <stdexcept>
#include <string>
#include <system_error>

namespace bitsh::testing {

class ScratchFolder {
 public:
  // Named "<prefix>-<random number>"; created fresh (never an existing folder), portably: the
  // Windows build of the conformance suite uses it too, where there is no mkdtemp.
  explicit ScratchFolder(const std::string& prefix = "bitsh-test") {
    std::random_device random;
    for (int attempt = 0; attempt < 100 && path_.empty(); ++attempt) {
      const std::filesystem::path candidate =
          std::filesystem::temp_directory_path() / (prefix + "-" + std::to_string(random()));
      std::error_code error;
      if (std::filesystem::create_directory(candidate, error)) path_ = candidate;
    }
    if (path_.empty()) {
      throw std::runtime_error("cannot create a folder " + prefix + "-N under " +
                               std::filesystem::temp_directory_path().string());
    }
  }
  ~ScratchFolder() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  ScratchFolder(const ScratchFolder&) = delete;
  ScratchFolder& operator=(const ScratchFolder&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

}  // namespace bitsh::testing
