#include "com/registration.h"

#include <windows.h>

#include "backend/hresult.h"
#include "backend/real/com.h"

namespace bitsh::com {
namespace {

constexpr wchar_t kClassKey[] = L"Software\\Classes\\CLSID\\{4991D34B-80A1-4291-83B6-3328366B9097}";
constexpr wchar_t kServerKey[] = L"Software\\Classes\\CLSID\\{4991D34B-80A1-4291-83B6-3328366B9097}\\LocalServer32";
constexpr wchar_t kSavedAppId[] = L"BitshSavedAppID";

HKEY Root(RegistryScope scope) { return scope == RegistryScope::kMachine ? HKEY_LOCAL_MACHINE : HKEY_CURRENT_USER; }

Status Failed(LSTATUS error, const std::string& what) {
  return Status(hr::FromWin32(static_cast<std::uint32_t>(error)), what + ": Windows error " + std::to_string(error));
}

std::wstring ReadString(HKEY key, const wchar_t* name) {
  DWORD bytes = 0;
  if (RegQueryValueExW(key, name, nullptr, nullptr, nullptr, &bytes) != ERROR_SUCCESS || bytes == 0) return {};
  std::wstring value(bytes / sizeof(wchar_t), L'\0');
  if (RegQueryValueExW(key, name, nullptr, nullptr, reinterpret_cast<BYTE*>(value.data()), &bytes) != ERROR_SUCCESS) return {};
  while (!value.empty() && value.back() == L'\0') value.pop_back();
  return value;
}

LSTATUS WriteString(HKEY key, const wchar_t* name, const std::wstring& value) {
  return RegSetValueExW(key, name, 0, REG_SZ, reinterpret_cast<const BYTE*>(value.c_str()),
                        static_cast<DWORD>((value.size() + 1) * sizeof(wchar_t)));
}

}  // namespace

Status Register(RegistryScope scope, const std::wstring& command_line) {
  HKEY server = nullptr;
  LSTATUS error = RegCreateKeyExW(Root(scope), kServerKey, 0, nullptr, 0, KEY_SET_VALUE, nullptr, &server, nullptr);
  if (error != ERROR_SUCCESS) return Failed(error, "creating LocalServer32");
  error = WriteString(server, nullptr, command_line);
  RegCloseKey(server);
  if (error != ERROR_SUCCESS) return Failed(error, "writing LocalServer32");

  // The service's AppID would win over LocalServer32: set it aside (once) while we are registered.
  HKEY class_key = nullptr;
  error = RegOpenKeyExW(Root(scope), kClassKey, 0, KEY_QUERY_VALUE | KEY_SET_VALUE, &class_key);
  if (error != ERROR_SUCCESS) return Failed(error, "opening the class key");
  const std::wstring app_id = ReadString(class_key, L"AppID");
  if (!app_id.empty()) {
    error = WriteString(class_key, kSavedAppId, app_id);
    if (error == ERROR_SUCCESS) error = RegDeleteValueW(class_key, L"AppID");
  }
  RegCloseKey(class_key);
  return error == ERROR_SUCCESS ? Status::Ok() : Failed(error, "setting the BITS service's AppID aside");
}

Status Unregister(RegistryScope scope) {
  HKEY class_key = nullptr;
  LSTATUS error = RegOpenKeyExW(Root(scope), kClassKey, 0, KEY_QUERY_VALUE | KEY_SET_VALUE, &class_key);
  if (error == ERROR_FILE_NOT_FOUND) return Status::Ok();  // never registered
  if (error != ERROR_SUCCESS) return Failed(error, "opening the class key");
  const std::wstring saved = ReadString(class_key, kSavedAppId);
  if (!saved.empty()) {
    error = WriteString(class_key, L"AppID", saved);
    if (error == ERROR_SUCCESS) error = RegDeleteValueW(class_key, kSavedAppId);
  }
  RegCloseKey(class_key);
  if (error != ERROR_SUCCESS) return Failed(error, "restoring the BITS service's AppID");
  error = RegDeleteKeyW(Root(scope), kServerKey);
  if (error != ERROR_SUCCESS && error != ERROR_FILE_NOT_FOUND) return Failed(error, "deleting LocalServer32");
  if (scope == RegistryScope::kCurrentUser) {
    // The user's class key is ours alone (Register made it); an empty one goes too.
    RegDeleteKeyW(Root(scope), kClassKey);
  }
  return Status::Ok();
}

std::wstring RegisteredCommand(RegistryScope scope) {
  HKEY server = nullptr;
  if (RegOpenKeyExW(Root(scope), kServerKey, 0, KEY_QUERY_VALUE, &server) != ERROR_SUCCESS) return {};
  std::wstring command = ReadString(server, nullptr);
  RegCloseKey(server);
  return command;
}

bool BitsServiceRunning() {
  const SC_HANDLE manager = OpenSCManagerW(nullptr, nullptr, SC_MANAGER_CONNECT);
  if (manager == nullptr) return false;
  bool running = false;
  if (const SC_HANDLE service = OpenServiceW(manager, L"BITS", SERVICE_QUERY_STATUS); service != nullptr) {
    SERVICE_STATUS status{};
    running = QueryServiceStatus(service, &status) && status.dwCurrentState != SERVICE_STOPPED;
    CloseServiceHandle(service);
  }
  CloseServiceHandle(manager);
  return running;
}

}  // namespace bitsh::com
