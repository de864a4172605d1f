// The scenario loader: the jobs section.
#include <algorithm>
#include <array>
#include <charconv>
#include <map>
#include <sstream>

#include "fake/custom_headers.h"
#include "fake/file_ranges.h"
#include "fake/proxy_route.h"
#include "fake/remote_name.h"
#include "scenarios/actions.h"
#include "scenarios/scenario_loader.h"
#include "scenarios/scenario_sections.h"
#include "sim/machine.h"

namespace bitsh::scenarios {

bool StaysInside(const std::string& local) {
  if (local.empty() || local.front() == '/' || local.find('\\') != std::string::npos) return false;
  std::stringstream parts(local);
  std::string part;
  while (std::getline(parts, part, '/')) {
    if (part == "..") return false;
  }
  return true;
}

std::string PathOfUrl(const std::string& url) {
  if (!url.empty() && url.front() == '/') return url;
  const std::size_t scheme = url.find("://");
  const std::size_t slash = scheme == std::string::npos ? std::string::npos : url.find('/', scheme + 3);
  return slash == std::string::npos ? "" : url.substr(slash);
}

std::string WithWorkFolder(std::string text, std::string_view folder) {
  for (std::size_t at = text.find(kWorkFolderToken); at != std::string::npos;
       at = text.find(kWorkFolderToken, at + folder.size())) {
    text.replace(at, kWorkFolderToken.size(), folder);
  }
  return text;
}

void CheckProxyToken(YamlReader& in, const YAML::Node& node, std::string_view text, const Scenario& scenario) {
  if (!scenario.proxy && text.find(sim::kProxyToken) != std::string_view::npos) {
    in.Error(node, "'" + std::string(sim::kProxyToken) + "' names the scenario's proxy, and it has no 'proxy' section");
  }
}

namespace {

// A job file's url: a server path, an http(s) URL with a path, or a remote name that is not HTTP
// (fake/remote_name.h), where "{work}" stands for the work folder.
void CheckUrl(YamlReader& in, const YAML::Node& node, const std::string& url) {
  if (url.front() == '/') return;
  const fake::RemoteNameForm form = fake::FormOfRemoteName(WithWorkFolder(url, "/work"));
  if (form == fake::RemoteNameForm::kHttp) {
    if (PathOfUrl(url).empty()) in.Error(node, "url '" + url + "' has no path");
    return;
  }
  if (form == fake::RemoteNameForm::kUnsupported) {
    in.Error(node, "url '" + url + "' is not a server path ('/a.wma'), an http(s) URL, a local or file:// name "
                   "('{work}/in/a.wma', 'file://{work}/in/a.wma') or a UNC path ('\\\\media\\store\\a.wma')");
  }
}

// {user, password, target: server|proxy (server), scheme: basic|digest|ntlm|negotiate|passport
// (basic)}: one SetCredentials call. The fake checks the rest (lengths, a missing password).
std::optional<AuthCredentials> Credentials(YamlReader& in, const YAML::Node& node) {
  if (!in.Map(node, "credentials", {"user", "password", "target", "scheme"})) return std::nullopt;
  AuthCredentials credentials;
  if (node["user"]) credentials.user_name = in.String(node["user"], "user");
  if (node["password"]) credentials.password = in.String(node["password"], "password");
  if (node["target"]) {
    const std::string target = in.String(node["target"], "target").value_or("");
    if (target == "proxy") credentials.target = AuthTarget::kProxy;
    else if (target != "server") in.Error(node["target"], "'" + target + "' is not a credentials target (server, proxy)");
  }
  if (node["scheme"]) {
    static constexpr std::array<std::pair<std::string_view, AuthScheme>, 5> kSchemes = {{
        {"basic", AuthScheme::kBasic}, {"digest", AuthScheme::kDigest}, {"ntlm", AuthScheme::kNtlm},
        {"negotiate", AuthScheme::kNegotiate}, {"passport", AuthScheme::kPassport}}};
    const std::string scheme = in.String(node["scheme"], "scheme").value_or("");
    const auto found = std::ranges::find(kSchemes, scheme, [](const auto& row) { return row.first; });
    if (found == kSchemes.end()) {
      in.Error(node["scheme"], "'" + scheme + "' is not a scheme (basic, digest, ntlm, negotiate, passport)");
    } else {
      credentials.scheme = found->second;
    }
  }
  return credentials;
}

std::optional<wmp::ConventionRecord> Convention(YamlReader& in, const YAML::Node& node) {
  if (!in.Map(node, "convention", {"kind", "service_id", "provider", "album_artist", "album_title", "track_number",
                                   "title", "duration", "rating"})) {
    return std::nullopt;
  }
  wmp::ConventionRecord record;
  const auto text = [&](const char* key) { return node[key] ? in.String(node[key], key).value_or("") : std::string(); };
  const std::string kind = node["kind"] ? text("kind") : "job";
  if (kind != "job" && kind != "status") in.Error(node["kind"], "convention kind must be 'job' or 'status'");
  record.kind = kind == "status" ? wmp::RecordKind::kStatus : wmp::RecordKind::kJob;
  if (!node["service_id"]) {
    in.Error(node, "convention needs 'service_id'");
  } else if (auto id = in.Whole(node["service_id"], "service_id")) {
    if (*id > UINT32_MAX) in.Error(node["service_id"], "service_id must fit in 32 bits");
    record.service_id = static_cast<std::uint32_t>(*id);  // 0 is allowed: scenarios test bad ids
  }
  record.provider = text("provider");
  record.album_artist = text("album_artist");
  record.album_title = text("album_title");
  record.track_number = text("track_number");
  record.title = text("title");
  record.duration = text("duration");
  record.rating = text("rating");
  return record;
}

// proxy: {usage: override, list: "{proxy}", bypass: "<local>"}: SetProxySettings. The usage is
// one of BG_JOB_PROXY_USAGE's names, in lower case; the lists go with override only, as the
// SetProxySettings page asks (a list with another usage is a mistake caught here, with its place).
std::optional<ProxySettings> Proxy(YamlReader& in, const YAML::Node& node, const Scenario& scenario) {
  if (!in.Map(node, "proxy", {"usage", "list", "bypass"})) return std::nullopt;
  std::string usage = node["usage"] ? in.String(node["usage"], "usage").value_or("") : "";
  std::transform(usage.begin(), usage.end(), usage.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  const std::optional<ProxyUsage> parsed = ParseProxyUsage(usage);
  if (!parsed) {
    in.Error(node["usage"] ? node["usage"] : node, "proxy needs a 'usage' (preconfig, no_proxy, override, autodetect)");
    return std::nullopt;
  }
  ProxySettings settings{*parsed, std::nullopt, std::nullopt};
  if (node["list"]) settings.proxy_list = in.String(node["list"], "list");
  if (node["bypass"]) settings.bypass_list = in.String(node["bypass"], "bypass");
  if (Status valid = fake::CheckProxySettings(settings); !valid.ok()) {
    in.Error(node, "proxy: " + valid.message());
    return std::nullopt;
  }
  CheckProxyToken(in, node, settings.proxy_list.value_or("") + settings.bypass_list.value_or(""), scenario);
  return settings;
}

// ranges: ["100:100", "900:eof"]: AddFileWithRanges' ranges as bitsadmin writes them, offset and
// length (or eof, to the end of the file), checked as the call checks them.
std::vector<FileRange> Ranges(YamlReader& in, const YAML::Node& node) {
  std::vector<FileRange> ranges;
  for (const std::string& text : in.Strings(node, "ranges").value_or(std::vector<std::string>{})) {
    const std::size_t colon = text.find(':');
    const auto number = [](std::string_view digits) -> std::optional<std::uint64_t> {
      std::uint64_t value = 0;
      const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
      if (digits.empty() || error != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
      return value;
    };
    const std::optional<std::uint64_t> offset = colon == std::string::npos ? std::nullopt : number(std::string_view(text).substr(0, colon));
    const std::string length_text = colon == std::string::npos ? "" : text.substr(colon + 1);
    const std::optional<std::uint64_t> length = length_text == "eof" ? std::optional(kLengthToEof) : number(length_text);
    if (!offset || !length || *offset == kLengthToEof) {
      in.Error(node, "ranges: '" + text + "' is not OFFSET:LENGTH or OFFSET:eof (bytes)");
      return {};
    }
    ranges.push_back(FileRange{*offset, *length});
  }
  if (ranges.empty()) {
    in.Error(node, "ranges: give one range or more (\"OFFSET:LENGTH\" or \"OFFSET:eof\")");
  } else if (Status valid = fake::CheckFileRanges(ranges, limits::kDefaultMaxRangesPerFile); !valid.ok()) {
    in.Error(node, "ranges: " + valid.message());
  }
  return ranges;
}

// The names of notify flags and callback methods in scenarios, and the values they stand for.
constexpr std::pair<const char*, std::uint32_t> kNotifyFlagNames[] = {
    {"transferred", notify_flags::kJobTransferred},     {"error", notify_flags::kJobError},
    {"disable", notify_flags::kDisable},                {"modification", notify_flags::kJobModification},
    {"file_transferred", notify_flags::kFileTransferred}, {"file_ranges_transferred", notify_flags::kFileRangesTransferred}};
constexpr std::pair<const char*, const char*> kCallbackNames[] = {
    {"transferred", "JobTransferred"}, {"error", "JobError"}, {"file_transferred", "FileTransferred"}};

// notify: {flags: [transferred, error], callback: {fail: {transferred: 2}}, command_line: {program,
// parameters, exit_codes: [1, 0]}, complete: true}. What the store's code registers, and how it
// answers: the callback's first calls may fail; the program exits with the codes given; with
// complete, the store completes the job when it hears it was transferred.
std::optional<NotifySpec> Notify(YamlReader& in, const YAML::Node& node) {
  if (!in.Map(node, "notify", {"flags", "callback", "command_line", "complete"})) return std::nullopt;
  NotifySpec notify;
  notify.where = in.Where(node);
  if (node["flags"] && in.Sequence(node["flags"], "flags")) {
    std::uint32_t flags = 0;
    for (const YAML::Node& item : node["flags"]) {  // each name reported at its own place
      const std::string name = in.String(item, "flags").value_or("");
      const auto* found = std::find_if(std::begin(kNotifyFlagNames), std::end(kNotifyFlagNames),
                                       [&](const auto& entry) { return name == entry.first; });
      if (found == std::end(kNotifyFlagNames)) {
        in.Error(item, "flags: '" + name + "' is not a notify flag (transferred, error, modification, "
                       "file_transferred, file_ranges_transferred, disable)");
      } else {
        flags |= found->second;
      }
    }
    notify.flags = flags;
  }
  if (node["callback"]) {
    const YAML::Node& callback = node["callback"];
    notify.callback = true;
    // "callback: true" registers one that always answers S_OK.
    if (callback.IsScalar()) {
      notify.callback = in.Bool(callback, "callback").value_or(false);
    } else if (in.Map(callback, "callback", {"fail"}) && callback["fail"]) {
      if (!callback["fail"].IsMap()) in.Error(callback["fail"], "fail: give how many calls fail per callback ({transferred: 2})");
      for (const auto& entry : callback["fail"].IsMap() ? callback["fail"] : YAML::Node(YAML::NodeType::Map)) {
        const std::string name = in.String(entry.first, "fail").value_or("");
        const auto* found = std::find_if(std::begin(kCallbackNames), std::end(kCallbackNames),
                                         [&](const auto& known) { return name == known.first; });
        if (found == std::end(kCallbackNames)) {
          in.Error(entry.first, "fail: '" + name + "' is not a callback that can fail (transferred, error, file_transferred)");
          continue;
        }
        notify.callback_failures[found->second] = static_cast<int>(in.Whole(entry.second, "fail").value_or(0));
      }
    }
  }
  if (node["command_line"] && in.Map(node["command_line"], "command_line", {"program", "parameters", "exit_codes"})) {
    const YAML::Node& line = node["command_line"];
    NotifyCommandLine command_line;
    if (line["program"]) command_line.program = in.String(line["program"], "program");
    if (line["parameters"]) command_line.parameters = in.String(line["parameters"], "parameters");
    if (!command_line.program) in.Error(line, "command_line needs a 'program' (the full path BITS would start)");
    if (command_line.program && Utf16Length(*command_line.program) > limits::kMaxNotifyProgramChars) {
      in.Error(line["program"], "program: longer than 260 characters (SetNotifyCmdLine refuses it)");
    }
    if (command_line.parameters && Utf16Length(*command_line.parameters) > limits::kMaxNotifyParametersChars) {
      in.Error(line["parameters"], "parameters: longer than 4,000 characters (SetNotifyCmdLine refuses it)");
    }
    if (line["exit_codes"] && in.Sequence(line["exit_codes"], "exit_codes")) {
      for (const YAML::Node& code : line["exit_codes"]) {
        const std::uint64_t value = in.Whole(code, "exit_codes").value_or(0);
        if (value > 0x7FFFFFFF) in.Error(code, "exit_codes: " + std::to_string(value) + " is not an exit code (0 to 2147483647)");
        notify.exit_codes.push_back(static_cast<int>(std::min<std::uint64_t>(value, 0x7FFFFFFF)));
      }
    }
    notify.command_line = command_line;
  }
  if (node["complete"]) notify.complete = in.Bool(node["complete"], "complete").value_or(false);
  if (notify.complete && !notify.callback && !notify.command_line) {
    in.Error(node["complete"], "complete: the store completes the job when it hears of it; give it a 'callback' or "
                               "a 'command_line' to hear through");
  }
  // Asking to act on, or to fail, a notice the flags never send is a mistake, not a test.
  const std::uint32_t flags = notify.flags.value_or(notify_flags::kDefault);
  const auto sent = [&](std::uint32_t flag) { return (flags & notify_flags::kDisable) == 0 && (flags & flag) != 0; };
  if (notify.complete && !sent(notify_flags::kJobTransferred)) {
    in.Error(node["complete"], "complete: the flags leave out 'transferred' (or include 'disable'), so the store "
                               "never hears the job was transferred");
  }
  for (const auto& [method, times] : notify.callback_failures) {
    const std::uint32_t flag = method == "JobTransferred" ? notify_flags::kJobTransferred
                               : method == "JobError"     ? notify_flags::kJobError
                                                          : notify_flags::kFileTransferred;
    if (times > 0 && !sent(flag)) {
      in.Error(node["callback"], "callback: " + method + " is told to fail, but the flags never ask for it");
    }
  }
  return notify;
}

// The network's cost as scenarios write it (network.costs), one cost_states bit each.
constexpr std::pair<const char*, std::uint32_t> kCostNames[] = {
    {"no_cost", cost_states::kUnrestricted},        {"capped", cost_states::kCappedUsageUnknown},
    {"below_cap", cost_states::kBelowCap},          {"near_cap", cost_states::kNearCap},
    {"over_cap", cost_states::kOvercapCharged},     {"over_cap_throttled", cost_states::kOvercapThrottled},
    {"metered", cost_states::kUsageBased},          {"roaming", cost_states::kRoaming}};

}  // namespace

std::optional<std::uint32_t> TransferPolicy(YamlReader& in, const YAML::Node& node) {
  static constexpr std::pair<const char*, std::uint32_t> kPolicies[] = {
      {"always", cost_states::kPolicyAlways},           {"not_roaming", cost_states::kPolicyNotRoaming},
      {"no_surcharge", cost_states::kPolicyNoSurcharge}, {"standard", cost_states::kPolicyStandard},
      {"unrestricted", cost_states::kPolicyUnrestricted}};
  const std::string text = in.String(node, "transfer policy").value_or("");
  for (const auto& [name, value] : kPolicies) {
    if (text == name) return value;
  }
  std::uint32_t number = 0;
  const bool hex = text.starts_with("0x") || text.starts_with("0X");
  const char* begin = text.data() + (hex ? 2 : 0);
  const auto [end, error] = std::from_chars(begin, text.data() + text.size(), number, hex ? 16 : 10);
  if (text.size() > (hex ? 2u : 0u) && error == std::errc() && end == text.data() + text.size()) return number;
  in.Error(node, "'" + text + "' is not a transfer policy (always, not_roaming, no_surcharge, standard, unrestricted, "
                 "or COST_FLAGS as a number such as 0x80000021)");
  return std::nullopt;
}

std::optional<std::uint32_t> NetworkCost(YamlReader& in, const YAML::Node& node) {
  const std::string text = in.String(node, "cost").value_or("");
  for (const auto& [name, value] : kCostNames) {
    if (text == name) return value;
  }
  in.Error(node, "'" + text + "' is not a network cost (no_cost, capped, below_cap, near_cap, over_cap, "
                 "over_cap_throttled, metered, roaming)");
  return std::nullopt;
}

namespace {

const JobActionKind* ActionKind(YamlReader& in, const YAML::Node& node) {
  const std::string name = in.String(node, "do").value_or("");
  const JobActionKind* kind = FindJobActionKind(name);
  if (kind == nullptr) in.Error(node, "'" + name + "' is not an action (" + JobActionNames() + ")");
  return kind;
}

}  // namespace

void ReadJobs(YamlReader& in, const YAML::Node& node, Scenario& scenario, FlawedDefinitions& flawed) {
  if (!in.Sequence(node, "jobs")) {
    flawed.job_ids.push_back("");
    flawed.locals.push_back("");
    return;
  }
  // Every job id, copies included: where it was defined and, for a copy, which one.
  std::map<std::string, std::pair<SourceLocation, std::string>> defined;
  std::size_t file_count = 0;
  for (const YAML::Node& item : node) {
    const std::size_t errors_before = in.error_count();  // unknown keys included
    if (!in.Map(item, "a job", {"id", "owner", "display_name", "description", "convention", "priority", "retry_delay",
                                "no_progress_timeout", "max_download_time", "transfer_policy", "high_performance", "dynamic_content",
                                "max_download_size", "use_stored_credentials", "files", "resume", "complete_when_transferred", "actions",
                                "headers", "redirect_policy", "credentials", "proxy", "files_as_set", "notify", "copies"})) {
      flawed.job_ids.push_back("");
      flawed.locals.push_back("");
      continue;
    }
    JobSpec job;
    job.where = in.Where(item);
    job.id = item["id"] ? in.String(item["id"], "id").value_or("") : "";
    if (job.id.empty() && !in.Misspelt(item, "id")) in.Error(item, "a job needs an 'id' (the scenario's name for it)");
    if (item["owner"]) job.owner = in.String(item["owner"], "owner").value_or(job.owner);
    job.display_name = item["display_name"] ? in.String(item["display_name"], "display_name").value_or(job.id) : job.id;
    if (item["description"] && item["convention"]) in.Error(item, "job '" + job.id + "': give 'description' or 'convention', not both");
    if (item["description"]) job.description = in.String(item["description"], "description");
    if (item["convention"]) job.convention = Convention(in, item["convention"]);
    if (item["priority"]) {
      std::string priority = in.String(item["priority"], "priority").value_or("");
      std::transform(priority.begin(), priority.end(), priority.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
      if (auto parsed = ParseJobPriority(priority)) job.priority = *parsed;
      else in.Error(item["priority"], "'" + priority + "' is not a priority (foreground, high, normal, low)");
    }
    if (item["retry_delay"]) job.retry_delay_s = in.Seconds(item["retry_delay"], "retry_delay");
    if (item["no_progress_timeout"]) job.no_progress_timeout_s = in.Seconds(item["no_progress_timeout"], "no_progress_timeout");
    if (item["max_download_time"]) job.max_download_time_s = in.Seconds(item["max_download_time"], "max_download_time");
    if (item["transfer_policy"]) job.transfer_policy = TransferPolicy(in, item["transfer_policy"]);
    if (item["high_performance"]) job.high_performance = in.Bool(item["high_performance"], "high_performance").value_or(false);
    if (item["dynamic_content"]) job.dynamic_content = in.Bool(item["dynamic_content"], "dynamic_content").value_or(false);
    if (item["max_download_size"]) {
      job.max_download_size = in.Size(item["max_download_size"], "max_download_size");
      if (job.max_download_size == 0u) {
        in.Error(item["max_download_size"], "max_download_size: 0 bytes is not a cap BITS takes (1 byte or more)");
      }
    }
    if (const YAML::Node& stored = item["use_stored_credentials"]) {
      // The property takes a BG_AUTH_TARGET, and BITS supports only the proxy one.
      const std::string target = in.String(stored, "use_stored_credentials").value_or("");
      if (target == "proxy") job.use_stored_credentials = true;
      else in.Error(stored, "use_stored_credentials: '" + target + "' is not supported; BITS takes 'proxy' only");
    }
    if (item["resume"]) job.resume = in.Bool(item["resume"], "resume").value_or(true);
    if (item["complete_when_transferred"]) {
      job.complete_when_transferred = in.Bool(item["complete_when_transferred"], "complete_when_transferred").value_or(false);
    }
    if (item["headers"]) {
      // One "Name: value" string or a list of them; the fake checks the grammar again when the
      // runner sets them, so a bad line shows here with its place and not as a setup failure.
      const YAML::Node& headers = item["headers"];
      const std::optional<std::vector<std::string>> lines =
          headers.IsScalar() ? std::optional<std::vector<std::string>>(std::vector<std::string>{headers.as<std::string>()})
                             : in.Strings(headers, "headers");
      for (const std::string& line : lines.value_or(std::vector<std::string>{})) {
        if (Result<fake::HeaderFields> parsed = fake::ParseCustomHeaders(line); !parsed.ok() || parsed->size() != 1) {
          in.Error(headers, "headers: '" + line + "' is not one 'Name: value' field" +
                             (parsed.ok() ? std::string() : " (" + parsed.status().message() + ")"));
        } else {
          job.headers.push_back(line);
        }
      }
    }
    if (item["redirect_policy"]) {
      const std::string policy = in.String(item["redirect_policy"], "redirect_policy").value_or("");
      if (policy == "allow_silent") job.security_flags = security_flags::kRedirectAllowSilent;
      else if (policy == "allow_report") job.security_flags = security_flags::kRedirectAllowReport;
      else if (policy == "disallow") job.security_flags = security_flags::kRedirectDisallow;
      else in.Error(item["redirect_policy"], "'" + policy + "' is not a redirect policy (allow_silent, allow_report, disallow)");
    }
    if (item["proxy"]) job.proxy = Proxy(in, item["proxy"], scenario);
    if (item["notify"]) job.notify = Notify(in, item["notify"]);
    if (item["files_as_set"]) job.files_as_set = in.Bool(item["files_as_set"], "files_as_set").value_or(false);
    const auto has_ranges = [](const YAML::Node& file) { return file.IsMap() && file["ranges"]; };
    if (job.files_as_set && item["files"] && item["files"].IsSequence() &&
        std::any_of(item["files"].begin(), item["files"].end(), has_ranges)) {
      in.Error(item["files_as_set"], "files_as_set: AddFileSet takes whole files; a file with 'ranges' is added on its own");
    }
    if (job.dynamic_content && item["files"] && item["files"].IsSequence() &&
        std::any_of(item["files"].begin(), item["files"].end(), has_ranges)) {
      in.Error(item["dynamic_content"], "dynamic_content: a dynamic job takes whole files, not 'ranges'");
    }
    if (item["credentials"] && in.Sequence(item["credentials"], "credentials")) {
      for (const YAML::Node& entry : item["credentials"]) {
        if (std::optional<AuthCredentials> credentials = Credentials(in, entry)) job.credentials.push_back(*credentials);
      }
    }
    if (item["files"] && in.Sequence(item["files"], "files")) {
      for (const YAML::Node& file_node : item["files"]) {
        if (!in.Map(file_node, "a job file", {"url", "local", "ranges"})) continue;
        FileSpec file;
        file.url = file_node["url"] ? in.String(file_node["url"], "url").value_or("") : "";
        file.local = file_node["local"] ? in.String(file_node["local"], "local").value_or("") : "";
        if ((file.url.empty() && !in.Misspelt(file_node, "url")) || (file.local.empty() && !in.Misspelt(file_node, "local"))) {
          in.Error(file_node, "a job file needs 'url' and 'local'");
        }
        if (!file.local.empty() && !StaysInside(file.local)) {
          in.Error(file_node["local"], "local path '" + file.local + "' escapes the scenario's work folder "
                   "(use a relative path without '..')");
        }
        if (!file.url.empty()) CheckUrl(in, file_node["url"], file.url);
        if (file_node["ranges"]) file.ranges = Ranges(in, file_node["ranges"]);
        job.files.push_back(file);
      }
    }
    if (item["actions"] && in.Sequence(item["actions"], "actions")) {
      for (const YAML::Node& action_node : item["actions"]) {
        if (!in.Map(action_node, "an action", {"at", "do", "from", "to", "file", "policy"})) continue;
        if (!action_node["at"] || !action_node["do"]) {
          in.Error(action_node, "an action needs 'at' and 'do'");
          continue;
        }
        const Duration at = in.DurationOf(action_node["at"], "at").value_or(Duration::zero());
        const JobActionKind* kind = ActionKind(in, action_node["do"]);
        if (kind == nullptr) continue;
        JobAction action{at, kind, {}, {}, 0, 0};
        if (kind->takes_from_and_to) {
          if (!action_node["from"] || !action_node["to"]) {
            in.Error(action_node, "'" + std::string(kind->name) + "' needs 'from' and 'to'");
            continue;
          }
          action.from = in.String(action_node["from"], "from").value_or("");
          action.to = in.String(action_node["to"], "to").value_or("");
        } else if (action_node["from"] || action_node["to"]) {
          in.Error(action_node, "'" + std::string(kind->name) + "' takes no 'from' or 'to'");
          continue;
        }
        if (kind->takes_file) {
          if (!action_node["file"]) {
            in.Error(action_node, "'" + std::string(kind->name) + "' needs 'file' (the file's index in the job, from 0)");
            continue;
          }
          action.file_index = static_cast<std::size_t>(in.Whole(action_node["file"], "file").value_or(0));
          // The job's files are read above: an index past them is a typo, found here with its place.
          if (item["files"] && item["files"].IsSequence() && action.file_index >= item["files"].size()) {
            in.Error(action_node["file"], "file " + std::to_string(action.file_index) + ": job '" + job.id + "' has " +
                                              std::to_string(item["files"].size()) + " file(s), numbered from 0");
          }
        } else if (action_node["file"]) {
          in.Error(action_node, "'" + std::string(kind->name) + "' takes no 'file'");
          continue;
        }
        if (kind->takes_policy) {
          if (!action_node["policy"]) {
            in.Error(action_node, "'" + std::string(kind->name) + "' needs 'policy' (always, not_roaming, no_surcharge, "
                                  "standard, unrestricted)");
            continue;
          }
          action.policy = TransferPolicy(in, action_node["policy"]).value_or(0);
        } else if (action_node["policy"]) {
          in.Error(action_node, "'" + std::string(kind->name) + "' takes no 'policy'");
          continue;
        }
        job.actions.push_back(std::move(action));
      }
    }
    std::uint64_t copies = 1;
    if (item["copies"]) {
      copies = in.Whole(item["copies"], "copies").value_or(1);
      if (copies < 1 || copies > load_limits::kMaxJobs) in.Error(item["copies"], "copies must be 1 to 10000");
      copies = std::clamp<std::uint64_t>(copies, 1, load_limits::kMaxJobs);
    }
    // Checked before expanding, so a scenario past a limit costs no memory. Past one, the template
    // is kept as one job, so later references to it are not reported as missing too.
    const YAML::Node& count_node = item["copies"] ? item["copies"] : item;
    if (scenario.jobs.size() + copies > load_limits::kMaxJobs) {
      in.Error(count_node, "this would make " + std::to_string(scenario.jobs.size() + copies) +
                               " jobs; a scenario may have at most 10000 (copies included)");
      copies = 1;
    } else if (file_count + job.files.size() * copies > load_limits::kMaxJobFiles) {
      in.Error(count_node, "this would make " + std::to_string(file_count + job.files.size() * copies) +
                               " job files; a scenario may have at most 100000 (copies included)");
      copies = 1;
    }
    file_count += job.files.size() * copies;
    if (in.error_count() != errors_before) {
      flawed.job_ids.push_back(job.id);
      for (const FileSpec& file : job.files) flawed.locals.push_back(file.local);
      if (job.files.empty()) flawed.locals.push_back("");  // its files may be what went wrong
    }
    const YAML::Node& id_node = item["id"] ? item["id"] : item;
    const auto define = [&](const std::string& id, const std::string& origin) {
      const auto [first, added] = defined.emplace(id, std::make_pair(in.Where(id_node), origin));
      if (!added) {
        in.Error(id_node, "job '" + id + "'" + origin + " is defined twice; first at " + first->second.first.ToString() +
                              first->second.second);
      }
      return added;
    };
    if (copies == 1) {
      if (!job.id.empty()) define(job.id, "");
      scenario.jobs.push_back(std::move(job));
      continue;
    }
    // N jobs from one template: "{n}" in the id, display name, description, convention fields,
    // urls and local names becomes 1..N, so one template makes an album's tracks.
    bool reported_duplicate = false;  // one error per template, not one per copy
    for (std::uint64_t n = 1; n <= copies; ++n) {
      const auto expand = [n](std::string text) {
        for (std::size_t at = text.find("{n}"); at != std::string::npos; at = text.find("{n}")) {
          text.replace(at, 3, std::to_string(n));
        }
        return text;
      };
      JobSpec copy = job;
      copy.id = job.id.find("{n}") == std::string::npos ? job.id + "-" + std::to_string(n) : expand(job.id);
      if (!job.id.empty() && !reported_duplicate) {
        reported_duplicate = !define(copy.id, " (copy " + std::to_string(n) + " of '" + job.id + "')");
      }
      copy.display_name = expand(job.display_name);
      if (copy.description) copy.description = expand(*copy.description);
      if (copy.convention) {
        for (std::string* field : {&copy.convention->provider, &copy.convention->album_artist,
                                   &copy.convention->album_title, &copy.convention->track_number,
                                   &copy.convention->title, &copy.convention->duration, &copy.convention->rating}) {
          *field = expand(*field);
        }
      }
      for (FileSpec& file : copy.files) {
        file.url = expand(file.url);
        file.local = expand(file.local);
      }
      scenario.jobs.push_back(std::move(copy));
    }
  }
}

}  // namespace bitsh::scenarios
