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


def _name(user):
    return f"{user.first_name} {user.last_name}".strip() if user else ""


def backfill(apps, schema_editor, places=None):
    """Every place's events from its earlier records; ``places`` (a queryset of place ids)
    narrows it to those places (the demo network's builder calls it for its own)."""
    PlaceEvent = apps.get_model("members", "PlaceEvent")

    def of(queryset, field="place_id"):
        return queryset if places is None else queryset.filter(**{f"{field}__in": places})
    events = []

    def add(**kwargs):
        events.append(PlaceEvent(**kwargs))
        if len(events) >= BATCH:
            PlaceEvent.objects.bulk_create(events)
            events.clear()

    for t in of(apps.get_model("members", "PlaceTransition").objects).order_by("pk").iterator():
        params = {"from": t.from_status, "to": t.to_status}
        if t.reason:
            params["reason"] = t.reason
        add(place_id=t.place_id, code="place_status", by_id=t.by_id, at=t.at, params=params)

    transitions = apps.get_model("members", "ReportTransition").objects.select_related(
        "report__campaign"
    )
    for t in of(transitions, "report__place_id").order_by("pk").iterator():
        params = {"year": t.report.campaign.year, "from": t.from_status, "to": t.to_status}
        if t.message and t.from_status:  # a start's message was the portal's, in French
            params["message"] = t.message
        add(place_id=t.report.place_id, code="report_status", by_id=t.by_id, at=t.at, params=params)

    signatures = apps.get_model("members", "Signature").objects.select_related("version")
    for s in of(signatures).order_by("pk").iterator():
        params = {
            "version": s.version.number,
            "signatory": s.signatory_name,
            "title": s.signatory_title,
        }
        add(
            place_id=s.place_id,
            code="charter_signed",
            by_id=s.signed_by_id,
            at=s.signed_at,
            params=params,
        )

    invitations = apps.get_model("members", "Invitation").objects.select_related("accepted_by")
    for i in of(invitations).order_by("pk").iterator():
        add(
            place_id=i.place_id,
            code="member_invited",
            by_id=i.invited_by_id,
            at=i.created_at,
            params={"email": i.email, "role": i.role},
        )
        if i.accepted_at:
            add(
                place_id=i.place_id,
                code="invitation_accepted",
                by_id=i.accepted_by_id,
                at=i.accepted_at,
                params={"person": _name(i.accepted_by), "user": i.accepted_by_id, "role": i.role},
            )
        elif i.revoked_at:
            add(
                place_id=i.place_id,
                code="invitation_revoked",
                at=i.revoked_at,
                params={"email": i.email, "role": i.role},
            )

    HistoricalPlace = apps.get_model("members", "HistoricalPlace")
    fields = [
        f.attname
        for f in HistoricalPlace._meta.concrete_fields
        if not f.name.startswith("history_") and f.name not in NOT_PROFILE
    ]
    previous = None
    records = of(HistoricalPlace.objects, "id").order_by("id", "history_date", "history_id")
    for record in records.iterator():
        if previous is not None and previous.id == record.id:
            changes = {
                name: [_stored(getattr(previous, name)), _stored(getattr(record, name))]
                for name in fields
                if getattr(previous, name) != getattr(record, name)
            }
            if changes:
                add(
                    place_id=record.id,
                    code="profile_edited",
                    by_id=record.history_user_id,
                    at=record.history_date,
                    params={"changes": changes},
                )
        previous = record
    PlaceEvent.objects.bulk_create(events)


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0021_external_surveys"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
