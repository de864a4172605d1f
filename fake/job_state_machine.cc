#include "fake/job_state_machine.h"

namespace bitsh::fake {
namespace {

bool IsActive(JobState state) {
  return state == JobState::kQueued || state == JobState::kConnecting ||
         state == JobState::kTransferring;
}

Transition Resume(const JobFacts& facts) {
  switch (facts.state) {
    case JobState::kSuspended:
      if (!facts.has_files) return {hr::kEmpty, JobState::kSuspended};
      return {hr::kOk, JobState::kQueued};  // the scheduler finds out whether bytes remain
    case JobState::kTransientError:
    case JobState::kError:
      return {hr::kOk, JobState::kQueued};  // a manual retry, at once
    case JobState::kTransferred:
      // G3: stays TRANSFERRED unless files were added after the transfer.
      return {hr::kOk, facts.all_files_transferred ? JobState::kTransferred : JobState::kQueued};
    default:
      return {hr::kOk, facts.state};  // QUEUED / CONNECTING / TRANSFERRING: nothing to do
  }
}

Transition Complete(const JobFacts& facts) {
  if (facts.type != JobType::kDownload) {
    if (facts.state == JobState::kTransferred) return {hr::kOk, JobState::kAcknowledged};
    return {hr::kInvalidState, facts.state};
  }
  // G4: S_OK when there is nothing left unfinished (including a job with no files).
  const bool whole = !facts.has_files || facts.all_files_transferred;
  return {whole ? hr::kOk : hr::kPartialComplete, JobState::kAcknowledged};
}

}  // namespace

std::string_view ToString(JobOperation operation) {
  switch (operation) {
    case JobOperation::kResume: return "Resume";
    case JobOperation::kSuspend: return "Suspend";
    case JobOperation::kCancel: return "Cancel";
    case JobOperation::kComplete: return "Complete";
    case JobOperation::kAddFile: return "AddFile";
    case JobOperation::kSetProperty: return "SetProperty";
    case JobOperation::kTakeOwnership: return "TakeOwnership";
    case JobOperation::kGetError: return "GetError";
  }
  return "?";
}

Transition ApplyOperation(JobOperation operation, const JobFacts& facts) {
  if (operation == JobOperation::kGetError) {
    const bool available = facts.state == JobState::kError ||
                           facts.state == JobState::kTransientError ||
                           (facts.has_error_record && IsActive(facts.state) &&
                            facts.state != JobState::kTransferring);
    return {available ? hr::kOk : hr::kErrorInformationUnavailable, facts.state};
  }
  if (IsFinal(facts.state)) return {hr::kInvalidState, facts.state};
  switch (operation) {
    case JobOperation::kResume: return Resume(facts);
    case JobOperation::kSuspend: return {hr::kOk, JobState::kSuspended};
    case JobOperation::kCancel: return {hr::kOk, JobState::kCancelled};
    case JobOperation::kComplete: return Complete(facts);
    case JobOperation::kAddFile:
    case JobOperation::kSetProperty:
    case JobOperation::kTakeOwnership:
      return {hr::kOk, facts.state};
    case JobOperation::kGetError:
      break;
  }
  return {hr::kFail, facts.state};
}

}  // namespace bitsh::fake
