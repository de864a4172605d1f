#include "com/error_text.h"

#include "backend/hresult.h"
#include "backend/real/com.h"

namespace bitsh::com {

std::optional<std::string> ErrorDescription(HRESULT code, DWORD language) {
  wchar_t* text = nullptr;
  const DWORD length = FormatMessageW(
      FORMAT_MESSAGE_ALLOCATE_BUFFER | FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, nullptr,
      static_cast<DWORD>(code), language, reinterpret_cast<wchar_t*>(&text), 0, nullptr);
  if (length > 0 && text != nullptr) {
    std::string description = real::WideToUtf8(text);
    LocalFree(text);
    while (!description.empty() && (description.back() == '\n' || description.back() == '\r')) description.pop_back();
    return description;
  }
  const auto raw = static_cast<HResult>(code);
  const std::string name = HResultName(raw);
  if (name == HResultHex(raw)) return std::nullopt;  // a number, not a name: nobody describes it
  return name + " (" + HResultHex(raw) + ")";
}

std::string ContextDescription(ErrorContext context) {
  switch (context) {
    case ErrorContext::kNone: return "An error has not occurred.";
    case ErrorContext::kUnknown: return "The error context is unknown.";
    case ErrorContext::kGeneralQueueManager: return "The transfer queue manager generated the error.";
    case ErrorContext::kQueueManagerNotification:
      return "The error was generated while the queue manager was notifying the client of an event.";
    case ErrorContext::kLocalFile: return "The error was related to the specified local file.";
    case ErrorContext::kRemoteFile: return "The error was related to the specified remote file.";
    case ErrorContext::kGeneralTransport: return "The transport layer generated the error.";
    case ErrorContext::kRemoteApplication: return "The server application that BITS passed the upload file to generated an error.";
    case ErrorContext::kServerCertificateCallback: return "The server certificate validation callback returned an error.";
  }
  return "The error context is unknown.";
}

}  // namespace bitsh::com
