// JobTable: the fake's jobs, owned by one table that finds a job by id in one step (the lookup
// every API call and every event makes) and walks them in id order (enumeration, snapshots, and
// what a network change or a logoff does to every job, so that traces do not depend on the order
// jobs were made in). Internal to fake/.
//
// The walk is over one array of (id, job), sorted by id, where a std::map kept a tree node per job:
// with 100,000 jobs, enumerating chased a pointer per job to a node in another place, and adding a
// job searched seventeen levels of nodes that no cache held (docs/performance.md, "Scaling").
// A new job is appended after the sorted part, and the next walk sorts what was appended and merges
// it in: n jobs made one after another cost one sort, not n insertions into the middle of an array.
#pragma once

#include <cstddef>
#include <memory>
#include <span>
#include <vector>

#include "backend/job_types.h"
#include "fake/job_index.h"

namespace bitsh::fake {

struct FakeJob;

class JobTable {
 public:
  struct Entry {
    JobId id;      // the job's id, kept beside it so that sorting reads no job
    FakeJob* job;  // never nullptr; owned by the table
  };

  JobTable();
  ~JobTable();
  JobTable(const JobTable&) = delete;
  JobTable& operator=(const JobTable&) = delete;

  // The job with `id`, or nullptr.
  FakeJob* Find(const JobId& id) const { return index_.Find(id); }

  // Takes `job` into the table. REQUIRES: no job in the table has its id.
  FakeJob& Add(std::unique_ptr<FakeJob> job);

  // Destroys the job with `id`; nothing when there is none. Linear in the number of jobs (an
  // erase from the middle of an array): jobs leave the table only when a CreateJob is undone and
  // at a restart (Clear), so removing many one by one would want another design.
  void Remove(const JobId& id);

  // Destroys every job.
  void Clear();

  std::size_t size() const { return entries_.size(); }

  // Every job, in id order. Valid until the next Add, Remove or Clear: a walk that adds or removes
  // a job walks a copy of the ids instead (none does today: jobs are made by API calls, which a
  // walk does not make).
  std::span<const Entry> InIdOrder() const;

 private:
  // The jobs, in the order they were added.
  std::vector<std::unique_ptr<FakeJob>> owned_;
  // The same jobs: entries_[0, sorted_) in id order, the ones after added since and not yet sorted
  // in. Sorting them is not a change a caller sees, hence mutable. Plain values, which the sort
  // moves as bytes.
  mutable std::vector<Entry> entries_;
  mutable std::size_t sorted_ = 0;
  JobIndex index_;
};

}  // namespace bitsh::fake
