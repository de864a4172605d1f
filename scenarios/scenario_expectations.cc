// The scenario loader: the expect section.
#include <algorithm>

#include "scenarios/scenario_sections.h"

namespace bitsh::scenarios {
namespace {

void JobExpectation(YamlReader& in, const YAML::Node& item, Expectation& expectation) {
  expectation.job = in.String(item["job"], "job").value_or("");
  if (item["state"]) expectation.state = in.State(item["state"], "state");
  if (item["error_count"]) {
    expectation.error_count = static_cast<std::uint32_t>(in.Whole(item["error_count"], "error_count").value_or(0));
  }
  if (item["error"] && in.Map(item["error"], "error", {"code", "context"})) {
    const YAML::Node error = item["error"];
    if (error["code"]) {
      const std::string code = in.String(error["code"], "code").value_or("");
      expectation.error_code = ParseHResult(code);
      if (!expectation.error_code && code == "BG_E_CONNECTION_RESET") {
        // Earlier releases of this tool named 0x8020002F so; bitsmsg.h has no such code.
        in.Error(error["code"], "'BG_E_CONNECTION_RESET' is not a BITS code (bitsmsg.h has none): a connection "
                                "that breaks while receiving is BG_E_RECEIVE_FAILURE");
      } else if (!expectation.error_code) {
        in.Error(error["code"], "'" + code + "' is not an HRESULT name (BG_E_HTTP_ERROR_404, BG_E_...) or hex (0x80190194)");
      }
    }
    if (error["context"]) {
      const std::string context = in.String(error["context"], "context").value_or("");
      expectation.error_context = ParseErrorContext(context);
      if (!expectation.error_context) {
        in.Error(error["context"], "'" + context + "' is not an error context (REMOTE_FILE, LOCAL_FILE, GENERAL_TRANSPORT, ...)");
      }
    }
  }
  if (item["bytes_transferred"]) expectation.bytes_transferred = in.Size(item["bytes_transferred"], "bytes_transferred");
  if (item["files_transferred"]) {
    expectation.files_transferred = static_cast<std::uint32_t>(in.Whole(item["files_transferred"], "files_transferred").value_or(0));
  }
  const auto states = [&](const char* key, std::vector<JobState>& out) {
    if (!item[key] || !in.Sequence(item[key], key)) return;
    for (const YAML::Node& state : item[key]) {
      if (auto parsed = in.State(state, key)) out.push_back(*parsed);
    }
  };
  states("states_include", expectation.states_include);
  states("states_exclude", expectation.states_exclude);
  if (item["findings"]) expectation.findings = in.Strings(item["findings"], "findings");
  if (item["callbacks"] && in.Sequence(item["callbacks"], "callbacks")) {
    expectation.callbacks.emplace();
    for (const YAML::Node& entry : item["callbacks"]) {  // each name reported at its own place
      const std::string name = in.String(entry, "callbacks").value_or("");
      if (name != "transferred" && name != "error" && name != "file_transferred" && name != "command_line") {
        in.Error(entry, "callbacks: '" + name + "' is not a notification (transferred, error, "
                        "file_transferred, command_line; modifications are counted with min_modifications)");
      }
      expectation.callbacks->push_back(name);
    }
  }
  if (item["min_modifications"]) expectation.min_modifications = in.Whole(item["min_modifications"], "min_modifications");
}

}  // namespace

void ReadExpectations(YamlReader& in, const YAML::Node& node, Scenario& scenario, const FlawedDefinitions& flawed) {
  if (!in.Sequence(node, "expect")) return;
  for (const YAML::Node& item : node) {
    const std::size_t errors_before = in.error_count();
    if (!in.Map(item, "an expectation", {"at", "job", "state", "error_count", "error", "bytes_transferred",
                                          "files_transferred", "states_include", "states_exclude", "findings", "callbacks",
                                          "min_modifications", "file",
                                          "exists", "sha256", "same_as", "requests", "via", "ranges", "count", "header", "temp_files",
                                          "library", "title", "album", "album_artist", "track_number", "library_count",
                                          "queue_empty"})) {
      continue;
    }
    const bool unknown_keys = in.error_count() != errors_before;
    Expectation expectation;
    expectation.where = in.Where(item);
    if (item["at"]) expectation.at = in.DurationOf(item["at"], "at");
    const int subjects = (item["job"] ? 1 : 0) + (item["file"] ? 1 : 0) + (item["requests"] ? 1 : 0) +
                         (item["temp_files"] ? 1 : 0) + (item["library"] ? 1 : 0) + (item["library_count"] ? 1 : 0) +
                         (item["queue_empty"] ? 1 : 0);
    if (subjects != 1) {
      // No subject next to an unknown key: the key was the subject, misspelt, and is reported.
      if (subjects > 1 || !unknown_keys) {
        in.Error(item, "an expectation is about one of: 'job', 'file', 'requests', 'temp_files', 'library', "
                       "'library_count' or 'queue_empty'");
      }
      continue;
    }
    const bool about_library = item["library"] || item["library_count"];
    if (about_library && !scenario.player && !flawed.player_unread) {
      in.Error(item, "library expectations need a 'player' section");
    }
    if (item["job"]) {
      JobExpectation(in, item, expectation);
    } else if (item["file"]) {
      expectation.file = in.String(item["file"], "file").value_or("");
      if (item["exists"]) expectation.exists = in.Bool(item["exists"], "exists");
      if (item["sha256"]) expectation.sha256 = in.String(item["sha256"], "sha256");
      if (item["same_as"]) expectation.same_as = in.String(item["same_as"], "same_as");
      if (!expectation.exists && !expectation.sha256 && !expectation.same_as) {
        in.Error(item, "a file expectation needs 'exists', 'sha256' or 'same_as'");
      }
    } else if (item["library"]) {
      expectation.library_file = in.String(item["library"], "library").value_or("");
      const auto text = [&](const char* key) { return item[key] ? in.String(item[key], key) : std::nullopt; };
      expectation.title = text("title");
      expectation.album = text("album");
      expectation.album_artist = text("album_artist");
      expectation.track_number = text("track_number");
      if (item["same_as"]) expectation.same_as = in.String(item["same_as"], "same_as");
    } else if (item["library_count"]) {
      expectation.library_count = in.Whole(item["library_count"], "library_count");
    } else if (item["queue_empty"]) {
      expectation.queue_empty = in.Bool(item["queue_empty"], "queue_empty");
    } else if (item["requests"]) {
      expectation.requests_path = in.String(item["requests"], "requests").value_or("");
      if (item["via"]) {
        // Whose log: the server's (what reached it, from the machine or the proxy) or the proxy's.
        const std::string via = in.String(item["via"], "via").value_or("");
        if (via == "proxy") expectation.via_proxy = true;
        else if (via != "server") in.Error(item["via"], "via: '" + via + "' is not 'server' or 'proxy'");
        if (expectation.via_proxy && !scenario.proxy) in.Error(item["via"], "via: proxy needs a 'proxy' section");
      }
      if (item["ranges"]) expectation.ranges = in.Strings(item["ranges"], "ranges");
      if (item["count"]) expectation.request_count = in.Whole(item["count"], "count");
      if (item["header"]) {
        const YAML::Node& header = item["header"];
        if (!header.IsMap() || header.size() == 0) {
          in.Error(header, "header: give the fields every request must carry, as a map ({Authorization: \"Bearer x\"})");
        } else {
          std::vector<std::pair<std::string, std::string>> fields;
          for (const auto& field : header) {
            const std::optional<std::string> name = in.String(field.first, "header name");
            const std::optional<std::string> value = in.String(field.second, "header value");
            if (name && value) fields.emplace_back(*name, *value);
          }
          expectation.request_headers = std::move(fields);
        }
      }
    } else {
      expectation.temp_files = in.Bool(item["temp_files"], "temp_files");
    }
    scenario.expectations.push_back(std::move(expectation));
  }
}

}  // namespace bitsh::scenarios
