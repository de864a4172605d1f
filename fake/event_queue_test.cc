#include "fake/event_queue.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <set>
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

TEST_F(EventQueueTest, ThousandsOfEventsInAnyOrderRunByTimeThenScheduleOrder) {
  // Times drawn from a small range, so many collide. Two in three are cancelled once all are
  // scheduled: more than half the heap, so it compacts (and is rebuilt) on the way.
  struct Scheduled {
    int seconds;
    int order;
  };
  std::vector<Scheduled> kept;
  std::vector<EventId> ids;
  std::vector<int> ran;
  std::uint32_t draw = 12345;
  for (int order = 0; order < 5'000; ++order) {
    draw = draw * 1664525u + 1013904223u;  // a fixed sequence: the test is the same on every run
    const int at = static_cast<int>(draw >> 24) % 97;
    ids.push_back(queue_.ScheduleAfter(seconds(at), [&ran, order] { ran.push_back(order); }));
    if (order % 3 == 0) kept.push_back({at, order});
  }
  for (int order = 0; order < 5'000; ++order) {
    if (order % 3 != 0) queue_.Cancel(ids[static_cast<std::size_t>(order)]);
  }
  EXPECT_LT(queue_.stored(), 5'000u - 2'000u) << "the cancelled events were compacted away";
  std::stable_sort(kept.begin(), kept.end(), [](const Scheduled& a, const Scheduled& b) { return a.seconds < b.seconds; });
  while (queue_.RunNext()) {
  }
  ASSERT_EQ(ran.size(), kept.size());
  for (std::size_t i = 0; i < kept.size(); ++i) ASSERT_EQ(ran[i], kept[i].order) << "event " << i;
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

TEST_F(EventQueueTest, AHandleKeptAfterItsEventRanOrWasCancelledNeverCancelsALaterEvent) {
  // The queue reuses the memory of finished events; their old handles must not reach the new ones.
  const EventId ran = queue_.ScheduleAfter(seconds(1), [&] { order_ += "a"; });
  ASSERT_TRUE(queue_.RunNext());
  const EventId cancelled = queue_.ScheduleAfter(seconds(1), [&] { order_ += "x"; });
  queue_.Cancel(cancelled);
  EXPECT_EQ(queue_.pending(), 0u);
  std::vector<EventId> later;
  for (int i = 0; i < 3; ++i) later.push_back(queue_.ScheduleAfter(seconds(1 + i), [&, i] { order_ += std::to_string(i); }));
  for (EventId stale : {ran, cancelled, EventId{0}}) {
    queue_.Cancel(stale);
    EXPECT_EQ(std::count(later.begin(), later.end(), stale), 0);
  }
  EXPECT_EQ(queue_.pending(), 3u);
  while (queue_.RunNext()) {
  }
  EXPECT_EQ(order_, "a012");
}

TEST_F(EventQueueTest, BackgroundEventsRunButDoNotCountAsPending) {
  const EventId timer = queue_.ScheduleBackgroundAt(clock_.Now() + seconds(5), [&] { order_ += "t"; });
  queue_.ScheduleAfter(seconds(1), [&] { order_ += "a"; });
  EXPECT_EQ(queue_.pending(), 1u);
  ASSERT_TRUE(queue_.RunNext());
  EXPECT_EQ(queue_.pending(), 0u);
  ASSERT_TRUE(queue_.RunNext());
  EXPECT_EQ(order_, "at");
  queue_.Cancel(timer);  // already ran: nothing
  queue_.ScheduleBackgroundAt(clock_.Now() + seconds(5), [&] { order_ += "u"; });
  queue_.Cancel(queue_.ScheduleBackgroundAt(clock_.Now() + seconds(6), [&] { order_ += "v"; }));
  EXPECT_EQ(queue_.pending(), 0u);
  while (queue_.RunNext()) {
  }
  EXPECT_EQ(order_, "atu");
}

TEST_F(EventQueueTest, AnEventTurnsBackgroundAndLiveAgainInItsPlace) {
  const EventId timer = queue_.ScheduleAfter(seconds(5), [&] { order_ += "t"; });
  queue_.ScheduleAfter(seconds(5), [&] { order_ += "a"; });
  queue_.SetBackground(timer, true);
  EXPECT_EQ(queue_.pending(), 1u);
  queue_.SetBackground(timer, true);  // already background: nothing
  EXPECT_EQ(queue_.pending(), 1u);
  queue_.SetBackground(timer, false);
  queue_.SetBackground(timer, false);
  EXPECT_EQ(queue_.pending(), 2u);
  queue_.SetBackground(timer, true);
  while (queue_.RunNext()) {
  }
  EXPECT_EQ(order_, "ta");  // still first: its time and place in the order are its own
  EXPECT_EQ(queue_.pending(), 0u);
  queue_.SetBackground(timer, false);  // ran: nothing
  EXPECT_EQ(queue_.pending(), 0u);
  const EventId cancelled = queue_.ScheduleAfter(seconds(1), [&] { order_ += "c"; });
  queue_.Cancel(cancelled);
  queue_.SetBackground(cancelled, false);
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

TEST_F(EventQueueTest, EventsDueNowAndLaterInterleaveInTimeThenScheduleOrder) {
  // Events that schedule more, half of them for the very instant they run in (the queue keeps
  // those apart from its heap), some cancelled: they run in the order of a sorted model of
  // (time, schedule order), and the clock never goes back.
  std::set<std::pair<TimePoint, int>> model;  // what is pending, in the order it must run
  std::vector<EventId> handles;
  int scheduled = 0, ran = 0;
  std::uint32_t draw = 777;
  const auto next_draw = [&draw] {
    draw = draw * 1664525u + 1013904223u;
    return draw >> 24;
  };
  std::function<void(int)> schedule;
  schedule = [&](int delay_s) {
    const int order = scheduled++;
    const TimePoint at = clock_.Now() + seconds(delay_s);
    model.insert({at, order});
    handles.push_back(queue_.ScheduleAt(at, [&, order, at] {
      ASSERT_FALSE(model.empty());
      EXPECT_EQ(*model.begin(), std::make_pair(at, order)) << "event " << ran;
      EXPECT_EQ(clock_.Now(), at);
      model.erase({at, order});
      ++ran;
      if (scheduled >= 20'000) return;
      for (std::uint32_t more = 1 + next_draw() % 2; more > 0; --more) schedule(next_draw() % 2 == 0 ? 0 : 1 + next_draw() % 3);
      if (next_draw() % 5 == 0) {  // cancel an earlier event, which may have run already
        const std::size_t victim = next_draw() % handles.size();
        queue_.Cancel(handles[victim]);
        std::erase_if(model, [victim](const auto& entry) { return entry.second == static_cast<int>(victim); });
      }
    }));
  };
  for (int i = 0; i < 20; ++i) schedule(i % 4);
  while (queue_.RunNext()) {
  }
  EXPECT_TRUE(model.empty());
  EXPECT_GT(ran, 10'000);
}

TEST_F(EventQueueTest, CompactingAfterSomeEventsDueNowRanKeepsTheRestInOrder) {
  std::vector<int> ran;
  std::vector<EventId> ids;
  for (int order = 0; order < 300; ++order) {
    ids.push_back(queue_.ScheduleAfter(order % 2 == 0 ? seconds(0) : seconds(1), [&ran, order] { ran.push_back(order); }));
  }
  for (int i = 0; i < 100; ++i) ASSERT_TRUE(queue_.RunNext());  // the first 100 due now
  // Two in three of the rest cancelled: more than half of what is stored, so the queue compacts.
  std::vector<int> expected(ran);
  for (int order = 200; order < 300; ++order) {
    if (order % 3 != 0) queue_.Cancel(ids[static_cast<std::size_t>(order)]);
  }
  for (int order = 1; order < 200; order += 2) queue_.Cancel(ids[static_cast<std::size_t>(order)]);
  EXPECT_LT(queue_.stored(), 100u) << "compacted";
  for (int order = 200; order < 300; order += 2) {
    if (order % 3 == 0) expected.push_back(order);  // the rest due now, in order...
  }
  for (int order = 201; order < 300; order += 2) {
    if (order % 3 == 0) expected.push_back(order);  // ...then a second later
  }
  while (queue_.RunNext()) {
  }
  EXPECT_EQ(ran, expected);
}

TEST_F(EventQueueTest, AnEventScheduledWithAPlaceTakenEarlierRunsWhereThatPlaceIs) {
  const std::uint64_t early = queue_.TakePlace();
  queue_.ScheduleAfter(seconds(5), [&] { order_ += "a"; });
  const std::uint64_t later = queue_.TakePlace();
  queue_.ScheduleAfter(seconds(5), [&] { order_ += "c"; });
  queue_.ScheduleAt(clock_.Now() + seconds(5), later, [&] { order_ += "b"; });
  queue_.ScheduleAt(clock_.Now() + seconds(5), early, [&] { order_ += "0"; });
  // At the current instant, beside events due now: a place taken before them runs before them.
  queue_.ScheduleAfter(seconds(1), [&] {
    const std::uint64_t place = queue_.TakePlace();
    queue_.ScheduleAfter(seconds(0), [&] { order_ += "y"; });
    queue_.ScheduleAt(clock_.Now(), place, [&] { order_ += "x"; });
  });
  while (queue_.RunNext()) {
  }
  EXPECT_EQ(order_, "xy0abc");
}

TEST_F(EventQueueTest, TheClockDoesNotMoveWithoutEvents) {
  const TimePoint before = clock_.Now();
  EXPECT_FALSE(queue_.RunNext());
  EXPECT_EQ(clock_.Now(), before);
}

}  // namespace
}  // namespace bitsh::fake
