// Transport: how the fake's transfer engine gets bytes of a remote file.
//
// The engine decides *when* (virtual time, scheduling, bandwidth); a Transport decides *what*
// arrives: the file's size and identity, the bytes, and the errors. ScriptedTransport serves
// in-memory files with scripted faults for unit tests; the HTTP transport fetches from the local
// file server with Range requests. Calls are synchronous and take no virtual time.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "backend/hresult.h"
#include "backend/job_types.h"

namespace bitsh::fake {

// A failure as the job will record it: the BITS code, its context, and a line for the trace.
// `injected` marks faults a scenario asked for, so reports can tell them from bugs found.
struct TransferError {
  HResult code = hr::kOk;
  ErrorContext context = ErrorContext::kNone;
  std::string detail;
  bool injected = false;
  bool ok() const { return Succeeded(code); }
};

// What BITS learns from a HEAD: the size and what identifies this version of the file
// (size + Last-Modified in HTTP terms, spec §3.5).
struct RemoteFileInfo {
  std::uint64_t size = kSizeUnknown;
  std::string version;
};

struct ProbeResult {
  TransferError error;
  RemoteFileInfo info;
};

// Where fetched bytes go (the job's temporary file).
class ByteSink {
 public:
  virtual ~ByteSink() = default;
  // Appends bytes. Returns false when the local file cannot be written.
  virtual bool Write(std::string_view bytes) = 0;
};

struct FetchResult {
  std::uint64_t bytes = 0;      // bytes written to the sink, even when an error follows
  TransferError error;          // set when the fetch stopped early
  bool remote_changed = false;  // the server's file is no longer `expected_version` (spec T16)
};

class Transport {
 public:
  virtual ~Transport() = default;

  // Learns the size and version of the file at `url` (BITS's HEAD request).
  virtual ProbeResult Probe(const std::string& url) = 0;

  // Writes bytes [offset, offset + max_bytes) of `url` to `sink` (fewer at the end of the file).
  // REQUIRES: the caller probed the file; `expected_version` is what the probe returned.
  virtual FetchResult Fetch(const std::string& url, std::uint64_t offset, std::uint64_t max_bytes,
                            const std::string& expected_version, ByteSink& sink) = 0;
};

}  // namespace bitsh::fake
