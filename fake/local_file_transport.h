// LocalFileTransport: how the fake copies a file whose remote name is not HTTP: a local path, a
// UNC path or a file:// URL (fake/remote_name.h). Real BITS copies these over SMB or the file
// system, with the same job states and progress as an HTTP download; so does the fake, through the
// same engine (the engine decides when, this transport what).
//
// - Probe reads the source's size and modification time (its version, as BITS compares size and
//   time stamp, spec §3.5); a missing source is ERROR_FILE_NOT_FOUND (its folder or drive:
//   ERROR_PATH_NOT_FOUND), an unreadable one or a folder E_ACCESSDENIED, all fatal, with context
//   BG_ERROR_CONTEXT_REMOTE_FILE; an unmapped UNC server or share is ERROR_BAD_NETPATH /
//   ERROR_BAD_NET_NAME, transient (docs/decisions.md, "Sources that are not HTTP").
// - Fetch reads the piece at its offset; a source whose size or time stamp changed since the probe
//   is reported as changed, and the engine restarts that file (spec T16).
// - The first Fetch of a stream counts as a new request (the network's latency applies to a UNC
//   server and a local disk alike: one rule, docs/decisions.md).
#pragma once

#include <set>
#include <string>

#include "fake/remote_name.h"
#include "fake/transport.h"

namespace bitsh::fake {

class LocalFileTransport final : public Transport {
 public:
  explicit LocalFileTransport(WindowsPathMap windows_paths = {}) : windows_paths_(std::move(windows_paths)) {}

  ProbeResult Probe(const ProbeRequest& request) override;
  FetchResult Fetch(const FetchRequest& request, ByteSink& sink) override;
  void Release(const std::string& stream_key) override { open_streams_.erase(stream_key); }

 private:
  WindowsPathMap windows_paths_;
  std::set<std::string> open_streams_;
};

}  // namespace bitsh::fake
