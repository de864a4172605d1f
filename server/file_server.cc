#include "server/file_server.h"

#include <httplib.h>
#include <sys/socket.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <thread>

#include "backend/clock.h"
#include "content/generated_content.h"
#include "server/byte_ranges.h"
#include "server/conditional_request.h"
#include "server/connection_reset.h"
#include "server/control_handlers.h"
#include "server/guarded_http_server.h"
#include "server/http_date.h"
#include "server/http_syntax.h"
#include "server/path_guard.h"
#include "server/raw_response.h"

namespace bitsh::server {
namespace {

// A body goes out in pieces that start small and double up to the largest: the first bytes of
// a response leave after 16 KiB of work, not 256 KiB, so when many downloads start at once each
// gets its first byte before any of them has made much progress (bench/serve_first_byte), and the
// large pieces of a long body keep the calls per GiB few (bench/http_vs_curl).
constexpr std::size_t kFirstPieceBytes = 16 * 1024;
constexpr std::size_t kPieceBytes = 256 * 1024;
constexpr std::uint64_t kFairStartBytes = 1024 * 1024;  // a body's first pieces: 16 KiB ... 256 KiB, ~1 MiB
// Generated files claim to date from 2026-01-01T00:00:00Z; each new version is one second later.
constexpr std::int64_t kGeneratedEpoch = 1767225600;
constexpr const char* kContentType = "application/octet-stream";
// Separates the parts of a multipart/byteranges body. Fixed, so answers are byte-identical from
// run to run; long and odd enough not to occur in a served file by chance.
constexpr const char* kBoundary = "bitsh-byteranges-3d5f0c1e9a7b4e26";

// A request field's value, its lines joined with ", " as for any list field (RFC 9110 §5.3);
// nullopt when absent.
std::optional<std::string> FieldValue(const httplib::Request& request, const char* name) {
  const std::size_t count = request.get_header_value_count(name);
  if (count == 0) return std::nullopt;
  std::string value;
  for (std::size_t i = 0; i < count; ++i) value += (i == 0 ? "" : ", ") + request.get_header_value(name, i);
  return value;
}

// Why `request` fails a kRequireHeader fault for `required` ("Name: value"), or nullopt when it
// carries the field with that value.
std::optional<std::string> MissingHeader(const httplib::Request& request, const std::string& required) {
  const std::size_t colon = required.find(':');
  const std::string name = required.substr(0, colon);
  const std::string_view wanted =
      colon == std::string::npos ? std::string_view() : TrimOws(std::string_view(required).substr(colon + 1));
  const std::optional<std::string> got = FieldValue(request, name.c_str());
  if (!got) return "no " + name + " header";
  if (*got != wanted) return name + " is not the one required";
  return std::nullopt;
}

// Where body bytes come from: generated content (by seed) or a file on disk.
struct BodySource {
  std::optional<std::uint64_t> generated_seed;
  std::filesystem::path disk_file;
  // kCorruptBytes: file bytes [first, last) go out inverted.
  std::uint64_t corrupt_first = 0, corrupt_last = 0;
};

// Counts a piece in record `index` of `log` before handing it to the socket (a client that has
// read the bytes must find them in the log), and takes it back if the socket refuses it.
bool Send(const char* data, std::size_t n, httplib::DataSink& sink, RequestLog& log, std::size_t index) {
  log.AddBytesSent(index, n);
  if (sink.write(data, n)) return true;
  log.TakeBackBytesSent(index, n);
  return false;
}

// Writes bytes [first, first + length) of the file to the sink, in pieces; they start at byte
// `body_offset` of the response body.
bool WriteFileBytes(const BodySource& source, std::uint64_t first, std::uint64_t length, std::uint64_t body_offset,
                    httplib::DataSink& sink, RequestLog& log, std::size_t index) {
  std::vector<char> piece(std::min<std::uint64_t>(kPieceBytes, std::max<std::uint64_t>(length, 1)));
  std::ifstream in;
  if (!source.generated_seed) {
    in.open(source.disk_file, std::ios::binary);
    in.seekg(static_cast<std::streamoff>(first));
  }
  std::size_t piece_bytes = std::min(kFirstPieceBytes, piece.size());
  for (std::uint64_t done = 0; done < length; piece_bytes = std::min(piece_bytes * 2, piece.size())) {
    const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(piece_bytes, length - done));
    if (source.generated_seed) {
      content::FillGenerated(*source.generated_seed, first + done, piece.data(), n);
    } else if (!in.read(piece.data(), static_cast<std::streamsize>(n))) {
      return false;
    }
    // A lying server: the bytes of the piece that fall in the corrupt stretch are inverted.
    const std::uint64_t piece_first = first + done;
    const std::uint64_t from = std::max(piece_first, source.corrupt_first);
    const std::uint64_t to = std::min(piece_first + n, source.corrupt_last);
    for (std::uint64_t at = from; at < to; ++at) piece[static_cast<std::size_t>(at - piece_first)] ^= '\xFF';
    if (!Send(piece.data(), n, sink, log, index)) return false;
    done += n;
    // At the start of a body, let another worker run after each piece: while its client keeps
    // reading, a worker would otherwise stream for its whole time slice (milliseconds,
    // megabytes), and with 64 downloads started at once on two cores the last worker's first
    // byte waited for the others' slices (bench/serve_first_byte). Only at the start: a long body
    // then streams as before (bench/http_vs_curl). Nothing else runnable: the call returns at once.
    if (body_offset + done < kFairStartBytes && done < length) std::this_thread::yield();
  }
  return true;
}

// Writes bytes [offset, offset + count) of the body that `pieces` describe: each piece's framing
// text, then its stretch of the file.
bool WriteBody(const BodySource& source, const std::vector<BodyPiece>& pieces, std::uint64_t offset,
               std::uint64_t count, httplib::DataSink& sink, RequestLog& log, std::size_t index) {
  const std::uint64_t end = offset + count;
  std::uint64_t at = 0;  // body offset where the current stretch starts
  for (const BodyPiece& piece : pieces) {
    for (const bool framing : {true, false}) {
      const std::uint64_t size = framing ? piece.framing.size() : piece.length;
      const std::uint64_t from = std::max(offset, at), to = std::min(end, at + size);
      if (from < to) {
        const bool sent = framing ? Send(piece.framing.data() + (from - at), static_cast<std::size_t>(to - from),
                                         sink, log, index)
                                  : WriteFileBytes(source, piece.first + (from - at), to - from, from, sink, log, index);
        if (!sent) return false;
      }
      at += size;
    }
  }
  return true;
}

// Writes all of `data` to the socket; false when the client has gone.
bool SendAll(int fd, const char* data, std::size_t n) {
  while (n > 0) {
    const ssize_t sent = ::send(fd, data, n, MSG_NOSIGNAL);
    if (sent <= 0) return false;
    data += sent;
    n -= static_cast<std::size_t>(sent);
  }
  return true;
}

// Writes a response that breaks HTTP's framing straight to the connection's socket, then shuts the
// socket for writing and has the connection closed: the client reads these bytes and the end of
// the stream, and the answer httplib writes after the handler returns goes nowhere (EPIPE). False
// outside a GuardedHttpServer request.
bool WriteRawResponse(const RawResponse& raw, const BodySource& source, const std::vector<BodyPiece>& pieces,
                      RequestLog& log, std::size_t index) {
  const int fd = GuardedHttpServer::ServingSocket();
  if (fd < 0) return false;
  GuardedHttpServer::CloseAfterThisRequest();
  httplib::DataSink sink;
  sink.write = [fd](const char* data, std::size_t n) { return SendAll(fd, data, n); };
  if (SendAll(fd, raw.before.data(), raw.before.size()) &&
      WriteBody(source, pieces, 0, raw.body_bytes, sink, log, index)) {
    SendAll(fd, raw.after.data(), raw.after.size());
  }
  ::shutdown(fd, SHUT_WR);
  return true;
}

}  // namespace

