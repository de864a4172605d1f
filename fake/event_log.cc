#include "fake/event_log.h"

#include <cstdio>

namespace bitsh::fake {

void EventLog::Add(TimePoint at, std::string job, std::string kind, std::string detail,
                   std::optional<JobState> state) {
  events_.push_back(LogEvent{at - start_, std::move(job), std::move(kind), std::move(detail), state});
}

std::vector<JobState> EventLog::StatesOf(const std::string& job) const {
  std::vector<JobState> states;
  for (const LogEvent& event : events_) {
    if (event.job == job && event.state) states.push_back(*event.state);
  }
  return states;
}

std::string EventLog::FormatLine(const LogEvent& event) {
  // Integer milliseconds: no floating point, so the text is identical on every platform.
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(event.at).count();
  char time[32];
  std::snprintf(time, sizeof time, "+%lld.%03llds", static_cast<long long>(ms / 1000),
                static_cast<long long>(ms % 1000));
  return std::string(time) + " " + event.job + " " + event.kind + " " + event.detail;
}

std::string EventLog::ToText() const {
  std::string text;
  for (const LogEvent& event : events_) text += FormatLine(event) + "\n";
  return text;
}

}  // namespace bitsh::fake
