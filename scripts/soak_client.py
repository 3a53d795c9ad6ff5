#!/usr/bin/env python3
"""The load and the sampler of scripts/soak.sh (see there). Standard library only.

    soak_client.py PORT SERVER_PID SECONDS [--rate R] [--workers W] [--sample S]
                   [--rss-tolerance F] [--rss-slack-kib K] [--fd-tolerance N]

W workers (threads), each with its own keep-alive connection, go round a fixed cycle of requests
at R requests per second in all (paced: a worker that falls behind does not catch up in a burst).
Every request of the cycle has one expected status, known from the cycle alone: each worker creates,
reads, replaces, lists and deletes its own pets, so 201, 409, 200, 204, 404, 405, 415, 422, 400,
501 and the preflight's 204 are all deterministic. Some requests ask `Connection: close` and some
go on a raw socket (malformed framing: 400 and close; an unknown method: 501; a body over the
limit: 413), so connections open and close all the time and a descriptor leak would show.

Every S seconds the sampler reads the server's VmRSS (/proc/PID/status) and its open descriptors
(/proc/PID/fd). At the end it prints the samples, the responses by status, the unexpected ones and
the socket errors, and exits 1 if there was any unexpected status or socket error, or if RSS or
descriptors grew after warm-up: the average of the last minute against the average of the second
minute, RSS by more than F (default 0.10) and K KiB (default 4096) both, descriptors by more than N
(default 8).
"""
import argparse
import collections
import http.client
import json
import os
import random
import socket
import sys
import threading
import time


def parse_args():
    p = argparse.ArgumentParser()
    p.add_argument("port", type=int)
    p.add_argument("pid", type=int)
    p.add_argument("seconds", type=float)
    p.add_argument("--rate", type=float, default=1000.0)
    p.add_argument("--workers", type=int, default=8)
    p.add_argument("--sample", type=float, default=10.0)
    p.add_argument("--rss-tolerance", type=float, default=0.10)
    p.add_argument("--rss-slack-kib", type=int, default=4096)
    p.add_argument("--fd-tolerance", type=int, default=8)
    p.add_argument("--max-body", type=int, default=65536, help="the server's OASGEN_MAX_BODY_BYTES")
    return p.parse_args()


ORIGIN = "https://app.example.com"
JSON = {"Content-Type": "application/json"}


def new_pet(name, worker, extra_tag):
    return json.dumps({
        "name": name, "status": "available", "category": {"id": 1, "name": "dogs"},
        "tags": ["soak", "w%d" % worker, extra_tag], "birthDate": "2021-03-04", "weightKg": 7.25,
        "nickname": "rex"})


INVALID = json.dumps({
    "name": "no/slash", "status": "lost", "category": {"name": "", "color": "red"},
    "tags": ["a", "a", ""], "birthDate": "2021-02-30", "weightKg": 0, "nickname": "n" * 40})


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.by_status = collections.Counter()    # (label, status) -> count
        self.unexpected = collections.Counter()   # (label, expected, got) -> count
        self.socket_errors = collections.Counter()  # (label, error) -> count
        self.requests = 0
        self.raw = 0  # requests sent on a raw socket (refused by the head checks, not logged)

    def record(self, label, expected, got, raw=False):
        with self.lock:
            self.requests += 1
            self.raw += raw
            self.by_status[got] += 1
            if got != expected:
                self.unexpected[(label, expected, got)] += 1

    def error(self, label, exc):
        with self.lock:
            self.requests += 1
            self.socket_errors[(label, type(exc).__name__ + ": " + str(exc)[:80])] += 1


