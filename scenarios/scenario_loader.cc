#include "scenarios/scenario_loader.h"

#include "scenarios/actions.h"
#include "scenarios/scenario_sections.h"
#include "scenarios/yaml_hints.h"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <limits>
#include <iostream>
#include <set>
#include <sstream>
#include <tuple>

#include "backend/units.h"
#include "content/hashing.h"
#include "external/external_program.h"

namespace bitsh::scenarios {
namespace {

namespace fs = std::filesystem;

// "\\server\share" or a drive "D:": the Windows names a share of the machine may have.
bool IsShareName(const std::string& name) {
  if (name.size() == 2) return std::isalpha(static_cast<unsigned char>(name[0])) && name[1] == ':';
  if (!name.starts_with("\\\\")) return false;
  const std::size_t separator = name.find('\\', 2);
  return separator != std::string::npos && separator > 2 && separator + 1 < name.size() &&
         name.find_first_of("\\/", separator + 1) == std::string::npos;
}

// True when `path` is `folder` or below it, compared component by component, so "/a/bc" is not
// below "/a/b". REQUIRES: both canonical.
bool IsBelow(const fs::path& path, const fs::path& folder) {
  return std::mismatch(folder.begin(), folder.end(), path.begin(), path.end()).first == folder.end();
}

std::string SizeText(std::uint64_t bytes) {
  return bytes % (1ull << 30) == 0 ? std::to_string(bytes >> 30) + " GiB" : std::to_string(bytes >> 20) + " MiB";
}

class Loader {
 public:
  Loader(YamlReader& reader, const ScenarioLoadOptions& options) : in_(reader), options_(options) {}

  std::optional<Scenario> Load(const YAML::Node& root) {
    Scenario scenario;
    scenario.path = in_.file();
    if (!in_.Map(root, "the scenario", {"name", "summary", "seed", "max_virtual_time", "store_keys", "engine",
                                         "server", "proxy", "machine", "network", "users", "events", "triggers", "jobs", "client",
                                         "player", "expect"})) {
      return std::nullopt;
    }
    if (!root["name"]) in_.Error(root, "the scenario needs a 'name'");
    if (auto v = Text(root, "name")) scenario.name = *v;
    if (auto v = Text(root, "summary")) scenario.summary = *v;
    if (root["seed"]) scenario.seed = in_.Whole(root["seed"], "seed").value_or(1);
    if (root["max_virtual_time"]) {
      scenario.max_virtual_time = in_.DurationOf(root["max_virtual_time"], "max_virtual_time").value_or(scenario.max_virtual_time);
    }
    if (root["store_keys"]) scenario.store_keys = in_.Strings(root["store_keys"], "store_keys").value_or(std::vector<std::string>{});
    if (root["engine"]) Engine(root["engine"], scenario);
    if (root["server"]) Server(root["server"], scenario);
    if (root["proxy"]) ProxySection(root["proxy"], scenario);
    if (root["machine"]) MachineSection(root["machine"], scenario);
    if (root["network"]) Network(root["network"], scenario.network);
    if (root["users"]) Users(root["users"], scenario);
    if (root["events"]) Events(root["events"], scenario);
    if (root["client"]) Client(root["client"], scenario);  // before what names its jobs
    if (root["jobs"]) Jobs(root["jobs"], scenario);
    if (root["triggers"]) Triggers(root["triggers"], scenario);  // after the jobs, whose ids they name
    if (root["player"]) Player(root["player"], scenario);
    if (root["expect"]) Expectations(root["expect"], scenario);
    CheckReferences(scenario);
    if (!in_.ok()) return std::nullopt;
    return scenario;
  }

 private:
  std::optional<std::string> Text(const YAML::Node& parent, const char* key) {
    return parent[key] ? in_.String(parent[key], key) : std::nullopt;
  }

  void Engine(const YAML::Node& node, Scenario& scenario) {
    if (!in_.Map(node, "engine", {"chunk", "time_slice"})) return;
    if (node["chunk"]) scenario.chunk_bytes = in_.Size(node["chunk"], "engine.chunk").value_or(scenario.chunk_bytes);
    if (node["time_slice"]) scenario.time_slice = in_.DurationOf(node["time_slice"], "engine.time_slice").value_or(scenario.time_slice);
  }

  void Server(const YAML::Node& node, Scenario& scenario) {
    if (!in_.Map(node, "server", {"files", "faults"})) {
      flawed_.server_file_without_path = true;
      return;
    }
    if (node["files"] && !in_.Sequence(node["files"], "server.files")) flawed_.server_file_without_path = true;
    if (node["files"] && node["files"].IsSequence()) {
      for (const YAML::Node& item : node["files"]) {
        if (!in_.Map(item, "a server file", {"path", "size", "seed", "content", "content_file"})) {
          flawed_.server_file_without_path = true;
          continue;
        }
        ServerFile file;
        file.where = in_.Where(item);
        file.path = Text(item, "path").value_or("");
        if (file.path.empty() || file.path.front() != '/') {
          if (!in_.Misspelt(item, "path")) in_.Error(item, "a server file needs a 'path' starting with '/'");
          flawed_.server_file_without_path = true;
        }
        Body(item, "server file " + file.path, file, scenario);
        if (std::any_of(scenario.server_files.begin(), scenario.server_files.end(),
                        [&](const ServerFile& other) { return other.path == file.path; })) {
          in_.Error(item, "server file " + file.path + " is defined twice");
        }
        scenario.server_files.push_back(std::move(file));
      }
    }
    if (node["faults"] && in_.Sequence(node["faults"], "server.faults")) {
      std::vector<std::pair<server::ServerFault, YAML::Node>> corrupting;
      for (const YAML::Node& item : node["faults"]) {
        std::optional<server::ServerFault> fault = Fault(item, "a server fault");
        if (!fault) continue;
        if (fault->kind == server::FaultKind::kCorruptBytes) corrupting.emplace_back(*fault, item);
        scenario.server_faults.push_back(*fault);
      }
      for (const auto& [fault, item] : corrupting) CorruptionInsideTheFile(fault, item["offset"], scenario);
    }
  }

