#include "fake/http_errors.h"

#include <httplib.h>

#include "backend/error_class.h"

namespace bitsh::fake {

TransferError FromHttpStatus(int status, const std::string& url) {
  return TransferError{ClassifyHttpStatus(status).code, ErrorContext::kRemoteFile,
                       "HTTP " + std::to_string(status) + " for " + url};
}

TransferError FromHttpError(httplib::Error error, const std::string& url) {
  const std::string detail = httplib::to_string(error) + " for " + url;
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

}  // namespace bitsh::fake
