#include "fake/http_connection.h"

#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cstring>

namespace bitsh::fake {
namespace {

// Enough for a head and the first body bytes; the body itself is read into the caller's buffer.
constexpr std::size_t kReceiveBlock = 16 * 1024;
// A chunk-size line or a trailer line longer than this is not one (RFC 9112 §7.1 sets no limit;
// this is the field line limit of the file server, docs/decisions.md "Request size limits").
constexpr std::size_t kMaxLineBytes = 8 * 1024;

// Most a read-ahead takes in one call: enough to empty a server's socket buffer.
constexpr std::size_t kReadAheadBlock = 256 * 1024;

// A wait for body bytes asks the kernel (SO_RCVLOWAT) to wake the reader only once this many of
// the bytes the body still owes have arrived. Waking for each 64 KiB the server sent cost the file
// server a wake-up of the reader, a cross-CPU interrupt, per ~250 KiB, some 4,000 per GiB; the
// server spent a third of its time on them and the fake waited on the server (docs/performance.md,
// "Waking the reader once per megabyte").
constexpr std::size_t kWakeBytes = 1024 * 1024;
// While a wait gathers bytes, how often it looks whether some, fewer than asked, have arrived, and
// hands them out if so: a slow or stalled server's bytes wait this long at most.
constexpr std::chrono::milliseconds kGatherCheck{10};

bool WouldBlock(int error) { return error == EAGAIN || error == EWOULDBLOCK; }

std::string ErrnoText(int error) { return std::strerror(error); }

// Whether the last coding in a Transfer-Encoding value ("gzip, chunked") is chunked.
bool EndsWithChunked(std::string value) {
  for (char& c : value) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const std::size_t comma = value.rfind(',');
  std::string_view last = std::string_view(value).substr(comma == std::string::npos ? 0 : comma + 1);
  while (!last.empty() && (last.front() == ' ' || last.front() == '\t')) last.remove_prefix(1);
  while (!last.empty() && (last.back() == ' ' || last.back() == '\t')) last.remove_suffix(1);
  return last == "chunked";
}

// "1a2b", "1a2b;name=value", "1a2b ; ext": the chunk's size; false when the line is not one.
bool ParseChunkSize(std::string_view line, std::uint64_t& size) {
  const char* end = line.data() + line.size();
  const auto [stop, error] = std::from_chars(line.data(), end, size, 16);
  if (error != std::errc() || stop == line.data()) return false;
  std::string_view rest(stop, static_cast<std::size_t>(end - stop));
  while (!rest.empty() && (rest.front() == ' ' || rest.front() == '\t')) rest.remove_prefix(1);
  return rest.empty() || rest.front() == ';';
}

}  // namespace

BodyFraming FramingOf(const ResponseHead& head, std::uint64_t* content_length) {
  if (const std::size_t codings = head.Count("Transfer-Encoding"); codings > 0) {
    // A transfer coding overrides Content-Length; one that does not end in chunked ends at the
    // close (RFC 9112 §6.3, rules 3 and 4).
    return EndsWithChunked(head.Value("Transfer-Encoding", codings - 1)) ? BodyFraming::kChunked : BodyFraming::kClose;
  }
  if (head.Has("Content-Length")) {
    const std::string text = head.Value("Content-Length");
    std::uint64_t value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (!text.empty() && error == std::errc() && end == text.data() + text.size()) {
      if (content_length) *content_length = value;
      return BodyFraming::kLength;
    }
  }
  return BodyFraming::kClose;
}

HttpConnection::HttpConnection(ConnectionGroup* group) : group_(group) {
  if (group_) group_->members_.push_back(this);
}

HttpConnection::~HttpConnection() {
  Close();
  if (group_) std::erase(group_->members_, this);
}

void HttpConnection::Close() {
  if (socket_ >= 0) ::close(socket_);
  socket_ = -1;
}

HttpError HttpConnection::Connect(const std::string& host, int port, std::chrono::milliseconds connect_timeout,
                                  std::chrono::milliseconds read_timeout) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* addresses = nullptr;
  const std::string service = std::to_string(port);
  if (const int error = ::getaddrinfo(host.c_str(), service.c_str(), &hints, &addresses); error != 0) {
    return {HttpFailure::kResolve, "the name " + host + " does not resolve (" + ::gai_strerror(error) + ")"};
  }
  read_timeout_ = read_timeout;
  std::string why = "no address";
  for (const addrinfo* address = addresses; address != nullptr; address = address->ai_next) {
    const int candidate = ::socket(address->ai_family, address->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK,
                                   address->ai_protocol);
    if (candidate < 0) {
      why = ErrnoText(errno);
      continue;
    }
    socket_ = candidate;
    int error = ::connect(candidate, address->ai_addr, address->ai_addrlen) == 0 ? 0 : errno;
    if (error == EINPROGRESS) {  // non-blocking, so that the connect timeout bounds the wait
      pollfd ready{candidate, POLLOUT, 0};
      int n;
      do {
        n = ::poll(&ready, 1, static_cast<int>(connect_timeout.count()));
      } while (n < 0 && errno == EINTR);
      error = n > 0 ? 0 : n == 0 ? ETIMEDOUT : errno;
      socklen_t size = sizeof error;
      if (n > 0) ::getsockopt(candidate, SOL_SOCKET, SO_ERROR, &error, &size);
    }
    if (error == 0) {
      ::freeaddrinfo(addresses);
      // Non-blocking from here on: a read takes what has arrived, and only when nothing has does
      // the connection wait (Wait), reading ahead on the others of its group meanwhile.
      return {};
    }
    why = ErrnoText(error);
    Close();
  }
  ::freeaddrinfo(addresses);
  return {HttpFailure::kConnect, "no connection to " + host + ":" + service + " (" + why + ")"};
}

