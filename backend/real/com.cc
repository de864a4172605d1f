#include "backend/real/com.h"

#include <objbase.h>

#include <array>
#include <chrono>

namespace bitsh::real {

std::wstring Utf8ToWide(const std::string& text) {
  if (text.empty()) return {};
  const int length = MultiByteToWideChar(CP_UTF8, 0, text.data(), static_cast<int>(text.size()), nullptr, 0);
  std::wstring wide(static_cast<std::size_t>(length), L'\0');
  MultiByteToWideChar(CP_UTF8, 0, text.data(), static_cast<int>(text.size()), wide.data(), length);
  return wide;
}

std::string WideToUtf8(const wchar_t* text) {
  if (text == nullptr || *text == L'\0') return {};
  const int length = WideCharToMultiByte(CP_UTF8, 0, text, -1, nullptr, 0, nullptr, nullptr);
  if (length <= 0) return {};  // cannot happen for a terminated string; no pop_back on empty
  std::string narrow(static_cast<std::size_t>(length), '\0');
  WideCharToMultiByte(CP_UTF8, 0, text, -1, narrow.data(), length, nullptr, nullptr);
  narrow.pop_back();  // the terminating NUL
  return narrow;
}

JobId FromGuid(const GUID& guid) {
  std::array<std::uint8_t, 16> b{};
  for (int i = 0; i < 4; ++i) b[i] = static_cast<std::uint8_t>(guid.Data1 >> (24 - 8 * i));
  b[4] = static_cast<std::uint8_t>(guid.Data2 >> 8);
  b[5] = static_cast<std::uint8_t>(guid.Data2);
  b[6] = static_cast<std::uint8_t>(guid.Data3 >> 8);
  b[7] = static_cast<std::uint8_t>(guid.Data3);
  for (int i = 0; i < 8; ++i) b[8 + i] = guid.Data4[i];
  return JobId(b);
}

GUID ToGuid(const JobId& id) {
  const auto& b = id.bytes();
  GUID guid{};
  guid.Data1 = (static_cast<unsigned long>(b[0]) << 24) | (static_cast<unsigned long>(b[1]) << 16) |
               (static_cast<unsigned long>(b[2]) << 8) | b[3];
  guid.Data2 = static_cast<unsigned short>((b[4] << 8) | b[5]);
  guid.Data3 = static_cast<unsigned short>((b[6] << 8) | b[7]);
  for (int i = 0; i < 8; ++i) guid.Data4[i] = b[8 + i];
  return guid;
}

namespace {
constexpr std::int64_t kUnixEpochTicks = 116444736000000000;  // 1970-01-01 in FILETIME ticks
}  // namespace

std::optional<TimePoint> FromFileTime(const FILETIME& time) {
  const std::uint64_t ticks = (static_cast<std::uint64_t>(time.dwHighDateTime) << 32) | time.dwLowDateTime;
  if (ticks == 0) return std::nullopt;
  const auto since_unix = std::chrono::nanoseconds((static_cast<std::int64_t>(ticks) - kUnixEpochTicks) * 100);
  return TimePoint(std::chrono::duration_cast<TimePoint::duration>(since_unix));
}

FILETIME ToFileTime(const std::optional<TimePoint>& time) {
  FILETIME raw{};
  if (!time) return raw;
  const auto since_unix = std::chrono::duration_cast<std::chrono::nanoseconds>(time->time_since_epoch());
  const auto ticks = static_cast<std::uint64_t>(since_unix.count() / 100 + kUnixEpochTicks);
  raw.dwLowDateTime = static_cast<DWORD>(ticks);
  raw.dwHighDateTime = static_cast<DWORD>(ticks >> 32);
  return raw;
}

std::string TakeCoTaskString(wchar_t* text) {
  std::string narrow = WideToUtf8(text);
  CoTaskMemFree(text);
  return narrow;
}

}  // namespace bitsh::real
