// The fuzz targets without libFuzzer: runs LLVMFuzzerTestOneInput on every corpus file, then on
// deterministic mutations of them (same --seed, same inputs, on any compiler). This is the smoke
// run ctest does with the project's normal compiler (and under the sanitizer preset); the
// coverage-guided search needs clang's libFuzzer (the "fuzz" preset, fuzz/README.md).
//
// When an input crashes, a signal handler writes it to ./fuzz-crash-input first, so the reproduce
// line it prints works even when the crash came from a mutation that exists nowhere else.
#include <fcntl.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <array>
#include <csignal>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

namespace fs = std::filesystem;
using Input = std::vector<std::uint8_t>;

// The input being run, for the crash handler (which may only call async-signal-safe functions).
const Input* g_current = nullptr;
const char* g_program = "";

void WriteCrashInput(int signal_number) {
  constexpr char kPath[] = "fuzz-crash-input";
  if (g_current != nullptr) {
    const int fd = ::open(kPath, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd >= 0) {
      ssize_t ignored = ::write(fd, g_current->data(), g_current->size());
      (void)ignored;
      ::close(fd);
    }
    constexpr char kMessage[] = "\nfuzz replay: the crashing input is in ./fuzz-crash-input; reproduce: ";
    ssize_t ignored = ::write(2, kMessage, sizeof kMessage - 1);
    ignored = ::write(2, g_program, std::char_traits<char>::length(g_program));
    ignored = ::write(2, " fuzz-crash-input\n", 18);
    (void)ignored;
  }
  std::signal(signal_number, SIG_DFL);
  std::raise(signal_number);
}

std::vector<fs::path> InputFiles(const std::vector<std::string>& paths) {
  std::vector<fs::path> files;
  for (const std::string& path : paths) {
    if (fs::is_directory(path)) {
      for (const fs::directory_entry& entry : fs::directory_iterator(path)) {
        if (entry.is_regular_file()) files.push_back(entry.path());
      }
    } else {
      files.emplace_back(path);
    }
  }
  std::sort(files.begin(), files.end());  // directory order differs between machines
  return files;
}

Input ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  return Input(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Bytes that matter to our parsers: separators, quotes, UTF-8 lead bytes of overlong, surrogate
// and beyond-U+10FFFF forms, YAML indicators, path characters.
constexpr std::array<std::uint8_t, 22> kInterestingBytes = {
    0x00, 0xFF, ':', '\n', '"', '%', '/', '.', '\\', '-', '[', '{', '&', '*', '!', '9',
    0x80, 0xC0, 0xE0, 0xED, 0xF4, 0xF5};

// One to four random edits of `base`, sometimes spliced with `other`.
Input Mutate(const Input& base, const Input& other, std::mt19937_64& random) {
  Input input = base;
  const auto pick = [&random](std::size_t bound) { return bound == 0 ? 0 : static_cast<std::size_t>(random() % bound); };
  const std::size_t edits = 1 + pick(4);
  for (std::size_t edit = 0; edit < edits; ++edit) {
    const std::size_t at = pick(input.size() + 1);
    switch (pick(6)) {
      case 0:  // flip one bit
        if (at < input.size()) input[at] ^= static_cast<std::uint8_t>(1u << pick(8));
        break;
      case 1:  // an interesting byte in place
        if (at < input.size()) input[at] = kInterestingBytes[pick(kInterestingBytes.size())];
        break;
      case 2:  // insert an interesting byte
        input.insert(input.begin() + static_cast<std::ptrdiff_t>(at), kInterestingBytes[pick(kInterestingBytes.size())]);
        break;
      case 3:  // erase a run
        input.erase(input.begin() + static_cast<std::ptrdiff_t>(at),
                    input.begin() + static_cast<std::ptrdiff_t>(std::min(input.size(), at + 1 + pick(16))));
        break;
      case 4: {  // repeat a run: deep nesting, long fields, many keys
        const std::size_t length = std::min(input.size() - std::min(at, input.size()), 1 + pick(8));
        const Input run(input.begin() + static_cast<std::ptrdiff_t>(at),
                        input.begin() + static_cast<std::ptrdiff_t>(at + length));
        for (std::size_t times = 1 + pick(64); times > 0; --times) {
          input.insert(input.begin() + static_cast<std::ptrdiff_t>(at), run.begin(), run.end());
        }
        break;
      }
      default: {  // splice: this input's head, the other's tail
        const std::size_t from = pick(other.size() + 1);
        input.resize(std::min(at, input.size()));
        input.insert(input.end(), other.begin() + static_cast<std::ptrdiff_t>(from), other.end());
        break;
      }
    }
  }
  return input;
}

void Run(const Input& input) {
  g_current = &input;
  LLVMFuzzerTestOneInput(input.data(), input.size());
  g_current = nullptr;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Runs a fuzz target on corpus files and on deterministic mutations of them."};
  std::vector<std::string> paths;
  std::size_t mutations = 0;
  std::uint64_t seed = 1;
  app.add_option("inputs", paths, "corpus files or folders")->required()->check(CLI::ExistingPath);
  app.add_option("--mutations", mutations, "how many mutated inputs to run after the corpus");
  app.add_option("--seed", seed, "seed of the mutations: the same seed runs the same inputs");
  CLI11_PARSE(app, argc, argv);

  g_program = argv[0];
  for (int signal_number : {SIGABRT, SIGSEGV, SIGBUS, SIGFPE, SIGILL}) std::signal(signal_number, WriteCrashInput);

  std::vector<Input> corpus;
  for (const fs::path& file : InputFiles(paths)) corpus.push_back(ReadFile(file));
  for (const Input& input : corpus) Run(input);
  const std::size_t corpus_inputs = corpus.size();
  if (corpus.empty()) corpus.emplace_back();  // mutations then grow from the empty input

  std::mt19937_64 random(seed);
  for (std::size_t count = 0; count < mutations; ++count) {
    const Input& base = corpus[random() % corpus.size()];
    const Input& other = corpus[random() % corpus.size()];
    Run(Mutate(base, other, random));
  }
  std::cout << "fuzz replay: " << corpus_inputs << " corpus inputs and " << mutations
            << " mutations (seed " << seed << ") ran without a crash or a broken invariant\n";
  return 0;
}
