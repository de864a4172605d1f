// JobIndex: the fake's jobs by id, for the lookup every event and every API call on a job makes
// (JobAt, FindJob, Open). Internal to fake/: the job table (fake/job_table.h) keeps one.
//
// An open-addressing table (linear probing in one array of id and pointer, at most half full),
// where std::unordered_map kept a node per job: a lookup is one hash and usually one cache line,
// where the node-based map took a division, a bucket and a node in another place. With a
// thousand jobs retrying, the lookups were 7 % of a run (docs/performance.md).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

#include "backend/job_types.h"
#include "content/hashing.h"

namespace bitsh::fake {

struct FakeJob;

class JobIndex {
 public:
  // The job with `id`, or nullptr.
  FakeJob* Find(const JobId& id) const {
    if (slots_.empty()) return nullptr;
    for (std::size_t at = Home(id);; at = Next(at)) {
      const Slot& slot = slots_[at];
      if (slot.job == nullptr) return nullptr;
      if (slot.id == id) return slot.job;
    }
  }

  // Adds `job` under `id`, or replaces the job under `id`. `job` is not nullptr.
  void Insert(const JobId& id, FakeJob* job) {
    if ((size_ + 1) * 2 > slots_.size()) Grow();
    std::size_t at = Home(id);
    while (slots_[at].job != nullptr && !(slots_[at].id == id)) at = Next(at);
    if (slots_[at].job == nullptr) ++size_;
    slots_[at] = Slot{id, job};
  }

  // Removes `id`; nothing when it is not there.
  void Erase(const JobId& id) {
    if (slots_.empty()) return;
    std::size_t hole = Home(id);
    while (slots_[hole].job != nullptr && !(slots_[hole].id == id)) hole = Next(hole);
    if (slots_[hole].job == nullptr) return;
    // Backward shift: each later entry of the run that may sit in the hole (the hole lies between
    // its home and where it is) moves into it, so that no lookup stops early at the gap.
    for (std::size_t at = Next(hole); slots_[at].job != nullptr; at = Next(at)) {
      const std::size_t home = Home(slots_[at].id);
      if (((at - home) & Mask()) >= ((at - hole) & Mask())) {
        slots_[hole] = slots_[at];
        hole = at;
      }
    }
    slots_[hole] = Slot{};
    --size_;
  }

  void Clear() {
    slots_.clear();
    size_ = 0;
  }
  std::size_t size() const { return size_; }

 private:
  struct Slot {
    JobId id;
    FakeJob* job = nullptr;  // nullptr: an empty slot
  };

  std::size_t Mask() const { return slots_.size() - 1; }
  std::size_t Next(std::size_t at) const { return (at + 1) & Mask(); }
  // The slot an id's probe starts at: the project's mixer over both halves of the id (the fake's
  // ids are random, a test's parsed ids need not be; slots are chosen by the low bits).
  std::size_t Home(const JobId& id) const {
    std::uint64_t low = 0;
    std::uint64_t high = 0;
    std::memcpy(&low, id.bytes().data(), sizeof low);
    std::memcpy(&high, id.bytes().data() + 8, sizeof high);
    return static_cast<std::size_t>(content::SplitMix64::Mix(low ^ content::SplitMix64::Mix(high))) & Mask();
  }

  void Grow() {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(old.empty() ? 16 : old.size() * 2, Slot{});
    size_ = 0;
    for (const Slot& slot : old) {
      if (slot.job != nullptr) Insert(slot.id, slot.job);
    }
  }

  std::vector<Slot> slots_;  // a power of two in size, or empty
  std::size_t size_ = 0;
};

}  // namespace bitsh::fake