  // A corrupt_bytes fault whose first byte lies past the end of its file (every version of it the
  // scenario serves) would send nothing wrong: a scenario that meant to test a lying server would
  // pass without one. A path the scenario serves no file at is left alone (the fault never fires).
  void CorruptionInsideTheFile(const server::ServerFault& fault, const YAML::Node& offset, const Scenario& scenario) {
    const auto file = std::find_if(scenario.server_files.begin(), scenario.server_files.end(),
                                   [&](const ServerFile& served) { return served.path == fault.path; });
    if (file == scenario.server_files.end()) return;
    std::uint64_t largest = file->content ? file->content->size() : file->size;
    for (const server::ServerFault& other : scenario.server_faults) {
      if (other.kind == server::FaultKind::kChangeFile && other.path == fault.path) largest = std::max(largest, other.new_size);
    }
    if (fault.corrupt_offset >= largest) {
      in_.Error(offset, "offset: byte " + std::to_string(fault.corrupt_offset) + " is past the end of " + fault.path + " (" +
                            std::to_string(largest) + " bytes): no byte would be sent wrong");
    }
  }

  // A forward proxy between the machine and the servers: its credentials and its own faults.
  void ProxySection(const YAML::Node& node, Scenario& scenario) {
    ProxySpec proxy;
    proxy.where = in_.Where(node);
    if (node.IsNull()) {  // "proxy:" alone: an open proxy without faults
      scenario.proxy = std::move(proxy);
      return;
    }
    if (!in_.Map(node, "proxy", {"credentials", "faults"})) return;
    if (node["credentials"]) {
      proxy.credentials = Text(node, "credentials").value_or("");
      if (proxy.credentials.find(':') == std::string::npos) {
        in_.Error(node["credentials"], "proxy.credentials: '" + proxy.credentials + "' is not 'user:password'");
      }
    }
    if (node["faults"] && in_.Sequence(node["faults"], "proxy.faults")) {
      for (const YAML::Node& item : node["faults"]) {
        std::optional<server::ServerFault> fault = Fault(item, "a proxy fault");
        if (!fault) continue;
        if (!server::ProxyApplies(fault->kind)) {
          in_.Error(item["kind"], "a proxy does not apply '" + std::string(server::ToString(fault->kind)) + "' (" +
                                      server::ProxyFaultKindNames() + ")");
          continue;
        }
        proxy.faults.push_back(std::move(*fault));
      }
    }
    scenario.proxy = std::move(proxy);
  }

  // The content of a server or machine file: generated ('size', 'seed'), 'content' or 'content_file'.
  void Body(const YAML::Node& item, const std::string& label, ServerFile& file, const Scenario& scenario) {
    const int sources = (item["content"] ? 1 : 0) + (item["content_file"] ? 1 : 0) + (item["size"] ? 1 : 0);
    if (sources > 1) {
      in_.Error(item, label + ": give one of 'size' (generated), 'content' or 'content_file'");
    } else if (item["content"]) {
      file.content = Text(item, "content");
    } else if (item["content_file"]) {
      file.content = ContentFile(item["content_file"]);
    } else if (!item["size"]) {
      in_.Error(item, label + " needs a 'size' (or 'content' or 'content_file')");
    } else {
      file.size = in_.Size(item["size"], "size").value_or(0);
      CountGenerated(item["size"], file.size);
    }
    file.seed = item["seed"] ? in_.Whole(item["seed"], "seed").value_or(0) : content::Fnv1a(file.path) ^ scenario.seed;
  }

