#include "conformance/wine_deviations.h"

#include <array>
#include <utility>

namespace bitsh::conformance {
namespace {

// Observed by running this suite under Wine 8.0 (Debian 12's wine64, 8.0~repack-4) against the
// bitsh-serve request log; docs/fidelity.md has the whole table and the evidence. Wine's qmgr
// (dlls/qmgr/job.c) leaves many IBackgroundCopyJob methods as stubs.
constexpr std::array<std::pair<std::string_view, std::string_view>, 67> kDeviations = {{
    {"ADynamicJobDownloadsABodyWithNoLengthFromAServerWithoutHead",
     "E_NOINTERFACE for IBackgroundCopyJob5: Wine has no BITS 5 job properties"},
    {"JobPropertiesAreSettableOnlyWhenAndWithTheValuesTheDocsSay",
     "E_NOINTERFACE for IBackgroundCopyJob5: Wine has no BITS 5 job properties"},
    {"AHighPerformanceJobEndsWithTheServedBytesInTheLocalFile",
     "E_NOINTERFACE for IBackgroundCopyJob5: Wine has no BITS 5 job properties"},
    {"CancellingAHighPerformanceJobLeavesItsPartialContent",
     "E_NOINTERFACE for IBackgroundCopyJob5: Wine has no BITS 5 job properties"},
    {"AJobStopsInErrorAtItsMaximumDownloadSize",
     "E_NOINTERFACE for IBackgroundCopyJob5: Wine has no BITS 5 job properties"},
    {"TheTransferPolicyReadsBackAsSetAndUnknownPropertiesAreRefused",
     "E_NOINTERFACE for IBackgroundCopyJob5: Wine has no BITS 5 job properties"},
    {"TheMaximumDownloadTimeIsNinetyDaysUntilSetThenReadBackAsSet",
     "SetMaximumDownloadTime answers S_OK, but GetMaximumDownloadTime returns E_NOTIMPL (Wine stub)"},
    {"ANewJobHasNoNotifyInterfaceAndAnEmptyCommandLine", "GetNotifyCmdLine returns E_NOTIMPL (Wine stub)"},
    {"TheNotifyCommandLineReadsBackAsSetWithinTheDocumentedLimits", "SetNotifyCmdLine returns E_NOTIMPL (Wine stub)"},
    {"NotifySettersOnAFinalJobAreInvalidState",
     "SetNotifyCmdLine returns E_NOTIMPL on a cancelled or acknowledged job too (Wine stub)"},
    {"JobErrorCarriesTheFatalErrorOfAMissingFile",
     "the 404 puts the job in ERROR, but Wine never calls JobError: none in the 2 minutes waited"},
    {"FileTransferredComesForEachFileInOrderBeforeJobTransferred",
     "JobTransferred comes, but Wine never calls IBackgroundCopyCallback2::FileTransferred: the calls "
     "are { JobTransferred }"},
    {"ACallbackRegisteredAfterTheTransferStillHearsOfIt",
     "Wine calls JobTransferred only at the moment of the transfer: a callback registered on a "
     "TRANSFERRED job hears nothing (30 s waited)"},
    {"ANewJobHasTheDocumentedDefaultSettings",
     "GetPriority and GetErrorCount return E_NOTIMPL; GetMinimumRetryDelay always reads 30 and "
     "GetNoProgressTimeout 900 (Wine stubs), not 600 and 1209600"},
    {"StringLimitsAreTheDocumentedOnes", "CreateJob accepts a 257-character display name (Wine checks no length)"},
    {"TheMinimumRetryDelayIsRaisedToFiveSeconds",
     "SetMinimumRetryDelay is accepted and ignored; GetMinimumRetryDelay always reads 30"},
    {"SuspendHoldsTheJobAndResumeFinishesIt", "Suspend returns E_NOTIMPL"},
    {"EnumerationListsTheCallersLiveJobs",
     "a cancelled job stays in EnumJobs and GetJob still finds it (S_OK, not BG_E_NOT_FOUND)"},
    {"CompleteKeepsOnlyTheFinishedFiles",
     "files are transferred last-added first, so the 404 of the second file ends the job before the "
     "first is fetched (the request log shows no GET of it); nothing is left to keep"},
    {"ATransferredJobReportsItsSizeAndFiles",
     "BytesTotal stays BG_SIZE_UNKNOWN (0xFFFFFFFFFFFFFFFF) after the transfer; bytes and files are right"},
    {"ADroppedConnectionIsRetriedAndTheFileEndsWhole",
     "a connection closed after 300,000 of 1,000,000 bytes is taken for the end of the file: the job "
     "reaches TRANSFERRED and Complete delivers a truncated file (no length check, no retry); "
     "GetErrorCount is E_NOTIMPL"},
    {"ForbiddenIsAFatalRemoteFileError",
     "an HTTP 403 answer is taken for success: the job reaches TRANSFERRED, not ERROR with 0x80190193"},
    {"AServerErrorIsTransientAndTheRetrySucceeds",
     "an HTTP 500 answer is taken for success: TRANSFERRED after that one request, and Complete "
     "delivers the error body instead of the file; GetErrorCount is E_NOTIMPL"},
    {"ServiceUnavailableIsTransientAndTheRetrySucceeds",
     "a 503 puts the job straight into ERROR (BG_E_HTTP_ERROR_503): no TRANSIENT_ERROR, no retry"},
    {"AServerWithoutRangeSupportFailsABackgroundJob",
     "Wine sends one plain GET per file, never a Range, so a server ignoring Range goes unnoticed and "
     "the job reaches TRANSFERRED"},
    {"AFileChangedOnTheServerIsDownloadedAgainWhole",
     "the connection closed after 10,000 bytes is taken for the end of the file (TRANSFERRED with "
     "10,000 bytes, BytesTotal unknown); there is no resume, so the changed file is never fetched"},
    // The final-job table (final_job_tests.cc): Wine's qmgr checks the job's state in few methods.
    {"GetJobOfAFinalJobIsNotFound", "GetJob still finds an ACKNOWLEDGED job (S_OK); a CANCELLED one is BG_E_NOT_FOUND"},
    {"EnumJobsDoesNotListFinalJobs", "EnumJobs still lists an ACKNOWLEDGED job (a CANCELLED one is gone)"},
    {"AddFileToAFinalJobIsInvalidState", "AddFile succeeds (S_OK) on CANCELLED and ACKNOWLEDGED jobs"},
    {"SetDisplayNameOnAFinalJobIsInvalidState", "SetDisplayName is E_NOTIMPL in every state"},
    {"SetPriorityOnAFinalJobIsInvalidState", "SetPriority succeeds (S_OK) on CANCELLED and ACKNOWLEDGED jobs"},
    {"SetMinimumRetryDelayOnAFinalJobIsInvalidState",
     "SetMinimumRetryDelay succeeds (S_OK) on CANCELLED and ACKNOWLEDGED jobs (and is ignored)"},
    {"SetNoProgressTimeoutOnAFinalJobIsInvalidState",
     "SetNoProgressTimeout succeeds (S_OK) on CANCELLED and ACKNOWLEDGED jobs (and is ignored)"},
    {"SuspendOfAFinalJobIsInvalidState", "Suspend is E_NOTIMPL in every state"},
    {"CompleteOfAFinalJobIsInvalidState",
     "Complete on a CANCELLED job turns it ACKNOWLEDGED (GetState reads ACKNOWLEDGED afterwards)"},
    {"GetPriorityOfAFinalJobAnswers", "GetPriority is E_NOTIMPL in every state"},
    {"GetMinimumRetryDelayOfAFinalJobAnswers", "GetMinimumRetryDelay always reads 30, not the default 600"},
    {"GetNoProgressTimeoutOfAFinalJobAnswers", "GetNoProgressTimeout always reads 900, not the default 1209600"},
    {"GetOwnerOfAFinalJobAnswers", "GetOwner is E_NOTIMPL in every state"},
    {"GetProgressOfAFinalJobAnswers",
     "an ACKNOWLEDGED job's BytesTotal stays BG_SIZE_UNKNOWN (0xFFFFFFFFFFFFFFFF); bytes and files are right"},
    {"GetTimesOfAFinalJobAnswers", "GetTimes is E_NOTIMPL in every state"},
    {"GetErrorCountOfAFinalJobAnswers", "GetErrorCount is E_NOTIMPL in every state"},
    {"AMissingLocalSourceIsReportedAsFileNotFound",
     "a failed local copy sends the job to ERROR but records no error: GetError is "
     "BG_E_ERROR_INFORMATION_UNAVAILABLE (dlls/qmgr/file.c, transfer_file_local)"},
    {"ARelativeOrUnknownSchemeRemoteNameIsInvalidArg",
     "AddFile checks no remote name: a relative name and a gopher:// URL are added (S_OK)"},
    {"CustomHeadersOverTheLimitAreStringTooLong",
     "SetCustomHeaders checks no length: 16,384 characters are taken (S_OK; dlls/qmgr/job.c, "
     "http_options_SetCustomHeaders)"},
    {"SetCustomHeadersOnAFinalJobIsInvalidState",
     "SetCustomHeaders checks no state: S_OK on CANCELLED and ACKNOWLEDGED jobs"},
    {"SecurityFlagsOutsideTheDocumentedOnesAreNotImplemented",
     "SetSecurityFlags stores any value (S_OK for 0x0300 and 0x1000; dlls/qmgr/job.c, "
     "http_options_SetSecurityFlags)"},
    {"UnderAllowReportARedirectChangesTheRemoteName",
     "the redirect policy is never applied: the redirect is followed and the remote name kept"},
    {"UnderDisallowARedirectIsAFatalErrorNamingTheTarget",
     "the redirect policy is never applied: the redirect is followed and the job reaches TRANSFERRED"},
    {"SetCredentialsChecksTargetSchemeAndLengths",
     "SetCredentials checks no length: a 301-character user name and a 65,536-character password are "
     "taken (S_OK); the target and scheme checks hold"},
    {"RemoveCredentialsIsSFalseForAPairThatHasNone",
     "RemoveCredentials answers S_OK for a pair that has no credentials (S_FALSE documented)"},
    {"ReplaceRemotePrefixPointsAFailedJobAtTheNewServer",
     "ReplaceRemotePrefix answers S_OK and renames nothing: the job stays in ERROR with the old "
     "server's 404"},
    {"ReplaceRemotePrefixWithAnEmptyPrefixIsInvalidArg", "ReplaceRemotePrefix answers S_OK to empty prefixes"},
    {"SetRemoteNamePointsOneFileAtItsNewPlace", "IBackgroundCopyFile2::SetRemoteName is E_NOTIMPL"},
    {"ProxySettingsArePreconfigUntilSetThenReadBackAsSet", "GetProxySettings and SetProxySettings are E_NOTIMPL"},
    {"SetProxySettingsRefusesWhatThePageRefusesAndKeepsTheSettings",
     "SetProxySettings is E_NOTIMPL for every call, valid ones included"},
    {"SetProxySettingsOnAFinalJobIsInvalidState", "SetProxySettings is E_NOTIMPL, not BG_E_INVALID_STATE"},
    {"ANoProxyJobGoesStraightToTheServer", "SetProxySettings(NO_PROXY) is E_NOTIMPL"},
    {"AProxyThatDoesNotAnswerIsATransientError", "SetProxySettings(OVERRIDE) is E_NOTIMPL"},
    {"AddFileSetAddsEveryFileInItsOrderAndTheJobTransfersThem",
     "the set's files are listed (and transferred) last first: GetFiles gives 2.wma, then 1.wma"},
    {"AddFileSetWithOneBadFileAddsNone", "AddFileSet answers S_OK to a relative local name and adds the set"},
    {"TheTemporaryFileIsBesideTheLocalNameAndHoldsTheTransferredBytes",
     "a file has no IBackgroundCopyFile3 (E_NOINTERFACE), so no GetTemporaryName"},
    {"AFileIsValidatedOnlyOnceTransferredAndNotFromAPeer", "a file has no IBackgroundCopyFile3 (E_NOINTERFACE)"},
    {"AnInvalidFileFailsTheJobAndResumeDownloadsItAgain", "a file has no IBackgroundCopyFile3 (E_NOINTERFACE)"},
    {"AFileWithRangesHoldsThemOneAfterAnotherInTheOrderGiven",
     "AddFileWithRanges answers S_OK and adds no file (a stub): Resume then says BG_E_EMPTY"},
    {"AddFileWithRangesRefusesOverlappingRangesAndAddsNothing",
     "AddFileWithRanges answers S_OK to overlapping ranges and to none (a stub)"},
    {"ARangePastTheEndOfTheFileEndsTheJobInErrorWithInvalidRange",
     "AddFileWithRanges adds no file (a stub): Resume says BG_E_EMPTY"},
}};

}  // namespace

std::string WineDeviation(std::string_view test_name) {
  for (const auto& [test, reason] : kDeviations) {
    if (test == test_name) return std::string(reason);
  }
  return {};
}

std::vector<std::string_view> TestsWithAWineDeviation() {
  std::vector<std::string_view> tests;
  for (const auto& [test, reason] : kDeviations) tests.push_back(test);
  return tests;
}

}  // namespace bitsh::conformance
