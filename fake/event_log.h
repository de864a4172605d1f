// EventLog: what happened inside the fake, in virtual-time order, for tests and traces.
//
// Every state change, API call that changed something, transfer step, error, retry, logon and
// restart is one LogEvent. ToText() renders one line per event; two runs with the same inputs and
// seed give byte-identical text, which the determinism tests compare.
//
// The log is bounded: it keeps the most recent `lines_kept` events (FakeOptions::log_lines_kept)
// and counts the ones it let go, so that a run of weeks of virtual time holds megabytes, not
// gigabytes. What must survive the bound survives it: every job's states (StatesOf) are kept whole,
// and a listener sees each event as it is added, before it can be dropped: that is how a caller
// streams the full trace to a file or keeps the lines its checks need (the scenario runner keeps
// the callbacks and renames its expectations read).
#pragma once

#include <cstdint>
#include <cstddef>
#include <iterator>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "backend/job_types.h"
#include "fake/text_queue.h"

namespace bitsh::fake {

struct LogEvent {
  Duration at;                     // virtual time since the simulation started
  std::string job;                 // job id text, or "-" for service-wide events
  std::string kind;                // "state", "create", "progress", "error", "user", ...
  std::string detail;              // human-readable rest of the line
  std::optional<JobState> state;   // for kind "state": the state entered
};

class EventLog {
 public:
  static constexpr std::size_t kKeepAll = std::numeric_limits<std::size_t>::max();
  // Called with each event as it is added. It must not add to the log. The event is the log's
  // own, rebuilt for each line: valid during the call only (a listener that keeps it copies it).
  using Listener = std::function<void(const LogEvent&)>;

  explicit EventLog(TimePoint start, std::size_t lines_kept = kKeepAll) : start_(start), lines_kept_(lines_kept) {}

  // `job`, `kind` and `detail` are copied. REQUIRES: they do not view the event a listener was
  // given (the log rebuilds it for the new line).
  void Add(TimePoint at, std::string_view job, std::string_view kind, std::string_view detail,
           std::optional<JobState> state = std::nullopt);

  // Where the log keeps one job, for a caller that writes many lines of that job (the engine keeps
  // one in each job): the first Add through it finds the job by its text and fills the track, the
  // next ones go straight to the job. Valid as long as the log.
  class JobTrack {
    friend class EventLog;
    static constexpr std::uint32_t kNone = std::numeric_limits<std::uint32_t>::max();
    std::uint32_t index_ = kNone;  // in the log's jobs_
  };
  // The same as Add(at, job, kind, detail, state); `track` is empty or was filled for `job`.
  void Add(TimePoint at, std::string_view job, JobTrack& track, std::string_view kind, std::string_view detail,
           std::optional<JobState> state = std::nullopt);

  // Calls `listener` for every event added from now on, after the ones added before it. Listeners
  // are called in the order they were added; they cannot be removed, so each must live as long as
  // the log (the scenario runner owns the machine whose log it listens to).
  void AddListener(Listener listener) { listeners_.push_back(std::move(listener)); }

  // The kept events, oldest first, as a container view of the log: each element is a LogEvent made
  // when it is read (the log keeps its lines in a compact form). Valid until the next Add.
  class KeptEvents;
  KeptEvents events() const;
  // Events added and no longer kept (the oldest ones), and all events ever added.
  std::uint64_t dropped() const { return dropped_; }
  std::uint64_t added() const { return dropped_ + ring_.size(); }

  // The states `job` entered, in order: all of them, whatever the bound dropped.
  std::vector<JobState> StatesOf(const std::string& job) const;

  // "+600.000s {JOB} state TRANSIENT_ERROR -> QUEUED" lines, one per kept event, after a first
  // line "(N earlier lines not kept)" when the bound dropped some.
  std::string ToText() const;
  static std::string FormatLine(const LogEvent& event);
  // The first line of ToText() when `dropped` lines were not kept.
  static std::string DroppedLine(std::uint64_t dropped);
  // Where two trace texts first differ ("line 12: 'a' vs 'b'"), or "" when they are identical.
  static std::string FirstDifference(const std::string& a, const std::string& b);

 private:
  // A kept line: its job and kind by index, its detail in details_. A run of weeks writes
  // millions of lines; as LogEvents, each line's job text and detail were two allocations while
  // the log filled and two frees when it was let go.
  struct Line {
    Duration at;
    std::uint64_t detail_position;  // in details_
    std::uint32_t detail_size;
    std::uint32_t job;              // in jobs_
    std::uint16_t kind;             // in kinds_
    std::optional<JobState> state;
  };
  // A job the log has seen: its text, and one byte per state entered (JobState's values fit), so
  // weeks of retries of a thousand jobs stay a few megabytes.
  struct Job {
    std::string text;
    std::size_t hash;  // of text, kept for the slots' growth
    std::vector<std::uint8_t> states;
  };
  // A slot of the job index: a job by index, with the high half of its hash so that a probe past
  // other jobs compares no text (the slot is chosen by the low bits, so the high ones tell more
  // jobs apart). `job` is kNone in an empty slot.
  struct JobSlot {
    std::uint32_t job = JobTrack::kNone;
    std::uint32_t hash_check = 0;
  };
  static std::uint32_t HashCheck(std::size_t hash) { return static_cast<std::uint32_t>(static_cast<std::uint64_t>(hash) >> 32); }
  struct TextHash {  // looked up by string_view: a line builds no key
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
  };
  using TextIndex = std::unordered_map<std::string, std::uint32_t, TextHash, std::equal_to<>>;

