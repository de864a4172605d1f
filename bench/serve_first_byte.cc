// serve_first_byte: time to first body byte of N downloads started at one instant from the file
// server (the one bitsh-serve runs), on loopback, measured by a client that is not the bottleneck:
// one thread, non-blocking sockets and poll(), so every GET goes out within microseconds and each
// socket's first byte is stamped when it arrives. (bench/serve_first_byte.py, the first version,
// used a Python thread per download under one interpreter lock, and measured itself as much as the
// server.) Figures only: nothing is asserted.
//
//   build/default/bench/serve_first_byte [--downloads 64] [--size-kib 4096] [--rounds 5] [--threads N]
//                                        [--port N]   (a running bitsh-serve instead; --threads is then its own)
//
// Each round: N connections are opened, then one GET is sent on each, back to back; the client
// stamps each one's first body byte and then reads every response to its end. Prints each round's
// median, 95th percentile and maximum wait, and the same over all rounds.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <vector>

#include "server/file_server.h"

namespace {

using Clock = std::chrono::steady_clock;

struct Download {
  int fd = -1;
  Clock::time_point sent;
  std::string head;            // until the blank line
  std::uint64_t body = 0;      // body bytes received
  bool head_done = false;
  bool first_byte = false;
  bool done = false;
};

int Connect(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw std::runtime_error("socket failed");
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    ::close(fd);
    throw std::runtime_error("connect failed");
  }
  const int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
  return fd;
}

// Waits in milliseconds, one per download, of one round.
std::vector<double> Round(int port, int downloads, std::uint64_t size) {
  std::vector<Download> all(static_cast<std::size_t>(downloads));
  for (Download& download : all) download.fd = Connect(port);
  const std::string get = "GET /first-byte.bin HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
  for (Download& download : all) {
    download.sent = Clock::now();
    if (::send(download.fd, get.data(), get.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(get.size())) {
      throw std::runtime_error("send failed");
    }
  }
  std::vector<double> waits;
  // Small reads, and the downloads still waiting for their first byte first in every pass: the
  // client's own work on the others' bodies delays a stamp by at most one pass of 64 KiB reads.
  std::vector<char> buffer(64 * 1024);
  std::size_t left = all.size();
  while (left > 0) {
    std::vector<pollfd> polled;
    std::vector<Download*> owners;
    for (bool waiting : {true, false}) {
      for (Download& download : all) {
        if (download.done || download.first_byte != !waiting) continue;
        polled.push_back({download.fd, POLLIN, 0});
        owners.push_back(&download);
      }
    }
    if (::poll(polled.data(), polled.size(), 30'000) <= 0) throw std::runtime_error("no answer within 30 s");
    for (std::size_t i = 0; i < polled.size(); ++i) {
      if (polled[i].revents == 0) continue;
      Download& download = *owners[i];
      const ssize_t got = ::recv(download.fd, buffer.data(), buffer.size(), 0);
      if (got <= 0) {
        if (download.body < size) throw std::runtime_error("a response ended early");
        download.done = true;
        --left;
        continue;
      }
      std::size_t body_bytes = static_cast<std::size_t>(got);
      if (!download.head_done) {
        download.head.append(buffer.data(), static_cast<std::size_t>(got));
        const std::size_t end = download.head.find("\r\n\r\n");
        if (end == std::string::npos) continue;
        download.head_done = true;
        body_bytes = download.head.size() - end - 4;
      }
      if (body_bytes > 0 && !download.first_byte) {
        download.first_byte = true;
        waits.push_back(std::chrono::duration<double, std::milli>(Clock::now() - download.sent).count());
      }
      download.body += body_bytes;
      if (download.body >= size) {
        download.done = true;
        --left;
      }
    }
  }
  for (Download& download : all) ::close(download.fd);
  return waits;
}

void Print(const char* label, std::vector<double> waits) {
  std::sort(waits.begin(), waits.end());
  const double median = waits[waits.size() / 2];
  const double p95 = waits[std::min(waits.size() - 1, static_cast<std::size_t>(0.95 * static_cast<double>(waits.size() - 1) + 0.5))];
  std::printf("%-10s median %7.1f ms   p95 %7.1f ms   max %7.1f ms   (%zu downloads)\n", label, median, p95,
              waits.back(), waits.size());
}

}  // namespace

int main(int argc, char** argv) {
  int downloads = 64, rounds = 5;
  std::uint64_t size_kib = 4096;
  bitsh::server::FileServerOptions options;
  CLI::App app{"Time to first byte of many downloads started together from the file server"};
  app.add_option("--downloads", downloads, "downloads started together")->capture_default_str()->check(CLI::Range(1, 1000));
  app.add_option("--size-kib", size_kib, "size of the file, KiB")->capture_default_str();
  app.add_option("--rounds", rounds, "rounds")->capture_default_str()->check(CLI::Range(1, 100));
  app.add_option("--threads", options.limits.threads, "the server's workers (bitsh-serve --threads)")->capture_default_str();
  int port = 0;
  app.add_option("--port", port,
                 "measure a bitsh-serve already listening on this loopback port (serving /first-byte.bin of "
                 "--size-kib, e.g. --generate /first-byte.bin=4194304:1) instead of a server in this process")
      ->check(CLI::Range(1, 65535));
  CLI11_PARSE(app, argc, argv);

  // In this process, the server's workers and the client share one process's turn on the CPU;
  // bench/serve_first_byte.sh measures bitsh-serve as a process of its own, as BITS or curl sees it.
  bitsh::server::FileServer server(options);
  if (port == 0) {
    server.AddGeneratedFile("/first-byte.bin", size_kib * 1024, /*seed=*/1);
    if (const bitsh::Status started = server.Start(); !started.ok()) {
      std::fprintf(stderr, "serve_first_byte: %s\n", started.ToString().c_str());
      return 1;
    }
    port = server.port();
    std::printf("serve_first_byte: %d downloads of %llu KiB, %d rounds, %d server workers in this process\n",
                downloads, static_cast<unsigned long long>(size_kib), rounds, options.limits.threads);
  } else {
    std::printf("serve_first_byte: %d downloads of %llu KiB, %d rounds, from the server on port %d\n", downloads,
                static_cast<unsigned long long>(size_kib), rounds, port);
  }
  std::vector<double> all;
  for (int round = 1; round <= rounds; ++round) {
    const std::vector<double> waits = Round(port, downloads, size_kib * 1024);
    Print(("round " + std::to_string(round)).c_str(), waits);
    all.insert(all.end(), waits.begin(), waits.end());
  }
  Print("all", all);
  return 0;
}
