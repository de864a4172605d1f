// The BITS CLSID and IIDs, defined here once for the server: MinGW-w64's libuuid lacks them, so
// <initguid.h> before the headers turns their declarations into definitions (selectany, so the
// real backend's own copy in the same program is no clash).
// clang-format off
#include <initguid.h>
#include "com/bits_headers.h"
// clang-format on