  // The index of `job` in jobs_, added when it is new.
  std::uint32_t JobOf(std::string_view job);
  // Where the probe for `hash` starts and goes on in job_slots_ (a power of two in size).
  std::size_t FirstSlot(std::size_t hash) const { return hash & (job_slots_.size() - 1); }
  std::size_t NextSlot(std::size_t slot) const { return (slot + 1) & (job_slots_.size() - 1); }
  // The slot holding `job` with this hash, or the empty slot where it would go.
  std::size_t SlotOf(std::string_view job, std::size_t hash) const;
  void GrowJobSlots();
  std::uint16_t KindOf(std::string_view kind);
  void Write(TimePoint at, std::uint32_t job, std::string_view kind, std::string_view detail,
             std::optional<JobState> state);
  // The index-th oldest kept line, and the LogEvent it reads as.
  const Line& LineAt(std::size_t index) const {
    const std::size_t at = oldest_ + index;
    return ring_[at < ring_.size() ? at : at - ring_.size()];
  }
  LogEvent EventOf(const Line& line) const;
  static void AppendLine(std::string& text, Duration at, std::string_view job, std::string_view kind,
                         std::string_view detail);

  TimePoint start_;
  std::size_t lines_kept_;
  // The kept lines in a ring: ring_[oldest_] is the oldest, and a full log writes the new line
  // over it. (A deque moved every new line in and the oldest out: a fifth of the time of a run of
  // weeks, in cache misses.) The details, in the same order, in one buffer.
  std::vector<Line> ring_;
  std::size_t oldest_ = 0;
  TextQueue details_;
  std::uint64_t dropped_ = 0;
  // Every job seen, in one array (a JobTrack keeps the index), found by its text through
  // job_slots_, an open-addressing table at most half full (linear probing). A node-based map made
  // the first line of each job an allocation and a search through nodes no cache held: with
  // 100,000 jobs, a fifth of the time of creating them (docs/performance.md, "Scaling").
  std::vector<Job> jobs_;
  std::vector<JobSlot> job_slots_;
  std::vector<std::string> kinds_;  // a few dozen
  TextIndex kind_of_;
  std::vector<Listener> listeners_;
  LogEvent heard_;  // the line the listeners hear, rebuilt in place for each line
};

class EventLog::KeptEvents {
 public:
  // Reading an element makes its LogEvent: `*it` is a value, and `it->` holds one.
  class const_iterator {
   public:
    using iterator_category = std::input_iterator_tag;  // a value, not a reference
    using iterator_concept = std::forward_iterator_tag;
    using value_type = LogEvent;
    using difference_type = std::ptrdiff_t;
    using reference = LogEvent;
    struct pointer {
      LogEvent event;
      const LogEvent* operator->() const { return &event; }
    };
    const_iterator() = default;
    // Holds the log, not the view: an iterator outlives the view that made it.
    const_iterator(const EventLog& log, std::size_t index) : log_(&log), index_(index) {}
    LogEvent operator*() const { return log_->EventOf(log_->LineAt(index_)); }
    pointer operator->() const { return {**this}; }
    const_iterator& operator++() {
      ++index_;
      return *this;
    }
    const_iterator operator++(int) {
      const_iterator before = *this;
      ++index_;
      return before;
    }
    friend bool operator==(const const_iterator& a, const const_iterator& b) { return a.index_ == b.index_; }

   private:
    const EventLog* log_ = nullptr;
    std::size_t index_ = 0;
  };
  using value_type = LogEvent;
  using iterator = const_iterator;
  using size_type = std::size_t;
  using reference = LogEvent;
  using const_reference = LogEvent;

  explicit KeptEvents(const EventLog& log) : log_(log) {}
  std::size_t size() const { return log_.ring_.size(); }
  bool empty() const { return log_.ring_.empty(); }
  // The index-th oldest kept event.
  LogEvent operator[](std::size_t index) const { return log_.EventOf(log_.LineAt(index)); }
  LogEvent front() const { return (*this)[0]; }
  LogEvent back() const { return (*this)[size() - 1]; }
  const_iterator begin() const { return {log_, 0}; }
  const_iterator end() const { return {log_, size()}; }

 private:
  const EventLog& log_;
};

inline EventLog::KeptEvents EventLog::events() const { return KeptEvents(*this); }

}  // namespace bitsh::fake
