// The fake's job table finds each job by id and walks them in id order, as a std::map of the same
// jobs would, whatever order they were added in and however the adds, walks and removals
// interleave; ids that share their leading bytes (a test's parsed ids) are ordered too.
#include "fake/job_table.h"

#include <gtest/gtest.h>

#include <array>
#include <map>
#include <memory>
#include <vector>

#include "content/hashing.h"
#include "fake/fake_job.h"
#include "fake/job_id.h"

namespace bitsh::fake {
namespace {

std::unique_ptr<FakeJob> JobWithId(const JobId& id) {
  auto job = std::make_unique<FakeJob>();
  job->id = id;
  return job;
}

// Ids a test might parse: all zero but the last two bytes, so that all share a leading word.
JobId IdEndingIn(std::uint16_t number) {
  std::array<std::uint8_t, 16> bytes{};
  bytes[14] = static_cast<std::uint8_t>(number >> 8);
  bytes[15] = static_cast<std::uint8_t>(number);
  return JobId(bytes);
}

std::vector<JobId> WalkedIds(const JobTable& table) {
  std::vector<JobId> ids;
  for (const auto& [id, job] : table.InIdOrder()) {
    EXPECT_EQ(job->id, id) << "an entry's id is its job's";
    ids.push_back(id);
  }
  return ids;
}

std::vector<JobId> KeysOf(const std::map<JobId, FakeJob*>& map) {
  std::vector<JobId> ids;
  for (const auto& [id, job] : map) ids.push_back(id);
  return ids;
}

TEST(JobTableTest, FindsWhatWasAddedAndNothingElse) {
  JobTable table;
  EXPECT_EQ(table.Find(MakeJobId(1, 1)), nullptr) << "empty";
  FakeJob& added = table.Add(JobWithId(MakeJobId(1, 1)));
  EXPECT_EQ(table.Find(MakeJobId(1, 1)), &added);
  EXPECT_EQ(table.Find(MakeJobId(1, 2)), nullptr);
  EXPECT_EQ(table.size(), 1u);
}

// Both ways of sorting: a comparison sort below 64 new jobs, buckets by leading bits from 64 on.
TEST(JobTableTest, WalksInIdOrderWhateverTheOrderJobsWereAddedIn) {
  for (std::uint64_t count : {5u, 63u, 64u, 1000u}) {
    JobTable table;
    std::map<JobId, FakeJob*> expected;
    for (std::uint64_t number = 1; number <= count; ++number) {
      FakeJob& job = table.Add(JobWithId(MakeJobId(42, number)));
      expected[job.id] = &job;
    }
    EXPECT_EQ(WalkedIds(table), KeysOf(expected)) << count << " jobs";
  }
}

TEST(JobTableTest, IdsThatShareTheirLeadingBytesAreOrderedToo) {
  JobTable table;
  std::map<JobId, FakeJob*> expected;
  // Every one in the first bucket, added from the largest down, mixed with random ones.
  for (std::uint16_t number = 500; number > 0; --number) {
    for (const JobId& id : {IdEndingIn(number), MakeJobId(9, number)}) expected[id] = &table.Add(JobWithId(id));
  }
  EXPECT_EQ(WalkedIds(table), KeysOf(expected));
}

// A thousand new jobs merged into a thousand walked ones (the bucket pass, then the merge), then
// removals from both the sorted jobs and new ones not yet walked.
TEST(JobTableTest, ManyNewJobsMergeIntoWalkedOnesAndEitherCanBeRemoved) {
  JobTable table;
  std::map<JobId, FakeJob*> expected;
  const auto add = [&](std::uint16_t number) {
    for (const JobId& id : {IdEndingIn(number), MakeJobId(11, number)}) expected[id] = &table.Add(JobWithId(id));
  };
  for (std::uint16_t number = 1; number <= 500; ++number) add(number);
  ASSERT_EQ(WalkedIds(table), KeysOf(expected));
  for (std::uint16_t number = 501; number <= 1000; ++number) add(number);
  ASSERT_EQ(WalkedIds(table), KeysOf(expected)) << "merged";
  for (std::uint16_t number = 1001; number <= 1100; ++number) add(number);
  for (const JobId& id : {IdEndingIn(7), MakeJobId(11, 600), IdEndingIn(1050), MakeJobId(11, 1099)}) {  // walked, walked, new, new
    table.Remove(id);
    expected.erase(id);
  }
  EXPECT_EQ(table.size(), expected.size());
  EXPECT_EQ(WalkedIds(table), KeysOf(expected));
  for (const auto& [id, job] : expected) EXPECT_EQ(table.Find(id), job);
}

// 20,000 adds, removals and walks, checked against a std::map: new jobs are merged into the sorted
// ones at each walk, and a removal finds its job in either part.
TEST(JobTableTest, AgreesWithAMapThroughAddsRemovalsAndWalks) {
  JobTable table;
  std::map<JobId, FakeJob*> expected;
  std::uint64_t next_number = 1;
  content::SplitMix64 draw(3);
  for (std::size_t step = 0; step < 20'000; ++step) {
    const std::uint64_t choice = draw.Next() % 10;
    if (choice < 6 || expected.empty()) {
      const JobId id = draw.Next() % 4 == 0 ? IdEndingIn(static_cast<std::uint16_t>(next_number)) : MakeJobId(5, next_number);
      ++next_number;
      expected[id] = &table.Add(JobWithId(id));
    } else if (choice < 9) {
      auto victim = expected.begin();
      std::advance(victim, static_cast<std::ptrdiff_t>(draw.Next() % expected.size()));
      table.Remove(victim->first);
      ASSERT_EQ(table.Find(victim->first), nullptr) << "step " << step;
      expected.erase(victim);
    } else {
      ASSERT_EQ(WalkedIds(table), KeysOf(expected)) << "step " << step;
    }
    ASSERT_EQ(table.size(), expected.size()) << "step " << step;
  }
  for (const auto& [id, job] : expected) EXPECT_EQ(table.Find(id), job);
  EXPECT_EQ(WalkedIds(table), KeysOf(expected));
}

TEST(JobTableTest, RemovingAnAbsentIdChangesNothing) {
  JobTable table;
  table.Add(JobWithId(MakeJobId(1, 1)));
  table.Remove(MakeJobId(1, 2));
  EXPECT_EQ(table.size(), 1u);
  EXPECT_EQ(WalkedIds(table), std::vector<JobId>{MakeJobId(1, 1)});
}

TEST(JobTableTest, ClearForgetsEveryJob) {
  JobTable table;
  for (std::uint64_t number = 1; number <= 100; ++number) table.Add(JobWithId(MakeJobId(1, number)));
  static_cast<void>(table.InIdOrder());
  table.Clear();
  EXPECT_EQ(table.size(), 0u);
  EXPECT_EQ(table.Find(MakeJobId(1, 5)), nullptr);
  EXPECT_TRUE(WalkedIds(table).empty());
  table.Add(JobWithId(MakeJobId(1, 5)));
  EXPECT_EQ(WalkedIds(table), std::vector<JobId>{MakeJobId(1, 5)});
}

}  // namespace
}  // namespace bitsh::fake
