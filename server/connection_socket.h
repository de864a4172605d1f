// The socket under an httplib connection, for the faults httplib cannot express: a close that is
// a TCP reset, and a response that breaks HTTP's framing (raw_response.h). Linux only, kept apart
// from the fault model (server_faults.h), which the Windows build shares.
#pragma once

namespace bitsh::server {

// The open TCP socket of this process between these ports, or -1. httplib 0.11 does not hand
// handlers their socket, so it is found by its ports among /proc/self/fd.
int FindConnectionSocket(int local_port, int remote_port);

// Makes the next close of the TCP connection between these ports a reset (SO_LINGER 0), after the
// client has received every byte already written (up to 10 s), so the reset loses no byte in
// flight and the client sees the same bytes on every run. Returns false when no such socket is
// open in this process.
bool ArmConnectionReset(int local_port, int remote_port);

// The same for a socket the caller holds (the forward proxy's own connections).
bool ArmSocketReset(int fd);

}  // namespace bitsh::server
