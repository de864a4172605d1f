// A scenario whose store is a program outside the harness (`client:`): its jobs run under the
// scenario's faults and meet its expectations by their display names; how it exits is an outcome;
// a bad client section is an error at its line. queue_one_job (external/testing/) is the program.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "scenarios/scenario_loader.h"
#include "scenarios/scenario_runner.h"
#include "scenarios/testing/test_scenario.h"

namespace bitsh::scenarios {
namespace {

using bitsh::testing::LoadTestScenario;
using ::testing::HasSubstr;

// The client queues one track; the server cuts its first GET half-way; the retry resumes it. (The
// program does not complete its job: it has exited by then, and no Player is asked to.)
std::string ClientScenario(const std::string& client_arguments) {
  return std::string(R"(name: a store program queues the track
server:
  files: [{path: /album/01.wma, size: 1MiB}]
  faults: [{path: /album/01.wma, request: 2, kind: close_after_bytes, after: 512KiB}]
users: [{name: customer}]
client:
  command: [)") + BITSH_QUEUE_ONE_JOB + ", '{server}/album/01.wma', '{work}/01.wma', 'Album, track 1'" +
         client_arguments + R"(]
  user: customer
expect:
  - {job: 'Album, track 1', state: TRANSFERRED, error_count: 1, bytes_transferred: 1048576}
  - {requests: /album/01.wma, ranges: ['', 'bytes=0-', 'bytes=524288-']}
)";
}

std::string Failures(const ScenarioResult& result) {
  std::string text = result.internal_error;
  for (const ExpectationOutcome& outcome : result.outcomes) {
    if (!outcome.passed) text += "\n" + outcome.what + ": " + outcome.actual;
  }
  return text;
}

TEST(ScenarioClientTest, TheClientsJobRunsUnderTheScenariosFaultsAndMeetsItsExpectations) {
  const ScenarioResult result = RunScenario(LoadTestScenario(ClientScenario(""), "client.yaml"));
  EXPECT_TRUE(result.passed) << Failures(result);
  ASSERT_FALSE(result.outcomes.empty());
  EXPECT_THAT(result.outcomes[0].what, HasSubstr("client "));
  EXPECT_THAT(result.outcomes[0].what, HasSubstr("exits 0"));
  EXPECT_TRUE(result.outcomes[0].passed);
  EXPECT_THAT(result.trace, HasSubstr("'Album, track 1'")) << "the trace names the client's job";
}

TEST(ScenarioClientTest, AClientThatFailsIsAFailedOutcomeWithItsOutput) {
  const ScenarioResult result = RunScenario(LoadTestScenario(ClientScenario(", --exit, '4'"), "client.yaml"));
  EXPECT_FALSE(result.passed);
  ASSERT_FALSE(result.outcomes.empty());
  EXPECT_FALSE(result.outcomes[0].passed);
  EXPECT_THAT(result.outcomes[0].actual, HasSubstr("exited 4"));
  EXPECT_THAT(result.outcomes[0].actual, HasSubstr("queued {"));
  // The job it queued before failing still ran: its expectations are judged on their own.
  EXPECT_TRUE(result.outcomes[1].passed) << result.outcomes[1].actual;
  // No real time in it: the same run reports the same text.
  const ScenarioResult again = RunScenario(LoadTestScenario(ClientScenario(", --exit, '4'"), "client.yaml"));
  ASSERT_FALSE(again.outcomes.empty());
  EXPECT_EQ(again.outcomes[0].actual, result.outcomes[0].actual);
}

TEST(ScenarioClientTest, AJobTheClientNeverResumedIsReportedAsSuch) {
  const ScenarioResult result = RunScenario(LoadTestScenario(ClientScenario(", --no-resume"), "client.yaml"));
  EXPECT_FALSE(result.passed);
  ASSERT_GE(result.outcomes.size(), 2u);
  EXPECT_TRUE(result.outcomes[0].passed);
  EXPECT_FALSE(result.outcomes[1].passed);
  EXPECT_THAT(result.outcomes[1].actual, HasSubstr("SUSPENDED"));
}

TEST(ScenarioClientTest, AnExpectationOnAJobTheClientDidNotCreateFailsNamingTheJobsThereAre) {
  std::string text = ClientScenario("");
  text += "  - {job: 'Album, track 2', state: TRANSFERRED}\n";
  const ScenarioResult result = RunScenario(LoadTestScenario(text, "client.yaml"));
  EXPECT_FALSE(result.passed);
  ASSERT_EQ(result.outcomes.size(), 4u);
  EXPECT_FALSE(result.outcomes[3].passed);
  EXPECT_THAT(result.outcomes[3].actual, HasSubstr("no job of that display name; the jobs are ['Album, track 1']"));
}

// A client that waits for its job, as most do: with the clock held it waits in vain; when the
// timeline runs on while it is quiet, its job meets the drop, waits out BITS's 10-minute retry
// delay in virtual time and is completed by the client.
TEST(ScenarioClientTest, AClientThatWaitsForItsJobNeedsTheClockToRunWhileItIsQuiet) {
  const std::string waits = ClientScenario(", --wait-transferred, '30'");
  std::string advancing = waits;
  advancing.replace(advancing.find("  user: customer\n"), 16, "  user: customer\n  advance_when_quiet: 50ms\n");
  advancing.replace(advancing.find("state: TRANSFERRED"), 18, "state: ACKNOWLEDGED");
  const ScenarioResult result = RunScenario(LoadTestScenario(advancing, "client.yaml"));
  EXPECT_TRUE(result.passed) << Failures(result);
  EXPECT_THAT(result.trace, HasSubstr("TRANSIENT_ERROR -> QUEUED (retry)"));
  EXPECT_GT(result.virtual_time, std::chrono::minutes(10));

  std::string held = ClientScenario(", --wait-transferred, '1'");
  const ScenarioResult waited = RunScenario(LoadTestScenario(held, "client.yaml"));
  EXPECT_FALSE(waited.passed);
  EXPECT_THAT(waited.outcomes[0].actual, HasSubstr("exited 3"));
  EXPECT_THAT(waited.outcomes[0].actual, HasSubstr("not transferred within 1 s"));
}

TEST(ScenarioClientTest, ABadClientSectionIsAnErrorAtItsLine) {
  const LoadResult loaded = LoadScenarioText(R"(name: bad client
client:
  command: []
  timeout: -1s
  exit_status: sometimes
  advance_when_quiet: 0ms
)", "bad.yaml");
  EXPECT_FALSE(loaded.scenario);
  std::string errors;
  for (const LoadError& error : loaded.errors) errors += error.ToString() + "\n";
  EXPECT_THAT(errors, HasSubstr("bad.yaml:3:"));
  EXPECT_THAT(errors, HasSubstr("the client's command is empty"));
  EXPECT_THAT(errors, HasSubstr("exit_status is 'zero'"));
  EXPECT_THAT(errors, HasSubstr("advance_when_quiet must be positive"));
}

}  // namespace
}  // namespace bitsh::scenarios
