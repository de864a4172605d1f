#include "fake/http_challenges.h"

#include <httplib.h>

#include <string>

namespace bitsh::fake {
namespace {

std::optional<BasicCredentials> CredentialsFor(Asker asker, const std::optional<BasicCredentials>& server_basic,
                                               const std::optional<ProxyRoute>& proxy) {
  if (asker == Asker::kServer) return server_basic;
  return proxy ? proxy->basic : std::nullopt;
}

// Authorization (server) or Proxy-Authorization (proxy) with the job's Basic credentials.
void AddAuthorization(HeaderFields& fields, Asker asker, const BasicCredentials& credentials) {
  // cpp-httplib's, for its base64: the one thing of cpp-httplib's client the transport still uses.
  fields.push_back(httplib::make_basic_authentication_header(credentials.user_name, credentials.password,
                                                             asker == Asker::kProxy));
}

}  // namespace

std::optional<Asker> AnswerableChallenge(const ResponseHead& response,
                                         const std::optional<BasicCredentials>& server_basic,
                                         const std::optional<ProxyRoute>& proxy) {
  if (response.status != 401 && response.status != 407) return std::nullopt;
  const Asker asker = response.status == 401 ? Asker::kServer : Asker::kProxy;
  if (!CredentialsFor(asker, server_basic, proxy)) return std::nullopt;
  const std::string challenge =
      response.Value(asker == Asker::kServer ? "WWW-Authenticate" : "Proxy-Authenticate");
  if (challenge.size() < 5 || (challenge.compare(0, 5, "Basic") != 0 && challenge.compare(0, 5, "basic") != 0)) {
    return std::nullopt;
  }
  return asker;
}

void AnsweredChallenges::AddTo(HeaderFields& headers, const std::optional<BasicCredentials>& server_basic,
                               const std::optional<ProxyRoute>& proxy_route) const {
  if (server) AddAuthorization(headers, Asker::kServer, *server_basic);
  if (proxy) AddAuthorization(headers, Asker::kProxy, *proxy_route->basic);
}

}  // namespace bitsh::fake
