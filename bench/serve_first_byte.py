#!/usr/bin/env python3
"""Time to first byte of N downloads started at the same instant from bitsh-serve, on loopback.

Usage: bench/serve_first_byte.py [--serve build/default/server/bitsh-serve] [--downloads 64]
                                 [--size 4194304] [--rounds 5] [-- EXTRA bitsh-serve FLAGS...]

Starts bitsh-serve on 127.0.0.1 (an ephemeral port; it stops itself after 300 s and is stopped
at the end) serving one generated file. Each round opens --downloads connections, releases them
together (a barrier), sends one GET each and records how long each waits for its first body
byte, then reads the rest. Prints, per round and over all rounds, the median, the 95th
percentile and the maximum. Figures only: nothing is asserted (the machines are shared).
"""
import argparse
import socket
import statistics
import subprocess
import sys
import threading
import time


def download(port, size, barrier, waits, errors):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=30) as connection:
            barrier.wait()
            start = time.perf_counter()
            connection.sendall(b"GET /first-byte.bin HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            received = b""
            while b"\r\n\r\n" not in received:
                chunk = connection.recv(65536)
                if not chunk:
                    raise ConnectionError("closed before the body")
                received += chunk
            body = len(received) - received.index(b"\r\n\r\n") - 4
            while body == 0:  # the head may arrive alone: the first byte is the first body byte
                chunk = connection.recv(65536)
                if not chunk:
                    raise ConnectionError("closed before the first body byte")
                body += len(chunk)
            waits.append(time.perf_counter() - start)
            while body < size:
                chunk = connection.recv(1 << 20)
                if not chunk:
                    raise ConnectionError(f"closed at byte {body} of {size}")
                body += len(chunk)
    except (OSError, ConnectionError, threading.BrokenBarrierError) as error:
        errors.append(str(error))


def summary(waits):
    ordered = sorted(waits)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return (f"median {statistics.median(ordered) * 1000:7.1f} ms   p95 {p95 * 1000:7.1f} ms   "
            f"max {ordered[-1] * 1000:7.1f} ms")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--serve", default="build/default/server/bitsh-serve")
    parser.add_argument("--downloads", type=int, default=64)
    parser.add_argument("--size", type=int, default=4 * 1024 * 1024)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("extra", nargs="*", help="flags passed on to bitsh-serve (after --)")
    arguments = parser.parse_args()

    command = [arguments.serve, "--generate", f"/first-byte.bin={arguments.size}:1", "--max-seconds", "300",
               *arguments.extra]
    server = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        url = server.stdout.readline().strip()  # "http://127.0.0.1:PORT"
        port = int(url.rsplit(":", 1)[1])
        everything, failures = [], []
        print(f"bitsh-serve {' '.join(arguments.extra) or '(defaults)'}: {arguments.downloads} downloads of "
              f"{arguments.size} bytes started together, {arguments.rounds} rounds")
        for round_number in range(1, arguments.rounds + 1):
            barrier = threading.Barrier(arguments.downloads)
            waits, errors = [], []
            threads = [threading.Thread(target=download, args=(port, arguments.size, barrier, waits, errors))
                       for _ in range(arguments.downloads)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            failures += errors
            everything += waits
            if waits:
                print(f"  round {round_number}: first byte {summary(waits)}   errors {len(errors)}")
        if everything:
            print(f"  all rounds: first byte {summary(everything)}   errors {len(failures)}")
        return 0 if not failures else 1
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()


if __name__ == "__main__":
    sys.exit(main())
