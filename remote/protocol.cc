#include "remote/protocol.h"

#include <optional>
#include <stdexcept>

namespace bitsh::remote {

std::int64_t ToNanoseconds(TimePoint time) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(time.time_since_epoch()).count();
}

TimePoint FromNanoseconds(std::int64_t ns) {
  return TimePoint(std::chrono::duration_cast<TimePoint::duration>(std::chrono::nanoseconds(ns)));
}

Json StatusToJson(const Status& status) { return Json{{"hr", status.code()}, {"message", status.message()}}; }

Status StatusFromJson(const Json& json) {
  if (!json.is_object() || !json.contains("hr") || !json["hr"].is_number_integer()) {
    return Status(hr::kFail, "an answer without a numeric \"hr\": " + json.dump());
  }
  const std::string message = json.contains("message") && json["message"].is_string() ? json["message"].get<std::string>() : "";
  const auto code = json["hr"].is_number_unsigned() ? json["hr"].get<std::uint64_t>()
                                                     : static_cast<std::uint64_t>(json["hr"].get<std::int64_t>());
  return Status(static_cast<HResult>(code), message);
}

}  // namespace bitsh::remote

namespace bitsh {
namespace {

// std::optional as the value or null (nlohmann's own support for it is newer than Debian 12's).
template <typename T>
nlohmann::json Optional(const std::optional<T>& value) {
  return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
}
template <typename T>
std::optional<T> OptionalAt(const nlohmann::json& json, const char* key) {
  const nlohmann::json& member = json.at(key);
  if (member.is_null()) return std::nullopt;
  return member.get<T>();
}

}  // namespace

void to_json(nlohmann::json& json, const JobId& id) { json = id.ToString(); }
void from_json(const nlohmann::json& json, JobId& id) {
  const std::optional<JobId> parsed = JobId::Parse(json.get<std::string>());
  if (!parsed) throw std::invalid_argument("not a job id: " + json.dump());
  id = *parsed;
}

void to_json(nlohmann::json& json, const FileProgress& progress) {
  json = {{"bytes_total", progress.bytes_total}, {"bytes_transferred", progress.bytes_transferred},
          {"completed", progress.completed}};
}
void from_json(const nlohmann::json& json, FileProgress& progress) {
  json.at("bytes_total").get_to(progress.bytes_total);
  json.at("bytes_transferred").get_to(progress.bytes_transferred);
  json.at("completed").get_to(progress.completed);
}

void to_json(nlohmann::json& json, const FileStatus& file) {
  json = {{"remote_url", file.remote_url}, {"local_name", file.local_name}, {"progress", file.progress}};
}
void from_json(const nlohmann::json& json, FileStatus& file) {
  json.at("remote_url").get_to(file.remote_url);
  json.at("local_name").get_to(file.local_name);
  json.at("progress").get_to(file.progress);
}

void to_json(nlohmann::json& json, const FileToAdd& file) {
  json = {{"remote_url", file.remote_url}, {"local_name", file.local_name}};
}
void from_json(const nlohmann::json& json, FileToAdd& file) {
  json.at("remote_url").get_to(file.remote_url);
  json.at("local_name").get_to(file.local_name);
}

void to_json(nlohmann::json& json, const FileRange& range) {
  json = {{"initial_offset", range.initial_offset}, {"length", range.length}};
}
void from_json(const nlohmann::json& json, FileRange& range) {
  json.at("initial_offset").get_to(range.initial_offset);
  json.at("length").get_to(range.length);
}

void to_json(nlohmann::json& json, const JobProgress& progress) {
  json = {{"bytes_total", progress.bytes_total},
          {"bytes_transferred", progress.bytes_transferred},
          {"files_total", progress.files_total},
          {"files_transferred", progress.files_transferred}};
}
void from_json(const nlohmann::json& json, JobProgress& progress) {
  json.at("bytes_total").get_to(progress.bytes_total);
  json.at("bytes_transferred").get_to(progress.bytes_transferred);
  json.at("files_total").get_to(progress.files_total);
  json.at("files_transferred").get_to(progress.files_transferred);
}

void to_json(nlohmann::json& json, const JobTimes& times) {
  json = {{"creation", remote::ToNanoseconds(times.creation)},
          {"modification", remote::ToNanoseconds(times.modification)},
          {"transfer_completion", times.transfer_completion ? nlohmann::json(remote::ToNanoseconds(*times.transfer_completion))
                                                            : nlohmann::json(nullptr)}};
}
void from_json(const nlohmann::json& json, JobTimes& times) {
  times.creation = remote::FromNanoseconds(json.at("creation").get<std::int64_t>());
  times.modification = remote::FromNanoseconds(json.at("modification").get<std::int64_t>());
  const std::optional<std::int64_t> completion = OptionalAt<std::int64_t>(json, "transfer_completion");
  times.transfer_completion = completion ? std::optional(remote::FromNanoseconds(*completion)) : std::nullopt;
}

void to_json(nlohmann::json& json, const JobError& error) {
  json = {{"context", error.context},
          {"code", error.code},
          {"file_index", Optional(error.file_index)},
          {"protocol", error.protocol}};
}
void from_json(const nlohmann::json& json, JobError& error) {
  json.at("context").get_to(error.context);
  json.at("code").get_to(error.code);
  error.file_index = OptionalAt<std::size_t>(json, "file_index");
  json.at("protocol").get_to(error.protocol);
}

void to_json(nlohmann::json& json, const AuthCredentials& credentials) {
  json = {{"target", credentials.target},
          {"scheme", credentials.scheme},
          {"user_name", Optional(credentials.user_name)},
          {"password", Optional(credentials.password)}};
}
void from_json(const nlohmann::json& json, AuthCredentials& credentials) {
  json.at("target").get_to(credentials.target);
  json.at("scheme").get_to(credentials.scheme);
  credentials.user_name = OptionalAt<std::string>(json, "user_name");
  credentials.password = OptionalAt<std::string>(json, "password");
}

void to_json(nlohmann::json& json, const ProxySettings& settings) {
  json = {{"usage", settings.usage},
          {"proxy_list", Optional(settings.proxy_list)},
          {"bypass_list", Optional(settings.bypass_list)}};
}
void from_json(const nlohmann::json& json, ProxySettings& settings) {
  json.at("usage").get_to(settings.usage);
  settings.proxy_list = OptionalAt<std::string>(json, "proxy_list");
  settings.bypass_list = OptionalAt<std::string>(json, "bypass_list");
}

void to_json(nlohmann::json& json, const NotifyCommandLine& command_line) {
  json = {{"program", Optional(command_line.program)}, {"parameters", Optional(command_line.parameters)}};
}
void from_json(const nlohmann::json& json, NotifyCommandLine& command_line) {
  command_line.program = OptionalAt<std::string>(json, "program");
  command_line.parameters = OptionalAt<std::string>(json, "parameters");
}

void to_json(nlohmann::json& json, const JobPropertyValue& value) {
  json = {{"dword", value.dword},
          {"clsid", value.clsid},
          {"enable", value.enable},
          {"uint64", value.uint64},
          {"target", value.target}};
}
void from_json(const nlohmann::json& json, JobPropertyValue& value) {
  json.at("dword").get_to(value.dword);
  json.at("clsid").get_to(value.clsid);
  json.at("enable").get_to(value.enable);
  json.at("uint64").get_to(value.uint64);
  json.at("target").get_to(value.target);
}

}  // namespace bitsh
