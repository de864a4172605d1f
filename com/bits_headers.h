// The BITS COM headers the server implements, in the order they need: bits.h's interfaces, then
// each later version's (IBackgroundCopyJob2 in bits1_5.h ... IBackgroundCopyJob5 in bits5_0.h),
// and IBackgroundCopyFile3, which MinGW-w64's bits3_0.h lacks (backend/real).
#pragma once

// clang-format off
#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#include <windows.h>
#include <bits.h>
#include <bits1_5.h>
#include <bits2_0.h>
#include <bits2_5.h>
#include <bits3_0.h>
#include <bits5_0.h>
// clang-format on

#include "backend/real/background_copy_file3.h"