FileServer::FileServer(FileServerOptions options)
    : options_(std::move(options)),
      http_(std::make_unique<GuardedHttpServer>(options_.limits)),
      log_(options_.log_budget_bytes) {}

FileServer::~FileServer() { Stop(); }

std::string FileServer::base_url() const {
  const bool v6 = options_.bind_address.find(':') != std::string::npos;
  return "http://" + (v6 ? "[" + options_.bind_address + "]" : options_.bind_address) + ":" + std::to_string(port_);
}

Status FileServer::Start() {
  if (options_.control) RegisterControlHandlers(*http_, *this);  // ahead of the catch-all below
  http_->Get(R"(/.*)", [this](const httplib::Request& request, httplib::Response& response) {
    Handle(request, response);
  });
  port_ = http_->Bind(options_.bind_address, options_.port);
  if (port_ <= 0) {
    return Status(hr::kFail, "cannot bind " + options_.bind_address + ":" + std::to_string(options_.port));
  }
  // bind_* also listens, so clients may connect before the accept loop runs: ready on return.
  thread_ = std::thread([this] { http_->listen_after_bind(); });
  return Status::Ok();
}

void FileServer::Stop() {
  if (!thread_.joinable()) return;
  while (!http_->is_running() && thread_.joinable()) std::this_thread::yield();  // let listen start
  http_->stop();
  thread_.join();
}

