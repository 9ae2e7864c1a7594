"""``make bench``: seed 10,000 places, serve with gunicorn, load every public page with wrk.

Database: DATABASE_URL when set, else bench/bench.sqlite3 (kept between runs: seeding is
skipped when it already holds the 10,000 demo places). Prints the table and writes it as JSON
under bench/results/. See bench/README.md.
"""

import datetime
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import loadgen, report  # noqa: E402

PLACES = 10_000
CONNECTIONS = 20
DURATION_S = 10
WORKERS = 2
PYTHON = sys.executable
BIN = Path(sys.executable).parent


def environment():
    env = dict(os.environ)
    env.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'bench' / 'bench.sqlite3'}")
    env.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        DJANGO_SECRET_KEY="bench-only-" + "x" * 50,
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SECURE_SSL_REDIRECT="false",
        DJANGO_DEBUG="false",
        DJANGO_LOG_LEVEL="ERROR",
        EMAIL_HOST="smtp.invalid",
        PYTHONPATH=str(ROOT),
    )
    if "REDIS_URL" not in env and _answers("127.0.0.1", 6379):
        # As in production with several processes: one cache shared by the gunicorn workers.
        env["REDIS_URL"] = "redis://127.0.0.1:6379/15"
    return env


def _answers(host, port):
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


def warm_up(url, concurrent=4):
    """A few concurrent requests per page first, so that each gunicorn worker has rendered it:
    the first visitor after a data change computes the page (its time is printed), everyone
    after gets it from the cache."""
    from concurrent.futures import ThreadPoolExecutor

    def one(_):
        started = time.perf_counter()
        with urllib.request.urlopen(url, timeout=120) as response:
            response.read()
        return (time.perf_counter() - started) * 1000

    with ThreadPoolExecutor(concurrent) as pool:
        return max(pool.map(one, range(concurrent)))


def manage(env, *args, capture=False):
    command = [PYTHON, str(ROOT / "manage.py"), *args]
    if capture:
        return subprocess.run(
            command, env=env, cwd=ROOT, check=True, capture_output=True, text=True
        )
    return subprocess.run(command, env=env, cwd=ROOT, check=True)


def probe(env, *args):
    done = subprocess.run(
        [PYTHON, str(ROOT / "bench" / "probe.py"), *args],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url, process, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("gunicorn exited early; see its output above.")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"gunicorn did not answer on {url} within {timeout} s.")


def measure(url, lua):
    wrk = shutil.which("wrk") or ("/usr/bin/wrk" if Path("/usr/bin/wrk").exists() else None)
    if wrk:
        done = subprocess.run(
            [
                wrk,
                "-t1",
                f"-c{CONNECTIONS}",
                f"-d{DURATION_S}s",
                "--timeout",
                "30s",
                "-s",
                str(lua),
                url,
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        return report.parse_wrk(done.stdout), "wrk"
    return loadgen.run(url, CONNECTIONS, DURATION_S), "python"


def git_commit():
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
    except OSError:
        return ""


def main():
    env = environment()
    print(f"Base de données : {env['DATABASE_URL'].split('@')[-1]}", flush=True)
    manage(env, "migrate", "--noinput", "-v0")
    state = probe(env, "count")
    if state["places"] != PLACES:
        print(f"Génération de {PLACES} lieux (une fois ; réutilisés ensuite)…", flush=True)
        manage(env, "seed_demo", "--places", str(PLACES), "--reset")
    else:
        print(f"{PLACES} lieux de démonstration déjà présents : réutilisés.", flush=True)
    manage(env, "collectstatic", "--noinput", "-v0")
    if env.get("REDIS_URL"):
        print(f"Cache partagé : {env['REDIS_URL']} (vidé)", flush=True)
        manage(env, "shell", "-c", "from django.core.cache import cache; cache.clear()")

    place = probe(env, "sample")
    search = urlencode({"q": place["commune"], "region": place["region"]})
    pages = [
        ("trivial", "/bench/trivial", False),
        ("home", "/", True),
        ("charter", "/charte/", True),
        ("directory", "/annuaire/", True),
        ("search", f"/annuaire/?{search}", True),
        ("place", f"/annuaire/{place['slug']}/", True),
        ("observatory", "/observatoire/", True),
        ("export.csv", "/annuaire/export.csv", False),
    ]
    counted = probe(env, "queries", *[path for _n, path, _h in pages])

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as tmp:
        gunicorn = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "lcp_network.wsgi:application",
                f"--workers={WORKERS}",
                f"--bind=127.0.0.1:{port}",
                "--log-level=warning",
                f"--worker-tmp-dir={tmp}",
            ],
            env=env,
            cwd=ROOT,
        )
        try:
            wait_until_up(base + "/bench/trivial", gunicorn)
            rows, tool = [], "wrk"
            for name, path, html in pages:
                cold_ms = warm_up(base + path)
                print(f"  {name:<12} {path}  (first request: {cold_ms:.0f} ms)", flush=True)
                measured, tool = measure(base + path, ROOT / "bench" / "wrk_report.lua")
                rows.append(
                    {
                        "name": name,
                        "path": path,
                        "html": html,
                        **measured,
                        "queries": counted[path]["queries"],
                        "first_request_ms": round(cold_ms, 1),
                        "status_in_process": counted[path]["status"],
                    }
                )
        finally:
            gunicorn.terminate()
            gunicorn.wait(timeout=30)

    report.evaluate(rows)
    print()
    print(report.format_table(rows))
    results = {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "commit": git_commit(),
        "database": state["vendor"],
        "places": PLACES,
        "load_generator": tool,
        "connections": CONNECTIONS,
        "duration_s": DURATION_S,
        "gunicorn_workers": WORKERS,
        "cpus": os.cpu_count(),
        "targets": {
            "html_ratio_min": report.TARGET_RATIO,
            "p99_ms_max": report.TARGET_P99_MS,
            "errors_max": report.TARGET_ERRORS,
        },
        "all_met": not any(row["misses"] for row in rows),
        "pages": rows,
    }
    out = (
        ROOT
        / "bench"
        / "results"
        / (f"{datetime.datetime.now():%Y%m%d-%H%M%S}-{state['vendor']}.json")
    )
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\nRésultats : {out.relative_to(ROOT)}")
    return 0 if results["all_met"] else 1


if __name__ == "__main__":
    sys.exit(main())
