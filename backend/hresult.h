// HRESULT values used by BITS, with the numbers from Microsoft's bits.h / bitsmsg.h / winerror.h,
// so that logs and assertions can be compared with what real BITS prints.
// Sources: bitsmsg.h and Microsoft's "BITS return values" page (winerror.h for E_*). Whether a
// code is retried is error_class.h's business.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace bitsh {

// An HRESULT. Kept unsigned so the hex form reads as in the Windows headers (0x80200002);
// the severity bit (bit 31) set means failure.
using HResult = std::uint32_t;

// True for S_OK and the BG_S_* success codes.
constexpr bool Succeeded(HResult code) { return (code & 0x80000000u) == 0; }

namespace hr {
// Generic COM results (winerror.h).
inline constexpr HResult kOk = 0x00000000;            // S_OK
inline constexpr HResult kFalse = 0x00000001;         // S_FALSE
inline constexpr HResult kNotImpl = 0x80004001;       // E_NOTIMPL
inline constexpr HResult kNoInterface = 0x80004002;   // E_NOINTERFACE: an interface the BITS in use lacks
inline constexpr HResult kFail = 0x80004005;          // E_FAIL
inline constexpr HResult kPending = 0x8000000A;       // E_PENDING
inline constexpr HResult kFileNotFound = 0x80070002;  // HRESULT_FROM_WIN32(ERROR_FILE_NOT_FOUND)
inline constexpr HResult kPathNotFound = 0x80070003;  // HRESULT_FROM_WIN32(ERROR_PATH_NOT_FOUND)
inline constexpr HResult kAccessDenied = 0x80070005;  // E_ACCESSDENIED
inline constexpr HResult kOutOfMemory = 0x8007000E;   // E_OUTOFMEMORY
inline constexpr HResult kDiskFull = 0x80070070;      // HRESULT_FROM_WIN32(ERROR_DISK_FULL)
inline constexpr HResult kBadNetPath = 0x80070035;    // HRESULT_FROM_WIN32(ERROR_BAD_NETPATH): no such server
inline constexpr HResult kBadNetName = 0x80070043;    // HRESULT_FROM_WIN32(ERROR_BAD_NET_NAME): no such share
inline constexpr HResult kInvalidArg = 0x80070057;    // E_INVALIDARG
inline constexpr HResult kFileCorrupt = 0x80070570;   // HRESULT_FROM_WIN32(ERROR_FILE_CORRUPT): a bad snapshot
inline constexpr HResult kRedirectFailed = 0x80072F7C;  // HRESULT_FROM_WIN32(ERROR_WINHTTP_REDIRECT_FAILED)
// HRESULT_FROM_WIN32 of Windows errors that TechNet's "Event ID 61 - Jobs" page lists for jobs
// going to TRANSIENT_ERROR.
inline constexpr HResult kCanNotComplete = 0x800703EB;             // ERROR_CAN_NOT_COMPLETE
inline constexpr HResult kNameNotResolved = 0x80072EE7;            // ERROR_WINHTTP_NAME_NOT_RESOLVED
inline constexpr HResult kHttpInvalidServerResponse = 0x80072F78;  // ERROR_HTTP_INVALID_SERVER_RESPONSE

// BITS success codes.
inline constexpr HResult kPartialComplete = 0x00200017;      // BG_S_PARTIAL_COMPLETE
inline constexpr HResult kUnableToDeleteFiles = 0x0020001A;  // BG_S_UNABLE_TO_DELETE_FILES

// BITS failure codes (bitsmsg.h).
inline constexpr HResult kNotFound = 0x80200001;                 // BG_E_NOT_FOUND
inline constexpr HResult kInvalidState = 0x80200002;             // BG_E_INVALID_STATE
inline constexpr HResult kEmpty = 0x80200003;                    // BG_E_EMPTY
inline constexpr HResult kFileNotAvailable = 0x80200004;         // BG_E_FILE_NOT_AVAILABLE
inline constexpr HResult kProtocolNotAvailable = 0x80200005;     // BG_E_PROTOCOL_NOT_AVAILABLE
inline constexpr HResult kDestinationLocked = 0x8020000D;        // BG_E_DESTINATION_LOCKED
inline constexpr HResult kVolumeChanged = 0x8020000E;            // BG_E_VOLUME_CHANGED
inline constexpr HResult kErrorInformationUnavailable = 0x8020000F;  // BG_E_ERROR_INFORMATION_UNAVAILABLE
inline constexpr HResult kNetworkDisconnected = 0x80200010;      // BG_E_NETWORK_DISCONNECTED
inline constexpr HResult kMissingFileSize = 0x80200011;          // BG_E_MISSING_FILE_SIZE
inline constexpr HResult kInsufficientHttpSupport = 0x80200012;  // BG_E_INSUFFICIENT_HTTP_SUPPORT
inline constexpr HResult kInsufficientRangeSupport = 0x80200013;  // BG_E_INSUFFICIENT_RANGE_SUPPORT
inline constexpr HResult kInvalidServerResponse = 0x8020001B;    // BG_E_INVALID_SERVER_RESPONSE
inline constexpr HResult kTooManyFiles = 0x8020001C;             // BG_E_TOO_MANY_FILES (upload jobs)
inline constexpr HResult kProxyListTooLarge = 0x80200018;        // BG_E_PROXY_LIST_TOO_LARGE
inline constexpr HResult kProxyBypassListTooLarge = 0x80200019;  // BG_E_PROXY_BYPASS_LIST_TOO_LARGE
inline constexpr HResult kLocalFileChanged = 0x8020001D;         // BG_E_LOCAL_FILE_CHANGED
inline constexpr HResult kStringTooLong = 0x80200021;            // BG_E_STRING_TOO_LONG
inline constexpr HResult kNoProgress = 0x80200024;               // BG_E_NO_PROGRESS
inline constexpr HResult kUserNameTooLarge = 0x80200025;         // BG_E_USERNAME_TOO_LARGE
inline constexpr HResult kPasswordTooLarge = 0x80200026;         // BG_E_PASSWORD_TOO_LARGE
inline constexpr HResult kInvalidAuthTarget = 0x80200027;        // BG_E_INVALID_AUTH_TARGET
inline constexpr HResult kInvalidAuthScheme = 0x80200028;        // BG_E_INVALID_AUTH_SCHEME
inline constexpr HResult kInvalidRange = 0x8020002B;             // BG_E_INVALID_RANGE
inline constexpr HResult kOverlappingRanges = 0x8020002C;        // BG_E_OVERLAPPING_RANGES
inline constexpr HResult kConnectFailure = 0x8020002D;           // BG_E_CONNECT_FAILURE
inline constexpr HResult kConnectionClosed = 0x8020002E;         // BG_E_CONNECTION_CLOSED
inline constexpr HResult kKeepAliveFailure = 0x8020002F;          // BG_E_KEEP_ALIVE_FAILURE
inline constexpr HResult kNameResolutionFailure = 0x80200031;     // BG_E_NAME_RESOLUTION_FAILURE
inline constexpr HResult kProtocolError = 0x80200034;             // BG_E_PROTOCOL_ERROR
inline constexpr HResult kReceiveFailure = 0x80200036;            // BG_E_RECEIVE_FAILURE: a reset while receiving
inline constexpr HResult kSendFailure = 0x80200039;               // BG_E_SEND_FAILURE
inline constexpr HResult kServerProtocolViolation = 0x8020003A;   // BG_E_SERVER_PROTOCOL_VIOLATION
inline constexpr HResult kTimeout = 0x8020003B;                  // BG_E_TIMEOUT
inline constexpr HResult kUnknownError = 0x8020003D;             // BG_E_UNKNOWN_ERROR
inline constexpr HResult kBlockedByPolicy = 0x8020003E;          // BG_E_BLOCKED_BY_POLICY
inline constexpr HResult kInvalidProxyInfo = 0x8020003F;         // BG_E_INVALID_PROXY_INFO
inline constexpr HResult kTooManyJobsPerUser = 0x80200049;       // BG_E_TOO_MANY_JOBS_PER_USER
inline constexpr HResult kTooManyJobsPerMachine = 0x80200050;    // BG_E_TOO_MANY_JOBS_PER_MACHINE
inline constexpr HResult kTooManyFilesInJob = 0x80200051;        // BG_E_TOO_MANY_FILES_IN_JOB
inline constexpr HResult kTooManyRangesInFile = 0x80200052;      // BG_E_TOO_MANY_RANGES_IN_FILE
inline constexpr HResult kValidationFailed = 0x80200053;         // BG_E_VALIDATION_FAILED
inline constexpr HResult kMaxDownloadTimeout = 0x80200054;       // BG_E_MAXDOWNLOAD_TIMEOUT
inline constexpr HResult kUnknownPropertyId = 0x80200057;        // BG_E_UNKNOWN_PROPERTY_ID
inline constexpr HResult kReadOnlyProperty = 0x80200058;         // BG_E_READ_ONLY_PROPERTY
inline constexpr HResult kBlockedByCostTransferPolicy = 0x80200059;  // BG_E_BLOCKED_BY_COST_TRANSFER_POLICY
inline constexpr HResult kPropertySupportedForDownloadJobsOnly = 0x80200060;  // BG_E_PROPERTY_SUPPORTED_FOR_DOWNLOAD_JOBS_ONLY
inline constexpr HResult kReadOnlyPropertyAfterAddFile = 0x80200061;  // BG_E_READ_ONLY_PROPERTY_AFTER_ADDFILE
inline constexpr HResult kReadOnlyPropertyAfterResume = 0x80200062;   // BG_E_READ_ONLY_PROPERTY_AFTER_RESUME
inline constexpr HResult kMaxDownloadSizeInvalidValue = 0x80200063;   // BG_E_MAX_DOWNLOAD_SIZE_INVALID_VALUE
inline constexpr HResult kMaxDownloadSizeLimitReached = 0x80200064;   // BG_E_MAX_DOWNLOAD_SIZE_LIMIT_REACHED
inline constexpr HResult kUseStoredCredentialsNotSupported = 0x80200066;  // BG_E_USE_STORED_CREDENTIALS_NOT_SUPPORTED
// REGDB_E_CLASSNOTREG: no COM class is registered under the CLSID (a notification CLSID's server).
inline constexpr HResult kClassNotRegistered = 0x80040154;

// HTTP statuses map to 0x80190000 + status (BG_E_HTTP_ERROR_404 = 0x80190194).
inline constexpr HResult kHttpErrorBase = 0x80190000;
constexpr HResult FromHttpStatus(int status) { return kHttpErrorBase + static_cast<HResult>(status); }
// HRESULT_FROM_WIN32: a Windows error code (1-65535) as an HRESULT.
constexpr HResult FromWin32(std::uint32_t error) { return 0x80070000u | (error & 0xFFFFu); }
constexpr bool IsHttpError(HResult code) { return code > kHttpErrorBase && code < kHttpErrorBase + 1000; }
}  // namespace hr

// The symbolic name of a code ("BG_E_INVALID_STATE", "BG_E_HTTP_ERROR_404"), or "0x%08X" when unknown.
std::string HResultName(HResult code);
// The same name appended to `out`: for a line built in memory kept between lines (the fake names a
// code in each error line of a retry loop), no string of its own.
void AppendHResultName(std::string& out, HResult code);

// Reads "BG_E_INVALID_STATE", "BG_E_HTTP_ERROR_404" or "0x80200002"; nullopt otherwise.
std::optional<HResult> ParseHResult(std::string_view text);

// The hex form used in every log line: "0x80200002".
std::string HResultHex(HResult code);

}  // namespace bitsh
