// The runner's bounds (issue 21): whatever a server or a scenario does, a run ends, and a run cut
// short by a bound says which one.
#include "scenarios/scenario_runner.h"

#include <gtest/gtest.h>

#include "scenarios/scenario_loader.h"
#include "scenarios/testing/test_scenario.h"

namespace bitsh::scenarios {
namespace {

using bitsh::testing::LoadTestScenario;

using std::chrono::hours;

// A file that changes before every answer, under BITS's default 14-day no-progress timeout: the
// run can only end at max_virtual_time. Before the restart bound it never did.
constexpr const char* kChangingFile = R"(name: changes on every request
max_virtual_time: 1h
server:
  files: [{path: /a.wma, size: 1MiB}]
  faults: [{path: /a.wma, kind: change_file, new_size: 1048576, new_seed: 7}]
jobs:
  - {id: track, retry_delay: 10min, files: [{url: /a.wma, local: a.wma}]}
expect:
  - {job: track, state: TRANSIENT_ERROR, error_count: 6, error: {code: BG_E_NO_PROGRESS, context: REMOTE_FILE}}
  - {requests: /a.wma, count: 60}
)";

TEST(ScenarioRunnerTest, AFileThatChangesOnEveryRequestEndsAtMaxVirtualTime) {
  const ScenarioResult result = RunScenario(LoadTestScenario(kChangingFile, "runner.yaml"));
  EXPECT_EQ(result.internal_error, "");
  for (const ExpectationOutcome& outcome : result.outcomes) {
    EXPECT_TRUE(outcome.passed) << outcome.what << " but " << outcome.actual;
  }
  // A run not over by max_virtual_time lasts exactly that long (sim::Machine::RunUntil's rule).
  EXPECT_EQ(result.virtual_time, std::chrono::hours(1));
  // Errors at 4 s and every 604 s after: the last at 3024 s; its retry at 3624 s is past 1 h.
  ASSERT_FALSE(result.events.empty());
  EXPECT_EQ(result.events.back().at, std::chrono::seconds(3024));
  EXPECT_TRUE(result.passed);
  EXPECT_LT(result.wall_seconds, 10.0);  // 60 loopback requests, not a hang
}

TEST(ScenarioRunnerTest, ReachingMaxEventsEndsTheRunAsAHarnessError) {
  RunOptions options;
  options.max_events = 5;
  const ScenarioResult result = RunScenario(LoadTestScenario(kChangingFile, "runner.yaml"), options);
  EXPECT_EQ(result.internal_error.rfind("the run reached max_events (5) at ", 0), 0u) << result.internal_error;
  EXPECT_FALSE(result.passed);
}

// At 512 KiB the CDN starts refusing the track (the open GET goes on: BITS reads one response as
// long as it can); at 1 MiB the network drops, so the retry 10 minutes later meets the 503. The
// moment the first job is in TRANSIENT_ERROR the store suspends the second, which therefore never
// reaches TRANSFERRED, and the last trigger never fires.
constexpr const char* kTriggers = R"(name: triggers
max_virtual_time: 15min
server:
  files: [{path: /a.wma, size: 2MiB}, {path: /b.wma, size: 1MiB}]
network: {bandwidth: 1MB/s}
jobs:
  - {id: first, retry_delay: 10min, files: [{url: /a.wma, local: a.wma}]}
  - {id: second, files: [{url: /b.wma, local: b.wma}]}
triggers:
  - when: {job: first, bytes_transferred: 512KiB}
    fault: {path: /a.wma, method: GET, kind: status, status: 503}
  - when: {job: first, bytes_transferred: 1MiB}
    network: {drop: true}
  - when: {job: first, state: TRANSIENT_ERROR}
    job: second
    do: suspend
  - when: {job: second, state: TRANSFERRED}
    restart_service: true
expect:
  - {job: first, state: TRANSIENT_ERROR, error_count: 2, bytes_transferred: 1MiB, error: {code: BG_E_HTTP_ERROR_503}}
  - {job: second, state: SUSPENDED, bytes_transferred: 0}
)";

TEST(ScenarioRunnerTest, TriggersFireAtThePointTheJobReachesAndOnlyThen) {
  const ScenarioResult result = RunScenario(LoadTestScenario(kTriggers, "runner.yaml"));
  EXPECT_EQ(result.internal_error, "");
  for (const ExpectationOutcome& outcome : result.outcomes) {
    EXPECT_TRUE(outcome.passed) << outcome.what << " but " << outcome.actual;
  }
  std::vector<std::string> fired;
  for (const fake::LogEvent& event : result.events) {
    if (event.kind == "trigger") fired.push_back(event.detail);
  }
  EXPECT_EQ(fired, (std::vector<std::string>{"line 10:5: fault status on /a.wma", "line 12:5: network",
                                             "line 14:5: suspend job second"}));
}

// A seeded fault draws from what it is, not from where it stands: putting another fault ahead of
// it (as a sweep does, or taking one away, as shrink does) leaves its draws as they were.
constexpr const char* kSeededAlone = R"(name: seeded
seed: 5
server:
  files: [{path: /a.wma, size: 1MiB}, {path: /b.wma, size: 10KiB}]
  faults:
    - {path: /a.wma, method: GET, probability: 0.5, kind: close_after_bytes, after: 100KiB}
jobs: [{id: t, retry_delay: 5s, files: [{url: /a.wma, local: a.wma}]}]
)";
constexpr const char* kSeededBehindAnother = R"(name: seeded
seed: 5
server:
  files: [{path: /a.wma, size: 1MiB}, {path: /b.wma, size: 10KiB}]
  faults:
    - {path: /b.wma, probability: 0.5, kind: status, status: 503}
    - {path: /a.wma, method: GET, probability: 0.5, kind: close_after_bytes, after: 100KiB}
jobs: [{id: t, retry_delay: 5s, files: [{url: /a.wma, local: a.wma}]}]
)";

std::vector<std::string> FaultsOn(const ScenarioResult& result, const std::string& path) {
  std::vector<std::string> faults;
  for (const server::RequestRecord& record : result.requests) {
    if (record.path == path) faults.push_back(record.method + ":" + record.fault);
  }
  return faults;
}

TEST(ScenarioRunnerTest, ASeededFaultDrawsTheSameWhateverFaultsStandAheadOfIt) {
  const std::vector<std::string> alone = FaultsOn(RunScenario(LoadTestScenario(kSeededAlone, "runner.yaml")), "/a.wma");
  EXPECT_EQ(FaultsOn(RunScenario(LoadTestScenario(kSeededBehindAnother, "runner.yaml")), "/a.wma"), alone);
  ASSERT_GE(alone.size(), 3u);  // HEAD, at least one cut GET and the GET that finished
  RunOptions reseeded;
  reseeded.seed = 6;
  std::vector<std::vector<std::string>> others;  // other seeds draw otherwise (one of several at least)
  for (std::uint64_t seed = 6; seed < 12; ++seed) {
    reseeded.seed = seed;
    others.push_back(FaultsOn(RunScenario(LoadTestScenario(kSeededAlone, "runner.yaml"), reseeded), "/a.wma"));
  }
  EXPECT_TRUE(std::ranges::any_of(others, [&](const std::vector<std::string>& faults) { return faults != alone; }));
}

}  // namespace
}  // namespace bitsh::scenarios