  // The simulated machine's own disk: files placed in the work folder before the jobs start (the
  // sources of local and UNC copies) and the Windows names that point into it.
  void MachineSection(const YAML::Node& node, Scenario& scenario) {
    if (!in_.Map(node, "machine", {"files", "shares", "proxy", "policies"})) return;
    if (node["policies"] && in_.Map(node["policies"], "machine.policies",
                                    {"job_inactivity_timeout", "max_internet_bandwidth", "max_internet_bandwidth_until"})) {
      const YAML::Node& policies = node["policies"];
      if (policies["job_inactivity_timeout"]) {
        scenario.job_inactivity_timeout = in_.DurationOf(policies["job_inactivity_timeout"], "job_inactivity_timeout");
      }
      if (const YAML::Node& limit = policies["max_internet_bandwidth"]) {
        // 0 is the policy's "block" (a bandwidth of 0 elsewhere means unlimited: not configured here).
        if (limit.IsScalar() && limit.Scalar() == "0") {
          scenario.max_internet_bandwidth = 0;
        } else if (const std::optional<std::uint64_t> rate = in_.Bandwidth(limit, "max_internet_bandwidth"); rate && *rate > 0) {
          scenario.max_internet_bandwidth = rate;
        }
      }
      if (policies["max_internet_bandwidth_until"]) {
        scenario.max_internet_bandwidth_until =
            in_.DurationOf(policies["max_internet_bandwidth_until"], "max_internet_bandwidth_until");
        if (!policies["max_internet_bandwidth"]) {
          in_.Error(policies["max_internet_bandwidth_until"], "max_internet_bandwidth_until: there is no max_internet_bandwidth to end");
        }
      }
    }
    if (node["proxy"] && in_.Map(node["proxy"], "machine.proxy", {"list", "bypass"})) {
      // The user's Internet Options: what PRECONFIG and AUTODETECT jobs use.
      fake::UserProxySettings user{Text(node["proxy"], "list").value_or(""), Text(node["proxy"], "bypass").value_or("")};
      if (user.proxy_list.empty()) in_.Error(node["proxy"], "machine.proxy needs a 'list' (\"{proxy}\" for the scenario's proxy)");
      CheckProxyToken(in_, node["proxy"], user.proxy_list + user.bypass_list, scenario);
      scenario.user_proxy = std::move(user);
    }
    if (node["files"] && in_.Sequence(node["files"], "machine.files")) {
      for (const YAML::Node& item : node["files"]) {
        if (!in_.Map(item, "a machine file", {"path", "size", "seed", "content", "content_file"})) continue;
        ServerFile file;
        file.where = in_.Where(item);
        file.path = Text(item, "path").value_or("");
        if (file.path.empty() || !StaysInside(file.path)) {
          if (!in_.Misspelt(item, "path")) {
            in_.Error(item, "a machine file needs a 'path' relative to the work folder, without '..'");
          }
          continue;
        }
        Body(item, "machine file " + file.path, file, scenario);
        if (std::ranges::any_of(scenario.machine_files, [&](const ServerFile& other) { return other.path == file.path; })) {
          in_.Error(item, "machine file " + file.path + " is defined twice");
        }
        scenario.machine_files.push_back(std::move(file));
      }
    }
    if (node["shares"] && in_.Sequence(node["shares"], "machine.shares")) {
      for (const YAML::Node& item : node["shares"]) {
        if (!in_.Map(item, "a share", {"name", "folder"})) continue;
        ShareSpec share{Text(item, "name").value_or(""), Text(item, "folder").value_or(""), in_.Where(item)};
        if (!IsShareName(share.name)) {
          in_.Error(item["name"] ? item["name"] : item,
                    "a share needs a 'name' that is a UNC share (\\\\server\\share, in single quotes) or a drive (D:)");
        }
        if (share.folder.empty() || !StaysInside(share.folder)) {
          in_.Error(item["folder"] ? item["folder"] : item, "a share needs a 'folder' relative to the work folder, without '..'");
        }
        scenario.shares.push_back(std::move(share));
      }
    }
  }

  // Generated content is made on the fly, but a scenario asking for more than the limit is a
  // typo or an attack, and a download of it would run for hours.
  void CountGenerated(const YAML::Node& node, std::uint64_t bytes) {
    if (bytes > load_limits::kMaxGeneratedBytes - generated_bytes_) {
      in_.Error(node, "generated content would pass " + SizeText(load_limits::kMaxGeneratedBytes) +
                          " in all (server file sizes and change_file new_size add up)");
      generated_bytes_ = load_limits::kMaxGeneratedBytes;
      return;
    }
    generated_bytes_ += bytes;
  }

  // The bytes of a regular file named relative to the scenario file's folder, which it may not
  // leave (symlinks resolved) unless options_.allow_outside_content.
  std::optional<std::string> ContentFile(const YAML::Node& node) {
    const std::optional<std::string> name = in_.String(node, "content_file");
    if (!name) return std::nullopt;
    const fs::path parent = fs::path(in_.file()).parent_path();
    const fs::path looked_for = parent / *name;
    std::error_code error;
    const fs::path folder = fs::weakly_canonical(parent.empty() ? fs::current_path() : fs::absolute(parent), error);
    const fs::path resolved = fs::canonical(looked_for, error);
    if (error) {
      in_.Error(node, "content_file '" + *name + "' cannot be read (looked for " + looked_for.string() + ")");
      return std::nullopt;
    }
    if (!options_.allow_outside_content && !IsBelow(resolved, folder)) {
      in_.Error(node, "content_file '" + *name + "' resolves to " + resolved.string() + ", outside the scenario's folder " +
                          folder.string() + " (bitsh run/check --allow-outside-content allows it)");
      return std::nullopt;
    }
    // Checked before opening: opening a FIFO would block, and /dev/zero never ends.
    if (!fs::is_regular_file(fs::status(resolved, error))) {
      in_.Error(node, "content_file '" + *name + "' is not a regular file (" + resolved.string() + ")");
      return std::nullopt;
    }
    const std::uintmax_t size = fs::file_size(resolved, error);
    if (error || size > load_limits::kMaxContentFileBytes) {
      in_.Error(node, "content_file '" + *name + "' is larger than " + SizeText(load_limits::kMaxContentFileBytes) +
                          "; use a generated file ('size' and 'seed') for large content");
      return std::nullopt;
    }
    std::ifstream in(resolved, std::ios::binary);
    std::string bytes(static_cast<std::size_t>(size), '\0');
    if (!in.read(bytes.data(), static_cast<std::streamsize>(size))) {
      in_.Error(node, "content_file '" + *name + "' cannot be read (looked for " + looked_for.string() + ")");
      return std::nullopt;
    }
    return bytes;
  }

