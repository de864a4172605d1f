// Conformance: every Backend method on a job that reached ACKNOWLEDGED or CANCELLED, one test per
// method, so the contract in backend/backend.h ("Jobs that ended") and every backend are held to
// the same table. Sources: Microsoft's IBackgroundCopyJob pages (each Set* and control method lists
// BG_E_INVALID_STATE for CANCELLED/ACKNOWLEDGED), IBackgroundCopyManager::GetJob and EnumJobs, the
// IBackgroundCopyJob::GetError page, and Wine's qmgr tests, which run on Windows (a second Cancel
// or Complete is BG_E_INVALID_STATE; a cancelled job's state still reads CANCELLED).
#include "conformance/backend_conformance.h"

namespace bitsh::conformance {

int FinalJobTestsAnchor() { return 0; }

namespace {

using bitsh::testing::HasState;
using bitsh::testing::HasValue;
using bitsh::testing::IsOk;
using bitsh::testing::StatusIs;
using ::testing::Contains;
using ::testing::Not;

// Runs `check` on the cancelled job, then on the acknowledged one, each under its own trace.
#define FOR_EACH_FINAL_JOB(jobs, check)            \
  do {                                             \
    {                                              \
      SCOPED_TRACE("the CANCELLED job");           \
      const JobId& job = (jobs).cancelled;         \
      check;                                       \
    }                                              \
    {                                              \
      SCOPED_TRACE("the ACKNOWLEDGED job");        \
      const JobId& job = (jobs).acknowledged;      \
      check;                                       \
    }                                              \
  } while (false)

// --- Manager: a final job is gone from the caller's view -----------------------------------------

TEST_P(BackendConformanceTest, GetJobOfAFinalJobIsNotFound) {
  const FinalJobs jobs = EndTwoJobs();
  FOR_EACH_FINAL_JOB(jobs, EXPECT_THAT(user().GetJob(job), StatusIs(hr::kNotFound)));
}

TEST_P(BackendConformanceTest, EnumJobsDoesNotListFinalJobs) {
  const FinalJobs jobs = EndTwoJobs();
  Result<std::vector<JobId>> listed = user().EnumJobs(EnumScope::kCurrentUser);
  ASSERT_THAT(listed, IsOk());
  FOR_EACH_FINAL_JOB(jobs, EXPECT_THAT(*listed, Not(Contains(job))));
}

// --- Every call that would change the job: BG_E_INVALID_STATE -------------------------------------

TEST_P(BackendConformanceTest, AddFileToAFinalJobIsInvalidState) {
  const FinalJobs jobs = EndTwoJobs();
  FOR_EACH_FINAL_JOB(jobs, EXPECT_THAT(user().AddFile(job, Url("/final/a.wma"), Local("late.wma").string()),
                                       StatusIs(hr::kInvalidState)));
}

TEST_P(BackendConformanceTest, SetDisplayNameOnAFinalJobIsInvalidState) {
  const FinalJobs jobs = EndTwoJobs();
  FOR_EACH_FINAL_JOB(jobs, EXPECT_THAT(user().SetDisplayName(job, "late"), StatusIs(hr::kInvalidState)));
}

TEST_P(BackendConformanceTest, SetDescriptionOnAFinalJobIsInvalidState) {
  const FinalJobs jobs = EndTwoJobs();
  FOR_EACH_FINAL_JOB(jobs, EXPECT_THAT(user().SetDescription(job, "late"), StatusIs(hr::kInvalidState)));
}

TEST_P(BackendConformanceTest, SetPriorityOnAFinalJobIsInvalidState) {
  const FinalJobs jobs = EndTwoJobs();
  FOR_EACH_FINAL_JOB(jobs, EXPECT_THAT(user().SetPriority(job, JobPriority::kHigh), StatusIs(hr::kInvalidState)));
}

TEST_P(BackendConformanceTest, SetMinimumRetryDelayOnAFinalJobIsInvalidState) {
  const FinalJobs jobs = EndTwoJobs();
  FOR_EACH_FINAL_JOB(jobs, EXPECT_THAT(user().SetMinimumRetryDelay(job, 60), StatusIs(hr::kInvalidState)));
}

TEST_P(BackendConformanceTest, SetNoProgressTimeoutOnAFinalJobIsInvalidState) {
  const FinalJobs jobs = EndTwoJobs();
  FOR_EACH_FINAL_JOB(jobs, EXPECT_THAT(user().SetNoProgressTimeout(job, 60), StatusIs(hr::kInvalidState)));
}

TEST_P(BackendConformanceTest, TakeOwnershipOfAFinalJobIsInvalidState) {
  BITSH_REQUIRE_CAPABILITY(Capability::kMultipleUsers);
  const FinalJobs jobs = EndTwoJobs();
  FOR_EACH_FINAL_JOB(jobs, EXPECT_THAT(bits().admin().TakeOwnership(job), StatusIs(hr::kInvalidState)));
}

TEST_P(BackendConformanceTest, ResumeOfAFinalJobIsInvalidState) {
  const FinalJobs jobs = EndTwoJobs();
  FOR_EACH_FINAL_JOB(jobs, EXPECT_THAT(user().Resume(job), StatusIs(hr::kInvalidState)));
}

TEST_P(BackendConformanceTest, SuspendOfAFinalJobIsInvalidState) {
  const FinalJobs jobs = EndTwoJobs();
  FOR_EACH_FINAL_JOB(jobs, EXPECT_THAT(user().Suspend(job), StatusIs(hr::kInvalidState)));
}

TEST_P(BackendConformanceTest, CancelOfAFinalJobIsInvalidState) {
  const FinalJobs jobs = EndTwoJobs();
  FOR_EACH_FINAL_JOB(jobs, EXPECT_THAT(user().Cancel(job), StatusIs(hr::kInvalidState)));
}

TEST_P(BackendConformanceTest, CompleteOfAFinalJobIsInvalidState) {
  const FinalJobs jobs = EndTwoJobs();
  FOR_EACH_FINAL_JOB(jobs, EXPECT_THAT(user().Complete(job), StatusIs(hr::kInvalidState)));
  EXPECT_THAT(user().GetState(jobs.cancelled), HasState(JobState::kCancelled));  // not turned ACKNOWLEDGED
}

// --- Every read still answers, for the caller that holds the id ---------------------------------

TEST_P(BackendConformanceTest, GetStateOfAFinalJobIsItsFinalState) {
  const FinalJobs jobs = EndTwoJobs();
  EXPECT_THAT(user().GetState(jobs.cancelled), HasState(JobState::kCancelled));
  EXPECT_THAT(user().GetState(jobs.acknowledged), HasState(JobState::kAcknowledged));
}

TEST_P(BackendConformanceTest, GetFilesOfAFinalJobStillListsItsFiles) {
  const FinalJobs jobs = EndTwoJobs();
  Result<std::vector<FileStatus>> cancelled = user().GetFiles(jobs.cancelled);
  ASSERT_THAT(cancelled, IsOk());
  ASSERT_EQ(cancelled->size(), 1u);
  EXPECT_EQ(cancelled->front().remote_url, Url("/final/a.wma"));
  EXPECT_FALSE(cancelled->front().progress.completed);
  Result<std::vector<FileStatus>> acknowledged = user().GetFiles(jobs.acknowledged);
  ASSERT_THAT(acknowledged, IsOk());
  ASSERT_EQ(acknowledged->size(), 1u);
  EXPECT_EQ(acknowledged->front().local_name, Local("acknowledged.wma").string());
  EXPECT_EQ(acknowledged->front().progress.bytes_transferred, kFinalJobSize);
  EXPECT_TRUE(acknowledged->front().progress.completed);
}

TEST_P(BackendConformanceTest, GetDisplayNameOfAFinalJobAnswers) {
  const FinalJobs jobs = EndTwoJobs();
  EXPECT_THAT(user().GetDisplayName(jobs.cancelled), HasValue("final cancelled"));
  EXPECT_THAT(user().GetDisplayName(jobs.acknowledged), HasValue("final acknowledged"));
}

TEST_P(BackendConformanceTest, GetDescriptionOfAFinalJobAnswers) {
  const FinalJobs jobs = EndTwoJobs();
  FOR_EACH_FINAL_JOB(jobs, EXPECT_THAT(user().GetDescription(job), HasValue("kept")));
}

TEST_P(BackendConformanceTest, GetPriorityOfAFinalJobAnswers) {
  const FinalJobs jobs = EndTwoJobs();
  FOR_EACH_FINAL_JOB(jobs, EXPECT_THAT(user().GetPriority(job), HasValue(JobPriority::kNormal)));
}

TEST_P(BackendConformanceTest, GetMinimumRetryDelayOfAFinalJobAnswers) {
  const FinalJobs jobs = EndTwoJobs();
  FOR_EACH_FINAL_JOB(jobs, EXPECT_THAT(user().GetMinimumRetryDelay(job), HasValue(600u)));
}

TEST_P(BackendConformanceTest, GetNoProgressTimeoutOfAFinalJobAnswers) {
  const FinalJobs jobs = EndTwoJobs();
  FOR_EACH_FINAL_JOB(jobs, EXPECT_THAT(user().GetNoProgressTimeout(job), HasValue(1'209'600u)));
}

TEST_P(BackendConformanceTest, GetTypeOfAFinalJobAnswers) {
  const FinalJobs jobs = EndTwoJobs();
  FOR_EACH_FINAL_JOB(jobs, EXPECT_THAT(user().GetType(job), HasValue(JobType::kDownload)));
}

TEST_P(BackendConformanceTest, GetOwnerOfAFinalJobAnswers) {
  const FinalJobs jobs = EndTwoJobs();
  Result<std::string> owner = user().GetOwner(jobs.cancelled);
  ASSERT_THAT(owner, IsOk());
  EXPECT_FALSE(owner->empty());
  EXPECT_THAT(user().GetOwner(jobs.acknowledged), HasValue(*owner));
}

TEST_P(BackendConformanceTest, GetProgressOfAFinalJobAnswers) {
  const FinalJobs jobs = EndTwoJobs();
  Result<JobProgress> cancelled = user().GetProgress(jobs.cancelled);
  ASSERT_THAT(cancelled, IsOk());
  EXPECT_EQ(cancelled->bytes_transferred, 0u);
  EXPECT_EQ(cancelled->files_total, 1u);
  EXPECT_EQ(cancelled->files_transferred, 0u);
  EXPECT_THAT(user().GetProgress(jobs.acknowledged), HasValue((JobProgress{kFinalJobSize, kFinalJobSize, 1, 1})));
}

TEST_P(BackendConformanceTest, GetTimesOfAFinalJobAnswers) {
  const FinalJobs jobs = EndTwoJobs();
  Result<JobTimes> cancelled = user().GetTimes(jobs.cancelled);
  ASSERT_THAT(cancelled, IsOk());
  EXPECT_LE(cancelled->creation, cancelled->modification);
  EXPECT_FALSE(cancelled->transfer_completion.has_value());
  Result<JobTimes> acknowledged = user().GetTimes(jobs.acknowledged);
  ASSERT_THAT(acknowledged, IsOk());
  ASSERT_TRUE(acknowledged->transfer_completion.has_value());
  EXPECT_LE(acknowledged->creation, *acknowledged->transfer_completion);
}

TEST_P(BackendConformanceTest, GetErrorOfAFinalJobIsUnavailable) {
  const FinalJobs jobs = EndTwoJobs();
  FOR_EACH_FINAL_JOB(jobs, EXPECT_THAT(user().GetError(job), StatusIs(hr::kErrorInformationUnavailable)));
}

TEST_P(BackendConformanceTest, GetErrorCountOfAFinalJobAnswers) {
  const FinalJobs jobs = EndTwoJobs();
  FOR_EACH_FINAL_JOB(jobs, EXPECT_THAT(user().GetErrorCount(job), HasValue(0u)));
}

}  // namespace
}  // namespace bitsh::conformance
