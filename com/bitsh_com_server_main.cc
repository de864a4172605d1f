// bitsh-com-server: the fake BITS behind COM. Registered as the BITS manager's class (per user),
// it is what an unmodified Windows program reaches through CoCreateInstance(CLSID_Background-
// CopyManager): COM starts it, it connects to bitshd (the fake as a service, on the Linux side
// under Wine) and serves IBackgroundCopyManager and the job, file, error and enumerator objects
// over RemoteBackend (docs/com.md).
//
//   bitsh-com-server --register --url http://127.0.0.1:PORT --token-file Z:\tmp\bitshd-1\token
//   bitsh-com-server --unregister
// COM itself runs the registered command line with -Embedding appended.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "backend/real/com.h"
#include "com/bits_headers.h"
#include "com/manager_object.h"
#include "com/registration.h"
#include "com/server_lifetime.h"
#include "com/session.h"

namespace {

constexpr DWORD kFirstClientWaitMs = 30000;

using bitsh::com::RegistryScope;

// The server's own path, for the registered command line.
std::wstring OwnPath() {
  std::wstring path(MAX_PATH, L'\0');
  for (;;) {
    const DWORD length = GetModuleFileNameW(nullptr, path.data(), static_cast<DWORD>(path.size()));
    if (length < path.size()) {
      path.resize(length);
      return path;
    }
    path.resize(path.size() * 2);
  }
}

std::wstring Quoted(const std::string& text) { return L"\"" + bitsh::real::Utf8ToWide(text) + L"\""; }

// --status: what a program's CoCreateInstance(CLSID_BackgroundCopyManager) reaches now.
int PrintStatus(RegistryScope scope) {
  const std::wstring command = bitsh::com::RegisteredCommand(scope);
  const bool running = bitsh::com::BitsServiceRunning();
  if (command.empty()) {
    std::printf("not registered in this scope: programs reach the machine's BITS\n");
  } else {
    std::printf("registered: %s\n", bitsh::real::WideToUtf8(command.c_str()).c_str());
  }
  std::printf("BITS service: %s\n", running ? "running (COM hands programs its class object first)" : "stopped");
  const bool reached = !command.empty() && !running;
  std::printf("%s\n", reached ? "programs reach this server" : "programs do not reach this server");
  return reached ? 0 : 1;
}

// Serves COM's activation requests until no client holds an object for the linger time.
int Serve(const bitsh::com::SessionOptions& options, DWORD linger_ms) {
  if (FAILED(CoInitializeEx(nullptr, COINIT_APARTMENTTHREADED))) return 1;
  int exit_code = 0;
  {
    bitsh::com::Session session(options);
    bitsh::com::ManagerFactory factory(session);
    DWORD cookie = 0;
    const HRESULT registered =
        CoRegisterClassObject(CLSID_BackgroundCopyManager, &factory, CLSCTX_LOCAL_SERVER, REGCLS_MULTIPLEUSE, &cookie);
    if (FAILED(registered)) {
      session.Log("CoRegisterClassObject failed: " + bitsh::HResultHex(static_cast<bitsh::HResult>(registered)));
      exit_code = 1;
    } else {
      bitsh::com::ServerLifetime::SetClassRegistration(cookie);
      bitsh::com::ServerLifetime::SetLinger(linger_ms);
      // COM asks the factory for the client's object right after it starts us: wait for that
      // longer than a short --linger-ms, or a loaded machine could see the server leave first.
      bitsh::com::ServerLifetime::StartLinger(std::max<DWORD>(linger_ms, kFirstClientWaitMs));
      MSG message;
      while (!bitsh::com::ServerLifetime::Expired() && GetMessageW(&message, nullptr, 0, 0) > 0) {
        TranslateMessage(&message);
        DispatchMessageW(&message);
      }
      bitsh::com::ServerLifetime::RevokeClass();
    }
  }
  CoUninitialize();
  return exit_code;
}

}  // namespace

int main(int argc, char** argv) {
  // COM appends -Embedding (or /Embedding) to the registered command line; it says nothing more.
  std::vector<char*> args;
  for (int i = 0; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg != "-Embedding" && arg != "/Embedding") args.push_back(argv[i]);
  }

  CLI::App app{"The fake BITS behind COM: serves CLSID_BackgroundCopyManager over bitshd (docs/com.md)."};
  app.name("bitsh-com-server");
  bitsh::com::SessionOptions options;
  bool do_register = false;
  bool do_unregister = false;
  bool do_status = false;
  std::string scope_name = "user";
  DWORD linger_ms = 5000;
  app.add_flag("--register", do_register, "register this program as the BITS manager's class and exit");
  app.add_flag("--unregister", do_unregister, "undo --register and exit");
  app.add_flag("--status", do_status,
               "say what is registered in --scope and whether programs reach it; exit 0 when they do, 1 when not");
  app.add_option("--scope", scope_name, "where to register: user (HKCU, Windows) or machine (HKLM, what Wine 8 reads)")
      ->check(CLI::IsMember({"user", "machine"}));
  app.add_option("--url", options.url, "bitshd's address (its first line: 'bitshd listening on URL ...')");
  app.add_option("--token-file", options.token_file, "the file bitshd wrote its token to");
  app.add_option("--user", options.user, "the BITS user whose jobs the clients see")->capture_default_str();
  app.add_option("--log", options.log_file, "append every failed call, with the fake's message, to this file");
  app.add_option("--linger-ms", linger_ms, "stay this long after the last client let go")->capture_default_str();
  try {
    app.parse(static_cast<int>(args.size()), args.data());
  } catch (const CLI::ParseError& error) {
    return app.exit(error);
  }
  const RegistryScope scope = scope_name == "machine" ? RegistryScope::kMachine : RegistryScope::kCurrentUser;

  if (do_status) return PrintStatus(scope);
  if (do_unregister) {
    const bitsh::Status status = bitsh::com::Unregister(scope);
    std::fprintf(status.ok() ? stdout : stderr, "%s\n", status.ok() ? "unregistered" : status.message().c_str());
    return status.ok() ? 0 : 1;
  }
  if (options.url.empty() || options.token_file.empty()) {
    std::fprintf(stderr, "bitsh-com-server: --url and --token-file are needed (bitshd prints both when it starts)\n");
    return 2;
  }
  if (do_register) {
    std::wstring command = L"\"" + OwnPath() + L"\" --url " + Quoted(options.url) + L" --token-file " +
                           Quoted(options.token_file) + L" --user " + Quoted(options.user) + L" --linger-ms " +
                           std::to_wstring(linger_ms);
    if (!options.log_file.empty()) command += L" --log " + Quoted(options.log_file);
    const bitsh::Status status = bitsh::com::Register(scope, command);
    if (!status.ok()) {
      std::fprintf(stderr, "bitsh-com-server: %s\n", status.message().c_str());
      return 1;
    }
    std::printf("registered: %s\n", bitsh::real::WideToUtf8(command.c_str()).c_str());
    if (bitsh::com::BitsServiceRunning()) {
      std::fprintf(stderr,
                   "bitsh-com-server: the BITS service is running, and COM hands programs its running class "
                   "first: stop it (net stop BITS) for this registration to take effect\n");
    }
    return 0;
  }
  return Serve(options, linger_ms);
}
