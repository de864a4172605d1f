// The bitshd protocol: how a client (RemoteClient, remote_client.h) and bitshd, the fake BITS as
// a service, talk. JSON over HTTP/1.1 on loopback - cpp-httplib serves, and the client is a small
// socket client of our own, the same on Linux and Windows (rpc_http.h) - so no dependency beyond
// what the harness has, readable with curl (docs/bitshd.md says why not gRPC or D-Bus).
//
// Every request is a POST of a JSON object to a path below kPathPrefix, carrying
// "Authorization: Bearer <token>" (the token bitshd wrote to its token file):
//   /v1/open   {"paths": "host" | "windows"}         -> {"apartment": A}
//   /v1/call   {"apartment", "user", "method", "args"} -> an Answer
//   /v1/reply  {"apartment", "call", "notification", "hr", "message"} -> an Answer
//   /v1/close  {"apartment"}                         -> {}
// An apartment is one client thread, as COM's single-threaded apartment: it has at most one
// request in flight, and notifications for callbacks it registered arrive only as the answer to
// one of its requests. An Answer is either {"result": {"hr", "message", "value"}} - the call is
// over - or {"notification": {...}, "call": C}: a callback the client registered is to run now,
// while the call waits; the client runs it (it may make calls of its own meanwhile) and sends its
// answer to /v1/reply, whose Answer continues the same call.
//
// This header is the JSON form of the Backend's value types (backend/job_types.h), shared by both
// ends. Numbers are the BITS values (an HRESULT, a BG_JOB_STATE); times are nanoseconds since the
// Unix epoch; JobIds are their registry form.
#pragma once

#include <nlohmann/json.hpp>

#include <stdexcept>
#include <string>
#include <string_view>

#include "backend/job_types.h"
#include "backend/status.h"

namespace bitsh::remote {

// The version in every path; a client and a bitshd of other versions refuse each other (404).
inline constexpr std::string_view kPathPrefix = "/v1/";
// The first line bitshd prints on stdout once it listens: "bitshd listening on <url>".
inline constexpr std::string_view kListeningLine = "bitshd listening on ";

using Json = nlohmann::json;

// The method names of the service's own calls, beside the Backend's (which go by their C++
// names: "CreateJob", "AddFile", ...).
namespace methods {
inline constexpr std::string_view kClockNow = "clock.now";              // -> ns
inline constexpr std::string_view kClockStep = "clock.step";            // {deadline} -> {events, now, done}
inline constexpr std::string_view kClockAdvance = "clock.advance";      // {ns} -> {events, now, done}
inline constexpr std::string_view kClockRunUntilIdle = "clock.run_until_idle";  // {deadline} -> {events, now, done}
inline constexpr std::string_view kServiceAddUser = "service.add_user";  // {name, admin, logged_on}
inline constexpr std::string_view kServiceRestart = "service.restart";
inline constexpr std::string_view kServiceReset = "service.reset";      // a new machine: no jobs, no users
inline constexpr std::string_view kServiceLoadScenario = "service.load_scenario";  // {path}: a new machine, the scenario's
inline constexpr std::string_view kServiceTrace = "service.trace";       // -> [lines of the event log]
inline constexpr std::string_view kServerRequests = "server.requests";   // -> the file server's request log
inline constexpr std::string_view kServerUrl = "server.url";             // -> "http://127.0.0.1:PORT"
inline constexpr std::string_view kServerAddFile = "server.add_file";    // {path, size[, seed]} (control API names)
inline constexpr std::string_view kServerAddFault = "server.add_fault";  // {path, kind, ...} -> the fault's id
inline constexpr std::string_view kNetworkSet = "network.set";           // {available?, bandwidth?, latency_ns?}
inline constexpr std::string_view kNetworkDrop = "network.drop_connections";
inline constexpr std::string_view kServiceShutdown = "service.shutdown";
inline constexpr std::string_view kPump = "apartment.pump";              // {ms}: wait for notifications
}  // namespace methods

// A time point as nanoseconds since the epoch, and back.
std::int64_t ToNanoseconds(TimePoint time);
TimePoint FromNanoseconds(std::int64_t ns);

// Member `name` of `object` as a T; throws std::invalid_argument naming the member when it is
// missing or of another type ("member \"job\": ..."), so that a refusal says which one.
template <typename T>
T Field(const Json& object, const char* name) {
  try {
    return object.at(name).get<T>();
  } catch (const std::exception& error) {
    throw std::invalid_argument(std::string("member \"") + name + "\": " + error.what());
  }
}

// Status as {"hr", "message"}; FromJson never fails (a missing member is E_FAIL naming it). An
// "hr" may be written signed, as C# and Python clients print an HRESULT (-2147024809).
Json StatusToJson(const Status& status);
Status StatusFromJson(const Json& json);

}  // namespace bitsh::remote

// nlohmann's conversions for the value types, found by argument-dependent lookup. from_json throws
// nlohmann::json::exception for a member missing or of the wrong type; both ends catch it where a
// message arrives and answer E_INVALIDARG (bitshd) or E_FAIL (the client) naming the method.
namespace bitsh {
void to_json(nlohmann::json& json, const JobId& id);
void from_json(const nlohmann::json& json, JobId& id);
void to_json(nlohmann::json& json, const FileProgress& progress);
void from_json(const nlohmann::json& json, FileProgress& progress);
void to_json(nlohmann::json& json, const FileStatus& file);
void from_json(const nlohmann::json& json, FileStatus& file);
void to_json(nlohmann::json& json, const FileToAdd& file);
void from_json(const nlohmann::json& json, FileToAdd& file);
void to_json(nlohmann::json& json, const FileRange& range);
void from_json(const nlohmann::json& json, FileRange& range);
void to_json(nlohmann::json& json, const JobProgress& progress);
void from_json(const nlohmann::json& json, JobProgress& progress);
void to_json(nlohmann::json& json, const JobTimes& times);
void from_json(const nlohmann::json& json, JobTimes& times);
void to_json(nlohmann::json& json, const JobError& error);
void from_json(const nlohmann::json& json, JobError& error);
void to_json(nlohmann::json& json, const AuthCredentials& credentials);
void from_json(const nlohmann::json& json, AuthCredentials& credentials);
void to_json(nlohmann::json& json, const ProxySettings& settings);
void from_json(const nlohmann::json& json, ProxySettings& settings);
void to_json(nlohmann::json& json, const NotifyCommandLine& command_line);
void from_json(const nlohmann::json& json, NotifyCommandLine& command_line);
void to_json(nlohmann::json& json, const JobPropertyValue& value);
void from_json(const nlohmann::json& json, JobPropertyValue& value);
}  // namespace bitsh
