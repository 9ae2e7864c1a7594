"""Peer review: a place invites another member place to read one sent report and comment.

A representative of the place invites a member place ("lieu pair") for a limited time
(``PEER_REVIEW_DAYS`` by default); a representative of the peer accepts; from then until the
end, the peer's team reads that report only, read-only apart from its messages in the
threads. Either side's representatives revoke it at once. Every step is written in both
places' histories.
"""

from datetime import timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core import mail
from members.models import Membership, PeerInvitation, Place, PlaceEvent, Report

from . import MembersError, require_member
from .history import record
from .teams import representatives

Role = Membership.Role
# A report is open to peers once sent: submitted (or back and forth) or approved.
REVIEWABLE = Report.SENT  # a peer reads only a report sent to the coordinators
MAX_DAYS = 90


class PeerError(MembersError):
    """A peer-review step a rule refuses."""


def _record_both(invitation, code, by):
    report = invitation.report
    params = {
        "inviter": report.place.name,
        "peer": invitation.peer.name,
        "report": str(report.campaign),
        "invitation": invitation.pk,
    }
    for place in (report.place, invitation.peer):
        record(place=place, code=code, by=by, **params)


@transaction.atomic
def invite_peer(*, report, peer, by, message="", days=None):
    place = report.place
    require_member(
        by,
        place,
        Role.REPRESENTATIVE,
        _("Seul·es les représentant·es du lieu demandent un regard de pair."),
        PeerError,
    )
    days = days or PeerInvitation._meta.get_field("days").default
    if not 1 <= days <= MAX_DAYS:
        raise PeerError(_("Choisissez une durée de 1 à %(max)s jours.") % {"max": MAX_DAYS})
    if report.status not in REVIEWABLE:
        raise PeerError(_("Seul un bilan envoyé ou validé peut être lu par un lieu pair."))
    if peer.pk == place.pk:
        raise PeerError(_("Choisissez un autre lieu que le vôtre."))
    if peer.status != Place.Status.MEMBER:
        raise PeerError(_("Seul un lieu membre du réseau peut porter un regard de pair."))
    now = timezone.now()
    running = PeerInvitation.objects.filter(
        report=report, peer=peer, revoked_at__isnull=True, expires_at__gt=now
    )
    if running.exists():
        raise PeerError(_("Ce lieu est déjà invité à lire ce bilan."))
    invitation = PeerInvitation.objects.create(
        report=report,
        peer=peer,
        message=message,
        days=days,
        invited_by=by,
        invited_at=now,
        expires_at=now + timedelta(days=days),
    )
    _record_both(invitation, PlaceEvent.Code.PEER_INVITED, by)
    mail.send(
        representatives(peer),
        "peer_invited",
        {
            "invitation": invitation,
            "place": place,
            "peer": peer,
            "report": report,
            "peer_url": mail.absolute_url(reverse("members:peer_reviews", args=[peer.slug])),
        },
    )
    return invitation


@transaction.atomic
def accept_peer_invitation(*, invitation, by):
    require_member(
        by,
        invitation.peer,
        Role.REPRESENTATIVE,
        _("Seul·es les représentant·es du lieu invité acceptent un regard de pair."),
        PeerError,
    )
    now = timezone.now()
    rows = PeerInvitation.objects.filter(
        pk=invitation.pk, accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now
    ).update(accepted_at=now, accepted_by=by, expires_at=now + timedelta(days=invitation.days))
    if rows != 1:
        raise PeerError(_("Cette invitation n’est plus valable."))
    invitation.refresh_from_db()
    _record_both(invitation, PlaceEvent.Code.PEER_ACCEPTED, by)
    return invitation


@transaction.atomic
def revoke_peer_invitation(*, invitation, by):
    """Either place's representatives end it, at once."""
    from members.access import has_role

    if not (
        has_role(invitation.report.place, by, Role.REPRESENTATIVE)
        or has_role(invitation.peer, by, Role.REPRESENTATIVE)
    ):
        raise PeerError(_("Seul·es les représentant·es des deux lieux peuvent l’annuler."))
    now = timezone.now()
    rows = PeerInvitation.objects.filter(
        pk=invitation.pk, revoked_at__isnull=True, expires_at__gt=now
    ).update(revoked_at=now, revoked_by=by)
    if rows != 1:
        raise PeerError(_("Ce regard de pair est déjà terminé."))
    invitation.refresh_from_db()
    _record_both(invitation, PlaceEvent.Code.PEER_REVOKED, by)
    return invitation


def invitations_of(place):
    """(sent, received) peer invitations of ``place``, newest first: two queries."""
    related = ("report__place", "report__campaign", "peer", "invited_by", "accepted_by")
    sent = list(PeerInvitation.objects.filter(report__place=place).select_related(*related))
    received = list(PeerInvitation.objects.filter(peer=place).select_related(*related))
    now = timezone.now()
    for invitation in sent + received:
        invitation.current_state = invitation.state(now)
        invitation.state_label = PeerInvitation.State(invitation.current_state).label
    return sent, received


def reviewable_reports(place):
    return list(
        Report.objects.filter(place=place, status__in=REVIEWABLE)
        .select_related("campaign")
        .order_by("-campaign__year")
    )
