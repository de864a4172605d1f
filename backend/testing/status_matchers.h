// GoogleMock matchers for Status and Result<T>, so tests assert the exact HRESULT:
//   EXPECT_THAT(backend.Resume(job), StatusIs(hr::kEmpty));
//   EXPECT_THAT(load(), StatusIs(hr::kInvalidArg, HasSubstr("line 3")));
//   EXPECT_THAT(backend.GetState(job), HasState(JobState::kQueued));
//   EXPECT_THAT(backend.GetErrorCount(job), HasValue(Ge(1u)));
// and printers, so a failed expectation shows "E_NOTIMPL (0x80004001): ..." and job ids, not bytes.
#pragma once

#include <gmock/gmock.h>

#include <ostream>

#include "backend/job_types.h"
#include "backend/status.h"

namespace bitsh {

// GoogleTest finds these by argument-dependent lookup.
inline void PrintTo(const Status& status, std::ostream* out) { *out << status.ToString(); }
inline void PrintTo(const JobId& job, std::ostream* out) { *out << job.ToString(); }
inline void PrintTo(JobState state, std::ostream* out) { *out << ToString(state); }
inline void PrintTo(JobPriority priority, std::ostream* out) { *out << ToString(priority); }
inline void PrintTo(ErrorContext context, std::ostream* out) { *out << ToString(context); }
inline void PrintTo(const JobProgress& p, std::ostream* out) {
  *out << "{bytes " << p.bytes_transferred << "/" << p.bytes_total << ", files " << p.files_transferred << "/"
       << p.files_total << "}";
}
template <typename T>
void PrintTo(const Result<T>& result, std::ostream* out) {
  if (result.ok()) {
    *out << ::testing::PrintToString(*result);
  } else {
    *out << result.status().ToString();
  }
}

}  // namespace bitsh

namespace bitsh::testing {

inline const Status& StatusOf(const Status& status) { return status; }
template <typename T>
const Status& StatusOf(const Result<T>& result) { return result.status(); }

MATCHER_P(StatusIs, code, "has HRESULT " + HResultName(code)) {
  const Status& status = StatusOf(arg);  // printed by PrintTo above
  return status.code() == code;
}

// The code and a matcher for the message, for errors whose text is part of the contract.
MATCHER_P2(StatusIs, code, message_matcher,
           "has HRESULT " + HResultName(code) + " and a message that " +
               ::testing::DescribeMatcher<std::string>(message_matcher)) {
  const Status& status = StatusOf(arg);  // printed by PrintTo above
  return status.code() == code && ::testing::Matches(message_matcher)(status.message());
}

MATCHER(IsOk, "succeeds") {
  const Status& status = StatusOf(arg);  // printed by PrintTo above
  return status.ok();
}

// A Result that succeeded with a value matching `matcher` (never reads the value of a failure).
MATCHER_P(HasValue, matcher, "succeeds with the expected value") {
  if (!arg.ok()) {
    *result_listener << "which failed";
    return false;
  }
  return ::testing::ExplainMatchResult(matcher, *arg, result_listener);
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
