#include "backend/real/bits_backend.h"

// clang-format off
#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN  // no winspool.h: its GetJob/EnumJobs macros clash with Backend
#endif
#include <initguid.h>  // before bits.h: MinGW's libuuid lacks the BITS CLSID/IIDs
#include <windows.h>
#include <bits.h>
#include <bits1_5.h>  // IBackgroundCopyJob2
#include <bits2_0.h>  // IBackgroundCopyJob3
#include <bits2_5.h>  // IBackgroundCopyJobHttpOptions
#include <bits3_0.h>  // IBackgroundCopyCallback2, IBackgroundCopyJob4
#include <bits5_0.h>  // IBackgroundCopyJob5
// clang-format on

#include "backend/real/background_copy_file3.h"  // IBackgroundCopyFile3, which MinGW lacks

#include <map>

#include "backend/real/callback_adapter.h"
#include "backend/real/com.h"

namespace bitsh::real {
namespace {

// The single HRESULT -> Status mapper: the code passes through unchanged; `what` names the call.
Status FromHresult(HRESULT result, const std::string& what) {
  const auto code = static_cast<HResult>(result);
  return Succeeded(code) ? Status(code, "") : Status(code, what);
}

class RealBitsBackend final : public Backend {
 public:
  explicit RealBitsBackend(ComPtr<IBackgroundCopyManager> manager) : manager_(std::move(manager)) {}
  ~RealBitsBackend() override {
    for (const auto& [id, adapter] : adapters_) adapter->Detach();  // BITS may still hold them
    adapters_.clear();
    jobs_.clear();
    manager_ = ComPtr<IBackgroundCopyManager>();
    CoUninitialize();
  }

  Result<JobId> CreateJob(const std::string& display_name, JobType type) override {
    GUID guid{};
    ComPtr<IBackgroundCopyJob> job;
    const HRESULT hr = manager_->CreateJob(Utf8ToWide(display_name).c_str(), static_cast<BG_JOB_TYPE>(type), &guid, job.Receive());
    if (FAILED(hr)) return FromHresult(hr, "CreateJob '" + display_name + "'");
    const JobId id = FromGuid(guid);
    jobs_[id] = job;
    return id;
  }

  Status GetJob(const JobId& id) override {
    ComPtr<IBackgroundCopyJob> job;
    return FromHresult(manager_->GetJob(ToGuid(id), job.Receive()), "GetJob " + id.ToString());
  }

  Result<std::vector<JobId>> EnumJobs(EnumScope scope) override {
    ComPtr<IEnumBackgroundCopyJobs> jobs;
    const HRESULT hr = manager_->EnumJobs(scope == EnumScope::kAllUsers ? BG_JOB_ENUM_ALL_USERS : 0, jobs.Receive());
    if (FAILED(hr)) return FromHresult(hr, "EnumJobs");
    std::vector<JobId> ids;
    while (true) {
      ComPtr<IBackgroundCopyJob> job;
      if (jobs->Next(1, job.Receive(), nullptr) != S_OK) break;
      GUID guid{};
      if (SUCCEEDED(job->GetId(&guid))) ids.push_back(FromGuid(guid));
    }
    return ids;
  }

  Status AddFile(const JobId& id, const std::string& remote_url, const std::string& local_name) override {
    return Call(id, "AddFile", [&](IBackgroundCopyJob* job) {
      return job->AddFile(Utf8ToWide(remote_url).c_str(), Utf8ToWide(local_name).c_str());
    });
  }

  Result<std::vector<FileStatus>> GetFiles(const JobId& id) override {
    Result<IBackgroundCopyJob*> job = Job(id);
    if (!job.ok()) return job.status();
    ComPtr<IEnumBackgroundCopyFiles> files;
    HRESULT hr = (*job)->EnumFiles(files.Receive());
    if (FAILED(hr)) return FromHresult(hr, "EnumFiles of " + id.ToString());
    std::vector<FileStatus> result;
    while (true) {
      ComPtr<IBackgroundCopyFile> file;
      if (files->Next(1, file.Receive(), nullptr) != S_OK) break;
      result.push_back(FileStatusOf(file.get()));
    }
    return result;
  }

