// FileServer: the local HTTP file server the fake (and real BITS under Wine) downloads from.
//
// Serves a directory and generated files (size + seed: a 4 GiB file needs no disk) with HEAD and
// GET, Range requests on GET (one range: 206 + Content-Range; several: multipart/byteranges; 416
// when none is satisfiable; byte_ranges.h), the preconditions of RFC 9110 §13 (If-Match,
// If-None-Match, If-Modified-Since, If-Unmodified-Since, If-Range: 304, 412 or the whole file;
// conditional_request.h), Content-Length, Last-Modified and ETag. Binds 127.0.0.1 on an ephemeral
// port unless told otherwise, applies scripted ServerFaults, and records every request in a
// RequestLog. With `control` set, another process can add files and faults over HTTP
// (control_protocol.h; RemoteFileServer is the client).
//
// Built on cpp-httplib behind GuardedHttpServer (slow or greedy clients cannot hold every worker;
// limits in options.limits); requests are served on worker threads, so every method is thread-safe.
// The destructor stops the server and joins its thread.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "backend/status.h"
#include "server/http_limits.h"
#include "server/request_log.h"
#include "server/fault_table.h"
#include "server/server_faults.h"

namespace httplib {
struct Request;
struct Response;
}  // namespace httplib

namespace bitsh::server {

class GuardedHttpServer;

struct FileServerOptions {
  std::filesystem::path root;             // directory served; empty = generated files only
  std::string bind_address = "127.0.0.1";  // loopback unless a test host says otherwise
  int port = 0;                            // 0 = an ephemeral port
  bool control = false;                    // serve the control API (control_protocol.h) on loopback
  HttpLimits limits;                       // what one client may ask of the server (http_limits.h)
  std::size_t log_budget_bytes = 16 * 1024 * 1024;  // the request log's memory (request_log.h)
};

class FileServer {
 public:
  explicit FileServer(FileServerOptions options);
  ~FileServer();
  FileServer(const FileServer&) = delete;
  FileServer& operator=(const FileServer&) = delete;

  // Binds and serves on a background thread; connections are accepted as soon as this returns.
  // E_FAIL naming the address when the port cannot be bound.
  Status Start();
  // Stops serving and joins the thread. Idempotent.
  void Stop();

  int port() const { return port_; }
  // "http://127.0.0.1:PORT" (no trailing slash).
  std::string base_url() const;

  // Serves `size` bytes generated from `seed` at `path` ("/album/01.wma"), ahead of the root.
  void AddGeneratedFile(const std::string& path, std::uint64_t size, std::uint64_t seed);
  // Replaces a generated file by a new version: new content, Last-Modified and ETag.
  void ChangeGeneratedFile(const std::string& path, std::uint64_t size, std::uint64_t seed);
  // Adds a fault after the others, or with `first`, ahead of them (the first matching rule applies).
  // It counts its path's requests from now on (fault_table.h). Returns its id, or nullopt when the
  // server holds FaultTable::kMaxFaults already or the fault cannot be sent (CheckFault).
  std::optional<int> AddFault(ServerFault fault, bool first = false);
  // Removes one fault by id (false when there is none), or all of them.
  bool RemoveFault(int id);
  void ClearFaults();
  // The faults with their ids and counts, in the order they apply.
  std::vector<FaultTable::Entry> Faults() const;

  const RequestLog& log() const { return log_; }

 private:
  struct GeneratedFile {
    std::uint64_t size = 0;
    std::uint64_t seed = 0;
    int version = 1;
  };
  // What a request resolves to: a generated file or a file on disk, with its validators.
  struct Resource {
    std::uint64_t size = 0;
    std::string last_modified;
    std::string etag;
    std::optional<GeneratedFile> generated;
    std::filesystem::path disk_file;
  };

  void Handle(const httplib::Request& request, httplib::Response& response);

  FileServerOptions options_;
  std::unique_ptr<GuardedHttpServer> http_;
  std::thread thread_;
  int port_ = 0;
  RequestLog log_;

  mutable std::mutex mutex_;  // guards everything below
  std::map<std::string, GeneratedFile> generated_;
  FaultTable faults_;
};

}  // namespace bitsh::server
