// Conformance: enumeration and ownership (spec §2.5 EnumJobs, §5).
#include "conformance/backend_conformance.h"

namespace bitsh::conformance {

int UsersTestsAnchor() { return 0; }

namespace {

using bitsh::testing::IsOk;
using bitsh::testing::StatusIs;
using ::testing::Contains;
using ::testing::Not;

TEST_P(BackendConformanceTest, EnumerationListsTheCallersLiveJobs) {
  const JobId kept = *user().CreateJob("kept", JobType::kDownload);
  const JobId cancelled = *user().CreateJob("cancelled", JobType::kDownload);
  ASSERT_THAT(user().Cancel(cancelled), IsOk());
  const std::vector<JobId> jobs = *user().EnumJobs(EnumScope::kCurrentUser);
  EXPECT_THAT(jobs, Contains(kept));
  EXPECT_THAT(jobs, Not(Contains(cancelled)));  // final jobs drop out
  EXPECT_THAT(user().GetJob(cancelled), StatusIs(hr::kNotFound));
  EXPECT_THAT(user().Cancel(kept), IsOk());
}

TEST_P(BackendConformanceTest, AllUsersEnumerationNeedsAnAdministrator) {
  BITSH_REQUIRE_CAPABILITY(Capability::kMultipleUsers);
  const JobId mine = *user().CreateJob("mine", JobType::kDownload);
  EXPECT_THAT(user().EnumJobs(EnumScope::kAllUsers), StatusIs(hr::kAccessDenied));
  EXPECT_THAT(*bits().admin().EnumJobs(EnumScope::kAllUsers), Contains(mine));
  EXPECT_THAT(user().Cancel(mine), IsOk());
}

TEST_P(BackendConformanceTest, AnotherUsersJobIsAccessDenied) {
  BITSH_REQUIRE_CAPABILITY(Capability::kMultipleUsers);
  const JobId mine = *user().CreateJob("mine", JobType::kDownload);
  EXPECT_THAT(bits().other_user().GetJob(mine), StatusIs(hr::kAccessDenied));
  EXPECT_THAT(bits().other_user().Cancel(mine), StatusIs(hr::kAccessDenied));
  EXPECT_THAT(user().Cancel(mine), IsOk());
}

TEST_P(BackendConformanceTest, TakeOwnershipNeedsAnAdministrator) {
  BITSH_REQUIRE_CAPABILITY(Capability::kMultipleUsers);
  const JobId job = *user().CreateJob("owned", JobType::kDownload);
  EXPECT_THAT(bits().other_user().TakeOwnership(job), StatusIs(hr::kAccessDenied));
  EXPECT_THAT(bits().admin().TakeOwnership(job), IsOk());
  EXPECT_THAT(user().GetState(job), StatusIs(hr::kAccessDenied));
  EXPECT_THAT(bits().admin().Cancel(job), IsOk());
}

}  // namespace
}  // namespace bitsh::conformance
