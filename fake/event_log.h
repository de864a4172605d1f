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
  // Called with each event as it is added. It must not add to the log.
  using Listener = std::function<void(const LogEvent&)>;

  explicit EventLog(TimePoint start, std::size_t lines_kept = kKeepAll) : start_(start), lines_kept_(lines_kept) {}

  // `job`, `kind` and `detail` are copied; they must not point into this log's own lines (a full
  // log reuses its oldest line's memory for the new one).
  void Add(TimePoint at, std::string_view job, std::string_view kind, std::string_view detail,
           std::optional<JobState> state = std::nullopt);

  // Where the log keeps one job's states, for a caller that writes many state lines of that job
  // (the engine keeps one in each job): the first AddState finds the job's list by its text and
  // fills the track, the next ones go straight to the list. Valid as long as the log.
  class StateTrack {
    friend class EventLog;
    static constexpr std::size_t kNone = std::numeric_limits<std::size_t>::max();
    std::size_t index_ = kNone;  // in the log's histories_
  };
  // The same as Add(at, job, "state", detail, state); `track` is empty or was filled for `job`.
  void AddState(TimePoint at, std::string_view job, StateTrack& track, std::string_view detail, JobState state);

  // Calls `listener` for every event added from now on, after the ones added before it. Listeners
  // are called in the order they were added; they cannot be removed, so each must live as long as
  // the log (the scenario runner owns the machine whose log it listens to).
  void AddListener(Listener listener) { listeners_.push_back(std::move(listener)); }

  // The kept events, oldest first, as a container view of the log's ring: valid until the next Add.
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
  TimePoint start_;
  std::size_t lines_kept_;
  // The kept events in a ring: ring_[oldest_] is the oldest, and a full log writes the new event
  // over it, in place, in the memory its strings already have. (A deque moved every new event in
  // and the oldest out: a fifth of the time of a run of weeks, in cache misses.)
  std::vector<LogEvent> ring_;
  std::size_t oldest_ = 0;
  LogEvent unkept_;  // with a bound of 0: the event the listeners hear, kept by nobody
  std::uint64_t dropped_ = 0;
  // One byte per state entered (JobState's values fit): weeks of retries of a thousand jobs stay a
  // few megabytes.
  // Looked up by string_view (transparent), so a state line builds no key after a job's first.
  struct TextHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
  };
  // Each job's list in one array, found by the job's text through the map (a StateTrack keeps the
  // index): the lists' headers sit together, so a state line of a thousand jobs' run finds its
  // job's list in cache (a header in each map node was a cache miss per line).
  std::unordered_map<std::string, std::size_t, TextHash, std::equal_to<>> history_of_;
  std::vector<std::vector<std::uint8_t>> histories_;
  std::size_t HistoryOf(std::string_view job);
  void Write(TimePoint at, std::string_view job, std::string_view kind, std::string_view detail,
             std::optional<JobState> state);
  std::vector<Listener> listeners_;
};

class EventLog::KeptEvents {
 public:
  class const_iterator {
   public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = LogEvent;
    using difference_type = std::ptrdiff_t;
    using pointer = const LogEvent*;
    using reference = const LogEvent&;
    const_iterator() = default;
    // Holds the log's ring, not the view: an iterator outlives the view that made it.
    const_iterator(const KeptEvents& events, std::size_t index)
        : ring_(&events.ring_), oldest_(events.oldest_), index_(index) {}
    reference operator*() const { return At(*ring_, oldest_, index_); }
    pointer operator->() const { return &At(*ring_, oldest_, index_); }
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
    const std::vector<LogEvent>* ring_ = nullptr;
    std::size_t oldest_ = 0;
    std::size_t index_ = 0;
  };
  using value_type = LogEvent;
  using iterator = const_iterator;
  using size_type = std::size_t;
  using reference = const LogEvent&;
  using const_reference = const LogEvent&;

  KeptEvents(const std::vector<LogEvent>& ring, std::size_t oldest) : ring_(ring), oldest_(oldest) {}
  std::size_t size() const { return ring_.size(); }
  bool empty() const { return ring_.empty(); }
  // The index-th oldest kept event.
  const LogEvent& operator[](std::size_t index) const { return At(ring_, oldest_, index); }
  const LogEvent& front() const { return (*this)[0]; }
  const LogEvent& back() const { return (*this)[size() - 1]; }
  const_iterator begin() const { return {*this, 0}; }
  const_iterator end() const { return {*this, size()}; }

 private:
  static const LogEvent& At(const std::vector<LogEvent>& ring, std::size_t oldest, std::size_t index) {
    const std::size_t at = oldest + index;
    return ring[at < ring.size() ? at : at - ring.size()];
  }

  const std::vector<LogEvent>& ring_;
  std::size_t oldest_;
};

inline EventLog::KeptEvents EventLog::events() const { return KeptEvents(ring_, oldest_); }

}  // namespace bitsh::fake
