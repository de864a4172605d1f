#include "backend/job_types.h"

#include <cstdio>

#include "backend/utf8.h"

namespace bitsh {
namespace {

constexpr std::array<std::string_view, 9> kStateNames = {
    "QUEUED", "CONNECTING", "TRANSFERRING", "SUSPENDED", "ERROR",
    "TRANSIENT_ERROR", "TRANSFERRED", "ACKNOWLEDGED", "CANCELLED"};
constexpr std::array<std::string_view, 4> kPriorityNames = {"FOREGROUND", "HIGH", "NORMAL", "LOW"};
constexpr std::array<std::string_view, 3> kTypeNames = {"DOWNLOAD", "UPLOAD", "UPLOAD_REPLY"};
constexpr std::array<std::string_view, 9> kContextNames = {
    "NONE", "UNKNOWN", "GENERAL_QUEUE_MANAGER", "QUEUE_MANAGER_NOTIFICATION", "LOCAL_FILE",
    "REMOTE_FILE", "GENERAL_TRANSPORT", "REMOTE_APPLICATION", "SERVER_CERTIFICATE_CALLBACK"};
constexpr std::array<std::string_view, 4> kProxyUsageNames = {"PRECONFIG", "NO_PROXY", "OVERRIDE", "AUTODETECT"};

template <typename Enum, std::size_t N>
std::string_view NameOf(const std::array<std::string_view, N>& names, Enum value) {
  const auto index = static_cast<std::size_t>(value);
  return index < N ? names[index] : std::string_view("?");
}

template <typename Enum, std::size_t N>
std::optional<Enum> EnumOf(const std::array<std::string_view, N>& names, std::string_view name) {
  for (std::size_t i = 0; i < N; ++i) {
    if (names[i] == name) return static_cast<Enum>(i);
  }
  return std::nullopt;
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string_view ToString(JobState state) { return NameOf(kStateNames, state); }
std::string_view ToString(JobPriority priority) { return NameOf(kPriorityNames, priority); }
std::string_view ToString(JobType type) { return NameOf(kTypeNames, type); }
std::string_view ToString(ErrorContext context) { return NameOf(kContextNames, context); }
std::optional<JobState> ParseJobState(std::string_view name) {
  return EnumOf<JobState>(kStateNames, name);
}
std::optional<JobPriority> ParseJobPriority(std::string_view name) {
  return EnumOf<JobPriority>(kPriorityNames, name);
}

std::optional<ErrorContext> ParseErrorContext(std::string_view name) {
  return EnumOf<ErrorContext>(kContextNames, name);
}

std::string_view ToString(ProxyUsage usage) { return NameOf(kProxyUsageNames, usage); }
std::optional<ProxyUsage> ParseProxyUsage(std::string_view name) { return EnumOf<ProxyUsage>(kProxyUsageNames, name); }

std::string JobId::ToString() const {
  // Byte order follows the registry form of a GUID: Data1..Data3 big-endian as written here.
  // By hand, not snprintf: the fake names a job on every log line, and formatting was most of
  // the time of a 14-day retry loop.
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string text = "{00000000-0000-0000-0000-000000000000}";
  std::size_t at = 1;
  for (std::size_t i = 0; i < bytes_.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) ++at;  // over a '-'
    text[at++] = kHex[bytes_[i] >> 4];
    text[at++] = kHex[bytes_[i] & 0x0F];
  }
  return text;
}

std::optional<JobId> JobId::Parse(std::string_view text) {
  if (text.size() != 38 || text.front() != '{' || text.back() != '}') return std::nullopt;
  std::array<std::uint8_t, 16> bytes{};
  std::size_t out = 0;
  for (std::size_t i = 1; i + 1 < text.size();) {
    if (i == 9 || i == 14 || i == 19 || i == 24) {
      if (text[i] != '-') return std::nullopt;
      ++i;
      continue;
    }
    const int high = HexDigit(text[i]);
    const int low = HexDigit(text[i + 1]);
    if (high < 0 || low < 0 || out >= bytes.size()) return std::nullopt;
    bytes[out++] = static_cast<std::uint8_t>(high * 16 + low);
    i += 2;
  }
  if (out != bytes.size()) return std::nullopt;
  return JobId(bytes);
}

std::size_t Utf16Length(std::string_view utf8) {
  std::size_t units = 0;
  for (std::size_t i = 0; i < utf8.size();) {
    const Utf8Step step = ReadUtf8Sequence(utf8, i);
    units += (step.length == 4) ? 2 : 1;  // code points above U+FFFF take a surrogate pair
    i += step.length;
  }
  return units;
}

}  // namespace bitsh
