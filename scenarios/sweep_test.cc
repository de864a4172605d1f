// Sweeps (scenarios/sweep.h): a planted bug that only a cut near the end of a file shows is found
// at exactly the offsets that show it, and nowhere else; plans are checked before anything runs.
#include "scenarios/sweep.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "backend/testing/status_matchers.h"
#include "fake/testing/resume_bug_transport.h"
#include "scenarios/scenario_loader.h"
#include "scenarios/testing/test_scenario.h"

namespace bitsh::scenarios {
namespace {

using bitsh::testing::LoadTestScenario;

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::IsOk;
using testing::StatusIs;

constexpr std::uint64_t kMiB = 1024 * 1024;
constexpr std::uint64_t kKiB = 1024;

// A store's one-track purchase, written with no fault in mind.
constexpr const char* kOneTrack = R"(name: one track
server: {files: [{path: /a.wma, size: 1MiB}]}
jobs: [{id: track, retry_delay: 5s, files: [{url: /a.wma, local: a.wma}], complete_when_transferred: true}]
expect: [{job: track, state: ACKNOWLEDGED}]
)";

SweepPlan EverySixteenKiB() {
  SweepPlan plan;
  plan.from = 0;
  plan.to = kEndOfFile;
  plan.step = 16 * kKiB;
  return plan;
}

std::vector<std::uint64_t> FailingOffsets(const std::vector<SweepOutcome>& outcomes) {
  std::vector<std::uint64_t> failing;
  for (const SweepOutcome& outcome : outcomes) {
    if (!outcome.result.passed) failing.push_back(outcome.point.at);
  }
  return failing;
}

TEST(SweepTest, EveryCutOfAHealthyDownloadEndsWithTheRightBytes) {
  const Scenario scenario = LoadTestScenario(kOneTrack, "sweep.yaml");
  Result<SweepPlan> plan = ResolvePlan(scenario, EverySixteenKiB());
  ASSERT_THAT(plan, IsOk());
  const std::vector<SweepOutcome> outcomes = RunSweep(scenario, *plan, {}, 2);
  EXPECT_EQ(outcomes.size(), 65u);  // 0, 16 KiB, ..., 1 MiB
  EXPECT_THAT(FailingOffsets(outcomes), ElementsAre());
}

TEST(SweepTest, ASweepFindsAResumeBugAtExactlyTheOffsetsThatShowIt) {
  const Scenario scenario = LoadTestScenario(kOneTrack, "sweep.yaml");
  Result<SweepPlan> plan = ResolvePlan(scenario, EverySixteenKiB());
  ASSERT_THAT(plan, IsOk());
  RunOptions planted;
  planted.wrap_transport = [](fake::Transport& http) {
    return std::make_unique<fake::testing::ResumeBugTransport>(http, 64 * kKiB);
  };
  const std::vector<SweepOutcome> outcomes = RunSweep(scenario, *plan, planted, 2);
  // Only a resume that starts less than 64 KiB before the end doubles a byte: cuts at 1 MiB - 64
  // KiB and at the very end (no resume) are fine.
  EXPECT_THAT(FailingOffsets(outcomes), ElementsAre(kMiB - 48 * kKiB, kMiB - 32 * kKiB, kMiB - 16 * kKiB));
  const ScenarioResult& failed = outcomes.at(61).result;  // 61 x 16 KiB = 999424
  ASSERT_FALSE(failed.passed);
  EXPECT_TRUE(failed.outcomes.at(0).passed) << "the scenario's own expectation does not see the bug";
  EXPECT_EQ(failed.reproduce, "bitsh sweep sweep.yaml --fault close_after_bytes --path /a.wma --at 999424 --request 1");
  const std::string table = SweepTable(*plan, outcomes);
  EXPECT_THAT(table, HasSubstr("0..983040                 pass    (61 offsets)\n"));
  EXPECT_THAT(table, HasSubstr("999424..1032192           FAIL    (3 offsets)\n"));
  EXPECT_THAT(table, HasSubstr("1048576                   pass    \n"));
}

TEST(SweepTest, EachRequestIsAColumnAndEachPointReproducesAlone) {
  const Scenario scenario = LoadTestScenario(kOneTrack, "sweep.yaml");
  SweepPlan plan = EverySixteenKiB();
  plan.from = plan.to = kMiB - 16 * kKiB;
  plan.first_request = 1;
  plan.last_request = 2;
  Result<SweepPlan> resolved = ResolvePlan(scenario, plan);
  ASSERT_THAT(resolved, IsOk());
  EXPECT_EQ(PointsOf(*resolved).size(), 2u);
  RunOptions planted;
  planted.seed = 9;
  planted.wrap_transport = [](fake::Transport& http) {
    return std::make_unique<fake::testing::ResumeBugTransport>(http, 64 * kKiB);
  };
  const std::vector<SweepOutcome> outcomes = RunSweep(scenario, *resolved, planted, 1);
  ASSERT_EQ(outcomes.size(), 2u);
  EXPECT_FALSE(outcomes[0].result.passed);  // the first GET is cut, the resume is buggy
  EXPECT_TRUE(outcomes[1].result.passed);   // there is no second GET: the fault never fires
  EXPECT_THAT(outcomes[0].result.reproduce, HasSubstr("--at 1032192 --request 1 --seed 9"));
}

TEST(SweepTest, PlansAreCheckedAgainstTheScenarioBeforeAnythingRuns) {
  const Scenario scenario = LoadTestScenario(kOneTrack, "sweep.yaml");
  SweepPlan plan = EverySixteenKiB();
  plan.kind = server::FaultKind::kStatus;
  EXPECT_THAT(ResolvePlan(scenario, plan), StatusIs(hr::kInvalidArg, HasSubstr("takes no byte offset")));
  plan = EverySixteenKiB();
  plan.path = "/b.wma";
  EXPECT_THAT(ResolvePlan(scenario, plan), StatusIs(hr::kInvalidArg, HasSubstr("serves no such file (it serves /a.wma)")));
  plan = EverySixteenKiB();
  plan.to = 2 * kMiB;
  EXPECT_THAT(ResolvePlan(scenario, plan), StatusIs(hr::kInvalidArg, HasSubstr("past the end of /a.wma (1048576 bytes")));
  plan = EverySixteenKiB();
  plan.step = 0;
  EXPECT_THAT(ResolvePlan(scenario, plan), StatusIs(hr::kInvalidArg, HasSubstr("needs a --step")));
  plan = EverySixteenKiB();
  plan.step = 1;
  EXPECT_THAT(ResolvePlan(scenario, plan), StatusIs(hr::kInvalidArg, HasSubstr("more than 100000 points")));
}

TEST(SweepTest, TheLastOffsetIsAlwaysTriedAndEndMayStandForBothEnds) {
  const Scenario scenario = LoadTestScenario(kOneTrack, "sweep.yaml");
  SweepPlan plan;
  plan.from = 0;
  plan.to = 100;
  plan.step = 30;
  std::vector<std::uint64_t> offsets;
  for (const SweepPoint& point : PointsOf(plan)) offsets.push_back(point.at);
  EXPECT_THAT(offsets, ElementsAre(0u, 30u, 60u, 90u, 100u));
  plan.from = plan.to = kEndOfFile;
  Result<SweepPlan> at_the_end = ResolvePlan(scenario, plan);
  ASSERT_THAT(at_the_end, IsOk());
  ASSERT_EQ(PointsOf(*at_the_end).size(), 1u);
  EXPECT_EQ(PointsOf(*at_the_end)[0].at, kMiB);
}

TEST(SweepTest, InvariantsOnlyLeavesOutTheScenariosExpectations) {
  const Scenario scenario = LoadTestScenario(kOneTrack, "sweep.yaml");
  SweepPlan plan = EverySixteenKiB();
  plan.expectations = false;
  const Scenario swept = WithFault(scenario, plan, {.at = 100, .request = 3});
  EXPECT_TRUE(swept.expectations.empty());
  ASSERT_EQ(swept.server_faults.size(), 1u);
  EXPECT_EQ(swept.server_faults[0].after_bytes, 100u);
  EXPECT_EQ(swept.server_faults[0].request_number, 3);
  EXPECT_EQ(swept.server_faults[0].method, "GET");
}

}  // namespace
}  // namespace bitsh::scenarios
