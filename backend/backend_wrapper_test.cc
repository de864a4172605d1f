#include "backend/backend_wrapper.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <any>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <ostream>
#include <stdexcept>
#include <string>
#include <tuple>
#include <type_traits>
#include <vector>

#include "backend/testing/recording_callback.h"

namespace bitsh {
namespace {

using ::testing::ValuesIn;

// The wrapper's target: a Backend that writes down every call made to it (which method, and its
// arguments as the method's own parameter types) and answers with the one answer the test gave.
// A gMock StrictMock did this job before; its matchers and actions for 54 methods were the
// slowest unit of a clean build to compile (docs/performance.md, "Build time"), and a Backend
// this small needs none of them. The compiler holds it to every pure virtual method of Backend:
// leave one out and it cannot be made.
class AnsweringBackend final : public Backend {
 public:
  // What the next call returns. A call whose method returns another type throws, failing the test.
  template <class Answer>
  void WillAnswer(Answer answer) {
    answer_ = std::move(answer);
  }

  // Success when exactly one call was made, to `method`, with arguments equal to `arguments`
  // (converted to the method's parameter types first, as the call converted them).
  template <class R, class... Params, class... Args>
  ::testing::AssertionResult CalledOnlyWith(R (Backend::*method)(Params...), const Args&... arguments) const {
    using Method = R (Backend::*)(Params...);
    using Arguments = std::tuple<std::decay_t<Params>...>;
    if (calls_.size() != 1) return ::testing::AssertionFailure() << calls_.size() << " calls, not 1";
    const Method* called = std::any_cast<Method>(&calls_[0].method);
    if (called == nullptr || *called != method) return ::testing::AssertionFailure() << "another method was called";
    if (*std::any_cast<Arguments>(&calls_[0].arguments) != Arguments(arguments...)) {
      return ::testing::AssertionFailure() << "the method was called with other arguments";
    }
    return ::testing::AssertionSuccess();
  }

