/* A BITS client as Microsoft's documentation describes one, in C, against bits.h only: it knows
 * nothing of bits-harness. It creates a download job, adds a file, registers a notify interface
 * for JobTransferred and JobError, resumes the job, waits for the callback, and completes the job
 * (or cancels it on an error).
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

/* The notify interface: a C object with the IBackgroundCopyCallback vtable. */
struct callback {
  IBackgroundCopyCallback iface;
  LONG references;
  enum outcome outcome;
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

/* The object lives in main's frame; the count only tells when COM has let go of it. */
static ULONG STDMETHODCALLTYPE callback_release(IBackgroundCopyCallback *self) {
  return (ULONG)InterlockedDecrement(&from_iface(self)->references);
}

static HRESULT STDMETHODCALLTYPE callback_job_transferred(IBackgroundCopyCallback *self, IBackgroundCopyJob *job) {
  HRESULT hr = IBackgroundCopyJob_Complete(job);
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
  struct callback callback = {{&callback_vtable}, 1, WAITING};
  BG_JOB_PROGRESS progress;
  ULONG errors = 0;
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
  IBackgroundCopyJob_GetProgress(job, &progress); /* before the wait: the size may be unknown */

  /* A single-threaded apartment receives its callbacks as messages: wait by pumping them. */
  while (callback.outcome == WAITING && GetTickCount() - started < timeout_ms) {
    MSG message;
    MsgWaitForMultipleObjects(0, NULL, FALSE, 100, QS_ALLINPUT);
    while (PeekMessageW(&message, NULL, 0, 0, PM_REMOVE)) {
      TranslateMessage(&message);
      DispatchMessageW(&message);
    }
  }

  if (callback.outcome == WAITING) IBackgroundCopyJob_Cancel(job);
  IBackgroundCopyJob_GetProgress(job, &progress);
  IBackgroundCopyJob_GetErrorCount(job, &errors);
  IBackgroundCopyJob_Release(job);
  IBackgroundCopyManager_Release(manager);
  switch (callback.outcome) {
    case TRANSFERRED:
      printf("transferred %llu bytes after %lu transient error(s) in %lu ms\n",
             (unsigned long long)progress.BytesTransferred, (unsigned long)errors,
             (unsigned long)(GetTickCount() - started));
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
  if (argc == 4) timeout_ms = (DWORD)wcstoul(argv[3], NULL, 10) * 1000;
  hr = CoInitializeEx(NULL, COINIT_APARTMENTTHREADED);
  if (FAILED(hr)) return fail("CoInitializeEx", hr);
  status = download(argv[1], argv[2], timeout_ms);
  CoUninitialize();
  return status;
}
