// The invariants a sweep checks after every point (scenarios/invariants.h): each one holds on a
// healthy run, and each one fails, naming what broke it, when its kind of bug is planted.
#include "scenarios/invariants.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "fake/testing/fake_service_test_peer.h"
#include "fake/testing/resume_bug_transport.h"
#include "scenarios/scenario_loader.h"
#include "sim/machine.h"
#include "scenarios/testing/test_scenario.h"

namespace bitsh::scenarios {
namespace {

using bitsh::testing::LoadTestScenario;

using ::testing::HasSubstr;

// The outcome of the invariant named `what` ("no job lost", ...) in a run checked with them.
ExpectationOutcome InvariantOf(const ScenarioResult& result, const std::string& what) {
  for (const ExpectationOutcome& outcome : result.outcomes) {
    if (outcome.what == "invariant: " + what) return outcome;
  }
  ADD_FAILURE() << "no outcome for invariant '" << what << "'";
  return {};
}

RunOptions WithInvariants() {
  RunOptions options;
  options.check_invariants = true;
  return options;
}

// The connection is cut 10,000 bytes before the end of a 1 MiB track; the job resumes and the
// store completes it. The scenario itself checks only the job's state.
constexpr const char* kCutNearTheEnd = R"(name: cut near the end
server:
  files: [{path: /a.wma, size: 1MiB}]
  faults: [{path: /a.wma, method: GET, request: 1, kind: close_after_bytes, after: 1038576}]
jobs:
  - {id: track, retry_delay: 5s, files: [{url: /a.wma, local: a.wma}], complete_when_transferred: true}
expect: [{job: track, state: ACKNOWLEDGED}]
)";

TEST(InvariantsTest, AHealthyRunKeepsEveryInvariant) {
  const ScenarioResult result = RunScenario(LoadTestScenario(kCutNearTheEnd, "invariants.yaml"), WithInvariants());
  ASSERT_EQ(result.outcomes.size(), 5u);  // the expectation and the four invariants
  for (const ExpectationOutcome& outcome : result.outcomes) EXPECT_TRUE(outcome.passed) << outcome.what << ": " << outcome.actual;
  EXPECT_TRUE(result.passed);
}

TEST(InvariantsTest, ACompleteBeforeEveryFileIsDoneBreaksNone) {
  // Complete at 1 s acknowledges the album with its second track unfinished (BG_S_PARTIAL_COMPLETE:
  // the unfinished file is deleted, never renamed into place).
  const ScenarioResult result = RunScenario(LoadTestScenario(R"(name: partial complete
server:
  files: [{path: /a.wma, size: 64KiB}, {path: /b.wma, size: 4MiB}]
network: {bandwidth: 1MB/s}
jobs:
  - id: album
    files: [{url: /a.wma, local: a.wma}, {url: /b.wma, local: b.wma}]
    actions: [{at: 1s, do: complete}]
expect: [{job: album, state: ACKNOWLEDGED}, {file: b.wma, exists: false}]
)", "invariants.yaml"), WithInvariants());
  ASSERT_EQ(result.outcomes.size(), 6u);
  for (const ExpectationOutcome& outcome : result.outcomes) EXPECT_TRUE(outcome.passed) << outcome.what << ": " << outcome.actual;
}

TEST(InvariantsTest, ABuggyResumeBreaksByteIdentityThoughTheJobIsAcknowledged) {
  RunOptions options = WithInvariants();
  options.wrap_transport = [](fake::Transport& http) {
    return std::make_unique<fake::testing::ResumeBugTransport>(http, 64 * 1024);
  };
  const ScenarioResult result = RunScenario(LoadTestScenario(kCutNearTheEnd, "invariants.yaml"), options);
  EXPECT_TRUE(result.outcomes.at(0).passed) << "the scenario's own expectation cannot see the bug";
  const ExpectationOutcome bytes = InvariantOf(result, "every file byte-identical");
  EXPECT_FALSE(bytes.passed);
  EXPECT_THAT(bytes.actual, HasSubstr("job track file 0: a.wma is not byte-identical to /a.wma"));
  EXPECT_FALSE(result.passed);
}

TEST(InvariantsTest, AStrayTemporaryFileIsReported) {
  const ScenarioResult result = RunScenario(LoadTestScenario(R"(name: stray temporary file
machine:
  files: [{path: old/BIT0099.tmp, content: left by a crash}]
server: {files: [{path: /a.wma, size: 1KiB}]}
jobs: [{id: track, files: [{url: /a.wma, local: a.wma}], complete_when_transferred: true}]
)", "invariants.yaml"), WithInvariants());
  const ExpectationOutcome temporary = InvariantOf(result, "no temporary file left behind");
  EXPECT_FALSE(temporary.passed);
  EXPECT_EQ(temporary.actual, "old/BIT0099.tmp belongs to no job in a queue");
}

// A transport whose every fetch fails with a code BITS never gives.
class UndocumentedErrorTransport final : public fake::Transport {
 public:
  explicit UndocumentedErrorTransport(fake::Transport& real) : real_(real) {}
  fake::ProbeResult Probe(const fake::ProbeRequest& request) override { return real_.Probe(request); }
  fake::FetchResult Fetch(const fake::FetchRequest&, fake::ByteSink&) override {
    fake::FetchResult result;
    result.error = {static_cast<HResult>(0x8000BEEF), ErrorContext::kRemoteFile, "planted", false};
    return result;
  }

 private:
  fake::Transport& real_;
};

TEST(InvariantsTest, AnErrorBitsDoesNotDocumentIsReported) {
  RunOptions options = WithInvariants();
  options.wrap_transport = [](fake::Transport& http) { return std::make_unique<UndocumentedErrorTransport>(http); };
  const ScenarioResult result = RunScenario(LoadTestScenario(R"(name: undocumented
max_virtual_time: 1h
server: {files: [{path: /a.wma, size: 1KiB}]}
jobs: [{id: track, files: [{url: /a.wma, local: a.wma}]}]
)", "invariants.yaml"), options);
  const ExpectationOutcome error = InvariantOf(result, "every error documented");
  EXPECT_FALSE(error.passed);
  EXPECT_THAT(error.actual, HasSubstr("job track is in TRANSIENT_ERROR with 0x8000BEEF"));
}

// After the run, the job vanishes from the queue without being completed or cancelled: what a
// bug that loses a job (a restart that drops it, a bad snapshot) leaves.
class LoseEveryJob final : public RunHooks {
 public:
  void OnStart(sim::Machine&) override {}
  void OnEnd(sim::Machine& machine) override {
    Result<std::vector<JobId>> jobs = machine.Connection("user").EnumJobs(EnumScope::kCurrentUser);
    for (const JobId& id : jobs.ok() ? *jobs : std::vector<JobId>{}) fake::FakeBitsServiceTestPeer::Lose(machine.bits(), id);
    lost = jobs.ok() ? jobs->size() : 0;
  }
  std::size_t lost = 0;
};

TEST(InvariantsTest, AJobThatVanishesWithoutEndingIsLost) {
  LoseEveryJob lose;
  RunOptions options = WithInvariants();
  options.hooks = &lose;
  const ScenarioResult result = RunScenario(LoadTestScenario(R"(name: lost
server: {files: [{path: /a.wma, size: 1KiB}]}
jobs: [{id: track, files: [{url: /a.wma, local: a.wma}]}]
)", "invariants.yaml"), options);
  ASSERT_EQ(lose.lost, 1u);
  const ExpectationOutcome lost = InvariantOf(result, "no job lost");
  EXPECT_FALSE(lost.passed);
  EXPECT_EQ(lost.actual, "job track is in no queue, and never was completed or cancelled");
}

}  // namespace
}  // namespace bitsh::scenarios
