"""A small, bounded HTTP load generator for ``manage.py bench``.

Runs in its own process: ``python -m {{ cookiecutter.project_slug }}.bench.loadgen URL SECONDS CONNECTIONS``
prints the number of successful requests per second. Every request has a
timeout and the run stops after SECONDS.
"""

import http.client
import sys
import threading
import time
from urllib.parse import urlsplit


def hammer(url: str, seconds: float, connections: int) -> float:
    parts = urlsplit(url)
    deadline = time.monotonic() + seconds
    counts = [0] * connections

    def worker(slot: int) -> None:
        while time.monotonic() < deadline:
            conn = http.client.HTTPConnection(parts.netloc, timeout=5)
            try:
                conn.request(
                    "GET", parts.path + (f"?{parts.query}" if parts.query else "")
                )
                response = conn.getresponse()
                response.read()
                if response.status == 200:
                    counts[slot] += 1
            except OSError:
                pass
            finally:
                conn.close()

    started = time.monotonic()
    threads = [
        threading.Thread(target=worker, args=(slot,)) for slot in range(connections)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(counts) / (time.monotonic() - started)


if __name__ == "__main__":
    url, seconds, connections = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
    print(f"{hammer(url, seconds, connections):.0f}")
