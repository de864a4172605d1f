// The fake's job index answers as a std::map of the same ids would, through inserts, replacements
// and erases that shift runs of colliding entries.
#include "fake/job_index.h"

#include <gtest/gtest.h>

#include <array>
#include <map>
#include <vector>

#include "content/hashing.h"
#include "fake/job_id.h"

namespace bitsh::fake {
namespace {

// Stand-ins for jobs: the index only keeps their addresses.
FakeJob* JobNumber(std::size_t number) { return reinterpret_cast<FakeJob*>(std::uintptr_t{16} * (number + 1)); }

// Ids a test might parse: all zero but the last byte, so that only mixing spreads them.
JobId SmallId(std::uint8_t last) {
  std::array<std::uint8_t, 16> bytes{};
  bytes[15] = last;
  return JobId(bytes);
}

TEST(JobIndexTest, FindsWhatWasInsertedAndNothingElse) {
  JobIndex index;
  EXPECT_EQ(index.Find(SmallId(1)), nullptr) << "empty";
  index.Insert(SmallId(1), JobNumber(1));
  index.Insert(SmallId(2), JobNumber(2));
  EXPECT_EQ(index.Find(SmallId(1)), JobNumber(1));
  EXPECT_EQ(index.Find(SmallId(2)), JobNumber(2));
  EXPECT_EQ(index.Find(SmallId(3)), nullptr);
  EXPECT_EQ(index.size(), 2u);
}

TEST(JobIndexTest, InsertingAnIdAgainReplacesItsJob) {
  JobIndex index;
  index.Insert(SmallId(7), JobNumber(1));
  index.Insert(SmallId(7), JobNumber(2));
  EXPECT_EQ(index.Find(SmallId(7)), JobNumber(2));
  EXPECT_EQ(index.size(), 1u);
}

TEST(JobIndexTest, ClearForgetsEveryJob) {
  JobIndex index;
  for (std::uint8_t i = 0; i < 100; ++i) index.Insert(SmallId(i), JobNumber(i));
  index.Clear();
  EXPECT_EQ(index.size(), 0u);
  EXPECT_EQ(index.Find(SmallId(5)), nullptr);
  index.Insert(SmallId(5), JobNumber(5));
  EXPECT_EQ(index.Find(SmallId(5)), JobNumber(5));
}

// 20,000 inserts and erases drawn from 600 ids (the fake's and small parsed ones), checked against
// a std::map after every step: the index grows several times, and erases land in the middle of
// runs of entries that probed past each other.
TEST(JobIndexTest, AgreesWithAMapThroughManyInsertsAndErases) {
  std::vector<JobId> ids;
  for (std::uint64_t i = 0; i < 300; ++i) ids.push_back(MakeJobId(42, i));
  for (std::uint8_t i = 0; i < 255; ++i) ids.push_back(SmallId(i));
  for (std::uint64_t i = 0; i < 45; ++i) ids.push_back(MakeJobId(7, i));
  JobIndex index;
  std::map<JobId, FakeJob*> expected;
  content::SplitMix64 draw(1);
  for (std::size_t step = 0; step < 20'000; ++step) {
    const JobId& id = ids[draw.Next() % ids.size()];
    if (draw.Next() % 3 == 0) {
      index.Erase(id);
      expected.erase(id);
    } else {
      index.Insert(id, JobNumber(step));
      expected[id] = JobNumber(step);
    }
    ASSERT_EQ(index.size(), expected.size()) << "step " << step;
    if (step % 97 == 0) {
      for (const JobId& any : ids) {
        const auto found = expected.find(any);
        ASSERT_EQ(index.Find(any), found == expected.end() ? nullptr : found->second)
            << "step " << step << ", id " << any.ToString();
      }
    }
  }
}

}  // namespace
}  // namespace bitsh::fake
