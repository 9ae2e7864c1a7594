"""The summary rows read by the dashboard, the home page and the observatory.

``retally(places=…, departements=…)`` rewrites, in the caller's transaction, every summary row
of the départements concerned (and ``Report.is_published`` of their reports): the services
call it for each change these figures show (a report's status or publication, a place's
status, a signature), and a place saved with another département, status or visibility, a
report, a signature or an extension created or deleted, a team member added, changed or removed
call it through the models' signals (``members.apps``); a campaign created or with new dates
rewrites its due dates everywhere (``retally_campaign``). A département holds about 1 % of
the network: a write costs a few small grouped queries, whatever the size of the network.

``rebuild()`` (``manage.py rebuild_stats``, daily and after a charter version is published)
rewrites everything from scratch, with the same queries over the whole network: it catches
what time alone changes (a signature lapsing at the end of a grace period). A test applies
changes through the services and checks that the rows equal a rebuild.
"""

from collections import defaultdict

from django.db import connection, transaction
from django.db.models import Count, Exists, F, OuterRef, Q, Sum, Value
from django.utils import timezone

from core import cache
from members.models import (
    Answer,
    DueTally,
    Extension,
    IndicatorTally,
    IndicatorValue,
    LevelTally,
    Membership,
    Place,
    PlaceTally,
    Report,
    ReportingCampaign,
    ReportTally,
    Signature,
    SignaturePolicy,
)

SENT = Report.SENT
TALLIES = (PlaceTally, ReportTally, LevelTally, IndicatorTally, DueTally)
BATCH = 2000
VERSION = "tallies"  # renewed by every write: the key of what is made of the rows


def _lock(departements):
    """PostgreSQL: one writer per département at a time, none during a rebuild (SQLite has one
    writer at a time anyway)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        if departements is None:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext('lcp-tallies'))")
            return
        cursor.execute("SELECT pg_advisory_xact_lock_shared(hashtext('lcp-tallies'))")
        for code in sorted(departements):
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"lcp-tally:{code}"])


def _write(departements, policy):
    """Rewrite the rows of ``departements`` (every département when None)."""

    def where(queryset, place_path):
        if departements is None:
            return queryset
        return queryset.filter(**{f"{place_path}departement__in": departements})

    places = where(Place.objects.all(), "")
    reports = where(Report.objects.all(), "place__")
    for model in TALLIES:
        where(model.objects.all(), "").delete()

    published = Q(
        status=Report.Status.APPROVED,
        publish=True,
        place__in=Place.objects.listed(policy).values("pk"),
    )
    reports.filter(is_published=True).exclude(published).update(is_published=False)
    reports.filter(published, is_published=False).update(is_published=True)

    signed_current = (
        Exists(Signature.objects.filter(place=OuterRef("pk"), version=policy.current))
        if policy.current
        else Value(False)
    )
    representative = Membership.objects.filter(
        place=OuterRef("pk"), role=Membership.Role.REPRESENTATIVE
    )
    _create(
        PlaceTally,
        places.with_signature_state(policy)
        .annotate(signed_current=signed_current, has_representative=Exists(representative))
        .values(
            "departement",
            "region",
            "status",
            "is_public",
            "signature_state",
            "signed_current",
            "has_representative",
        )
        .annotate(places=Count("pk")),
    )
    _create(
        ReportTally,
        reports.values(
            "campaign_id",
            "status",
            "is_published",
            place_status=F("place__status"),
            **_located("place__"),
        ).annotate(reports=Count("pk")),
    )
    _create(
        LevelTally,
        where(Answer.objects.filter(report__status__in=SENT), "report__place__")
        .exclude(level="")
        .values(
            "level",
            campaign_id=F("report__campaign_id"),
            commitment_key=F("commitment__key"),
            **_located("report__place__"),
        )
        .annotate(sent=Count("pk"), published=Count("pk", filter=Q(report__is_published=True))),
    )
    _create(
        IndicatorTally,
        where(IndicatorValue.objects.filter(report__is_published=True), "report__place__")
        .values("indicator_id", campaign_id=F("report__campaign_id"), **_located("report__place__"))
        .annotate(answers=Count("pk"), total=Sum("value")),
    )
    for campaign in ReportingCampaign.objects.all():
        _write_due(campaign, places)


def _write_due(campaign, places):
    """The member places of ``places`` with a due date of their own in ``campaign`` that have
    not sent their report (``DueTally``): a granted extension (2 % of the places), or approved
    since the campaign opened. Their due dates follow from stored facts, once, by the rule of
    ``place_reporting_status``; only today's date is left to the reader."""
    from members.services.reports import _due_on, granted_due_dates

    members = places.filter(status=Place.Status.MEMBER)
    extended = Extension.objects.filter(campaign=campaign, status=Extension.Status.GRANTED)
    special = list(
        members.filter(
            Q(pk__in=extended.values("place_id")) | Q(approved_at__gte=campaign.opened_at)
        )
        .order_by()
        .values_list("pk", "departement", "region", "approved_at")
    )
    pks = [row[0] for row in special]
    granted = granted_due_dates(campaign, places=pks)
    states = dict(
        Report.objects.filter(campaign=campaign, place__in=pks)
        .order_by()
        .values_list("place_id", "status")
    )
    rows = defaultdict(int)
    for pk, departement, region, approved_at in special:
        state = states.get(pk)
        if state in SENT:
            continue
        approved_on = timezone.localdate(approved_at) if approved_at else None
        due_on = _due_on(campaign, granted.get(pk), approved_on)
        not_expected = bool(approved_on and approved_on > campaign.due_on)
        rows[departement, region, state or "", due_on, not_expected] += 1
    DueTally.objects.bulk_create(
        (
            DueTally(
                campaign=campaign,
                departement=departement,
                region=region,
                report_status=state,
                due_on=due_on,
                not_expected=not_expected,
                places=count,
            )
            for (departement, region, state, due_on, not_expected), count in rows.items()
        ),
        batch_size=BATCH,
    )


