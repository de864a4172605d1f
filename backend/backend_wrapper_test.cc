#include "backend/backend_wrapper.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "backend/testing/mock_backend.h"

namespace bitsh {
namespace {

using ::testing::Return;
using ::testing::StrictMock;

// A decorator overriding one call, as decorators built on BackendWrapper do.
class SuspendRefusingBackend : public BackendWrapper {
 public:
  using BackendWrapper::BackendWrapper;
  Status Suspend(const JobId&) override { return Status::InvalidState("refused by decorator"); }
};

TEST(BackendWrapperTest, ForwardsCallsAndResultsUnchanged) {
  StrictMock<testing::MockBackend> target;
  BackendWrapper wrapper(target);
  const JobId job = *JobId::Parse("{00000000-0000-0000-0000-000000000001}");

  EXPECT_CALL(target, CreateJob("album", JobType::kDownload)).WillOnce(Return(Result<JobId>(job)));
  EXPECT_CALL(target, AddFile(job, "http://127.0.0.1/a.wma", "/music/a.wma"))
      .WillOnce(Return(Status::Ok()));
  EXPECT_CALL(target, Resume(job)).WillOnce(Return(Status::Empty("no files")));
  EXPECT_CALL(target, GetState(job)).WillOnce(Return(Result<JobState>(JobState::kQueued)));

  Result<JobId> created = wrapper.CreateJob("album", JobType::kDownload);
  ASSERT_TRUE(created.ok());
  EXPECT_EQ(*created, job);
  EXPECT_TRUE(wrapper.AddFile(job, "http://127.0.0.1/a.wma", "/music/a.wma").ok());
  EXPECT_EQ(wrapper.Resume(job).code(), hr::kEmpty);
  EXPECT_EQ(*wrapper.GetState(job), JobState::kQueued);
}

TEST(BackendWrapperTest, DecoratorChangesOnlyWhatItOverrides) {
  StrictMock<testing::MockBackend> target;
  SuspendRefusingBackend decorator(target);
  const JobId job;

  EXPECT_CALL(target, Suspend).Times(0);
  EXPECT_CALL(target, Resume(job)).WillOnce(Return(Status::Ok()));

  EXPECT_EQ(decorator.Suspend(job).code(), hr::kInvalidState);
  EXPECT_TRUE(decorator.Resume(job).ok());
}

}  // namespace
}  // namespace bitsh
