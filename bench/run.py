"""``make bench``: seed the demo network, serve it with gunicorn, load every kind of page with wrk.

    python bench/run.py [--places 10000] [--duration 5] [--reseed]
    python bench/run.py --compare SMALL.json LARGE.json

Passes, each judged against its targets (bench/report.py, from DESIGN.md):

1. server with the public-page cache turned off (``BENCH_PUBLIC_PAGE_CACHE=off``): the trivial
   view, the public pages (anonymous), the member pages signed in as a place's representative,
   the admin pages signed in as a national then a territorial coordinator, the CSV export;
2. server as in production (cache on): the trivial view, the public pages from the cache, then
   the same pages while ``bench/writer.py`` changes one place per second.

Database: DATABASE_URL when set, else bench/bench-<places>.sqlite3 (kept between runs: seeding
is skipped when it already holds the demo places). Prints the table and writes it as JSON
under bench/results/. ``--compare`` judges two such results (10,000 then 100,000 places).
See bench/README.md.
"""

import argparse
import contextlib
import datetime
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import loadgen, report  # noqa: E402
from bench._server import free_port, manage, prepare  # noqa: E402

PLACES = 10_000
CONNECTIONS = {"admin": 4, "export": 1}  # realistic number of coordinators; one download
DEFAULT_CONNECTIONS = 20
DURATION_S = 5
WORKERS = 2
PYTHON = sys.executable
BIN = Path(sys.executable).parent


def environment(places):
    env = dict(os.environ)
    env.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'bench' / f'bench-{places}.sqlite3'}")
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
    env.pop("BENCH_PUBLIC_PAGE_CACHE", None)
    if "REDIS_URL" not in env and _answers("127.0.0.1", 6379):
        # As in production with several processes: one cache shared by the gunicorn workers
        # and the writer, so that the writer's changes invalidate the servers' pages.
        env["REDIS_URL"] = "redis://127.0.0.1:6379/15"
    return env


def _answers(host, port):
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


def get(url, cookie=None):
    """Time one request, in ms; the status is checked by the load test, not here."""
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            response.read()
    except urllib.error.HTTPError as error:
        error.read()
    return (time.perf_counter() - started) * 1000


