// bitsh certify: takes a store's queuer - a module built against bits-harness (--queuer) or the
// store's own program (--exe) - runs the certification battery, writes the reports.
#include <dlfcn.h>

#include <filesystem>
#include <iostream>
#include <memory>

#include "certification/certification.h"
#include "certification/program_queuer.h"
#include "cli/commands.h"

namespace bitsh::cli {
namespace {

// The store's program as the queuer (--exe). A program named by a path (or a .exe in this folder)
// is named by its absolute path: it runs from another folder.
std::unique_ptr<certification::StoreQueuer> ProgramQueuer(const CertifyArguments& arguments) {
  external::ProgramOptions program;
  std::string exe = arguments.exe;
  if (std::filesystem::exists(exe) && (exe.find('/') != std::string::npos || external::IsWindowsProgram({exe}))) {
    exe = std::filesystem::absolute(exe).string();
  }
  program.command = {exe};
  program.command.insert(program.command.end(), arguments.exe_arguments.begin(), arguments.exe_arguments.end());
  program.timeout = std::chrono::seconds(arguments.timeout_seconds);
  program.wine.prefix = arguments.wine_prefix;
  program.wine.com_server = arguments.com_server;
  return std::make_unique<certification::ProgramQueuer>(std::move(program));
}

// The module's queuer (--queuer), or null after saying why there is none.
std::unique_ptr<certification::StoreQueuer> ModuleQueuer(const CertifyArguments& arguments) {
  // dlopen searches the library path for a name without a '/', so `--queuer libx.so` typed in the
  // build folder would load another libx.so or none: the user means the file (CLI11 checked that it
  // exists), so name it by its absolute path.
  const std::filesystem::path module_path = std::filesystem::absolute(arguments.queuer);
  // The module stays loaded until exit: the queuer's code and vtable live in it.
  void* module = ::dlopen(module_path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (module == nullptr) {
    std::cerr << "bitsh certify: cannot load " << arguments.queuer << ": " << ::dlerror() << "\n";
    return nullptr;
  }
  using Create = certification::StoreQueuer* (*)();
  auto create = reinterpret_cast<Create>(::dlsym(module, BITSH_STORE_QUEUER_ENTRY_POINT));
  if (create == nullptr) {
    std::cerr << "bitsh certify: " << arguments.queuer << " does not export " << BITSH_STORE_QUEUER_ENTRY_POINT << "\n";
    return nullptr;
  }
  std::unique_ptr<certification::StoreQueuer> queuer(create());
  if (!queuer) std::cerr << "bitsh certify: " << BITSH_STORE_QUEUER_ENTRY_POINT << " returned no queuer\n";
  return queuer;
}

}  // namespace

ExitCode CertifyCommand(const CertifyArguments& arguments) {
  certification::ManifestResult manifest = certification::LoadManifest(arguments.manifest);
  for (const scenarios::LoadError& error : manifest.errors) std::cerr << error.ToString() << "\n";
  if (!manifest.manifest) return ExitCode::kBadInput;
  std::unique_ptr<certification::StoreQueuer> queuer =
      arguments.exe.empty() ? ModuleQueuer(arguments) : ProgramQueuer(arguments);
  if (!queuer) return ExitCode::kBadInput;

  const certification::CertificationReport report = certification::Certify(*queuer, *manifest.manifest, arguments.seed);
  std::cout << report.ToMarkdown();
  bool written = true;
  for (const auto& [path, text] : {std::pair{arguments.markdown, report.ToMarkdown()}, std::pair{arguments.html, report.ToHtml()},
                                   std::pair{arguments.junit, report.ToJUnit()}}) {
    if (!path.empty() && !WriteFileAtomically(path, text)) {
      std::cerr << "bitsh certify: cannot write " << path << "\n";
      written = false;
    }
  }
  // A failed certification outranks a report problem: exit 3 must never hide it.
  if (!report.passed()) return ExitCode::kFailed;
  return written ? ExitCode::kOk : ExitCode::kInternal;
}

}  // namespace bitsh::cli
