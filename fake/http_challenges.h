// Answering an HTTP Basic challenge with a job's credentials: which challenge in a response the
// job can answer, and the Authorization fields its later requests carry. BITS answers challenges,
// it does not send credentials up front (Microsoft's IBackgroundCopyJob2::SetCredentials page).
// Internal to fake/: the HTTP transport's (fake/http_transport.cc).
#pragma once

#include <optional>

#include "fake/http_response_head.h"
#include "fake/transport.h"

namespace bitsh::fake {

// Who asked for credentials: the server (401, WWW-Authenticate) or the proxy (407,
// Proxy-Authenticate).
enum class Asker { kServer, kProxy };

// Which challenge the job can answer in `response`: a Basic challenge from the server (401) or
// from its proxy (407), when the job has Basic credentials for that target; nullopt otherwise.
std::optional<Asker> AnswerableChallenge(const ResponseHead& response,
                                         const std::optional<BasicCredentials>& server_basic,
                                         const std::optional<ProxyRoute>& proxy);

// The credentials a request carries after the challenges answered so far (at most one each from
// the server and the proxy: a second challenge means they were refused).
struct AnsweredChallenges {
  bool server = false;
  bool proxy = false;
  bool& For(Asker asker) { return asker == Asker::kServer ? server : proxy; }
  // Adds Authorization (server) and Proxy-Authorization (proxy) for the challenges answered.
  void AddTo(HeaderFields& headers, const std::optional<BasicCredentials>& server_basic,
             const std::optional<ProxyRoute>& proxy_route) const;
};

}  // namespace bitsh::fake