def _located(place_path):
    """The département and région of the place at ``place_path``, as a summary row names them."""
    return {"departement": F(f"{place_path}departement"), "region": F(f"{place_path}region")}


def _create(model, rows):
    """One summary row per grouped row (named as the model's fields); no ordering to group by."""
    model.objects.bulk_create((model(**row) for row in rows.order_by()), batch_size=BATCH)


@transaction.atomic
def retally(*, places=(), departements=(), policy=None):
    """Rewrite the summary rows of the départements of ``places`` and of ``departements``
    (e.g. the one a place just left)."""
    codes = {place.departement for place in places} | set(departements)
    codes.discard(None)
    if not codes:
        return
    _lock(codes)
    _write(sorted(codes), policy or SignaturePolicy())
    cache.renew(VERSION)


@transaction.atomic
def retally_campaign(campaign):
    """Rewrite the due dates of ``campaign`` everywhere (``DueTally``): its dates were changed,
    or it was just created."""
    _lock(None)
    DueTally.objects.filter(campaign=campaign).delete()
    _write_due(campaign, Place.objects.all())
    cache.renew(VERSION)


@transaction.atomic
def rebuild(policy=None):
    """Rewrite every summary row from scratch (idempotent)."""
    _lock(None)
    _write(None, policy or SignaturePolicy())
    cache.renew(VERSION)


def snapshot():
    """Every summary row as comparable tuples (the test compares a retallied state with a
    rebuild)."""
    result = {}
    for model in TALLIES:
        fields = [f.attname for f in model._meta.concrete_fields if f.name != "id"]
        result[model.__name__] = sorted(model.objects.values_list(*fields))
    result["published reports"] = sorted(
        Report.objects.filter(is_published=True).values_list("pk", flat=True)
    )
    return result