HttpError HttpConnection::Send(std::string_view request) {
  while (!request.empty()) {
    const ssize_t n = ::send(socket_, request.data(), request.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && WouldBlock(errno)) {
      if (!Wait(POLLOUT)) return {HttpFailure::kSend, "the server took no request bytes within the read timeout"};
      continue;
    }
    if (n <= 0) return {HttpFailure::kSend, "the request could not be sent (" + ErrnoText(errno) + ")"};
    request.remove_prefix(static_cast<std::size_t>(n));
  }
  return {};
}

bool HttpConnection::Wait(short events) {
  using Clock = std::chrono::steady_clock;
  const auto deadline = Clock::now() + read_timeout_;
  const bool gathering = events == POLLIN && wake_bytes_ > 1;
  auto next_check = Clock::now() + kGatherCheck;  // gathering: when to look for fewer bytes
  std::vector<pollfd> ready;
  std::vector<HttpConnection*> others;
  while (true) {
    ready.assign(1, pollfd{socket_, events, 0});
    others.clear();
    if (group_) {
      for (HttpConnection* other : group_->members_) {
        if (other == this || !other->WantsReadAhead()) continue;
        ready.push_back(pollfd{other->socket_, POLLIN, 0});
        others.push_back(other);
      }
    }
    const auto now = Clock::now();
    if (now >= deadline) return false;
    const auto until = gathering ? std::min(deadline, next_check) : deadline;
    const auto wait = std::chrono::ceil<std::chrono::milliseconds>(until - now);
    const int n = ::poll(ready.data(), ready.size(), static_cast<int>(std::clamp<std::int64_t>(wait.count(), 0, 1 << 30)));
    if (n < 0 && errno != EINTR) return true;  // the next call on the socket reports the failure
    for (std::size_t i = 1; n > 0 && i < ready.size(); ++i) {
      if (ready[i].revents != 0) others[i - 1]->ReadAhead();
    }
    if (n > 0 && ready[0].revents != 0) return true;  // ready, or failed: the next call says which
    // Every kGatherCheck, whether or not the other connections kept poll busy: bytes fewer than the
    // wake-up asks for are handed out. The read timeout still counts from the last byte handed
    // out, as it does without gathering.
    if (gathering && Clock::now() >= next_check) {
      int queued = 0;
      if (::ioctl(socket_, FIONREAD, &queued) == 0 && queued > 0) return true;
      next_check = Clock::now() + kGatherCheck;
    }
  }
}

void HttpConnection::WakeAfter(std::uint64_t bytes) {
  const int wanted = static_cast<int>(std::clamp<std::uint64_t>(bytes, 1, kWakeBytes));
  if (wanted == wake_bytes_) return;
  // On failure the socket keeps its mark, and wake_bytes_ says which: at worst every byte wakes
  // the reader, which only costs speed.
  if (::setsockopt(socket_, SOL_SOCKET, SO_RCVLOWAT, &wanted, sizeof wanted) == 0) wake_bytes_ = wanted;
}

