#include "conformance/wine_com_deviations.h"

#include <array>
#include <utility>

namespace bitsh::conformance {
namespace {

// Wine 8.0 (Debian 12) registers proxies and stubs (qmgrprxy.dll) for the BITS 1.0 - 2.5
// interfaces only: IBackgroundCopyManager, Job, Job2, Job3, File, File2, Error, Callback,
// Callback2, the enumerators and IBackgroundCopyJobHttpOptions. A client in another process asks
// for IBackgroundCopyJob5 or IBackgroundCopyFile3 and COM answers E_NOINTERFACE before the server
// hears of it. And its IBackgroundCopyError::GetProtocol proxy fails with RPC_X_NULL_REF_POINTER
// (0x800706F4) before the call leaves the client.
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
     "IBackgroundCopyError::GetProtocol fails in Wine's proxy with RPC_X_NULL_REF_POINTER (0x800706F4); "
     "the server never sees the call, so the protocol reads empty"},
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
