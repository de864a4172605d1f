// ArmConnectionReset: how the file server turns a connection close into a TCP reset. Linux only,
// kept apart from the fault model (server_faults.h), which the Windows build shares.
#pragma once

namespace bitsh::server {

// Makes the next close of the TCP connection between these ports a reset (SO_LINGER 0), after the
// client has received every byte already written (up to 10 s), so the reset loses no byte in
// flight and the client sees the same bytes on every run. Linux only: httplib 0.11 does not hand
// handlers their socket, so the socket is found by its ports. Returns false when no such socket is
// open in this process.
bool ArmConnectionReset(int local_port, int remote_port);

// The same for a socket the caller holds (the forward proxy's own connections).
bool ArmSocketReset(int fd);

}  // namespace bitsh::server
