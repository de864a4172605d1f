#include "server/file_server.h"

#include <httplib.h>

#include <cstdio>
#include <ctime>
#include <fstream>

#include "content/generated_content.h"
#include "server/connection_reset.h"
#include "server/control_handlers.h"
#include "server/path_guard.h"

namespace bitsh::server {
namespace {

constexpr std::size_t kPieceBytes = 256 * 1024;
// Generated files claim to date from 2026-01-01T00:00:00Z; each new version is one second later.
constexpr std::time_t kGeneratedEpoch = 1767225600;

std::string HttpDate(std::time_t time) {
  std::tm utc{};
  gmtime_r(&time, &utc);
  char text[64];
  std::strftime(text, sizeof text, "%a, %d %b %Y %H:%M:%S GMT", &utc);
  return text;
}

struct ByteRange {
  std::uint64_t first = 0;
  std::uint64_t last = 0;  // inclusive
};

enum class RangeOutcome { kNone, kSatisfiable, kUnsatisfiable };

// Parses a single "bytes=a-b", "bytes=a-" or "bytes=-n" against `size`.
RangeOutcome ParseRange(const std::string& header, std::uint64_t size, ByteRange& range) {
  if (header.empty()) return RangeOutcome::kNone;
  if (header.rfind("bytes=", 0) != 0 || header.find(',') != std::string::npos) {
    return RangeOutcome::kUnsatisfiable;  // only single byte ranges are served
  }
  const std::string spec = header.substr(6);
  const std::size_t dash = spec.find('-');
  if (dash == std::string::npos) return RangeOutcome::kUnsatisfiable;
  const std::string first = spec.substr(0, dash), last = spec.substr(dash + 1);
  try {
    if (first.empty()) {  // suffix: the last n bytes
      const std::uint64_t n = std::stoull(last);
      if (n == 0 || size == 0) return RangeOutcome::kUnsatisfiable;
      range = {size - std::min(n, size), size - 1};
      return RangeOutcome::kSatisfiable;
    }
    range.first = std::stoull(first);
    range.last = last.empty() ? size - 1 : std::min<std::uint64_t>(std::stoull(last), size - 1);
  } catch (const std::exception&) {
    return RangeOutcome::kUnsatisfiable;
  }
  if (size == 0 || range.first >= size || range.last < range.first) return RangeOutcome::kUnsatisfiable;
  return RangeOutcome::kSatisfiable;
}

// Writes body bytes [first, first + length) of `resource` to the sink, in pieces, counting them in
// record `index` of `log` as they go.
bool WriteBody(const std::filesystem::path& disk_file, const std::optional<std::pair<std::uint64_t, std::uint64_t>>& generated,
               std::uint64_t first, std::uint64_t length, httplib::DataSink& sink, RequestLog& log, std::size_t index) {
  std::vector<char> piece(std::min<std::uint64_t>(kPieceBytes, std::max<std::uint64_t>(length, 1)));
  std::ifstream in;
  if (!generated) {
    in.open(disk_file, std::ios::binary);
    in.seekg(static_cast<std::streamoff>(first));
  }
  for (std::uint64_t done = 0; done < length;) {
    const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(piece.size(), length - done));
    if (generated) {
      content::FillGenerated(generated->second, first + done, piece.data(), n);
    } else if (!in.read(piece.data(), static_cast<std::streamsize>(n))) {
      return false;
    }
    log.AddBytesSent(index, n);
    if (!sink.write(piece.data(), n)) {
      log.TakeBackBytesSent(index, n);
      return false;
    }
    done += n;
  }
  return true;
}

}  // namespace

FileServer::FileServer(FileServerOptions options)
    : options_(std::move(options)), http_(std::make_unique<httplib::Server>()) {}

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
  http_->set_keep_alive_max_count(1000);
  if (options_.port == 0) {
    port_ = http_->bind_to_any_port(options_.bind_address);
  } else {
    port_ = http_->bind_to_port(options_.bind_address, options_.port) ? options_.port : -1;
  }
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

void FileServer::AddFault(ServerFault fault) {
  std::lock_guard lock(mutex_);
  faults_.push_back(std::move(fault));
}

std::optional<ServerFault> FileServer::TakeFault(const std::string& path, const std::string& method, int number,
                                                int method_number) {
  for (const ServerFault& fault : faults_) {
    if (fault.Matches(path, method, number, method_number)) return fault;
  }
  return std::nullopt;
}

