#include "backend/status.h"

#include <gtest/gtest.h>

namespace bitsh {
namespace {

TEST(StatusTest, DefaultIsOkWithSOk) {
  Status status;
  EXPECT_TRUE(status.ok());
  EXPECT_EQ(status.code(), hr::kOk);
  EXPECT_EQ(status.ToString(), "S_OK");
}

TEST(StatusTest, FactoriesCarryTheBitsCodeAndNameTheSubject) {
  Status status = Status::InvalidState("job {X} is CANCELLED");
  EXPECT_FALSE(status.ok());
  EXPECT_TRUE(status.IsInvalidState());
  EXPECT_EQ(status.code(), hr::kInvalidState);
  EXPECT_EQ(status.ToString(), "BG_E_INVALID_STATE (0x80200002): job {X} is CANCELLED");
  EXPECT_EQ(Status::Empty("j").code(), hr::kEmpty);
  EXPECT_EQ(Status::AccessDenied("j").code(), hr::kAccessDenied);
  EXPECT_EQ(Status::StringTooLong("j").code(), hr::kStringTooLong);
}

TEST(StatusTest, SuccessCodesOtherThanSOkAreOk) {
  Status partial(hr::kPartialComplete, "1 of 2 files");
  EXPECT_TRUE(partial.ok());
  EXPECT_EQ(partial.ToString(), "BG_S_PARTIAL_COMPLETE (0x00200017): 1 of 2 files");
}

TEST(ResultTest, HoldsAValueOrTheStatusThatExplainsItsAbsence) {
  Result<int> value(42);
  ASSERT_TRUE(value.ok());
  EXPECT_EQ(*value, 42);
  EXPECT_TRUE(value.status().ok());

  Result<int> failure(Status::NotFound("job {Y}"));
  EXPECT_FALSE(failure.ok());
  EXPECT_TRUE(failure.status().IsNotFound());
}

}  // namespace
}  // namespace bitsh
