// The job state machine, as two pure tables. Internal to fake/ (not installed).
//
// 1. For calls made through the API: (operation, current state, facts about the job) ->
//    (HRESULT, next state). Sources: Microsoft's IBackgroundCopyJob method pages (Resume, Suspend,
//    Cancel, Complete, AddFile, the Set* pages, GetError) and "Life Cycle of a BITS Job"; where they
//    are silent, the decisions in docs/decisions.md. The table-driven test cites the spec line of
//    every row.
// 2. For every state change the service makes, whoever causes it: (state, cause) -> next state.
//    The service changes a job's state only through NextState (FakeBitsService::SetState), so a
//    change missing from this table is refused and reported as an engine bug, never made. Each
//    row names its rule (the "BG_JOB_STATE enumeration", "Life Cycle of a BITS Job", "Users and
//    Network Connections" pages, the IBackgroundCopyJob method pages, docs/decisions.md).
//
// The API table decides *whether* a call changes the state; the cause table is where every
// change, the API's included, is applied; a test checks the two agree.
#pragma once

#include <cstddef>
#include <iterator>
#include <optional>
#include <span>
#include <string_view>

#include "backend/hresult.h"
#include "backend/job_types.h"

namespace bitsh::fake {

enum class JobOperation {
  kResume,
  kSuspend,
  kCancel,
  kComplete,
  kAddFile,
  kSetProperty,  // any Set* (display name, description, priority, retry delay, timeout, ...)
  kTakeOwnership,
  kGetError,
};

std::string_view ToString(JobOperation operation);

// What the table needs to know beyond the state.
struct JobFacts {
  JobState state = JobState::kSuspended;
  JobType type = JobType::kDownload;
  bool has_files = false;
  bool all_files_transferred = false;  // every file's bytes are in its temporary file
  bool has_error_record = false;       // an error object survives (G5: until TRANSFERRING starts)
};

struct Transition {
  HResult code = hr::kOk;
  JobState next = JobState::kSuspended;
  friend bool operator==(const Transition&, const Transition&) = default;
};

// The outcome of `operation` on a job described by `facts`. Never has side effects.
Transition ApplyOperation(JobOperation operation, const JobFacts& facts);

// Why a job's state changes. The first four are API calls (their outcome decided by
// ApplyOperation first); the rest are the service's own doing.
enum class TransitionCause {
  kResume,               // IBackgroundCopyJob::Resume
  kSuspend,              // IBackgroundCopyJob::Suspend
  kCancel,               // IBackgroundCopyJob::Cancel
  kComplete,             // IBackgroundCopyJob::Complete
  kScheduled,            // the scheduler gives a queued job its turn
  kConnected,            // the server answered the HEAD of the job's next file
  kAllFilesTransferred,  // the last byte of the last file arrived
  kTimeSliceOver,        // a background job yields to another of its priority (round-robin)
  kPreempted,            // a higher-priority job takes the background job's place
  kTransientError,       // a transfer error BITS retries
  kFatalError,           // a transfer error BITS does not retry
  kNoProgressTimeout,    // no progress for the job's no-progress timeout (or that timeout is 0)
  kRetryDelayElapsed,    // the job's minimum retry delay passed
  kNetworkLost,
  kNetworkRestored,
  kOwnerLoggedOff,
  kServiceRestart,       // the service started again from its snapshot
  kValidationFailed,     // the program marked a transferred file invalid (SetValidationState FALSE)
  kMaxDownloadTime,      // the job spent its maximum download time connecting and transferring
  kHeld,                 // transfer is not allowed now: the network costs more than the job's transfer
                         // policy allows, or the MaxInternetBandwidth policy is 0 (background jobs)
  kHoldOver,             // ...and now it is again
  kInactivityTimeout,    // nobody touched the job for JobInactivityTimeout (90 days by default)
};

// Every cause, in the enum's order: NextState indexes its table by a cause's value (checked below).
inline constexpr TransitionCause kAllTransitionCauses[] = {
    TransitionCause::kResume,           TransitionCause::kSuspend,
    TransitionCause::kCancel,           TransitionCause::kComplete,
    TransitionCause::kScheduled,        TransitionCause::kConnected,
    TransitionCause::kAllFilesTransferred, TransitionCause::kTimeSliceOver,
    TransitionCause::kPreempted,        TransitionCause::kTransientError,
    TransitionCause::kFatalError,       TransitionCause::kNoProgressTimeout,
    TransitionCause::kRetryDelayElapsed, TransitionCause::kNetworkLost,
    TransitionCause::kNetworkRestored,  TransitionCause::kOwnerLoggedOff,
    TransitionCause::kServiceRestart,   TransitionCause::kValidationFailed,
    TransitionCause::kMaxDownloadTime,  TransitionCause::kHeld,
    TransitionCause::kHoldOver,         TransitionCause::kInactivityTimeout,
};
static_assert([] {
  for (std::size_t i = 0; i < std::size(kAllTransitionCauses); ++i) {
    if (static_cast<std::size_t>(kAllTransitionCauses[i]) != i) return false;
  }
  return static_cast<std::size_t>(TransitionCause::kInactivityTimeout) + 1 == std::size(kAllTransitionCauses);
}(), "kAllTransitionCauses lists every TransitionCause once, in the enum's order, kInactivityTimeout last");


std::string_view ToString(TransitionCause cause);

// QUEUED, CONNECTING or TRANSFERRING: a job the engine works on (schedules, transfers, times out).
bool IsActive(JobState state);

// One row of the cause table. `to` may equal `from`: the cause is expected there and changes
// nothing (Suspend on a suspended job; the next file's HEAD answered while TRANSFERRING).
struct StateChange {
  JobState from;
  TransitionCause cause;
  JobState to;
  std::string_view source;  // the documented rule the row follows
};

// Every row, in a fixed order. No two rows share (from, cause); no row leaves a final state.
std::span<const StateChange> StateChanges();

// The state a job in `from` enters because of `cause`, or nullopt when the table has no such row
// (the caller has a bug). Never has side effects.
std::optional<JobState> NextState(JobState from, TransitionCause cause);

}  // namespace bitsh::fake