  // One fault of the server or the proxy (`what` names which, in messages).
  std::optional<server::ServerFault> Fault(const YAML::Node& item, const char* what) {
    if (!in_.Map(item, what, {"path", "request", "method", "kind", "after", "status", "retry_after", "stall", "rate", "close_delay",
                              "to", "redirect_status", "new_size", "new_seed", "header", "credentials", "every",
                              "probability", "offset", "length"})) {
      return std::nullopt;
    }
    server::ServerFault fault;
    fault.path = Text(item, "path").value_or("");
    if (fault.path.empty()) in_.Error(item, std::string(what) + " needs the 'path' it applies to");
    if (item["request"]) fault.request_number = static_cast<int>(in_.Whole(item["request"], "request").value_or(0));
    if (item["method"]) {
      fault.method = Text(item, "method").value_or("");
      if (fault.method != "GET" && fault.method != "HEAD") in_.Error(item["method"], "method must be GET or HEAD");
    }
    if (item["every"]) {
      const std::optional<std::uint64_t> every = in_.Whole(item["every"], "every");
      if (every && (*every < 2 || *every > 1'000'000)) {
        in_.Error(item["every"], "every: " + std::to_string(*every) + " is not 2 to 1000000 (a fault on every request needs no 'every')");
      } else if (every) {
        fault.every = static_cast<int>(*every);
      }
      if (fault.request_number != 0) {
        in_.Error(item["every"], "'every' counts the path's requests, and 'request' pins one of them: give one or the other");
      }
    }
    if (item["probability"]) fault.probability = in_.Probability(item["probability"], "probability").value_or(1.0);
    const std::string kind = Text(item, "kind").value_or("");
    const std::optional<server::FaultKind> parsed = server::ParseFaultKind(kind);
    if (!parsed) {
      in_.Error(item["kind"] ? item["kind"] : item, "'" + kind + "' is not a fault kind (" + server::FaultKindNames() + ")");
      return std::nullopt;
    }
    fault.kind = *parsed;
    const auto require = [&](const char* key) {
      if (!item[key]) in_.Error(item, "fault '" + kind + "' needs '" + key + "'");
      return static_cast<bool>(item[key]);
    };
    using server::FaultKind;
    if ((fault.kind == FaultKind::kCloseAfterBytes || fault.kind == FaultKind::kResetAfterBytes) && require("after")) {
      fault.after_bytes = in_.Size(item["after"], "after").value_or(0);
    }
    if (fault.kind == FaultKind::kStatus && require("status")) {
      fault.status = static_cast<int>(in_.Whole(item["status"], "status").value_or(500));
      if (fault.status < 100 || fault.status > 599) in_.Error(item["status"], "status must be an HTTP status (100-599)");
    }
    if (item["retry_after"]) fault.retry_after_s = static_cast<int>(in_.Seconds(item["retry_after"], "retry_after").value_or(0));
    if (fault.kind == FaultKind::kStall && require("stall")) {
      fault.stall = std::chrono::duration_cast<std::chrono::milliseconds>(in_.DurationOf(item["stall"], "stall").value_or(Duration::zero()));
    }
    if (fault.kind == FaultKind::kSlowClose && require("close_delay")) {
      fault.close_delay = std::chrono::duration_cast<std::chrono::milliseconds>(
          in_.DurationOf(item["close_delay"], "close_delay").value_or(Duration::zero()));
    } else if (item["close_delay"] && fault.kind != FaultKind::kSlowClose) {
      in_.Error(item["close_delay"], "'close_delay' is slow_close's (the time from the last byte to the close)");
    }
    if (fault.kind == FaultKind::kDribble && require("rate")) {
      fault.rate_bytes_per_s = in_.Bandwidth(item["rate"], "rate").value_or(1);
      if (fault.rate_bytes_per_s == 0) in_.Error(item["rate"], "rate: a dribble sends at least 1 byte per second");
    } else if (item["rate"] && fault.kind != FaultKind::kDribble) {
      in_.Error(item["rate"], "'rate' is dribble's (the pace of the body)");
    }
    if (fault.kind == FaultKind::kRedirect && require("to")) fault.redirect_to = Text(item, "to").value_or("");
    if (item["redirect_status"]) fault.redirect_status = static_cast<int>(in_.Whole(item["redirect_status"], "redirect_status").value_or(302));
    if (fault.kind == FaultKind::kChangeFile && require("new_size")) {
      fault.new_size = in_.Size(item["new_size"], "new_size").value_or(0);
      CountGenerated(item["new_size"], fault.new_size);
      fault.new_seed = item["new_seed"] ? in_.Whole(item["new_seed"], "new_seed").value_or(0) : content::Fnv1a(fault.path) + 1;
    }
    if (fault.kind == FaultKind::kRequireHeader && require("header")) {
      fault.required_header = Text(item, "header").value_or("");
      if (fault.required_header.find(':') == std::string::npos || fault.required_header.front() == ':') {
        in_.Error(item["header"], "header: '" + fault.required_header + "' is not 'Name: value'");
      }
    }
    if (fault.kind == FaultKind::kCorruptBytes && require("offset")) {
      fault.corrupt_offset = in_.Size(item["offset"], "offset").value_or(0);
      if (item["length"]) {
        fault.corrupt_length = in_.Size(item["length"], "length").value_or(1);
        if (fault.corrupt_length == 0) in_.Error(item["length"], "length: corrupt at least one byte");
      }
    } else if (item["offset"] || item["length"]) {
      in_.Error(item["offset"] ? item["offset"] : item["length"], "'offset' and 'length' are corrupt_bytes' (the bytes sent wrong)");
    }
    if (fault.kind == FaultKind::kRequireBasicAuth && require("credentials")) {
      fault.basic_credentials = Text(item, "credentials").value_or("");
      if (fault.basic_credentials.find(':') == std::string::npos) {
        in_.Error(item["credentials"], "credentials: '" + fault.basic_credentials + "' is not 'user:password'");
      }
    }
    return fault;
  }

