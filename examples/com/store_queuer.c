/* A store's queuer as a store ships it: a Windows program in C against bits.h only, knowing
 * nothing of bits-harness. Given a purchase, it queues one BITS download job per track, named
 * after the track, whose description follows the Windows Media Player BITS job convention
 * (::WMP_JOB:1:serviceId:Provider:AlbumArtist:AlbumTitle:TrackNumber:Title:Duration:Rating), with
 * the track's one file, and resumes it; Windows Media Player completes the jobs and files the
 * tracks.
 *
 *     store_queuer.exe PURCHASE_FILE
 *
 * The purchase file is the one `bitsh certify --exe` writes (docs/external-programs.md): UTF-8
 * "key=value" lines in a [purchase] section and one [trackN] section per track. A store's real
 * program takes its purchase from its own web page or licence server instead; the BITS calls are
 * what is certified.
 *
 * Exit status: 0 every track queued; 1 the purchase cannot be read or a field holds ':' (the
 * convention cannot carry it); 2 a COM call failed.
 *
 * tools/wine-conformance.sh certifies it under Wine:
 *     bitsh certify --exe store_queuer.exe --manifest examples/store/purchase.yaml */
#define COBJMACROS
#include <windows.h>
#include <initguid.h> /* bits.h's CLSID and IIDs defined here: MinGW-w64's libuuid lacks them */
#include <bits.h>
#include <stdio.h>
#include <stdlib.h>
#include <wchar.h>

#define MAX_LINES 4096

/* The purchase file as lines of UTF-16 text. */
struct purchase_file {
  wchar_t *text;
  wchar_t *lines[MAX_LINES];
  int count;
};

/* Reads `path` (UTF-8) into `file`; 0 on success. */
static int read_purchase(const wchar_t *path, struct purchase_file *file) {
  FILE *in = _wfopen(path, L"rb");
  char *bytes;
  long size;
  int wide, i;
  wchar_t *line;
  if (in == NULL) return 1;
  fseek(in, 0, SEEK_END);
  size = ftell(in);
  fseek(in, 0, SEEK_SET);
  bytes = malloc((size_t)size + 1);
  if (bytes == NULL || fread(bytes, 1, (size_t)size, in) != (size_t)size) {
    fclose(in);
    free(bytes);
    return 1;
  }
  fclose(in);
  wide = MultiByteToWideChar(CP_UTF8, 0, bytes, (int)size, NULL, 0);
  file->text = calloc((size_t)wide + 1, sizeof(wchar_t));
  if (file->text == NULL) {
    free(bytes);
    return 1;
  }
  MultiByteToWideChar(CP_UTF8, 0, bytes, (int)size, file->text, wide);
  free(bytes);
  file->count = 0;
  for (line = file->text, i = 0; i <= wide && file->count < MAX_LINES; ++i) {
    if (file->text[i] == L'\n' || file->text[i] == L'\r' || file->text[i] == L'\0') {
      file->text[i] = L'\0';
      if (*line != L'\0') file->lines[file->count++] = line;
      line = &file->text[i + 1];
    }
  }
  return 0;
}

/* The value of `key` in `section`, or NULL. */
static const wchar_t *value_of(const struct purchase_file *file, const wchar_t *section, const wchar_t *key) {
  const wchar_t *current = L"";
  size_t key_length = wcslen(key);
  int i;
  for (i = 0; i < file->count; ++i) {
    const wchar_t *line = file->lines[i];
    if (line[0] == L'[') {
      current = line + 1;
      continue;
    }
    if (wcsncmp(current, section, wcslen(section)) == 0 && current[wcslen(section)] == L']' &&
        wcsncmp(line, key, key_length) == 0 && line[key_length] == L'=') {
      return line + key_length + 1;
    }
  }
  return NULL;
}

static int fail(const char *what, HRESULT hr) {
  printf("%s failed: 0x%08lX\n", what, (unsigned long)hr);
  return 2;
}