  Status SetDisplayName(const JobId& id, const std::string& name) override {
    return Call(id, "SetDisplayName", [&](IBackgroundCopyJob* job) { return job->SetDisplayName(Utf8ToWide(name).c_str()); });
  }
  Result<std::string> GetDisplayName(const JobId& id) override {
    return ReadString(id, "GetDisplayName", [](IBackgroundCopyJob* job, wchar_t** text) { return job->GetDisplayName(text); });
  }
  Status SetDescription(const JobId& id, const std::string& description) override {
    return Call(id, "SetDescription", [&](IBackgroundCopyJob* job) { return job->SetDescription(Utf8ToWide(description).c_str()); });
  }
  Result<std::string> GetDescription(const JobId& id) override {
    return ReadString(id, "GetDescription", [](IBackgroundCopyJob* job, wchar_t** text) { return job->GetDescription(text); });
  }
  Status SetPriority(const JobId& id, JobPriority priority) override {
    return Call(id, "SetPriority", [&](IBackgroundCopyJob* job) { return job->SetPriority(static_cast<BG_JOB_PRIORITY>(priority)); });
  }
  Result<JobPriority> GetPriority(const JobId& id) override {
    return Read<JobPriority, BG_JOB_PRIORITY>(id, "GetPriority", [](IBackgroundCopyJob* job, BG_JOB_PRIORITY* out) { return job->GetPriority(out); });
  }
  Status SetMinimumRetryDelay(const JobId& id, std::uint32_t seconds) override {
    return Call(id, "SetMinimumRetryDelay", [&](IBackgroundCopyJob* job) { return job->SetMinimumRetryDelay(seconds); });
  }
  Result<std::uint32_t> GetMinimumRetryDelay(const JobId& id) override {
    return Read<std::uint32_t, ULONG>(id, "GetMinimumRetryDelay", [](IBackgroundCopyJob* job, ULONG* out) { return job->GetMinimumRetryDelay(out); });
  }
  Status SetNoProgressTimeout(const JobId& id, std::uint32_t seconds) override {
    return Call(id, "SetNoProgressTimeout", [&](IBackgroundCopyJob* job) { return job->SetNoProgressTimeout(seconds); });
  }
  Result<std::uint32_t> GetNoProgressTimeout(const JobId& id) override {
    return Read<std::uint32_t, ULONG>(id, "GetNoProgressTimeout", [](IBackgroundCopyJob* job, ULONG* out) { return job->GetNoProgressTimeout(out); });
  }
  Result<JobType> GetType(const JobId& id) override {
    return Read<JobType, BG_JOB_TYPE>(id, "GetType", [](IBackgroundCopyJob* job, BG_JOB_TYPE* out) { return job->GetType(out); });
  }
  Result<std::string> GetOwner(const JobId& id) override {
    return ReadString(id, "GetOwner", [](IBackgroundCopyJob* job, wchar_t** text) { return job->GetOwner(text); });
  }
  Status TakeOwnership(const JobId& id) override {
    return Call(id, "TakeOwnership", [](IBackgroundCopyJob* job) { return job->TakeOwnership(); });
  }
  Status Resume(const JobId& id) override {
    return Call(id, "Resume", [](IBackgroundCopyJob* job) { return job->Resume(); });
  }
  Status Suspend(const JobId& id) override {
    return Call(id, "Suspend", [](IBackgroundCopyJob* job) { return job->Suspend(); });
  }
  // A job that ends lets go of its callback; so does this backend.
  Status Cancel(const JobId& id) override {
    Status status = Call(id, "Cancel", [](IBackgroundCopyJob* job) { return job->Cancel(); });
    if (status.ok()) ForgetCallback(id);
    return status;
  }
  Status Complete(const JobId& id) override {
    Status status = Call(id, "Complete", [](IBackgroundCopyJob* job) { return job->Complete(); });
    if (status.ok()) ForgetCallback(id);
    return status;
  }
  Result<JobState> GetState(const JobId& id) override {
    return Read<JobState, BG_JOB_STATE>(id, "GetState", [](IBackgroundCopyJob* job, BG_JOB_STATE* out) { return job->GetState(out); });
  }
  Result<JobProgress> GetProgress(const JobId& id) override {
    Result<IBackgroundCopyJob*> job = Job(id);
    if (!job.ok()) return job.status();
    BG_JOB_PROGRESS progress{};
    const HRESULT hr = (*job)->GetProgress(&progress);
    if (FAILED(hr)) return FromHresult(hr, "GetProgress of " + id.ToString());
    return JobProgress{progress.BytesTotal, progress.BytesTransferred, static_cast<std::uint32_t>(progress.FilesTotal),
                       static_cast<std::uint32_t>(progress.FilesTransferred)};
  }
  Result<JobTimes> GetTimes(const JobId& id) override {
    Result<IBackgroundCopyJob*> job = Job(id);
    if (!job.ok()) return job.status();
    BG_JOB_TIMES times{};
    const HRESULT hr = (*job)->GetTimes(&times);
    if (FAILED(hr)) return FromHresult(hr, "GetTimes of " + id.ToString());
    return JobTimes{FromFileTime(times.CreationTime).value_or(TimePoint{}),
                    FromFileTime(times.ModificationTime).value_or(TimePoint{}), FromFileTime(times.TransferCompletionTime)};
  }
  Result<JobError> GetError(const JobId& id) override {
    Result<IBackgroundCopyJob*> job = Job(id);
    if (!job.ok()) return job.status();
    ComPtr<IBackgroundCopyError> error;
    HRESULT hr = (*job)->GetError(error.Receive());
    if (FAILED(hr)) return FromHresult(hr, "GetError of " + id.ToString());
    BG_ERROR_CONTEXT context{};
    HRESULT code = S_OK;
    hr = error->GetError(&context, &code);
    if (FAILED(hr)) return FromHresult(hr, "IBackgroundCopyError::GetError of " + id.ToString());
    JobError result{static_cast<ErrorContext>(context), static_cast<HResult>(code), std::nullopt, ""};
    wchar_t* protocol = nullptr;
    if (error->GetProtocol(&protocol) == S_OK) result.protocol = TakeCoTaskString(protocol);
    ComPtr<IBackgroundCopyFile> file;
    wchar_t* name = nullptr;
    if (error->GetFile(file.Receive()) == S_OK && SUCCEEDED(file->GetLocalName(&name))) {
      const std::string local = TakeCoTaskString(name);
      if (Result<std::vector<FileStatus>> files = GetFiles(id); files.ok()) {
        for (std::size_t i = 0; i < files->size(); ++i) {
          if ((*files)[i].local_name == local) result.file_index = i;
        }
      }
    }
    return result;
  }
  Status ReplaceRemotePrefix(const JobId& id, const std::string& old_prefix, const std::string& new_prefix) override {
    Result<ComPtr<IBackgroundCopyJob3>> job = Query<IBackgroundCopyJob3>(id, IID_IBackgroundCopyJob3, "IBackgroundCopyJob3");
    if (!job.ok()) return job.status();
    return FromHresult((*job)->ReplaceRemotePrefix(Utf8ToWide(old_prefix).c_str(), Utf8ToWide(new_prefix).c_str()),
                       "ReplaceRemotePrefix on " + id.ToString());
  }
  Status AddFileWithRanges(const JobId& id, const std::string& remote_url, const std::string& local_name,
                           const std::vector<FileRange>& ranges) override {
    Result<ComPtr<IBackgroundCopyJob3>> job = Query<IBackgroundCopyJob3>(id, IID_IBackgroundCopyJob3, "IBackgroundCopyJob3");
    if (!job.ok()) return job.status();
    std::vector<BG_FILE_RANGE> raw;
    for (const FileRange& range : ranges) raw.push_back(BG_FILE_RANGE{range.initial_offset, range.length});
    return FromHresult((*job)->AddFileWithRanges(Utf8ToWide(remote_url).c_str(), Utf8ToWide(local_name).c_str(),
                                                 static_cast<DWORD>(raw.size()), raw.empty() ? nullptr : raw.data()),
                       "AddFileWithRanges on " + id.ToString());
  }
  Result<std::vector<FileRange>> GetFileRanges(const JobId& id, std::size_t file_index) override {
    Result<ComPtr<IBackgroundCopyFile2>> file = FileAt<IBackgroundCopyFile2>(id, file_index, IID_IBackgroundCopyFile2);
    if (!file.ok()) return file.status();
    DWORD count = 0;
    BG_FILE_RANGE* raw = nullptr;
    const HRESULT hr = (*file)->GetFileRanges(&count, &raw);
    if (FAILED(hr)) return FromHresult(hr, "GetFileRanges of file #" + std::to_string(file_index) + " of " + id.ToString());
    std::vector<FileRange> ranges;
    for (DWORD i = 0; i < count && raw != nullptr; ++i) ranges.push_back(FileRange{raw[i].InitialOffset, raw[i].Length});
    if (raw != nullptr) CoTaskMemFree(raw);
    return ranges;
  }
  Status SetRemoteName(const JobId& id, std::size_t file_index, const std::string& remote_name) override {
    Result<ComPtr<IBackgroundCopyFile2>> file = FileAt<IBackgroundCopyFile2>(id, file_index, IID_IBackgroundCopyFile2);
    if (!file.ok()) return file.status();
    return FromHresult((*file)->SetRemoteName(Utf8ToWide(remote_name).c_str()),
                       "SetRemoteName of file #" + std::to_string(file_index) + " of " + id.ToString());
  }
  Status AddFileSet(const JobId& id, const std::vector<FileToAdd>& files) override {
    std::vector<std::wstring> names;  // kept alive for the call
    names.reserve(files.size() * 2);
    std::vector<BG_FILE_INFO> set;
    for (const FileToAdd& file : files) {
      names.push_back(Utf8ToWide(file.remote_url));
      names.push_back(Utf8ToWide(file.local_name));
      set.push_back(BG_FILE_INFO{names[names.size() - 2].data(), names.back().data()});
    }
    return Call(id, "AddFileSet", [&](IBackgroundCopyJob* job) {
      return job->AddFileSet(static_cast<ULONG>(set.size()), set.empty() ? nullptr : set.data());
    });
  }
  Result<std::string> GetTemporaryName(const JobId& id, std::size_t file_index) override {
    Result<ComPtr<BackgroundCopyFile3>> file = File3(id, file_index);
    if (!file.ok()) return file.status();
    wchar_t* name = nullptr;
    const HRESULT hr = (*file)->GetTemporaryName(&name);
    if (FAILED(hr)) return FromHresult(hr, "GetTemporaryName of file #" + std::to_string(file_index) + " of " + id.ToString());
    return TakeCoTaskString(name);
  }
  Status SetValidationState(const JobId& id, std::size_t file_index, bool valid) override {
    Result<ComPtr<BackgroundCopyFile3>> file = File3(id, file_index);
    if (!file.ok()) return file.status();
    return FromHresult((*file)->SetValidationState(valid ? TRUE : FALSE),
                       "SetValidationState of file #" + std::to_string(file_index) + " of " + id.ToString());
  }
  Result<bool> GetValidationState(const JobId& id, std::size_t file_index) override {
    return ReadFile3Flag(id, file_index, "GetValidationState",
                         [](BackgroundCopyFile3* file, BOOL* out) { return file->GetValidationState(out); });
  }
  Result<bool> IsDownloadedFromPeer(const JobId& id, std::size_t file_index) override {
    return ReadFile3Flag(id, file_index, "IsDownloadedFromPeer",
                         [](BackgroundCopyFile3* file, BOOL* out) { return file->IsDownloadedFromPeer(out); });
  }
  Status SetCredentials(const JobId& id, const AuthCredentials& credentials) override {
    Result<ComPtr<IBackgroundCopyJob2>> job = Job2(id);
    if (!job.ok()) return job.status();
    // NULL strings stay NULL: NTLM with neither means the logged-on user's own credentials.
    std::wstring user = credentials.user_name ? Utf8ToWide(*credentials.user_name) : std::wstring();
    std::wstring password = credentials.password ? Utf8ToWide(*credentials.password) : std::wstring();
    BG_AUTH_CREDENTIALS raw{};
    raw.Target = static_cast<BG_AUTH_TARGET>(credentials.target);
    raw.Scheme = static_cast<BG_AUTH_SCHEME>(credentials.scheme);
    raw.Credentials.Basic.UserName = credentials.user_name ? user.data() : nullptr;
    raw.Credentials.Basic.Password = credentials.password ? password.data() : nullptr;
    const HRESULT hr = (*job)->SetCredentials(&raw);
    SecureZeroMemory(password.data(), password.size() * sizeof(wchar_t));
    return FromHresult(hr, "SetCredentials on " + id.ToString());
  }
  Status RemoveCredentials(const JobId& id, AuthTarget target, AuthScheme scheme) override {
    Result<ComPtr<IBackgroundCopyJob2>> job = Job2(id);
    if (!job.ok()) return job.status();
    return FromHresult((*job)->RemoveCredentials(static_cast<BG_AUTH_TARGET>(target), static_cast<BG_AUTH_SCHEME>(scheme)),
                       "RemoveCredentials on " + id.ToString());
  }
  Status SetProxySettings(const JobId& id, const ProxySettings& settings) override {
    // A list that is nullopt is NULL, as the page asks of every usage but OVERRIDE.
    const std::optional<std::wstring> list = settings.proxy_list ? std::optional(Utf8ToWide(*settings.proxy_list)) : std::nullopt;
    const std::optional<std::wstring> bypass = settings.bypass_list ? std::optional(Utf8ToWide(*settings.bypass_list)) : std::nullopt;
    return Call(id, "SetProxySettings", [&](IBackgroundCopyJob* job) {
      return job->SetProxySettings(static_cast<BG_JOB_PROXY_USAGE>(settings.usage), list ? list->c_str() : nullptr,
                                   bypass ? bypass->c_str() : nullptr);
    });
  }
  Result<ProxySettings> GetProxySettings(const JobId& id) override {
    Result<IBackgroundCopyJob*> job = Job(id);
    if (!job.ok()) return job.status();
    BG_JOB_PROXY_USAGE usage = BG_JOB_PROXY_USAGE_PRECONFIG;
    wchar_t* list = nullptr;
    wchar_t* bypass = nullptr;
    const HRESULT hr = (*job)->GetProxySettings(&usage, &list, &bypass);
    if (FAILED(hr)) return FromHresult(hr, "GetProxySettings of " + id.ToString());
    ProxySettings settings;
    settings.usage = static_cast<ProxyUsage>(usage);
    if (list != nullptr) settings.proxy_list = TakeCoTaskString(list);
    if (bypass != nullptr) settings.bypass_list = TakeCoTaskString(bypass);
    return settings;
  }
  Status SetCustomHeaders(const JobId& id, const std::optional<std::string>& headers) override {
    Result<ComPtr<IBackgroundCopyJobHttpOptions>> options = HttpOptions(id);
    if (!options.ok()) return options.status();
    // NULL removes the headers; so does "" in the Backend contract.
    const std::wstring text = headers ? Utf8ToWide(*headers) : std::wstring();
    return FromHresult((*options)->SetCustomHeaders(text.empty() ? nullptr : text.c_str()),
                       "SetCustomHeaders on " + id.ToString());
  }
  Result<std::optional<std::string>> GetCustomHeaders(const JobId& id) override {
    Result<ComPtr<IBackgroundCopyJobHttpOptions>> options = HttpOptions(id);
    if (!options.ok()) return options.status();
    wchar_t* text = nullptr;
    const HRESULT hr = (*options)->GetCustomHeaders(&text);
    if (FAILED(hr)) return FromHresult(hr, "GetCustomHeaders of " + id.ToString());
    if (hr == S_FALSE || text == nullptr) {  // none set
      if (text != nullptr) CoTaskMemFree(text);
      return std::optional<std::string>();
    }
    return std::optional<std::string>(TakeCoTaskString(text));
  }
  Status SetSecurityFlags(const JobId& id, std::uint32_t flags) override {
    Result<ComPtr<IBackgroundCopyJobHttpOptions>> options = HttpOptions(id);
    if (!options.ok()) return options.status();
    return FromHresult((*options)->SetSecurityFlags(flags), "SetSecurityFlags on " + id.ToString());
  }
  Result<std::uint32_t> GetSecurityFlags(const JobId& id) override {
    Result<ComPtr<IBackgroundCopyJobHttpOptions>> options = HttpOptions(id);
    if (!options.ok()) return options.status();
    ULONG flags = 0;
    const HRESULT hr = (*options)->GetSecurityFlags(&flags);
    if (FAILED(hr)) return FromHresult(hr, "GetSecurityFlags of " + id.ToString());
    return static_cast<std::uint32_t>(flags);
  }
  Status SetJobProperty(const JobId& id, JobPropertyId property, const JobPropertyValue& value) override {
    Result<ComPtr<IBackgroundCopyJob5>> job = Query<IBackgroundCopyJob5>(id, IID_IBackgroundCopyJob5, "IBackgroundCopyJob5");
    if (!job.ok()) return job.status();
    BITS_JOB_PROPERTY_VALUE raw{};
    switch (property) {
      case JobPropertyId::kNotificationClsid:
        if (FAILED(CLSIDFromString(Utf8ToWide(value.clsid).c_str(), &raw.ClsID))) {
          return Status::InvalidArg("'" + value.clsid + "' is not a CLSID");
        }
        break;
      case JobPropertyId::kDynamicContent:
      case JobPropertyId::kHighPerformance:
      case JobPropertyId::kOnDemandMode: raw.Enable = value.enable ? TRUE : FALSE; break;
      case JobPropertyId::kMaxDownloadSize: raw.Uint64 = value.uint64; break;
      case JobPropertyId::kUseStoredCredentials: raw.Target = static_cast<BG_AUTH_TARGET>(value.target); break;
      default: raw.Dword = value.dword; break;
    }
    return FromHresult((*job)->SetProperty(static_cast<BITS_JOB_PROPERTY_ID>(property), raw),
                       "SetProperty " + std::to_string(static_cast<std::uint32_t>(property)) + " on " + id.ToString());
  }
  Result<JobPropertyValue> GetJobProperty(const JobId& id, JobPropertyId property) override {
    Result<ComPtr<IBackgroundCopyJob5>> job = Query<IBackgroundCopyJob5>(id, IID_IBackgroundCopyJob5, "IBackgroundCopyJob5");
    if (!job.ok()) return job.status();
    BITS_JOB_PROPERTY_VALUE raw{};
    const HRESULT hr = (*job)->GetProperty(static_cast<BITS_JOB_PROPERTY_ID>(property), &raw);
    if (FAILED(hr)) return FromHresult(hr, "GetProperty " + std::to_string(static_cast<std::uint32_t>(property)) + " of " + id.ToString());
    JobPropertyValue value;
    switch (property) {
      case JobPropertyId::kNotificationClsid: {
        wchar_t text[64] = {};
        if (StringFromGUID2(raw.ClsID, text, 64) > 0) value.clsid = WideToUtf8(text);
        break;
      }
      case JobPropertyId::kDynamicContent:
      case JobPropertyId::kHighPerformance:
      case JobPropertyId::kOnDemandMode: value.enable = raw.Enable != FALSE; break;
      case JobPropertyId::kMaxDownloadSize: value.uint64 = raw.Uint64; break;
      case JobPropertyId::kUseStoredCredentials: value.target = static_cast<AuthTarget>(raw.Target); break;
      default: value.dword = raw.Dword; break;
    }
    return value;
  }
  Status SetMaximumDownloadTime(const JobId& id, std::uint32_t seconds) override {
    Result<ComPtr<IBackgroundCopyJob4>> job = Query<IBackgroundCopyJob4>(id, IID_IBackgroundCopyJob4, "IBackgroundCopyJob4");
    if (!job.ok()) return job.status();
    return FromHresult((*job)->SetMaximumDownloadTime(seconds), "SetMaximumDownloadTime on " + id.ToString());
  }
  Result<std::uint32_t> GetMaximumDownloadTime(const JobId& id) override {
    Result<ComPtr<IBackgroundCopyJob4>> job = Query<IBackgroundCopyJob4>(id, IID_IBackgroundCopyJob4, "IBackgroundCopyJob4");
    if (!job.ok()) return job.status();
    ULONG seconds = 0;
    const HRESULT hr = (*job)->GetMaximumDownloadTime(&seconds);
    if (FAILED(hr)) return FromHresult(hr, "GetMaximumDownloadTime of " + id.ToString());
    return static_cast<std::uint32_t>(seconds);
  }
  Status SetNotifyFlags(const JobId& id, std::uint32_t flags) override {
    return Call(id, "SetNotifyFlags", [&](IBackgroundCopyJob* job) { return job->SetNotifyFlags(flags); });
  }
  Result<std::uint32_t> GetNotifyFlags(const JobId& id) override {
    return Read<std::uint32_t, ULONG>(id, "GetNotifyFlags", [](IBackgroundCopyJob* job, ULONG* out) { return job->GetNotifyFlags(out); });
  }
  Status SetNotifyInterface(const JobId& id, std::shared_ptr<JobCallback> callback) override {
    if (!callback) {
      Status status = Call(id, "SetNotifyInterface", [](IBackgroundCopyJob* job) { return job->SetNotifyInterface(nullptr); });
      if (status.ok()) ForgetCallback(id);
      return status;
    }
    ComPtr<CallbackAdapter> adapter(new CallbackAdapter(std::move(callback), *this));
    Status status = Call(id, "SetNotifyInterface", [&](IBackgroundCopyJob* job) { return job->SetNotifyInterface(adapter.get()); });
    if (status.ok()) {
      ForgetCallback(id);
      adapters_[id] = adapter;
    }
    return status;
  }
  Result<std::shared_ptr<JobCallback>> GetNotifyInterface(const JobId& id) override {
    Result<IBackgroundCopyJob*> job = Job(id);
    if (!job.ok()) return job.status();
    ComPtr<IUnknown> registered;
    const HRESULT hr = (*job)->GetNotifyInterface(registered.Receive());
    if (FAILED(hr)) return FromHresult(hr, "GetNotifyInterface of " + id.ToString());
    if (!registered) return std::shared_ptr<JobCallback>();
    // COM identity: the same object answers IUnknown with the same pointer.
    ComPtr<IUnknown> identity;
    if (FAILED(registered->QueryInterface(IID_IUnknown, reinterpret_cast<void**>(identity.Receive())))) {
      return std::shared_ptr<JobCallback>();
    }
    const auto mine = adapters_.find(id);
    if (mine != adapters_.end() &&
        static_cast<IUnknown*>(static_cast<IBackgroundCopyCallback2*>(mine->second.get())) == identity.get()) {
      return mine->second->callback();
    }
    return std::shared_ptr<JobCallback>();  // another program's
  }
  Status SetNotifyCmdLine(const JobId& id, const NotifyCommandLine& command_line) override {
    Result<ComPtr<IBackgroundCopyJob2>> job = Job2(id);
    if (!job.ok()) return job.status();
    const std::wstring program = Utf8ToWide(command_line.program.value_or(""));
    const std::wstring parameters = Utf8ToWide(command_line.parameters.value_or(""));
    return FromHresult((*job)->SetNotifyCmdLine(command_line.program ? program.c_str() : nullptr,
                                                command_line.parameters ? parameters.c_str() : nullptr),
                       "SetNotifyCmdLine on " + id.ToString());
  }
  Result<NotifyCommandLine> GetNotifyCmdLine(const JobId& id) override {
    Result<ComPtr<IBackgroundCopyJob2>> job = Job2(id);
    if (!job.ok()) return job.status();
    wchar_t* program = nullptr;
    wchar_t* parameters = nullptr;
    const HRESULT hr = (*job)->GetNotifyCmdLine(&program, &parameters);
    if (FAILED(hr)) return FromHresult(hr, "GetNotifyCmdLine of " + id.ToString());
    NotifyCommandLine line{"", ""};
    if (program != nullptr) line.program = TakeCoTaskString(program);
    if (parameters != nullptr) line.parameters = TakeCoTaskString(parameters);
    return line;
  }
  Result<std::uint32_t> GetErrorCount(const JobId& id) override {
    return Read<std::uint32_t, ULONG>(id, "GetErrorCount", [](IBackgroundCopyJob* job, ULONG* out) { return job->GetErrorCount(out); });
  }

