// Transport: how the fake's transfer engine gets bytes of a remote file.
//
// The engine decides *when* (virtual time, scheduling, bandwidth); a Transport decides *what*
// arrives: the file's size and identity, the bytes, and the errors. ScriptedTransport serves
// in-memory files with scripted faults for unit tests; HttpTransport fetches from the local file
// server as BITS does (HEAD, then one ranged GET per attempt, read piece by piece). Calls are
// synchronous; the virtual time they stand for is the engine's business, apart from what a
// transport reports of the server's own timing: a `delay` (a stall, a slow close, a connection
// never answered) and a `rate_bytes_per_s` (a dribble).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "backend/clock.h"
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

// Extra request header fields a job sends with every request ("Name", "value"), in order: the
// job's custom headers (IBackgroundCopyJobHttpOptions::SetCustomHeaders).
using HeaderFields = std::vector<std::pair<std::string, std::string>>;

// What BITS learns from a HEAD: the size and what identifies this version of the file
// (size + Last-Modified in HTTP terms, spec §3.5).
struct RemoteFileInfo {
  std::uint64_t size = kSizeUnknown;
  std::string version;
};

// What a transport does with an HTTP redirect (the job's BG_HTTP_REDIRECT_POLICY_*): follow it
// (ALLOW_SILENT and ALLOW_REPORT; the engine decides whether the remote name changes), or stop
// with HRESULT_FROM_WIN32(status) and name the target (DISALLOW).
enum class RedirectPolicy { kFollow, kRefuse };

// A user name and password a server asked for with a Basic challenge (401, WWW-Authenticate:
// Basic) is answered with: the job's server credentials for the Basic scheme.
struct BasicCredentials {
  std::string user_name;
  std::string password;
};

// The proxy a request goes through (what the job's proxy settings give for its URL,
// fake/proxy_route.h), and what answers the proxy's Basic challenge (407, Proxy-Authenticate:
// Basic): the job's proxy credentials for the Basic scheme. Redirects go through it too.
struct ProxyRoute {
  std::string host;
  int port = 80;
  std::optional<BasicCredentials> basic;
};

// Which file to probe, and the job's extra header fields, redirect policy, credentials and proxy.
struct ProbeRequest {
  std::string url;
  HeaderFields headers;
  RedirectPolicy redirects = RedirectPolicy::kFollow;
  std::optional<BasicCredentials> server_basic;
  std::optional<ProxyRoute> proxy;  // nullopt: straight to the server
};

struct ProbeResult {
  TransferError error;
  RemoteFileInfo info;
  Duration delay = Duration::zero();  // extra virtual time before the answer
  // Where redirects led: the final URL when followed, the refused target under kRefuse; empty
  // when the server answered at the URL asked.
  std::string redirected_to;
};

// What a ByteSink did with bytes: how many reached the local file, and why the rest did not.
struct SinkWrite {
  std::uint64_t written = 0;
  TransferError error;  // ok when every byte was written
};

// Where fetched bytes go (the job's temporary file: LocalFileSink, fake/local_disk.h).
class ByteSink {
 public:
  virtual ~ByteSink() = default;
  // Appends `bytes`: all of them, or those before a failure of the local file, which comes back as
  // the job's error (context LOCAL_FILE: a full disk, a file that may not be created). A transport
  // counts the bytes written in FetchResult::bytes and stops the fetch with the error.
  virtual SinkWrite Write(std::string_view bytes) = 0;
};

// One piece of a file: bytes [offset, offset + max_bytes) (fewer at the end of the file).
struct FetchRequest {
  std::string url;
  std::uint64_t offset = 0;
  std::uint64_t max_bytes = 0;
  // The last byte wanted, for a range of an AddFileWithRanges file ("Range: bytes=offset-last");
  // nullopt: to the end of the file. max_bytes never reaches past it.
  std::optional<std::uint64_t> last_byte;
  std::string expected_version;  // what the probe returned
  // Names the job's file. A transport may keep one response open per key across pieces, the way
  // BITS reads one GET for as long as it can; a request at another offset starts a new one.
  std::string stream_key;
  HeaderFields headers;  // the job's extra header fields, sent with the request
  RedirectPolicy redirects = RedirectPolicy::kFollow;
  std::optional<BasicCredentials> server_basic;  // as ProbeRequest's
  std::optional<ProxyRoute> proxy;               // as ProbeRequest's
  // A foreground job at offset 0 may take a 200 with the whole body from a server that ignores
  // Range; everyone else fails with BG_E_INSUFFICIENT_RANGE_SUPPORT (docs/decisions.md, G10).
  bool accept_whole_body = false;
  // A DYNAMIC_CONTENT job's file: no probe came first, so there is no version to hold the server
  // to; the request names no range and any 200 body is taken from byte 0, its length optional.
  // The transport says where the body ended (FetchResult::end_of_body).
  bool dynamic = false;
};

struct FetchResult {
  std::uint64_t bytes = 0;      // bytes written to the sink, even when an error follows
  TransferError error;          // set when the fetch stopped early
  bool remote_changed = false;  // the server's file is no longer `expected_version` (spec T16)
  bool new_request = true;      // a new request went out (it costs the network's latency)
  // Extra virtual time the piece takes besides its bytes: a stall before the first byte, or a slow
  // close after the last of a body the close delimits.
  Duration delay = Duration::zero();
  // The response's own pace in bytes per virtual second (a server that dribbles), which the engine
  // holds the piece to whatever the network's bandwidth; 0: as fast as the network.
  std::uint64_t rate_bytes_per_s = 0;
  std::string redirected_to;          // as ProbeResult's, for the request this piece came from
  // Dynamic requests only: the body ended, complete, before the piece did (its Content-Length
  // reached, or its last chunk read); and the body's size when the answer gave one.
  bool end_of_body = false;
  std::uint64_t body_size = kSizeUnknown;
};

class Transport {
 public:
  virtual ~Transport() = default;

  // Learns the size and version of the file at `request.url` (BITS's HEAD request).
  virtual ProbeResult Probe(const ProbeRequest& request) = 0;

  // Writes the requested piece to `sink`. REQUIRES: the caller probed the file.
  virtual FetchResult Fetch(const FetchRequest& request, ByteSink& sink) = 0;

  // The engine is done with `stream_key` for now (suspended, cancelled, failed, restarted): an
  // open response for it may be closed. The next Fetch for the key starts a new request.
  virtual void Release(const std::string& stream_key) { (void)stream_key; }
};

}  // namespace bitsh::fake