  void Network(const YAML::Node& node, fake::NetworkPlan& plan) {
    if (!in_.Map(node, "network", {"bandwidth", "latency", "changes", "outages", "drops", "cost", "costs", "packet_loss",
                                   "retransmit_delay"})) {
      return;
    }
    if (node["packet_loss"]) plan.packet_loss = in_.Probability(node["packet_loss"], "packet_loss");
    if (node["retransmit_delay"]) plan.retransmit_delay = in_.DurationOf(node["retransmit_delay"], "retransmit_delay");
    // cost: the network's cost from the start; costs: [{at, cost, congested}] its changes.
    if (node["cost"]) plan.cost_changes.push_back({Duration::zero(), NetworkCost(in_, node["cost"]).value_or(0x01), false});
    if (node["costs"] && in_.Sequence(node["costs"], "network.costs")) {
      for (const YAML::Node& item : node["costs"]) {
        if (!in_.Map(item, "a cost change", {"at", "cost", "congested"})) continue;
        if (!item["at"] || !item["cost"]) {
          in_.Error(item, "a cost change needs 'at' and 'cost'");
          continue;
        }
        plan.cost_changes.push_back({in_.DurationOf(item["at"], "at").value_or(Duration::zero()),
                                     NetworkCost(in_, item["cost"]).value_or(0x01),
                                     item["congested"] ? in_.Bool(item["congested"], "congested").value_or(false) : false});
      }
    }
    if (node["bandwidth"]) plan.bandwidth_bytes_per_s = in_.Bandwidth(node["bandwidth"], "bandwidth");
    if (node["latency"]) plan.request_latency = in_.DurationOf(node["latency"], "latency");
    if (node["changes"] && in_.Sequence(node["changes"], "network.changes")) {
      for (const YAML::Node& item : node["changes"]) {
        if (!in_.Map(item, "a bandwidth change", {"at", "bandwidth"})) continue;
        if (!item["at"] || !item["bandwidth"]) {
          in_.Error(item, "a bandwidth change needs 'at' and 'bandwidth'");
          continue;
        }
        plan.bandwidth_changes.push_back({in_.DurationOf(item["at"], "at").value_or(Duration::zero()),
                                          in_.Bandwidth(item["bandwidth"], "bandwidth").value_or(0)});
      }
    }
    if (node["outages"] && in_.Sequence(node["outages"], "network.outages")) {
      for (const YAML::Node& item : node["outages"]) {
        if (!in_.Map(item, "an outage", {"start", "length"})) continue;
        if (!item["start"] || !item["length"]) {
          in_.Error(item, "an outage needs 'start' and 'length'");
          continue;
        }
        plan.outages.push_back({in_.DurationOf(item["start"], "start").value_or(Duration::zero()),
                                in_.DurationOf(item["length"], "length").value_or(Duration::zero())});
      }
    }
    if (node["drops"] && in_.Sequence(node["drops"], "network.drops")) {
      for (const YAML::Node& item : node["drops"]) {
        if (auto at = in_.DurationOf(item, "a drop time")) plan.drops.push_back(*at);
      }
    }
  }

  void Users(const YAML::Node& node, Scenario& scenario) {
    if (!in_.Sequence(node, "users")) {
      flawed_.user_without_name = true;
      return;
    }
    for (const YAML::Node& item : node) {
      if (!in_.Map(item, "a user", {"name", "admin", "logged_on", "stored_credentials"})) {
        flawed_.user_without_name = true;
        continue;
      }
      UserSpec user;
      user.name = Text(item, "name").value_or("");
      if (user.name.empty()) {
        if (!in_.Misspelt(item, "name")) in_.Error(item, "a user needs a 'name'");
        flawed_.user_without_name = true;
      }
      if (item["admin"]) user.admin = in_.Bool(item["admin"], "admin").value_or(false);
      if (item["logged_on"]) user.logged_on = in_.Bool(item["logged_on"], "logged_on").value_or(true);
      if (item["stored_credentials"]) {
        user.stored_credentials = Text(item, "stored_credentials");
        if (user.stored_credentials && user.stored_credentials->find(':') == std::string::npos) {
          in_.Error(item["stored_credentials"], "stored_credentials: give 'name:password'");
        }
      }
      scenario.users.push_back(user);
    }
  }

