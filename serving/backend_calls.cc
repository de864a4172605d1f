#include "serving/backend_calls.h"

#include <algorithm>
#include <exception>
#include <map>
#include <string>

namespace bitsh::serving {
namespace {

using remote::Json;

Json Answer(const Status& status) { return remote::StatusToJson(status); }

template <typename T>
Json Answer(const Result<T>& result) {
  Json answer = remote::StatusToJson(result.status());
  if (result.ok()) answer["value"] = *result;
  return answer;
}

Json AnswerOptional(const Result<std::optional<std::string>>& result) {
  Json answer = remote::StatusToJson(result.status());
  if (result.ok()) answer["value"] = *result ? Json(**result) : Json(nullptr);
  return answer;
}

JobId Job(const Json& args) { return remote::Field<JobId>(args, "job"); }
// A local name as the fake takes it (a host path), and a host path as the client names it.
std::string ToHost(const CallContext& context, std::string name) {
  return context.paths ? context.paths->ToHost(name) : name;
}
std::string ToClient(const CallContext& context, std::string path) {
  return context.paths ? context.paths->ToWindows(path) : path;
}
std::size_t Index(const Json& args) { return remote::Field<std::size_t>(args, "file_index"); }
std::string Text(const Json& args, const char* key) { return remote::Field<std::string>(args, key); }
std::uint32_t Number(const Json& args, const char* key) { return remote::Field<std::uint32_t>(args, key); }

using Call = Json (*)(Backend&, const Json&, const CallContext&);

// One row per Backend method, in backend.h's order.
const std::vector<std::pair<std::string_view, Call>>& Table() {
  static const std::vector<std::pair<std::string_view, Call>> table = {
      {"CreateJob",
       [](Backend& b, const Json& a, const CallContext&) {
         return Answer(b.CreateJob(Text(a, "display_name"), remote::Field<JobType>(a, "type")));
       }},
      {"GetJob", [](Backend& b, const Json& a, const CallContext&) { return Answer(b.GetJob(Job(a))); }},
      {"EnumJobs",
       [](Backend& b, const Json& a, const CallContext&) { return Answer(b.EnumJobs(remote::Field<EnumScope>(a, "scope"))); }},
      {"AddFile",
       [](Backend& b, const Json& a, const CallContext& c) {
         return Answer(b.AddFile(Job(a), Text(a, "remote_url"), ToHost(c, Text(a, "local_name"))));
       }},
      {"GetFiles",
       [](Backend& b, const Json& a, const CallContext& c) {
         Result<std::vector<FileStatus>> files = b.GetFiles(Job(a));
         if (files.ok()) {
           for (FileStatus& file : files.value()) file.local_name = ToClient(c, std::move(file.local_name));
         }
         return Answer(files);
       }},
      {"AddFileSet",
       [](Backend& b, const Json& a, const CallContext& c) {
         std::vector<FileToAdd> files = remote::Field<std::vector<FileToAdd>>(a, "files");
         for (FileToAdd& file : files) file.local_name = ToHost(c, std::move(file.local_name));
         return Answer(b.AddFileSet(Job(a), files));
       }},
      {"AddFileWithRanges",
       [](Backend& b, const Json& a, const CallContext& c) {
         return Answer(b.AddFileWithRanges(Job(a), Text(a, "remote_url"), ToHost(c, Text(a, "local_name")),
                                           remote::Field<std::vector<FileRange>>(a, "ranges")));
       }},
      {"GetFileRanges",
       [](Backend& b, const Json& a, const CallContext&) { return Answer(b.GetFileRanges(Job(a), Index(a))); }},
      {"ReplaceRemotePrefix",
       [](Backend& b, const Json& a, const CallContext&) {
         return Answer(b.ReplaceRemotePrefix(Job(a), Text(a, "old_prefix"), Text(a, "new_prefix")));
       }},
      {"SetRemoteName",
       [](Backend& b, const Json& a, const CallContext&) {
         return Answer(b.SetRemoteName(Job(a), Index(a), Text(a, "remote_name")));
       }},
      {"GetTemporaryName",
       [](Backend& b, const Json& a, const CallContext& c) {
         Result<std::string> name = b.GetTemporaryName(Job(a), Index(a));
         if (name.ok()) name = ToClient(c, std::move(name.value()));
         return Answer(name);
       }},
      {"SetValidationState",
       [](Backend& b, const Json& a, const CallContext&) {
         return Answer(b.SetValidationState(Job(a), Index(a), remote::Field<bool>(a, "valid")));
       }},
      {"GetValidationState",
       [](Backend& b, const Json& a, const CallContext&) { return Answer(b.GetValidationState(Job(a), Index(a))); }},
      {"IsDownloadedFromPeer",
       [](Backend& b, const Json& a, const CallContext&) { return Answer(b.IsDownloadedFromPeer(Job(a), Index(a))); }},
      {"SetDisplayName",
       [](Backend& b, const Json& a, const CallContext&) { return Answer(b.SetDisplayName(Job(a), Text(a, "name"))); }},
      {"GetDisplayName", [](Backend& b, const Json& a, const CallContext&) { return Answer(b.GetDisplayName(Job(a))); }},
      {"SetDescription",
       [](Backend& b, const Json& a, const CallContext&) {
         return Answer(b.SetDescription(Job(a), Text(a, "description")));
       }},
      {"GetDescription", [](Backend& b, const Json& a, const CallContext&) { return Answer(b.GetDescription(Job(a))); }},
      {"SetPriority",
       [](Backend& b, const Json& a, const CallContext&) {
         return Answer(b.SetPriority(Job(a), remote::Field<JobPriority>(a, "priority")));
       }},
      {"GetPriority", [](Backend& b, const Json& a, const CallContext&) { return Answer(b.GetPriority(Job(a))); }},
      {"SetMinimumRetryDelay",
       [](Backend& b, const Json& a, const CallContext&) {
         return Answer(b.SetMinimumRetryDelay(Job(a), Number(a, "seconds")));
       }},
      {"GetMinimumRetryDelay",
       [](Backend& b, const Json& a, const CallContext&) { return Answer(b.GetMinimumRetryDelay(Job(a))); }},
      {"SetNoProgressTimeout",
       [](Backend& b, const Json& a, const CallContext&) {
         return Answer(b.SetNoProgressTimeout(Job(a), Number(a, "seconds")));
       }},
      {"GetNoProgressTimeout",
       [](Backend& b, const Json& a, const CallContext&) { return Answer(b.GetNoProgressTimeout(Job(a))); }},
      {"SetMaximumDownloadTime",
       [](Backend& b, const Json& a, const CallContext&) {
         return Answer(b.SetMaximumDownloadTime(Job(a), Number(a, "seconds")));
       }},
      {"GetMaximumDownloadTime",
       [](Backend& b, const Json& a, const CallContext&) { return Answer(b.GetMaximumDownloadTime(Job(a))); }},
      {"GetType", [](Backend& b, const Json& a, const CallContext&) { return Answer(b.GetType(Job(a))); }},
      {"GetOwner", [](Backend& b, const Json& a, const CallContext&) { return Answer(b.GetOwner(Job(a))); }},
      {"TakeOwnership", [](Backend& b, const Json& a, const CallContext&) { return Answer(b.TakeOwnership(Job(a))); }},
      {"SetProxySettings",
       [](Backend& b, const Json& a, const CallContext&) {
         return Answer(b.SetProxySettings(Job(a), remote::Field<ProxySettings>(a, "settings")));
       }},
      {"GetProxySettings",
       [](Backend& b, const Json& a, const CallContext&) { return Answer(b.GetProxySettings(Job(a))); }},
      {"SetCredentials",
       [](Backend& b, const Json& a, const CallContext&) {
         return Answer(b.SetCredentials(Job(a), remote::Field<AuthCredentials>(a, "credentials")));
       }},
      {"RemoveCredentials",
       [](Backend& b, const Json& a, const CallContext&) {
         return Answer(b.RemoveCredentials(Job(a), remote::Field<AuthTarget>(a, "target"), remote::Field<AuthScheme>(a, "scheme")));
       }},
      {"SetCustomHeaders",
       [](Backend& b, const Json& a, const CallContext&) {
         const Json headers = remote::Field<Json>(a, "headers");
         return Answer(b.SetCustomHeaders(
             Job(a), headers.is_null() ? std::nullopt : std::optional<std::string>(headers.get<std::string>())));
       }},
      {"GetCustomHeaders",
       [](Backend& b, const Json& a, const CallContext&) { return AnswerOptional(b.GetCustomHeaders(Job(a))); }},
      {"SetSecurityFlags",
       [](Backend& b, const Json& a, const CallContext&) {
         return Answer(b.SetSecurityFlags(Job(a), Number(a, "flags")));
       }},
      {"GetSecurityFlags",
       [](Backend& b, const Json& a, const CallContext&) { return Answer(b.GetSecurityFlags(Job(a))); }},
      {"SetJobProperty",
       [](Backend& b, const Json& a, const CallContext&) {
         return Answer(
             b.SetJobProperty(Job(a), remote::Field<JobPropertyId>(a, "id"), remote::Field<JobPropertyValue>(a, "value")));
       }},
      {"GetJobProperty",
       [](Backend& b, const Json& a, const CallContext&) {
         return Answer(b.GetJobProperty(Job(a), remote::Field<JobPropertyId>(a, "id")));
       }},
      {"SetNotifyFlags",
       [](Backend& b, const Json& a, const CallContext&) { return Answer(b.SetNotifyFlags(Job(a), Number(a, "flags"))); }},
      {"GetNotifyFlags", [](Backend& b, const Json& a, const CallContext&) { return Answer(b.GetNotifyFlags(Job(a))); }},
      {"SetNotifyInterface",
       [](Backend& b, const Json& a, const CallContext& context) {
         const Json callback = remote::Field<Json>(a, "callback");
         std::shared_ptr<JobCallback> forwarder;
         if (!callback.is_null()) {
           forwarder = context.make_callback(
               CallbackAddress{remote::Field<std::uint64_t>(callback, "apartment"), remote::Field<std::uint64_t>(callback, "callback")},
               context.paths);
         }
         return Answer(b.SetNotifyInterface(Job(a), std::move(forwarder)));
       }},
      {"GetNotifyInterface",
       [](Backend& b, const Json& a, const CallContext& context) {
         const Result<std::shared_ptr<JobCallback>> held = b.GetNotifyInterface(Job(a));
         Json answer = remote::StatusToJson(held.status());
         if (!held.ok()) return answer;
         const std::optional<CallbackAddress> address = *held ? context.address_of(*held) : std::nullopt;
         answer["value"] = address ? Json{{"apartment", address->apartment}, {"callback", address->callback}} : Json(nullptr);
         return answer;
       }},
      {"SetNotifyCmdLine",
       [](Backend& b, const Json& a, const CallContext&) {
         return Answer(b.SetNotifyCmdLine(Job(a), remote::Field<NotifyCommandLine>(a, "command_line")));
       }},
      {"GetNotifyCmdLine",
       [](Backend& b, const Json& a, const CallContext&) { return Answer(b.GetNotifyCmdLine(Job(a))); }},
      {"Resume", [](Backend& b, const Json& a, const CallContext&) { return Answer(b.Resume(Job(a))); }},
      {"Suspend", [](Backend& b, const Json& a, const CallContext&) { return Answer(b.Suspend(Job(a))); }},
      {"Cancel", [](Backend& b, const Json& a, const CallContext&) { return Answer(b.Cancel(Job(a))); }},
      {"Complete", [](Backend& b, const Json& a, const CallContext&) { return Answer(b.Complete(Job(a))); }},
      {"GetState", [](Backend& b, const Json& a, const CallContext&) { return Answer(b.GetState(Job(a))); }},
      {"GetProgress", [](Backend& b, const Json& a, const CallContext&) { return Answer(b.GetProgress(Job(a))); }},
      {"GetTimes", [](Backend& b, const Json& a, const CallContext&) { return Answer(b.GetTimes(Job(a))); }},
      {"GetError", [](Backend& b, const Json& a, const CallContext&) { return Answer(b.GetError(Job(a))); }},
      {"GetErrorCount", [](Backend& b, const Json& a, const CallContext&) { return Answer(b.GetErrorCount(Job(a))); }},
  };
  return table;
}

Call Find(std::string_view method) {
  for (const auto& [name, call] : Table()) {
    if (name == method) return call;
  }
  return nullptr;
}

}  // namespace

bool IsBackendMethod(std::string_view method) { return Find(method) != nullptr; }

const std::vector<std::string_view>& BackendMethodNames() {
  static const std::vector<std::string_view> names = [] {
    std::vector<std::string_view> all;
    for (const auto& row : Table()) all.push_back(row.first);
    return all;
  }();
  return names;
}

Json CallBackend(Backend& backend, std::string_view method, const Json& args, const CallContext& context) {
  try {
    return Find(method)(backend, args, context);
  } catch (const std::exception& error) {
    return remote::StatusToJson(
        Status(hr::kInvalidArg, std::string(method) + ": malformed arguments " + args.dump() + ": " + error.what()));
  }
}

}  // namespace bitsh::serving
