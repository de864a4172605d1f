#include "fake/job_table.h"

#include <algorithm>
#include <cassert>
#include <bit>
#include <cstdint>
#include <iterator>
#include <utility>

#include "fake/fake_job.h"

namespace bitsh::fake {
namespace {

bool ById(const JobTable::Entry& a, const JobTable::Entry& b) { return a.id < b.id; }

// The first 8 bytes of an id as a big-endian number: ids order as these do, then by the rest.
std::uint64_t LeadingWord(const JobId& id) {
  std::uint64_t word = 0;
  for (std::size_t i = 0; i < 8; ++i) word = (word << 8) | id.bytes()[i];
  return word;
}

// Sorts [first, last) by id. The fake's ids are random, so a pass that puts each entry in one of
// about as many buckets as entries, by its leading bits, leaves about one entry per bucket, and
// sorting the buckets one by one is linear in all: a comparison sort of 100,000 new jobs cost half
// again as many instructions per job as one of 1,000. Ids that share their leading bits (a test's
// parsed ids, a hand-edited snapshot) share a bucket, whose comparison sort still orders them.
void SortById(std::vector<JobTable::Entry>::iterator first, std::vector<JobTable::Entry>::iterator last) {
  const std::size_t count = static_cast<std::size_t>(last - first);
  if (count < 64) {
    std::sort(first, last, ById);
    return;
  }
  const int bits = static_cast<int>(std::bit_width(count));  // 2^bits buckets: one to two per entry
  const auto bucket_of = [bits](const JobTable::Entry& entry) {
    return static_cast<std::size_t>(LeadingWord(entry.id) >> (64 - bits));
  };
  std::vector<std::size_t> starts((std::size_t{1} << bits) + 1, 0);
  for (auto entry = first; entry != last; ++entry) ++starts[bucket_of(*entry) + 1];
  for (std::size_t bucket = 1; bucket < starts.size(); ++bucket) starts[bucket] += starts[bucket - 1];
  std::vector<JobTable::Entry> placed(count);
  std::vector<std::size_t> next(starts.begin(), starts.end() - 1);
  for (auto entry = first; entry != last; ++entry) placed[next[bucket_of(*entry)]++] = *entry;
  for (std::size_t bucket = 0; bucket + 1 < starts.size(); ++bucket) {
    if (starts[bucket + 1] - starts[bucket] > 1) {
      std::sort(placed.begin() + static_cast<std::ptrdiff_t>(starts[bucket]),
                placed.begin() + static_cast<std::ptrdiff_t>(starts[bucket + 1]), ById);
    }
  }
  std::copy(placed.begin(), placed.end(), first);
}

}  // namespace

JobTable::JobTable() = default;
JobTable::~JobTable() = default;

FakeJob& JobTable::Add(std::unique_ptr<FakeJob> job) {
  FakeJob& added = *job;
  assert(index_.Find(added.id) == nullptr);  // two jobs of one id: the walk and the index would disagree
  index_.Insert(added.id, &added);
  entries_.push_back(Entry{added.id, &added});
  owned_.push_back(std::move(job));
  return added;
}

void JobTable::Remove(const JobId& id) {
  FakeJob* const removed = index_.Find(id);
  if (removed == nullptr) return;
  index_.Erase(id);
  // The sorted part by a binary search, the rest (a few jobs at most between walks) one by one.
  const auto sorted_end = entries_.begin() + static_cast<std::ptrdiff_t>(sorted_);
  auto found = std::lower_bound(entries_.begin(), sorted_end, Entry{id, nullptr}, ById);
  if (found == sorted_end || !(found->id == id)) {
    found = std::find_if(sorted_end, entries_.end(), [&](const Entry& entry) { return entry.id == id; });
  } else {
    --sorted_;
  }
  assert(found != entries_.end());  // the index had it, so the entries do
  entries_.erase(found);
  // From the back: the job removed is, in practice, the one just added (a CreateJob undone).
  const auto owner = std::find_if(owned_.rbegin(), owned_.rend(), [&](const auto& job) { return job.get() == removed; });
  owned_.erase(std::next(owner).base());
}

void JobTable::Clear() {
  index_.Clear();  // first: no pointer to a job outlives it
  entries_.clear();
  sorted_ = 0;
  owned_.clear();
}

std::span<const JobTable::Entry> JobTable::InIdOrder() const {
  if (sorted_ < entries_.size()) {
    const auto middle = entries_.begin() + static_cast<std::ptrdiff_t>(sorted_);
    SortById(middle, entries_.end());
    std::inplace_merge(entries_.begin(), middle, entries_.end(), ById);
    sorted_ = entries_.size();
  }
  return entries_;
}

}  // namespace bitsh::fake
