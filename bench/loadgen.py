"""A small keep-alive HTTP load generator, used by bench/run.py when wrk is missing.

Threads share the GIL, so it saturates sooner than wrk: its figures are a lower bound.
"""

import http.client
import threading
import time
from urllib.parse import urlsplit


def _percentile(sorted_values, fraction):
    if not sorted_values:
        return 0.0
    index = min(int(round(fraction * (len(sorted_values) - 1))), len(sorted_values) - 1)
    return sorted_values[index]


def run(url, connections=20, duration=10.0, cookie=None):
    parts = urlsplit(url)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    latencies, non2xx, socket_errors = [], [0], [0]
    lock = threading.Lock()
    deadline = time.perf_counter() + duration

    def worker():
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        mine, bad, failed = [], 0, 0
        while time.perf_counter() < deadline:
            start = time.perf_counter()
            try:
                conn.request("GET", target, headers={"Cookie": cookie} if cookie else {})
                response = conn.getresponse()
                response.read()
            except (OSError, http.client.HTTPException):
                failed += 1
                conn.close()
                conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
                continue
            mine.append((time.perf_counter() - start) * 1000)
            if not 200 <= response.status < 300:
                bad += 1
        conn.close()
        with lock:
            latencies.extend(mine)
            non2xx[0] += bad
            socket_errors[0] += failed

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    latencies.sort()
    return {
        "requests": len(latencies),
        "duration_s": elapsed,
        "non2xx": non2xx[0],
        "socket_errors": socket_errors[0],
        "p50_ms": _percentile(latencies, 0.50),
        "p99_ms": _percentile(latencies, 0.99),
    }
