"""Who may open what in /espace/: one helper per object kind, side by side.

Each ``get_<object>_for_user(request, …)`` fetches the object through the signed-in user's
memberships, never by a bare id from the URL: an object of a place the user does not belong to
does not exist for them (404); a role too low is forbidden (403). Services check the role again
(``has_role``) before they change anything.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from .models import (
    Answer,
    Evidence,
    Invitation,
    Membership,
    Message,
    PeerInvitation,
    Place,
    Report,
    Signature,
)

Role = Membership.Role
ROLE_RANK = {Role.VIEWER: 1, Role.EDITOR: 2, Role.REPRESENTATIVE: 3}


def role_at_least(role, minimum):
    return ROLE_RANK[Role(role)] >= ROLE_RANK[Role(minimum)]


def has_role(place, user, minimum):
    """Whether ``user`` belongs to ``place``'s team with at least ``minimum``: the services'
    own check (one query)."""
    if user is None or not user.is_authenticated:
        return False
    role = place.memberships.filter(user=user).values_list("role", flat=True).first()
    return role is not None and role_at_least(role, minimum)


def sees_addresses(user, place, role=None):
    """Whether ``user`` may read the e-mail addresses of ``place``'s team: the coordinators of
    its territory and its representatives; nobody else (editors and viewers see names).
    ``role``: the user's role in the place when the caller has it (saves a query)."""
    from .territory import place_in_scope

    if user is None or not user.is_authenticated:
        return False
    if user.is_staff and place_in_scope(user, place):
        return True
    if role is not None:
        return role == Role.REPRESENTATIVE
    return has_role(place, user, Role.REPRESENTATIVE)


def person_name(user, *, with_address=False):
    """How a person is shown: their name; without one, their address to readers who may see
    addresses (``with_address``, see ``sees_addresses``), else "Membre sans nom", never the
    address."""
    if user is None:
        return _("Compte supprimé")
    name = user.get_full_name().strip()
    if name:
        return name
    return user.email if with_address else _("Membre sans nom")


def get_membership_for_user(request, slug, role=Role.VIEWER):
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


def get_place_for_user(request, slug, role=Role.VIEWER) -> Place:
    """The place ``slug`` if the user belongs to its team with at least ``role``."""
    return get_membership_for_user(request, slug, role).place


def get_team_member_for_user(request, slug, pk, role=Role.REPRESENTATIVE):
    """(the user's membership, the membership ``pk`` of the same place's team)."""
    me = get_membership_for_user(request, slug, role)
    target = get_object_or_404(
        Membership.objects.select_related("user", "place"), pk=pk, place=me.place
    )
    return me, target


def get_invitation_for_user(request, slug, pk, role=Role.REPRESENTATIVE):
    """An invitation sent by the place ``slug``."""
    place = get_place_for_user(request, slug, role)
    return get_object_or_404(Invitation.objects.select_related("place"), pk=pk, place=place)


def get_signature_for_user(request, slug, pk, role=Role.VIEWER):
    """A signature of the place ``slug``."""
    place = get_place_for_user(request, slug, role)
    return get_object_or_404(
        Signature.objects.select_related("version", "place"), pk=pk, place=place
    )


def get_report_for_user(request, slug, year, role=Role.VIEWER):
    """(the user's membership, the place's report for the campaign of ``year``)."""
    membership = get_membership_for_user(request, slug, role)
    report = get_object_or_404(
        Report.objects.select_related("campaign", "version", "place"),
        place=membership.place,
        campaign__year=year,
    )
    return membership, report


def get_evidence_for_user(request, slug, year, pk, role=Role.VIEWER):
    """An evidence file or link of one of the report's answers."""
    _membership, report = get_report_for_user(request, slug, year, role)
    return get_object_or_404(Evidence, pk=pk, answer__report=report)


def _answer(report, key):
    return get_object_or_404(
        Answer.objects.select_related("commitment__section", "updated_by", "assignment__assignee"),
        report=report,
        commitment__key=key,
    )


def get_thread_for_user(request, slug, year, key, role=Role.VIEWER):
    """(the user's membership, the answer on commitment ``key`` of the place's report of
    ``year``): the answer carries its thread and its assignment."""
    membership, report = get_report_for_user(request, slug, year, role)
    answer = _answer(report, key)
    answer.report = report
    return membership, answer


def get_message_for_user(request, slug, year, key, pk, role=Role.VIEWER):
    """A message (with its attachment) of one thread of the place's report."""
    _membership, answer = get_thread_for_user(request, slug, year, key, role)
    return get_object_or_404(Message, pk=pk, answer=answer)


def get_assignment_for_user(request, slug, year, key, role=Role.EDITOR):
    """(the user's membership, the answer, its assignment or None): who may give it to whom."""
    membership, answer = get_thread_for_user(request, slug, year, key, role)
    return membership, answer, getattr(answer, "assignment", None)


def get_peer_invitation_for_user(request, slug, pk, role=Role.REPRESENTATIVE):
    """A peer invitation that the place ``slug`` sent or received (accept, revoke)."""
    place = get_place_for_user(request, slug, role)
    return get_object_or_404(
        PeerInvitation.objects.select_related(
            "report__place", "report__campaign", "peer", "invited_by"
        ),
        Q(peer=place) | Q(report__place=place),
        pk=pk,
    )


def get_peer_review_for_user(request, slug, pk, role=Role.VIEWER):
    """(the user's membership in the peer place ``slug``, the running invitation ``pk`` it
    received): pending, expired or revoked, it does not exist (404), whatever the role; then
    a role too low is 403."""
    membership = get_membership_for_user(request, slug)
    invitation = get_object_or_404(
        PeerInvitation.objects.active().select_related(
            "report__place", "report__campaign", "report__version", "peer"
        ),
        pk=pk,
        peer=membership.place,
    )
    if not role_at_least(membership.role, role):
        raise PermissionDenied
    return membership, invitation


def get_peer_thread_for_user(request, slug, pk, key, role=Role.VIEWER):
    """(membership, invitation, the answer on ``key`` of the report under peer review)."""
    membership, invitation = get_peer_review_for_user(request, slug, pk, role)
    answer = _answer(invitation.report, key)
    answer.report = invitation.report
    return membership, invitation, answer


def get_peer_message_for_user(request, slug, pk, key, message_pk):
    """A message's attachment, for the peer under a running invitation."""
    _membership, _invitation, answer = get_peer_thread_for_user(request, slug, pk, key)
    return get_object_or_404(Message, pk=message_pk, answer=answer)
