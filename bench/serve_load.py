"""Load test of `checker serve` over 127.0.0.1: N requests from C concurrent clients.

    python bench/serve_load.py                      # 2,000 requests, 20 clients, a 5 KB article
    python bench/serve_load.py --requests 500 --clients 10 --workers 1

Starts the service (`checker serve --port 0`), then C client threads, each with
its own keep-alive connection, send LanguageTool-style form-encoded POST
/v2/check requests (as the browser extension does) with a 5 KB article that
differs in every request (a sentence with the request's number is appended),
so no answer could be served from a cache. Reports latency p50, p99 and max,
errors (any status but 200, any connection failure, any answer that does not
parse or lacks the article's FS101 match), throughput, and the resident memory
of the service (its process and workers) sampled every 100 ms: at the start,
after each quarter of the requests, and the peak. The clients run on the same
machine and share its CPUs with the service: the figures include that.
Bounded in count and time; it stops by itself and stops the service.
"""

import argparse
import http.client
import json
import os
import re
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = (ROOT / "seeds" / "000_9871a0d17aba42f5.txt").read_text(encoding="utf-8")


def article(size=5000):
    """The seed, lengthened with its own paragraphs to about `size` bytes (UTF-8)."""
    paragraphs = SEED.split("\n")
    text, i = SEED, 1
    while len(text.encode("utf-8")) < size:
        text += "\n" + paragraphs[i % len(paragraphs)]
        i += 1
    return text.encode("utf-8")[:size].decode("utf-8", "ignore")


def rss_of_tree(pid):
    """Resident memory (bytes) of a process and its children."""
    total = 0
    for p in [pid, *children(pid)]:
        try:
            with open(f"/proc/{p}/status") as handle:
                for line in handle:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1]) * 1024
        except OSError:
            pass
    return total


def children(pid):
    found = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as handle:
                for child in handle.read().split():
                    found += [int(child), *children(int(child))]
    except OSError:
        pass
    return found


def cpu_seconds(pid):
    """User and system CPU seconds a process has used."""
    with open(f"/proc/{pid}/stat") as handle:
        fields = handle.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--workers", type=int, default=None, help="the service's --workers (default: its own, one per CPU)")
    parser.add_argument("--size", type=int, default=5000, help="bytes of the article (default: 5000)")
    parser.add_argument("--time-limit", type=float, default=300, help="stop sending after this many seconds")
    args = parser.parse_args()

    load_before = " ".join(f"{x:.2f}" for x in os.getloadavg())
    command = [sys.executable, "-m", "checker", "serve", "--port", "0"] + (["--workers", str(args.workers)] if args.workers else [])
    server = subprocess.Popen(command, cwd=ROOT, stderr=subprocess.PIPE, text=True)
    url = None
    while url is None:
        line = server.stderr.readline()
        if not line:
            sys.exit("the service did not start")
        found = re.search(r"checker serve: http://127\.0\.0\.1:(\d+)/ \((\d+) workers", line)
        if found:
            port, workers = int(found.group(1)), int(found.group(2))
            url = True
    threading.Thread(target=lambda: [None for _ in server.stderr], daemon=True).start()  # keep its log flowing

    text = article(args.size)
    latencies, errors, lock = [], [], threading.Lock()
    counter = iter(range(args.requests))
    memory = []
    done = threading.Event()

    def sample():
        while not done.is_set():
            memory.append((len(latencies), rss_of_tree(server.pid)))
            time.sleep(0.1)

    def client():
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        for number in counter:
            if time.monotonic() - started > args.time_limit:
                break
            body = urllib.parse.urlencode({"text": f"{text}\nThe count rose to {number} on Monday.", "language": "auto"})
            begin = time.perf_counter()
            try:
                connection.request("POST", "/v2/check", body, {"Content-Type": "application/x-www-form-urlencoded"})
                response = connection.getresponse()
                answer = response.read()
                elapsed = time.perf_counter() - begin
                ok = response.status == 200 and any(m["rule"]["id"] == "FS101" for m in json.loads(answer)["matches"])
            except (OSError, http.client.HTTPException, ValueError) as exc:
                elapsed, ok = time.perf_counter() - begin, False
                answer = repr(exc).encode()
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            with lock:
                latencies.append(elapsed)
                if not ok:
                    errors.append(answer[:200])
        connection.close()

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    started = time.monotonic()
    threads = [threading.Thread(target=client) for _ in range(args.clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.monotonic() - started
    done.set()
    sampler.join()
    front_cpu = cpu_seconds(server.pid)
    worker_cpu = sum(cpu_seconds(child) for child in children(server.pid))
    client_cpu = sum(os.times()[:2])
    server.terminate()
    server.wait(30)

    ordered = sorted(latencies)

    def percentile(p):
        return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))] * 1000

    at = {}
    for quarter in range(5):
        wanted = quarter * len(latencies) // 4
        at[quarter] = next((rss for count, rss in memory if count >= wanted), memory[-1][1])
    print(f"service: {workers} workers; {os.cpu_count()} CPUs shared with the {args.clients} client threads")
    print(f"requests: {len(latencies)} of {len(text.encode('utf-8'))}-byte articles, {args.clients} concurrent clients, {wall:.1f} s, {len(latencies) / wall:.0f} requests/s")
    print(f"latency: p50 {percentile(50):.1f} ms, p99 {percentile(99):.1f} ms, max {ordered[-1] * 1000:.1f} ms, mean {statistics.fmean(latencies) * 1000:.1f} ms")
    print(f"CPU: HTTP front {front_cpu:.1f} s, workers {worker_cpu:.1f} s (with start-up), clients {client_cpu:.1f} s; load average before: {load_before}")
    print(f"errors: {len(errors)}" + (f" (first: {errors[0]!r})" if errors else ""))
    print("memory (service and workers, RSS): " + ", ".join(f"{q * 25}%: {at[q] / 2**20:.0f} MiB" for q in range(5)) + f"; peak {max(r for _, r in memory) / 2**20:.0f} MiB")
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
