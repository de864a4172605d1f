// bitsh certify: loads a store's queuer module, runs the certification battery, writes reports.
#include <dlfcn.h>

#include <filesystem>
#include <iostream>
#include <memory>

#include "cli/commands.h"
#include "certification/certification.h"

namespace bitsh::cli {

ExitCode CertifyCommand(const CertifyArguments& arguments) {
  certification::ManifestResult manifest = certification::LoadManifest(arguments.manifest);
  for (const scenarios::LoadError& error : manifest.errors) std::cerr << error.ToString() << "\n";
  if (!manifest.manifest) return ExitCode::kBadInput;

  // dlopen searches the library path for a name without a '/', so `--queuer libx.so` typed in the
  // build folder would load another libx.so or none: the user means the file (CLI11 checked that it
  // exists), so name it by its absolute path.
  const std::filesystem::path module_path = std::filesystem::absolute(arguments.queuer);
  // The module stays loaded until exit: the queuer's code and vtable live in it.
  void* module = ::dlopen(module_path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (module == nullptr) {
    std::cerr << "bitsh certify: cannot load " << arguments.queuer << ": " << ::dlerror() << "\n";
    return ExitCode::kBadInput;
  }
  using Create = certification::StoreQueuer* (*)();
  auto create = reinterpret_cast<Create>(::dlsym(module, BITSH_STORE_QUEUER_ENTRY_POINT));
  if (create == nullptr) {
    std::cerr << "bitsh certify: " << arguments.queuer << " does not export " << BITSH_STORE_QUEUER_ENTRY_POINT << "\n";
    return ExitCode::kBadInput;
  }
  std::unique_ptr<certification::StoreQueuer> queuer(create());
  if (!queuer) {
    std::cerr << "bitsh certify: " << BITSH_STORE_QUEUER_ENTRY_POINT << " returned no queuer\n";
    return ExitCode::kBadInput;
  }

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