void FileServer::AddGeneratedFile(const std::string& path, std::uint64_t size, std::uint64_t seed) {
  std::lock_guard lock(mutex_);
  generated_[path] = GeneratedFile{size, seed, 1};
}

void FileServer::ChangeGeneratedFile(const std::string& path, std::uint64_t size, std::uint64_t seed) {
  std::lock_guard lock(mutex_);
  GeneratedFile& file = generated_[path];
  file = GeneratedFile{size, seed, file.version + 1};
}

std::optional<int> FileServer::AddFault(ServerFault fault, bool first) {
  if (!CheckFault(fault).ok()) return std::nullopt;
  std::lock_guard lock(mutex_);
  return faults_.Add(std::move(fault), first);
}

bool FileServer::RemoveFault(int id) {
  std::lock_guard lock(mutex_);
  return faults_.Remove(id);
}

void FileServer::ClearFaults() {
  std::lock_guard lock(mutex_);
  faults_.Clear();
}

std::vector<FaultTable::Entry> FileServer::Faults() const {
  std::lock_guard lock(mutex_);
  return faults_.entries();
}

void FileServer::Handle(const httplib::Request& request, httplib::Response& response) {
  // httplib slices the body itself whenever the request has ranges; we answer ranges ourselves
  // (faults need to lie about them), so its copy of the ranges is cleared. The object is not
  // const: httplib owns it and hands handlers a const reference.
  const_cast<httplib::Request&>(request).ranges.clear();
  const std::optional<std::string> range_header = FieldValue(request, "Range");
  const std::optional<std::string> if_range = FieldValue(request, "If-Range");
  RequestRecord record{.method = request.method, .path = request.path, .range = range_header.value_or(""),
                       .if_range = if_range.value_or("")};
  for (const auto& [name, value] : request.headers) record.headers.emplace_back(name, value);

  Resource resource;
  std::optional<ServerFault> fault;
  {
    std::lock_guard lock(mutex_);
    fault = faults_.Take(request.path, request.method);
    if (fault && fault->kind == FaultKind::kChangeFile) {
      GeneratedFile& file = generated_[request.path];
      file = GeneratedFile{fault->new_size, fault->new_seed, file.version + 1};
    }
    if (auto found = generated_.find(request.path); found != generated_.end()) {
      const GeneratedFile& file = found->second;
      resource.size = file.size;
      resource.generated = file;
      resource.last_modified = FormatHttpDate(kGeneratedEpoch + file.version);
      resource.etag = "\"g" + std::to_string(file.seed) + "-" + std::to_string(file.size) + "-v" +
                      std::to_string(file.version) + "\"";
    }
  }
  if (fault) record.fault = std::string(ToString(fault->kind));

  const auto finish = [&](int status, std::string_view note = "") {
    response.status = status;
    record.status = status;
    record.note = std::string(note);
    return log_.Add(record);
  };

  // Errors and redirects come first: preconditions only apply to what would be a 2xx answer
  // (RFC 9110 §13.2.1).
  if (std::optional<std::string> refusal = RefusalOf(request.path)) {
    response.set_content(*refusal + "\n", "text/plain");
    finish(403, *refusal);
    std::fprintf(stderr, "bitsh-serve: refused %s: %s\n", request.path.c_str(), refusal->c_str());
    return;
  }
  if (fault && fault->kind == FaultKind::kStatus) {
    if (fault->retry_after_s >= 0) response.set_header("Retry-After", std::to_string(fault->retry_after_s));
    response.set_content("scripted status\n", "text/plain");
    finish(fault->status);
    return;
  }
  if (fault && fault->kind == FaultKind::kRequireHeader) {
    if (std::optional<std::string> missing = MissingHeader(request, fault->required_header)) {
      response.set_content(*missing + "\n", "text/plain");
      finish(403, *missing);
      return;
    }
    record.fault.clear();  // it let the request through: nothing was injected
  }
  if (fault && fault->kind == FaultKind::kRequireBasicAuth) {
    // RFC 7617: the user name ends at the first colon; the password may hold more.
    const std::size_t colon = fault->basic_credentials.find(':');
    const auto expected = httplib::make_basic_authentication_header(
        fault->basic_credentials.substr(0, colon),
        colon == std::string::npos ? "" : fault->basic_credentials.substr(colon + 1));
    const std::optional<std::string> got = FieldValue(request, "Authorization");
    if (got != expected.second) {
      response.set_header("WWW-Authenticate", "Basic realm=\"bitsh\"");
      response.set_content("authentication required\n", "text/plain");
      finish(401, got ? "wrong credentials" : "no credentials");
      return;
    }
    record.fault.clear();  // it let the request through: nothing was injected
  }
  if (fault && fault->kind == FaultKind::kRedirect) {
    response.set_header("Location", fault->redirect_to);
    finish(fault->redirect_status, "to " + fault->redirect_to);
    return;
  }
  if (!resource.generated) {
    if (options_.root.empty()) {
      finish(404, "no such file");
      return;
    }
    const PathResolution resolution = ResolveRequestPath(options_.root, request.path);
    if (resolution.http_status != 200) {
      response.set_content(resolution.reason + "\n", "text/plain");
      const int status = resolution.http_status;
      finish(status, resolution.reason);
      if (status == 403) std::fprintf(stderr, "bitsh-serve: refused %s: %s\n", request.path.c_str(), resolution.reason.c_str());
      return;
    }
    std::error_code error;
    resource.disk_file = resolution.file;
    resource.size = std::filesystem::file_size(resolution.file, error);
    const auto mtime = std::filesystem::last_write_time(resolution.file, error);
    const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(
        std::chrono::file_clock::to_sys(mtime).time_since_epoch()).count();
    resource.last_modified = FormatHttpDate(static_cast<std::int64_t>(seconds));
    resource.etag = "\"d" + std::to_string(resource.size) + "-" + std::to_string(seconds) + "\"";
  }

  // Every answer about the file carries its validators: 200, 206, 304, 412 and 416 alike.
  response.set_header("Accept-Ranges", "bytes");
  response.set_header("Last-Modified", resource.last_modified);
  response.set_header("ETag", resource.etag);
  if (fault && fault->kind == FaultKind::kStall) {
    response.set_header(kStallHeader, std::to_string(fault->stall.count()));
  }
  if (fault && fault->kind == FaultKind::kDribble) {
    response.set_header(kRateHeader, std::to_string(fault->rate_bytes_per_s));
  }

  const ConditionalHeaders conditions{.if_match = FieldValue(request, "If-Match"),
                                      .if_none_match = FieldValue(request, "If-None-Match"),
                                      .if_modified_since = FieldValue(request, "If-Modified-Since"),
                                      .if_unmodified_since = FieldValue(request, "If-Unmodified-Since"),
                                      .if_range = if_range,
                                      .has_range = range_header.has_value()};
  // The time only places the two-digit year of an obsolete RFC 850 date (http_date.h).
  const std::int64_t now_s = std::chrono::duration_cast<std::chrono::seconds>(
      SystemClock().Now().time_since_epoch()).count();
  const ConditionalDecision decision =
      EvaluateConditions(request.method, conditions, {true, resource.etag, resource.last_modified}, now_s);
  if (decision.outcome == ConditionalOutcome::kPreconditionFailed) {
    finish(412, decision.reason);
    return;
  }
  if (decision.outcome == ConditionalOutcome::kNotModified) {
    // No body. Content-Length may only be what a 200 would carry (RFC 9110 §8.6); without it
    // httplib would write "Content-Length: 0".
    response.set_header("Content-Length", std::to_string(resource.size));
    finish(304, decision.reason);
    return;
  }

  RangeRequest ranges;
  std::string_view note = decision.reason;
  if (decision.use_range && !(fault && fault->kind == FaultKind::kIgnoreRange)) {
    ranges = ParseRangeHeader(*range_header, resource.size);
    if (ranges.kind == RangeRequest::Kind::kIgnore) note = "Range ignored";
  }
  if (ranges.kind == RangeRequest::Kind::kUnsatisfiable) {
    response.set_header("Content-Range", "bytes */" + std::to_string(resource.size));
    finish(416, "unsatisfiable range");
    return;
  }
  std::vector<BodyPiece> pieces;
  std::string content_type = kContentType;
  if (ranges.kind == RangeRequest::Kind::kIgnore) {
    pieces.push_back({"", 0, resource.size});
  } else if (ranges.ranges.size() == 1) {
    const ByteRange& range = ranges.ranges.front();
    const std::uint64_t shift = (fault && fault->kind == FaultKind::kWrongContentRange) ? 1 : 0;
    response.set_header("Content-Range", ContentRange({range.first + shift, range.last + shift}, resource.size));
    pieces.push_back({"", range.first, range.length()});
  } else {
    pieces = MultipartBody(ranges.ranges, resource.size, kContentType, kBoundary);
    content_type = std::string("multipart/byteranges; boundary=") + kBoundary;
    note = "multipart/byteranges";
  }
  const std::uint64_t length = BodyLength(pieces);
  std::string cut_note;  // a cut at or past the body's end, said in the log since nothing is cut short
  if (fault && (fault->kind == FaultKind::kCloseAfterBytes || fault->kind == FaultKind::kResetAfterBytes) &&
      fault->after_bytes >= length && request.method != "HEAD") {
    cut_note = std::string(note) + (note.empty() ? "" : "; ") +
               (fault->kind == FaultKind::kResetAfterBytes ? "reset" : "closed") + " after the last byte";
    note = cut_note;
  }
  const std::size_t index = finish(ranges.kind == RangeRequest::Kind::kSatisfiable ? 206 : 200, note);

  // The body writer runs after this handler returns, on the same connection's thread.
  BodySource source;
  if (resource.generated) source.generated_seed = resource.generated->seed;
  source.disk_file = resource.disk_file;
  if (fault && fault->kind == FaultKind::kCorruptBytes) {
    source.corrupt_first = fault->corrupt_offset;
    source.corrupt_last = fault->corrupt_offset + std::min(fault->corrupt_length, UINT64_MAX - fault->corrupt_offset);
  }
  if (fault && WrittenRaw(fault->kind)) {
    ResponseOutline outline{.status = response.status, .content_type = content_type, .body_length = length,
                            .head_only = request.method == "HEAD"};
    for (const auto& [name, value] : response.headers) outline.headers.emplace_back(name, value);
    if (fault->kind == FaultKind::kSlowClose) outline.headers.emplace_back(kCloseDelayHeader, std::to_string(fault->close_delay.count()));
    if (!WriteRawResponse(LayOutRawResponse(fault->kind, outline), source, pieces, log_, index)) {
      std::fprintf(stderr, "bitsh-serve: %s: the connection's socket was not found; answered well-formed\n",
                   std::string(ToString(fault->kind)).c_str());
    } else {
      return;
    }
  }
  // A cut at or past the body's end sends all of it and then closes (or resets): a close after
  // the last byte.
  const std::uint64_t cut = (fault && (fault->kind == FaultKind::kCloseAfterBytes ||
                                       fault->kind == FaultKind::kResetAfterBytes))
                                ? std::min(fault->after_bytes, length)
                                : UINT64_MAX;
  const bool reset = fault && fault->kind == FaultKind::kResetAfterBytes;
  auto write = [this, index, source, pieces = std::move(pieces), length, cut, reset](std::uint64_t offset,
                                                                                      httplib::DataSink& sink) {
    const std::uint64_t allowed = cut > offset ? std::min(length - offset, cut - offset) : 0;
    if (!WriteBody(source, pieces, offset, allowed, sink, log_, index)) return false;
    if (offset + allowed >= cut) {  // the scripted drop point: the connection closes (or resets)
      if (reset && GuardedHttpServer::ServingSocket() >= 0) ArmSocketReset(GuardedHttpServer::ServingSocket());
      return false;
    }
    return true;
  };
  if (length == 0 && !(fault && fault->kind == FaultKind::kOmitContentLength)) {
    // An empty body: httplib gives a content provider of length 0 no Content-Length at all, which
    // leaves a keep-alive client waiting for bytes that never come; say 0 (RFC 9110 §8.6).
    response.set_header("Content-Length", "0");
    response.set_header("Content-Type", content_type);
    return;
  }
  if (fault && fault->kind == FaultKind::kOmitContentLength) {
    response.set_chunked_content_provider(content_type, [write, length](std::size_t offset, httplib::DataSink& sink) {
      if (offset >= length) {
        sink.done();
        return true;
      }
      return write(offset, sink);
    });
  } else {
    response.set_content_provider(static_cast<std::size_t>(length), content_type,
                                  [write](std::size_t offset, std::size_t, httplib::DataSink& sink) {
                                    return write(offset, sink);
                                  });
  }
}

}  // namespace bitsh::server
