#include "fake/event_log.h"

#include <cassert>
#include <cstdio>
#include <limits>
#include <sstream>

namespace bitsh::fake {

void EventLog::Add(TimePoint at, std::string_view job, std::string_view kind, std::string_view detail,
                   std::optional<JobState> state) {
  Write(at, JobOf(job), kind, detail, state);
}

void EventLog::Add(TimePoint at, std::string_view job, JobTrack& track, std::string_view kind,
                   std::string_view detail, std::optional<JobState> state) {
  if (track.index_ == JobTrack::kNone) track.index_ = JobOf(job);
  Write(at, track.index_, kind, detail, state);
}

std::uint32_t EventLog::JobOf(std::string_view job) {
  if ((jobs_.size() + 1) * 2 > job_slots_.size()) GrowJobSlots();
  const std::size_t hash = TextHash{}(job);
  JobSlot& slot = job_slots_[SlotOf(job, hash)];
  if (slot.job == JobTrack::kNone) {
    assert(jobs_.size() < JobTrack::kNone);
    slot = JobSlot{static_cast<std::uint32_t>(jobs_.size()), HashCheck(hash)};
    jobs_.push_back({std::string(job), hash, {}});
  }
  return slot.job;
}

std::size_t EventLog::SlotOf(std::string_view job, std::size_t hash) const {
  std::size_t at = FirstSlot(hash);
  for (; job_slots_[at].job != JobTrack::kNone; at = NextSlot(at)) {
    const JobSlot& slot = job_slots_[at];
    if (slot.hash_check == HashCheck(hash) && jobs_[slot.job].text == job) break;
  }
  return at;
}

void EventLog::GrowJobSlots() {
  job_slots_.assign(job_slots_.empty() ? 64 : job_slots_.size() * 2, JobSlot{});
  for (std::size_t index = 0; index < jobs_.size(); ++index) {
    const Job& job = jobs_[index];
    job_slots_[SlotOf(job.text, job.hash)] = JobSlot{static_cast<std::uint32_t>(index), HashCheck(job.hash)};
  }
}

std::uint16_t EventLog::KindOf(std::string_view kind) {
  auto found = kind_of_.find(kind);
  if (found == kind_of_.end()) {
    assert(kinds_.size() < std::numeric_limits<std::uint16_t>::max());  // kinds are a few dozen words
    found = kind_of_.emplace(std::string(kind), static_cast<std::uint32_t>(kinds_.size())).first;
    kinds_.emplace_back(kind);
  }
  return static_cast<std::uint16_t>(found->second);
}

void EventLog::Write(TimePoint at, std::uint32_t job, std::string_view kind, std::string_view detail,
                     std::optional<JobState> state) {
  if (state) jobs_[job].states.push_back(static_cast<std::uint8_t>(*state));
  if (lines_kept_ == 0) {  // the listeners hear the line, nobody keeps it
    ++dropped_;
  } else {
    Line* line;
    if (ring_.size() < lines_kept_) {
      line = &ring_.emplace_back();
    } else {  // full: the new line takes the oldest one's place, and its detail the oldest's room
      line = &ring_[oldest_];
      oldest_ = oldest_ + 1 == ring_.size() ? 0 : oldest_ + 1;
      ++dropped_;
      details_.DropUntil(line->detail_position + line->detail_size);
    }
    line->at = at - start_;
    assert(detail.size() <= std::numeric_limits<std::uint32_t>::max());  // a line, not a file
    line->detail_position = details_.Push(detail);
    line->detail_size = static_cast<std::uint32_t>(detail.size());
    line->job = job;
    line->kind = KindOf(kind);
    line->state = state;
  }
  if (listeners_.empty()) return;
  heard_.at = at - start_;
  heard_.job.assign(jobs_[job].text);
  heard_.kind.assign(kind);
  heard_.detail.assign(detail);
  heard_.state = state;
  for (const Listener& listener : listeners_) listener(heard_);
}

LogEvent EventLog::EventOf(const Line& line) const {
  return LogEvent{line.at, jobs_[line.job].text, kinds_[line.kind],
                  std::string(details_.View(line.detail_position, line.detail_size)), line.state};
}

std::vector<JobState> EventLog::StatesOf(const std::string& job) const {
  std::vector<JobState> states;
  if (job_slots_.empty()) return states;
  const JobSlot& slot = job_slots_[SlotOf(job, TextHash{}(job))];
  if (slot.job == JobTrack::kNone) return states;
  const std::vector<std::uint8_t>& history = jobs_[slot.job].states;
  states.reserve(history.size());
  for (std::uint8_t state : history) states.push_back(static_cast<JobState>(state));
  return states;
}

std::string EventLog::DroppedLine(std::uint64_t dropped) {
  return "(" + std::to_string(dropped) + " earlier lines not kept)";
}

void EventLog::AppendLine(std::string& text, Duration at, std::string_view job, std::string_view kind,
                          std::string_view detail) {
  // Integer milliseconds: no floating point, so the text is identical on every platform.
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(at).count();
  char time[32];
  const int length = std::snprintf(time, sizeof time, "+%lld.%03llds", static_cast<long long>(ms / 1000),
                                   static_cast<long long>(ms % 1000));
  text.append(time, static_cast<std::size_t>(length));
  text += ' ';
  text += job;
  text += ' ';
  text += kind;
  text += ' ';
  text += detail;
}

std::string EventLog::FormatLine(const LogEvent& event) {
  std::string line;
  AppendLine(line, event.at, event.job, event.kind, event.detail);
  return line;
}

std::string EventLog::ToText() const {
  std::string text = dropped_ == 0 ? "" : DroppedLine(dropped_) + "\n";
  for (std::size_t i = 0; i < ring_.size(); ++i) {
    const Line& line = LineAt(i);
    AppendLine(text, line.at, jobs_[line.job].text, kinds_[line.kind], details_.View(line.detail_position, line.detail_size));
    text += '\n';
  }
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
