// The scenario loader: the check that every name used is defined, once each section is read.
#include <algorithm>
#include <set>

#include "scenarios/scenario_sections.h"

namespace bitsh::scenarios {
namespace {

// True when a flawed definition written as `written` might, once fixed, define `name`: it had no
// name at all, or it is the name, or (with `copies`) its "{n}" or "-N" copies would make it.
bool MightDefine(const std::string& written, const std::string& name) {
  if (written.empty() || written == name) return true;
  const auto digits = [](std::string_view text) {
    return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  const std::size_t at = written.find("{n}");
  if (at == std::string::npos) {
    return name.size() > written.size() + 1 && name.starts_with(written + "-") &&
           digits(std::string_view(name).substr(written.size() + 1));
  }
  // What stands for "{n}" is not checked: this only decides whether an error is worth reporting.
  const std::string_view head = std::string_view(written).substr(0, at);
  const std::string_view tail = std::string_view(written).substr(at + 3);
  return name.size() > head.size() + tail.size() && name.starts_with(head) && name.ends_with(tail);
}

bool AnyMightDefine(const std::vector<std::string>& written, const std::string& name) {
  return std::any_of(written.begin(), written.end(), [&](const std::string& w) { return MightDefine(w, name); });
}

}  // namespace

void CheckScenarioReferences(YamlReader& in, const Scenario& scenario,
                             const std::vector<std::pair<std::string, SourceLocation>>& user_refs,
                             const FlawedDefinitions& flawed) {
  std::set<std::string> jobs, users, server_files, locals, url_paths;
  for (const JobSpec& job : scenario.jobs) {
    jobs.insert(job.id);
    users.insert(job.owner);  // owners not listed under users are logged-on standard users
    for (const FileSpec& file : job.files) {
      locals.insert(file.local);
      url_paths.insert(PathOfUrl(file.url));
    }
  }
  for (const UserSpec& user : scenario.users) users.insert(user.name);
  if (scenario.client) users.insert(scenario.client->user);  // as a job's owner: a logged-on standard user
  for (const ServerFile& file : scenario.server_files) server_files.insert(file.path);
  std::set<std::string> machine_files;
  for (const ServerFile& file : scenario.machine_files) machine_files.insert(file.path);
  const auto known_server_file = [&](const std::string& path) {
    return server_files.contains(path) || flawed.server_file_without_path;
  };
  for (const auto& [user, where] : user_refs) {
    if (!users.contains(user) && !flawed.user_without_name) {
      in.ErrorAt(where, "no user '" + user + "' (list it under 'users' or own a job)");
    }
  }
  for (const Expectation& expectation : scenario.expectations) {
    // A client's jobs and files are known only once it has run: an expectation may name them.
    const bool client_may_define = scenario.client.has_value();
    if (!client_may_define && !expectation.job.empty() && !jobs.contains(expectation.job) &&
        !AnyMightDefine(flawed.job_ids, expectation.job)) {
      in.ErrorAt(expectation.where, "no job '" + expectation.job + "' (defined jobs are named by their 'id')");
    }
    if (!client_may_define && !expectation.file.empty() && !locals.contains(expectation.file) &&
        !AnyMightDefine(flawed.locals, expectation.file)) {
      in.ErrorAt(expectation.where, "no job downloads to '" + expectation.file + "'");
    }
    if (expectation.same_as && !known_server_file(*expectation.same_as) && !machine_files.contains(*expectation.same_as)) {
      in.ErrorAt(expectation.where, "same_as: no server file or machine file '" + *expectation.same_as + "'");
    }
    if (!expectation.requests_path.empty() && !known_server_file(expectation.requests_path) &&
        !url_paths.contains(expectation.requests_path)) {
      in.ErrorAt(expectation.where, "requests: no server file or job url '" + expectation.requests_path + "'");
    }
    if (expectation.findings) {
      for (const std::string& rule : *expectation.findings) {
        if (std::find(wmp::kRuleIds.begin(), wmp::kRuleIds.end(), rule) == wmp::kRuleIds.end()) {
          in.ErrorAt(expectation.where, "findings: '" + rule + "' is not a convention rule id");
        }
      }
    }
  }
}

}  // namespace bitsh::scenarios
