#include "backend/error_class.h"

#include <gtest/gtest.h>

#include <set>

namespace bitsh {
namespace {

// The statuses from 100 to 599 that end a download in ERROR, written out from the sources:
//  - Microsoft's "Handling server application errors": 300-305 and 307 fatal (other 3xx
//    transient); every 4xx fatal but 408 and 409; 501 and 505 fatal (other 5xx transient);
//    anything else transient;
//  - bitsmsg.h: 200, 205, 304, 402, 415 and 449 are responses that "were not valid" and that BITS
//    "will try again", so transient whatever the page's rule says.
std::set<int> DocumentedFatalStatuses() {
  std::set<int> fatal = {300, 301, 302, 303, 305, 307, 501, 505};  // 304 is an invalid response
  for (int status = 400; status <= 499; ++status) fatal.insert(status);
  for (int status : {408, 409}) fatal.erase(status);       // the page's 4xx exceptions
  for (int status : {402, 415, 449}) fatal.erase(status);  // bitsmsg.h's invalid responses
  return fatal;
}

TEST(HttpStatusClassTest, EveryStatusFrom100To599HasItsCodeAndTheDocumentedClass) {
  const std::set<int> fatal = DocumentedFatalStatuses();
  ASSERT_EQ(fatal.size(), 100u - 5u + 8u);  // 4xx less five, plus six 3xx and two 5xx
  for (int status = 100; status <= 599; ++status) {
    const ErrorClass expected = fatal.contains(status) ? ErrorClass::kFatal : ErrorClass::kTransient;
    const HResult code = 0x80190000u + static_cast<HResult>(status);
    EXPECT_EQ(ClassifyHttpStatus(status), (HttpStatusOutcome{code, expected})) << "HTTP " << status;
    EXPECT_EQ(ClassifyTransferError(code), expected) << "HTTP " << status;  // the engine's question
  }
}

// The header's own values, so the formula is checked against Microsoft's numbers and not itself.
TEST(HttpStatusClassTest, CodesAreThoseOfBitsmsgH) {
  EXPECT_EQ(ClassifyHttpStatus(100).code, 0x80190064u);
  EXPECT_EQ(ClassifyHttpStatus(307).code, 0x80190133u);
  EXPECT_EQ(ClassifyHttpStatus(404).code, 0x80190194u);
  EXPECT_EQ(ClassifyHttpStatus(449).code, 0x801901C1u);
  EXPECT_EQ(ClassifyHttpStatus(505).code, 0x801901F9u);
}

TEST(HttpStatusClassTest, StatusesPast599AreTransientAndWhatIsNotAStatusIsAnInvalidResponse) {
  EXPECT_EQ(ClassifyHttpStatus(600), (HttpStatusOutcome{0x80190258u, ErrorClass::kTransient}));
  EXPECT_EQ(ClassifyHttpStatus(999), (HttpStatusOutcome{0x801903E7u, ErrorClass::kTransient}));
  for (int not_a_status : {-1, 0, 99, 1000}) {
    EXPECT_EQ(ClassifyHttpStatus(not_a_status), (HttpStatusOutcome{hr::kInvalidServerResponse, ErrorClass::kTransient}))
        << not_a_status;
  }
}

struct CodeCase {
  HResult code;
  ErrorClass expected;
};

void PrintTo(const CodeCase& c, std::ostream* out) { *out << HResultName(c.code); }

class TransferErrorClassTest : public ::testing::TestWithParam<CodeCase> {};

TEST_P(TransferErrorClassTest, IsTheListedClass) {
  EXPECT_EQ(ClassifyTransferError(GetParam().code), GetParam().expected);
  EXPECT_TRUE(HasListedClass(GetParam().code));
}

// The non-HTTP codes a transfer can end with, and the class docs/decisions.md gives each.
INSTANTIATE_TEST_SUITE_P(
    Listed, TransferErrorClassTest,
    ::testing::Values(CodeCase{hr::kDestinationLocked, ErrorClass::kTransient},
                      CodeCase{hr::kNetworkDisconnected, ErrorClass::kTransient},
                      CodeCase{hr::kInvalidServerResponse, ErrorClass::kTransient},
                      CodeCase{hr::kNoProgress, ErrorClass::kTransient},
                      CodeCase{hr::kConnectFailure, ErrorClass::kTransient},
                      CodeCase{hr::kConnectionClosed, ErrorClass::kTransient},
                      CodeCase{hr::kReceiveFailure, ErrorClass::kTransient},
                      CodeCase{hr::kTimeout, ErrorClass::kTransient},
                      CodeCase{hr::kUnknownError, ErrorClass::kTransient},
                      CodeCase{hr::kBlockedByPolicy, ErrorClass::kTransient},
                      CodeCase{0x80072EE7u, ErrorClass::kTransient},  // TechNet "Event ID 61 - Jobs"
                      CodeCase{0x80072F78u, ErrorClass::kTransient},  // likewise
                      CodeCase{0x800703EBu, ErrorClass::kTransient},  // likewise
                      CodeCase{0x80070057u, ErrorClass::kTransient},  // likewise: E_INVALIDARG, a bad proxy
                      CodeCase{hr::kVolumeChanged, ErrorClass::kFatal},
                      CodeCase{hr::kMissingFileSize, ErrorClass::kFatal},
                      CodeCase{hr::kInsufficientHttpSupport, ErrorClass::kFatal},
                      CodeCase{hr::kInsufficientRangeSupport, ErrorClass::kFatal},
                      CodeCase{hr::kLocalFileChanged, ErrorClass::kFatal},
                      CodeCase{hr::kValidationFailed, ErrorClass::kFatal},
                      CodeCase{hr::kMaxDownloadTimeout, ErrorClass::kFatal},
                      CodeCase{hr::kMaxDownloadSizeLimitReached, ErrorClass::kFatal},
                      CodeCase{hr::kAccessDenied, ErrorClass::kFatal},
                      CodeCase{hr::kRedirectFailed, ErrorClass::kFatal},
                      CodeCase{hr::kInvalidProxyInfo, ErrorClass::kFatal},
                      CodeCase{hr::kInvalidRange, ErrorClass::kFatal},
                      CodeCase{0x80070002u, ErrorClass::kFatal},      // a missing local source
                      CodeCase{0x80070003u, ErrorClass::kFatal},      // ...or its folder
                      CodeCase{0x80070035u, ErrorClass::kTransient},  // a UNC server not reachable
                      CodeCase{0x80070043u, ErrorClass::kTransient},  // ...or its share
                      CodeCase{0x8007012Du, ErrorClass::kFatal},      // HRESULT_FROM_WIN32(301): DISALLOW
                      CodeCase{0x80070133u, ErrorClass::kFatal}),     // ...(307)
    [](const ::testing::TestParamInfo<CodeCase>& param_info) { return HResultName(param_info.param.code); });

// bitsmsg.h's network failures, BG_E_CONNECT_FAILURE (0x8020002D) to BG_E_UNKNOWN_ERROR
// (0x8020003D), named or not in hresult.h: all transient.
TEST(TransferErrorClassTest, EveryNetworkFailureCodeIsTransient) {
  for (HResult code = 0x8020002Du; code <= 0x8020003Du; ++code) {
    EXPECT_EQ(ClassifyTransferError(code), ErrorClass::kTransient) << HResultHex(code);
    EXPECT_TRUE(HasListedClass(code)) << HResultHex(code);
  }
  EXPECT_FALSE(HasListedClass(0x8020002Cu));  // BG_E_OVERLAPPING_RANGES, a method's answer
}

// An unlisted code (here ERROR_SHARING_VIOLATION, and a method-only code) is retried: the default.
TEST(TransferErrorClassTest, AnUnlistedCodeIsTransientAndKnownToBeUnlisted) {
  for (HResult code : {HResult{0x80070020u}, hr::kInvalidState, HResult{0x80201234u}}) {
    EXPECT_EQ(ClassifyTransferError(code), ErrorClass::kTransient) << HResultHex(code);
    EXPECT_FALSE(HasListedClass(code)) << HResultHex(code);
  }
}

}  // namespace
}  // namespace bitsh