  Result<JobId> CreateJob(const std::string& display_name, JobType type) override {
    return Take(&Backend::CreateJob, display_name, type);
  }
  Status GetJob(const JobId& job) override { return Take(&Backend::GetJob, job); }
  Result<std::vector<JobId>> EnumJobs(EnumScope scope) override { return Take(&Backend::EnumJobs, scope); }
  Status AddFile(const JobId& job, const std::string& remote_url, const std::string& local_name) override {
    return Take(&Backend::AddFile, job, remote_url, local_name);
  }
  Result<std::vector<FileStatus>> GetFiles(const JobId& job) override { return Take(&Backend::GetFiles, job); }
  Status AddFileSet(const JobId& job, const std::vector<FileToAdd>& files) override {
    return Take(&Backend::AddFileSet, job, files);
  }
  Status AddFileWithRanges(const JobId& job, const std::string& remote_url, const std::string& local_name,
                           const std::vector<FileRange>& ranges) override {
    return Take(&Backend::AddFileWithRanges, job, remote_url, local_name, ranges);
  }
  Result<std::vector<FileRange>> GetFileRanges(const JobId& job, std::size_t file_index) override {
    return Take(&Backend::GetFileRanges, job, file_index);
  }
  Status ReplaceRemotePrefix(const JobId& job, const std::string& old_prefix, const std::string& new_prefix) override {
    return Take(&Backend::ReplaceRemotePrefix, job, old_prefix, new_prefix);
  }
  Status SetRemoteName(const JobId& job, std::size_t file_index, const std::string& remote_name) override {
    return Take(&Backend::SetRemoteName, job, file_index, remote_name);
  }
  Result<std::string> GetTemporaryName(const JobId& job, std::size_t file_index) override {
    return Take(&Backend::GetTemporaryName, job, file_index);
  }
  Status SetValidationState(const JobId& job, std::size_t file_index, bool valid) override {
    return Take(&Backend::SetValidationState, job, file_index, valid);
  }
  Result<bool> GetValidationState(const JobId& job, std::size_t file_index) override {
    return Take(&Backend::GetValidationState, job, file_index);
  }
  Result<bool> IsDownloadedFromPeer(const JobId& job, std::size_t file_index) override {
    return Take(&Backend::IsDownloadedFromPeer, job, file_index);
  }
  Status SetDisplayName(const JobId& job, const std::string& name) override {
    return Take(&Backend::SetDisplayName, job, name);
  }
  Result<std::string> GetDisplayName(const JobId& job) override { return Take(&Backend::GetDisplayName, job); }
  Status SetDescription(const JobId& job, const std::string& description) override {
    return Take(&Backend::SetDescription, job, description);
  }
  Result<std::string> GetDescription(const JobId& job) override { return Take(&Backend::GetDescription, job); }
  Status SetPriority(const JobId& job, JobPriority priority) override {
    return Take(&Backend::SetPriority, job, priority);
  }
  Result<JobPriority> GetPriority(const JobId& job) override { return Take(&Backend::GetPriority, job); }
  Status SetMinimumRetryDelay(const JobId& job, std::uint32_t seconds) override {
    return Take(&Backend::SetMinimumRetryDelay, job, seconds);
  }
  Result<std::uint32_t> GetMinimumRetryDelay(const JobId& job) override {
    return Take(&Backend::GetMinimumRetryDelay, job);
  }
  Status SetNoProgressTimeout(const JobId& job, std::uint32_t seconds) override {
    return Take(&Backend::SetNoProgressTimeout, job, seconds);
  }
  Result<std::uint32_t> GetNoProgressTimeout(const JobId& job) override {
    return Take(&Backend::GetNoProgressTimeout, job);
  }
  Status SetMaximumDownloadTime(const JobId& job, std::uint32_t seconds) override {
    return Take(&Backend::SetMaximumDownloadTime, job, seconds);
  }
  Result<std::uint32_t> GetMaximumDownloadTime(const JobId& job) override {
    return Take(&Backend::GetMaximumDownloadTime, job);
  }
  Result<JobType> GetType(const JobId& job) override { return Take(&Backend::GetType, job); }
  Result<std::string> GetOwner(const JobId& job) override { return Take(&Backend::GetOwner, job); }
  Status TakeOwnership(const JobId& job) override { return Take(&Backend::TakeOwnership, job); }
  Status SetProxySettings(const JobId& job, const ProxySettings& settings) override {
    return Take(&Backend::SetProxySettings, job, settings);
  }
  Result<ProxySettings> GetProxySettings(const JobId& job) override { return Take(&Backend::GetProxySettings, job); }
  Status SetCredentials(const JobId& job, const AuthCredentials& credentials) override {
    return Take(&Backend::SetCredentials, job, credentials);
  }
  Status RemoveCredentials(const JobId& job, AuthTarget target, AuthScheme scheme) override {
    return Take(&Backend::RemoveCredentials, job, target, scheme);
  }
  Status SetCustomHeaders(const JobId& job, const std::optional<std::string>& headers) override {
    return Take(&Backend::SetCustomHeaders, job, headers);
  }
  Result<std::optional<std::string>> GetCustomHeaders(const JobId& job) override {
    return Take(&Backend::GetCustomHeaders, job);
  }
  Status SetSecurityFlags(const JobId& job, std::uint32_t flags) override {
    return Take(&Backend::SetSecurityFlags, job, flags);
  }
  Result<std::uint32_t> GetSecurityFlags(const JobId& job) override { return Take(&Backend::GetSecurityFlags, job); }
  Status SetJobProperty(const JobId& job, JobPropertyId id, const JobPropertyValue& value) override {
    return Take(&Backend::SetJobProperty, job, id, value);
  }
  Result<JobPropertyValue> GetJobProperty(const JobId& job, JobPropertyId id) override {
    return Take(&Backend::GetJobProperty, job, id);
  }
  Status SetNotifyFlags(const JobId& job, std::uint32_t flags) override {
    return Take(&Backend::SetNotifyFlags, job, flags);
  }
  Result<std::uint32_t> GetNotifyFlags(const JobId& job) override { return Take(&Backend::GetNotifyFlags, job); }
  Status SetNotifyInterface(const JobId& job, std::shared_ptr<JobCallback> callback) override {
    return Take(&Backend::SetNotifyInterface, job, callback);
  }
  Result<std::shared_ptr<JobCallback>> GetNotifyInterface(const JobId& job) override {
    return Take(&Backend::GetNotifyInterface, job);
  }
  Status SetNotifyCmdLine(const JobId& job, const NotifyCommandLine& command_line) override {
    return Take(&Backend::SetNotifyCmdLine, job, command_line);
  }
  Result<NotifyCommandLine> GetNotifyCmdLine(const JobId& job) override {
    return Take(&Backend::GetNotifyCmdLine, job);
  }
  Status Resume(const JobId& job) override { return Take(&Backend::Resume, job); }
  Status Suspend(const JobId& job) override { return Take(&Backend::Suspend, job); }
  Status Cancel(const JobId& job) override { return Take(&Backend::Cancel, job); }
  Status Complete(const JobId& job) override { return Take(&Backend::Complete, job); }
  Result<JobState> GetState(const JobId& job) override { return Take(&Backend::GetState, job); }
  Result<JobProgress> GetProgress(const JobId& job) override { return Take(&Backend::GetProgress, job); }
  Result<JobTimes> GetTimes(const JobId& job) override { return Take(&Backend::GetTimes, job); }
  Result<JobError> GetError(const JobId& job) override { return Take(&Backend::GetError, job); }
  Result<std::uint32_t> GetErrorCount(const JobId& job) override { return Take(&Backend::GetErrorCount, job); }

