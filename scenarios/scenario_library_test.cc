// Every bundled scenario as its own GoogleTest case (ScenarioLibrary.<file name>), run three times
// with identical traces required, then once more with an event log that keeps a single line (its
// expectations, invariants and triggers must not depend on what the log keeps, and the log file
// streamed meanwhile must be the whole trace), registered at start-up from the files in scenarios/library, so
// ctest runs them one by one and sharding
// (GTEST_TOTAL_SHARDS / GTEST_SHARD_INDEX) and --gtest_filter work as usual.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include "backend/testing/scratch_folder.h"
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

    const testing::ScratchFolder scratch("bitsh-library-log");
    RunOptions one_line = options;
    one_line.repeat = 1;
    one_line.log_lines_kept = 1;
    one_line.log_file = scratch.path() / "run.log";
    const ScenarioResult bounded = RunScenario(*loaded.scenario, one_line);
    EXPECT_EQ(bounded.internal_error, result.internal_error);
    ASSERT_EQ(bounded.outcomes.size(), result.outcomes.size());
    for (std::size_t i = 0; i < bounded.outcomes.size(); ++i) {
      EXPECT_EQ(bounded.outcomes[i].passed, result.outcomes[i].passed)
          << "with one log line kept: " << bounded.outcomes[i].what << " but " << bounded.outcomes[i].actual;
    }
    EXPECT_EQ(bounded.events.size(), 1u);
    EXPECT_EQ(bounded.events_dropped + 1, result.events.size() + result.events_dropped);
    EXPECT_EQ(bounded.trace.rfind("(" + std::to_string(bounded.events_dropped) + " earlier lines not kept)\n", 0), 0u);
    std::ifstream streamed_file(one_line.log_file, std::ios::binary);
    const std::string streamed((std::istreambuf_iterator<char>(streamed_file)), std::istreambuf_iterator<char>());
    EXPECT_TRUE(streamed == result.trace) << "the streamed log differs from the trace at "
                                          << fake::EventLog::FirstDifference(streamed, result.trace);
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
