#include "fake/event_queue.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace bitsh::fake {
namespace {

using std::chrono::seconds;

class EventQueueTest : public ::testing::Test {
 protected:
  VirtualClock clock_{DefaultVirtualEpoch()};
  EventQueue queue_{clock_};
  std::string order_;
};

TEST_F(EventQueueTest, RunsEventsInTimeOrderAndMovesTheClockToEach) {
  queue_.ScheduleAfter(seconds(20), [&] { order_ += "b"; });
  queue_.ScheduleAfter(seconds(10), [&] { order_ += "a"; });
  ASSERT_TRUE(queue_.RunNext());
  EXPECT_EQ(order_, "a");
  EXPECT_EQ(clock_.Now(), DefaultVirtualEpoch() + seconds(10));
  ASSERT_TRUE(queue_.RunNext());
  EXPECT_EQ(order_, "ab");
  EXPECT_FALSE(queue_.RunNext());
}

TEST_F(EventQueueTest, EventsAtTheSameTimeRunInScheduleOrder) {
  for (char c : std::string("abcdef")) queue_.ScheduleAfter(seconds(5), [&, c] { order_ += c; });
  while (queue_.RunNext()) {
  }
  EXPECT_EQ(order_, "abcdef");
}

TEST_F(EventQueueTest, CancelledEventsNeverRun) {
  const EventId dropped = queue_.ScheduleAfter(seconds(1), [&] { order_ += "x"; });
  queue_.ScheduleAfter(seconds(2), [&] { order_ += "y"; });
  queue_.Cancel(dropped);
  EXPECT_EQ(queue_.NextEventTime(), DefaultVirtualEpoch() + seconds(2));
  while (queue_.RunNext()) {
  }
  EXPECT_EQ(order_, "y");
}

TEST_F(EventQueueTest, CancelledFarFutureEventsDoNotPileUpAndTheOrderStays) {
  // A retry loop arms a 14-day deadline, runs an attempt, and cancels the deadline when the next
  // attempt arms its own. Every 100th deadline is kept: those must still run, in schedule order.
  std::vector<int> ran;
  for (int i = 0; i < 10'000; ++i) {
    const EventId deadline = queue_.ScheduleAfter(std::chrono::hours(24 * 14), [&ran, i] { ran.push_back(-i); });
    queue_.ScheduleAfter(seconds(1), [&ran, i] { ran.push_back(i); });
    ASSERT_TRUE(queue_.RunNext());
    if (i % 100 != 0) queue_.Cancel(deadline);
    ASSERT_LE(queue_.stored(), 2 * queue_.pending() + 65) << "after " << i << " attempts";
  }
  while (queue_.RunNext()) {
  }
  ASSERT_EQ(ran.size(), 10'000u + 100u);  // no cancelled deadline ran
  for (int i = 0; i < 10'000; ++i) EXPECT_EQ(ran[static_cast<std::size_t>(i)], i);
  for (int k = 0; k < 100; ++k) EXPECT_EQ(ran[static_cast<std::size_t>(10'000 + k)], -100 * k);
}

TEST_F(EventQueueTest, CancellingAnEventThatAlreadyRanChangesNothing) {
  const EventId ran = queue_.ScheduleAfter(seconds(1), [&] { order_ += "a"; });
  queue_.ScheduleAfter(seconds(2), [&] { order_ += "b"; });
  ASSERT_TRUE(queue_.RunNext());
  queue_.Cancel(ran);
  EXPECT_EQ(queue_.pending(), 1u);
  ASSERT_TRUE(queue_.RunNext());
  EXPECT_EQ(order_, "ab");
  EXPECT_EQ(queue_.pending(), 0u);
}

TEST_F(EventQueueTest, RunUntilStopsAtTheLimitAndSetsTheClock) {
  queue_.ScheduleAfter(seconds(5), [&] { order_ += "a"; });
  queue_.ScheduleAfter(seconds(15), [&] { order_ += "b"; });
  queue_.RunUntil(DefaultVirtualEpoch() + seconds(10));
  EXPECT_EQ(order_, "a");
  EXPECT_EQ(clock_.Now(), DefaultVirtualEpoch() + seconds(10));
  EXPECT_EQ(queue_.pending(), 1u);
}

TEST_F(EventQueueTest, EventsScheduledDuringAnEventRunLater) {
  queue_.ScheduleAfter(seconds(1), [&] {
    order_ += "a";
    queue_.ScheduleAfter(seconds(0), [&] { order_ += "c"; });
  });
  queue_.ScheduleAfter(seconds(1), [&] { order_ += "b"; });
  while (queue_.RunNext()) {
  }
  EXPECT_EQ(order_, "abc");
}

TEST_F(EventQueueTest, TheClockDoesNotMoveWithoutEvents) {
  const TimePoint before = clock_.Now();
  EXPECT_FALSE(queue_.RunNext());
  EXPECT_EQ(clock_.Now(), before);
}

}  // namespace
}  // namespace bitsh::fake
