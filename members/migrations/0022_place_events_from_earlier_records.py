"""A history for the places that lived before ``PlaceEvent``: one event per earlier record.

The history page reads ``PlaceEvent`` alone (one paginated query) rather than merging five
sources at reading time (transitions of places and reports, signatures, invitations and
simple-history's profile versions, each with its own pagination problem): so every record
that already tells an event becomes one, once, here. Events are append-only (the database
refuses to delete them), so the reverse does nothing: unapplying 0020 drops the table.
What was never recorded (memberships changed before this, coordinators' comments) stays
unknown rather than invented.
"""

from django.db import migrations

BATCH = 2000
# simple-history's own columns, and what the place's status history already tells.
NOT_PROFILE = {"id", "slug", "status", "status_changed_at", "approved_at", "created_at"}


def _stored(value):
    if value is None or isinstance(value, (bool, int, str)):
        return value
    return str(value)


def events(apps, places=None):
    """Every place's events from its earlier records, as ``(place_id, code, by_id, at,
    params)`` tuples; ``places`` (a queryset of place ids) narrows it to those places."""

    def of(model, field="place_id"):
        queryset = apps.get_model("members", model).objects.order_by("pk")
        return queryset if places is None else queryset.filter(**{f"{field}__in": places})

    rows = of("PlaceTransition").values_list(
        "place_id", "by_id", "at", "from_status", "to_status", "reason"
    )
    for place_id, by_id, at, from_status, to_status, reason in rows.iterator():
        params = {"from": from_status, "to": to_status}
        if reason:
            params["reason"] = reason
        yield place_id, "place_status", by_id, at, params

    rows = of("ReportTransition", "report__place_id").values_list(
        "report__place_id",
        "by_id",
        "at",
        "report__campaign__year",
        "from_status",
        "to_status",
        "message",
    )
    for place_id, by_id, at, year, from_status, to_status, message in rows.iterator():
        params = {"year": year, "from": from_status, "to": to_status}
        if message and from_status:  # a start's message was the portal's, in French
            params["message"] = message
        yield place_id, "report_status", by_id, at, params

    rows = of("Signature").values_list(
        "place_id",
        "signed_by_id",
        "signed_at",
        "version__number",
        "signatory_name",
        "signatory_title",
    )
    for place_id, by_id, at, version, signatory, title in rows.iterator():
        params = {"version": version, "signatory": signatory, "title": title}
        yield place_id, "charter_signed", by_id, at, params

    rows = of("Invitation").values_list(
        "place_id",
        "invited_by_id",
        "created_at",
        "email",
        "role",
        "accepted_at",
        "accepted_by_id",
        "accepted_by__first_name",
        "accepted_by__last_name",
        "revoked_at",
    )
    for (
        place_id,
        by_id,
        at,
        email,
        role,
        accepted_at,
        accepted_by,
        first,
        last,
        revoked_at,
    ) in rows.iterator():
        yield place_id, "member_invited", by_id, at, {"email": email, "role": role}
        if accepted_at:
            person = f"{first or ''} {last or ''}".strip()
            params = {"person": person, "user": accepted_by, "role": role}
            yield place_id, "invitation_accepted", accepted_by, accepted_at, params
        elif revoked_at:
            yield place_id, "invitation_revoked", None, revoked_at, {"email": email, "role": role}

    HistoricalPlace = apps.get_model("members", "HistoricalPlace")
    fields = [
        f.attname
        for f in HistoricalPlace._meta.concrete_fields
        if not f.name.startswith("history_") and f.name not in NOT_PROFILE
    ]
    records = of("HistoricalPlace", "id").order_by("id", "history_date", "history_id")
    previous = None
    for record in records.values_list("id", "history_user_id", "history_date", *fields).iterator():
        if previous is not None and previous[0] == record[0]:
            changes = {
                name: [_stored(before), _stored(after)]
                for name, before, after in zip(fields, previous[3:], record[3:], strict=True)
                if before != after
            }
            if changes:
                yield record[0], "profile_edited", record[1], record[2], {"changes": changes}
        previous = record


def backfill(apps, schema_editor, places=None):
    """Writes :func:`events` (the demo network's builder writes them its own faster way)."""
    PlaceEvent = apps.get_model("members", "PlaceEvent")
    batch = []
    for place_id, code, by_id, at, params in events(apps, places):
        batch.append(PlaceEvent(place_id=place_id, code=code, by_id=by_id, at=at, params=params))
        if len(batch) >= BATCH:
            PlaceEvent.objects.bulk_create(batch)
            batch.clear()
    PlaceEvent.objects.bulk_create(batch)


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0021_external_surveys"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
