/* A BITS client as Microsoft's documentation describes one, in C, against bits.h only: it knows
 * nothing of bits-harness. It creates a download job, adds a file, registers a notify interface
 * for JobTransferred and JobError, resumes the job, lets go of every BITS object it holds, and
 * waits in its message loop for the callback, which completes the job (or cancels it on an
 * error) through the job pointer BITS passes it.
 *
 *     download_one_file.exe URL LOCAL_PATH [TIMEOUT_SECONDS]
 *
 * Exit status: 0 the file was transferred and completed; 1 the job failed (JobError); 2 usage or
 * a COM call failed; 3 no callback within the timeout (default 60 s of real time).
 *
 * examples/com/run_under_wine.py runs it, unchanged, against the fake behind COM
 * (bitsh-com-server, docs/com.md), with the connection dropped half-way and BITS's 10-minute
 * retry in virtual time. The callback follows the pattern of the IBackgroundCopyCallback page:
 * it completes the job from JobTransferred and returns S_OK. */
#define COBJMACROS
#include <windows.h>
/* initguid.h makes bits.h define its CLSID and IIDs here: MinGW-w64's libuuid does not carry
 * them. One translation unit, so one definition. */
#include <initguid.h>
#include <bits.h>
#include <stdio.h>
#include <stdlib.h>

/* How the wait ends: set by the callback, read by the message loop (one thread: the apartment's). */
enum outcome { WAITING, TRANSFERRED, FAILED };

/* The notify interface: a C object with the IBackgroundCopyCallback vtable, and what the callback
 * learnt of the job before completing it. */
struct callback {
  IBackgroundCopyCallback iface;
  LONG references;
  enum outcome outcome;
  UINT64 bytes;
  ULONG errors;
};

static struct callback *from_iface(IBackgroundCopyCallback *iface) { return (struct callback *)iface; }

static HRESULT STDMETHODCALLTYPE callback_query_interface(IBackgroundCopyCallback *self, REFIID iid, void **out) {
  if (out == NULL) return E_POINTER;
  if (IsEqualIID(iid, &IID_IUnknown) || IsEqualIID(iid, &IID_IBackgroundCopyCallback)) {
    *out = self;
    IBackgroundCopyCallback_AddRef(self);
    return S_OK;
  }
  *out = NULL;
  return E_NOINTERFACE;
}

static ULONG STDMETHODCALLTYPE callback_add_ref(IBackgroundCopyCallback *self) {
  return (ULONG)InterlockedIncrement(&from_iface(self)->references);
}

/* The object lives in download()'s frame, which disconnects it from COM before returning; the
 * count only tells when COM has let go of it. */
static ULONG STDMETHODCALLTYPE callback_release(IBackgroundCopyCallback *self) {
  return (ULONG)InterlockedDecrement(&from_iface(self)->references);
}

static HRESULT STDMETHODCALLTYPE callback_job_transferred(IBackgroundCopyCallback *self, IBackgroundCopyJob *job) {
  BG_JOB_PROGRESS progress;
  HRESULT hr = IBackgroundCopyJob_GetProgress(job, &progress);
  if (SUCCEEDED(hr)) from_iface(self)->bytes = progress.BytesTransferred;
  if (SUCCEEDED(hr)) hr = IBackgroundCopyJob_GetErrorCount(job, &from_iface(self)->errors);
  if (SUCCEEDED(hr)) hr = IBackgroundCopyJob_Complete(job);
  if (FAILED(hr)) {
    printf("Complete failed: 0x%08lX; BITS will call again\n", (unsigned long)hr);
    return hr; /* anything but S_OK: BITS calls JobTransferred again later */
  }
  from_iface(self)->outcome = TRANSFERRED;
  return S_OK;
}

static HRESULT STDMETHODCALLTYPE callback_job_error(IBackgroundCopyCallback *self, IBackgroundCopyJob *job,
                                                    IBackgroundCopyError *error) {
  BG_ERROR_CONTEXT context = BG_ERROR_CONTEXT_NONE;
  HRESULT code = S_OK;
  LPWSTR description = NULL;
  IBackgroundCopyError_GetError(error, &context, &code);
  if (SUCCEEDED(IBackgroundCopyError_GetErrorDescription(error, GetUserDefaultUILanguage(), &description))) {
    printf("JobError: 0x%08lX, context %d: %ls\n", (unsigned long)code, (int)context, description);
    CoTaskMemFree(description);
  } else {
    printf("JobError: 0x%08lX, context %d\n", (unsigned long)code, (int)context);
  }
  IBackgroundCopyJob_Cancel(job);
  from_iface(self)->outcome = FAILED;
  return S_OK;
}

