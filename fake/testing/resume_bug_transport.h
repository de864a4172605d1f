// ResumeBugTransport: a deliberately broken transport for tests of the tools that hunt bugs (the
// sweep, the invariants, shrink). It forwards to a real transport, but a fetch that resumes a
// file after an interrupted one, less than `window` bytes before the file's end, writes one byte
// twice: the off-by-one of a resume near the end of a file. Nothing else differs, so only a fault
// that cuts a response in that window shows it, which is what a sweep must find.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "fake/transport.h"

namespace bitsh::fake::testing {

class ResumeBugTransport final : public Transport {
 public:
  ResumeBugTransport(Transport& real, std::uint64_t window) : real_(real), window_(window) {}

  ProbeResult Probe(const ProbeRequest& request) override {
    ProbeResult result = real_.Probe(request);
    if (result.error.ok()) sizes_[request.url] = result.info.size;
    return result;
  }

  FetchResult Fetch(const FetchRequest& request, ByteSink& sink) override {
    const auto size = sizes_.find(request.url);
    const bool buggy = interrupted_[request.stream_key] && request.offset > 0 && size != sizes_.end() &&
                       size->second != kSizeUnknown && size->second - request.offset < window_;
    DoubledFirstByte doubled(sink, buggy);
    FetchResult result = real_.Fetch(request, doubled);
    interrupted_[request.stream_key] = !result.error.ok();
    return result;
  }

  void Release(const std::string& stream_key) override { real_.Release(stream_key); }

 private:
  // Writes the first byte it is given twice when `armed`; otherwise passes bytes through.
  class DoubledFirstByte final : public ByteSink {
   public:
    DoubledFirstByte(ByteSink& sink, bool armed) : sink_(sink), armed_(armed) {}
    SinkWrite Write(std::string_view bytes) override {
      if (armed_ && !bytes.empty()) {
        armed_ = false;
        if (SinkWrite doubled = sink_.Write(bytes.substr(0, 1)); !doubled.error.ok()) return doubled;
      }
      return sink_.Write(bytes);
    }

   private:
    ByteSink& sink_;
    bool armed_;
  };

  Transport& real_;
  std::uint64_t window_;
  std::map<std::string, std::uint64_t> sizes_;    // url -> size, from the probes
  std::map<std::string, bool> interrupted_;        // stream key -> its last fetch ended in an error
};

}  // namespace bitsh::fake::testing
