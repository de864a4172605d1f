// Shrink (scenarios/shrink.h): a failing scenario comes back as the smallest one that fails the
// same way, and no smaller: each part it keeps is needed for the failure.
#include "scenarios/shrink.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <limits>

#include "backend/testing/status_matchers.h"
#include "fake/testing/resume_bug_transport.h"
#include "scenarios/scenario_loader.h"
#include "scenarios/testing/test_scenario.h"

namespace bitsh::scenarios {
namespace {

using bitsh::testing::LoadTestScenario;

using ::testing::HasSubstr;
using ::testing::Not;
using testing::IsOk;
using testing::StatusIs;

// An album with a stall, a cut, a drop, a bandwidth cap and a second job. The single fails
// because its server ignores Range (a background job cannot take a whole body): only that fault,
// that file and that job matter.
constexpr const char* kAlbum = R"(name: album and a single
seed: 4
server:
  files:
    - {path: /album/01.wma, size: 2MiB}
    - {path: /album/02.wma, size: 3MiB}
    - {path: /album/03.wma, size: 1MiB}
  faults:
    - {path: /album/01.wma, kind: stall, stall: 2s}
    - {path: /album/02.wma, method: GET, request: 1, kind: close_after_bytes, after: 1MiB}
    - {path: /album/03.wma, kind: ignore_range}
network:
  bandwidth: 10MB/s
  drops: [30s]
jobs:
  - id: album
    retry_delay: 5s
    files:
      - {url: /album/01.wma, local: 01.wma}
      - {url: /album/02.wma, local: 02.wma}
    complete_when_transferred: true
  - id: single
    files: [{url: /album/03.wma, local: single.wma}]
    complete_when_transferred: true
expect:
  - {job: album, state: ACKNOWLEDGED}
  - {job: single, state: ACKNOWLEDGED}
  - {file: 01.wma, same_as: /album/01.wma}
)";

TEST(ShrinkTest, KeepsOnlyWhatTheFailureNeedsAndFailsTheSameWay) {
  Result<ShrinkResult> shrunk = Shrink(kAlbum, "album.yaml");
  ASSERT_THAT(shrunk, IsOk());
  EXPECT_EQ(shrunk->failure, "job single state ACKNOWLEDGED at the end");
  const Scenario smallest = LoadTestScenario(shrunk->yaml, "shrunk.yaml");
  ASSERT_EQ(smallest.jobs.size(), 1u);
  EXPECT_EQ(smallest.jobs[0].id, "single");
  ASSERT_EQ(smallest.server_faults.size(), 1u);
  EXPECT_EQ(smallest.server_faults[0].kind, server::FaultKind::kIgnoreRange);
  ASSERT_EQ(smallest.server_files.size(), 1u);
  EXPECT_EQ(smallest.server_files[0].size, 1u);  // 1 MiB halved to one byte: still no Range support
  EXPECT_TRUE(smallest.network.drops.empty());
  ASSERT_EQ(smallest.expectations.size(), 1u);
  // It fails alone, as the original did: ERROR for want of Range support, not for a missing file.
  const ScenarioResult run = RunScenario(smallest);
  EXPECT_FALSE(run.passed);
  EXPECT_THAT(run.trace, HasSubstr("BG_E_INSUFFICIENT_RANGE_SUPPORT"));
}

TEST(ShrinkTest, ShrinksAPlantedResumeBugToATinyFileCutAfterItsFirstByte) {
  ShrinkOptions options;
  options.invariants = true;
  options.run.wrap_transport = [](fake::Transport& http) {  // any resume doubles a byte
    return std::make_unique<fake::testing::ResumeBugTransport>(http, std::numeric_limits<std::uint64_t>::max());
  };
  Result<ShrinkResult> shrunk = Shrink(R"(name: three tracks
server:
  files:
    - {path: /a.wma, size: 4MiB}
    - {path: /b.wma, size: 2MiB}
    - {path: /c.wma, size: 1MiB}
  faults:
    - {path: /b.wma, method: GET, request: 1, kind: close_after_bytes, after: 700KiB}
    - {path: /c.wma, kind: status, status: 404}
jobs:
  - {id: a, retry_delay: 5s, files: [{url: /a.wma, local: a.wma}], complete_when_transferred: true}
  - {id: b, retry_delay: 5s, files: [{url: /b.wma, local: b.wma}], complete_when_transferred: true}
  - {id: c, retry_delay: 5s, files: [{url: /c.wma, local: c.wma}]}
expect:
  - {job: a, state: ACKNOWLEDGED}
)", "tracks.yaml", options);
  ASSERT_THAT(shrunk, IsOk());
  EXPECT_EQ(shrunk->failure, "invariant: every file byte-identical");
  const Scenario smallest = LoadTestScenario(shrunk->yaml, "shrunk.yaml");
  ASSERT_EQ(smallest.jobs.size(), 1u);
  EXPECT_EQ(smallest.jobs[0].id, "b");
  ASSERT_EQ(smallest.server_faults.size(), 1u);
  EXPECT_EQ(smallest.server_faults[0].kind, server::FaultKind::kCloseAfterBytes);
  EXPECT_EQ(smallest.server_faults[0].after_bytes, 1u);  // a cut after the first byte still shows it
  ASSERT_EQ(smallest.server_files.size(), 1u);
  EXPECT_EQ(smallest.server_files[0].size, 2u);          // and a file of two bytes
  EXPECT_THAT(shrunk->yaml, Not(HasSubstr("expect")));   // an invariant needs no expectation
}

TEST(ShrinkTest, APassingOrBrokenScenarioHasNothingToShrink) {
  EXPECT_THAT(Shrink("name: fine\nserver: {files: [{path: /a, size: 10}]}\njobs: [{id: t, files: [{url: /a, local: a}]}]\n"
                     "expect: [{job: t, state: TRANSFERRED}]\n",
                     "fine.yaml"),
              StatusIs(hr::kInvalidArg, HasSubstr("fine.yaml passes: there is no failure to keep")));
  EXPECT_THAT(Shrink("name: broken\njobs: [{id: t, files: [{url: /a}]}]\n", "broken.yaml"),
              StatusIs(hr::kInvalidArg, HasSubstr("broken.yaml:2:")));
}

}  // namespace
}  // namespace bitsh::scenarios
