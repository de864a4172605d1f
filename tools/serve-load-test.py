#!/usr/bin/env python3
"""Load and slowloris test of bitsh-serve, on loopback only. Python standard library only.

Usage: tools/serve-load-test.py [--serve build/default/server/bitsh-serve] [--clients 100]
                                [--seconds 30] [--slowloris 50] [--attack-seconds 30]
                                [--size 1048576] [--max-latency 5] [-- EXTRA bitsh-serve FLAGS...]

Starts bitsh-serve on 127.0.0.1 (an ephemeral port) serving one generated file, then:
  1. load: --clients keep-alive connections download the file over and over for --seconds;
     every answer must be 200 with the right length (an error is counted otherwise);
  2. attack: --slowloris connections each send a request head one header line per second and
     reconnect whenever the server cuts them, while a normal client fetches the file on a new
     connection every second; its latency is reported.
The server's RSS is sampled from /proc/PID/status every 0.5 s throughout (first/last/max per
phase), so flat memory is visible. The server is stopped at the end (SIGTERM, then SIGKILL), and
in any case stops itself after --seconds + --attack-seconds + 120 s (--max-seconds).
Exit status 0 only with zero load errors and every normal fetch answered within --max-latency.
"""
import argparse
import http.client
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time

FILE_PATH = "/load.bin"


def rss_kib(pid):
    """The process's resident memory in KiB, or None once it is gone."""
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


class RssSampler(threading.Thread):
    """Samples RSS every `interval` seconds into the list named by `phase`."""

    def __init__(self, pid, interval=0.5):
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.samples = {}
        self.phase = "start"
        self.stopped = threading.Event()

    def run(self):
        while not self.stopped.is_set():
            value = rss_kib(self.pid)
            if value is not None:
                self.samples.setdefault(self.phase, []).append(value)
            self.stopped.wait(self.interval)

    def summary(self, phase):
        values = self.samples.get(phase, [])
        if not values:
            return "no samples"
        # The quarter points show the shape: growing, or flat once the request log is full.
        quarters = "/".join(f"{values[min(len(values) - 1, len(values) * q // 4)] / 1024:.1f}" for q in range(1, 4))
        return (f"first {values[0] / 1024:.1f} MiB, at 1/4, 1/2, 3/4 {quarters} MiB, last {values[-1] / 1024:.1f} MiB, "
                f"max {max(values) / 1024:.1f} MiB ({len(values)} samples)")


def fetch(connection, size):
    """One GET on `connection`; raises unless it is 200 with `size` bytes."""
    connection.request("GET", FILE_PATH)
    response = connection.getresponse()
    body = response.read()
    if response.status != 200 or len(body) != size:
        raise RuntimeError(f"status {response.status}, {len(body)} bytes")