void HttpConnection::DropHandedOut() {
  waiting_.erase(0, waiting_from_);  // the waiting bytes go to the front, so the buffer does not creep
  waiting_from_ = 0;
}

bool HttpConnection::WantsReadAhead() const {
  return socket_ >= 0 && !closed_by_server_ && read_ahead_errno_ == 0 && waiting_.size() - waiting_from_ < kMaxReadAhead;
}

void HttpConnection::ReadAhead() {
  if (!WantsReadAhead()) return;
  DropHandedOut();
  const std::size_t old_size = waiting_.size();
  const std::size_t room = std::min(kReadAheadBlock, kMaxReadAhead - old_size);
  waiting_.resize(old_size + room);
  ssize_t n;
  do {
    n = ::recv(socket_, waiting_.data() + old_size, room, 0);
  } while (n < 0 && errno == EINTR);
  const int error = errno;
  waiting_.resize(old_size + static_cast<std::size_t>(std::max<ssize_t>(n, 0)));
  if (n == 0) closed_by_server_ = true;
  if (n < 0 && !WouldBlock(error)) read_ahead_errno_ = error;
}

HttpError HttpConnection::ReceiveFromSocket(char* into, std::size_t max, std::uint64_t owed, std::size_t& got) {
  got = 0;
  while (true) {
    if (read_ahead_errno_ != 0) return {HttpFailure::kRead, ErrnoText(read_ahead_errno_)};
    if (closed_by_server_) return {};
    const ssize_t n = ::recv(socket_, into, max, 0);
    if (n >= 0) {
      got = static_cast<std::size_t>(n);
      if (n == 0) closed_by_server_ = true;
      return {};
    }
    if (errno == EINTR) continue;
    if (!WouldBlock(errno)) return {HttpFailure::kRead, ErrnoText(errno)};
    WakeAfter(owed);
    if (!Wait(POLLIN)) return {HttpFailure::kRead, "the server sent nothing within the read timeout"};
  }
}

HttpError HttpConnection::ReceiveMore(std::size_t& got) {
  DropHandedOut();
  const std::size_t old_size = waiting_.size();
  waiting_.resize(old_size + kReceiveBlock);
  // A head or a chunk line may end with any byte: the first one wakes the reader.
  const HttpError error = ReceiveFromSocket(waiting_.data() + old_size, kReceiveBlock, 1, got);
  waiting_.resize(old_size + got);
  return error;
}

HttpError HttpConnection::Receive(char* into, std::size_t max, std::uint64_t owed, std::size_t& got) {
  if (waiting_from_ < waiting_.size()) {
    got = std::min(max, waiting_.size() - waiting_from_);
    std::memcpy(into, waiting_.data() + waiting_from_, got);
    waiting_from_ += got;
    if (waiting_from_ == waiting_.size() && waiting_.capacity() > 2 * kReceiveBlock) {
      std::string().swap(waiting_);  // a read-ahead's megabytes go back once handed out
      waiting_from_ = 0;
    }
    return {};
  }
  return ReceiveFromSocket(into, max, owed, got);
}

HttpError HttpConnection::ReadHead(ResponseHead& head) {
  while (true) {
    const HeadParse parse = ParseResponseHead(std::string_view(waiting_).substr(waiting_from_));
    if (parse.outcome == HeadParse::Outcome::kMalformed) {
      return {HttpFailure::kMalformed, parse.error + " at byte " + std::to_string(parse.length) + " of the response"};
    }
    if (parse.outcome == HeadParse::Outcome::kComplete) {
      head = parse.head;
      waiting_from_ += parse.length;
      return {};
    }
    std::size_t got = 0;
    if (HttpError error = ReceiveMore(got); !error.ok()) return error;
    if (got == 0) {
      return {HttpFailure::kRead, "the connection closed after " + std::to_string(waiting_.size() - waiting_from_) +
                                      " bytes, before the response head ended"};
    }
  }
}