void FileServer::Handle(const httplib::Request& request, httplib::Response& response) {
  // httplib slices the body itself whenever the request has ranges; we answer ranges ourselves
  // (faults need to lie about them), so its copy of the ranges is cleared. The object is not
  // const: httplib owns it and hands handlers a const reference.
  const_cast<httplib::Request&>(request).ranges.clear();
  const std::string range_header = request.get_header_value("Range");
  RequestRecord record{request.method, request.path, range_header, 0, 0, "", ""};

  Resource resource;
  std::optional<ServerFault> fault;
  {
    std::lock_guard lock(mutex_);
    const int number = ++request_counts_[request.path];
    const int method_number = ++request_counts_[request.method + " " + request.path];
    fault = TakeFault(request.path, request.method, number, method_number);
    if (fault && fault->kind == FaultKind::kChangeFile) {
      GeneratedFile& file = generated_[request.path];
      file = GeneratedFile{fault->new_size, fault->new_seed, file.version + 1};
    }
    if (auto found = generated_.find(request.path); found != generated_.end()) {
      const GeneratedFile& file = found->second;
      resource.size = file.size;
      resource.generated = file;
      resource.last_modified = HttpDate(kGeneratedEpoch + file.version);
      resource.etag = "\"g" + std::to_string(file.seed) + "-" + std::to_string(file.size) + "-v" +
                      std::to_string(file.version) + "\"";
    }
  }
  if (fault) record.fault = std::string(ToString(fault->kind));

  const auto finish = [&](int status, std::string note = "") {
    response.status = status;
    record.status = status;
    record.note = std::move(note);
    return log_.Add(record);
  };

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
    resource.last_modified = HttpDate(static_cast<std::time_t>(seconds));
    resource.etag = "\"d" + std::to_string(resource.size) + "-" + std::to_string(seconds) + "\"";
  }

  response.set_header("Accept-Ranges", "bytes");
  response.set_header("Last-Modified", resource.last_modified);
  response.set_header("ETag", resource.etag);
  if (fault && fault->kind == FaultKind::kStall) {
    response.set_header(kStallHeader, std::to_string(fault->stall.count()));
  }

  ByteRange range{0, resource.size == 0 ? 0 : resource.size - 1};
  RangeOutcome outcome = ParseRange(range_header, resource.size, range);
  if (fault && fault->kind == FaultKind::kIgnoreRange) outcome = RangeOutcome::kNone;
  if (outcome == RangeOutcome::kUnsatisfiable) {
    response.set_header("Content-Range", "bytes */" + std::to_string(resource.size));
    finish(416, "unsatisfiable range");
    return;
  }
  const std::uint64_t first = outcome == RangeOutcome::kSatisfiable ? range.first : 0;
  const std::uint64_t length = outcome == RangeOutcome::kSatisfiable ? range.last - range.first + 1 : resource.size;
  if (outcome == RangeOutcome::kSatisfiable) {
    const std::uint64_t claimed = first + ((fault && fault->kind == FaultKind::kWrongContentRange) ? 1 : 0);
    response.set_header("Content-Range", "bytes " + std::to_string(claimed) + "-" +
                                             std::to_string(claimed + length - 1) + "/" + std::to_string(resource.size));
  }
  const std::size_t index = finish(outcome == RangeOutcome::kSatisfiable ? 206 : 200);

  // The body writer runs after this handler returns, on the same connection's thread.
  std::optional<std::pair<std::uint64_t, std::uint64_t>> generated;
  if (resource.generated) generated = std::make_pair(resource.generated->size, resource.generated->seed);
  const std::uint64_t cut = (fault && (fault->kind == FaultKind::kCloseAfterBytes ||
                                       fault->kind == FaultKind::kResetAfterBytes))
                                ? fault->after_bytes
                                : UINT64_MAX;
  const bool reset = fault && fault->kind == FaultKind::kResetAfterBytes;
  const int local_port = request.local_port, remote_port = request.remote_port;
  auto write = [this, index, disk = resource.disk_file, generated, first, length, cut, reset, local_port,
                remote_port](std::uint64_t offset, httplib::DataSink& sink) {
    const std::uint64_t allowed = cut > offset ? std::min(length - offset, cut - offset) : 0;
    if (!WriteBody(disk, generated, first + offset, allowed, sink, log_, index)) return false;
    if (offset + allowed >= cut && cut < length) {  // the scripted drop point
      if (reset) ArmConnectionReset(local_port, remote_port);
      return false;
    }
    return true;
  };
  if (fault && fault->kind == FaultKind::kOmitContentLength) {
    response.set_chunked_content_provider("application/octet-stream",
                                          [write, length](std::size_t offset, httplib::DataSink& sink) {
                                            if (offset >= length) {
                                              sink.done();
                                              return true;
                                            }
                                            return write(offset, sink);
                                          });
  } else {
    response.set_content_provider(static_cast<std::size_t>(length), "application/octet-stream",
                                  [write](std::size_t offset, std::size_t, httplib::DataSink& sink) {
                                    return write(offset, sink);
                                  });
  }
}

}  // namespace bitsh::server
