"""The summary rows read by the dashboard, the home page and the observatory.

``retally(places=…, departements=…)`` rewrites, in the caller's transaction, every summary row
of the départements concerned (and ``Report.is_published`` of their reports): the services
call it for each change these figures show (a report's status or publication, a place's
status, a signature), and a place saved with another département, status or visibility calls
it through ``Place``'s post-save signal (``members.apps``). A département holds about 1 % of
the network: a write costs a few small grouped queries, whatever the size of the network.

``rebuild()`` (``manage.py rebuild_stats``, daily and after a charter version is published)
rewrites everything from scratch, with the same queries over the whole network: it catches
what time alone changes (a signature lapsing at the end of a grace period). A test applies
changes through the services and checks that the rows equal a rebuild.
"""

from django.db import connection, transaction
from django.db.models import Count, Exists, OuterRef, Q, Sum, Value

from members.models import (
    Answer,
    IndicatorTally,
    IndicatorValue,
    LevelTally,
    Place,
    PlaceTally,
    Report,
    ReportTally,
    Signature,
    SignaturePolicy,
)

SENT = [Report.Status.SUBMITTED, Report.Status.CHANGES_REQUESTED, Report.Status.APPROVED]
TALLIES = (PlaceTally, ReportTally, LevelTally, IndicatorTally)
BATCH = 2000


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
    rows = (
        places.with_signature_state(policy)
        .annotate(signed_current=signed_current)
        .values("departement", "region", "status", "is_public", "signature_state", "signed_current")
        .annotate(n=Count("pk"))
        .order_by()
    )
    PlaceTally.objects.bulk_create(
        (
            PlaceTally(
                departement=row["departement"],
                region=row["region"],
                status=row["status"],
                is_public=row["is_public"],
                signature_state=row["signature_state"],
                signed_current=bool(row["signed_current"]),
                places=row["n"],
            )
            for row in rows
        ),
        batch_size=BATCH,
    )
    rows = (
        reports.filter(status__in=SENT)  # drafts change at every save: counted live
        .values("campaign_id", "place__departement", "place__region", "place__status", "status")
        .annotate(n=Count("pk"), published=Count("pk", filter=Q(is_published=True)))
        .order_by()
    )
    report_rows = []
    for row in rows:
        code = row["place__departement"]
        for is_published, n in ((True, row["published"]), (False, row["n"] - row["published"])):
            if n:
                report_rows.append(
                    ReportTally(
                        campaign_id=row["campaign_id"],
                        departement=code,
                        region=row["place__region"],
                        place_status=row["place__status"],
                        status=row["status"],
                        is_published=is_published,
                        reports=n,
                    )
                )
    ReportTally.objects.bulk_create(report_rows, batch_size=BATCH)
    rows = (
        where(Answer.objects.filter(report__status__in=SENT), "report__place__")
        .exclude(level="")
        .values(
            "report__campaign_id",
            "report__place__departement",
            "report__place__region",
            "commitment__key",
            "level",
        )
        .annotate(sent=Count("pk"), published=Count("pk", filter=Q(report__is_published=True)))
        .order_by()
    )
    LevelTally.objects.bulk_create(
        (
            LevelTally(
                campaign_id=row["report__campaign_id"],
                departement=row["report__place__departement"],
                region=row["report__place__region"],
                commitment_key=row["commitment__key"],
                level=row["level"],
                sent=row["sent"],
                published=row["published"],
            )
            for row in rows
        ),
        batch_size=BATCH,
    )
    rows = (
        where(IndicatorValue.objects.filter(report__is_published=True), "report__place__")
        .values(
            "report__campaign_id",
            "report__place__departement",
            "report__place__region",
            "indicator_id",
        )
        .annotate(n=Count("pk"), total=Sum("value"))
        .order_by()
    )
    IndicatorTally.objects.bulk_create(
        (
            IndicatorTally(
                campaign_id=row["report__campaign_id"],
                departement=row["report__place__departement"],
                region=row["report__place__region"],
                indicator_id=row["indicator_id"],
                answers=row["n"],
                total=row["total"],
            )
            for row in rows
        ),
        batch_size=BATCH,
    )


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


@transaction.atomic
def rebuild(policy=None):
    """Rewrite every summary row from scratch (idempotent)."""
    _lock(None)
    _write(None, policy or SignaturePolicy())


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
