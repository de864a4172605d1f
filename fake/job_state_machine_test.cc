// Every (operation, state) pair of the API state machine, each row naming the rule it checks (from
// Microsoft's method pages, as summarised in our notes' §2.4 matrix). Facts default to: a download job with unfinished files.
#include "fake/job_state_machine.h"

#include <gtest/gtest.h>

#include <set>
#include <utility>

namespace bitsh::fake {
namespace {

using S = JobState;
using Op = JobOperation;

struct ApiTransition {
  Op operation;
  S state;
  HResult code;
  S next;
  const char* cites;
  // Variations of the default facts.
  bool has_files = true;
  bool all_done = false;
  bool has_error_record = false;
  JobType type = JobType::kDownload;
};

ApiTransition NoFiles(ApiTransition row) { row.has_files = false; return row; }
ApiTransition AllDone(ApiTransition row) { row.all_done = true; return row; }
ApiTransition WithErrorRecord(ApiTransition row) { row.has_error_record = true; return row; }
ApiTransition Upload(ApiTransition row) { row.type = JobType::kUpload; return row; }

const ApiTransition kApiTransitions[] = {
    // Resume
    NoFiles({Op::kResume, S::kSuspended, hr::kEmpty, S::kSuspended, "§2.4 Resume/SUSP: BG_E_EMPTY without files; §12"}),
    {Op::kResume, S::kSuspended, hr::kOk, S::kQueued, "§2.4 Resume/SUSP -> Q"},
    {Op::kResume, S::kQueued, hr::kOk, S::kQueued, "§2.4 Resume/Q: unchanged"},
    {Op::kResume, S::kConnecting, hr::kOk, S::kConnecting, "§2.4 Resume/CONN: unchanged"},
    {Op::kResume, S::kTransferring, hr::kOk, S::kTransferring, "§2.4 Resume/XING: unchanged"},
    {Op::kResume, S::kTransientError, hr::kOk, S::kQueued, "§2.4 Resume/TE -> Q, immediate retry; §12"},
    {Op::kResume, S::kError, hr::kOk, S::kQueued, "§2.4 Resume/ERR -> Q"},
    AllDone({Op::kResume, S::kTransferred, hr::kOk, S::kTransferred, "§11 G3 Resume/XD: unchanged"}),
    {Op::kResume, S::kTransferred, hr::kOk, S::kQueued, "§2.4 Resume/XD after new files -> Q [INF]"},
    {Op::kResume, S::kAcknowledged, hr::kInvalidState, S::kAcknowledged, "§2.4 Resume/ACK"},
    {Op::kResume, S::kCancelled, hr::kInvalidState, S::kCancelled, "§2.4 Resume/CANC"},
    // Suspend
    {Op::kSuspend, S::kSuspended, hr::kOk, S::kSuspended, "§2.4 Suspend/SUSP: stays"},
    {Op::kSuspend, S::kQueued, hr::kOk, S::kSuspended, "§2.4 Suspend/Q"},
    {Op::kSuspend, S::kConnecting, hr::kOk, S::kSuspended, "§2.4 Suspend/CONN"},
    {Op::kSuspend, S::kTransferring, hr::kOk, S::kSuspended, "§2.4 Suspend/XING: transfer stops"},
    {Op::kSuspend, S::kTransientError, hr::kOk, S::kSuspended, "§2.4 Suspend/TE"},
    {Op::kSuspend, S::kError, hr::kOk, S::kSuspended, "§2.4 Suspend/ERR"},
    AllDone({Op::kSuspend, S::kTransferred, hr::kOk, S::kSuspended, "§2.4 Suspend/XD"}),
    {Op::kSuspend, S::kAcknowledged, hr::kInvalidState, S::kAcknowledged, "§2.4 Suspend/ACK"},
    {Op::kSuspend, S::kCancelled, hr::kInvalidState, S::kCancelled, "§2.4 Suspend/CANC"},
    // Cancel
    {Op::kCancel, S::kSuspended, hr::kOk, S::kCancelled, "§2.4 Cancel/SUSP; §12"},
    {Op::kCancel, S::kQueued, hr::kOk, S::kCancelled, "§2.4 Cancel/Q"},
    {Op::kCancel, S::kConnecting, hr::kOk, S::kCancelled, "§2.4 Cancel/CONN"},
    {Op::kCancel, S::kTransferring, hr::kOk, S::kCancelled, "§2.4 Cancel/XING"},
    {Op::kCancel, S::kTransientError, hr::kOk, S::kCancelled, "§2.4 Cancel/TE"},
    {Op::kCancel, S::kError, hr::kOk, S::kCancelled, "§2.4 Cancel/ERR"},
    AllDone({Op::kCancel, S::kTransferred, hr::kOk, S::kCancelled, "§2.4 Cancel/XD"}),
    {Op::kCancel, S::kAcknowledged, hr::kInvalidState, S::kAcknowledged, "§2.4 Cancel/ACK"},
    {Op::kCancel, S::kCancelled, hr::kInvalidState, S::kCancelled, "§12 a second Cancel: BG_E_INVALID_STATE"},
    // Complete (download)
    NoFiles({Op::kComplete, S::kSuspended, hr::kOk, S::kAcknowledged, "§11 G4 Complete with no files: S_OK"}),
    {Op::kComplete, S::kSuspended, hr::kPartialComplete, S::kAcknowledged, "§2.4 Complete/SUSP: partial"},
    {Op::kComplete, S::kQueued, hr::kPartialComplete, S::kAcknowledged, "§2.4 Complete/Q: partial"},
    {Op::kComplete, S::kConnecting, hr::kPartialComplete, S::kAcknowledged, "§2.4 Complete/CONN: partial"},
    {Op::kComplete, S::kTransferring, hr::kPartialComplete, S::kAcknowledged, "§2.4 Complete/XING: only finished files kept"},
    {Op::kComplete, S::kTransientError, hr::kPartialComplete, S::kAcknowledged, "§2.4 Complete/TE: same rule"},
    {Op::kComplete, S::kError, hr::kPartialComplete, S::kAcknowledged, "§2.4 Complete/ERR: same rule"},
    AllDone({Op::kComplete, S::kTransferred, hr::kOk, S::kAcknowledged, "§2.4 Complete/XD -> ACK, S_OK; §12"}),
    {Op::kComplete, S::kAcknowledged, hr::kInvalidState, S::kAcknowledged, "§12 a second Complete: BG_E_INVALID_STATE"},
    {Op::kComplete, S::kCancelled, hr::kInvalidState, S::kCancelled, "§2.4 Complete/CANC"},
    // Complete (upload)
    Upload({Op::kComplete, S::kSuspended, hr::kInvalidState, S::kSuspended, "§2.4 Complete (upload)/SUSP"}),
    Upload({Op::kComplete, S::kQueued, hr::kInvalidState, S::kQueued, "§2.4 Complete (upload)/Q"}),
    Upload({Op::kComplete, S::kTransientError, hr::kInvalidState, S::kTransientError, "§2.4 Complete (upload)/TE"}),
    Upload({Op::kComplete, S::kError, hr::kInvalidState, S::kError, "§2.4 Complete (upload)/ERR"}),
    Upload(AllDone({Op::kComplete, S::kTransferred, hr::kOk, S::kAcknowledged, "§2.4 Complete (upload)/XD -> ACK"})),
    // AddFile
    {Op::kAddFile, S::kSuspended, hr::kOk, S::kSuspended, "§2.4 AddFile/SUSP"},
    {Op::kAddFile, S::kQueued, hr::kOk, S::kQueued, "§2.4 AddFile/Q [INF]"},
    {Op::kAddFile, S::kConnecting, hr::kOk, S::kConnecting, "§2.4 AddFile/CONN [INF]"},
    {Op::kAddFile, S::kTransferring, hr::kOk, S::kTransferring, "§2.4 AddFile/XING [INF]: appended FIFO"},
    {Op::kAddFile, S::kTransientError, hr::kOk, S::kTransientError, "§2.4 AddFile/TE [INF]"},
    {Op::kAddFile, S::kError, hr::kOk, S::kError, "§2.4 AddFile/ERR [INF]"},
    AllDone({Op::kAddFile, S::kTransferred, hr::kOk, S::kTransferred, "§2.4 AddFile/XD: Resume needed"}),
    {Op::kAddFile, S::kAcknowledged, hr::kInvalidState, S::kAcknowledged, "§2.4 AddFile/ACK"},
    {Op::kAddFile, S::kCancelled, hr::kInvalidState, S::kCancelled, "§2.4 AddFile/CANC"},
    // Set*
    {Op::kSetProperty, S::kSuspended, hr::kOk, S::kSuspended, "§2.4 Set*/SUSP"},
    {Op::kSetProperty, S::kQueued, hr::kOk, S::kQueued, "§2.4 Set*/Q"},
    {Op::kSetProperty, S::kConnecting, hr::kOk, S::kConnecting, "§2.4 Set*/CONN"},
    {Op::kSetProperty, S::kTransferring, hr::kOk, S::kTransferring, "§2.4 Set*/XING"},
    {Op::kSetProperty, S::kTransientError, hr::kOk, S::kTransientError, "§2.4 Set*/TE"},
    {Op::kSetProperty, S::kError, hr::kOk, S::kError, "§2.4 Set*/ERR"},
    AllDone({Op::kSetProperty, S::kTransferred, hr::kOk, S::kTransferred, "§2.4 Set*/XD; §12 options in TRANSFERRED"}),
    {Op::kSetProperty, S::kAcknowledged, hr::kInvalidState, S::kAcknowledged, "§2.4 Set*/ACK; §12 SetNotifyInterface"},
    {Op::kSetProperty, S::kCancelled, hr::kInvalidState, S::kCancelled, "§2.4 Set*/CANC"},
    // TakeOwnership (administrator rights are checked by the service, not the table)
    {Op::kTakeOwnership, S::kSuspended, hr::kOk, S::kSuspended, "§2.4 TakeOwnership/SUSP"},
    {Op::kTakeOwnership, S::kQueued, hr::kOk, S::kQueued, "§2.4 TakeOwnership/Q"},
    {Op::kTakeOwnership, S::kConnecting, hr::kOk, S::kConnecting, "§2.4 TakeOwnership/CONN"},
    {Op::kTakeOwnership, S::kTransferring, hr::kOk, S::kTransferring, "§2.4 TakeOwnership/XING"},
    {Op::kTakeOwnership, S::kTransientError, hr::kOk, S::kTransientError, "§2.4 TakeOwnership/TE"},
    {Op::kTakeOwnership, S::kError, hr::kOk, S::kError, "§2.4 TakeOwnership/ERR"},
    AllDone({Op::kTakeOwnership, S::kTransferred, hr::kOk, S::kTransferred, "§2.4 TakeOwnership/XD"}),
    {Op::kTakeOwnership, S::kAcknowledged, hr::kInvalidState, S::kAcknowledged, "§2.4, §5 TakeOwnership/ACK"},
    {Op::kTakeOwnership, S::kCancelled, hr::kInvalidState, S::kCancelled, "§2.4, §5 TakeOwnership/CANC"},
    // GetError
    {Op::kGetError, S::kSuspended, hr::kErrorInformationUnavailable, S::kSuspended, "§2.4 GetError/SUSP"},
    {Op::kGetError, S::kQueued, hr::kErrorInformationUnavailable, S::kQueued, "§2.4 GetError/Q"},
    WithErrorRecord({Op::kGetError, S::kQueued, hr::kOk, S::kQueued, "§11 G5 error kept through Q after TE"}),
    WithErrorRecord({Op::kGetError, S::kConnecting, hr::kOk, S::kConnecting, "§11 G5 error kept through CONN"}),
    {Op::kGetError, S::kConnecting, hr::kErrorInformationUnavailable, S::kConnecting, "§2.4 GetError/CONN"},
    {Op::kGetError, S::kTransferring, hr::kErrorInformationUnavailable, S::kTransferring, "§2.4 GetError/XING"},
    {Op::kGetError, S::kTransientError, hr::kOk, S::kTransientError, "§2.4, §3.1 GetError/TE"},
    {Op::kGetError, S::kError, hr::kOk, S::kError, "§2.4, §3.1 GetError/ERR"},
    AllDone({Op::kGetError, S::kTransferred, hr::kErrorInformationUnavailable, S::kTransferred, "§12 GetError after a clean transfer"}),
    {Op::kGetError, S::kAcknowledged, hr::kErrorInformationUnavailable, S::kAcknowledged, "§2.4 GetError/ACK [INF]"},
    {Op::kGetError, S::kCancelled, hr::kErrorInformationUnavailable, S::kCancelled, "§2.4 GetError/CANC [INF]"},
};

class JobStateMachineTableTest : public ::testing::TestWithParam<ApiTransition> {};

TEST_P(JobStateMachineTableTest, GivesTheDocumentedResultAndNextState) {
  const ApiTransition& row = GetParam();
  const JobFacts facts{row.state, row.type, row.has_files, row.all_done, row.has_error_record};
  const Transition got = ApplyOperation(row.operation, facts);
  EXPECT_EQ(HResultName(got.code), HResultName(row.code)) << row.cites;
  EXPECT_EQ(ToString(got.next), ToString(row.next)) << row.cites;
}

INSTANTIATE_TEST_SUITE_P(Spec, JobStateMachineTableTest, ::testing::ValuesIn(kApiTransitions),
                         [](const ::testing::TestParamInfo<ApiTransition>& param_info) {
                           return std::string(ToString(param_info.param.operation)) + "_" +
                                  std::string(ToString(param_info.param.state)) + "_" +
                                  std::to_string(param_info.index);
                         });

// The table above is complete: every operation is checked in every state.
TEST(JobStateMachineTableCoverageTest, EveryOperationMeetsEveryState) {
  std::set<std::pair<Op, S>> covered;
  for (const ApiTransition& row : kApiTransitions) covered.insert({row.operation, row.state});
  for (Op operation : {Op::kResume, Op::kSuspend, Op::kCancel, Op::kComplete, Op::kAddFile,
                       Op::kSetProperty, Op::kTakeOwnership, Op::kGetError}) {
    for (S state : kAllJobStates) {
      EXPECT_TRUE(covered.contains({operation, state}))
          << ToString(operation) << " in " << ToString(state) << " has no row";
    }
  }
}

// Final states absorb: no operation leaves them.
TEST(JobStateMachineTableCoverageTest, FinalStatesAreAbsorbing) {
  for (S state : {S::kAcknowledged, S::kCancelled}) {
    for (Op operation : {Op::kResume, Op::kSuspend, Op::kCancel, Op::kComplete, Op::kAddFile,
                         Op::kSetProperty, Op::kTakeOwnership}) {
      const Transition got = ApplyOperation(operation, JobFacts{state, JobType::kDownload, true, true, false});
      EXPECT_EQ(got, (Transition{hr::kInvalidState, state})) << ToString(operation);
    }
  }
}

TEST(JobStateMachineTest, TheEngineWorksOnQueuedConnectingAndTransferringJobsOnly) {
  for (S state : kAllJobStates) {
    const bool active = state == S::kQueued || state == S::kConnecting || state == S::kTransferring;
    EXPECT_EQ(IsActive(state), active) << ToString(state);
  }
}

}  // namespace
}  // namespace bitsh::fake
