"""Fault test: /healthz stays honest while PostgreSQL is down, and recovers when it is back.

    .venv/bin/python bench/faults.py [--database-url postgres://…]

Starts gunicorn (production settings) on the load-test database, checks /healthz is 200,
stops the local PostgreSQL cluster, checks /healthz answers 503 with a JSON reason quickly
(no hang, no HTML error page), starts PostgreSQL again and checks /healthz is 200 again
within a few seconds. PostgreSQL is ALWAYS started again (finally), and the outage is kept
short: other people may be using the same cluster. Needs root (pg_ctlcluster).
"""

import argparse
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench import _server  # noqa: E402
from bench.load import DEFAULT_DATABASE_URL  # noqa: E402

ANSWER_WITHIN = 5.0  # seconds for /healthz to answer while the database is down
RECOVER_WITHIN = 10.0  # seconds for /healthz to be 200 again once PostgreSQL is back


def cluster(action):
    version = sorted(p.name for p in Path("/etc/postgresql").iterdir())[-1]
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", action],
        check=True,
        timeout=60,
    )


def timed_healthz(port):
    started = time.monotonic()
    try:
        status, body = _server.healthz(port, timeout=30)
    except OSError as error:
        status, body = None, repr(error)
    return status, body, time.monotonic() - started


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    args = parser.parse_args()

    env = _server.production_env(args.database_url)
    _server.prepare(env, static=False)
    port = _server.free_port()
    checks = []

    def check(label, ok, detail):
        checks.append(ok)
        print(f"{'PASS' if ok else 'FAIL'}  {label}: {detail}", flush=True)

    server = _server.start_gunicorn(env, port, workers=2, threads=4)
    try:
        status, body, seconds = timed_healthz(port)
        check("database up", status == 200, f"{status} {body} in {seconds:.2f} s")
        stopped_at = time.monotonic()
        try:
            cluster("stop")
            print("PostgreSQL stopped", flush=True)
            for attempt in (1, 2):
                status, body, seconds = timed_healthz(port)
                honest = status == 503 and isinstance(body, dict) and body.get("status") == "error"
                check(
                    f"database down, request {attempt}",
                    honest and seconds < ANSWER_WITHIN,
                    f"{status} {body} in {seconds:.2f} s",
                )
        finally:
            cluster("start")
            print(f"PostgreSQL started again after {time.monotonic() - stopped_at:.1f} s")
        back_at = time.monotonic()
        status = None
        while time.monotonic() - back_at < RECOVER_WITHIN:
            status, body, seconds = timed_healthz(port)
            if status == 200:
                break
            time.sleep(0.5)
        check(
            "database back",
            status == 200,
            f"{status} {body}, {time.monotonic() - back_at:.2f} s after the restart",
        )
    finally:
        _server.stop(server)
    print("PASS" if all(checks) else "FAIL")
    sys.exit(0 if all(checks) else 1)


if __name__ == "__main__":
    main()
