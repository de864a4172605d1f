// GoogleMock matchers for Status and Result<T>, so tests assert the exact HRESULT:
//   EXPECT_THAT(backend.Resume(job), StatusIs(hr::kEmpty));
//   EXPECT_THAT(load(), StatusIs(hr::kInvalidArg, HasSubstr("line 3")));
//   EXPECT_THAT(backend.GetState(job), HasState(JobState::kQueued));
#pragma once

#include <gmock/gmock.h>

#include "backend/job_types.h"
#include "backend/status.h"

namespace bitsh::testing {

inline const Status& StatusOf(const Status& status) { return status; }
template <typename T>
const Status& StatusOf(const Result<T>& result) { return result.status(); }

MATCHER_P(StatusIs, code, "has HRESULT " + HResultName(code)) {
  const Status& status = StatusOf(arg);
  *result_listener << "which is " << status.ToString();
  return status.code() == code;
}

// The code and a matcher for the message, for errors whose text is part of the contract.
MATCHER_P2(StatusIs, code, message_matcher,
           "has HRESULT " + HResultName(code) + " and a message that " +
               ::testing::DescribeMatcher<std::string>(message_matcher)) {
  const Status& status = StatusOf(arg);
  *result_listener << "which is " << status.ToString();
  return status.code() == code && ::testing::Matches(message_matcher)(status.message());
}

MATCHER(IsOk, "succeeds") {
  const Status& status = StatusOf(arg);
  *result_listener << "which is " << status.ToString();
  return status.ok();
}

MATCHER_P(HasState, state, "is a job in state " + std::string(ToString(state))) {
  if (!arg.ok()) {
    *result_listener << "which failed: " << arg.status().ToString();
    return false;
  }
  *result_listener << "which is " << ToString(*arg);
  return *arg == state;
}

}  // namespace bitsh::testing
