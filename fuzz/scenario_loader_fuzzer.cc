// Fuzz target: the scenario loader (scenarios/scenario_loader.h) on arbitrary YAML text. A
// scenario file is untrusted input (someone sends you one to reproduce a bug), so beyond "no
// crash, no exception" it holds the loader to its header's promises:
// - a scenario comes back exactly when there is no error, and every error names this file;
// - a loaded scenario stays inside load_limits, and its job ids are unique;
// - no content_file is read from outside the scenario's folder. The fixture, made once per
//   process: scenario/inside.bin, scenario/escape.bin -> ../outside/secret.bin.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>

#include "backend/testing/scratch_folder.h"
#include "fuzz/fuzz_check.h"
#include "scenarios/scenario_loader.h"

namespace {

namespace fs = std::filesystem;

constexpr const char* kSecret = "bytes from outside the scenario's folder";

class Fixture {
 public:
  Fixture() {
    const fs::path& folder = scratch_.path();
    fs::create_directories(folder / "scenario");
    fs::create_directories(folder / "outside");
    std::ofstream(folder / "scenario" / "inside.bin") << "bytes inside";
    std::ofstream(folder / "outside" / "secret.bin") << kSecret;
    fs::create_symlink("../outside/secret.bin", folder / "scenario" / "escape.bin");
    file_name_ = (folder / "scenario" / "fuzz.yaml").string();
  }
  const std::string& file_name() const { return file_name_; }

 private:
  bitsh::testing::ScratchFolder scratch_{"bitsh-fuzz-scenario"};
  std::string file_name_;
};

void CheckLoadedScenario(const bitsh::scenarios::Scenario& scenario) {
  namespace limits = bitsh::scenarios::load_limits;
  FUZZ_CHECK(scenario.jobs.size() <= limits::kMaxJobs);
  std::size_t files = 0;
  std::set<std::string> ids;
  for (const bitsh::scenarios::JobSpec& job : scenario.jobs) {
    files += job.files.size();
    FUZZ_CHECK(ids.insert(job.id).second);
  }
  FUZZ_CHECK(files <= limits::kMaxJobFiles);
  for (const bitsh::scenarios::ServerFile& file : scenario.server_files) {
    FUZZ_CHECK(!file.content || *file.content != kSecret);
    FUZZ_CHECK(file.content || file.size <= limits::kMaxGeneratedBytes);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const Fixture fixture;
  const std::string text(reinterpret_cast<const char*>(data), size);

  const bitsh::scenarios::LoadResult result = bitsh::scenarios::LoadScenarioText(text, fixture.file_name());
  FUZZ_CHECK(result.scenario.has_value() == result.errors.empty());
  for (const bitsh::scenarios::LoadError& error : result.errors) {
    FUZZ_CHECK(error.where.file == fixture.file_name());
    FUZZ_CHECK(!error.message.empty());
  }
  if (result.scenario) CheckLoadedScenario(*result.scenario);
  return 0;
}
