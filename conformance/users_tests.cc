// Conformance: enumeration and ownership (spec §2.5 EnumJobs, §5).
#include "conformance/backend_conformance.h"

namespace bitsh::conformance {

int UsersTestsAnchor() { return 0; }

namespace {

using bitsh::testing::HasValue;
using bitsh::testing::IsOk;
using bitsh::testing::StatusIs;
using ::testing::Contains;
using ::testing::Not;

TEST_P(BackendConformanceTest, EnumerationListsTheCallersLiveJobs) {
  const JobId kept = CreateJob("kept");
  const JobId cancelled = CreateJob("cancelled");
  ASSERT_THAT(user().Cancel(cancelled), IsOk());
  EXPECT_THAT(user().EnumJobs(EnumScope::kCurrentUser), HasValue(Contains(kept)));
  EXPECT_THAT(user().EnumJobs(EnumScope::kCurrentUser), HasValue(Not(Contains(cancelled))));  // final jobs drop out
  EXPECT_THAT(user().GetJob(cancelled), StatusIs(hr::kNotFound));
  EXPECT_THAT(user().Cancel(kept), IsOk());
}

TEST_P(BackendConformanceTest, AllUsersEnumerationNeedsAnAdministrator) {
  BITSH_REQUIRE_CAPABILITY(Capability::kMultipleUsers);
  const JobId mine = CreateJob("mine");
  EXPECT_THAT(user().EnumJobs(EnumScope::kAllUsers), StatusIs(hr::kAccessDenied));
  EXPECT_THAT(bits().admin().EnumJobs(EnumScope::kAllUsers), HasValue(Contains(mine)));
  EXPECT_THAT(user().Cancel(mine), IsOk());
}

TEST_P(BackendConformanceTest, AnotherUsersJobIsAccessDenied) {
  BITSH_REQUIRE_CAPABILITY(Capability::kMultipleUsers);
  const JobId mine = CreateJob("mine");
  EXPECT_THAT(bits().other_user().GetJob(mine), StatusIs(hr::kAccessDenied));
  EXPECT_THAT(bits().other_user().Cancel(mine), StatusIs(hr::kAccessDenied));
  EXPECT_THAT(user().Cancel(mine), IsOk());
}

TEST_P(BackendConformanceTest, TakeOwnershipNeedsAnAdministrator) {
  BITSH_REQUIRE_CAPABILITY(Capability::kMultipleUsers);
  const JobId job = CreateJob("owned");
  EXPECT_THAT(bits().other_user().TakeOwnership(job), StatusIs(hr::kAccessDenied));
  EXPECT_THAT(bits().admin().TakeOwnership(job), IsOk());
  EXPECT_THAT(user().GetState(job), StatusIs(hr::kAccessDenied));
  EXPECT_THAT(bits().admin().Cancel(job), IsOk());
}

}  // namespace
}  // namespace bitsh::conformance
