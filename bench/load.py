"""Load test: 50 simulated users for 60 s against gunicorn + PostgreSQL, on loopback.

    .venv/bin/python bench/load.py [--users 50] [--duration 60] [--database-url postgres://…]

Creates the database if missing, migrates it and seeds a small network (200 signed places;
25 of them with a draft report and two editors each, so that saves collide). Then 50 threads,
each a person with their own loopback address (127.0.0.x, so allauth's per-IP login limit
sees 50 people, as in real life), mix public browsing, logins and report drafting. A save
posts the section form with the CSRF token and each answer's revision as the page was read;
a conflict (someone saved the same answer meanwhile) saves the rest, and the person reads both
versions and saves again.

At the end it prints its targets and whether each is met (``TARGETS``): 50 people for 60 s on
2 cores, zero 5xx, every save accounted for — the number of successful saves counted by the
clients must equal the number of revisions the reports gained in the database — and a p99
under 1 s for every kind of request, except the login's password check (its hashing is slow
on purpose), reported apart.
Standard library only on the client side (http.client), no extra dependency.
"""

import argparse
import collections
import http.client
import os
import random
import re
import statistics
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench import _server  # noqa: E402

DEFAULT_DATABASE_URL = "postgres://lcp:lcp@127.0.0.1:5432/lcp_load"
PASSWORD = "charge-de-test-2026"
PLACES = 200
REPORT_PLACES = 25  # two editors each: 50 users
YEAR = 2026
RAMP_UP = 30  # seconds over which the people arrive (and log in)
# People, not scripts: a person reads a page before the next click, and types before saving.
# (Until December 2026 this test waited 0.05–0.3 s: 50 scripts firing 5 requests a second
# each, about ten times what 50 people at work send.)
THINK = (1.0, 4.0)  # seconds between two actions
TYPING = (2.0, 6.0)  # seconds between reading a section and saving it

CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
REVISION_RE = re.compile(r'name="(a\d+)-revision" value="(\d+)"')
ANSWER_RE = re.compile(r'name="(a\d+)-narrative"')


# --- Database: created, migrated, seeded through the ORM ------------------------------------


def setup_django(database_url):
    os.environ["DJANGO_SETTINGS_MODULE"] = "lcp_network.settings.base"
    os.environ["DATABASE_URL"] = database_url
    import django

    django.setup()