  // The value of a machine event's key in `item` (an event or a trigger): the user it names, the
  // duration as written, or empty for `true`.
  std::string EventArgumentOf(const MachineEventKind& kind, const YAML::Node& item, const std::string& what,
                              const SourceLocation& where) {
    const std::string key(kind.name);
    switch (kind.argument) {
      case EventArgument::kUser: {
        std::string user = in_.String(item[key], key).value_or("");
        user_refs_.push_back({user, where});
        return user;
      }
      case EventArgument::kSignedDuration: {
        std::string by = in_.String(item[key], key).value_or("");
        const std::optional<Duration> jump = ParseSignedDuration(by);
        if (!jump) in_.Error(item[key], key + ": '" + by + "' is not a duration (-2h, +3d, 90min)");
        else if (*jump == Duration::zero()) in_.Error(item[key], key + ": 0 does nothing; leave the " + what + " out");
        return by;
      }
      case EventArgument::kTrue:
        if (in_.Bool(item[key], key) == false) in_.Error(item[key], key + ": false does nothing; leave the " + what + " out");
        return "";
      case EventArgument::kBool: {
        const std::optional<bool> value = in_.Bool(item[key], key);
        return value.value_or(false) ? "true" : "false";
      }
      case EventArgument::kSizeOrUnlimited:
        if (item[key].IsScalar() && item[key].Scalar() == "unlimited") return "unlimited";
        [[fallthrough]];
      case EventArgument::kSize:
        return in_.Size(item[key], key) ? item[key].Scalar() : "0";
      case EventArgument::kLocalFile: {
        std::string local = in_.String(item[key], key).value_or("");
        if (!StaysInside(local)) in_.Error(item[key], key + ": '" + local + "' is not a path inside the work folder (as a job's 'local')");
        return local;
      }
    }
    return "";
  }

  void Events(const YAML::Node& node, Scenario& scenario) {
    if (!in_.Sequence(node, "events")) return;
    std::vector<std::string_view> keys = {"at"};
    std::string forms;  // "'logon: USER', 'logoff: USER', 'restart_service: true' or 'clock_jump: DURATION'"
    const std::span<const MachineEventKind> kinds = MachineEventKinds();
    for (std::size_t i = 0; i < kinds.size(); ++i) {
      keys.emplace_back(kinds[i].name);
      forms += (i == 0 ? "" : i + 1 == kinds.size() ? " or " : ", ") + std::string("'") + std::string(kinds[i].name) +
               ": " + std::string(ArgumentForm(kinds[i].argument)) + "'";
    }
    for (const YAML::Node& item : node) {
      if (!in_.Map(item, "an event", keys)) continue;
      MachineEvent event;
      if (!item["at"]) in_.Error(item, "an event needs 'at'");
      else event.at = in_.DurationOf(item["at"], "at").value_or(Duration::zero());
      int given = 0;
      for (const MachineEventKind& kind : kinds) {
        if (!item[std::string(kind.name)]) continue;
        ++given;
        event.kind = &kind;
      }
      if (given != 1) {
        in_.Error(item, "an event is one of " + forms);
        continue;
      }
      event.argument = EventArgumentOf(*event.kind, item, "event", in_.Where(item));
      scenario.events.push_back(event);
    }
  }