void HttpConnection::ExpectBody(BodyFraming framing, std::uint64_t length) {
  framing_ = framing;
  left_ = framing == BodyFraming::kLength ? length : 0;
  body_ended_ = framing == BodyFraming::kNone || (framing == BodyFraming::kLength && length == 0);
}

HttpError HttpConnection::ReadLine(std::string& line, const char* what) {
  while (true) {
    const std::size_t end = waiting_.find('\n', waiting_from_);
    if (end != std::string::npos) {
      if (end == waiting_from_ || waiting_[end - 1] != '\r' || end - waiting_from_ > kMaxLineBytes) {
        return {HttpFailure::kMalformed, std::string(what) + " that is not a CRLF line, after body byte " +
                                             std::to_string(body_bytes_)};
      }
      line.assign(waiting_, waiting_from_, end - 1 - waiting_from_);
      waiting_from_ = end + 1;
      return {};
    }
    if (waiting_.size() - waiting_from_ > kMaxLineBytes) {
      return {HttpFailure::kMalformed, std::string(what) + " longer than " + std::to_string(kMaxLineBytes) +
                                           " bytes, after body byte " + std::to_string(body_bytes_)};
    }
    std::size_t got = 0;
    if (HttpError error = ReceiveMore(got); !error.ok()) return error;
    if (got == 0) {
      return {HttpFailure::kRead, "the connection closed in the chunk framing, after body byte " +
                                      std::to_string(body_bytes_)};
    }
  }
}

// Reads up to the next chunk's data: the CRLF ending the chunk before, then the size line; at the
// last chunk (size 0), its trailer lines, and the body has ended.
HttpError HttpConnection::NextChunk() {
  std::string line;
  if (chunk_needs_crlf_) {
    if (HttpError error = ReadLine(line, "the end of a chunk"); !error.ok()) return error;
    if (!line.empty()) {
      return {HttpFailure::kMalformed, "chunk data longer than its size, after body byte " + std::to_string(body_bytes_)};
    }
    chunk_needs_crlf_ = false;
  }
  if (HttpError error = ReadLine(line, "a chunk size"); !error.ok()) return error;
  if (!ParseChunkSize(line, left_)) {
    return {HttpFailure::kMalformed, "chunk size '" + line.substr(0, 64) + "' is not hexadecimal, after body byte " +
                                         std::to_string(body_bytes_)};
  }
  if (left_ > 0) return {};
  for (std::size_t trailer_bytes = 0;;) {  // the trailer section ends at an empty line
    if (HttpError error = ReadLine(line, "a trailer field"); !error.ok()) return error;
    if (line.empty()) break;
    trailer_bytes += line.size();
    if (trailer_bytes > kMaxResponseHeadBytes) {
      return {HttpFailure::kMalformed, "trailer fields longer than " + std::to_string(kMaxResponseHeadBytes) + " bytes"};
    }
  }
  body_ended_ = true;
  return {};
}

HttpError HttpConnection::ReadBody(char* into, std::size_t max, std::size_t& got) {
  got = 0;
  if (framing_ == BodyFraming::kChunked && left_ == 0 && !body_ended_) {
    if (HttpError error = NextChunk(); !error.ok()) return error;
  }
  if (body_ended_ || max == 0) return {};
  const bool framed = framing_ != BodyFraming::kClose;
  const std::size_t want = framed ? static_cast<std::size_t>(std::min<std::uint64_t>(max, left_)) : max;
  // The bytes the body still owes (of this chunk, for a chunked one) are sure to come, or the
  // close: a wait may gather them. A body the close ends owes nothing known.
  if (HttpError error = Receive(into, want, framed ? left_ : 1, got); !error.ok()) return error;
  if (got == 0) {
    if (!framed) {
      body_ended_ = true;  // the close ends this body
      return {};
    }
    return {HttpFailure::kRead, "the connection closed at body byte " + std::to_string(body_bytes_) +
                                    (framing_ == BodyFraming::kLength ? " of " + std::to_string(body_bytes_ + left_)
                                                                      : std::string(", inside a chunk"))};
  }
  body_bytes_ += got;
  if (framed) {
    left_ -= got;
    if (framing_ == BodyFraming::kLength && left_ == 0) body_ended_ = true;
    if (framing_ == BodyFraming::kChunked && left_ == 0) chunk_needs_crlf_ = true;
  }
  return {};
}

}  // namespace bitsh::fake
