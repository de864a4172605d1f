// The cause table (fake/job_state_machine.h, NextState): every (state, cause) pair is walked, the
// expected rows below are written out again independently, each citing its rule, and every pair
// not listed must be refused. Then: the API table and the cause table agree, and a change the
// table does not have is refused by the service, loudly.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <utility>

#include "backend/testing/status_matchers.h"
#include "fake/fake_job.h"
#include "fake/fake_service.h"
#include "fake/job_state_machine.h"
#include "fake/scripted_transport.h"
#include "fake/testing/fake_service_test_peer.h"

namespace bitsh::fake {

namespace {

using S = JobState;
using C = TransitionCause;
using bitsh::testing::IsOk;
using bitsh::testing::StatusIs;

struct InternalTransition {
  S from;
  C cause;
  S to;
  const char* cites;
};

// Sources: Microsoft's "BG_JOB_STATE enumeration", "Life Cycle of a BITS Job", "Users and Network
// Connections", "BG_JOB_PRIORITY enumeration" and the IBackgroundCopyJob method pages; T<n> is the
// row of the internal-transition table (spec §2.3) each follows.
const InternalTransition kInternalTransitions[] = {
    {S::kSuspended, C::kResume, S::kQueued, "IBackgroundCopyJob::Resume"},
    {S::kTransientError, C::kResume, S::kQueued, "Resume in TRANSIENT_ERROR retries at once (Wine qmgr tests)"},
    {S::kError, C::kResume, S::kQueued, "IBackgroundCopyJob::Resume from ERROR"},
    {S::kTransferred, C::kResume, S::kQueued, "Resume after new files (decisions G3)"},
    {S::kSuspended, C::kSuspend, S::kSuspended, "Suspend/SUSPENDED: no change"},
    {S::kQueued, C::kSuspend, S::kSuspended, "IBackgroundCopyJob::Suspend"},
    {S::kConnecting, C::kSuspend, S::kSuspended, "IBackgroundCopyJob::Suspend"},
    {S::kTransferring, C::kSuspend, S::kSuspended, "IBackgroundCopyJob::Suspend"},
    {S::kTransientError, C::kSuspend, S::kSuspended, "IBackgroundCopyJob::Suspend"},
    {S::kError, C::kSuspend, S::kSuspended, "IBackgroundCopyJob::Suspend"},
    {S::kTransferred, C::kSuspend, S::kSuspended, "IBackgroundCopyJob::Suspend"},
    {S::kSuspended, C::kCancel, S::kCancelled, "IBackgroundCopyJob::Cancel"},
    {S::kQueued, C::kCancel, S::kCancelled, "IBackgroundCopyJob::Cancel"},
    {S::kConnecting, C::kCancel, S::kCancelled, "IBackgroundCopyJob::Cancel"},
    {S::kTransferring, C::kCancel, S::kCancelled, "IBackgroundCopyJob::Cancel"},
    {S::kTransientError, C::kCancel, S::kCancelled, "IBackgroundCopyJob::Cancel"},
    {S::kError, C::kCancel, S::kCancelled, "IBackgroundCopyJob::Cancel"},
    {S::kTransferred, C::kCancel, S::kCancelled, "IBackgroundCopyJob::Cancel"},
    {S::kSuspended, C::kComplete, S::kAcknowledged, "IBackgroundCopyJob::Complete (partial)"},
    {S::kQueued, C::kComplete, S::kAcknowledged, "IBackgroundCopyJob::Complete (partial)"},
    {S::kConnecting, C::kComplete, S::kAcknowledged, "IBackgroundCopyJob::Complete (partial)"},
    {S::kTransferring, C::kComplete, S::kAcknowledged, "IBackgroundCopyJob::Complete (partial)"},
    {S::kTransientError, C::kComplete, S::kAcknowledged, "IBackgroundCopyJob::Complete (partial)"},
    {S::kError, C::kComplete, S::kAcknowledged, "IBackgroundCopyJob::Complete (partial)"},
    {S::kTransferred, C::kComplete, S::kAcknowledged, "IBackgroundCopyJob::Complete"},
    {S::kQueued, C::kScheduled, S::kConnecting, "T1 Life Cycle of a BITS Job"},
    {S::kConnecting, C::kConnected, S::kTransferring, "T2 BG_JOB_STATE enumeration"},
    {S::kTransferring, C::kConnected, S::kTransferring, "the next file's HEAD: still TRANSFERRING"},
    {S::kTransferring, C::kAllFilesTransferred, S::kTransferred, "T5 BG_JOB_STATE enumeration"},
    {S::kTransferring, C::kTimeSliceOver, S::kQueued, "T4 Life Cycle of a BITS Job"},
    {S::kConnecting, C::kPreempted, S::kQueued, "BG_JOB_PRIORITY enumeration"},
    {S::kTransferring, C::kPreempted, S::kQueued, "BG_JOB_PRIORITY enumeration"},
    {S::kConnecting, C::kTransientError, S::kTransientError, "T3 BG_JOB_STATE enumeration"},
    {S::kTransferring, C::kTransientError, S::kTransientError, "T7 IBackgroundCopyJob::GetErrorCount"},
    {S::kConnecting, C::kFatalError, S::kError, "T6 BG_JOB_STATE enumeration"},
    {S::kTransferring, C::kFatalError, S::kError, "T6 BG_JOB_STATE enumeration"},
    {S::kConnecting, C::kNoProgressTimeout, S::kError, "T9/T10 IBackgroundCopyJob::SetNoProgressTimeout"},
    {S::kTransferring, C::kNoProgressTimeout, S::kError, "T9/T10 IBackgroundCopyJob::SetNoProgressTimeout"},
    {S::kTransientError, C::kNoProgressTimeout, S::kError, "T9 IBackgroundCopyJob::SetNoProgressTimeout"},
    {S::kTransientError, C::kRetryDelayElapsed, S::kQueued, "T8 IBackgroundCopyJob::SetMinimumRetryDelay"},
    {S::kQueued, C::kNetworkLost, S::kTransientError, "T11 Users and Network Connections"},
    {S::kConnecting, C::kNetworkLost, S::kTransientError, "T11 Users and Network Connections"},
    {S::kTransferring, C::kNetworkLost, S::kTransientError, "T11 Users and Network Connections"},
    {S::kTransientError, C::kNetworkRestored, S::kQueued, "T12 Users and Network Connections"},
    {S::kConnecting, C::kOwnerLoggedOff, S::kQueued, "T13 Users and Network Connections"},
    {S::kTransferring, C::kOwnerLoggedOff, S::kQueued, "T13 Users and Network Connections"},
    {S::kConnecting, C::kServiceRestart, S::kQueued, "About BITS: jobs survive a restart"},
    {S::kTransferring, C::kServiceRestart, S::kQueued, "About BITS: jobs survive a restart"},
    {S::kSuspended, C::kValidationFailed, S::kError, "T20 SetValidationState: the job moves to ERROR"},
    {S::kQueued, C::kValidationFailed, S::kError, "T20 SetValidationState"},
    {S::kConnecting, C::kValidationFailed, S::kError, "T20 SetValidationState"},
    {S::kTransferring, C::kValidationFailed, S::kError, "T20 SetValidationState"},
    {S::kTransientError, C::kValidationFailed, S::kError, "T20 SetValidationState"},
    {S::kError, C::kValidationFailed, S::kError, "T20 SetValidationState: stays in ERROR"},
    {S::kTransferred, C::kValidationFailed, S::kError, "T20 SetValidationState"},
    {S::kConnecting, C::kMaxDownloadTime, S::kError, "T19 SetMaximumDownloadTime: CONNECTING time counts"},
    {S::kTransferring, C::kMaxDownloadTime, S::kError, "T19 SetMaximumDownloadTime: TRANSFERRING time counts"},
    {S::kQueued, C::kHeld, S::kTransientError, "T15 a queued job waits while the network costs too much"},
    {S::kConnecting, C::kHeld, S::kTransientError, "T15 COST_FLAGS take effect at once"},
    {S::kTransferring, C::kHeld, S::kTransientError, "T15 COST_FLAGS take effect at once"},
    {S::kTransientError, C::kHoldOver, S::kQueued, "T15 the job goes on when the cost allows it"},
    {S::kSuspended, C::kInactivityTimeout, S::kCancelled, "T18 JobInactivityTimeout cancels it"},
    {S::kQueued, C::kInactivityTimeout, S::kCancelled, "T18 JobInactivityTimeout cancels it"},
    {S::kConnecting, C::kInactivityTimeout, S::kCancelled, "T18 JobInactivityTimeout cancels it"},
    {S::kTransferring, C::kInactivityTimeout, S::kCancelled, "T18 JobInactivityTimeout cancels it"},
    {S::kTransientError, C::kInactivityTimeout, S::kCancelled, "T18 JobInactivityTimeout cancels it"},
    {S::kError, C::kInactivityTimeout, S::kCancelled, "T18 JobInactivityTimeout cancels it"},
    {S::kTransferred, C::kInactivityTimeout, S::kCancelled, "T18 JobInactivityTimeout cancels it"},
};

class StateChangeTableTest : public ::testing::TestWithParam<InternalTransition> {};

TEST_P(StateChangeTableTest, EntersTheDocumentedState) {
  const InternalTransition& row = GetParam();
  const std::optional<JobState> got = NextState(row.from, row.cause);
  ASSERT_TRUE(got.has_value()) << row.cites << ": no row for " << ToString(row.cause) << " in " << ToString(row.from);
  EXPECT_EQ(ToString(*got), ToString(row.to)) << row.cites;
}

INSTANTIATE_TEST_SUITE_P(Spec, StateChangeTableTest, ::testing::ValuesIn(kInternalTransitions),
                         [](const ::testing::TestParamInfo<InternalTransition>& param_info) {
                           return std::string(ToString(param_info.param.cause)) + "_" +
                                  std::string(ToString(param_info.param.from));
                         });

// The whole (state, cause) matrix: a pair with no expected row is refused.
TEST(StateChangeTableCoverageTest, EveryPairOutsideTheTableIsRefused) {
  std::set<std::pair<S, C>> expected;
  for (const InternalTransition& row : kInternalTransitions) expected.insert({row.from, row.cause});
  int refused = 0;
  for (S state : kAllJobStates) {
    for (C cause : kAllTransitionCauses) {
      if (expected.contains({state, cause})) continue;
      ++refused;
      EXPECT_FALSE(NextState(state, cause).has_value())
          << ToString(cause) << " in " << ToString(state) << " is allowed but has no expected row";
    }
  }
  EXPECT_EQ(refused + static_cast<int>(std::size(kInternalTransitions)),
            static_cast<int>(kAllJobStates.size() * std::size(kAllTransitionCauses)));
}

// The code's own rows: one per pair, none out of a final state, each naming its rule, and exactly
// the rows expected above.
TEST(StateChangeTableCoverageTest, TheCodesRowsAreUniqueNoneLeavesAFinalStateAndEachCitesARule) {
  std::set<std::pair<S, C>> seen;
  for (const StateChange& row : StateChanges()) {
    EXPECT_TRUE(seen.insert({row.from, row.cause}).second) << "two rows for " << ToString(row.cause) << " in "
                                                           << ToString(row.from);
    EXPECT_FALSE(IsFinal(row.from)) << ToString(row.cause) << " leaves " << ToString(row.from);
    EXPECT_FALSE(row.source.empty()) << ToString(row.cause) << " in " << ToString(row.from);
  }
  EXPECT_EQ(StateChanges().size(), std::size(kInternalTransitions));
}

TEST(StateChangeTableCoverageTest, FinalStatesAbsorbEveryCause) {
  for (S state : {S::kAcknowledged, S::kCancelled}) {
    for (C cause : kAllTransitionCauses) EXPECT_FALSE(NextState(state, cause).has_value()) << ToString(cause);
  }
}

// Every state change the API table decides is one the cause table applies, to the same state;
// and every API row of the cause table is the outcome of some call.
TEST(StateChangeTableCoverageTest, AgreesWithTheApiTable) {
  const std::map<JobOperation, C> causes = {{JobOperation::kResume, C::kResume},
                                            {JobOperation::kSuspend, C::kSuspend},
                                            {JobOperation::kCancel, C::kCancel},
                                            {JobOperation::kComplete, C::kComplete}};
  std::set<std::pair<S, C>> produced;
  for (const auto& [operation, cause] : causes) {
    for (S state : kAllJobStates) {
      for (JobType type : {JobType::kDownload, JobType::kUpload}) {
        for (bool has_files : {false, true}) {
          for (bool all_done : {false, true}) {
            const Transition decided = ApplyOperation(operation, JobFacts{state, type, has_files, all_done, false});
            if (!Succeeded(decided.code)) continue;
            const std::optional<JobState> applied = NextState(state, cause);
            if (decided.next == state) {
              // No change. Resume calls SetState only when the API table decided a change (its
              // TRANSFERRED row depends on whether files were added since); Suspend, Cancel and
              // Complete always call it, so a row for them must keep the state.
              if (applied && operation != JobOperation::kResume) {
                EXPECT_EQ(ToString(*applied), ToString(state)) << ToString(operation);
              }
              continue;
            }
            produced.insert({state, cause});
            ASSERT_TRUE(applied.has_value()) << ToString(operation) << " in " << ToString(state);
            EXPECT_EQ(ToString(*applied), ToString(decided.next)) << ToString(operation) << " in " << ToString(state);
          }
        }
      }
    }
  }
  for (const StateChange& row : StateChanges()) {
    bool api = false;
    for (const auto& [operation, cause] : causes) api = api || row.cause == cause;
    if (!api || row.from == row.to) continue;
    EXPECT_TRUE(produced.contains({row.from, row.cause}))
        << ToString(row.cause) << " in " << ToString(row.from) << " is never decided by the API table";
  }
}

// A change the table does not have is a bug of the fake: refused, logged, and every later call
// fails with it, in every build type.
TEST(StateChangeRefusalTest, AChangeOutsideTheTableIsRefusedAndTheServiceSaysSoOnEveryCall) {
  ScriptedTransport transport;
  FakeBitsService service({}, transport);
  std::unique_ptr<Backend> alice = service.Connect("alice");
  const JobId job = *alice->CreateJob("j", JobType::kDownload);
  ASSERT_THAT(service.engine_status(), IsOk());

  FakeBitsServiceTestPeer::SetState(service, job, C::kAllFilesTransferred);  // SUSPENDED has no such row

  EXPECT_EQ(FakeBitsServiceTestPeer::StateOf(service, job), S::kSuspended);
  EXPECT_THAT(service.engine_status(), StatusIs(hr::kFail));
  EXPECT_NE(service.engine_status().message().find("AllFilesTransferred"), std::string::npos)
      << service.engine_status().ToString();
  EXPECT_NE(service.log().ToText().find(" bug "), std::string::npos) << service.log().ToText();
  EXPECT_THAT(alice->GetState(job).status(), StatusIs(hr::kFail));
  EXPECT_THAT(alice->CreateJob("k", JobType::kDownload).status(), StatusIs(hr::kFail));
  EXPECT_THAT(alice->EnumJobs(EnumScope::kCurrentUser).status(), StatusIs(hr::kFail));
}

}  // namespace
}  // namespace bitsh::fake
