// Value types of the BITS job API, with the numeric values of Microsoft's bits.h
// and bitsmsg.h (the BG_JOB_STATE, BG_JOB_PRIORITY and BG_ERROR_CONTEXT pages), so a trace line of ours reads like one of real BITS.
#pragma once

#include <array>
#include <bit>
#include <compare>
#include <cstring>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

#include "backend/clock.h"
#include "backend/hresult.h"

namespace bitsh {

// BG_JOB_STATE.
enum class JobState : std::uint32_t {
  kQueued = 0,
  kConnecting = 1,
  kTransferring = 2,
  kSuspended = 3,
  kError = 4,
  kTransientError = 5,
  kTransferred = 6,
  kAcknowledged = 7,
  kCancelled = 8,
};
inline constexpr std::array kAllJobStates = {
    JobState::kQueued,     JobState::kConnecting,     JobState::kTransferring,
    JobState::kSuspended,  JobState::kError,          JobState::kTransientError,
    JobState::kTransferred, JobState::kAcknowledged,  JobState::kCancelled};

// ACKNOWLEDGED and CANCELLED: absorbing, and the job drops out of enumeration.
constexpr bool IsFinal(JobState state) {
  return state == JobState::kAcknowledged || state == JobState::kCancelled;
}

// BG_JOB_PRIORITY. NORMAL is the default of a new job.
enum class JobPriority : std::uint32_t { kForeground = 0, kHigh = 1, kNormal = 2, kLow = 3 };

// BG_JOB_TYPE. Fixed at creation.
enum class JobType : std::uint32_t { kDownload = 0, kUpload = 1, kUploadReply = 2 };

// BG_ERROR_CONTEXT.
enum class ErrorContext : std::uint32_t {
  kNone = 0,
  kUnknown = 1,
  kGeneralQueueManager = 2,
  kQueueManagerNotification = 3,
  kLocalFile = 4,
  kRemoteFile = 5,
  kGeneralTransport = 6,
  kRemoteApplication = 7,
  kServerCertificateCallback = 8,
};

// Which jobs an enumeration returns (BG_JOB_ENUM_ALL_USERS = 0x0001 needs an administrator).
enum class EnumScope : std::uint32_t { kCurrentUser = 0, kAllUsers = 1 };

// BG_JOB_PROXY_USAGE (bits.h), with the values of the header.
enum class ProxyUsage : std::uint32_t { kPreconfig = 0, kNoProxy = 1, kOverride = 2, kAutodetect = 3 };

// Short upper-case names used in logs and messages: "TRANSIENT_ERROR", "NORMAL", "REMOTE_FILE".
std::string_view ToString(JobState state);
std::string_view ToString(JobPriority priority);
std::string_view ToString(JobType type);
std::string_view ToString(ErrorContext context);
std::string_view ToString(ProxyUsage usage);  // "PRECONFIG", "NO_PROXY", "OVERRIDE", "AUTODETECT"
// Inverse of ToString, for scenario files and snapshots; nullopt for an unknown name.
std::optional<JobState> ParseJobState(std::string_view name);
std::optional<JobPriority> ParseJobPriority(std::string_view name);
std::optional<ErrorContext> ParseErrorContext(std::string_view name);
std::optional<ProxyUsage> ParseProxyUsage(std::string_view name);

// BG_SIZE_UNKNOWN: (UINT64)-1.
inline constexpr std::uint64_t kSizeUnknown = std::numeric_limits<std::uint64_t>::max();

// A job's GUID. Rendered in the registry form "{01234567-89AB-CDEF-0123-456789ABCDEF}".
class JobId {
 public:
  JobId() = default;
  explicit JobId(const std::array<std::uint8_t, 16>& bytes) : bytes_(bytes) {}

  // Parses the braced registry form (case-insensitive hex); nullopt when malformed.
  static std::optional<JobId> Parse(std::string_view text);
  std::string ToString() const;
  const std::array<std::uint8_t, 16>& bytes() const { return bytes_; }

  // The order of the bytes, as the array's own comparison gives, in two 8-byte comparisons: the
  // fake's job table and queue indexes compare ids on every event, and a memcmp call per
  // comparison was a tenth of a long retry loop.
  friend std::strong_ordering operator<=>(const JobId& a, const JobId& b) {
    if (const auto high = a.Word(0) <=> b.Word(0); high != 0) return high;
    return a.Word(8) <=> b.Word(8);
  }
  friend bool operator==(const JobId& a, const JobId& b) { return a.Word(0) == b.Word(0) && a.Word(8) == b.Word(8); }