 private:
  // Lets go of the job's callback: detached first, since BITS or COM may still hold a reference
  // to the adapter after this backend is gone.
  void ForgetCallback(const JobId& id) {
    const auto found = adapters_.find(id);
    if (found == adapters_.end()) return;
    found->second->Detach();
    adapters_.erase(found);
  }

  // The job's COM pointer: the one this backend holds, else the manager's (BG_E_NOT_FOUND, ...).
  Result<IBackgroundCopyJob*> Job(const JobId& id) {
    if (auto found = jobs_.find(id); found != jobs_.end()) return found->second.get();
    ComPtr<IBackgroundCopyJob> job;
    const HRESULT hr = manager_->GetJob(ToGuid(id), job.Receive());
    if (FAILED(hr)) return FromHresult(hr, "GetJob " + id.ToString());
    jobs_[id] = job;
    return job.get();
  }

  // The job's file at `file_index` (EnumFiles order) as `Interface`: E_INVALIDARG past the last
  // file, E_NOINTERFACE from a BITS too old for the interface.
  template <typename Interface>
  Result<ComPtr<Interface>> FileAt(const JobId& id, std::size_t file_index, REFIID iid) {
    Result<IBackgroundCopyJob*> job = Job(id);
    if (!job.ok()) return job.status();
    ComPtr<IEnumBackgroundCopyFiles> files;
    const HRESULT enumerated = (*job)->EnumFiles(files.Receive());
    if (FAILED(enumerated)) return FromHresult(enumerated, "EnumFiles of " + id.ToString());
    ComPtr<IBackgroundCopyFile> file;
    if ((file_index > 0 && files->Skip(static_cast<ULONG>(file_index)) != S_OK) ||
        files->Next(1, file.Receive(), nullptr) != S_OK) {
      return Status::InvalidArg("job " + id.ToString() + " has no file #" + std::to_string(file_index));
    }
    ComPtr<Interface> wanted;
    const HRESULT queried = file->QueryInterface(iid, reinterpret_cast<void**>(wanted.Receive()));
    if (FAILED(queried)) return FromHresult(queried, "file #" + std::to_string(file_index) + " of " + id.ToString());
    return wanted;
  }
  Result<ComPtr<BackgroundCopyFile3>> File3(const JobId& id, std::size_t file_index) {
    return FileAt<BackgroundCopyFile3>(id, file_index, IID_BitshBackgroundCopyFile3);
  }
  template <typename Getter>
  Result<bool> ReadFile3Flag(const JobId& id, std::size_t file_index, const char* what, Getter getter) {
    Result<ComPtr<BackgroundCopyFile3>> file = File3(id, file_index);
    if (!file.ok()) return file.status();
    BOOL flag = FALSE;
    const HRESULT hr = getter(file->get(), &flag);
    if (FAILED(hr)) return FromHresult(hr, std::string(what) + " of file #" + std::to_string(file_index) + " of " + id.ToString());
    return flag != FALSE;
  }

