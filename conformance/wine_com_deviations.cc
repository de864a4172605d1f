#include "conformance/wine_com_deviations.h"

#include <array>
#include <utility>

namespace bitsh::conformance {
namespace {

// Wine 8.0 (Debian 12) has proxies and stubs (qmgrprxy.dll) for the BITS 1.0 - 3.0 interfaces
// (up to IBackgroundCopyJob4), none for IBackgroundCopyJob5 (BITS 5.0) or IBackgroundCopyFile3
// (BITS 4.0): COM cannot carry them between processes, and the client's QueryInterface answers
// E_NOINTERFACE though the server's object has them. And IBackgroundCopyError::GetProtocol fails
// with RPC_X_NULL_REF_POINTER (0x800706F4) without reaching the server's GetProtocol (a log line
// there, added to check, never printed; 2026-12-04).
constexpr std::string_view kNoJob5Proxy =
    "E_NOINTERFACE for IBackgroundCopyJob5: Wine's COM has no proxy for it between processes";
constexpr std::string_view kNoFile3Proxy =
    "E_NOINTERFACE for IBackgroundCopyFile3: Wine's COM has no proxy for it between processes";

constexpr std::array<std::pair<std::string_view, std::string_view>, 10> kComDeviations = {{
    {"ADynamicJobDownloadsABodyWithNoLengthFromAServerWithoutHead", kNoJob5Proxy},
    {"JobPropertiesAreSettableOnlyWhenAndWithTheValuesTheDocsSay", kNoJob5Proxy},
    {"AHighPerformanceJobEndsWithTheServedBytesInTheLocalFile", kNoJob5Proxy},
    {"CancellingAHighPerformanceJobLeavesItsPartialContent", kNoJob5Proxy},
    {"AJobStopsInErrorAtItsMaximumDownloadSize", kNoJob5Proxy},
    {"TheTransferPolicyReadsBackAsSetAndUnknownPropertiesAreRefused", kNoJob5Proxy},
    {"TheTemporaryFileIsBesideTheLocalNameAndHoldsTheTransferredBytes", kNoFile3Proxy},
    {"AFileIsValidatedOnlyOnceTransferredAndNotFromAPeer", kNoFile3Proxy},
    {"AnInvalidFileFailsTheJobAndResumeDownloadsItAgain", kNoFile3Proxy},
    {"AMissingLocalSourceIsReportedAsFileNotFound",
     "IBackgroundCopyError::GetProtocol fails with RPC_X_NULL_REF_POINTER (0x800706F4) in Wine's COM, "
     "without reaching the server, so the protocol reads empty"},
}};

}  // namespace

std::string WineComDeviation(std::string_view test_name) {
  for (const auto& [test, reason] : kComDeviations) {
    if (test == test_name) return std::string(reason);
  }
  return {};
}

std::vector<std::string_view> TestsWithAWineComDeviation() {
  std::vector<std::string_view> tests;
  for (const auto& [test, reason] : kComDeviations) tests.push_back(test);
  return tests;
}

}  // namespace bitsh::conformance
