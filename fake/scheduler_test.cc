#include "fake/scheduler.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace bitsh::fake {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;
using P = JobPriority;

SchedulingDecision Decide(const std::vector<SchedulingCandidate>& eligible) {
  SchedulingDecision decision;
  DecideSchedule(eligible, decision);
  return decision;
}

TEST(SchedulerTest, ForegroundJobsAllRunBesideOneBackgroundJob) {
  const SchedulingDecision decision = Decide({{0, P::kForeground, 1, false},
                                                      {1, P::kForeground, 2, false},
                                                      {2, P::kNormal, 3, false},
                                                      {3, P::kNormal, 4, false}});
  EXPECT_THAT(decision.start, UnorderedElementsAre(0, 1, 2));
  EXPECT_THAT(decision.preempt, IsEmpty());
}

TEST(SchedulerTest, HigherBackgroundPriorityGoesFirst) {
  const SchedulingDecision decision =
      Decide({{0, P::kLow, 1, false}, {1, P::kNormal, 2, false}, {2, P::kHigh, 3, false}});
  EXPECT_THAT(decision.start, ElementsAre(2));
}

TEST(SchedulerTest, WithinAPriorityTheLowestTurnGoesFirst) {
  const SchedulingDecision decision = Decide({{0, P::kNormal, 9, false}, {1, P::kNormal, 4, false}});
  EXPECT_THAT(decision.start, ElementsAre(1));
}

TEST(SchedulerTest, ARunningJobKeepsRunningAgainstEquals) {
  const SchedulingDecision decision = Decide({{0, P::kNormal, 9, true}, {1, P::kNormal, 1, false}});
  EXPECT_THAT(decision.start, IsEmpty());
  EXPECT_THAT(decision.preempt, IsEmpty());
}

TEST(SchedulerTest, AHigherPriorityPreemptsTheRunningBackgroundJob) {
  const SchedulingDecision decision = Decide({{0, P::kLow, 1, true}, {1, P::kHigh, 2, false}});
  EXPECT_THAT(decision.start, ElementsAre(1));
  EXPECT_THAT(decision.preempt, ElementsAre(0));
}

TEST(SchedulerTest, NothingEligibleStartsNothing) {
  const SchedulingDecision decision = Decide({});
  EXPECT_THAT(decision.start, IsEmpty());
}

TEST(SchedulerTest, AReusedDecisionHoldsOnlyTheNewOne) {
  SchedulingDecision decision;  // as Dispatch keeps one
  DecideSchedule({{0, P::kLow, 1, true}, {1, P::kHigh, 2, false}}, decision);
  ASSERT_THAT(decision.preempt, ElementsAre(0));
  DecideSchedule({{4, P::kNormal, 1, false}}, decision);
  EXPECT_THAT(decision.start, ElementsAre(4));
  EXPECT_THAT(decision.preempt, IsEmpty());
}

}  // namespace
}  // namespace bitsh::fake