  // Another interface of the job (IBackgroundCopyJob2 from BITS 1.5, IBackgroundCopyJobHttpOptions
  // from 2.5): E_NOINTERFACE from an older BITS.
  template <typename Interface>
  Result<ComPtr<Interface>> Query(const JobId& id, REFIID iid, const char* name) {
    Result<IBackgroundCopyJob*> job = Job(id);
    if (!job.ok()) return job.status();
    ComPtr<Interface> other;
    const HRESULT hr = (*job)->QueryInterface(iid, reinterpret_cast<void**>(other.Receive()));
    if (FAILED(hr)) return FromHresult(hr, std::string(name) + " of " + id.ToString());
    return other;
  }
  Result<ComPtr<IBackgroundCopyJob2>> Job2(const JobId& id) {
    return Query<IBackgroundCopyJob2>(id, IID_IBackgroundCopyJob2, "IBackgroundCopyJob2");
  }
  Result<ComPtr<IBackgroundCopyJobHttpOptions>> HttpOptions(const JobId& id) {
    return Query<IBackgroundCopyJobHttpOptions>(id, IID_IBackgroundCopyJobHttpOptions, "IBackgroundCopyJobHttpOptions");
  }

  template <typename Action>
  Status Call(const JobId& id, const char* what, Action action) {
    Result<IBackgroundCopyJob*> job = Job(id);
    if (!job.ok()) return job.status();
    return FromHresult(action(*job), std::string(what) + " on " + id.ToString());
  }

