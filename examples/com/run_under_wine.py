#!/usr/bin/env python3
"""An unmodified Windows BITS client against the fake, under Wine (issue 20; docs/com.md).

Runs download_one_file.exe (examples/com/download_one_file.c: bits.h only) against a bitshd that
serves drop_half_way.yaml - a 2 MiB track whose first GET is cut after 1 MiB - with bitsh-com-server
registered as the prefix's BITS class and virtual time on auto-advance. The program's job meets the
drop, waits BITS's default 10-minute retry delay in virtual time, resumes with a Range request and
gets its JobTransferred callback, where it completes the job.

    WINEPREFIX=/tmp/prefix examples/com/run_under_wine.py BITSHD BITSH_COM_SERVER_EXE DOWNLOAD_ONE_FILE_EXE [OUT_DIR]

Checks, each named when it fails: the program exits 0 after one transient error; the file it
completed is the track, byte for byte; the server saw the cut GET and a resume from byte 1048576;
the retry came 600 virtual seconds after the drop. Prints the real time the program took (not a
check: machines differ). Exit status 0 when all hold. Leaves the prefix as it found it (the class
unregistered, Wine's BITS service running again if it was) and bitshd stopped. Only the standard
library.
"""
import hashlib
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request

WINE = "/usr/lib/wine/wine64"
TRACK_SIZE = 2 * 1024 * 1024
DROP_AT = 1024 * 1024
RETRY_DELAY_S = 600  # BITS's default minimum retry delay


def windows_path(host_path):
    """A host path as Wine's Z: drive names it."""
    return "Z:" + host_path.replace("/", "\\")