 private:
  // Bytes [at, at + 8) as a big-endian number, so that numbers order as the bytes do.
  std::uint64_t Word(std::size_t at) const {
    std::uint64_t word;
    std::memcpy(&word, bytes_.data() + at, sizeof word);
    if constexpr (std::endian::native == std::endian::little) {  // compilers make this one bswap
      word = (word << 32) | (word >> 32);
      word = ((word & 0x0000FFFF0000FFFFull) << 16) | ((word >> 16) & 0x0000FFFF0000FFFFull);
      word = ((word & 0x00FF00FF00FF00FFull) << 8) | ((word >> 8) & 0x00FF00FF00FF00FFull);
    }
    return word;
  }

  std::array<std::uint8_t, 16> bytes_{};
};

// BG_JOB_PROGRESS. bytes_total is kSizeUnknown while any file's size is unknown.
struct JobProgress {
  std::uint64_t bytes_total = 0;
  std::uint64_t bytes_transferred = 0;
  std::uint32_t files_total = 0;
  std::uint32_t files_transferred = 0;
  friend bool operator==(const JobProgress&, const JobProgress&) = default;
};

// BG_FILE_PROGRESS. completed becomes true only once Complete made the file available.
struct FileProgress {
  std::uint64_t bytes_total = kSizeUnknown;
  std::uint64_t bytes_transferred = 0;
  bool completed = false;
  friend bool operator==(const FileProgress&, const FileProgress&) = default;
};

// One file of a job: names exactly as given to AddFile, and its progress.
struct FileStatus {
  std::string remote_url;
  std::string local_name;
  FileProgress progress;
};

// BG_JOB_TIMES. transfer_completion is empty until the job first reaches TRANSFERRED
// (real BITS reports a zero FILETIME there).
struct JobTimes {
  TimePoint creation;
  TimePoint modification;
  std::optional<TimePoint> transfer_completion;
};

// What IBackgroundCopyError tells: context, code, and the file involved (index into the job's
// files) when there is one; protocol is "http" or "file", empty when no transport was involved.
struct JobError {
  ErrorContext context = ErrorContext::kNone;
  HResult code = hr::kOk;
  std::optional<std::size_t> file_index;
  std::string protocol;
  friend bool operator==(const JobError&, const JobError&) = default;
};

// One file of IBackgroundCopyJob::AddFileSet (BG_FILE_INFO): its remote and local names.
struct FileToAdd {
  std::string remote_url;
  std::string local_name;
  friend bool operator==(const FileToAdd&, const FileToAdd&) = default;
};

// IBackgroundCopyJob3::AddFileWithRanges (bits2_0.h): BG_FILE_RANGE. A length of kLengthToEof
// (BG_LENGTH_TO_EOF) reads to the end of the remote file.
inline constexpr std::uint64_t kLengthToEof = ~std::uint64_t{0};
struct FileRange {
  std::uint64_t initial_offset = 0;
  std::uint64_t length = 0;
  friend bool operator==(const FileRange&, const FileRange&) = default;
};

// IBackgroundCopyJob2::SetCredentials (bits1_5.h): BG_AUTH_TARGET and BG_AUTH_SCHEME, with the
// values of the header, and BG_AUTH_CREDENTIALS with BG_BASIC_CREDENTIALS' members.
enum class AuthTarget : std::uint32_t { kServer = 1, kProxy = 2 };
enum class AuthScheme : std::uint32_t { kBasic = 1, kDigest = 2, kNtlm = 3, kNegotiate = 4, kPassport = 5 };
struct AuthCredentials {
  AuthTarget target = AuthTarget::kServer;
  AuthScheme scheme = AuthScheme::kBasic;
  std::optional<std::string> user_name;  // nullopt is NULL: with NTLM, the logged-on user's own
  std::optional<std::string> password;
  friend bool operator==(const AuthCredentials&, const AuthCredentials&) = default;
};

// IBackgroundCopyJob::SetProxySettings (bits.h): the usage and the two lists. A list is nullopt
// where COM passes NULL; only OVERRIDE takes lists.
struct ProxySettings {
  ProxyUsage usage = ProxyUsage::kPreconfig;  // a new job uses the user's proxy settings
  // Space-delimited proxies, each "[scheme=][http://]host[:port]" (the SetProxySettings page).
  std::optional<std::string> proxy_list;
  // Space-delimited hosts that go direct: names, addresses, "*" wildcards and <local>.
  std::optional<std::string> bypass_list;
  friend bool operator==(const ProxySettings&, const ProxySettings&) = default;
};

// IBackgroundCopyJob::SetNotifyFlags (bits.h), with the values of the header: which events a job
// reports to its callback (JobCallback, backend/job_callback.h) or command line.
namespace notify_flags {
inline constexpr std::uint32_t kJobTransferred = 0x0001;       // JobTransferred
inline constexpr std::uint32_t kJobError = 0x0002;             // JobError
inline constexpr std::uint32_t kDisable = 0x0004;              // nothing at all, whatever else is set
inline constexpr std::uint32_t kJobModification = 0x0008;      // JobModification
inline constexpr std::uint32_t kFileTransferred = 0x0010;      // FileTransferred (IBackgroundCopyCallback2)
inline constexpr std::uint32_t kFileRangesTransferred = 0x0020;  // on-demand jobs only (BITS 10.1)
inline constexpr std::uint32_t kDefault = kJobTransferred | kJobError;  // a new job's flags
// True for the values SetNotifyFlags accepts: any combination of the six bits, nothing else.
constexpr bool AreDocumented(std::uint32_t flags) { return (flags & ~0x003Fu) == 0; }
}  // namespace notify_flags

// IBackgroundCopyJob2::SetNotifyCmdLine (bits1_5.h): the program BITS starts when the job is
// transferred or in error and no callback takes the news. Set: nullopt is NULL, and both NULL
// remove the command line. Get: never nullopt; "" where none was set (the GetNotifyCmdLine page).
// The parameters are the whole command line, program first, as in a C program's argv; nothing in
// either is expanded.
struct NotifyCommandLine {
  std::optional<std::string> program;     // a full path
  std::optional<std::string> parameters;
  friend bool operator==(const NotifyCommandLine&, const NotifyCommandLine&) = default;
};

// IBackgroundCopyJob5::SetProperty (bits5_0.h): the BITS_JOB_PROPERTY_ID values.
enum class JobPropertyId : std::uint32_t {
  kCostFlags = 1,                     // Dword: the transfer policy (cost_states)
  kNotificationClsid = 2,             // ClsID
  kDynamicContent = 3,                // Enable
  kHighPerformance = 4,               // Enable
  kMaxDownloadSize = 5,               // Uint64
  kUseStoredCredentials = 7,          // Target
  kMinimumNotificationIntervalMs = 9,  // Dword
  kOnDemandMode = 10,                 // Enable
};

// True for the eight ids of the enumeration (6 and 8 are not used).
constexpr bool IsJobPropertyId(JobPropertyId id) {
  const auto n = static_cast<std::uint32_t>(id);
  return n >= 1 && n <= 10 && n != 6 && n != 8;
}

// BITS_JOB_PROPERTY_VALUE: the one member the property's id names is meaningful.
struct JobPropertyValue {
  std::uint32_t dword = 0;
  std::string clsid;  // "{xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx}"
  bool enable = false;
  std::uint64_t uint64 = 0;
  AuthTarget target = AuthTarget::kServer;

