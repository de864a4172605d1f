// The job state machine for calls made through the API, as a pure table:
// (operation, current state, facts about the job) -> (HRESULT, next state).
//
// Sources: Microsoft's IBackgroundCopyJob method pages (Resume, Suspend, Cancel, Complete, AddFile,
// the Set* pages, GetError) and "Life Cycle of a BITS Job"; where they are silent, the decisions in
// docs/decisions.md. Internal
// transitions (scheduler, errors, retries) live in the service; this table is what a client can do.
// The table-driven test cites the spec line of every row.
#pragma once

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

}  // namespace bitsh::fake
