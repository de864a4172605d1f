#!/usr/bin/env python3
"""bitsh-serve --proxy as a program: the proxy line on stdout, 407 without the proxy's credentials,
the file through the proxy with them, and both request logs on stderr at exit.

Usage: serve-proxy-check.py PATH/TO/bitsh-serve   (ctest: server.serve_proxy_program)
"""
import base64
import http.client
import subprocess
import sys

SIZE = 100_000


def get_through_proxy(proxy, origin, credentials=None):
    host, port = proxy.rsplit(":", 1)
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    headers = {"Host": origin.split("//", 1)[1]}
    if credentials:
        headers["Proxy-Authorization"] = "Basic " + base64.b64encode(credentials.encode()).decode()
    connection.request("GET", origin + "/a.wma", headers=headers)
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, response.getheader("Proxy-Authenticate"), body


def main():
    serve = subprocess.Popen([sys.argv[1], "--generate", f"/a.wma={SIZE}:3", "--proxy", "--proxy-credentials",
                              "corp:pw", "--max-seconds", "60"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        origin = serve.stdout.readline().strip()
        proxy_line = serve.stdout.readline().strip()
        assert origin.startswith("http://127.0.0.1:"), origin
        assert proxy_line.startswith("proxy 127.0.0.1:"), proxy_line
        proxy = proxy_line.split(" ", 1)[1]
        status, challenge, _ = get_through_proxy(proxy, origin)
        assert (status, challenge) == (407, 'Basic realm="bitsh-proxy"'), (status, challenge)
        status, _, body = get_through_proxy(proxy, origin, "corp:pw")
        assert status == 200 and len(body) == SIZE, (status, len(body))
    finally:
        serve.terminate()
    _, errors = serve.communicate(timeout=30)
    assert serve.returncode == 0, serve.returncode
    assert "proxy:\n" in errors and "-> 407" in errors and "-> 200 100000 bytes" in errors, errors
    print("bitsh-serve --proxy: 407 without credentials, 100000 bytes with them, both logs at exit")


if __name__ == "__main__":
    main()