def warm_up(url, cookie=None, concurrent=4):
    """A few concurrent requests, so that each gunicorn worker has served the page once."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(concurrent) as pool:
        list(pool.map(lambda _: get(url, cookie), range(concurrent)))


def probe(env, *args, stdin=None):
    done = subprocess.run(
        [PYTHON, str(ROOT / "bench" / "probe.py"), *args],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
        input=stdin,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


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


@contextlib.contextmanager
def server(env):
    """gunicorn (production settings + /bench/trivial) on a free loopback port; yields its URL."""
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
            yield base
        finally:
            gunicorn.terminate()
            gunicorn.wait(timeout=30)


@contextlib.contextmanager
def writer(env):
    """bench/writer.py in the background; yields a dict filled with its summary at the end."""
    process = subprocess.Popen(
        [PYTHON, str(ROOT / "bench" / "writer.py"), "--interval", "1"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    result = {}
    try:
        time.sleep(1.5)  # its first change is made and seen before the first measure
        yield result
    finally:
        process.send_signal(signal.SIGTERM)
        out, _err = process.communicate(timeout=120)
        lines = out.strip().splitlines()
        result.update(json.loads(lines[-1]) if lines else {"error": "no summary"})


def wrk_path():
    return shutil.which("wrk") or ("/usr/bin/wrk" if Path("/usr/bin/wrk").exists() else None)


def measure(url, connections, duration, cookie=None):
    wrk = wrk_path()
    if wrk:
        command = [wrk, "-t1", f"-c{connections}", f"-d{duration}s", "--timeout", "30s"]
        if cookie:
            command += ["-H", f"Cookie: {cookie}"]
        command += ["-s", str(ROOT / "bench" / "wrk_report.lua"), url]
        done = subprocess.run(command, capture_output=True, text=True, check=True)
        return report.parse_wrk(done.stdout)
    return loadgen.run(url, connections, duration, cookie=cookie)


def git_commit():
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
    except OSError:
        return ""


def pages(setup):
    """Every measured page: (group, name, path, html, user)."""
    public, member = setup["public"], setup["member"]
    search = urlencode({"q": public["commune"], "region": public["region"]})
    public_pages = [
        ("home", "/"),
        ("charter", "/charte/"),
        ("directory", "/annuaire/"),
        ("search", f"/annuaire/?{search}"),
        ("place", f"/annuaire/{public['slug']}/"),
        ("observatory", "/observatoire/"),
    ]
    space = f"/espace/{member['slug']}/"
    member_pages = [
        ("dashboard", "/espace/"),
        ("place space", space),
        ("reports", f"{space}bilans/"),
        ("report detail", f"{space}bilans/{member['detail_year']}/"),
        (
            "report section",
            f"{space}bilans/{member['draft_year']}/parties/{member['section_position']}/",
        ),
    ]
    admin_search = urlencode({"q": member["commune"], "status__exact": "member"})
    admin_pages = [
        ("admin dashboard", "/admin/"),
        ("admin places", "/admin/members/place/"),
        ("admin places ?q&f", f"/admin/members/place/?{admin_search}"),
        ("admin reports", "/admin/members/report/"),
        ("admin place", f"/admin/members/place/{member['place_pk']}/change/"),
        ("admin review", f"/admin/members/report/{setup['submitted_report_pk']}/relecture/"),
    ]
    rows = [("trivial", "trivial", "/bench/trivial", False, None)]
    rows += [("uncached", name, path, True, None) for name, path in public_pages]
    rows += [("member", name, path, True, "representative") for name, path in member_pages]
    for user in ("national", "territorial"):
        rows += [("admin", name, path, True, user) for name, path in admin_pages]
    rows += [("export", "export.csv", "/annuaire/export.csv", False, None)]
    rows += [("trivial", "trivial", "/bench/trivial", False, None)]
    rows += [("cached", name, path, True, None) for name, path in public_pages]
    rows += [("writes", name, path, True, None) for name, path in public_pages]
    # The first half runs on the server without the public-page cache, the second with it.
    half = 1 + len(public_pages) + len(member_pages) + 2 * len(admin_pages) + 1
    return [
        {
            "group": group,
            "name": name,
            "path": path,
            "html": html,
            "user": user,
            "server": "uncached" if i < half else "cached",
            "connections": CONNECTIONS.get(group, DEFAULT_CONNECTIONS),
        }
        for i, (group, name, path, html, user) in enumerate(rows)
    ]


def count_queries(env, env_uncached, rows):
    """SQL queries per request, counted in-process on the same settings as each row's server."""
    counted = {}
    for server_env, server_name in ((env_uncached, "uncached"), (env, "cached")):
        wanted = [
            {"path": r["path"], "user": r["user"]}
            for r in rows
            if r["server"] == server_name and r["group"] != "writes"
        ]
        counted[server_name] = probe(server_env, "queries", stdin=json.dumps(wanted))
    for row in rows:
        # While the writer runs, a request is a hit or a miss: show the miss's (the work).
        server_name = "uncached" if row["group"] == "writes" else row["server"]
        found = counted[server_name].get(f"{row['user'] or ''} {row['path']}", {})
        row["queries"] = found.get("queries")
        row["status_in_process"] = found.get("status")


def settle(base, backlog_s=0.0, timeout=120):
    """Wait until the server has drained what the previous load left queued: wrk stops with
    its connections' requests still waiting in gunicorn's backlog, and the workers serve them
    anyway. Sleep the estimated drain time, then until the trivial view answers at once on
    every worker, twice in a row; otherwise the next page's first request would queue behind."""
    from concurrent.futures import ThreadPoolExecutor

    time.sleep(min(backlog_s, timeout))
    deadline = time.monotonic() + timeout
    quick = 0
    with ThreadPoolExecutor(WORKERS) as pool:
        while quick < 2 and time.monotonic() < deadline:
            times = list(pool.map(lambda _: get(base + "/bench/trivial"), range(WORKERS)))
            quick = quick + 1 if max(times) < 50 else 0
            time.sleep(0.1)


def run_rows(base, rows, cookies, duration, cold=True):
    backlog_s = 0.0
    for row in rows:
        settle(base, backlog_s)
        url = base + row["path"]
        cookie = f"sessionid={cookies[row['user']]}" if row["user"] else None
        if row["group"] == "trivial":
            measure(url, row["connections"], 1)  # a fresh server: let it settle first
        row["first_request_ms"] = round(get(url, cookie), 1) if cold else None
        if cold:
            warm_up(url, cookie, concurrent=min(4, row["connections"] * WORKERS))
        label = f"{row['group']:<9} {row['name']:<18} {row['user'] or '':<14} {row['path']}"
        print(f"  {label}", end="", flush=True)
        row.update(measure(url, row["connections"], duration, cookie))
        rps = row["requests"] / row["duration_s"] if row["duration_s"] else 0
        backlog_s = row["connections"] / rps if rps else 30.0
        first = (
            "" if row["first_request_ms"] is None else f", first {row['first_request_ms']:.0f} ms"
        )
        print(f"  → {row['requests'] / row['duration_s']:.1f} req/s{first}", flush=True)


