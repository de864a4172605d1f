#include "backend/hresult.h"

#include <filesystem>
#include <fstream>
#include <iterator>
#include <regex>
#include <string>

#include <gtest/gtest.h>

namespace bitsh {
namespace {

// The numbers must be Microsoft's: logs and assertions are compared with real BITS output.
TEST(HResultTest, CodesCarryTheValuesOfBitsmsgH) {
  EXPECT_EQ(hr::kNotFound, 0x80200001u);
  EXPECT_EQ(hr::kInvalidState, 0x80200002u);
  EXPECT_EQ(hr::kEmpty, 0x80200003u);
  EXPECT_EQ(hr::kErrorInformationUnavailable, 0x8020000Fu);
  EXPECT_EQ(hr::kNetworkDisconnected, 0x80200010u);
  EXPECT_EQ(hr::kInsufficientRangeSupport, 0x80200013u);
  EXPECT_EQ(hr::kStringTooLong, 0x80200021u);
  EXPECT_EQ(hr::kTooManyJobsPerUser, 0x80200049u);
  EXPECT_EQ(hr::kTooManyJobsPerMachine, 0x80200050u);
  EXPECT_EQ(hr::kTooManyFilesInJob, 0x80200051u);
  EXPECT_EQ(hr::kPartialComplete, 0x00200017u);
  EXPECT_EQ(hr::kAccessDenied, 0x80070005u);
  EXPECT_EQ(hr::kFileNotFound, 0x80070002u);  // HRESULT_FROM_WIN32(2)
  EXPECT_EQ(hr::kBadNetPath, 0x80070035u);    // HRESULT_FROM_WIN32(53)
  EXPECT_EQ(hr::kBadNetName, 0x80070043u);    // HRESULT_FROM_WIN32(67)
  EXPECT_EQ(hr::FromWin32(301), 0x8007012Du);  // HRESULT_FROM_WIN32(HTTP_STATUS_MOVED)
  EXPECT_EQ(hr::kUserNameTooLarge, 0x80200025u);
  EXPECT_EQ(hr::kPasswordTooLarge, 0x80200026u);
  EXPECT_EQ(hr::kInvalidAuthTarget, 0x80200027u);
  EXPECT_EQ(hr::kInvalidAuthScheme, 0x80200028u);
  EXPECT_EQ(hr::kProxyListTooLarge, 0x80200018u);
  EXPECT_EQ(hr::kProxyBypassListTooLarge, 0x80200019u);
  EXPECT_EQ(hr::kInvalidProxyInfo, 0x8020003Fu);
  EXPECT_EQ(hr::kPending, 0x8000000Au);
  EXPECT_EQ(hr::kNoInterface, 0x80004002u);
  EXPECT_EQ(hr::kInvalidRange, 0x8020002Bu);
  EXPECT_EQ(hr::kOverlappingRanges, 0x8020002Cu);
  EXPECT_EQ(hr::kTooManyRangesInFile, 0x80200052u);
}

TEST(HResultTest, HttpStatusMapsToBaseSpacePlusStatus) {
  EXPECT_EQ(hr::FromHttpStatus(404), 0x80190194u);
  EXPECT_EQ(hr::FromHttpStatus(503), 0x801901F7u);
  EXPECT_TRUE(hr::IsHttpError(0x80190194u));
  EXPECT_FALSE(hr::IsHttpError(hr::kInvalidState));
}

TEST(HResultTest, SuccessCodesSucceedAndErrorsFail) {
  EXPECT_TRUE(Succeeded(hr::kOk));
  EXPECT_TRUE(Succeeded(hr::kPartialComplete));
  EXPECT_TRUE(Succeeded(hr::kUnableToDeleteFiles));
  EXPECT_FALSE(Succeeded(hr::kInvalidState));
  EXPECT_FALSE(Succeeded(hr::FromHttpStatus(404)));
}

TEST(HResultTest, NamesReadLikeTheWindowsHeaders) {
  EXPECT_EQ(HResultName(hr::kInvalidState), "BG_E_INVALID_STATE");
  EXPECT_EQ(HResultName(hr::FromHttpStatus(404)), "BG_E_HTTP_ERROR_404");
  EXPECT_EQ(HResultName(0x80201234u), "0x80201234");
  EXPECT_EQ(HResultHex(hr::kEmpty), "0x80200003");
}

TEST(HResultTest, AppendingANameKeepsWhatTheLineHeldAndAddsTheSameName) {
  for (HResult code : {hr::kInvalidState, hr::FromHttpStatus(503), HResult{0x80201234u}, hr::kOk}) {
    std::string line = "error ";
    AppendHResultName(line, code);
    EXPECT_EQ(line, "error " + HResultName(code));
  }
}

TEST(HResultTest, EveryNameReadsBackAsItsCode) {
  // Every code the parser knows by name is named the same way back, through the sorted lookup.
  for (std::uint32_t status = 100; status < 600; status += 101) {
    const HResult code = hr::FromHttpStatus(static_cast<int>(status));
    EXPECT_EQ(ParseHResult(HResultName(code)), code);
  }
  for (HResult code : {hr::kOk, hr::kFalse, hr::kNotImpl, hr::kFail, hr::kAccessDenied, hr::kInvalidArg,
                       hr::kInvalidState, hr::kEmpty, hr::kUnableToDeleteFiles, hr::kClassNotRegistered}) {
    const std::string name = HResultName(code);
    EXPECT_NE(name.substr(0, 2), "0x") << name;
    EXPECT_EQ(ParseHResult(name), code) << name;
  }
}

TEST(HResultTest, ParsesNamesHttpNamesAndHex) {
  EXPECT_EQ(ParseHResult("BG_E_INVALID_STATE"), hr::kInvalidState);
  EXPECT_EQ(ParseHResult("BG_E_HTTP_ERROR_404"), 0x80190194u);
  EXPECT_EQ(ParseHResult("0x80200013"), hr::kInsufficientRangeSupport);
  EXPECT_EQ(ParseHResult(HResultName(hr::kReceiveFailure)), hr::kReceiveFailure);
  for (const char* bad : {"", "BG_E_NOPE", "0x", "0x1234567890", "BG_E_HTTP_ERROR_", "BG_E_HTTP_ERROR_4O4", "80200002"}) {
    EXPECT_FALSE(ParseHResult(bad).has_value()) << bad;
  }
}

// backend/real/bitsmsg_codes.cc checks our codes against the SDK's bitsmsg.h when the Windows build
// compiles it; this sees that it checks every BG_ code hresult.h names, so a new one is not left out.
TEST(HResultTest, EveryBitsCodeIsCheckedAgainstTheSdk) {
  const auto read = [](const char* name) {
    std::ifstream in(std::filesystem::path(BITSH_BACKEND_SOURCE) / name);
    return std::string(std::istreambuf_iterator<char>(in), {});
  };
  const std::string header = read("hresult.h"), checks = read("real/bitsmsg_codes.cc");
  ASSERT_FALSE(header.empty());
  ASSERT_FALSE(checks.empty());
  const std::regex code(R"(// (BG_[SE]_[A-Z0-9_]+))");
  int named = 0;
  for (auto it = std::sregex_iterator(header.begin(), header.end(), code); it != std::sregex_iterator(); ++it) {
    ++named;
    const std::string name = (*it)[1];
    std::string wanted;
    wanted.reserve(64);
    wanted.append("static_cast<HResult>(").append(name).append(")");
    EXPECT_NE(checks.find(wanted), std::string::npos) << name;
  }
  EXPECT_GT(named, 50);
}

}  // namespace
}  // namespace bitsh
