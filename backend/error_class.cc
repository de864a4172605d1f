#include "backend/error_class.h"

#include <algorithm>
#include <array>
#include <ostream>

namespace bitsh {
namespace {

// The HTTP statuses whose bitsmsg.h text reads "The server's response was not valid ... Resume the
// job, and then BITS will try again": that text is about the code itself, so it wins over the
// page's general rule (which would make 304 and the three 4xx fatal).
constexpr std::array kInvalidResponseStatuses = {200, 205, 304, 402, 415, 449};

ErrorClass StatusClass(int status) {
  if (std::ranges::find(kInvalidResponseStatuses, status) != kInvalidResponseStatuses.end()) {
    return ErrorClass::kTransient;
  }
  // "Handling server application errors", one clause per hundred.
  if (status >= 300 && status <= 399) {
    return (status <= 305 || status == 307) ? ErrorClass::kFatal : ErrorClass::kTransient;
  }
  if (status >= 400 && status <= 499) {
    return (status == 408 || status == 409) ? ErrorClass::kTransient : ErrorClass::kFatal;
  }
  if (status >= 500 && status <= 599) {
    return (status == 501 || status == 505) ? ErrorClass::kFatal : ErrorClass::kTransient;
  }
  return ErrorClass::kTransient;  // "anything else"
}

// Codes (or a range of them) other than HTTP statuses, with the class their source gives: Microsoft's
// "BITS return values" page, bitsmsg.h's message texts ("BITS will try again" is transient) and the
// table of codes that put a job in TRANSIENT_ERROR on TechNet's "Event ID 61 - Jobs" page.
// docs/decisions.md has the reasoning for each.
struct ListedCode {
  HResult first;
  HResult last;
  ErrorClass error_class;
};

constexpr ListedCode Code(HResult code, ErrorClass error_class) { return {code, code, error_class}; }

constexpr std::array kListedCodes = {
    // Transient: the cause goes away by itself, or the text says BITS tries again.
    Code(hr::kDestinationLocked, ErrorClass::kTransient),
    Code(hr::kNetworkDisconnected, ErrorClass::kTransient),
    Code(hr::kInvalidServerResponse, ErrorClass::kTransient),
    Code(hr::kNoProgress, ErrorClass::kTransient),
    // BG_E_CONNECT_FAILURE ... BG_E_UNKNOWN_ERROR: the network failures (connect, closed,
    // keep-alive, name resolution, receive, send, TLS, timeout, trust, unknown).
    ListedCode{hr::kConnectFailure, hr::kUnknownError, ErrorClass::kTransient},
    Code(hr::kBlockedByPolicy, ErrorClass::kTransient),
    // Windows codes for network trouble (Event ID 61); E_INVALIDARG there is a bad proxy name.
    Code(hr::kNameNotResolved, ErrorClass::kTransient),
    Code(hr::kHttpInvalidServerResponse, ErrorClass::kTransient),
    Code(hr::kCanNotComplete, ErrorClass::kTransient),
    Code(hr::kInvalidArg, ErrorClass::kTransient),
    // A UNC source whose server or share cannot be reached now may be reachable later, like an
    // HTTP server that does not answer (docs/decisions.md, "Sources that are not HTTP").
    Code(hr::kBadNetPath, ErrorClass::kTransient),
    Code(hr::kBadNetName, ErrorClass::kTransient),
    // Fatal: trying again gives the same answer until someone changes the server, the file, the
    // job or the machine.
    Code(hr::kVolumeChanged, ErrorClass::kFatal),
    Code(hr::kMissingFileSize, ErrorClass::kFatal),
    Code(hr::kInsufficientHttpSupport, ErrorClass::kFatal),
    Code(hr::kInsufficientRangeSupport, ErrorClass::kFatal),
    Code(hr::kLocalFileChanged, ErrorClass::kFatal),
    Code(hr::kValidationFailed, ErrorClass::kFatal),
    Code(hr::kMaxDownloadTimeout, ErrorClass::kFatal),
    Code(hr::kMaxDownloadSizeLimitReached, ErrorClass::kFatal),
    Code(hr::kAccessDenied, ErrorClass::kFatal),    // the temporary file or a local source cannot be opened
    // The disk is full: space comes back when someone frees it, not by waiting (docs/decisions.md,
    // "Disk faults"); the owner frees it and calls Resume.
    Code(hr::kDiskFull, ErrorClass::kFatal),
    Code(hr::kFileNotFound, ErrorClass::kFatal),    // a local or UNC source file is missing, as a 404 is
    Code(hr::kPathNotFound, ErrorClass::kFatal),    // ...or its folder or drive
    Code(hr::kRedirectFailed, ErrorClass::kFatal),  // too many redirects
    // "The job transitions to the BG_JOB_STATE_ERROR state" (the SetProxySettings page): the job's
    // proxy list or bypass list cannot be used until the program sets others.
    Code(hr::kInvalidProxyInfo, ErrorClass::kFatal),
    // A range of an AddFileWithRanges file lies past the end of the remote file: "these errors
    // put the job in the BG_JOB_STATE_ERROR state" (the AddFileWithRanges page).
    Code(hr::kInvalidRange, ErrorClass::kFatal),
    // HRESULT_FROM_WIN32(HTTP_STATUS_AMBIGUOUS 300 ... HTTP_STATUS_PERMANENT_REDIRECT 308): a
    // redirect under BG_HTTP_REDIRECT_POLICY_DISALLOW, "the fatal error state" (SetSecurityFlags).
    ListedCode{hr::FromWin32(300), hr::FromWin32(308), ErrorClass::kFatal},
};

const ListedCode* FindListed(HResult code) {
  const auto found = std::ranges::find_if(
      kListedCodes, [code](const ListedCode& entry) { return code >= entry.first && code <= entry.last; });
  return found == kListedCodes.end() ? nullptr : &*found;
}

}  // namespace

std::string_view ToString(ErrorClass error_class) {
  return error_class == ErrorClass::kFatal ? "fatal" : "transient";
}

void PrintTo(ErrorClass error_class, std::ostream* out) { *out << ToString(error_class); }

HttpStatusOutcome ClassifyHttpStatus(int status) {
  if (status < 100 || status > 999) return {hr::kInvalidServerResponse, ErrorClass::kTransient};
  return {hr::FromHttpStatus(status), StatusClass(status)};
}

ErrorClass ClassifyTransferError(HResult code) {
  if (hr::IsHttpError(code)) return ClassifyHttpStatus(static_cast<int>(code - hr::kHttpErrorBase)).error_class;
  const ListedCode* listed = FindListed(code);
  return listed != nullptr ? listed->error_class : ErrorClass::kTransient;
}

bool HasListedClass(HResult code) { return hr::IsHttpError(code) || FindListed(code) != nullptr; }

}  // namespace bitsh
