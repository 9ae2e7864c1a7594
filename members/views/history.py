"""/espace/<slug>/historique/: a place's status changes and profile edits, for representatives."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from members.access import get_place_for_user
from members.models import Membership, Place

HISTORY_LIMIT = 100


def _display(field, value):
    if value in (None, ""):
        return "—"
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    if isinstance(value, bool):
        return _("oui") if value else _("non")
    return value


def _author(user):
    if user is None:
        return ""
    if user.is_staff:
        return _("La coordination du réseau")
    return user.get_full_name() or user.email


def profile_edits(place, limit=HISTORY_LIMIT):
    """The profile's edits, newest first: who, when, and each field's old → new value.

    One query: the records are diffed pairwise in memory.
    """
    records = list(
        place.history.select_related("history_user").order_by("history_date", "history_id")
    )
    edits = []
    previous = None
    for record in records:
        changes = []
        if previous is not None:
            delta = record.diff_against(previous)
            for change in delta.changes:
                field = Place._meta.get_field(change.field)
                changes.append(
                    {
                        "field": field.verbose_name,
                        "old": _display(field, change.old),
                        "new": _display(field, change.new),
                    }
                )
        if previous is None or changes:
            edits.append(
                {
                    "at": record.history_date,
                    "by": _author(record.history_user),
                    "created": previous is None,
                    "changes": changes,
                }
            )
        previous = record
    edits.reverse()
    return edits[:limit]


@login_required
@require_GET
def place_history(request, slug):
    place = get_place_for_user(request, slug, role=Membership.Role.REPRESENTATIVE)
    transitions = list(
        place.transitions.select_related("by").order_by("-at", "-pk")[:HISTORY_LIMIT]
    )
    for transition in transitions:
        transition.author = _author(transition.by) or "—"
    return render(
        request,
        "members/portal/place_history.html",
        {"place": place, "transitions": transitions, "edits": profile_edits(place)},
    )
