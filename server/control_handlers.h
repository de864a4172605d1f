// The server side of the control API (control_protocol.h): handlers registered on a FileServer's
// httplib::Server when FileServerOptions::control is set. Internal to bitsh::server.
#pragma once

namespace httplib {
class Server;
}

namespace bitsh::server {

class FileServer;

// Registers the control endpoints; they act on `files` and refuse clients not on loopback (403).
void RegisterControlHandlers(httplib::Server& http, FileServer& files);

}  // namespace bitsh::server
