// Every bundled scenario as its own GoogleTest case (ScenarioLibrary.<file name>), run three times
// with identical traces required, registered at start-up from the files in scenarios/library, so
// ctest runs them one by one and sharding
// (GTEST_TOTAL_SHARDS / GTEST_SHARD_INDEX) and --gtest_filter work as usual.
#include <gtest/gtest.h>

#include "scenarios/scenario_loader.h"
#include "scenarios/scenario_runner.h"

namespace bitsh::scenarios {
namespace {

class ScenarioFileTest : public ::testing::Test {
 public:
  explicit ScenarioFileTest(std::filesystem::path path) : path_(std::move(path)) {}

  void TestBody() override {
    LoadResult loaded = LoadScenarioFile(path_);
    for (const LoadError& error : loaded.errors) ADD_FAILURE() << error.ToString();
    ASSERT_TRUE(loaded.scenario.has_value());
    RunOptions options;
    options.repeat = 3;  // same scenario and seed => the same trace, byte for byte
    options.check_invariants = true;  // and what a sweep holds every run to (invariants.h)
    const ScenarioResult result = RunScenario(*loaded.scenario, options);
    EXPECT_TRUE(result.internal_error.empty()) << result.internal_error;
    EXPECT_GT(result.outcomes.size(), 4u) << path_ << " has no expectations of its own";
    for (const ExpectationOutcome& outcome : result.outcomes) {
      EXPECT_TRUE(outcome.passed) << outcome.where.ToString() << ": expected " << outcome.what << "\n  but "
                                  << outcome.actual;
    }
  }

 private:
  std::filesystem::path path_;
};

std::string TestNameOf(const std::filesystem::path& path) {
  std::string name = path.stem().string();
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

}  // namespace
}  // namespace bitsh::scenarios

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  std::vector<std::string> missing;
  const auto files = bitsh::scenarios::FindScenarioFiles({BITSH_SCENARIO_LIBRARY}, missing);
  if (files.empty()) {
    std::fprintf(stderr, "no scenarios found in %s\n", BITSH_SCENARIO_LIBRARY);
    return 1;
  }
  for (const std::filesystem::path& file : files) {
    ::testing::RegisterTest("ScenarioLibrary", bitsh::scenarios::TestNameOf(file).c_str(), nullptr,
                            file.string().c_str(), __FILE__, __LINE__,
                            [file]() -> ::testing::Test* { return new bitsh::scenarios::ScenarioFileTest(file); });
  }
  return RUN_ALL_TESTS();
}
