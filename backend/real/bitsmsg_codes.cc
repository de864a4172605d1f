// The codes of backend/hresult.h against the Windows SDK's own bitsmsg.h, at compile time: a code
// that hresult.h names wrongly (as 0x8020002F once was, called BG_E_CONNECTION_RESET where
// bitsmsg.h says BG_E_KEEP_ALIVE_FAILURE) breaks the Windows build, and so does a name the header
// does not have. Codes above 0x8020003F are newer than MinGW-w64's header and are checked only
// where the SDK has them (#ifdef); their numbers come from Microsoft's "BITS return values" page.
// HResultTest.EveryBitsCodeIsCheckedAgainstTheSdk sees that every BG_ code of hresult.h is here.
#include <windows.h>
#include <bitsmsg.h>

#include "backend/hresult.h"

namespace bitsh {

static_assert(hr::kPartialComplete == static_cast<HResult>(BG_S_PARTIAL_COMPLETE), "BG_S_PARTIAL_COMPLETE");
static_assert(hr::kUnableToDeleteFiles == static_cast<HResult>(BG_S_UNABLE_TO_DELETE_FILES), "BG_S_UNABLE_TO_DELETE_FILES");
static_assert(hr::kNotFound == static_cast<HResult>(BG_E_NOT_FOUND), "BG_E_NOT_FOUND");
static_assert(hr::kInvalidState == static_cast<HResult>(BG_E_INVALID_STATE), "BG_E_INVALID_STATE");
static_assert(hr::kEmpty == static_cast<HResult>(BG_E_EMPTY), "BG_E_EMPTY");
static_assert(hr::kFileNotAvailable == static_cast<HResult>(BG_E_FILE_NOT_AVAILABLE), "BG_E_FILE_NOT_AVAILABLE");
static_assert(hr::kProtocolNotAvailable == static_cast<HResult>(BG_E_PROTOCOL_NOT_AVAILABLE), "BG_E_PROTOCOL_NOT_AVAILABLE");
static_assert(hr::kDestinationLocked == static_cast<HResult>(BG_E_DESTINATION_LOCKED), "BG_E_DESTINATION_LOCKED");
static_assert(hr::kVolumeChanged == static_cast<HResult>(BG_E_VOLUME_CHANGED), "BG_E_VOLUME_CHANGED");
static_assert(hr::kErrorInformationUnavailable == static_cast<HResult>(BG_E_ERROR_INFORMATION_UNAVAILABLE), "BG_E_ERROR_INFORMATION_UNAVAILABLE");
static_assert(hr::kNetworkDisconnected == static_cast<HResult>(BG_E_NETWORK_DISCONNECTED), "BG_E_NETWORK_DISCONNECTED");
static_assert(hr::kMissingFileSize == static_cast<HResult>(BG_E_MISSING_FILE_SIZE), "BG_E_MISSING_FILE_SIZE");
static_assert(hr::kInsufficientHttpSupport == static_cast<HResult>(BG_E_INSUFFICIENT_HTTP_SUPPORT), "BG_E_INSUFFICIENT_HTTP_SUPPORT");
static_assert(hr::kInsufficientRangeSupport == static_cast<HResult>(BG_E_INSUFFICIENT_RANGE_SUPPORT), "BG_E_INSUFFICIENT_RANGE_SUPPORT");
static_assert(hr::kInvalidServerResponse == static_cast<HResult>(BG_E_INVALID_SERVER_RESPONSE), "BG_E_INVALID_SERVER_RESPONSE");
static_assert(hr::kTooManyFiles == static_cast<HResult>(BG_E_TOO_MANY_FILES), "BG_E_TOO_MANY_FILES");
static_assert(hr::kProxyListTooLarge == static_cast<HResult>(BG_E_PROXY_LIST_TOO_LARGE), "BG_E_PROXY_LIST_TOO_LARGE");
static_assert(hr::kProxyBypassListTooLarge == static_cast<HResult>(BG_E_PROXY_BYPASS_LIST_TOO_LARGE), "BG_E_PROXY_BYPASS_LIST_TOO_LARGE");
static_assert(hr::kLocalFileChanged == static_cast<HResult>(BG_E_LOCAL_FILE_CHANGED), "BG_E_LOCAL_FILE_CHANGED");
static_assert(hr::kStringTooLong == static_cast<HResult>(BG_E_STRING_TOO_LONG), "BG_E_STRING_TOO_LONG");
static_assert(hr::kNoProgress == static_cast<HResult>(BG_E_NO_PROGRESS), "BG_E_NO_PROGRESS");
static_assert(hr::kUserNameTooLarge == static_cast<HResult>(BG_E_USERNAME_TOO_LARGE), "BG_E_USERNAME_TOO_LARGE");
static_assert(hr::kPasswordTooLarge == static_cast<HResult>(BG_E_PASSWORD_TOO_LARGE), "BG_E_PASSWORD_TOO_LARGE");
static_assert(hr::kInvalidAuthTarget == static_cast<HResult>(BG_E_INVALID_AUTH_TARGET), "BG_E_INVALID_AUTH_TARGET");
static_assert(hr::kInvalidAuthScheme == static_cast<HResult>(BG_E_INVALID_AUTH_SCHEME), "BG_E_INVALID_AUTH_SCHEME");
static_assert(hr::kInvalidRange == static_cast<HResult>(BG_E_INVALID_RANGE), "BG_E_INVALID_RANGE");
static_assert(hr::kOverlappingRanges == static_cast<HResult>(BG_E_OVERLAPPING_RANGES), "BG_E_OVERLAPPING_RANGES");
static_assert(hr::kConnectFailure == static_cast<HResult>(BG_E_CONNECT_FAILURE), "BG_E_CONNECT_FAILURE");
static_assert(hr::kConnectionClosed == static_cast<HResult>(BG_E_CONNECTION_CLOSED), "BG_E_CONNECTION_CLOSED");
static_assert(hr::kKeepAliveFailure == static_cast<HResult>(BG_E_KEEP_ALIVE_FAILURE), "BG_E_KEEP_ALIVE_FAILURE");
static_assert(hr::kNameResolutionFailure == static_cast<HResult>(BG_E_NAME_RESOLUTION_FAILURE), "BG_E_NAME_RESOLUTION_FAILURE");
static_assert(hr::kProtocolError == static_cast<HResult>(BG_E_PROTOCOL_ERROR), "BG_E_PROTOCOL_ERROR");
static_assert(hr::kReceiveFailure == static_cast<HResult>(BG_E_RECEIVE_FAILURE), "BG_E_RECEIVE_FAILURE");
static_assert(hr::kSendFailure == static_cast<HResult>(BG_E_SEND_FAILURE), "BG_E_SEND_FAILURE");
static_assert(hr::kServerProtocolViolation == static_cast<HResult>(BG_E_SERVER_PROTOCOL_VIOLATION), "BG_E_SERVER_PROTOCOL_VIOLATION");
static_assert(hr::kTimeout == static_cast<HResult>(BG_E_TIMEOUT), "BG_E_TIMEOUT");
static_assert(hr::kUnknownError == static_cast<HResult>(BG_E_UNKNOWN_ERROR), "BG_E_UNKNOWN_ERROR");
static_assert(hr::kBlockedByPolicy == static_cast<HResult>(BG_E_BLOCKED_BY_POLICY), "BG_E_BLOCKED_BY_POLICY");
static_assert(hr::kInvalidProxyInfo == static_cast<HResult>(BG_E_INVALID_PROXY_INFO), "BG_E_INVALID_PROXY_INFO");
#ifdef BG_E_TOO_MANY_JOBS_PER_USER
static_assert(hr::kTooManyJobsPerUser == static_cast<HResult>(BG_E_TOO_MANY_JOBS_PER_USER), "BG_E_TOO_MANY_JOBS_PER_USER");
#endif
#ifdef BG_E_TOO_MANY_JOBS_PER_MACHINE
static_assert(hr::kTooManyJobsPerMachine == static_cast<HResult>(BG_E_TOO_MANY_JOBS_PER_MACHINE), "BG_E_TOO_MANY_JOBS_PER_MACHINE");
#endif
#ifdef BG_E_TOO_MANY_FILES_IN_JOB
static_assert(hr::kTooManyFilesInJob == static_cast<HResult>(BG_E_TOO_MANY_FILES_IN_JOB), "BG_E_TOO_MANY_FILES_IN_JOB");
#endif
#ifdef BG_E_TOO_MANY_RANGES_IN_FILE
static_assert(hr::kTooManyRangesInFile == static_cast<HResult>(BG_E_TOO_MANY_RANGES_IN_FILE), "BG_E_TOO_MANY_RANGES_IN_FILE");
#endif
#ifdef BG_E_VALIDATION_FAILED
static_assert(hr::kValidationFailed == static_cast<HResult>(BG_E_VALIDATION_FAILED), "BG_E_VALIDATION_FAILED");
#endif
#ifdef BG_E_MAXDOWNLOAD_TIMEOUT
static_assert(hr::kMaxDownloadTimeout == static_cast<HResult>(BG_E_MAXDOWNLOAD_TIMEOUT), "BG_E_MAXDOWNLOAD_TIMEOUT");
#endif
#ifdef BG_E_UNKNOWN_PROPERTY_ID
static_assert(hr::kUnknownPropertyId == static_cast<HResult>(BG_E_UNKNOWN_PROPERTY_ID), "BG_E_UNKNOWN_PROPERTY_ID");
#endif
#ifdef BG_E_READ_ONLY_PROPERTY
static_assert(hr::kReadOnlyProperty == static_cast<HResult>(BG_E_READ_ONLY_PROPERTY), "BG_E_READ_ONLY_PROPERTY");
#endif
#ifdef BG_E_BLOCKED_BY_COST_TRANSFER_POLICY
static_assert(hr::kBlockedByCostTransferPolicy == static_cast<HResult>(BG_E_BLOCKED_BY_COST_TRANSFER_POLICY), "BG_E_BLOCKED_BY_COST_TRANSFER_POLICY");
#endif
#ifdef BG_E_PROPERTY_SUPPORTED_FOR_DOWNLOAD_JOBS_ONLY
static_assert(hr::kPropertySupportedForDownloadJobsOnly == static_cast<HResult>(BG_E_PROPERTY_SUPPORTED_FOR_DOWNLOAD_JOBS_ONLY), "BG_E_PROPERTY_SUPPORTED_FOR_DOWNLOAD_JOBS_ONLY");
#endif
#ifdef BG_E_READ_ONLY_PROPERTY_AFTER_ADDFILE
static_assert(hr::kReadOnlyPropertyAfterAddFile == static_cast<HResult>(BG_E_READ_ONLY_PROPERTY_AFTER_ADDFILE), "BG_E_READ_ONLY_PROPERTY_AFTER_ADDFILE");
#endif
#ifdef BG_E_READ_ONLY_PROPERTY_AFTER_RESUME
static_assert(hr::kReadOnlyPropertyAfterResume == static_cast<HResult>(BG_E_READ_ONLY_PROPERTY_AFTER_RESUME), "BG_E_READ_ONLY_PROPERTY_AFTER_RESUME");
#endif
#ifdef BG_E_MAX_DOWNLOAD_SIZE_INVALID_VALUE
static_assert(hr::kMaxDownloadSizeInvalidValue == static_cast<HResult>(BG_E_MAX_DOWNLOAD_SIZE_INVALID_VALUE), "BG_E_MAX_DOWNLOAD_SIZE_INVALID_VALUE");
#endif
#ifdef BG_E_MAX_DOWNLOAD_SIZE_LIMIT_REACHED
static_assert(hr::kMaxDownloadSizeLimitReached == static_cast<HResult>(BG_E_MAX_DOWNLOAD_SIZE_LIMIT_REACHED), "BG_E_MAX_DOWNLOAD_SIZE_LIMIT_REACHED");
#endif
#ifdef BG_E_USE_STORED_CREDENTIALS_NOT_SUPPORTED
static_assert(hr::kUseStoredCredentialsNotSupported == static_cast<HResult>(BG_E_USE_STORED_CREDENTIALS_NOT_SUPPORTED), "BG_E_USE_STORED_CREDENTIALS_NOT_SUPPORTED");
#endif

}  // namespace bitsh
