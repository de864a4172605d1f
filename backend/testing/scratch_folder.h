// ScratchFolder: a fresh temporary folder for one test or one simulated machine, removed with
// everything in it when the object goes away (unless kept). Every test that touches the file
// system uses one, so tests never share files; it is the project's one way to make a temporary
// folder (sim::Machine's work folder is one too).
#pragma once

#include <filesystem>
#include <random>
#include <stdexcept>
#include <string>
#include <system_error>

namespace bitsh::testing {

class ScratchFolder {
 public:
  // Named "<root>/<prefix>-<random number>"; created fresh (never an existing folder), portably:
  // the Windows build of the conformance suite uses it too, where there is no mkdtemp. An empty
  // root is the system's temporary folder; a missing root is created. Throws std::runtime_error
  // naming the place when no folder can be made.
  explicit ScratchFolder(const std::string& prefix = "bitsh-test", std::filesystem::path root = {}) {
    if (root.empty()) root = std::filesystem::temp_directory_path();
    std::error_code error;
    std::filesystem::create_directories(root, error);
    std::random_device random;
    for (int attempt = 0; attempt < 100 && path_.empty(); ++attempt) {
      const std::filesystem::path candidate = root / (prefix + "-" + std::to_string(random()));
      if (std::filesystem::create_directory(candidate, error)) path_ = candidate;
    }
    if (path_.empty()) {
      throw std::runtime_error("cannot create a folder " + prefix + "-N under " + root.string() +
                               (error ? ": " + error.message() : std::string()));
    }
  }
  ~ScratchFolder() {
    if (keep_) return;
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  ScratchFolder(const ScratchFolder&) = delete;
  ScratchFolder& operator=(const ScratchFolder&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }
  // Leaves the folder in place when the object goes away, for a user to inspect.
  void Keep() { keep_ = true; }

 private:
  std::filesystem::path path_;
  bool keep_ = false;
};

}  // namespace bitsh::testing
