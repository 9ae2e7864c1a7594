"""Object-level access to a place's data for the signed-in user.

Every /espace/<slug>/… view fetches its place through ``get_place_for_user``: a place the user
has no membership in does not exist for them (404); a role too low is forbidden (403).
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from .models import Membership, Place

ROLE_RANK = {
    Membership.Role.VIEWER: 1,
    Membership.Role.EDITOR: 2,
    Membership.Role.REPRESENTATIVE: 3,
}


def role_at_least(role, minimum):
    return ROLE_RANK[Membership.Role(role)] >= ROLE_RANK[Membership.Role(minimum)]


def get_membership_for_user(request, slug, role=Membership.Role.VIEWER):
    """The user's membership in the place ``slug``, with its place; 404 or 403 otherwise."""
    if not request.user.is_authenticated:
        raise Http404
    membership = (
        Membership.objects.filter(user=request.user, place__slug=slug)
        .select_related("place")
        .first()
    )
    if membership is None:
        raise Http404
    if not role_at_least(membership.role, role):
        raise PermissionDenied
    request.place_membership = membership  # the place's tabs show what this role may open
    return membership


def get_place_for_user(request, slug, role=Membership.Role.VIEWER) -> Place:
    """The place ``slug`` if the user belongs to its team with at least ``role``."""
    return get_membership_for_user(request, slug, role).place