static HRESULT STDMETHODCALLTYPE callback_job_modification(IBackgroundCopyCallback *self, IBackgroundCopyJob *job,
                                                           DWORD reserved) {
  (void)self;
  (void)job;
  (void)reserved;
  return S_OK;
}

static IBackgroundCopyCallbackVtbl callback_vtable = {
    callback_query_interface, callback_add_ref,          callback_release,
    callback_job_transferred, callback_job_error, callback_job_modification,
};

static int fail(const char *what, HRESULT hr) {
  printf("%s failed: 0x%08lX\n", what, (unsigned long)hr);
  return 2;
}

/* Runs `main`'s steps; returns the exit status. */
static int download(const wchar_t *url, const wchar_t *local, DWORD timeout_ms) {
  IBackgroundCopyManager *manager = NULL;
  IBackgroundCopyJob *job = NULL;
  GUID id;
  struct callback callback = {{&callback_vtable}, 1, WAITING, 0, 0};
  DWORD started = GetTickCount();
  HRESULT hr = CoCreateInstance(&CLSID_BackgroundCopyManager, NULL, CLSCTX_LOCAL_SERVER, &IID_IBackgroundCopyManager,
                                (void **)&manager);
  if (FAILED(hr)) return fail("CoCreateInstance(BackgroundCopyManager)", hr);
  hr = IBackgroundCopyManager_CreateJob(manager, L"download_one_file", BG_JOB_TYPE_DOWNLOAD, &id, &job);
  if (SUCCEEDED(hr)) hr = IBackgroundCopyJob_AddFile(job, url, local);
  if (SUCCEEDED(hr)) hr = IBackgroundCopyJob_SetNotifyFlags(job, BG_NOTIFY_JOB_TRANSFERRED | BG_NOTIFY_JOB_ERROR);
  if (SUCCEEDED(hr)) hr = IBackgroundCopyJob_SetNotifyInterface(job, (IUnknown *)&callback.iface);
  if (SUCCEEDED(hr)) hr = IBackgroundCopyJob_Resume(job);
  if (FAILED(hr)) {
    if (job != NULL) {
      IBackgroundCopyJob_Cancel(job);
      IBackgroundCopyJob_Release(job);
    }
    IBackgroundCopyManager_Release(manager);
    return fail("setting up the job", hr);
  }
  /* Nothing more to ask: BITS holds the job and the callback, and calls back. */
  IBackgroundCopyJob_Release(job);
  IBackgroundCopyManager_Release(manager);

  /* A single-threaded apartment receives its callbacks as messages: wait by pumping them. */
  while (callback.outcome == WAITING && GetTickCount() - started < timeout_ms) {
    MSG message;
    MsgWaitForMultipleObjects(0, NULL, FALSE, 100, QS_ALLINPUT);
    while (PeekMessageW(&message, NULL, 0, 0, PM_REMOVE)) {
      TranslateMessage(&message);
      DispatchMessageW(&message);
    }
  }

  if (callback.outcome == WAITING && SUCCEEDED(CoCreateInstance(&CLSID_BackgroundCopyManager, NULL, CLSCTX_LOCAL_SERVER,
                                                                 &IID_IBackgroundCopyManager, (void **)&manager))) {
    if (SUCCEEDED(IBackgroundCopyManager_GetJob(manager, &id, &job))) { /* give up on it */
      IBackgroundCopyJob_Cancel(job);
      IBackgroundCopyJob_Release(job);
    }
    IBackgroundCopyManager_Release(manager);
  }
  CoDisconnectObject((IUnknown *)&callback.iface, 0); /* BITS may still hold it; it leaves with this frame */
  switch (callback.outcome) {
    case TRANSFERRED:
      printf("transferred %llu bytes after %lu transient error(s) in %lu ms\n", (unsigned long long)callback.bytes,
             (unsigned long)callback.errors, (unsigned long)(GetTickCount() - started));
      return 0;
    case FAILED:
      return 1;
    default:
      printf("no JobTransferred or JobError within %lu ms\n", (unsigned long)timeout_ms);
      return 3;
  }
}

int wmain(int argc, wchar_t **argv) {
  int status;
  DWORD timeout_ms = 60000;
  HRESULT hr;
  if (argc < 3 || argc > 4) {
    printf("usage: download_one_file.exe URL LOCAL_PATH [TIMEOUT_SECONDS]\n");
    return 2;
  }
  if (argc == 4) {
    unsigned long seconds = wcstoul(argv[3], NULL, 10);
    timeout_ms = seconds > 86400 ? 86400000 : (DWORD)seconds * 1000;
  }
  hr = CoInitializeEx(NULL, COINIT_APARTMENTTHREADED);
  if (FAILED(hr)) return fail("CoInitializeEx", hr);
  status = download(argv[1], argv[2], timeout_ms);
  CoUninitialize();
  return status;
}