class Bitshd:
    """A bitshd serving one scenario's machine, and one apartment of it for the script's calls."""

    def __init__(self, program, scenario, prefix, out_dir):
        self.stderr = open(os.path.join(out_dir, "bitshd-stderr.txt"), "w")
        self.process = subprocess.Popen(
            [program, "--exit-with-parent", "--exit-when-idle", "120", "--auto-advance", "200",
             "--wine-prefix", prefix, "--scenario", scenario],
            stdout=subprocess.PIPE, stderr=self.stderr, text=True)
        line = self.process.stdout.readline().strip()  # bitshd listening on URL token-file PATH
        match = re.fullmatch(r"bitshd listening on (\S+) token-file (.+)", line)
        if not match:
            raise SystemExit(f"run_under_wine: bitshd did not start: {line!r} (see bitshd-stderr.txt)")
        self.url, self.token_file = match.groups()
        with open(self.token_file) as file:
            self.token = file.read().strip()
        self.apartment = self.post("open", {})["apartment"]

    def post(self, path, body):
        request = urllib.request.Request(f"{self.url}/v1/{path}", data=json.dumps(body).encode(),
                                         headers={"Authorization": f"Bearer {self.token}",
                                                  "Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=30) as reply:
            return json.load(reply)

    def call(self, name, **args):
        result = self.post("call", {"apartment": self.apartment, "method": name, "args": args})["result"]
        if result["hr"] & 0x80000000:
            raise RuntimeError(f"{name}: 0x{result['hr']:08X} {result['message']}")
        return result.get("value")

    def stop(self):
        try:
            self.call("service.shutdown")
        except OSError:
            pass
        self.process.wait(timeout=10)
        self.stderr.close()


def server_ended(bitshd_url):
    """Waits up to 20 s for the COM server serving `bitshd_url` to end; kills it after that."""
    pattern = f"bitsh-com-server.exe --url {bitshd_url} "
    for _ in range(100):
        if subprocess.run(["pgrep", "-f", pattern], capture_output=True).returncode != 0:
            return True
        time.sleep(0.2)
    subprocess.run(["pkill", "-f", pattern])
    return False


def wine(*args, timeout):
    return subprocess.run([WINE, *args], capture_output=True, text=True, timeout=timeout)


def main(argv):
    if len(argv) not in (4, 5) or "WINEPREFIX" not in os.environ:
        sys.exit(__doc__)
    bitshd_program, com_server, client = (os.path.abspath(a) for a in argv[1:4])
    prefix = os.environ["WINEPREFIX"]
    out_dir = os.path.abspath(argv[4]) if len(argv) == 5 else tempfile.mkdtemp(prefix="bitsh-com-example-")
    os.makedirs(out_dir, exist_ok=True)

    # The scenario beside its track: fixed bytes the script knows, to compare the download with.
    track = random.Random(20).randbytes(TRACK_SIZE)
    machine = os.path.join(out_dir, "machine")
    os.makedirs(machine, exist_ok=True)
    shutil.copy(os.path.join(os.path.dirname(os.path.abspath(__file__)), "drop_half_way.yaml"), machine)
    with open(os.path.join(machine, "track.bin"), "wb") as file:
        file.write(track)

    # Where the program puts the file: its C: drive, which is the prefix's drive_c.
    local_windows = "C:\\users\\Public\\bitsh-com-example\\01.wma"
    local_host = os.path.join(prefix, "drive_c", "users", "Public", "bitsh-com-example", "01.wma")
    os.makedirs(os.path.dirname(local_host), exist_ok=True)
    if os.path.exists(local_host):
        os.remove(local_host)

    failures = []
    bits = None
    stopped_bits_service = False
    # A SIGTERM (a timeout around this script) ends it through `finally`, which undoes what it did.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(f"run_under_wine: stopped by signal {signum}"))
    try:
        bits = Bitshd(bitshd_program, os.path.join(machine, "drop_half_way.yaml"), prefix, out_dir)
        # While the prefix's own BITS service runs, COM hands programs its class object and never
        # reads the registration: stop it for the run (net stop fails when it was not running).
        stopped_bits_service = wine("net", "stop", "BITS", timeout=120).returncode == 0
        url = bits.call("server.url") + "/album/01.wma"
        register = wine(com_server, "--register", "--scope", "machine", "--url", bits.url,
                        "--token-file", windows_path(bits.token_file),
                        "--log", windows_path(os.path.join(out_dir, "com-server.log")), "--linger-ms", "200",
                        timeout=120)
        if register.returncode != 0:
            raise SystemExit(f"run_under_wine: registering the COM server failed: {register.stderr}")
        status = wine(com_server, "--status", "--scope", "machine", timeout=120)
        if status.returncode != 0:
            raise SystemExit(f"run_under_wine: the program would not reach the COM server:\n{status.stdout}")

        started = time.monotonic()
        run = wine(client, url, local_windows, "60", timeout=180)
        wall_s = time.monotonic() - started
        output = run.stdout.replace("\r", "")
        print(f"download_one_file.exe {url} {local_windows}  (exit status {run.returncode}, {wall_s:.2f} s real time)")
        print("  " + output.strip().replace("\n", "\n  "))

        if run.returncode != 0:
            failures.append(f"the program exited {run.returncode}, not 0")
        if f"transferred {TRACK_SIZE} bytes after 1 transient error(s)" not in output:
            failures.append("the program did not report the whole track after exactly one transient error")
        got = open(local_host, "rb").read() if os.path.exists(local_host) else b""
        if got != track:
            first = next((i for i in range(min(len(got), len(track))) if got[i] != track[i]), min(len(got), len(track)))
            failures.append(f"{local_host}: {len(got)} bytes, expected {len(track)}; first difference at byte {first}")
        else:
            print(f"  the completed file is the track: {len(got)} bytes, sha256 {hashlib.sha256(got).hexdigest()[:16]}...")

        requests = bits.call("server.requests")  # the server's log: one line per request
        trace = bits.call("service.trace")
        with open(os.path.join(out_dir, "trace.txt"), "w") as file:
            file.write("\n".join(trace) + "\n")
        with open(os.path.join(out_dir, "requests.txt"), "w") as file:
            file.write(requests)
        gets = [line for line in requests.splitlines() if line.startswith("GET ")]
        if len(gets) != 2 or "[close_after_bytes]" not in gets[0] or f"Range=bytes={DROP_AT}- " not in gets[1]:
            failures.append(f"expected the cut GET and one resume from byte {DROP_AT}; the server saw {gets}")
        drop = [line for line in trace if "TRANSIENT_ERROR (retry in" in line]
        retry = [line for line in trace if "TRANSIENT_ERROR -> QUEUED (retry)" in line]
        if len(drop) != 1 or len(retry) != 1:
            failures.append(f"expected one drop and one retry in the trace, found {len(drop)} and {len(retry)}")
        else:
            waited = float(retry[0].split("s ", 1)[0]) - float(drop[0].split("s ", 1)[0])
            print(f"  virtual time from the drop to the retry: {waited:.3f} s; real time of the whole run: {wall_s:.2f} s")
            if round(waited) != RETRY_DELAY_S:
                failures.append(f"the retry came {waited:.3f} virtual seconds after the drop, not {RETRY_DELAY_S}")
    finally:
        # Each step on its own, so one that fails does not skip the rest. Unregistering is safe to
        # repeat, and runs even if --register failed half-way.
        cleanup = [("unregistering the COM server",
                    lambda: wine(com_server, "--unregister", "--scope", "machine", timeout=120).returncode == 0)]
        if bits is not None:
            # bitshd first: the server then ends by itself and withdraws its class (docs/com.md).
            cleanup += [("stopping bitshd", lambda: bits.stop() or True),
                        ("the COM server ending within 20 s of bitshd", lambda: server_ended(bits.url))]
        if stopped_bits_service:
            cleanup.append(("starting Wine's BITS service again",
                            lambda: wine("net", "start", "BITS", timeout=120).returncode == 0))
        for what, step in cleanup:
            try:
                if not step():
                    failures.append(f"{what} failed")
            except Exception as error:  # noqa: BLE001 - report it and go on with the rest
                failures.append(f"{what} failed: {error}")

    for failure in failures:
        print(f"run_under_wine: {failure}", file=sys.stderr)
    print(f"run_under_wine: {'FAILED' if failures else 'passed'}; trace, requests and the server's log in {out_dir}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