def seed():
    """A small network, created once (safe to re-run): returns the users' e-mails and slugs."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth.hashers import make_password

    from members.models import Indicator, Membership, Place, ReportingCampaign, User
    from members.services import reports as report_services
    from tests import factories

    campaign = ReportingCampaign.objects.filter(year=YEAR).first()
    if campaign is None:
        campaign = factories.CampaignFactory(year=YEAR)
        campaign.indicators.set(Indicator.objects.all())
    if not Place.objects.filter(slug__startswith="charge-").exists():
        print(f"seeding {PLACES} places …", flush=True)
        password = make_password(PASSWORD)  # hashed once, shared: seeding stays fast
        for i in range(PLACES):
            place = factories.MemberPlaceFactory(
                slug=f"charge-{i:04d}",
                name=f"Lieu de charge {i}",
                rna=f"W{900000000 + i:09d}",
                siret=factories.siret_with_luhn(9_000_000 + i),
                is_public=True,
            )
            factories.SignatureFactory(place=place)
            if i >= REPORT_PLACES:
                continue
            editors = []
            for j in range(2):
                user = User.objects.create(
                    email=f"charge-{i:04d}-{j}@example.org", password=password
                )
                EmailAddress.objects.create(
                    user=user, email=user.email, verified=True, primary=True
                )
                Membership.objects.create(user=user, place=place, role=Membership.Role.EDITOR)
                editors.append(user)
            report_services.create_report(place=place, campaign=campaign, by=editors[0])
    users = [
        (m.user.email, m.place.slug)
        for m in Membership.objects.filter(place__slug__startswith="charge-")
        .select_related("user", "place")
        .order_by("place__slug", "user__email")
    ]
    slugs = list(Place.objects.filter(slug__startswith="charge-").values_list("slug", flat=True))
    return users, slugs


def revision_total():
    from django.db import connections

    from members.models import Report

    total = sum(
        Report.objects.filter(place__slug__startswith="charge-", campaign__year=YEAR).values_list(
            "revision", flat=True
        )
    )
    connections.close_all()
    return total


# --- The simulated people -------------------------------------------------------------------


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.latencies = collections.defaultdict(list)
        self.statuses = collections.defaultdict(collections.Counter)
        self.saves = 0
        self.conflicts = 0
        self.refused = 0  # neither saved nor a conflict: a validation error
        self.server_errors = []

    def record(self, kind, status, seconds, path):
        with self.lock:
            self.latencies[kind].append(seconds)
            self.statuses[kind][status] += 1
            if status >= 500:
                self.server_errors.append((kind, status, path))


class Person:
    """One browser: its own loopback address, keep-alive connection and cookies."""

    def __init__(self, port, address, email, slug, slugs, stats, rng):
        self.port, self.address = port, address
        self.email, self.slug, self.slugs = email, slug, slugs
        self.stats, self.rng = stats, rng
        self.cookies = {}
        self.conn = None

    def request(self, kind, method, path, form=None):
        headers = {
            # As behind a TLS proxy: production settings (secure cookies, strict CSRF referer).
            "X-Forwarded-Proto": "https",
            "Referer": f"https://127.0.0.1:{self.port}{path}",
            "Accept-Language": "fr",
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in range(2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(
                    "127.0.0.1", self.port, timeout=60, source_address=(self.address, 0)
                )
            started = time.perf_counter()
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                content = response.read()
            except (http.client.HTTPException, OSError):
                self.conn.close()
                self.conn = None
                if attempt:
                    self.stats.record(kind, 599, time.perf_counter() - started, path)
                    return 599, {}, ""
                continue
            break
        elapsed = time.perf_counter() - started
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            value = rest.split(";", 1)[0]
            if "expires=Thu, 01 Jan 1970" in header or value in ('""', ""):
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value
        self.stats.record(kind, response.status, elapsed, path)
        return response.status, response.headers, content.decode("utf-8", "replace")

    def browse(self):
        path = self.rng.choice(
            ["/", "/charte/", "/annuaire/", "/annuaire/?q=charge", "/observatoire/"]
            + [f"/annuaire/{self.rng.choice(self.slugs)}/"] * 3
            + ["/annuaire/export.json", "/annuaire/export.geojson", "/annuaire/export.csv"]
        )
        kind = "export" if "export" in path else "browse"
        self.request(kind, "GET", path)

    def login(self):
        self.cookies.clear()
        status, _, html = self.request("login", "GET", "/accounts/login/")
        token = CSRF_RE.search(html)
        if not token:
            return False
        status, headers, _ = self.request(
            "password",  # the password check (deliberately slow hashing): reported apart
            "POST",
            "/accounts/login/",
            {"csrfmiddlewaretoken": token.group(1), "login": self.email, "password": PASSWORD},
        )
        return status == 302 and "/accounts/login" not in headers.get("Location", "")

    def draft_and_save(self):
        section = self.rng.randint(1, 3)
        path = f"/espace/{self.slug}/bilans/{YEAR}/parties/{section}/"
        for _ in range(5):  # on a conflict: read again, retry
            status, _, html = self.request("draft", "GET", path)
            if status != 200:
                return
            token = CSRF_RE.search(html)
            prefixes = sorted(set(ANSWER_RE.findall(html)))
            form = {"csrfmiddlewaretoken": token.group(1)}
            for prefix, revision in REVISION_RE.findall(html):
                form[f"{prefix}-revision"] = revision
            for prefix in prefixes:
                form[f"{prefix}-level"] = str(self.rng.randint(0, 4))
                form[f"{prefix}-narrative"] = f"Récit de {self.email}, {time.time():.3f}."
                form[f"{prefix}-actions"] = "Atelier hebdomadaire\nRepas partagé"
            time.sleep(self.rng.uniform(*TYPING))
            status, _, page = self.request("save", "POST", path, form)
            if status == 302:
                with self.stats.lock:
                    self.stats.saves += 1
                return
            if status == 200 and 'class="alert alert-danger conflict"' in page:
                # Someone saved the same answers meanwhile: the others were saved (the report
                # gained a revision); the person reads both versions and saves again.
                with self.stats.lock:
                    self.stats.saves += 1
                    self.stats.conflicts += 1
                continue
            with self.stats.lock:
                self.stats.refused += 1
            return

    def run(self, until, ramp_up):
        time.sleep(ramp_up)  # people arrive over the first seconds, not all at once
        self.login()
        while time.monotonic() < until:
            roll = self.rng.random()
            if roll < 0.45:
                self.browse()
            elif roll < 0.98:
                self.draft_and_save()
            else:
                self.login()
            time.sleep(self.rng.uniform(*THINK))
        if self.conn:
            self.conn.close()


# --- Report -----------------------------------------------------------------------------------


# What the run must show (issue #19), printed with a verdict for each.
TARGETS = {"users": 50, "duration": 60, "cores": 2, "p99_seconds": 1.0}
KINDS = ("browse", "export", "login", "draft", "save")  # held to the p99 target
APART = ("password",)  # the login's password hashing: reported, no latency target


def percentile(values, q):
    if not values:
        return 0.0
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def summary(stats, duration):
    print(f"\n{'kind':<8} {'requests':>9} {'rps':>7} {'p50 ms':>8} {'p99 ms':>8}  statuses")
    total = 0
    for kind in KINDS + APART:
        values = stats.latencies.get(kind, [])
        total += len(values)
        codes = " ".join(f"{code}×{n}" for code, n in sorted(stats.statuses[kind].items()))
        print(
            f"{kind:<8} {len(values):>9} {len(values) / duration:>7.1f} "
            f"{percentile(values, 50) * 1000:>8.0f} {percentile(values, 99) * 1000:>8.0f}  {codes}"
        )
    print(f"{'total':<8} {total:>9} {total / duration:>7.1f}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=float, default=60)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    args = parser.parse_args()

    env = _server.production_env(args.database_url)
    _server.prepare(env)
    setup_django(args.database_url)
    users, slugs = seed()
    if len(users) < args.users:
        sys.exit(f"only {len(users)} seeded users for {args.users} simulated people")
    revisions_before = revision_total()

    port = _server.free_port()
    log_path = _server.ROOT / "var" / "load-gunicorn.log"
    with open(log_path, "w") as log:
        server = _server.start_gunicorn(env, port, workers=args.workers, log=log)
        try:
            stats = Stats()
            until = time.monotonic() + args.duration
            people = [
                Person(port, f"127.0.0.{10 + i}", email, slug, slugs, stats, random.Random(i))
                for i, (email, slug) in enumerate(users[: args.users])
            ]
            threads = [
                threading.Thread(target=p.run, args=(until, i * RAMP_UP / len(people)))
                for i, p in enumerate(people)
            ]
            started = time.monotonic()
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            elapsed = time.monotonic() - started
        finally:
            _server.stop(server)

    saved = revision_total() - revisions_before
    print(f"\n{args.users} users, {elapsed:.0f} s, gunicorn {args.workers} workers × 8 threads")
    summary(stats, elapsed)
    errors_5xx = len(stats.server_errors)
    print(f"\n5xx responses (599: no answer within 60 s): {errors_5xx}")
    for kind, status, path in stats.server_errors[:10]:
        print(f"  {status} {kind} {path}")
    print(f"conflicts (re-read and retried): {stats.conflicts}")
    print(f"saves refused by validation: {stats.refused}")
    print(f"successful saves counted by the clients: {stats.saves}")
    print(f"revisions gained by the reports in the database: {saved}")
    ok = verdicts(args, elapsed, stats, saved)
    print("PASS: every target met" if ok else "FAIL", f"(gunicorn log: {log_path})")
    sys.exit(0 if ok else 1)


def verdicts(args, elapsed, stats, saved):
    """Print each target, what the run measured and whether it is met; True if all are."""
    limit = TARGETS["p99_seconds"] * 1000
    cores = os.cpu_count()
    rows = [
        (
            f"{TARGETS['users']} people for {TARGETS['duration']} s",
            f"{args.users} people, {elapsed:.0f} s",
            args.users >= TARGETS["users"] and elapsed >= TARGETS["duration"] - 1,
        ),
        (
            f"on {TARGETS['cores']} cores",
            f"{cores} cores",
            cores is not None and cores <= TARGETS["cores"],
        ),
        ("zero 5xx", f"{len(stats.server_errors)}", not stats.server_errors),
        (
            "every save accounted for",
            f"{stats.saves} counted, {saved} in the database",
            saved == stats.saves and stats.saves > 0,
        ),
    ]
    for kind in KINDS:
        p99 = percentile(stats.latencies.get(kind, []), 99) * 1000
        rows.append((f"p99 {kind} < {limit:.0f} ms", f"{p99:.0f} ms", p99 < limit))
    print(f"\n{'target':<32} {'measured':<34} verdict")
    for target, measured, met in rows:
        print(f"{target:<32} {measured:<34} {'met' if met else 'NOT MET'}")
    for kind in APART:
        values = stats.latencies.get(kind, [])
        print(
            f"{'(apart) login password check':<32} "
            f"p50 {percentile(values, 50) * 1000:.0f} ms, p99 {percentile(values, 99) * 1000:.0f} ms"
            f"{'':<6} no target: hashing is slow on purpose"
        )
    return all(met for _, _, met in rows)


if __name__ == "__main__":
    main()