def load_client(port, size, until, totals, lock):
    """Downloads the file over one kept-alive connection until `until`; counts answers and errors.
    http.client reopens the connection by itself when the server ends it (keep-alive bound)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    done = errors = 0
    last_error = ""
    while time.monotonic() < until:
        try:
            fetch(connection, size)
            done += 1
        except Exception as error:  # any failure is an error of the run; reconnect and go on
            errors += 1
            last_error = repr(error)
            connection.close()
    connection.close()
    with lock:
        totals["requests"] += done
        totals["errors"] += errors
        if last_error:
            totals["last_error"] = last_error


def slowloris(port, count, until, stats):
    """Keeps `count` connections sending one header line a second, reopening any the server cuts."""
    def opened():
        sock = socket.create_connection(("127.0.0.1", port), timeout=5)
        sock.setblocking(False)
        sock.send(b"GET " + FILE_PATH.encode() + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        stats["opened"] += 1
        return sock

    socks = [opened() for _ in range(count)]
    line = 0
    while time.monotonic() < until:
        line += 1
        for i, sock in enumerate(socks):
            cut = False
            try:
                data = sock.recv(4096)
                cut = True  # an answer (408) or the end of the connection: the server cut it
                if data.startswith(b"HTTP/1.1 408"):
                    stats["answered_408"] += 1
            except BlockingIOError:
                pass
            except OSError:
                cut = True
            if not cut:
                try:
                    sock.send(b"X-Slow-%d: 1\r\n" % line)
                except OSError:
                    cut = True
            if cut:
                stats["cut"] += 1
                sock.close()
                socks[i] = opened()
        time.sleep(1)
    for sock in socks:
        sock.close()


def normal_client(port, size, until, latencies, failures):
    """Fetches the file on a new connection every second, timing each fetch."""
    while time.monotonic() < until:
        start = time.monotonic()
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        try:
            fetch(connection, size)
            latencies.append(time.monotonic() - start)
        except Exception as error:
            failures.append(repr(error))
        finally:
            connection.close()
        time.sleep(max(0.0, 1 - (time.monotonic() - start)))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--serve", default="build/default/server/bitsh-serve")
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--slowloris", type=int, default=50)
    parser.add_argument("--attack-seconds", type=float, default=30)
    parser.add_argument("--size", type=int, default=1024 * 1024)
    parser.add_argument("--max-latency", type=float, default=5,
                        help="seconds; a slower normal fetch during the attack means the server was starved")
    parser.add_argument("extra", nargs="*", help="more bitsh-serve flags, after --")
    args = parser.parse_args()

    max_seconds = int(args.seconds + args.attack_seconds + 120)
    command = [args.serve, "--bind", "127.0.0.1", "--port", "0", "--generate", f"{FILE_PATH}={args.size}:7",
               "--max-seconds", str(max_seconds)] + args.extra
    server_log = open(os.devnull, "w")  # the request log (one line per request) is not needed
    server = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=server_log, text=True)
    try:
        url = server.stdout.readline().strip()
        if not url.startswith("http://127.0.0.1:"):
            sys.exit(f"bitsh-serve did not start: {url!r}")
        port = int(url.rsplit(":", 1)[1])
        sampler = RssSampler(server.pid)
        sampler.start()
        time.sleep(1)  # a baseline sample before any load

        print(f"bitsh-serve {url} (pid {server.pid}): {' '.join(command[1:])}")
        print(f"load: {args.clients} keep-alive connections downloading {args.size} bytes for {args.seconds:g} s")
        sampler.phase = "load"
        totals = {"requests": 0, "errors": 0}
        lock = threading.Lock()
        start = time.monotonic()
        until = start + args.seconds
        clients = [threading.Thread(target=load_client, args=(port, args.size, until, totals, lock))
                   for _ in range(args.clients)]
        for client in clients:
            client.start()
        for client in clients:
            client.join()
        elapsed = time.monotonic() - start
        mib = totals["requests"] * args.size / (1024 * 1024)
        print(f"  requests: {totals['requests']}, errors: {totals['errors']}, "
              f"{mib:.0f} MiB in {elapsed:.1f} s ({mib / elapsed:.0f} MiB/s)")
        if totals["errors"]:
            print(f"  last error: {totals['last_error']}")
        print(f"  server RSS before load: {sampler.summary('start')}")
        print(f"  server RSS during load: {sampler.summary('load')}")

        print(f"attack: {args.slowloris} slowloris connections (one header line a second) for "
              f"{args.attack_seconds:g} s; a normal client fetches the file on a new connection every second")
        sampler.phase = "attack"
        stats = {"opened": 0, "cut": 0, "answered_408": 0}
        latencies, failures = [], []
        until = time.monotonic() + args.attack_seconds
        attacker = threading.Thread(target=slowloris, args=(port, args.slowloris, until, stats))
        attacker.start()
        time.sleep(2)  # let every slow connection get its head started
        normal = threading.Thread(target=normal_client, args=(port, args.size, until, latencies, failures))
        normal.start()
        normal.join()
        attacker.join()
        print(f"  slowloris connections opened: {stats['opened']}, cut by the server: {stats['cut']} "
              f"({stats['answered_408']} answered 408)")
        if latencies:
            ordered = sorted(latencies)
            print(f"  normal client: {len(latencies)} fetches, {len(failures)} failed; latency min "
                  f"{ordered[0] * 1000:.0f} ms, median {statistics.median(ordered) * 1000:.0f} ms, "
                  f"max {ordered[-1] * 1000:.0f} ms")
        else:
            print(f"  normal client: no fetch succeeded ({len(failures)} failed)")
        for failure in failures[:3]:
            print(f"    {failure}")
        print(f"  server RSS during attack: {sampler.summary('attack')}")
        sampler.stopped.set()
        starved = [t for t in latencies if t > args.max_latency]
        ok = totals["errors"] == 0 and not failures and latencies and not starved
        print("result: " + ("PASS" if ok else f"FAIL ({len(starved)} normal fetches over {args.max_latency:g} s)"
                            if starved else "FAIL"))
        return 0 if ok else 1
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        server_log.close()


if __name__ == "__main__":
    sys.exit(main())
