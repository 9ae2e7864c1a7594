"""Personal data (RGPD): what we hold about a user, and deleting their account.

Deleting an account never deletes a place's records: signatures keep the signatory's name and
title as text (``signed_by`` becomes empty) but lose the IP address and browser recorded at
signing, reports and answers stay (``updated_by`` empty). Those IP addresses and browsers are
erased anyway after CONNECTION_DATA_RETENTION (``manage.py erase_old_connection_data``). A
place left without a representative shows on the coordinators' dashboard, and its coordinators
(staff whose territory holds it, plus ``COORDINATORS_EMAIL``) get an e-mail once the deletion is
committed.
"""

from datetime import timedelta

from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from core import mail
from members.models import (
    Answer,
    Assignment,
    Invitation,
    Membership,
    Message,
    Place,
    PlaceEvent,
    Signature,
)
from members.territory import coordinators_of

from . import threads as thread_services
from .history import record
from .teams import revoke_invitations_sent_by

# How long the IP address and browser recorded with a signature are kept: long enough to
# answer a dispute about who signed, then erased (the signature itself stays).
CONNECTION_DATA_RETENTION = timedelta(days=365)


def erase_old_connection_data(now=None):
    """Erase the IP addresses and browsers of signatures older than the retention period;
    returns how many signatures were erased (none on a second run)."""
    before = (now or timezone.now()) - CONNECTION_DATA_RETENTION
    return Signature.objects.filter(signed_at__lt=before).erase_connection_data()


def _date(value):
    return value.isoformat() if value else None


def export_user_data(user):
    """Everything tied to ``user``, as JSON-ready data."""
    from allauth.account.models import EmailAddress

    memberships = Membership.objects.filter(user=user).select_related("place")
    signatures = Signature.objects.filter(signed_by=user).select_related("place", "version")
    answers = Answer.objects.filter(updated_by=user).select_related(
        "report__place", "report__campaign", "commitment"
    )
    invitations = Invitation.objects.filter(invited_by=user).select_related("place")
    return {
        "exported_at": timezone.now().isoformat(),
        "account": {
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "language": user.language,
            "date_joined": _date(user.date_joined),
            "last_login": _date(user.last_login),
            "email_addresses": [
                {"email": address.email, "verified": address.verified, "primary": address.primary}
                for address in EmailAddress.objects.filter(user=user).order_by("pk")
            ],
        },
        "memberships": [
            {
                "place": membership.place.name,
                "place_slug": membership.place.slug,
                "role": membership.role,
                "since": _date(membership.created_at),
            }
            for membership in memberships
        ],
        "signatures": [
            {
                "place": signature.place.name,
                "charter_version": signature.version.number,
                "signatory_name": signature.signatory_name,
                "signatory_title": signature.signatory_title,
                "board_decision_date": _date(signature.board_decision_date),
                "signed_at": _date(signature.signed_at),
                "ip_address": signature.ip_address,
                "user_agent": signature.user_agent,
                "verification_code": signature.verification_code,
            }
            for signature in signatures
        ],
        "reports_edited": [
            {
                "place": answer.report.place.name,
                "campaign": answer.report.campaign.name,
                "commitment": answer.commitment.key,
                "level": answer.level,
                "na_reason": answer.na_reason,
                "narrative": answer.narrative,
                "actions": answer.actions,
                "updated_at": _date(answer.updated_at),
            }
            for answer in answers
        ],
        "invitations_sent": [
            {
                "place": invitation.place.name,
                "email": invitation.email,
                "role": invitation.role,
                "sent_at": _date(invitation.created_at),
            }
            for invitation in invitations
        ],
        "messages": [
            {
                "place": message.answer.report.place.name,
                "campaign": message.answer.report.campaign.name,
                "commitment": message.answer.commitment.key,
                "body": message.body,
                "attachment": message.file_label,
                "sent_at": _date(message.created_at),
            }
            for message in Message.objects.filter(author=user).select_related(
                "answer__report__place", "answer__report__campaign", "answer__commitment"
            )
        ],
        "commitments_assigned": [
            {
                "place": assignment.answer.report.place.name,
                "campaign": assignment.answer.report.campaign.name,
                "commitment": assignment.answer.commitment.key,
                "due_on": _date(assignment.due_on),
            }
            for assignment in Assignment.objects.filter(assignee=user).select_related(
                "answer__report__place", "answer__report__campaign", "answer__commitment"
            )
        ],
        "notifications": thread_services.frequency(user),
    }


def places_left_without_representative(user):
    """Places where ``user`` is the only representative (they would have none left)."""
    # The user's places in a subquery: filtering on the same join as the Count would only
    # count the user's own membership.
    represented = Membership.objects.filter(user=user, role=Membership.Role.REPRESENTATIVE).values(
        "place_id"
    )
    return (
        Place.objects.filter(pk__in=represented)
        .annotate(
            representatives=Count(
                "memberships", filter=Q(memberships__role=Membership.Role.REPRESENTATIVE)
            )
        )
        .filter(representatives=1)
        .order_by("name", "pk")
    )


@transaction.atomic
def delete_account(*, user):
    """Delete ``user``; returns the places left without a representative."""
    orphaned = list(places_left_without_representative(user))
    for membership in Membership.objects.filter(user=user).select_related("place"):
        # No name: the account and what names its holder go away; the team still sees that
        # someone left.
        record(place=membership.place, code=PlaceEvent.Code.MEMBER_LEFT, account_deleted=True)
    revoke_invitations_sent_by(user)
    Signature.objects.filter(signed_by=user).erase_connection_data()
    user.delete()
    for place in orphaned:
        context = {
            "place": place,
            "admin_url": mail.absolute_url(reverse("admin:members_place_change", args=[place.pk])),
            "team_url": mail.absolute_url(
                reverse("admin:members_membership_changelist") + f"?place__id__exact={place.pk}"
            ),
        }
        mail.send(coordinators_of(place), "place_without_representative", context)
    return orphaned
