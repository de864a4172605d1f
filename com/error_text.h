// The texts of IBackgroundCopyManager::GetErrorDescription and IBackgroundCopyError's two
// description methods. Windows reads them from bitsmsg.dll and the system's message table; the
// server asks FormatMessage first (Windows and Wine have the system's messages), then falls back
// to the code's name from backend/hresult.h ("BG_E_NOT_FOUND (0x80200001)").
#pragma once

#include <windows.h>

#include <optional>
#include <string>

#include "backend/job_types.h"

namespace bitsh::com {

// nullopt for a code nobody describes (the caller answers 0x8007013D, ERROR_MR_MID_NOT_FOUND,
// as BITS does).
std::optional<std::string> ErrorDescription(HRESULT code, DWORD language);
// The BG_ERROR_CONTEXT's meaning, in the words of the BG_ERROR_CONTEXT page.
std::string ContextDescription(ErrorContext context);

inline constexpr HRESULT kNoDescription = static_cast<HRESULT>(0x8007013D);

}  // namespace bitsh::com