  template <typename T, typename Raw, typename Getter>
  Result<T> Read(const JobId& id, const char* what, Getter getter) {
    Result<IBackgroundCopyJob*> job = Job(id);
    if (!job.ok()) return job.status();
    Raw value{};
    const HRESULT hr = getter(*job, &value);
    if (FAILED(hr)) return FromHresult(hr, std::string(what) + " of " + id.ToString());
    return static_cast<T>(value);
  }

  template <typename Getter>
  Result<std::string> ReadString(const JobId& id, const char* what, Getter getter) {
    Result<IBackgroundCopyJob*> job = Job(id);
    if (!job.ok()) return job.status();
    wchar_t* text = nullptr;
    const HRESULT hr = getter(*job, &text);
    if (FAILED(hr)) return FromHresult(hr, std::string(what) + " of " + id.ToString());
    return TakeCoTaskString(text);
  }

  ComPtr<IBackgroundCopyManager> manager_;
  std::map<JobId, ComPtr<IBackgroundCopyJob>> jobs_;
  // The callback this backend registered on each job (GetNotifyInterface finds its own here); a
  // replaced one is dropped (BITS releases its own reference), so the map holds one per job.
  std::map<JobId, ComPtr<CallbackAdapter>> adapters_;
};

}  // namespace

Result<std::unique_ptr<Backend>> ConnectToBits() {
  HRESULT hr = CoInitializeEx(nullptr, COINIT_APARTMENTTHREADED);
  if (FAILED(hr)) return FromHresult(hr, "CoInitializeEx");
  ComPtr<IBackgroundCopyManager> manager;
  hr = CoCreateInstance(CLSID_BackgroundCopyManager, nullptr, CLSCTX_LOCAL_SERVER, IID_IBackgroundCopyManager,
                        reinterpret_cast<void**>(manager.Receive()));
  if (FAILED(hr)) {
    CoUninitialize();
    return FromHresult(hr, "CoCreateInstance(BackgroundCopyManager): is the BITS service running?");
  }
  return std::unique_ptr<Backend>(new RealBitsBackend(std::move(manager)));
}

}  // namespace bitsh::real
