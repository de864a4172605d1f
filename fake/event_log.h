// EventLog: what happened inside the fake, in virtual-time order, for tests and traces.
//
// Every state change, API call that changed something, transfer step, error, retry, logon and
// restart is one LogEvent. ToText() renders one line per event; two runs with the same inputs and
// seed give byte-identical text, which the determinism tests compare.
#pragma once

#include <optional>
#include <string>
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
  explicit EventLog(TimePoint start) : start_(start) {}

  void Add(TimePoint at, std::string job, std::string kind, std::string detail,
           std::optional<JobState> state = std::nullopt);

  const std::vector<LogEvent>& events() const { return events_; }

  // The states `job` entered, in order.
  std::vector<JobState> StatesOf(const std::string& job) const;

  // "+600.000s {JOB} state TRANSIENT_ERROR -> QUEUED" lines, one per event.
  std::string ToText() const;
  static std::string FormatLine(const LogEvent& event);
  // Where two trace texts first differ ("line 12: 'a' vs 'b'"), or "" when they are identical.
  static std::string FirstDifference(const std::string& a, const std::string& b);

 private:
  TimePoint start_;
  std::vector<LogEvent> events_;
};

}  // namespace bitsh::fake
