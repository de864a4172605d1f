// GoogleMock matchers over the fake's EventLog:
//   EXPECT_THAT(service.log(), TransitionedThrough(job, {kQueued, kTransientError, kTransferred}));
#pragma once

#include <gmock/gmock.h>

#include <string>
#include <vector>

#include "fake/event_log.h"

namespace bitsh::fake::testing {

inline std::string StatesText(const std::vector<JobState>& states) {
  std::string text;
  for (JobState state : states) text += (text.empty() ? "" : " -> ") + std::string(ToString(state));
  return text.empty() ? "(none)" : text;
}

// The job entered the given states in this order (other states may come between them).
MATCHER_P2(TransitionedThrough, job, states, "entered " + StatesText(states) + " in order") {
  const std::vector<JobState> seen = arg.StatesOf(job.ToString());
  *result_listener << "whose states were " << StatesText(seen);
  std::size_t next = 0;
  for (JobState state : seen) {
    if (next < states.size() && state == states[next]) ++next;
  }
  return next == states.size();
}

// The job never entered `state`.
MATCHER_P2(NeverEntered, job, state, "never entered " + std::string(ToString(state))) {
  const std::vector<JobState> seen = arg.StatesOf(job.ToString());
  *result_listener << "whose states were " << StatesText(seen);
  return std::find(seen.begin(), seen.end(), state) == seen.end();
}

}  // namespace bitsh::fake::testing
