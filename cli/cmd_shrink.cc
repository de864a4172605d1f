// bitsh shrink: the smallest scenario that still fails the same way (scenarios/shrink.h), written
// beside the original so that its content files still resolve.
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include "cli/commands.h"
#include "scenarios/shrink.h"

namespace bitsh::cli {
namespace {

std::size_t Lines(const std::string& text) {
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')) + (text.ends_with('\n') ? 0 : 1);
}

// "album.yaml" -> "album.min.yaml".
std::string MinimalName(const std::string& path) {
  const std::filesystem::path original(path);
  return (original.parent_path() / (original.stem().string() + ".min.yaml")).string();
}

}  // namespace

ExitCode ShrinkCommand(const ShrinkArguments& arguments) {
  const bool from_stdin = arguments.scenario == "-";
  if (from_stdin && arguments.output.empty()) {
    std::cerr << "bitsh shrink: a scenario read from standard input needs -o FILE for the result\n";
    return ExitCode::kBadInput;
  }
  std::string text;
  if (from_stdin) {
    text.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
  } else {
    std::ifstream in(arguments.scenario, std::ios::binary);
    if (!in) {
      std::cerr << arguments.scenario << ": no such file\n";
      return ExitCode::kBadInput;
    }
    text.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  const std::string name = from_stdin ? "<stdin>" : arguments.scenario;
  scenarios::ShrinkOptions options;
  options.run.seed = arguments.seed;
  options.invariants = arguments.invariants;
  options.max_runs = arguments.max_runs;
  options.load.allow_outside_content = arguments.allow_outside_content;
  std::cout << "bitsh shrink: " << name << " (" << Lines(text) << " lines); each candidate is a whole run\n";
  Result<scenarios::ShrinkResult> shrunk = scenarios::Shrink(text, name, options);
  if (!shrunk.ok()) {
    std::cerr << "bitsh shrink: " << shrunk.status().message() << "\n";
    return ExitCode::kBadInput;
  }
  const std::string output = arguments.output.empty() ? MinimalName(arguments.scenario) : arguments.output;
  const std::string header = "# The smallest failing scenario bitsh shrink found from " + name + " (" +
                             std::to_string(shrunk->changes) + " changes kept, " + std::to_string(shrunk->runs) +
                             " runs).\n# Still fails: expected " + shrunk->failure + "\n";
  if (!WriteFileAtomically(output, header + shrunk->yaml)) {
    std::cerr << "bitsh shrink: cannot write " << output << "\n";
    return ExitCode::kInternal;
  }
  std::cout << "kept " << shrunk->changes << " change(s) in " << shrunk->runs << " runs"
            << (shrunk->exhausted ? " (stopped at --max-runs; a larger one may shrink further)" : "") << ": "
            << Lines(text) << " lines -> " << Lines(shrunk->yaml) << "\n"
            << "  still fails: expected " << shrunk->failure << "\n"
            << "    but " << shrunk->actual << "\n"
            << "wrote " << output << "\n"
            << "reproduce with: bitsh run " << output << (arguments.invariants ? " --invariants" : "")
            << (arguments.allow_outside_content ? " --allow-outside-content" : "") << "\n";
  return ExitCode::kOk;
}

}  // namespace bitsh::cli
