#include <httplib.h>

#include "server/control_http.h"

namespace bitsh::server {

Result<ControlReply> SendControlRequest(const std::string& base_url, const std::string& method,
                                        const std::string& target) {
  httplib::Client client(base_url);
  client.set_url_encode(false);  // the target is percent-encoded already
  client.set_connection_timeout(std::chrono::seconds(5));
  client.set_read_timeout(std::chrono::seconds(30));
  httplib::Result result = method == "POST" ? client.Post(target) : client.Get(target);
  if (!result) {
    return Status(hr::kFail, method + " " + base_url + target + ": " + httplib::to_string(result.error()));
  }
  return ControlReply{result->status, result->body};
}

}  // namespace bitsh::server
