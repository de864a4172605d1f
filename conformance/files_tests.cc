// Conformance: what Cancel and Complete do to files (spec §2.5, §2.6), and renaming remote files.
#include "conformance/backend_conformance.h"

namespace bitsh::conformance {

int FilesTestsAnchor() { return 0; }

namespace {

using bitsh::testing::IsOk;
using bitsh::testing::StatusIs;

TEST_P(BackendConformanceTest, NothingAppearsAtTheLocalNameBeforeComplete) {
  const JobId job = QueueDownload("/f/late.wma", 100'000);
  ASSERT_TRUE(WaitForState(job, JobState::kTransferred));
  EXPECT_FALSE(std::filesystem::exists(Local("late.wma")));
  ASSERT_THAT(user().Complete(job), IsOk());
  EXPECT_TRUE(std::filesystem::exists(Local("late.wma")));
  EXPECT_THAT(TempFiles(), ::testing::IsEmpty());
}

TEST_P(BackendConformanceTest, CancelDeletesTemporaryFilesAndLeavesNoLocalFile) {
  const JobId job = QueueDownload("/f/cancel.wma", 100'000);
  ASSERT_TRUE(WaitForState(job, JobState::kTransferred));
  ASSERT_THAT(user().Cancel(job), IsOk());
  EXPECT_THAT(TempFiles(), ::testing::IsEmpty());
  EXPECT_FALSE(std::filesystem::exists(Local("cancel.wma")));
}

TEST_P(BackendConformanceTest, CompleteKeepsOnlyTheFinishedFiles) {
  Serve("/f/done.wma", 10'000);
  const JobId job = CreateJob("partial");
  ASSERT_THAT(user().AddFile(job, Url("/f/done.wma"), Local("done.wma").string()), IsOk());
  ASSERT_THAT(user().AddFile(job, Url("/f/absent.wma"), Local("absent.wma").string()), IsOk());
  ASSERT_THAT(user().Resume(job), IsOk());
  ASSERT_TRUE(WaitForState(job, JobState::kError));  // the second file is a 404
  EXPECT_THAT(user().Complete(job), StatusIs(hr::kPartialComplete));
  EXPECT_TRUE(HoldsServedBytes("done.wma", "/f/done.wma", 10'000));
  EXPECT_FALSE(std::filesystem::exists(Local("absent.wma")));
  EXPECT_THAT(TempFiles(), ::testing::IsEmpty());
}

// IBackgroundCopyJob3::ReplaceRemotePrefix (Microsoft's page): the way a store points a job at a
// server that moved, then resumes it.
TEST_P(BackendConformanceTest, ReplaceRemotePrefixPointsAFailedJobAtTheNewServer) {
  Serve("/m/new/x.wma", 25'000);
  const JobId job = CreateJob("moved");
  ASSERT_THAT(user().AddFile(job, Url("/m/old/x.wma"), Local("x.wma").string()), IsOk());
  ASSERT_THAT(user().Resume(job), IsOk());
  ASSERT_TRUE(WaitForState(job, JobState::kError));  // a 404 at the old place
  EXPECT_THAT(user().ReplaceRemotePrefix(job, Url("/m/gone"), Url("/m/new")), StatusIs(hr::kFalse));
  ASSERT_THAT(user().ReplaceRemotePrefix(job, Url("/m/old"), Url("/m/new")), IsOk());
  EXPECT_EQ(user().GetFiles(job)->at(0).remote_url, Url("/m/new/x.wma"));
  ASSERT_THAT(user().Resume(job), IsOk());
  ASSERT_TRUE(WaitForState(job, JobState::kTransferred));
  ASSERT_THAT(user().Complete(job), IsOk());
  EXPECT_TRUE(HoldsServedBytes("x.wma", "/m/new/x.wma", 25'000));
}

TEST_P(BackendConformanceTest, ReplaceRemotePrefixWithAnEmptyPrefixIsInvalidArg) {
  const JobId job = CreateJob("empty prefix");
  ASSERT_THAT(user().AddFile(job, Url("/m/a.wma"), Local("a.wma").string()), IsOk());
  EXPECT_THAT(user().ReplaceRemotePrefix(job, "", Url("/n")), StatusIs(hr::kInvalidArg));
  EXPECT_THAT(user().ReplaceRemotePrefix(job, Url("/m"), ""), StatusIs(hr::kInvalidArg));
  EXPECT_EQ(user().GetFiles(job)->at(0).remote_url, Url("/m/a.wma"));
}

// IBackgroundCopyFile2::SetRemoteName (Microsoft's page): one file's new place.
TEST_P(BackendConformanceTest, SetRemoteNamePointsOneFileAtItsNewPlace) {
  Serve("/n/new.wma", 15'000);
  const JobId job = CreateJob("renamed");
  ASSERT_THAT(user().AddFile(job, Url("/n/old.wma"), Local("renamed.wma").string()), IsOk());
  ASSERT_THAT(user().Resume(job), IsOk());
  ASSERT_TRUE(WaitForState(job, JobState::kError));  // a 404 at the old place
  ASSERT_THAT(user().SetRemoteName(job, 0, Url("/n/new.wma")), IsOk());
  EXPECT_EQ(user().GetFiles(job)->at(0).remote_url, Url("/n/new.wma"));
  ASSERT_THAT(user().Resume(job), IsOk());
  ASSERT_TRUE(WaitForState(job, JobState::kTransferred));
  ASSERT_THAT(user().Complete(job), IsOk());
  EXPECT_TRUE(HoldsServedBytes("renamed.wma", "/n/new.wma", 15'000));
}

}  // namespace
}  // namespace bitsh::conformance