  // triggers: [{when: {job, state, error_count, bytes_transferred, files_transferred, callback}, ACTION}],
  // ACTION one of: a machine event (restart_service: true, logoff: USER...), fault: {...},
  // network: {drop, bandwidth, outage, cost}, or do: ACTION (with job: ID, default the when's job).
  void Triggers(const YAML::Node& node, Scenario& scenario) {
    if (!in_.Sequence(node, "triggers")) return;
    std::vector<std::string_view> keys = {"when", "fault", "network", "do", "job"};
    for (const MachineEventKind& kind : MachineEventKinds()) keys.push_back(kind.name);
    const auto known_job = [&scenario](const std::string& id) {
      // A client's jobs are named by their display names, known only once it has run.
      return scenario.client || std::ranges::any_of(scenario.jobs, [&](const JobSpec& job) { return job.id == id; });
    };
    for (const YAML::Node& item : node) {
      if (!in_.Map(item, "a trigger", keys)) continue;
      Trigger trigger;
      trigger.where = in_.Where(item);
      const YAML::Node when = item["when"];
      if (!when) {
        in_.Error(item, "a trigger needs 'when' (the job and the point it reaches)");
        continue;
      }
      if (!in_.Map(when, "when", {"job", "state", "error_count", "bytes_transferred", "files_transferred", "callback"})) continue;
      trigger.when.job = Text(when, "job").value_or("");
      if (trigger.when.job.empty()) in_.Error(when, "'when' needs the 'job' it watches");
      else if (!known_job(trigger.when.job)) in_.Error(when["job"], "no job '" + trigger.when.job + "' in this scenario");
      if (when.size() < 2) in_.Error(when, "'when' needs a point for job '" + trigger.when.job +
                                         "' to reach: state, error_count, bytes_transferred, files_transferred or callback");
      if (when["state"]) trigger.when.state = in_.State(when["state"], "state");
      const auto count = [&](const char* key) -> std::optional<std::uint32_t> {
        const std::optional<std::uint64_t> value = in_.Whole(when[key], key);
        if (value && *value > std::numeric_limits<std::uint32_t>::max()) {
          in_.Error(when[key], std::string(key) + ": " + std::to_string(*value) + " is more than a job can count");
          return std::nullopt;
        }
        return value ? std::optional(static_cast<std::uint32_t>(*value)) : std::nullopt;
      };
      if (when["error_count"]) trigger.when.error_count = count("error_count");
      if (when["bytes_transferred"]) trigger.when.bytes_transferred = in_.Size(when["bytes_transferred"], "bytes_transferred");
      if (when["files_transferred"]) trigger.when.files_transferred = count("files_transferred");
      if (when["callback"]) {
        const std::string callback = Text(when, "callback").value_or("");
        if (callback == "transferred") trigger.when.callback = "JobTransferred";
        else if (callback == "error") trigger.when.callback = "JobError";
        else if (callback == "file_transferred") trigger.when.callback = "FileTransferred";
        else in_.Error(when["callback"], "callback: '" + callback + "' is not transferred, error or file_transferred");
      }
      int actions = 0;
      for (const MachineEventKind& kind : MachineEventKinds()) {
        const std::string key(kind.name);
        if (!item[key]) continue;
        ++actions;
        trigger.event = &kind;
        trigger.event_argument = EventArgumentOf(kind, item, "trigger", in_.Where(item[key]));
      }
      if (item["fault"]) {
        ++actions;
        trigger.fault = Fault(item["fault"], "a trigger's fault");
      }
      if (item["network"]) {
        ++actions;
        trigger.network = TriggerNetworkOf(item["network"]);
      }
      if (item["do"]) {
        ++actions;
        const std::string name = Text(item, "do").value_or("");
        trigger.action = FindJobActionKind(name);
        if (trigger.action == nullptr) {
          in_.Error(item["do"], "'" + name + "' is not an action (" + JobActionNames() + ")");
        } else if (trigger.action->takes_from_and_to || trigger.action->takes_file || trigger.action->takes_policy) {
          in_.Error(item["do"], "'" + name + "' takes arguments, which a trigger cannot give yet: put it in the job's actions");
        }
        trigger.action_job = item["job"] ? Text(item, "job").value_or("") : trigger.when.job;
        if (item["job"] && !known_job(trigger.action_job)) in_.Error(item["job"], "no job '" + trigger.action_job + "' in this scenario");
      } else if (item["job"]) {
        in_.Error(item["job"], "'job' names whose action 'do' is; this trigger has no 'do'");
      }
      if (actions != 1) {
        in_.Error(item, "a trigger does one thing: a machine event (restart_service: true, logoff: USER...), 'fault', "
                        "'network' or 'do'");
        continue;
      }
      scenario.triggers.push_back(std::move(trigger));
    }
  }

  std::optional<TriggerNetwork> TriggerNetworkOf(const YAML::Node& node) {
    if (!in_.Map(node, "a trigger's network", {"drop", "bandwidth", "outage", "cost"})) return std::nullopt;
    TriggerNetwork network;
    if (node["drop"]) network.drop = in_.Bool(node["drop"], "drop").value_or(false);
    if (node["bandwidth"]) network.bandwidth = in_.Bandwidth(node["bandwidth"], "bandwidth");
    if (node["outage"]) network.outage = in_.DurationOf(node["outage"], "outage");
    if (node["cost"]) network.cost = NetworkCost(in_, node["cost"]);
    if (!network.drop && !network.bandwidth && !network.outage && !network.cost) {
      in_.Error(node, "a trigger's network needs drop: true, bandwidth, outage or cost");
    }
    return network;
  }

  void Player(const YAML::Node& node, Scenario& scenario) {
    if (!in_.Map(node, "player", {"refresh_download", "poll_interval", "library", "user"})) {
      flawed_.player_unread = true;
      return;
    }
    PlayerSpec player;
    if (node["refresh_download"]) {
      const auto value = in_.Whole(node["refresh_download"], "refresh_download");
      if (value && *value > UINT32_MAX) in_.Error(node["refresh_download"], "refresh_download is a 32-bit REG_DWORD");
      if (value) player.refresh_download = static_cast<std::uint32_t>(*value);
    }
    if (node["poll_interval"]) player.poll_interval = in_.DurationOf(node["poll_interval"], "poll_interval").value_or(player.poll_interval);
    if (player.poll_interval <= Duration::zero()) in_.Error(node["poll_interval"], "poll_interval must be positive");
    if (node["library"]) {
      player.library = Text(node, "library").value_or(player.library);
      if (!StaysInside(player.library)) in_.Error(node["library"], "library folder '" + player.library + "' escapes the scenario's work folder");
    }
    if (node["user"]) player.user = Text(node, "user").value_or(player.user);
    user_refs_.push_back({player.user, in_.Where(node)});
    scenario.player = player;
  }