class Worker(threading.Thread):
    def __init__(self, index, args, stats, stop, interval):
        super().__init__(daemon=True)
        self.index, self.args, self.stats, self.stop, self.interval = index, args, stats, stop, interval
        self.conn = None
        self.next_at = time.monotonic() + random.random() * interval
        self.cycle = 0

    def pace(self):
        self.next_at += self.interval
        delay = self.next_at - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        elif delay < -1.0:  # more than a second behind: do not burst to catch up
            self.next_at = time.monotonic()

    def connection(self):
        if self.conn is None:
            self.conn = http.client.HTTPConnection("127.0.0.1", self.args.port, timeout=30)
        return self.conn

    def call(self, label, expected, method, path, body=None, headers=None):
        """One request on the keep-alive connection; returns the body (bytes) or None."""
        self.pace()
        try:
            conn = self.connection()
            conn.request(method, path, body=body, headers=headers or {})
            response = conn.getresponse()
            data = response.read()
            if response.will_close:
                conn.close()
                self.conn = None
            self.stats.record(label, expected, response.status)
            return data if response.status == expected else None
        except (OSError, http.client.HTTPException) as exc:
            self.stats.error(label, exc)
            if self.conn is not None:
                self.conn.close()
            self.conn = None
            return None

    def raw(self, label, expected, data):
        """Bytes on a fresh connection; the server must answer `expected` and close."""
        self.pace()
        try:
            with socket.create_connection(("127.0.0.1", self.args.port), timeout=30) as s:
                s.sendall(data)
                received = b""
                while True:
                    chunk = s.recv(65536)
                    if not chunk:
                        break
                    received += chunk
            line = received.split(b"\r\n", 1)[0].split()
            status = int(line[1]) if len(line) >= 2 and line[1].isdigit() else 0
            self.stats.record(label, expected, status, raw=True)
        except (OSError, ValueError) as exc:
            self.stats.error(label, exc)

    def run(self):
        w = self.index
        while not self.stop.is_set():
            self.cycle += 1
            c = self.cycle
            name = "soak-%d-%d" % (w, c)
            body = new_pet(name, w, "c%d" % (c % 7))
            created = self.call("create", 201, "POST", "/pets", body, dict(JSON, Origin=ORIGIN))
            if created is None:
                continue
            pet_id = json.loads(created)["id"]
            path = "/pets/%d" % pet_id
            self.call("create again", 409, "POST", "/pets", body, JSON)
            self.call("get", 200, "GET", path)
            self.call("replace", 200, "PUT", path, new_pet(name + "-x", w, "r"), JSON)
            self.call("list by tags", 200, "GET", "/pets?limit=5&tags=soak&tags=w%d" % w)
            self.call("list 100", 200, "GET", "/pets?limit=100", headers={"Origin": ORIGIN})
            self.call("invalid body", 422, "POST", "/pets", INVALID, JSON)
            self.call("malformed json", 400, "POST", "/pets", '{"name": ', JSON)
            self.call("number out of range", 400, "POST", "/pets", '{"weightKg": 1e999}', JSON)
            self.call("wrong content type", 415, "POST", "/pets", "name=x",
                      {"Content-Type": "application/x-www-form-urlencoded"})
            self.call("limit out of range", 400, "GET", "/pets?limit=0")
            self.call("bad path parameter", 400, "GET", "/pets/abc")
            self.call("not implemented", 501, "GET", path + "/vaccinations")
            self.call("method not allowed", 405, "PATCH", path, "{}", JSON)
            self.call("preflight", 204, "OPTIONS", "/pets", None,
                      {"Origin": ORIGIN, "Access-Control-Request-Method": "POST",
                       "Access-Control-Request-Headers": "content-type"})
            self.call("unknown path", 404, "GET", "/nope/%d/%d" % (w, c))
            self.call("delete", 204, "DELETE", path)
            self.call("delete again", 404, "DELETE", path)
            self.call("get deleted", 404, "GET", path)
            self.call("replace deleted", 404, "PUT", path, body, JSON)
            self.call("healthz", 200, "GET", "/healthz")
            self.call("readyz", 200, "GET", "/readyz", headers={"Connection": "close"})
            if c % 10 == 0:
                self.call("metrics", 200, "GET", "/metrics")
                self.call("openapi.json", 200, "GET", "/openapi.json")
                self.raw("duplicate content-length", 400,
                         b"POST /pets HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n"
                         b"Content-Length: 2\r\n\r\n")
                self.raw("unknown method", 501, b"FOO /pets HTTP/1.1\r\nHost: x\r\n\r\n")
                self.raw("body over the limit", 413,
                         b"POST /pets HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                         b"Content-Length: %d\r\n\r\n" % (self.args.max_body + 1))
                self.raw("no host", 400, b"GET /pets HTTP/1.1\r\n\r\n")
        if self.conn is not None:
            self.conn.close()


def sample(pid):
    with open("/proc/%d/status" % pid) as f:
        rss = next(int(line.split()[1]) for line in f if line.startswith("VmRSS:"))
    fds = len(os.listdir("/proc/%d/fd" % pid))
    return rss, fds


def mean(values):
    return sum(values) / len(values) if values else float("nan")


def main():
    args = parse_args()
    stats = Stats()
    stop = threading.Event()
    interval = args.workers / args.rate
    workers = [Worker(i, args, stats, stop, interval) for i in range(args.workers)]
    start = time.monotonic()
    samples = [(0.0, 0) + sample(args.pid)]
    for worker in workers:
        worker.start()
    while True:
        elapsed = time.monotonic() - start
        if elapsed >= args.seconds:
            break
        time.sleep(min(args.sample - elapsed % args.sample, args.seconds - elapsed))
        with stats.lock:
            done = stats.requests
        samples.append((time.monotonic() - start, done) + sample(args.pid))
    stop.set()
    for worker in workers:
        worker.join(60)
    took = time.monotonic() - start

    print("soak: %-7s %10s %10s %5s" % ("t (s)", "requests", "RSS (KiB)", "fds"))
    for t, done, rss, fds in samples:
        print("soak: %7.0f %10d %10d %5d" % (t, done, rss, fds))
    print("soak: %d requests in %.0f s (%.0f/s), %d workers, %d cycles" % (
        stats.requests, took, stats.requests / took, args.workers, sum(w.cycle for w in workers)))
    print("soak: requests that reach the router (the access log's lines): %d" % (
        stats.requests - stats.raw))
    print("soak: by status: " + ", ".join("%d: %d" % kv for kv in sorted(stats.by_status.items())))
    failed = False
    for (label, expected, got), n in sorted(stats.unexpected.items()):
        print("soak: UNEXPECTED %s: expected %d, got %d, %d times" % (label, expected, got, n))
        failed = True
    for (label, error), n in sorted(stats.socket_errors.items()):
        print("soak: SOCKET ERROR %s: %s, %d times" % (label, error, n))
        failed = True
    print("soak: unexpected statuses %d, socket errors %d" % (
        sum(stats.unexpected.values()), sum(stats.socket_errors.values())))

    # Warm-up is the first minute; compare the second minute with the last one.
    second = [s for s in samples if 60 < s[0] <= 120]
    last = [s for s in samples if s[0] > took - 60]
    if args.seconds >= 180 and second and last:
        rss_a, rss_b = mean([s[2] for s in second]), mean([s[2] for s in last])
        fd_a, fd_b = mean([s[3] for s in second]), mean([s[3] for s in last])
        rss_limit = max(rss_a * args.rss_tolerance, args.rss_slack_kib)
        print("soak: RSS second minute %.0f KiB, last minute %.0f KiB (%+.1f%%; tolerance +%.0f KiB)" % (
            rss_a, rss_b, 100 * (rss_b - rss_a) / rss_a, rss_limit))
        print("soak: descriptors second minute %.1f, last minute %.1f (tolerance +%d)" % (
            fd_a, fd_b, args.fd_tolerance))
        if rss_b - rss_a > rss_limit:
            print("soak: FAILED: resident memory grew")
            failed = True
        if fd_b - fd_a > args.fd_tolerance:
            print("soak: FAILED: descriptors grew")
            failed = True
    else:
        print("soak: shorter than 3 minutes: growth not judged")
    print("soak: " + ("FAILED" if failed else "passed"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
