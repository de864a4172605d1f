#include "fake/event_log.h"

#include <cstdio>
#include <sstream>

namespace bitsh::fake {

void EventLog::Add(TimePoint at, std::string_view job, std::string_view kind, std::string_view detail,
                   std::optional<JobState> state) {
  if (state) histories_[HistoryOf(job)].push_back(static_cast<std::uint8_t>(*state));
  Write(at, job, kind, detail, state);
}

void EventLog::AddState(TimePoint at, std::string_view job, StateTrack& track, std::string_view detail,
                        JobState state) {
  if (track.index_ == StateTrack::kNone) track.index_ = HistoryOf(job);
  histories_[track.index_].push_back(static_cast<std::uint8_t>(state));
  Write(at, job, "state", detail, state);
}

std::size_t EventLog::HistoryOf(std::string_view job) {
  auto found = history_of_.find(job);
  if (found == history_of_.end()) {
    found = history_of_.emplace(std::string(job), histories_.size()).first;
    histories_.emplace_back();
  }
  return found->second;
}

void EventLog::Write(TimePoint at, std::string_view job, std::string_view kind, std::string_view detail,
                     std::optional<JobState> state) {
  LogEvent* slot;
  if (lines_kept_ == 0) {  // the listeners hear the line, nobody keeps it
    slot = &unkept_;
    ++dropped_;
  } else if (ring_.size() < lines_kept_) {
    slot = &ring_.emplace_back();
  } else {
    // Full: the new event takes the oldest one's place, and its strings take the new text in the
    // memory they already have (a run of weeks adds millions of lines and keeps a few thousand).
    slot = &ring_[oldest_];
    oldest_ = oldest_ + 1 == ring_.size() ? 0 : oldest_ + 1;
    ++dropped_;
  }
  slot->at = at - start_;
  slot->job.assign(job);
  slot->kind.assign(kind);
  slot->detail.assign(detail);
  slot->state = state;
  for (const Listener& listener : listeners_) listener(*slot);
}

std::vector<JobState> EventLog::StatesOf(const std::string& job) const {
  std::vector<JobState> states;
  const auto found = history_of_.find(job);
  if (found == history_of_.end()) return states;
  const std::vector<std::uint8_t>& history = histories_[found->second];
  states.reserve(history.size());
  for (std::uint8_t state : history) states.push_back(static_cast<JobState>(state));
  return states;
}

std::string EventLog::DroppedLine(std::uint64_t dropped) {
  return "(" + std::to_string(dropped) + " earlier lines not kept)";
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
  std::string text = dropped_ == 0 ? "" : DroppedLine(dropped_) + "\n";
  for (const LogEvent& event : events()) text += FormatLine(event) + "\n";
  return text;
}

std::string EventLog::FirstDifference(const std::string& a, const std::string& b) {
  std::istringstream left(a), right(b);
  std::string line_a, line_b;
  for (int line = 1;; ++line) {
    const bool more_a = static_cast<bool>(std::getline(left, line_a));
    const bool more_b = static_cast<bool>(std::getline(right, line_b));
    if (!more_a && !more_b) return "";
    if (!more_a) line_a = "(end)";
    if (!more_b) line_b = "(end)";
    if (line_a != line_b) return "line " + std::to_string(line) + ": '" + line_a + "' vs '" + line_b + "'";
  }
}

}  // namespace bitsh::fake