def seed(env, places, force):
    """Seed the demo network unless it is there already; returns the seconds it took, or None."""
    state = probe(env, "count")
    if state["places"] == places and not force:
        print(f"{places} lieux de démonstration déjà présents : réutilisés.", flush=True)
        # As after any migrate of a live database (README, Summary rows): the summary rows
        # as this version of the code counts them.
        manage(env, "rebuild_stats")
        return state, None
    print(f"Génération de {places} lieux (réutilisés ensuite)…", flush=True)
    started = time.perf_counter()
    manage(env, "seed_demo", "--places", str(places), "--reset")
    seconds = time.perf_counter() - started
    probe(env, "vacuum")  # not counted in the seed time: autovacuum's work on a live database
    print(
        f"seed_demo : {seconds:.1f} s pour {places} lieux "
        f"(≈ {seconds * 100_000 / places / 60:.1f} min pour 100 000 si linéaire).",
        flush=True,
    )
    return probe(env, "count"), round(seconds, 1)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--places", type=int, default=int(os.environ.get("PLACES") or PLACES))
    parser.add_argument("--duration", type=int, default=DURATION_S, help="seconds per page")
    parser.add_argument("--reseed", action="store_true", help="seed even if the data is there")
    parser.add_argument("--compare", nargs=2, metavar="JSON", help="compare two results")
    args = parser.parse_args(argv)
    if args.compare:
        return compare(*args.compare)

    env = environment(args.places)
    print(f"Base de données : {env['DATABASE_URL'].split('@')[-1]}", flush=True)
    prepare(env)
    state, seed_seconds = seed(env, args.places, args.reseed)
    if env.get("REDIS_URL"):
        print(f"Cache partagé : {env['REDIS_URL']} (vidé)", flush=True)
        manage(env, "shell", "-v0", "-c", "from django.core.cache import cache; cache.clear()")
    else:
        print("Pas de Redis : les changements du writer ne seront pas vus par le serveur.")

    setup = probe(env, "setup")
    rows = pages(setup)
    env_uncached = {**env, "BENCH_PUBLIC_PAGE_CACHE": "off"}
    count_queries(env, env_uncached, rows)
    cookies = setup["cookies"]

    print("Serveur sans cache des pages publiques :", flush=True)
    with server(env_uncached) as base:
        run_rows(base, [r for r in rows if r["server"] == "uncached"], cookies, args.duration)
    print("Serveur comme en production (cache des pages publiques) :", flush=True)
    with server(env) as base:
        cached = [r for r in rows if r["server"] == "cached" and r["group"] != "writes"]
        run_rows(base, cached, cookies, args.duration)
        print("  … pendant qu'un lieu change chaque seconde :", flush=True)
        with writer(env) as written:
            writes = [r for r in rows if r["group"] == "writes"]
            run_rows(base, writes, cookies, args.duration, cold=False)
    # Redis or, without it, the database cache: shared by the servers and the writer either way.
    if written.get("new_generations", 0) < written.get("writes", 1):
        for row in rows:
            if row["group"] == "writes":
                row["invalid"] = "the server did not see every change (no shared cache?)"

    report.evaluate(rows)
    print()
    print(report.format_table(rows))
    print(
        f"\nWriter: {written.get('writes')} changes, each saved in "
        f"{written.get('write_p50_ms')} ms (p50), {written.get('new_generations')} new cache "
        "generations."
    )
    results = {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "commit": git_commit(),
        "database": state["vendor"],
        "places": state["places"],
        "seed_s": seed_seconds,
        "load_generator": "wrk" if wrk_path() else "python",
        "duration_s": args.duration,
        "gunicorn_workers": WORKERS,
        "cpus": os.cpu_count(),
        "shared_cache": bool(env.get("REDIS_URL")),
        "writer": written,
        "users": setup["users"],
        "targets": {**report.TARGETS, "errors_max": report.TARGET_ERRORS},
        "all_met": not any(row["misses"] for row in rows),
        "pages": rows,
    }
    out = (
        ROOT
        / "bench"
        / "results"
        / f"{datetime.datetime.now():%Y%m%d-%H%M%S}-{state['vendor']}-{state['places']}.json"
    )
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\nRésultats : {out.relative_to(ROOT)}")
    return 0 if results["all_met"] else 1


def compare(small_path, large_path):
    small, large = (
        json.loads(Path(p).read_text(encoding="utf-8")) for p in (small_path, large_path)
    )
    compared = report.compare(small, large)
    print(report.format_comparison(small, large, compared))
    return 0 if compared and not any(item["misses"] for item in compared) else 1


if __name__ == "__main__":
    sys.exit(main())
