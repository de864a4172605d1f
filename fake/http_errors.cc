#include "fake/http_errors.h"

#include "backend/error_class.h"

namespace bitsh::fake {

TransferError FromHttpStatus(int status, const std::string& url) {
  return TransferError{ClassifyHttpStatus(status).code, ErrorContext::kRemoteFile,
                       "HTTP " + std::to_string(status) + " for " + url};
}

TransferError FromHttpError(const HttpError& error, const std::string& url, bool head_received) {
  const std::string detail = error.detail + " (" + url + ")";
  switch (error.failure) {
    case HttpFailure::kResolve:
      return {hr::kNameResolutionFailure, ErrorContext::kRemoteFile, detail};
    case HttpFailure::kConnect:
      return {hr::kConnectFailure, ErrorContext::kRemoteFile, detail};
    case HttpFailure::kSend:
      return {hr::kSendFailure, ErrorContext::kRemoteFile, detail};
    case HttpFailure::kRead:
      if (!head_received) return {hr::kInvalidServerResponse, ErrorContext::kRemoteFile, "no valid response head: " + detail};
      return {hr::kConnectionClosed, ErrorContext::kRemoteFile, detail};
    case HttpFailure::kMalformed:
      return {hr::kInvalidServerResponse, ErrorContext::kRemoteFile, detail};
    case HttpFailure::kNone:
      break;
  }
  return {hr::kUnknownError, ErrorContext::kRemoteFile, detail};
}

std::optional<TransferError> FromHttpVersion(const std::string& version, const std::string& url) {
  if (version != "HTTP/1.0") return std::nullopt;
  return TransferError{hr::kInsufficientHttpSupport, ErrorContext::kRemoteFile, url + " answered in HTTP/1.0"};
}

}  // namespace bitsh::fake
