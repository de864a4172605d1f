// bitsh-real: bitsh for the machine's own BITS (Windows, or Wine's), through RealBitsBackend.
//   bitsh-real jobs [--all-users] [--store KEY]...
//   bitsh-real create NAME [--description TEXT] [--file URL LOCAL]... [--resume]
//   bitsh-real cancel ID...
//   bitsh-real lint-description DESCRIPTION | --file F [--store KEY]... [--local NAME]...
// Exit codes as bitsh's (exit_codes.h); 3 when BITS cannot be reached.
#include <iostream>

#include "backend/real/bits_backend.h"
#include "cli/command_line.h"
#include "cli/commands.h"
#include "cli/queue_commands.h"

int main(int argc, char** argv) {
  using namespace bitsh::cli;
  CLI::App app{"bitsh-real: the BITS queue of this machine (Windows, or Wine's), seen through bits-harness"};
  app.require_subcommand(1);

  JobsArguments jobs;
  CLI::App* jobs_command = app.add_subcommand("jobs", "list the queue, checking WMP jobs against the convention");
  jobs_command->add_flag("--all-users", jobs.all_users, "every user's jobs (administrators only)");
  jobs_command->add_option("--store", jobs.store_keys, "a known online-store key (repeatable)");

  CreateArguments create;
  CLI::App* create_command = app.add_subcommand("create", "queue a download job and print its id");
  create_command->add_option("name", create.display_name, "the job's display name")->required();
  create_command->add_option("--description", create.description, "the job's description");
  create_command->add_option("--file", create.files, "a remote URL and a local name (repeatable)");
  create_command->add_flag("--resume", create.resume, "resume the job once its files are added");

  std::vector<std::string> cancel_ids;
  CLI::App* cancel_command = app.add_subcommand("cancel", "cancel jobs by id");
  cancel_command->add_option("ids", cancel_ids, "job ids, {...}")->required();

  LintArguments lint;
  CLI::App* lint_command = AddLintDescriptionCommand(app, lint);

  if (std::optional<int> stop = ParseCommandLine(app, argc, argv)) return *stop;
  if (*lint_command) return ToInt(LintDescriptionCommand(lint));

  bitsh::Result<std::unique_ptr<bitsh::Backend>> bits = bitsh::real::ConnectToBits();
  if (!bits.ok()) {
    std::cerr << "bitsh-real: cannot reach BITS: " << bits.status().ToString() << "\n";
    return ToInt(ExitCode::kInternal);
  }
  if (*jobs_command) return ToInt(JobsCommand(**bits, jobs, std::cout));
  if (*create_command) return ToInt(CreateCommand(**bits, create, std::cout));
  return ToInt(CancelCommand(**bits, cancel_ids, std::cout));
}