/* Queues track `index` (1-based); returns the exit status so far. */
static int queue_track(IBackgroundCopyManager *manager, const struct purchase_file *purchase, int index) {
  static const wchar_t *const fields[] = {L"album_artist", L"album", L"track_number", L"title", L"duration", L"rating"};
  const wchar_t *values[6];
  wchar_t section[32], description[1100] = {0}, local[MAX_PATH + 64] = {0};
  const wchar_t *store_key = value_of(purchase, L"purchase", L"store_key");
  const wchar_t *service_id = value_of(purchase, L"purchase", L"service_id");
  const wchar_t *folder = value_of(purchase, L"purchase", L"download_folder");
  const wchar_t *url, *file_name;
  IBackgroundCopyJob *job = NULL;
  GUID id;
  HRESULT hr;
  int i, n;
  swprintf(section, 32, L"track%d", index);
  url = value_of(purchase, section, L"url");
  file_name = value_of(purchase, section, L"file_name");
  for (i = 0; i < 6; ++i) values[i] = value_of(purchase, section, fields[i]);
  for (i = 0; i < 6; ++i) {
    if (values[i] == NULL || url == NULL || file_name == NULL || store_key == NULL || service_id == NULL || folder == NULL) {
      printf("the purchase file has no complete [%ls]\n", section);
      return 1;
    }
    if (wcschr(values[i], L':') != NULL || wcschr(store_key, L':') != NULL) {
      printf("[%ls] %ls holds ':', which a WMP job description cannot carry\n", section, fields[i]);
      return 1;
    }
  }
  /* Checked: a text too long for its buffer is refused, never cut (msvcrt's swprintf leaves it
   * unterminated). BITS takes descriptions of up to 1,024 characters. */
  n = swprintf(description, sizeof description / sizeof description[0], L"::WMP_JOB:1:%ls:%ls:%ls:%ls:%ls:%ls:%ls:%ls",
               service_id, store_key, values[0], values[1], values[2], values[3], values[4], values[5]);
  if (n < 0 || n > 1024) {
    printf("[%ls]: the description would be longer than the 1,024 characters BITS takes\n", section);
    return 1;
  }
  n = swprintf(local, sizeof local / sizeof local[0], L"%ls\\%ls", folder, file_name);
  if (n < 0 || (size_t)n >= sizeof local / sizeof local[0]) {
    printf("[%ls]: the download path is too long\n", section);
    return 1;
  }

  hr = IBackgroundCopyManager_CreateJob(manager, values[3], BG_JOB_TYPE_DOWNLOAD, &id, &job);
  if (FAILED(hr)) return fail("CreateJob", hr);
  hr = IBackgroundCopyJob_SetDescription(job, description);
  if (SUCCEEDED(hr)) hr = IBackgroundCopyJob_AddFile(job, url, local);
  if (SUCCEEDED(hr)) hr = IBackgroundCopyJob_Resume(job); /* BITS creates it SUSPENDED: nothing moves until this */
  if (FAILED(hr)) IBackgroundCopyJob_Cancel(job);
  IBackgroundCopyJob_Release(job);
  if (FAILED(hr)) return fail("setting up the job", hr);
  printf("queued '%ls' -> %ls\n", values[3], local);
  return 0;
}

int wmain(int argc, wchar_t **argv) {
  struct purchase_file purchase;
  IBackgroundCopyManager *manager = NULL;
  const wchar_t *tracks;
  int count, index, status = 0;
  HRESULT hr;
  if (argc != 2) {
    printf("usage: store_queuer.exe PURCHASE_FILE\n");
    return 1;
  }
  if (read_purchase(argv[1], &purchase) != 0) {
    printf("cannot read the purchase file %ls\n", argv[1]);
    return 1;
  }
  tracks = value_of(&purchase, L"purchase", L"tracks");
  count = tracks == NULL ? 0 : _wtoi(tracks);
  hr = CoInitializeEx(NULL, COINIT_APARTMENTTHREADED);
  if (FAILED(hr)) return fail("CoInitializeEx", hr);
  hr = CoCreateInstance(&CLSID_BackgroundCopyManager, NULL, CLSCTX_LOCAL_SERVER, &IID_IBackgroundCopyManager,
                        (void **)&manager);
  if (FAILED(hr)) {
    status = fail("CoCreateInstance(BackgroundCopyManager)", hr);
  } else {
    for (index = 1; index <= count && status == 0; ++index) status = queue_track(manager, &purchase, index);
    IBackgroundCopyManager_Release(manager);
  }
  CoUninitialize();
  free(purchase.text);
  if (status == 0) printf("queued %d track(s)\n", count);
  return status;
}