  // A value with the one member set: JobPropertyValue::FromEnable(true) for HIGH_PERFORMANCE.
  static JobPropertyValue FromDword(std::uint32_t value) { JobPropertyValue v; v.dword = value; return v; }
  static JobPropertyValue FromClsid(std::string value) { JobPropertyValue v; v.clsid = std::move(value); return v; }
  static JobPropertyValue FromEnable(bool value) { JobPropertyValue v; v.enable = value; return v; }
  static JobPropertyValue FromUint64(std::uint64_t value) { JobPropertyValue v; v.uint64 = value; return v; }
  static JobPropertyValue FromTarget(AuthTarget value) { JobPropertyValue v; v.target = value; return v; }

  friend bool operator==(const JobPropertyValue&, const JobPropertyValue&) = default;
};

// BITS_COST_STATE_* (bits5_0.h): what the network costs now, one bit each; and the transfer
// policies (BITS_JOB_TRANSFER_POLICY), each the set of cost states a job may transfer in.
namespace cost_states {
inline constexpr std::uint32_t kUnrestricted = 0x01;         // no cost, no limit
inline constexpr std::uint32_t kCappedUsageUnknown = 0x02;
inline constexpr std::uint32_t kBelowCap = 0x04;
inline constexpr std::uint32_t kNearCap = 0x08;
inline constexpr std::uint32_t kOvercapCharged = 0x10;
inline constexpr std::uint32_t kOvercapThrottled = 0x20;
inline constexpr std::uint32_t kUsageBased = 0x40;           // metered: paid by the byte
inline constexpr std::uint32_t kRoaming = 0x80;
inline constexpr std::uint32_t kIgnoreCongestion = 0x80000000;  // BITS_COST_OPTION_IGNORE_CONGESTION
inline constexpr std::uint32_t kPolicyAlways = 0x800000FF;
inline constexpr std::uint32_t kPolicyNotRoaming = 0x8000007F;
inline constexpr std::uint32_t kPolicyNoSurcharge = 0x8000006F;
inline constexpr std::uint32_t kPolicyStandard = 0x80000067;
inline constexpr std::uint32_t kPolicyUnrestricted = 0x80000021;
// A new job's policy: docs/decisions.md, "The default transfer policy".
inline constexpr std::uint32_t kDefaultPolicy = kPolicyUnrestricted;
// True when a job with `policy` may transfer on a network whose cost is `cost` (a set of cost
// bits: each must be allowed) and that is `congested` or not.
constexpr bool Allows(std::uint32_t policy, std::uint32_t cost, bool congested) {
  return (policy & cost) == cost && (!congested || (policy & kIgnoreCongestion) != 0);
}
}  // namespace cost_states

// IBackgroundCopyJobHttpOptions::SetSecurityFlags (bits2_5.h), with the values of the header.
namespace security_flags {
inline constexpr std::uint32_t kEnableCrlCheck = 0x0001;
inline constexpr std::uint32_t kIgnoreCertCnInvalid = 0x0002;
inline constexpr std::uint32_t kIgnoreCertDateInvalid = 0x0004;
inline constexpr std::uint32_t kIgnoreUnknownCa = 0x0008;
inline constexpr std::uint32_t kIgnoreCertWrongUsage = 0x0010;
inline constexpr std::uint32_t kRedirectAllowSilent = 0x0000;
inline constexpr std::uint32_t kRedirectAllowReport = 0x0100;
inline constexpr std::uint32_t kRedirectDisallow = 0x0200;
inline constexpr std::uint32_t kRedirectPolicyMask = 0x0700;
inline constexpr std::uint32_t kRedirectAllowHttpsToHttp = 0x0800;
// True for the values SetSecurityFlags documents: any of the five certificate bits, one of the
// three redirect policies, and ALLOW_HTTPS_TO_HTTP; nothing else.
constexpr bool AreDocumented(std::uint32_t flags) {
  const std::uint32_t policy = flags & kRedirectPolicyMask;
  return (flags & ~(0x001Fu | kRedirectPolicyMask | kRedirectAllowHttpsToHttp)) == 0 &&
         (policy == kRedirectAllowSilent || policy == kRedirectAllowReport || policy == kRedirectDisallow);
}
}  // namespace security_flags

// Documented limits and defaults (spec §2.1).
namespace limits {
inline constexpr std::size_t kMaxDisplayNameChars = 256;    // UTF-16 units, excluding NUL
inline constexpr std::size_t kMaxDescriptionChars = 1024;   // UTF-16 units, excluding NUL
inline constexpr std::uint32_t kDefaultMinimumRetryDelaySeconds = 600;
inline constexpr std::uint32_t kLowestMinimumRetryDelaySeconds = 5;
inline constexpr std::uint32_t kDefaultNoProgressTimeoutSeconds = 1'209'600;  // 14 days
inline constexpr std::uint32_t kDefaultMaxDownloadTimeSeconds = 7'776'000;     // 90 days (MaxDownloadTime policy)
inline constexpr std::size_t kDefaultMaxJobsPerUser = 60;
inline constexpr std::size_t kDefaultMaxJobsPerMachine = 300;
inline constexpr std::size_t kDefaultMaxFilesPerJob = 200;
inline constexpr std::size_t kDefaultMaxRangesPerFile = 500;  // MaxRangesPerFile group policy
inline constexpr std::size_t kMaxUrlChars = 2200;           // remote name: UTF-16 units, excluding NUL
inline constexpr std::size_t kMaxCustomHeadersChars = 16383;  // SetCustomHeaders: UTF-16 units, excluding NUL
inline constexpr std::size_t kMaxUserNameChars = 300;         // BG_BASIC_CREDENTIALS.UserName, excluding NUL
inline constexpr std::size_t kMaxPasswordChars = 65535;       // BG_BASIC_CREDENTIALS.Password, excluding NUL
// SetProxySettings: "cannot exceed 32 KB" (BG_E_PROXY_LIST_TOO_LARGE / _BYPASS_LIST_TOO_LARGE), a
// buffer of UTF-16 units with its NUL, as for custom headers. The page's "4,000 characters" has
// no error code; docs/decisions.md says why the fake checks the 32 KB.
inline constexpr std::size_t kMaxProxyListChars = 16383;      // UTF-16 units, excluding NUL
// SetNotifyCmdLine: the program at most MAX_PATH, the parameters at most 4,000 characters
// (BG_E_STRING_TOO_LONG), each excluding the NUL.
inline constexpr std::size_t kMaxNotifyProgramChars = 260;
inline constexpr std::size_t kMaxNotifyParametersChars = 4000;
}  // namespace limits

// Length of UTF-8 text in UTF-16 code units, the unit of every BITS string limit.
// Each byte of an ill-formed sequence (backend/utf8.h) counts one unit, so the count never
// undercounts bytes a converter could turn into replacement characters.
std::size_t Utf16Length(std::string_view utf8);

}  // namespace bitsh
