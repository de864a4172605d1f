#include "backend/backend_wrapper.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "backend/testing/mock_backend.h"
#include "backend/testing/recording_callback.h"

namespace bitsh {
namespace {

using ::testing::Return;
using ::testing::StrictMock;
using ::testing::ValuesIn;

// A decorator overriding one call, as decorators built on BackendWrapper do.
class SuspendRefusingBackend : public BackendWrapper {
 public:
  using BackendWrapper::BackendWrapper;
  Status Suspend(const JobId&) override { return Status::InvalidState("refused by decorator"); }
};

const JobId kJob = *JobId::Parse("{0123ABCD-4567-4890-ABCD-EF0123456789}");

// The answer a Status method's target gives: an error naming the method, so an answer that comes
// back from another method, or is replaced on the way, shows.
Status AnswerOf(const std::string& method) { return Status(hr::kUnableToDeleteFiles, "the target's " + method); }

void ExpectSameStatus(const Status& got, const std::string& method) {
  EXPECT_EQ(got.code(), hr::kUnableToDeleteFiles);
  EXPECT_EQ(got.message(), "the target's " + method);
}

// One Backend method: `check` sets the single call the wrapper must make on a strict mock (the
// method, with exactly the caller's arguments), calls the wrapper and checks that the target's
// answer came back unchanged. Any other call on the mock fails the test.
struct ForwardingCase {
  std::string method;
  std::function<void(StrictMock<testing::MockBackend>& target, Backend& wrapper)> check;
};

// Every method of Backend (backend/backend.h), in its order. A method added there needs a row here.
const std::vector<ForwardingCase> kEveryMethod = {
    {"CreateJob",
     [](auto& target, Backend& wrapper) {
       EXPECT_CALL(target, CreateJob("album", JobType::kUploadReply)).WillOnce(Return(Result<JobId>(kJob)));
       const Result<JobId> got = wrapper.CreateJob("album", JobType::kUploadReply);
       ASSERT_TRUE(got.ok());
       EXPECT_EQ(*got, kJob);
     }},
    {"GetJob",
     [](auto& target, Backend& wrapper) {
       EXPECT_CALL(target, GetJob(kJob)).WillOnce(Return(AnswerOf("GetJob")));
       ExpectSameStatus(wrapper.GetJob(kJob), "GetJob");
     }},
    {"EnumJobs",
     [](auto& target, Backend& wrapper) {
       EXPECT_CALL(target, EnumJobs(EnumScope::kAllUsers))
           .WillOnce(Return(Result<std::vector<JobId>>(std::vector<JobId>{kJob, JobId()})));
       const Result<std::vector<JobId>> got = wrapper.EnumJobs(EnumScope::kAllUsers);
       ASSERT_TRUE(got.ok());
       EXPECT_EQ(*got, (std::vector<JobId>{kJob, JobId()}));
     }},
    {"AddFile",
     [](auto& target, Backend& wrapper) {
       EXPECT_CALL(target, AddFile(kJob, "http://127.0.0.1/a.wma", "/music/a.wma")).WillOnce(Return(AnswerOf("AddFile")));
       ExpectSameStatus(wrapper.AddFile(kJob, "http://127.0.0.1/a.wma", "/music/a.wma"), "AddFile");
     }},
    {"GetFiles",
     [](auto& target, Backend& wrapper) {
       const FileStatus file{"http://127.0.0.1/a.wma", "/music/a.wma", FileProgress{1000, 250, false}};
       EXPECT_CALL(target, GetFiles(kJob)).WillOnce(Return(Result<std::vector<FileStatus>>(std::vector<FileStatus>{file})));
       const Result<std::vector<FileStatus>> got = wrapper.GetFiles(kJob);
       ASSERT_TRUE(got.ok());
       ASSERT_EQ(got->size(), 1u);
       EXPECT_EQ(got->at(0).remote_url, file.remote_url);
       EXPECT_EQ(got->at(0).local_name, file.local_name);
       EXPECT_EQ(got->at(0).progress, file.progress);
     }},
    {"AddFileSet",
     [](auto& target, Backend& wrapper) {
       const std::vector<FileToAdd> files = {{"http://127.0.0.1/a.wma", "/music/a.wma"}, {"http://127.0.0.1/b.wma", "/music/b.wma"}};
       EXPECT_CALL(target, AddFileSet(kJob, files)).WillOnce(Return(AnswerOf("AddFileSet")));
       ExpectSameStatus(wrapper.AddFileSet(kJob, files), "AddFileSet");
     }},
    {"GetTemporaryName",
     [](auto& target, Backend& wrapper) {
       EXPECT_CALL(target, GetTemporaryName(kJob, 2u)).WillOnce(Return(Result<std::string>(std::string("/music/BIT0003.tmp"))));
       EXPECT_EQ(*wrapper.GetTemporaryName(kJob, 2), "/music/BIT0003.tmp");
     }},
    {"SetValidationState",
     [](auto& target, Backend& wrapper) {
       EXPECT_CALL(target, SetValidationState(kJob, 1u, false)).WillOnce(Return(AnswerOf("SetValidationState")));
       ExpectSameStatus(wrapper.SetValidationState(kJob, 1, false), "SetValidationState");
     }},
    {"GetValidationState",
     [](auto& target, Backend& wrapper) {
       EXPECT_CALL(target, GetValidationState(kJob, 1u)).WillOnce(Return(Result<bool>(true)));
       EXPECT_TRUE(*wrapper.GetValidationState(kJob, 1));
     }},
    {"IsDownloadedFromPeer",
     [](auto& target, Backend& wrapper) {
       EXPECT_CALL(target, IsDownloadedFromPeer(kJob, 3u)).WillOnce(Return(Result<bool>(true)));
       EXPECT_TRUE(*wrapper.IsDownloadedFromPeer(kJob, 3));
     }},
    {"AddFileWithRanges",
     [](auto& target, Backend& wrapper) {
       const std::vector<FileRange> ranges = {{100, 100}, {900, kLengthToEof}};
       EXPECT_CALL(target, AddFileWithRanges(kJob, "http://127.0.0.1/a.wma", "/music/a.wma", ranges))
           .WillOnce(Return(AnswerOf("AddFileWithRanges")));
       ExpectSameStatus(wrapper.AddFileWithRanges(kJob, "http://127.0.0.1/a.wma", "/music/a.wma", ranges), "AddFileWithRanges");
     }},
    {"GetFileRanges",
     [](auto& target, Backend& wrapper) {
       const std::vector<FileRange> ranges = {{0, 10}, {20, 5}};
       EXPECT_CALL(target, GetFileRanges(kJob, 1u)).WillOnce(Return(Result<std::vector<FileRange>>(ranges)));
       EXPECT_EQ(*wrapper.GetFileRanges(kJob, 1), ranges);
     }},
    {"ReplaceRemotePrefix",
     [](auto& target, Backend& wrapper) {
       EXPECT_CALL(target, ReplaceRemotePrefix(kJob, "http://old", "http://new"))
           .WillOnce(Return(AnswerOf("ReplaceRemotePrefix")));
       ExpectSameStatus(wrapper.ReplaceRemotePrefix(kJob, "http://old", "http://new"), "ReplaceRemotePrefix");
     }},
    {"SetRemoteName",
     [](auto& target, Backend& wrapper) {
       EXPECT_CALL(target, SetRemoteName(kJob, 3u, "http://new/a.wma")).WillOnce(Return(AnswerOf("SetRemoteName")));
       ExpectSameStatus(wrapper.SetRemoteName(kJob, 3, "http://new/a.wma"), "SetRemoteName");
     }},
    {"SetDisplayName",
     [](auto& target, Backend& wrapper) {
       EXPECT_CALL(target, SetDisplayName(kJob, "new name")).WillOnce(Return(AnswerOf("SetDisplayName")));
       ExpectSameStatus(wrapper.SetDisplayName(kJob, "new name"), "SetDisplayName");
     }},
    {"GetDisplayName",
     [](auto& target, Backend& wrapper) {
       EXPECT_CALL(target, GetDisplayName(kJob)).WillOnce(Return(Result<std::string>("the name")));
       EXPECT_EQ(*wrapper.GetDisplayName(kJob), "the name");
     }},
    {"SetDescription",
     [](auto& target, Backend& wrapper) {
       EXPECT_CALL(target, SetDescription(kJob, "::WMP_JOB:1:42")).WillOnce(Return(AnswerOf("SetDescription")));
       ExpectSameStatus(wrapper.SetDescription(kJob, "::WMP_JOB:1:42"), "SetDescription");
     }},
    {"GetDescription",
     [](auto& target, Backend& wrapper) {
       EXPECT_CALL(target, GetDescription(kJob)).WillOnce(Return(Result<std::string>("the description")));
       EXPECT_EQ(*wrapper.GetDescription(kJob), "the description");
     }},
    {"SetPriority",
     [](auto& target, Backend& wrapper) {
       EXPECT_CALL(target, SetPriority(kJob, JobPriority::kLow)).WillOnce(Return(AnswerOf("SetPriority")));
       ExpectSameStatus(wrapper.SetPriority(kJob, JobPriority::kLow), "SetPriority");
     }},
    {"GetPriority",
     [](auto& target, Backend& wrapper) {
       EXPECT_CALL(target, GetPriority(kJob)).WillOnce(Return(Result<JobPriority>(JobPriority::kForeground)));
       EXPECT_EQ(*wrapper.GetPriority(kJob), JobPriority::kForeground);
     }},
    {"SetMinimumRetryDelay",
     [](auto& target, Backend& wrapper) {
       EXPECT_CALL(target, SetMinimumRetryDelay(kJob, 77u)).WillOnce(Return(AnswerOf("SetMinimumRetryDelay")));
       ExpectSameStatus(wrapper.SetMinimumRetryDelay(kJob, 77), "SetMinimumRetryDelay");
     }},
    {"GetMinimumRetryDelay",
     [](auto& target, Backend& wrapper) {
       EXPECT_CALL(target, GetMinimumRetryDelay(kJob)).WillOnce(Return(Result<std::uint32_t>(78u)));
       EXPECT_EQ(*wrapper.GetMinimumRetryDelay(kJob), 78u);
     }},
    {"SetNoProgressTimeout",
     [](auto& target, Backend& wrapper) {
       EXPECT_CALL(target, SetNoProgressTimeout(kJob, 79u)).WillOnce(Return(AnswerOf("SetNoProgressTimeout")));
       ExpectSameStatus(wrapper.SetNoProgressTimeout(kJob, 79), "SetNoProgressTimeout");
     }},
    {"GetNoProgressTimeout",
     [](auto& target, Backend& wrapper) {
       EXPECT_CALL(target, GetNoProgressTimeout(kJob)).WillOnce(Return(Result<std::uint32_t>(80u)));
       EXPECT_EQ(*wrapper.GetNoProgressTimeout(kJob), 80u);
     }},
    {"GetType",
     [](auto& target, Backend& wrapper) {
       EXPECT_CALL(target, GetType(kJob)).WillOnce(Return(Result<JobType>(JobType::kUpload)));
       EXPECT_EQ(*wrapper.GetType(kJob), JobType::kUpload);
     }},
    {"GetOwner",
     [](auto& target, Backend& wrapper) {
       EXPECT_CALL(target, GetOwner(kJob)).WillOnce(Return(Result<std::string>("S-1-5-21-1")));
       EXPECT_EQ(*wrapper.GetOwner(kJob), "S-1-5-21-1");
     }},
    {"TakeOwnership",
     [](auto& target, Backend& wrapper) {
       EXPECT_CALL(target, TakeOwnership(kJob)).WillOnce(Return(AnswerOf("TakeOwnership")));
       ExpectSameStatus(wrapper.TakeOwnership(kJob), "TakeOwnership");
     }},
    {"SetProxySettings",
     [](auto& target, Backend& wrapper) {
       const ProxySettings settings{ProxyUsage::kOverride, "http=proxy:8080", "<local>"};
       EXPECT_CALL(target, SetProxySettings(kJob, settings)).WillOnce(Return(AnswerOf("SetProxySettings")));
       ExpectSameStatus(wrapper.SetProxySettings(kJob, settings), "SetProxySettings");
     }},
    {"GetProxySettings",
     [](auto& target, Backend& wrapper) {
       const ProxySettings settings{ProxyUsage::kOverride, "proxy:3128", std::nullopt};
       EXPECT_CALL(target, GetProxySettings(kJob)).WillOnce(Return(Result<ProxySettings>(settings)));
       const Result<ProxySettings> got = wrapper.GetProxySettings(kJob);
       ASSERT_TRUE(got.ok());
       EXPECT_EQ(*got, settings);
     }},
    {"SetCredentials",
     [](auto& target, Backend& wrapper) {
       const AuthCredentials credentials{AuthTarget::kProxy, AuthScheme::kDigest, "user", "pass"};
       EXPECT_CALL(target, SetCredentials(kJob, credentials)).WillOnce(Return(AnswerOf("SetCredentials")));
       ExpectSameStatus(wrapper.SetCredentials(kJob, credentials), "SetCredentials");
     }},
    {"RemoveCredentials",
     [](auto& target, Backend& wrapper) {
       EXPECT_CALL(target, RemoveCredentials(kJob, AuthTarget::kProxy, AuthScheme::kNtlm))
           .WillOnce(Return(AnswerOf("RemoveCredentials")));
       ExpectSameStatus(wrapper.RemoveCredentials(kJob, AuthTarget::kProxy, AuthScheme::kNtlm), "RemoveCredentials");
     }},
    {"SetCustomHeaders",
     [](auto& target, Backend& wrapper) {
       EXPECT_CALL(target, SetCustomHeaders(kJob, std::optional<std::string>("X-Token: 1\r\n")))
           .WillOnce(Return(AnswerOf("SetCustomHeaders")));
       ExpectSameStatus(wrapper.SetCustomHeaders(kJob, "X-Token: 1\r\n"), "SetCustomHeaders");
     }},
    {"GetCustomHeaders",
     [](auto& target, Backend& wrapper) {
       EXPECT_CALL(target, GetCustomHeaders(kJob))
           .WillOnce(Return(Result<std::optional<std::string>>(std::optional<std::string>("A: b\r\n"))));
       EXPECT_EQ(*wrapper.GetCustomHeaders(kJob), std::optional<std::string>("A: b\r\n"));
     }},
    {"SetSecurityFlags",
     [](auto& target, Backend& wrapper) {
       EXPECT_CALL(target, SetSecurityFlags(kJob, 0x0A00u)).WillOnce(Return(AnswerOf("SetSecurityFlags")));
       ExpectSameStatus(wrapper.SetSecurityFlags(kJob, 0x0A00u), "SetSecurityFlags");
     }},
    {"GetSecurityFlags",
     [](auto& target, Backend& wrapper) {
       EXPECT_CALL(target, GetSecurityFlags(kJob)).WillOnce(Return(Result<std::uint32_t>(0x0100u)));
       EXPECT_EQ(*wrapper.GetSecurityFlags(kJob), 0x0100u);
     }},
    {"SetJobProperty",
     [](auto& target, Backend& wrapper) {
       JobPropertyValue value;
       value.dword = cost_states::kPolicyStandard;
       EXPECT_CALL(target, SetJobProperty(kJob, JobPropertyId::kCostFlags, value)).WillOnce(Return(AnswerOf("SetJobProperty")));
       ExpectSameStatus(wrapper.SetJobProperty(kJob, JobPropertyId::kCostFlags, value), "SetJobProperty");
     }},
    {"GetJobProperty",
     [](auto& target, Backend& wrapper) {
       JobPropertyValue value;
       value.dword = 750;
       EXPECT_CALL(target, GetJobProperty(kJob, JobPropertyId::kMinimumNotificationIntervalMs))
           .WillOnce(Return(Result<JobPropertyValue>(value)));
       EXPECT_EQ(*wrapper.GetJobProperty(kJob, JobPropertyId::kMinimumNotificationIntervalMs), value);
     }},
    {"SetMaximumDownloadTime",
     [](auto& target, Backend& wrapper) {
       EXPECT_CALL(target, SetMaximumDownloadTime(kJob, 3600u)).WillOnce(Return(AnswerOf("SetMaximumDownloadTime")));
       ExpectSameStatus(wrapper.SetMaximumDownloadTime(kJob, 3600u), "SetMaximumDownloadTime");
     }},
    {"GetMaximumDownloadTime",
     [](auto& target, Backend& wrapper) {
       EXPECT_CALL(target, GetMaximumDownloadTime(kJob)).WillOnce(Return(Result<std::uint32_t>(77u)));
       EXPECT_EQ(*wrapper.GetMaximumDownloadTime(kJob), 77u);
     }},
    {"SetNotifyFlags",
     [](auto& target, Backend& wrapper) {
       EXPECT_CALL(target, SetNotifyFlags(kJob, 0x0Bu)).WillOnce(Return(AnswerOf("SetNotifyFlags")));
       ExpectSameStatus(wrapper.SetNotifyFlags(kJob, 0x0Bu), "SetNotifyFlags");
     }},
    {"GetNotifyFlags",
     [](auto& target, Backend& wrapper) {
       EXPECT_CALL(target, GetNotifyFlags(kJob)).WillOnce(Return(Result<std::uint32_t>(0x14u)));
       EXPECT_EQ(*wrapper.GetNotifyFlags(kJob), 0x14u);
     }},
    {"SetNotifyInterface",
     [](auto& target, Backend& wrapper) {
       const auto callback = std::make_shared<testing::RecordingCallback>();
       EXPECT_CALL(target, SetNotifyInterface(kJob, std::shared_ptr<JobCallback>(callback)))
           .WillOnce(Return(AnswerOf("SetNotifyInterface")));
       ExpectSameStatus(wrapper.SetNotifyInterface(kJob, callback), "SetNotifyInterface");
     }},
    {"GetNotifyInterface",
     [](auto& target, Backend& wrapper) {
       const std::shared_ptr<JobCallback> callback = std::make_shared<testing::RecordingCallback>();
       EXPECT_CALL(target, GetNotifyInterface(kJob)).WillOnce(Return(Result<std::shared_ptr<JobCallback>>(callback)));
       EXPECT_EQ(*wrapper.GetNotifyInterface(kJob), callback);
     }},
    {"SetNotifyCmdLine",
     [](auto& target, Backend& wrapper) {
       const NotifyCommandLine command_line{"C:\\store\\done.exe", "C:\\store\\done.exe /job 1"};
       EXPECT_CALL(target, SetNotifyCmdLine(kJob, command_line)).WillOnce(Return(AnswerOf("SetNotifyCmdLine")));
       ExpectSameStatus(wrapper.SetNotifyCmdLine(kJob, command_line), "SetNotifyCmdLine");
     }},
    {"GetNotifyCmdLine",
     [](auto& target, Backend& wrapper) {
       const NotifyCommandLine command_line{"C:\\a.exe", ""};
       EXPECT_CALL(target, GetNotifyCmdLine(kJob)).WillOnce(Return(Result<NotifyCommandLine>(command_line)));
       EXPECT_EQ(*wrapper.GetNotifyCmdLine(kJob), command_line);
     }},
    {"Resume",
     [](auto& target, Backend& wrapper) {
       EXPECT_CALL(target, Resume(kJob)).WillOnce(Return(AnswerOf("Resume")));
       ExpectSameStatus(wrapper.Resume(kJob), "Resume");
     }},
    {"Suspend",
     [](auto& target, Backend& wrapper) {
       EXPECT_CALL(target, Suspend(kJob)).WillOnce(Return(AnswerOf("Suspend")));
       ExpectSameStatus(wrapper.Suspend(kJob), "Suspend");
     }},
    {"Cancel",
     [](auto& target, Backend& wrapper) {
       EXPECT_CALL(target, Cancel(kJob)).WillOnce(Return(AnswerOf("Cancel")));
       ExpectSameStatus(wrapper.Cancel(kJob), "Cancel");
     }},
    {"Complete",
     [](auto& target, Backend& wrapper) {
       EXPECT_CALL(target, Complete(kJob)).WillOnce(Return(AnswerOf("Complete")));
       ExpectSameStatus(wrapper.Complete(kJob), "Complete");
     }},
    {"GetState",
     [](auto& target, Backend& wrapper) {
       EXPECT_CALL(target, GetState(kJob)).WillOnce(Return(Result<JobState>(JobState::kTransientError)));
       EXPECT_EQ(*wrapper.GetState(kJob), JobState::kTransientError);
     }},
    {"GetProgress",
     [](auto& target, Backend& wrapper) {
       const JobProgress progress{5000, 1200, 3, 1};
       EXPECT_CALL(target, GetProgress(kJob)).WillOnce(Return(Result<JobProgress>(progress)));
       EXPECT_EQ(*wrapper.GetProgress(kJob), progress);
     }},
    {"GetTimes",
     [](auto& target, Backend& wrapper) {
       const JobTimes times{TimePoint(std::chrono::seconds(10)), TimePoint(std::chrono::seconds(20)),
                            TimePoint(std::chrono::seconds(30))};
       EXPECT_CALL(target, GetTimes(kJob)).WillOnce(Return(Result<JobTimes>(times)));
       const Result<JobTimes> got = wrapper.GetTimes(kJob);
       ASSERT_TRUE(got.ok());
       EXPECT_EQ(got->creation, times.creation);
       EXPECT_EQ(got->modification, times.modification);
       EXPECT_EQ(got->transfer_completion, times.transfer_completion);
     }},
    {"GetError",
     [](auto& target, Backend& wrapper) {
       const JobError error{ErrorContext::kRemoteFile, hr::kNotFound, 2, "http"};
       EXPECT_CALL(target, GetError(kJob)).WillOnce(Return(Result<JobError>(error)));
       EXPECT_EQ(*wrapper.GetError(kJob), error);
     }},
    {"GetErrorCount",
     [](auto& target, Backend& wrapper) {
       EXPECT_CALL(target, GetErrorCount(kJob)).WillOnce(Return(Result<std::uint32_t>(81u)));
       EXPECT_EQ(*wrapper.GetErrorCount(kJob), 81u);
     }},
};

void PrintTo(const ForwardingCase& row, std::ostream* out) { *out << row.method; }

class BackendWrapperForwardingTest : public ::testing::TestWithParam<ForwardingCase> {};

TEST_P(BackendWrapperForwardingTest, ForwardsTheCallWithItsArgumentsAndReturnsTheAnswerUnchanged) {
  StrictMock<testing::MockBackend> target;
  BackendWrapper wrapper(target);
  GetParam().check(target, wrapper);
}

INSTANTIATE_TEST_SUITE_P(EveryMethod, BackendWrapperForwardingTest, ValuesIn(kEveryMethod),
                         [](const ::testing::TestParamInfo<ForwardingCase>& row) { return row.param.method; });

TEST(BackendWrapperTest, TheForwardingTableHasEveryBackendMethodOnce) {
  // 54: the pure virtual methods of Backend, the same count as MockBackend's MOCK_METHODs.
  std::vector<std::string> names;
  for (const ForwardingCase& row : kEveryMethod) names.push_back(row.method);
  std::sort(names.begin(), names.end());
  EXPECT_EQ(std::adjacent_find(names.begin(), names.end()), names.end()) << "a method has two rows";
  EXPECT_EQ(names.size(), 54u);
}

TEST(BackendWrapperTest, DecoratorChangesOnlyWhatItOverrides) {
  StrictMock<testing::MockBackend> target;
  SuspendRefusingBackend decorator(target);
  const JobId job;

  EXPECT_CALL(target, Suspend).Times(0);
  EXPECT_CALL(target, Resume(job)).WillOnce(Return(Status::Ok()));

  EXPECT_EQ(decorator.Suspend(job).code(), hr::kInvalidState);
  EXPECT_TRUE(decorator.Resume(job).ok());
}

}  // namespace
}  // namespace bitsh
