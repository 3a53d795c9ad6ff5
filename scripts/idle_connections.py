#!/usr/bin/env python3
"""Holds N idle keep-alive connections to the petstore server (each has made one request) and
measures the server's resident memory per connection, then checks that a new client is still
served. Raises RLIMIT_NOFILE to the hard limit (the server inherits it). Not in CI.

Usage: idle_connections.py PETSTORE_SERVER [connections (10000)]
"""
import re
import resource
import socket
import subprocess
import sys
import time


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as status:
        return int(re.search(r"VmRSS:\s+(\d+)", status.read()).group(1))


def fds(pid):
    import os
    return len(os.listdir(f"/proc/{pid}/fd"))


def request(sock):
    sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n")
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(4096)
        if not chunk:
            raise RuntimeError("closed")
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = int(re.search(rb"(?i)content-length: *(\d+)", head).group(1))
    while len(body) < length:
        body += sock.recv(4096)
    return int(head.split(b" ")[1])


def main():
    binary = sys.argv[1]
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 10000
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    if hard < count + 100:
        sys.exit(f"idle: the descriptor limit ({hard}) is below {count} connections")
    server = subprocess.Popen([binary, "--port", "0", "--quiet"], stdout=subprocess.PIPE,
                              env={"OASGEN_ACCESS_LOG": "off", "OASGEN_THREADS": "2",
                                   "OASGEN_IDLE_TIMEOUT_MS": "600000"})
    port = int(re.search(r":(\d+)\s*$", server.stdout.readline().decode()).group(1))
    try:
        warm = socket.create_connection(("127.0.0.1", port))
        assert request(warm) == 200
        time.sleep(0.5)
        before = rss_kib(server.pid)
        socks = []
        start = time.monotonic()
        for _ in range(count):
            sock = socket.create_connection(("127.0.0.1", port))
            assert request(sock) == 200
            socks.append(sock)
        opened = time.monotonic() - start
        time.sleep(1)
        after = rss_kib(server.pid)
        descriptors = fds(server.pid)
        # A new client, and an old idle one, are still served.
        fresh = socket.create_connection(("127.0.0.1", port))
        t = time.monotonic()
        fresh_status = request(fresh)
        fresh_ms = 1000 * (time.monotonic() - t)
        old_status = request(socks[0])
        print(f"idle: {count} keep-alive connections opened (one request each) in {opened:.1f} s; "
              f"server RSS {before} KiB -> {after} KiB: {1024 * (after - before) / count:.0f} bytes "
              f"per idle connection; {descriptors} descriptors open; a new client got "
              f"{fresh_status} in {fresh_ms:.1f} ms, the first idle one {old_status}")
        for sock in socks:
            sock.close()
        return 0 if fresh_status == 200 and old_status == 200 else 1
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    sys.exit(main())
