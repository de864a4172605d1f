#include "fake/job_state_machine.h"

#include <array>

namespace bitsh::fake {

bool IsActive(JobState state) {
  return state == JobState::kQueued || state == JobState::kConnecting || state == JobState::kTransferring;
}

namespace {

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

using S = JobState;
using C = TransitionCause;

// Every state change the service makes. Sources are Microsoft's page names; "T<n>" is the row of
// the internal-transition table in the project's behaviour notes (spec §2.3) that the row follows.
constexpr StateChange kStateChanges[] = {
    // The API (ApplyOperation decides whether the call changes the state; these rows apply it).
    {S::kSuspended, C::kResume, S::kQueued, "IBackgroundCopyJob::Resume: a suspended job with files is queued"},
    {S::kTransientError, C::kResume, S::kQueued, "IBackgroundCopyJob::Resume: a manual retry, at once (Wine's qmgr tests, on Windows)"},
    {S::kError, C::kResume, S::kQueued, "IBackgroundCopyJob::Resume: restarts a job in ERROR"},
    {S::kTransferred, C::kResume, S::kQueued, "IBackgroundCopyJob::Resume after AddFile on a transferred job (docs/decisions.md G3)"},
    {S::kSuspended, C::kSuspend, S::kSuspended, "IBackgroundCopyJob::Suspend: a suspended job stays suspended"},
    {S::kQueued, C::kSuspend, S::kSuspended, "IBackgroundCopyJob::Suspend"},
    {S::kConnecting, C::kSuspend, S::kSuspended, "IBackgroundCopyJob::Suspend: the connection is dropped"},
    {S::kTransferring, C::kSuspend, S::kSuspended, "IBackgroundCopyJob::Suspend: the transfer stops"},
    {S::kTransientError, C::kSuspend, S::kSuspended, "IBackgroundCopyJob::Suspend: no retry while suspended"},
    {S::kError, C::kSuspend, S::kSuspended, "IBackgroundCopyJob::Suspend"},
    {S::kTransferred, C::kSuspend, S::kSuspended, "IBackgroundCopyJob::Suspend"},
    {S::kSuspended, C::kCancel, S::kCancelled, "IBackgroundCopyJob::Cancel; Life Cycle of a BITS Job (final state)"},
    {S::kQueued, C::kCancel, S::kCancelled, "IBackgroundCopyJob::Cancel"},
    {S::kConnecting, C::kCancel, S::kCancelled, "IBackgroundCopyJob::Cancel"},
    {S::kTransferring, C::kCancel, S::kCancelled, "IBackgroundCopyJob::Cancel"},
    {S::kTransientError, C::kCancel, S::kCancelled, "IBackgroundCopyJob::Cancel"},
    {S::kError, C::kCancel, S::kCancelled, "IBackgroundCopyJob::Cancel"},
    {S::kTransferred, C::kCancel, S::kCancelled, "IBackgroundCopyJob::Cancel"},
    {S::kSuspended, C::kComplete, S::kAcknowledged, "IBackgroundCopyJob::Complete: finished files kept (BG_S_PARTIAL_COMPLETE)"},
    {S::kQueued, C::kComplete, S::kAcknowledged, "IBackgroundCopyJob::Complete: finished files kept"},
    {S::kConnecting, C::kComplete, S::kAcknowledged, "IBackgroundCopyJob::Complete: finished files kept"},
    {S::kTransferring, C::kComplete, S::kAcknowledged, "IBackgroundCopyJob::Complete: finished files kept"},
    {S::kTransientError, C::kComplete, S::kAcknowledged, "IBackgroundCopyJob::Complete: finished files kept"},
    {S::kError, C::kComplete, S::kAcknowledged, "IBackgroundCopyJob::Complete: finished files kept"},
    {S::kTransferred, C::kComplete, S::kAcknowledged, "IBackgroundCopyJob::Complete; Life Cycle of a BITS Job"},
    // Scheduling.
    {S::kQueued, C::kScheduled, S::kConnecting, "T1; Life Cycle of a BITS Job"},
    {S::kConnecting, C::kConnected, S::kTransferring, "T2; BG_JOB_STATE enumeration (CONNECTING)"},
    {S::kTransferring, C::kConnected, S::kTransferring, "BG_JOB_STATE enumeration: files of a job go one after another"},
    {S::kTransferring, C::kAllFilesTransferred, S::kTransferred, "T5; BG_JOB_STATE enumeration; BG_JOB_TIMES structure"},
    {S::kTransferring, C::kTimeSliceOver, S::kQueued, "T4; Life Cycle of a BITS Job (round-robin)"},
    {S::kConnecting, C::kPreempted, S::kQueued, "BG_JOB_PRIORITY enumeration: a higher priority preempts"},
    {S::kTransferring, C::kPreempted, S::kQueued, "BG_JOB_PRIORITY enumeration: a higher priority preempts"},
    // Errors, retries and the no-progress timeout.
    {S::kConnecting, C::kTransientError, S::kTransientError, "T3; BG_JOB_STATE enumeration (CONNECTING)"},
    {S::kTransferring, C::kTransientError, S::kTransientError, "T7; IBackgroundCopyJob::GetErrorCount"},
    {S::kConnecting, C::kFatalError, S::kError, "T6; BG_JOB_STATE enumeration (ERROR)"},
    {S::kTransferring, C::kFatalError, S::kError, "T6; BG_JOB_STATE enumeration (ERROR); IBackgroundCopyJob::AddFile"},
    {S::kConnecting, C::kNoProgressTimeout, S::kError, "T9, T10; IBackgroundCopyJob::SetNoProgressTimeout"},
    {S::kTransferring, C::kNoProgressTimeout, S::kError, "T9, T10; IBackgroundCopyJob::SetNoProgressTimeout"},
    {S::kTransientError, C::kNoProgressTimeout, S::kError, "T9; IBackgroundCopyJob::SetNoProgressTimeout"},
    {S::kTransientError, C::kRetryDelayElapsed, S::kQueued, "T8; IBackgroundCopyJob::SetMinimumRetryDelay"},
    // The network, the owner and the service.
    {S::kQueued, C::kNetworkLost, S::kTransientError, "T11; Users and Network Connections (BG_E_NETWORK_DISCONNECTED)"},
    {S::kConnecting, C::kNetworkLost, S::kTransientError, "T11; Users and Network Connections"},
    {S::kTransferring, C::kNetworkLost, S::kTransientError, "T11; Users and Network Connections"},
    {S::kTransientError, C::kNetworkRestored, S::kQueued, "T12; Users and Network Connections (whatever the error)"},
    {S::kConnecting, C::kOwnerLoggedOff, S::kQueued, "T13; Users and Network Connections"},
    {S::kTransferring, C::kOwnerLoggedOff, S::kQueued, "T13; BG_JOB_STATE enumeration (QUEUED); Users and Network Connections"},
    {S::kConnecting, C::kServiceRestart, S::kQueued, "About BITS (jobs survive reboots); docs/decisions.md"},
    {S::kTransferring, C::kServiceRestart, S::kQueued, "About BITS (jobs survive reboots); docs/decisions.md"},
    // IBackgroundCopyFile3::SetValidationState(FALSE): "the job moves to the error state", whatever
    // it was doing (a file is validated once transferred; the job may be on a later one, or done).
    {S::kSuspended, C::kValidationFailed, S::kError, "T20; IBackgroundCopyFile3::SetValidationState"},
    {S::kQueued, C::kValidationFailed, S::kError, "T20; IBackgroundCopyFile3::SetValidationState"},
    {S::kConnecting, C::kValidationFailed, S::kError, "T20; IBackgroundCopyFile3::SetValidationState"},
    {S::kTransferring, C::kValidationFailed, S::kError, "T20; IBackgroundCopyFile3::SetValidationState"},
    {S::kTransientError, C::kValidationFailed, S::kError, "T20; IBackgroundCopyFile3::SetValidationState"},
    {S::kError, C::kValidationFailed, S::kError, "T20; IBackgroundCopyFile3::SetValidationState (already in ERROR)"},
    {S::kTransferred, C::kValidationFailed, S::kError, "T20; IBackgroundCopyFile3::SetValidationState"},
    // IBackgroundCopyJob4::SetMaximumDownloadTime: only CONNECTING and TRANSFERRING time counts.
    {S::kConnecting, C::kMaxDownloadTime, S::kError, "T19; IBackgroundCopyJob4::SetMaximumDownloadTime"},
    {S::kTransferring, C::kMaxDownloadTime, S::kError, "T19; IBackgroundCopyJob4::SetMaximumDownloadTime"},
    // The transfer policy (BITS_JOB_PROPERTY_ID_COST_FLAGS): held while the network costs too much.
    {S::kQueued, C::kHeld, S::kTransientError, "T15; Life Cycle of a BITS Job; Control a BITS download over an expensive connection"},
    {S::kConnecting, C::kHeld, S::kTransientError, "T15; BITS_JOB_PROPERTY_ID (COST_FLAGS take effect at once)"},
    {S::kTransferring, C::kHeld, S::kTransientError, "T15; BITS_JOB_PROPERTY_ID (COST_FLAGS take effect at once)"},
    {S::kTransientError, C::kHoldOver, S::kQueued, "T15; Control a BITS download over an expensive connection"},    // JobInactivityTimeout: the service cancels a job nobody touched, whatever its state.
    {S::kSuspended, C::kInactivityTimeout, S::kCancelled, "T18; Group Policies (JobInactivityTimeout)"},
    {S::kQueued, C::kInactivityTimeout, S::kCancelled, "T18; Group Policies (JobInactivityTimeout)"},
    {S::kConnecting, C::kInactivityTimeout, S::kCancelled, "T18; Group Policies (JobInactivityTimeout)"},
    {S::kTransferring, C::kInactivityTimeout, S::kCancelled, "T18; Group Policies (JobInactivityTimeout)"},
    {S::kTransientError, C::kInactivityTimeout, S::kCancelled, "T18; Group Policies (JobInactivityTimeout)"},
    {S::kError, C::kInactivityTimeout, S::kCancelled, "T18; Group Policies (JobInactivityTimeout)"},
    {S::kTransferred, C::kInactivityTimeout, S::kCancelled, "T18; Group Policies (JobInactivityTimeout)"},
};

}  // namespace

std::string_view ToString(TransitionCause cause) {
  switch (cause) {
    case C::kResume: return "Resume";
    case C::kSuspend: return "Suspend";
    case C::kCancel: return "Cancel";
    case C::kComplete: return "Complete";
    case C::kScheduled: return "Scheduled";
    case C::kConnected: return "Connected";
    case C::kAllFilesTransferred: return "AllFilesTransferred";
    case C::kTimeSliceOver: return "TimeSliceOver";
    case C::kPreempted: return "Preempted";
    case C::kTransientError: return "TransientError";
    case C::kFatalError: return "FatalError";
    case C::kNoProgressTimeout: return "NoProgressTimeout";
    case C::kRetryDelayElapsed: return "RetryDelayElapsed";
    case C::kNetworkLost: return "NetworkLost";
    case C::kNetworkRestored: return "NetworkRestored";
    case C::kOwnerLoggedOff: return "OwnerLoggedOff";
    case C::kServiceRestart: return "ServiceRestart";
    case C::kValidationFailed: return "ValidationFailed";
    case C::kMaxDownloadTime: return "MaxDownloadTime";
    case C::kHeld: return "Held";
    case C::kHoldOver: return "HoldOver";
    case C::kInactivityTimeout: return "InactivityTimeout";
  }
  return "?";
}

std::span<const StateChange> StateChanges() { return kStateChanges; }

std::optional<JobState> NextState(JobState from, TransitionCause cause) {
  // kStateChanges indexed once by (from, cause): the engine asks on every state change, and a scan
  // of the table was a few percent of a long retry loop. The first matching row wins, as in a scan.
  using ByCause = std::array<std::optional<JobState>, std::size(kAllTransitionCauses)>;
  static const std::array<ByCause, kAllJobStates.size()> kIndex = [] {
    std::array<ByCause, kAllJobStates.size()> index{};
    for (const StateChange& row : kStateChanges) {
      std::optional<JobState>& to = index.at(static_cast<std::size_t>(row.from)).at(static_cast<std::size_t>(row.cause));
      if (!to) to = row.to;
    }
    return index;
  }();
  const auto state = static_cast<std::size_t>(from);
  const auto reason = static_cast<std::size_t>(cause);
  if (state >= kIndex.size() || reason >= kIndex[state].size()) return std::nullopt;
  return kIndex[state][reason];
}

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
