#!/usr/bin/env python3
"""A store's download code in another language, against the fake BITS as a service (bitshd).

Starts bitshd, serves a 2 MiB track from the machine's file server with the connection cut after
1 MiB on the first GET, queues it the way a store does (a WMP_JOB description), steps the virtual
clock until it is transferred (through the cut and the retry), completes it and checks the file.
Only the standard library: the protocol is JSON over HTTP (docs/bitshd.md).

    examples/bitshd/queue_album.py build/default/bitshd/bitshd
Exit status 0 when the track arrived whole; the trace is printed either way.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import urllib.request


class Bitshd:
    """One apartment of a bitshd process: calls, and the callbacks' notifications (none here)."""

    def __init__(self, program):
        self.process = subprocess.Popen([program, "--exit-with-parent", "--exit-when-idle", "60"],
                                        stdout=subprocess.PIPE, text=True)
        line = self.process.stdout.readline().strip()  # bitshd listening on URL token-file PATH
        prefix = "bitshd listening on "
        if not line.startswith(prefix):
            raise SystemExit(f"bitshd did not start: {line!r}")
        self.url, token_file = line[len(prefix):].split(" token-file ")
        with open(token_file) as file:
            self.token = file.read().strip()
        self.apartment = self.post("open", {})["apartment"]

    def post(self, path, body):
        request = urllib.request.Request(f"{self.url}/v1/{path}", data=json.dumps(body).encode(),
                                         headers={"Authorization": f"Bearer {self.token}",
                                                  "Content-Type": "application/json"})
        with urllib.request.urlopen(request) as reply:
            return json.load(reply)

    def call(self, name, user="", **args):
        answer = self.post("call", {"apartment": self.apartment, "user": user, "method": name, "args": args})
        result = answer["result"]  # no callback registered here, so never a notification
        if result["hr"] & 0x80000000:
            raise RuntimeError(f"{name}: 0x{result['hr']:08X} {result['message']}")
        return result.get("value")


def main():
    bits = Bitshd(sys.argv[1])
    try:
        server = bits.call("server.url")
        bits.call("server.add_file", path="/album/01.wma", size="2MiB", seed="7")
        bits.call("server.add_fault", path="/album/01.wma", kind="close_after_bytes", after="1MiB",
                  method="GET", request="1")
        folder = tempfile.mkdtemp(prefix="bitshd-example-")
        local = os.path.join(folder, "01.wma")
        job = bits.call("CreateJob", "user", display_name="Album", type=0)
        bits.call("SetDescription", "user", job=job,
                  description="::WMP_JOB:1:store.example:Example Store:The Band:The Album:1:First Track:215:0")
        bits.call("AddFile", "user", job=job, remote_url=server + "/album/01.wma", local_name=local)
        bits.call("Resume", "user", job=job)
        deadline = bits.call("clock.now") + 3600 * 10**9  # an hour of virtual time
        while bits.call("GetState", "user", job=job) != 6:  # BG_JOB_STATE_TRANSFERRED
            if bits.call("clock.step", deadline=deadline)["events"] == 0:
                raise RuntimeError("not transferred within an hour of virtual time")
        errors = bits.call("GetErrorCount", "user", job=job)
        bits.call("Complete", "user", job=job)
        size = os.path.getsize(local)
        shutil.rmtree(folder)
        print("\n".join(bits.call("service.trace")))
        print(f"transferred {size} bytes after {errors} transient error(s)")
        return 0 if size == 2 * 1024 * 1024 and errors == 1 else 1
    finally:
        bits.call("service.shutdown")
        bits.process.wait(timeout=10)


if __name__ == "__main__":
    sys.exit(main())
