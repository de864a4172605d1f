// Users, access and logon (spec §4 owner logon, §5 security).
#include "fake/testing/fake_service_fixture.h"

namespace bitsh::fake::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::UnorderedElementsAre;

TEST_F(FakeServiceTest, AnotherUsersJobIsAccessDenied) {
  const JobId job = *alice().CreateJob("mine", JobType::kDownload);
  auto bob = service().Connect("bob");
  EXPECT_THAT(bob->GetJob(job), StatusIs(hr::kAccessDenied));
  EXPECT_THAT(bob->GetState(job), StatusIs(hr::kAccessDenied));
  EXPECT_THAT(bob->SetDescription(job, "taken"), StatusIs(hr::kAccessDenied));
  EXPECT_THAT(bob->Cancel(job), StatusIs(hr::kAccessDenied));
  EXPECT_THAT(alice().GetState(job), HasState(JobState::kSuspended));
  EXPECT_EQ(*alice().GetDescription(job), "");
}

TEST_F(FakeServiceTest, EnumerationShowsOwnJobsAndAllUsersOnlyToAdministrators) {
  const JobId mine = *alice().CreateJob("a", JobType::kDownload);
  auto bob = service().Connect("bob");
  const JobId theirs = *bob->CreateJob("b", JobType::kDownload);
  EXPECT_THAT(*alice().EnumJobs(EnumScope::kCurrentUser), ElementsAre(mine));
  EXPECT_THAT(alice().EnumJobs(EnumScope::kAllUsers), StatusIs(hr::kAccessDenied));
  service().AddUser("root", /*is_admin=*/true);
  auto admin = service().Connect("root");
  EXPECT_THAT(*admin->EnumJobs(EnumScope::kAllUsers), UnorderedElementsAre(mine, theirs));
  EXPECT_THAT(admin->SetDescription(theirs, "changed by admin"), IsOk());  // without taking ownership
  EXPECT_EQ(*bob->GetOwner(theirs), "bob");
}

TEST_F(FakeServiceTest, TakeOwnershipNeedsAnAdministratorAndMovesTheJob) {
  const JobId job = *alice().CreateJob("a", JobType::kDownload);
  auto bob = service().Connect("bob");
  EXPECT_THAT(bob->TakeOwnership(job), StatusIs(hr::kAccessDenied));
  service().AddUser("root", /*is_admin=*/true);
  auto admin = service().Connect("root");
  ASSERT_THAT(admin->TakeOwnership(job), IsOk());
  EXPECT_EQ(*admin->GetOwner(job), "root");
  EXPECT_THAT(alice().GetState(job), StatusIs(hr::kAccessDenied));
  ASSERT_THAT(admin->Cancel(job), IsOk());
  EXPECT_THAT(admin->TakeOwnership(job), StatusIs(hr::kInvalidState));
}

// The reason real BITS jobs stall on CI runners: their owner has no interactive logon.
TEST_F(FakeServiceTest, AJobWhoseOwnerIsLoggedOffWaitsQueuedUntilLogon) {
  service().AddUser("carol", false, /*logged_on=*/false);
  auto carol = service().Connect("carol");
  const JobId job = QueueDownload(*carol, "c.wma", 100'000);
  service().AdvanceBy(std::chrono::hours(24));
  EXPECT_THAT(carol->GetState(job), HasState(JobState::kQueued));
  EXPECT_EQ(BytesTransferred(*carol, job), 0u);
  service().LogOn("carol");
  ASSERT_TRUE(service().RunUntilIdle());
  EXPECT_THAT(carol->GetState(job), HasState(JobState::kTransferred));
}

TEST_F(FakeServiceTest, LoggingOffMidTransferRequeuesAndLogonContinues) {
  options_.bandwidth_bytes_per_s = 100'000;
  const JobId job = QueueDownload(alice(), "l.wma", 1'000'000);
  service().AdvanceBy(std::chrono::seconds(4));
  service().LogOff("alice");
  EXPECT_THAT(alice().GetState(job), HasState(JobState::kQueued));
  const std::uint64_t held = BytesTransferred(alice(), job);
  service().AdvanceBy(std::chrono::hours(1));
  EXPECT_EQ(BytesTransferred(alice(), job), held);
  service().LogOn("alice");
  ASSERT_TRUE(service().RunUntilIdle());
  ASSERT_THAT(alice().Complete(job), IsOk());
  EXPECT_EQ(ReadFile(Local("l.wma")), GeneratedBytes(SeedOf("l.wma"), 0, 1'000'000));
}

}  // namespace
}  // namespace bitsh::fake::testing
