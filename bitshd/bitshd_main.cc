// bitshd: the fake BITS as a service process (daemon.h), for programs that cannot link the fake:
// another language, another process, a Windows program under Wine (docs/bitshd.md).
//   bitshd [--port N] [--bind ADDR] [--token-file PATH] [--auto-advance MS] [--callback-timeout MS]
//          [--exit-when-idle S] [--exit-with-parent] [--keep-work]
//          [--wine-prefix PREFIX | --windows-drive C:=FOLDER ...] [--scenario FILE]
// Prints "bitshd listening on <url> token-file <path>" as its first line of stdout, then serves
// until a client calls service.shutdown, SIGINT/SIGTERM, --exit-when-idle seconds without a
// request, or (--exit-with-parent) the end of the process that started it. Exit code 0 then, 1
// when it cannot start, 2 for a bad command line.
#include <CLI/CLI.hpp>

#include <pthread.h>

#include <cctype>
#include <csignal>
#include <iostream>
#include <thread>

#include "bitshd/daemon.h"
#include "remote/protocol.h"

int main(int argc, char** argv) {
  CLI::App app{"bitshd: the fake BITS of bits-harness as a service on a loopback port"};
  bitsh::bitshd::DaemonOptions options;
  long auto_advance_ms = -1, callback_timeout_ms = options.callback_timeout.count(), idle_s = 3600;
  app.add_option("--port", options.port, "port (0 = ephemeral)")->check(CLI::Range(0, 65535));
  app.add_option("--bind", options.host, "loopback address to listen on")->capture_default_str();
  app.add_option("--token-file", options.token_file, "where to write the token (made new, mode 0600); "
                                                      "default: in the work folder");
  app.add_option("--auto-advance", auto_advance_ms,
                 "after this many real ms without a call, virtual time jumps to the next event")
      ->check(CLI::Range(0L, 3'600'000L));
  app.add_option("--callback-timeout", callback_timeout_ms, "real ms a client's callback may take to answer")
      ->capture_default_str()
      ->check(CLI::Range(1L, 3'600'000L));
  app.add_option("--exit-when-idle", idle_s, "stop after this many seconds without a request (0: never)")
      ->capture_default_str()
      ->check(CLI::Range(0L, 31'536'000L));
  app.add_flag("--exit-with-parent", options.exit_with_parent, "stop when the process that started bitshd ends");
  app.add_flag("--keep-work", options.machine.keep_work, "leave the work folder (queue, downloads) for inspection");
  app.add_option("--scenario", options.scenario, "serve this scenario's machine (server, faults, network, users); "
                                                "its jobs and expectations are not used")
      ->check(CLI::ExistingFile);
  std::string wine_prefix;
  std::vector<std::string> drives;
  app.add_option("--wine-prefix", wine_prefix, "Windows clients' drives: those of this Wine prefix (its dosdevices)")
      ->check(CLI::ExistingDirectory);
  app.add_option("--windows-drive", drives, "a Windows clients' drive and the folder it stands for: C:=FOLDER")
      ->check([](const std::string& value) {
        return value.size() > 3 && std::isalpha(static_cast<unsigned char>(value[0])) && value.substr(1, 2) == ":="
                   ? ""
                   : "not LETTER:=FOLDER";
      });
  CLI11_PARSE(app, argc, argv);
  if (!wine_prefix.empty()) {
    bitsh::Result<bitsh::serving::WindowsPaths> paths = bitsh::serving::WindowsPaths::FromWinePrefix(wine_prefix);
    if (!paths.ok()) {
      std::cerr << "bitshd: --wine-prefix: " << paths.status().message() << "\n";
      return 2;
    }
    options.windows_paths = *paths;
  }
  for (const std::string& drive : drives) options.windows_paths.AddDrive(drive[0], drive.substr(3));
  if (auto_advance_ms >= 0) options.auto_advance = std::chrono::milliseconds(auto_advance_ms);
  options.callback_timeout = std::chrono::milliseconds(callback_timeout_ms);
  if (idle_s > 0) options.exit_when_idle = std::chrono::seconds(idle_s);

  // The stop signals are blocked in every thread (the server's inherit the mask); one thread
  // waits for them and stops the daemon, whose loop runs on this thread.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  bitsh::Result<std::unique_ptr<bitsh::bitshd::Daemon>> started = bitsh::bitshd::Daemon::Start(std::move(options));
  if (!started.ok()) {
    std::cerr << "bitshd: " << started.status().ToString() << "\n";
    return 1;
  }
  bitsh::bitshd::Daemon& daemon = **started;
  std::thread signals([&daemon, stop_signals] {
    int signal = 0;
    sigwait(&stop_signals, &signal);
    daemon.Stop();
  });
  std::cout << bitsh::remote::kListeningLine << daemon.url() << " token-file " << daemon.token_file().string()
            << std::endl;
  const std::string why = daemon.Run();
  std::cerr << "bitshd: stopped: " << why << "\n";
  // Wakes the signal thread when the daemon stopped for another reason (a second Stop is harmless).
  pthread_kill(signals.native_handle(), SIGTERM);
  signals.join();
  return 0;
}
