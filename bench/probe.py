"""In-process half of ``make bench``: run with DJANGO_SETTINGS_MODULE=bench.settings.

``python bench/probe.py count``: prints the number of demo places and the database vendor.
``python bench/probe.py setup``: creates (idempotently) the two coordinators the admin pages are
measured with, picks the sample objects behind the measured URLs, opens one session for each
signed-in role, and prints all of it as JSON.
``python bench/probe.py queries``: reads ``[{"path": …, "user": role or null}, …]`` as JSON on
stdin and prints, as JSON, the status and the number of SQL queries of each page, counted on a
second (warm) request with the test client signed in as that role. Run it with
``BENCH_PUBLIC_PAGE_CACHE=off`` to count the work of an uncached public page.
"""

import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import Group  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from members import territory  # noqa: E402
from members.demo.builder import demo_places  # noqa: E402
from members.models import CoordinatorScope, Membership, Place, Report, User  # noqa: E402
from members.services import reports as report_services  # noqa: E402

# The coordinators the admin pages are measured with (created by ``setup``; not demo rows, so
# ``seed_demo --reset`` keeps them).
NATIONAL_EMAIL = "bench-coordination-nationale@bench.example.org"
TERRITORIAL_EMAIL = "bench-coordination-territoriale@bench.example.org"


def public_sample():
    """A listed place with approved reports, for the profile and the filtered directory."""
    place = (
        Place.objects.listed()
        .filter(reports__status=Report.Status.APPROVED)
        .order_by("pk")
        .values("slug", "commune", "region")
        .first()
    ) or {"slug": "introuvable", "commune": "Lyon", "region": "84"}
    return place


def member_sample():
    """A member place with a representative, a report being written (for the section page) and,
    preferably, an approved report (for the detail page, the longest one)."""
    drafts = Report.objects.filter(
        status__in=report_services.EDITABLE,
        place__status=Place.Status.MEMBER,
        place__memberships__role=Membership.Role.REPRESENTATIVE,
    ).select_related("place", "campaign", "version")
    with_approved = drafts.filter(
        place__in=Place.objects.filter(reports__status=Report.Status.APPROVED)
    )
    draft = with_approved.order_by("place_id").first() or drafts.order_by("place_id").first()
    if draft is None:
        raise SystemExit("No member place has a report being written: seed_demo first.")
    place = draft.place
    approved = (
        place.reports.filter(status=Report.Status.APPROVED).order_by("-campaign__year").first()
    )
    section = draft.version.sections.order_by("position", "pk").first()
    representative = (
        Membership.objects.filter(place=place, role=Membership.Role.REPRESENTATIVE)
        .select_related("user")
        .order_by("pk")
        .first()
        .user
    )
    return {
        "place_pk": place.pk,
        "slug": place.slug,
        "commune": place.commune,
        "region": place.region,
        "draft_year": draft.campaign.year,
        "detail_year": (approved or draft).campaign.year,
        "section_position": section.position,
        "representative": representative,
    }


def submitted_report(region):
    """A submitted report in ``region`` (the territorial coordinator's), latest campaign first."""
    report = (
        Report.objects.filter(status=Report.Status.SUBMITTED, place__region=region)
        .order_by("-campaign__year", "pk")
        .first()
    ) or Report.objects.filter(status=Report.Status.SUBMITTED).order_by("pk").first()
    return report.pk if report else None


@transaction.atomic
def coordinators(region):
    """The national and the territorial coordinator (scope: ``region``), created or reset."""
    territory.sync_groups()
    made = {}
    for key, email, group in (
        ("national", NATIONAL_EMAIL, territory.NATIONAL_GROUP),
        ("territorial", TERRITORIAL_EMAIL, territory.TERRITORIAL_GROUP),
    ):
        user, created = User.objects.update_or_create(
            email=email,
            defaults={"is_staff": True, "is_superuser": False, "is_active": True},
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        user.groups.set([Group.objects.get(name=group)])
        second_factor(user)
        made[key] = user
    CoordinatorScope.objects.update_or_create(
        user=made["territorial"], defaults={"regions": [region], "departements": []}
    )
    return made


def second_factor(user):
    """The admin requires a second factor of staff (``core/second_factor.py``): an authenticator
    app, as ``tests/factories.py`` gives coordinators, so the bench measures the real admin and
    not the redirect to the page that sets one up."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.utils import encrypt

    Authenticator.objects.get_or_create(
        user=user,
        type=Authenticator.Type.TOTP,
        defaults={"data": {"secret": encrypt("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")}},
    )


def session_cookie(user):
    """A fresh signed-in session for ``user``, as the session middleware stores it."""
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


def users_by_role():
    member = member_sample()
    return {
        "representative": member["representative"],
        "national": User.objects.get(email=NATIONAL_EMAIL),
        "territorial": User.objects.get(email=TERRITORIAL_EMAIL),
    }


def setup():
    member = member_sample()
    users = {"representative": member.pop("representative")}
    users.update(coordinators(member["region"]))
    return {
        "public": public_sample(),
        "member": member,
        "submitted_report_pk": submitted_report(member["region"]),
        "users": {role: user.email for role, user in users.items()},
        "cookies": {role: session_cookie(user) for role, user in users.items()},
    }


def queries(pages):
    users = users_by_role()
    clients = {}
    result = {}
    for page in pages:
        role = page.get("user")
        if role not in clients:
            clients[role] = Client(headers={"host": "127.0.0.1"})
            if role:
                clients[role].force_login(users[role])
        client = clients[role]
        path = page["path"]
        client.get(path)  # warm the process's caches, as the load test would
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
            if hasattr(response, "streaming_content"):
                b"".join(response.streaming_content)
        result[f"{role or ''} {path}"] = {"status": response.status_code, "queries": len(captured)}
    return result


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    if command == "count":
        print(json.dumps({"places": demo_places().count(), "vendor": connection.vendor}))
    elif command == "vacuum":
        # What autovacuum does minutes after a bulk load, done now: the visibility map that
        # index-only scans (the directory's count) rely on, and fresh statistics.
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
        print(json.dumps({"vacuumed": connection.vendor == "postgresql"}))
    elif command == "setup":
        print(json.dumps(setup()))
    elif command == "queries":
        print(json.dumps(queries(json.load(sys.stdin))))
    else:
        raise SystemExit(f"unknown command {command!r}")
