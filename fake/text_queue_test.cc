// The texts a TextQueue keeps read back as they were pushed, through growth and reuse of its buffer.
#include "fake/text_queue.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <deque>
#include <string>

#include "fake/random.h"

namespace bitsh::fake {
namespace {

struct Kept {
  std::uint64_t position;
  std::string text;
};

// Every kept text reads back as pushed, and the queue holds no more bytes than its buffer.
void ExpectAllReadBack(const TextQueue& queue, const std::deque<Kept>& kept) {
  for (const Kept& text : kept) {
    ASSERT_EQ(queue.View(text.position, text.text.size()), text.text) << "pushed at " << text.position;
  }
  EXPECT_LE(queue.size(), queue.capacity());
}

TEST(TextQueueTest, TextsReadBackAsPushed) {
  TextQueue queue;
  const std::uint64_t a = queue.Push("first");
  const std::uint64_t empty = queue.Push("");
  const std::uint64_t b = queue.Push("second text");
  EXPECT_EQ(queue.View(a, 5), "first");
  EXPECT_EQ(queue.View(empty, 0), "");
  EXPECT_EQ(queue.View(b, 11), "second text");
}

TEST(TextQueueTest, AFullBufferIsReusedOnceTheOldestTextsAreDropped) {
  TextQueue queue;
  std::deque<Kept> kept;
  const std::string text(100, 'x');
  // Fill the first buffer, then keep pushing one and dropping one: the buffer never grows again.
  while (queue.size() + text.size() <= 4096) kept.push_back({queue.Push(text), text});
  const std::size_t capacity = queue.capacity();
  for (int i = 0; i < 10'000; ++i) {
    queue.DropUntil(kept.front().position + kept.front().text.size());
    kept.pop_front();
    std::string next = std::to_string(i);
    next.resize(text.size(), '-');
    kept.push_back({queue.Push(next), next});
  }
  EXPECT_EQ(queue.capacity(), capacity);
  ExpectAllReadBack(queue, kept);
}

TEST(TextQueueTest, ATextThatWouldStraddleTheEndStartsAtTheBeginningAndReadsWhole) {
  TextQueue queue;
  const std::uint64_t first = queue.Push(std::string(4000, 'a'));
  queue.DropUntil(first + 4000);
  const std::uint64_t second = queue.Push(std::string(200, 'b'));  // 96 bytes left before the end
  EXPECT_EQ(second % queue.capacity(), 0u);
  EXPECT_EQ(queue.View(second, 200), std::string(200, 'b'));
}

TEST(TextQueueTest, ATextLongerThanTheBufferGrowsIt) {
  TextQueue queue;
  const std::uint64_t small = queue.Push("small");
  const std::string large(10'000, 'L');
  const std::uint64_t at = queue.Push(large);
  EXPECT_GE(queue.capacity(), large.size());
  EXPECT_EQ(queue.View(at, large.size()), large);
  EXPECT_EQ(queue.View(small, 5), "small");
}

// Random pushes and drops against a deque of strings: every kept text survives every growth,
// whatever its length and wherever the buffer's end fell.
TEST(TextQueueTest, ReadsBackLikeADequeOfStringsThroughRandomPushesAndDrops) {
  TextQueue queue;
  std::deque<Kept> kept;
  Random random(17);
  for (int step = 0; step < 20'000; ++step) {
    if (!kept.empty() && random.OneIn(3)) {
      const std::uint64_t drops = 1 + random.Uniform(std::min<std::uint64_t>(kept.size(), 8));
      for (std::uint64_t i = 0; i < drops; ++i) {
        queue.DropUntil(kept.front().position + kept.front().text.size());
        kept.pop_front();
      }
    } else {
      // Mostly short texts, now and then one of several kilobytes.
      const std::size_t length = random.OneIn(50) ? random.Uniform(9000) : random.Uniform(120);
      std::string text(length, ' ');
      for (char& c : text) c = static_cast<char>('a' + random.Uniform(26));
      kept.push_back({queue.Push(text), std::move(text)});
    }
    if (step % 997 == 0) ExpectAllReadBack(queue, kept);
  }
  ExpectAllReadBack(queue, kept);
}

}  // namespace
}  // namespace bitsh::fake
