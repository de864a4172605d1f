// ArmSocketReset: how the file server and the forward proxy turn a connection's close into a TCP
// reset. Linux only, kept apart from the fault model (server_faults.h), which the Windows build
// shares.
#pragma once

namespace bitsh::server {

// Makes the next close of the socket a reset (SO_LINGER 0), after the client has received every
// byte already written (up to 10 s), so the reset loses no byte in flight and the client sees the
// same bytes on every run. The socket must then be closed without a shutdown() first, which would
// send a FIN ahead of the reset (head_gate.cc's CloseConnection knows). False when the option
// cannot be set.
bool ArmSocketReset(int fd);

}  // namespace bitsh::server
