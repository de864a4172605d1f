#include "fake/http_errors.h"

#include <httplib.h>

#include "backend/error_class.h"

namespace bitsh::fake {

TransferError FromHttpStatus(int status, const std::string& url) {
  return TransferError{ClassifyHttpStatus(status).code, ErrorContext::kRemoteFile,
                       "HTTP " + std::to_string(status) + " for " + url};
}

TransferError FromHttpError(httplib::Error error, const std::string& url, bool head_received) {
  const std::string detail = httplib::to_string(error) + " for " + url;
  if (error == httplib::Error::Read && !head_received) {
    return {hr::kInvalidServerResponse, ErrorContext::kRemoteFile, "no valid response head from " + url};
  }
  switch (error) {
    case httplib::Error::Connection:
    case httplib::Error::ConnectionTimeout:
    case httplib::Error::BindIPAddress:
    case httplib::Error::SSLConnection:
    case httplib::Error::SSLLoadingCerts:
    case httplib::Error::SSLServerVerification:
      return {hr::kConnectFailure, ErrorContext::kRemoteFile, detail};
    case httplib::Error::Read:
      return {hr::kConnectionClosed, ErrorContext::kRemoteFile, detail};
    case httplib::Error::Write:
      return {hr::kSendFailure, ErrorContext::kRemoteFile, detail};
    case httplib::Error::ExceedRedirectCount:
      return {hr::kRedirectFailed, ErrorContext::kRemoteFile, detail};
    default:
      return {hr::kUnknownError, ErrorContext::kRemoteFile, detail};
  }
}

std::optional<TransferError> FromHttpVersion(const std::string& version, const std::string& url) {
  if (version != "HTTP/1.0") return std::nullopt;
  return TransferError{hr::kInsufficientHttpSupport, ErrorContext::kRemoteFile, url + " answered in HTTP/1.0"};
}

}  // namespace bitsh::fake