 private:
  struct Call {
    std::any method;     // R (Backend::*)(Params...)
    std::any arguments;  // std::tuple<std::decay_t<Params>...>
  };

  template <class R, class... Params, class... Args>
  R Take(R (Backend::*method)(Params...), const Args&... arguments) {
    calls_.push_back(Call{method, std::tuple<std::decay_t<Params>...>(arguments...)});
    const R* answer = std::any_cast<R>(&answer_);
    if (answer == nullptr) throw std::logic_error("AnsweringBackend: the test gave no answer of this method's type");
    return *answer;
  }

  std::any answer_;
  std::vector<Call> calls_;
};

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

// One Backend method: `check` gives the target its answer, calls the wrapper, checks that the
// answer came back unchanged and that the target saw exactly one call: the method, with exactly
// the caller's arguments.
struct ForwardingCase {
  std::string method;
  std::function<void(AnsweringBackend& target, Backend& wrapper)> check;
};

// Every method of Backend (backend/backend.h), in its order. A method added there needs a row here.
const std::vector<ForwardingCase> kEveryMethod = {
    {"CreateJob",
     [](AnsweringBackend& target, Backend& wrapper) {
       target.WillAnswer(Result<JobId>(kJob));
       const Result<JobId> got = wrapper.CreateJob("album", JobType::kUploadReply);
       ASSERT_TRUE(got.ok());
       EXPECT_EQ(*got, kJob);
       EXPECT_TRUE(target.CalledOnlyWith(&Backend::CreateJob, "album", JobType::kUploadReply));
     }},
    {"GetJob",
     [](AnsweringBackend& target, Backend& wrapper) {
       target.WillAnswer(AnswerOf("GetJob"));
       ExpectSameStatus(wrapper.GetJob(kJob), "GetJob");
       EXPECT_TRUE(target.CalledOnlyWith(&Backend::GetJob, kJob));
     }},
    {"EnumJobs",
     [](AnsweringBackend& target, Backend& wrapper) {
       target.WillAnswer(Result<std::vector<JobId>>(std::vector<JobId>{kJob, JobId()}));
       const Result<std::vector<JobId>> got = wrapper.EnumJobs(EnumScope::kAllUsers);
       ASSERT_TRUE(got.ok());
       EXPECT_EQ(*got, (std::vector<JobId>{kJob, JobId()}));
       EXPECT_TRUE(target.CalledOnlyWith(&Backend::EnumJobs, EnumScope::kAllUsers));
     }},
    {"AddFile",
     [](AnsweringBackend& target, Backend& wrapper) {
       target.WillAnswer(AnswerOf("AddFile"));
       ExpectSameStatus(wrapper.AddFile(kJob, "http://127.0.0.1/a.wma", "/music/a.wma"), "AddFile");
       EXPECT_TRUE(target.CalledOnlyWith(&Backend::AddFile, kJob, "http://127.0.0.1/a.wma", "/music/a.wma"));
     }},
    {"GetFiles",
     [](AnsweringBackend& target, Backend& wrapper) {
       const FileStatus file{"http://127.0.0.1/a.wma", "/music/a.wma", FileProgress{1000, 250, false}};
       target.WillAnswer(Result<std::vector<FileStatus>>(std::vector<FileStatus>{file}));
       const Result<std::vector<FileStatus>> got = wrapper.GetFiles(kJob);
       ASSERT_TRUE(got.ok());
       ASSERT_EQ(got->size(), 1u);
       EXPECT_EQ(got->at(0).remote_url, file.remote_url);
       EXPECT_EQ(got->at(0).local_name, file.local_name);
       EXPECT_EQ(got->at(0).progress, file.progress);
       EXPECT_TRUE(target.CalledOnlyWith(&Backend::GetFiles, kJob));
     }},
    {"AddFileSet",
     [](AnsweringBackend& target, Backend& wrapper) {
       const std::vector<FileToAdd> files = {{"http://127.0.0.1/a.wma", "/music/a.wma"},
                                             {"http://127.0.0.1/b.wma", "/music/b.wma"}};
       target.WillAnswer(AnswerOf("AddFileSet"));
       ExpectSameStatus(wrapper.AddFileSet(kJob, files), "AddFileSet");
       EXPECT_TRUE(target.CalledOnlyWith(&Backend::AddFileSet, kJob, files));
     }},
    {"GetTemporaryName",
     [](AnsweringBackend& target, Backend& wrapper) {
       target.WillAnswer(Result<std::string>(std::string("/music/BIT0003.tmp")));
       EXPECT_EQ(*wrapper.GetTemporaryName(kJob, 2), "/music/BIT0003.tmp");
       EXPECT_TRUE(target.CalledOnlyWith(&Backend::GetTemporaryName, kJob, 2u));
     }},
    {"SetValidationState",
     [](AnsweringBackend& target, Backend& wrapper) {
       target.WillAnswer(AnswerOf("SetValidationState"));
       ExpectSameStatus(wrapper.SetValidationState(kJob, 1, false), "SetValidationState");
       EXPECT_TRUE(target.CalledOnlyWith(&Backend::SetValidationState, kJob, 1u, false));
     }},
    {"GetValidationState",
     [](AnsweringBackend& target, Backend& wrapper) {
       target.WillAnswer(Result<bool>(true));
       EXPECT_TRUE(*wrapper.GetValidationState(kJob, 1));
       EXPECT_TRUE(target.CalledOnlyWith(&Backend::GetValidationState, kJob, 1u));
     }},
    {"IsDownloadedFromPeer",
     [](AnsweringBackend& target, Backend& wrapper) {
       target.WillAnswer(Result<bool>(true));
       EXPECT_TRUE(*wrapper.IsDownloadedFromPeer(kJob, 3));
       EXPECT_TRUE(target.CalledOnlyWith(&Backend::IsDownloadedFromPeer, kJob, 3u));
     }},
    {"AddFileWithRanges",
     [](AnsweringBackend& target, Backend& wrapper) {
       const std::vector<FileRange> ranges = {{100, 100}, {900, kLengthToEof}};
       target.WillAnswer(AnswerOf("AddFileWithRanges"));
       ExpectSameStatus(wrapper.AddFileWithRanges(kJob, "http://127.0.0.1/a.wma", "/music/a.wma", ranges),
                        "AddFileWithRanges");
       EXPECT_TRUE(
           target.CalledOnlyWith(&Backend::AddFileWithRanges, kJob, "http://127.0.0.1/a.wma", "/music/a.wma", ranges));
     }},
    {"GetFileRanges",
     [](AnsweringBackend& target, Backend& wrapper) {
       const std::vector<FileRange> ranges = {{0, 10}, {20, 5}};
       target.WillAnswer(Result<std::vector<FileRange>>(ranges));
       EXPECT_EQ(*wrapper.GetFileRanges(kJob, 1), ranges);
       EXPECT_TRUE(target.CalledOnlyWith(&Backend::GetFileRanges, kJob, 1u));
     }},
    {"ReplaceRemotePrefix",
     [](AnsweringBackend& target, Backend& wrapper) {
       target.WillAnswer(AnswerOf("ReplaceRemotePrefix"));
       ExpectSameStatus(wrapper.ReplaceRemotePrefix(kJob, "http://old", "http://new"), "ReplaceRemotePrefix");
       EXPECT_TRUE(target.CalledOnlyWith(&Backend::ReplaceRemotePrefix, kJob, "http://old", "http://new"));
     }},
    {"SetRemoteName",
     [](AnsweringBackend& target, Backend& wrapper) {
       target.WillAnswer(AnswerOf("SetRemoteName"));
       ExpectSameStatus(wrapper.SetRemoteName(kJob, 3, "http://new/a.wma"), "SetRemoteName");
       EXPECT_TRUE(target.CalledOnlyWith(&Backend::SetRemoteName, kJob, 3u, "http://new/a.wma"));
     }},
    {"SetDisplayName",
     [](AnsweringBackend& target, Backend& wrapper) {
       target.WillAnswer(AnswerOf("SetDisplayName"));
       ExpectSameStatus(wrapper.SetDisplayName(kJob, "new name"), "SetDisplayName");
       EXPECT_TRUE(target.CalledOnlyWith(&Backend::SetDisplayName, kJob, "new name"));
     }},
    {"GetDisplayName",
     [](AnsweringBackend& target, Backend& wrapper) {
       target.WillAnswer(Result<std::string>("the name"));
       EXPECT_EQ(*wrapper.GetDisplayName(kJob), "the name");
       EXPECT_TRUE(target.CalledOnlyWith(&Backend::GetDisplayName, kJob));
     }},
    {"SetDescription",
     [](AnsweringBackend& target, Backend& wrapper) {
       target.WillAnswer(AnswerOf("SetDescription"));
       ExpectSameStatus(wrapper.SetDescription(kJob, "::WMP_JOB:1:42"), "SetDescription");
       EXPECT_TRUE(target.CalledOnlyWith(&Backend::SetDescription, kJob, "::WMP_JOB:1:42"));
     }},
    {"GetDescription",
     [](AnsweringBackend& target, Backend& wrapper) {
       target.WillAnswer(Result<std::string>("the description"));
       EXPECT_EQ(*wrapper.GetDescription(kJob), "the description");
       EXPECT_TRUE(target.CalledOnlyWith(&Backend::GetDescription, kJob));
     }},
    {"SetPriority",
     [](AnsweringBackend& target, Backend& wrapper) {
       target.WillAnswer(AnswerOf("SetPriority"));
       ExpectSameStatus(wrapper.SetPriority(kJob, JobPriority::kLow), "SetPriority");
       EXPECT_TRUE(target.CalledOnlyWith(&Backend::SetPriority, kJob, JobPriority::kLow));
     }},
    {"GetPriority",
     [](AnsweringBackend& target, Backend& wrapper) {
       target.WillAnswer(Result<JobPriority>(JobPriority::kForeground));
       EXPECT_EQ(*wrapper.GetPriority(kJob), JobPriority::kForeground);
       EXPECT_TRUE(target.CalledOnlyWith(&Backend::GetPriority, kJob));
     }},
    {"SetMinimumRetryDelay",
     [](AnsweringBackend& target, Backend& wrapper) {
       target.WillAnswer(AnswerOf("SetMinimumRetryDelay"));
       ExpectSameStatus(wrapper.SetMinimumRetryDelay(kJob, 77), "SetMinimumRetryDelay");
       EXPECT_TRUE(target.CalledOnlyWith(&Backend::SetMinimumRetryDelay, kJob, 77u));
     }},
    {"GetMinimumRetryDelay",
     [](AnsweringBackend& target, Backend& wrapper) {
       target.WillAnswer(Result<std::uint32_t>(78u));
       EXPECT_EQ(*wrapper.GetMinimumRetryDelay(kJob), 78u);
       EXPECT_TRUE(target.CalledOnlyWith(&Backend::GetMinimumRetryDelay, kJob));
     }},
    {"SetNoProgressTimeout",
     [](AnsweringBackend& target, Backend& wrapper) {
       target.WillAnswer(AnswerOf("SetNoProgressTimeout"));
       ExpectSameStatus(wrapper.SetNoProgressTimeout(kJob, 79), "SetNoProgressTimeout");
       EXPECT_TRUE(target.CalledOnlyWith(&Backend::SetNoProgressTimeout, kJob, 79u));
     }},
    {"GetNoProgressTimeout",
     [](AnsweringBackend& target, Backend& wrapper) {
       target.WillAnswer(Result<std::uint32_t>(80u));
       EXPECT_EQ(*wrapper.GetNoProgressTimeout(kJob), 80u);
       EXPECT_TRUE(target.CalledOnlyWith(&Backend::GetNoProgressTimeout, kJob));
     }},
    {"GetType",
     [](AnsweringBackend& target, Backend& wrapper) {
       target.WillAnswer(Result<JobType>(JobType::kUpload));
       EXPECT_EQ(*wrapper.GetType(kJob), JobType::kUpload);
       EXPECT_TRUE(target.CalledOnlyWith(&Backend::GetType, kJob));
     }},
    {"GetOwner",
     [](AnsweringBackend& target, Backend& wrapper) {
       target.WillAnswer(Result<std::string>("S-1-5-21-1"));
       EXPECT_EQ(*wrapper.GetOwner(kJob), "S-1-5-21-1");
       EXPECT_TRUE(target.CalledOnlyWith(&Backend::GetOwner, kJob));
     }},
    {"TakeOwnership",
     [](AnsweringBackend& target, Backend& wrapper) {
       target.WillAnswer(AnswerOf("TakeOwnership"));
       ExpectSameStatus(wrapper.TakeOwnership(kJob), "TakeOwnership");
       EXPECT_TRUE(target.CalledOnlyWith(&Backend::TakeOwnership, kJob));
     }},
    {"SetProxySettings",
     [](AnsweringBackend& target, Backend& wrapper) {
       const ProxySettings settings{ProxyUsage::kOverride, "http=proxy:8080", "<local>"};
       target.WillAnswer(AnswerOf("SetProxySettings"));
       ExpectSameStatus(wrapper.SetProxySettings(kJob, settings), "SetProxySettings");
       EXPECT_TRUE(target.CalledOnlyWith(&Backend::SetProxySettings, kJob, settings));
     }},
    {"GetProxySettings",
     [](AnsweringBackend& target, Backend& wrapper) {
       const ProxySettings settings{ProxyUsage::kOverride, "proxy:3128", std::nullopt};
       target.WillAnswer(Result<ProxySettings>(settings));
       const Result<ProxySettings> got = wrapper.GetProxySettings(kJob);
       ASSERT_TRUE(got.ok());
       EXPECT_EQ(*got, settings);
       EXPECT_TRUE(target.CalledOnlyWith(&Backend::GetProxySettings, kJob));
     }},
    {"SetCredentials",
     [](AnsweringBackend& target, Backend& wrapper) {
       const AuthCredentials credentials{AuthTarget::kProxy, AuthScheme::kDigest, "user", "pass"};
       target.WillAnswer(AnswerOf("SetCredentials"));
       ExpectSameStatus(wrapper.SetCredentials(kJob, credentials), "SetCredentials");
       EXPECT_TRUE(target.CalledOnlyWith(&Backend::SetCredentials, kJob, credentials));
     }},
    {"RemoveCredentials",
     [](AnsweringBackend& target, Backend& wrapper) {
       target.WillAnswer(AnswerOf("RemoveCredentials"));
       ExpectSameStatus(wrapper.RemoveCredentials(kJob, AuthTarget::kProxy, AuthScheme::kNtlm), "RemoveCredentials");
       EXPECT_TRUE(target.CalledOnlyWith(&Backend::RemoveCredentials, kJob, AuthTarget::kProxy, AuthScheme::kNtlm));
     }},
    {"SetCustomHeaders",
     [](AnsweringBackend& target, Backend& wrapper) {
       target.WillAnswer(AnswerOf("SetCustomHeaders"));
       ExpectSameStatus(wrapper.SetCustomHeaders(kJob, "X-Token: 1\r\n"), "SetCustomHeaders");
       EXPECT_TRUE(
           target.CalledOnlyWith(&Backend::SetCustomHeaders, kJob, std::optional<std::string>("X-Token: 1\r\n")));
     }},
    {"GetCustomHeaders",
     [](AnsweringBackend& target, Backend& wrapper) {
       target.WillAnswer(Result<std::optional<std::string>>(std::optional<std::string>("A: b\r\n")));
       EXPECT_EQ(*wrapper.GetCustomHeaders(kJob), std::optional<std::string>("A: b\r\n"));
       EXPECT_TRUE(target.CalledOnlyWith(&Backend::GetCustomHeaders, kJob));
     }},
    {"SetSecurityFlags",
     [](AnsweringBackend& target, Backend& wrapper) {
       target.WillAnswer(AnswerOf("SetSecurityFlags"));
       ExpectSameStatus(wrapper.SetSecurityFlags(kJob, 0x0A00u), "SetSecurityFlags");
       EXPECT_TRUE(target.CalledOnlyWith(&Backend::SetSecurityFlags, kJob, 0x0A00u));
     }},
    {"GetSecurityFlags",
     [](AnsweringBackend& target, Backend& wrapper) {
       target.WillAnswer(Result<std::uint32_t>(0x0100u));
       EXPECT_EQ(*wrapper.GetSecurityFlags(kJob), 0x0100u);
       EXPECT_TRUE(target.CalledOnlyWith(&Backend::GetSecurityFlags, kJob));
     }},
    {"SetJobProperty",
     [](AnsweringBackend& target, Backend& wrapper) {
       JobPropertyValue value;
       value.dword = cost_states::kPolicyStandard;
       target.WillAnswer(AnswerOf("SetJobProperty"));
       ExpectSameStatus(wrapper.SetJobProperty(kJob, JobPropertyId::kCostFlags, value), "SetJobProperty");
       EXPECT_TRUE(target.CalledOnlyWith(&Backend::SetJobProperty, kJob, JobPropertyId::kCostFlags, value));
     }},
    {"GetJobProperty",
     [](AnsweringBackend& target, Backend& wrapper) {
       JobPropertyValue value;
       value.dword = 750;
       target.WillAnswer(Result<JobPropertyValue>(value));
       EXPECT_EQ(*wrapper.GetJobProperty(kJob, JobPropertyId::kMinimumNotificationIntervalMs), value);
       EXPECT_TRUE(
           target.CalledOnlyWith(&Backend::GetJobProperty, kJob, JobPropertyId::kMinimumNotificationIntervalMs));
     }},
    {"SetMaximumDownloadTime",
     [](AnsweringBackend& target, Backend& wrapper) {
       target.WillAnswer(AnswerOf("SetMaximumDownloadTime"));
       ExpectSameStatus(wrapper.SetMaximumDownloadTime(kJob, 3600u), "SetMaximumDownloadTime");
       EXPECT_TRUE(target.CalledOnlyWith(&Backend::SetMaximumDownloadTime, kJob, 3600u));
     }},
    {"GetMaximumDownloadTime",
     [](AnsweringBackend& target, Backend& wrapper) {
       target.WillAnswer(Result<std::uint32_t>(77u));
       EXPECT_EQ(*wrapper.GetMaximumDownloadTime(kJob), 77u);
       EXPECT_TRUE(target.CalledOnlyWith(&Backend::GetMaximumDownloadTime, kJob));
     }},
    {"SetNotifyFlags",
     [](AnsweringBackend& target, Backend& wrapper) {
       target.WillAnswer(AnswerOf("SetNotifyFlags"));
       ExpectSameStatus(wrapper.SetNotifyFlags(kJob, 0x0Bu), "SetNotifyFlags");
       EXPECT_TRUE(target.CalledOnlyWith(&Backend::SetNotifyFlags, kJob, 0x0Bu));
     }},
    {"GetNotifyFlags",
     [](AnsweringBackend& target, Backend& wrapper) {
       target.WillAnswer(Result<std::uint32_t>(0x14u));
       EXPECT_EQ(*wrapper.GetNotifyFlags(kJob), 0x14u);
       EXPECT_TRUE(target.CalledOnlyWith(&Backend::GetNotifyFlags, kJob));
     }},
    {"SetNotifyInterface",
     [](AnsweringBackend& target, Backend& wrapper) {
       const auto callback = std::make_shared<testing::RecordingCallback>();
       target.WillAnswer(AnswerOf("SetNotifyInterface"));
       ExpectSameStatus(wrapper.SetNotifyInterface(kJob, callback), "SetNotifyInterface");
       EXPECT_TRUE(target.CalledOnlyWith(&Backend::SetNotifyInterface, kJob, std::shared_ptr<JobCallback>(callback)));
     }},
    {"GetNotifyInterface",
     [](AnsweringBackend& target, Backend& wrapper) {
       const std::shared_ptr<JobCallback> callback = std::make_shared<testing::RecordingCallback>();
       target.WillAnswer(Result<std::shared_ptr<JobCallback>>(callback));
       EXPECT_EQ(*wrapper.GetNotifyInterface(kJob), callback);
       EXPECT_TRUE(target.CalledOnlyWith(&Backend::GetNotifyInterface, kJob));
     }},
    {"SetNotifyCmdLine",
     [](AnsweringBackend& target, Backend& wrapper) {
       const NotifyCommandLine command_line{"C:\\store\\done.exe", "C:\\store\\done.exe /job 1"};
       target.WillAnswer(AnswerOf("SetNotifyCmdLine"));
       ExpectSameStatus(wrapper.SetNotifyCmdLine(kJob, command_line), "SetNotifyCmdLine");
       EXPECT_TRUE(target.CalledOnlyWith(&Backend::SetNotifyCmdLine, kJob, command_line));
     }},
    {"GetNotifyCmdLine",
     [](AnsweringBackend& target, Backend& wrapper) {
       const NotifyCommandLine command_line{"C:\\a.exe", ""};
       target.WillAnswer(Result<NotifyCommandLine>(command_line));
       EXPECT_EQ(*wrapper.GetNotifyCmdLine(kJob), command_line);
       EXPECT_TRUE(target.CalledOnlyWith(&Backend::GetNotifyCmdLine, kJob));
     }},
    {"Resume",
     [](AnsweringBackend& target, Backend& wrapper) {
       target.WillAnswer(AnswerOf("Resume"));
       ExpectSameStatus(wrapper.Resume(kJob), "Resume");
       EXPECT_TRUE(target.CalledOnlyWith(&Backend::Resume, kJob));
     }},
    {"Suspend",
     [](AnsweringBackend& target, Backend& wrapper) {
       target.WillAnswer(AnswerOf("Suspend"));
       ExpectSameStatus(wrapper.Suspend(kJob), "Suspend");
       EXPECT_TRUE(target.CalledOnlyWith(&Backend::Suspend, kJob));
     }},
    {"Cancel",
     [](AnsweringBackend& target, Backend& wrapper) {
       target.WillAnswer(AnswerOf("Cancel"));
       ExpectSameStatus(wrapper.Cancel(kJob), "Cancel");
       EXPECT_TRUE(target.CalledOnlyWith(&Backend::Cancel, kJob));
     }},
    {"Complete",
     [](AnsweringBackend& target, Backend& wrapper) {
       target.WillAnswer(AnswerOf("Complete"));
       ExpectSameStatus(wrapper.Complete(kJob), "Complete");
       EXPECT_TRUE(target.CalledOnlyWith(&Backend::Complete, kJob));
     }},
    {"GetState",
     [](AnsweringBackend& target, Backend& wrapper) {
       target.WillAnswer(Result<JobState>(JobState::kTransientError));
       EXPECT_EQ(*wrapper.GetState(kJob), JobState::kTransientError);
       EXPECT_TRUE(target.CalledOnlyWith(&Backend::GetState, kJob));
     }},
    {"GetProgress",
     [](AnsweringBackend& target, Backend& wrapper) {
       const JobProgress progress{5000, 1200, 3, 1};
       target.WillAnswer(Result<JobProgress>(progress));
       EXPECT_EQ(*wrapper.GetProgress(kJob), progress);
       EXPECT_TRUE(target.CalledOnlyWith(&Backend::GetProgress, kJob));
     }},
    {"GetTimes",
     [](AnsweringBackend& target, Backend& wrapper) {
       const JobTimes times{TimePoint(std::chrono::seconds(10)), TimePoint(std::chrono::seconds(20)),
                            TimePoint(std::chrono::seconds(30))};
       target.WillAnswer(Result<JobTimes>(times));
       const Result<JobTimes> got = wrapper.GetTimes(kJob);
       ASSERT_TRUE(got.ok());
       EXPECT_EQ(got->creation, times.creation);
       EXPECT_EQ(got->modification, times.modification);
       EXPECT_EQ(got->transfer_completion, times.transfer_completion);
       EXPECT_TRUE(target.CalledOnlyWith(&Backend::GetTimes, kJob));
     }},
    {"GetError",
     [](AnsweringBackend& target, Backend& wrapper) {
       const JobError error{ErrorContext::kRemoteFile, hr::kNotFound, 2, "http"};
       target.WillAnswer(Result<JobError>(error));
       EXPECT_EQ(*wrapper.GetError(kJob), error);
       EXPECT_TRUE(target.CalledOnlyWith(&Backend::GetError, kJob));
     }},
    {"GetErrorCount",
     [](AnsweringBackend& target, Backend& wrapper) {
       target.WillAnswer(Result<std::uint32_t>(81u));
       EXPECT_EQ(*wrapper.GetErrorCount(kJob), 81u);
       EXPECT_TRUE(target.CalledOnlyWith(&Backend::GetErrorCount, kJob));
     }},
};

void PrintTo(const ForwardingCase& row, std::ostream* out) { *out << row.method; }

class BackendWrapperForwardingTest : public ::testing::TestWithParam<ForwardingCase> {};

TEST_P(BackendWrapperForwardingTest, ForwardsTheCallWithItsArgumentsAndReturnsTheAnswerUnchanged) {
  AnsweringBackend target;
  BackendWrapper wrapper(target);
  GetParam().check(target, wrapper);
}

INSTANTIATE_TEST_SUITE_P(EveryMethod, BackendWrapperForwardingTest, ValuesIn(kEveryMethod),
                         [](const ::testing::TestParamInfo<ForwardingCase>& row) { return row.param.method; });

TEST(BackendWrapperTest, TheForwardingTableHasEveryBackendMethodOnce) {
  // 54: the pure virtual methods of Backend, each overridden by AnsweringBackend.
  std::vector<std::string> names;
  for (const ForwardingCase& row : kEveryMethod) names.push_back(row.method);
  std::sort(names.begin(), names.end());
  EXPECT_EQ(std::adjacent_find(names.begin(), names.end()), names.end()) << "a method has two rows";
  EXPECT_EQ(names.size(), 54u);
}

TEST(BackendWrapperTest, DecoratorChangesOnlyWhatItOverrides) {
  AnsweringBackend target;
  SuspendRefusingBackend decorator(target);
  const JobId job;
  target.WillAnswer(Status::Ok());

  EXPECT_EQ(decorator.Suspend(job).code(), hr::kInvalidState);
  EXPECT_TRUE(decorator.Resume(job).ok());
  EXPECT_TRUE(target.CalledOnlyWith(&Backend::Resume, job)) << "Suspend must not reach the target";
}

}  // namespace
}  // namespace bitsh
