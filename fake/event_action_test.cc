#include "fake/event_action.h"

#include <gtest/gtest.h>

#include <array>
#include <functional>
#include <memory>
#include <utility>

namespace bitsh::fake {
namespace {

// Counts the copies of itself alive, so a test sees that an action ends exactly once.
struct Counted {
  explicit Counted(int* counter) : alive(counter) { ++*alive; }
  Counted(Counted&& other) noexcept : alive(other.alive) { ++*alive; }
  Counted(const Counted& other) : alive(other.alive) { ++*alive; }
  ~Counted() { --*alive; }
  int* alive;
};

TEST(EventActionTest, ASmallClosureRunsAndEndsOnce) {
  int alive = 0, runs = 0;
  {
    EventAction action([counted = Counted(&alive), &runs] { ++runs; });
    EXPECT_EQ(alive, 1);
    action();
    action();
    EXPECT_EQ(runs, 2);
  }
  EXPECT_EQ(alive, 0);
}

TEST(EventActionTest, AClosureLargerThanTheInlineSpaceRunsFromTheHeapAndEndsOnce) {
  int alive = 0, sum = 0;
  std::array<int, 32> big{};  // 128 bytes: more than kInlineBytes
  big[31] = 7;
  static_assert(sizeof(big) > EventAction::kInlineBytes);
  {
    EventAction action([big, counted = Counted(&alive), &sum] { sum += big[31]; });
    EventAction moved = std::move(action);
    EXPECT_FALSE(action);  // NOLINT(bugprone-use-after-move): moved-from is empty, as documented
    moved();
    EXPECT_EQ(sum, 7);
    EXPECT_EQ(alive, 1);
  }
  EXPECT_EQ(alive, 0);
}

TEST(EventActionTest, MovingKeepsOneLiveCopyAndAssigningEndsTheOldAction) {
  int alive_a = 0, alive_b = 0, ran = 0;
  EventAction a([counted = Counted(&alive_a), &ran] { ran = 1; });
  EventAction b([counted = Counted(&alive_b), &ran] { ran = 2; });
  b = std::move(a);
  EXPECT_EQ(alive_a, 1);
  EXPECT_EQ(alive_b, 0);  // b's own action ended when it took a's
  b();
  EXPECT_EQ(ran, 1);
  b = nullptr;
  EXPECT_EQ(alive_a, 0);
  EXPECT_FALSE(b);
}

TEST(EventActionTest, AStdFunctionIsKeptAndCalledLikeAnyCallable) {
  int runs = 0;
  std::function<void()> tick = [&runs] { ++runs; };
  EventAction action(tick);  // a copy: tick stays usable
  action();
  tick();
  EXPECT_EQ(runs, 2);
}

TEST(EventActionTest, AMoveOnlyClosureIsAccepted) {
  auto owned = std::make_unique<int>(41);
  int seen = 0;
  EventAction action([owned = std::move(owned), &seen] { seen = *owned + 1; });
  action();
  EXPECT_EQ(seen, 42);
}

}  // namespace
}  // namespace bitsh::fake
