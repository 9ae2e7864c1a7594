"""/espace/<slug>/historique/: every event of a place's life, for every member of its team.

Read from ``PlaceEvent`` alone (migration 0021 brought the older transitions, signatures and
profile edits into it), newest first, 50 a page, each event in the reader's language.
"""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from members import history
from members.access import get_membership_for_user, sees_addresses

PER_PAGE = 50


def history_page(request, place, *, show_addresses, coordinator=False):
    """The page of ``place``'s events asked in ``?page=``: a count, the events with their
    authors, and the commitments they name (one query each)."""
    events = place.events.select_related("by").order_by("-at", "-pk")
    page = Paginator(events, PER_PAGE).get_page(request.GET.get("page"))
    page.object_list = history.read(
        page.object_list, show_addresses=show_addresses, coordinator=coordinator
    )
    return page


@login_required
@require_GET
def place_history(request, slug):
    membership = get_membership_for_user(request, slug)
    place = membership.place
    show_addresses = sees_addresses(request.user, place, role=membership.role)
    return render(
        request,
        "members/portal/place_history.html",
        {
            "place": place,
            "membership": membership,
            "page": history_page(request, place, show_addresses=show_addresses),
        },
    )