  void Client(const YAML::Node& node, Scenario& scenario) {
    if (!in_.Map(node, "client", {"command", "user", "timeout", "exit_status", "advance_when_quiet"})) return;
    ClientSpec client;
    client.where = in_.Where(node);
    if (!node["command"]) in_.Error(node, "a client needs a 'command' (a list: the program and its arguments)");
    else client.command = in_.Strings(node["command"], "command").value_or(std::vector<std::string>{});
    if (node["command"] && client.command.empty()) in_.Error(node["command"], "the client's command is empty");
    if (!client.command.empty()) {
      // A program beside the scenario is taken from there, as content_file is: the first word, or
      // the second after Wine's ("wine store.exe").
      std::string& word = client.command[external::ProgramWord(client.command)];
      const fs::path program(word);
      const fs::path beside = fs::path(in_.file()).parent_path() / program;
      const bool named_here = program.has_parent_path() || external::IsWindowsProgram(client.command);
      if (program.is_relative() && named_here && fs::exists(beside)) word = beside.string();
    }
    // Like a job's owner, a user not listed under 'users' is a logged-on standard user.
    if (node["user"]) client.user = Text(node, "user").value_or(client.user);
    if (node["timeout"]) {
      client.timeout = in_.DurationOf(node["timeout"], "timeout").value_or(client.timeout);
      if (client.timeout <= Duration::zero()) in_.Error(node["timeout"], "the client's timeout must be positive");
    }
    if (node["exit_status"]) {
      const std::optional<std::string> status = Text(node, "exit_status");
      if (status && *status != "zero" && *status != "any") {
        in_.Error(node["exit_status"], "exit_status is 'zero' (an outcome checks it, the default) or 'any'");
      }
      client.expect_success = status.value_or("zero") != "any";
    }
    if (node["advance_when_quiet"]) {
      client.advance_when_quiet = in_.DurationOf(node["advance_when_quiet"], "advance_when_quiet");
      if (client.advance_when_quiet && *client.advance_when_quiet <= Duration::zero()) {
        in_.Error(node["advance_when_quiet"], "advance_when_quiet must be positive (leave it out to hold the clock)");
      }
    }
    scenario.client = std::move(client);
  }

  void Jobs(const YAML::Node& node, Scenario& scenario) { ReadJobs(in_, node, scenario, flawed_); }
  void Expectations(const YAML::Node& node, Scenario& scenario) { ReadExpectations(in_, node, scenario, flawed_); }
  void CheckReferences(const Scenario& scenario) { CheckScenarioReferences(in_, scenario, user_refs_, flawed_); }

  YamlReader& in_;
  const ScenarioLoadOptions& options_;
  std::uint64_t generated_bytes_ = 0;
  std::vector<std::pair<std::string, SourceLocation>> user_refs_;
  FlawedDefinitions flawed_;
};

}  // namespace

LoadResult LoadScenarioText(const std::string& text, const std::string& file_name, const ScenarioLoadOptions& options) {
  YamlReader reader(file_name);
  LoadResult result;
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::ParserException& error) {
    const std::string hint = YamlParserHint(text, error.mark.line, error.mark.column, error.msg);
    result.errors.push_back(LoadError{SourceLocation{file_name, error.mark.line + 1, error.mark.column + 1},
                                      hint.empty() ? error.msg : error.msg + "\n  hint: " + hint});
    return result;
  }
  Loader loader(reader, options);
  result.scenario = loader.Load(root);
  result.errors = reader.TakeErrors();
  // Sections are read in a fixed order, not the file's; people fix a file top to bottom.
  std::stable_sort(result.errors.begin(), result.errors.end(), [](const LoadError& a, const LoadError& b) {
    return std::tie(a.where.line, a.where.column) < std::tie(b.where.line, b.where.column);
  });
  if (!result.errors.empty()) result.scenario.reset();
  return result;
}

LoadResult LoadScenarioFile(const std::filesystem::path& path, const ScenarioLoadOptions& options) {
  if (path == kStandardInputPath) {
    std::ostringstream text;
    text << std::cin.rdbuf();
    return LoadScenarioText(text.str(), kStandardInputName, options);
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return LoadResult{std::nullopt, {LoadError{SourceLocation{path.string(), 0, 0}, "cannot read the file"}}};
  std::ostringstream text;
  text << in.rdbuf();
  return LoadScenarioText(text.str(), path.string(), options);
}

std::vector<std::filesystem::path> FindScenarioFiles(const std::vector<std::filesystem::path>& paths,
                                                     std::vector<std::string>& missing) {
  std::vector<std::filesystem::path> files;
  bool standard_input = false;
  for (const std::filesystem::path& path : paths) {
    if (path == kStandardInputPath) {
      standard_input = true;
    } else if (std::filesystem::is_directory(path)) {
      for (const auto& entry : std::filesystem::recursive_directory_iterator(path)) {
        const std::string extension = entry.path().extension().string();
        if (entry.is_regular_file() && (extension == ".yaml" || extension == ".yml")) files.push_back(entry.path());
      }
    } else if (std::filesystem::is_regular_file(path)) {
      files.push_back(path);
    } else {
      missing.push_back(path.string());
    }
  }
  std::sort(files.begin(), files.end());
  if (standard_input) files.insert(files.begin(), kStandardInputPath);
  return files;
}

}  // namespace bitsh::scenarios
