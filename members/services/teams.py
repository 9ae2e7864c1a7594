"""A place's team: invitations, roles, leaving, and requests to join."""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import mail
from core.ratelimit import Limit
from members import validators
from members.models import Invitation, Membership, Place, PlaceEvent
from members.territory import coordinators_of

from . import InvitationError, TeamError, place_context
from .history import record, record_many

Role = Membership.Role
Code = PlaceEvent.Code


def record_member_event(membership, code, *, by, **params):
    """A team event about ``membership``'s holder, named as they were (never their address;
    no name: the history says "Membre sans nom" in the reader's language)."""
    record(
        place=membership.place,
        code=code,
        by=by,
        person=membership.user.get_full_name().strip(),
        user=membership.user_id,
        **params,
    )


def team(place):
    """The active representatives and editors of ``place``: who hears about its reports."""
    return [
        m.user
        for m in place.memberships.filter(
            role__in=[Role.REPRESENTATIVE, Role.EDITOR], user__is_active=True
        )
        .select_related("user")
        .order_by("pk")
    ]


def representatives(place):
    return [
        m.user
        for m in place.memberships.filter(role=Role.REPRESENTATIVE, user__is_active=True)
        .select_related("user")
        .order_by("pk")
    ]


# Limits on what sends e-mail (core.ratelimit): per day.
INVITATIONS_PER_PLACE = Limit("invitations-per-place", 20)
INVITATIONS_PER_USER = Limit("invitations-per-user", 50)
JOIN_REQUESTS_PER_USER = Limit("join-requests-per-user", 5)
JOIN_REQUESTS_PER_PLACE = Limit("join-requests-per-place", 10)


def _place_holding(identifier):
    rna = validators.normalise_rna(identifier)
    siret = validators.normalise_siret(identifier)
    holders = Place.objects.holding_identifiers()
    place = holders.filter(rna=rna).first() if rna else None
    if place is None and siret:
        place = holders.filter(siret=siret).first()
    return place


@transaction.atomic
def request_to_join(*, identifier, by):
    """Ask the representatives of the place holding the RNA or SIRET ``identifier`` to invite
    ``by``. Whoever holds the number, or nobody, the requester learns nothing more than "sent
    if a place holds it": the daily limit counts every request, known number or not."""
    if JOIN_REQUESTS_PER_USER.exceeded(by.pk):
        raise TeamError(
            _("Vous avez envoyé %(n)d demandes aujourd’hui, le maximum : réessayez demain.")
            % {"n": JOIN_REQUESTS_PER_USER.limit}
        )
    JOIN_REQUESTS_PER_USER.record(by.pk)
    place = _place_holding(identifier)
    if place is None or JOIN_REQUESTS_PER_PLACE.exceeded(place.pk):
        return None
    if place.memberships.filter(user=by).exists():
        raise TeamError(_("Vous faites déjà partie de l’équipe de ce lieu."))
    JOIN_REQUESTS_PER_PLACE.record(place.pk)
    recipients = representatives(place) or coordinators_of(place)
    context = {
        **place_context(place),
        "by": by,
        "team_url": mail.absolute_url(reverse("members:team", args=[place.slug])),
    }
    mail.send(recipients, "join_request", context)
    return place


# --- Teams -------------------------------------------------------------------------------------


def _require_representative(place, user):
    if not place.memberships.filter(user=user, role=Role.REPRESENTATIVE).exists():
        raise TeamError(_("Seuls les représentant·es du lieu peuvent gérer son équipe."))


def coordinates(user, place):
    """``user`` is a coordinator whose territory holds ``place`` (and who may change places)."""
    from members.territory import place_in_scope

    return bool(
        user is not None
        and user.is_active
        and user.is_staff
        and user.has_perm("members.change_place")
        and place_in_scope(user, place)
    )


def is_last_representative(membership):
    if membership.role != Role.REPRESENTATIVE:
        return False
    others = Membership.objects.filter(place_id=membership.place_id, role=Role.REPRESENTATIVE)
    return not others.exclude(pk=membership.pk).exists()


def lock_team(place):
    # Serialise team changes of one place: two representatives leaving at once must not
    # leave the place without any.
    Place.objects.select_for_update().filter(pk=place.pk).first()


@transaction.atomic
def invite_member(*, place, email, role, by):
    """Invite ``email`` with ``role``; replaces that address's pending invitation, if any."""
    _require_representative(place, by)
    email = email.strip()
    role = Role(role)
    if place.memberships.filter(user__email__iexact=email).exists():
        raise TeamError(_("Cette personne fait déjà partie de l’équipe."))
    if INVITATIONS_PER_PLACE.exceeded(place.pk) or INVITATIONS_PER_USER.exceeded(by.pk):
        raise TeamError(
            _(
                "Trop d’invitations envoyées aujourd’hui (%(n)d au plus par lieu) : "
                "réessayez demain."
            )
            % {"n": INVITATIONS_PER_PLACE.limit}
        )
    now = timezone.now()
    if place.status == Place.Status.APPLICANT:
        _require_room_before_approval(place, email, by, now)
    place.invitations.filter(
        email__iexact=email, accepted_at=None, revoked_at=None, expires_at__gt=now
    ).update(revoked_at=now)
    invitation = Invitation.objects.create(
        place=place,
        email=email,
        role=role,
        invited_by=by,
        created_at=now,
        expires_at=now + Invitation.VALIDITY,
    )
    mail.send([email], "invitation", _invitation_context(invitation, by))
    # The address is kept for the readers who may see addresses (members.history).
    record(place=place, code=Code.MEMBER_INVITED, by=by, email=email, role=role)
    INVITATIONS_PER_PLACE.record(place.pk)
    INVITATIONS_PER_USER.record(by.pk)
    return invitation


def _invitation_context(invitation, by, *, from_coordination=False):
    return {
        **place_context(invitation.place),
        "invitation": invitation,
        "by": by,
        "from_coordination": from_coordination,
        "accept_url": mail.absolute_url(reverse("members:invitation", args=[invitation.token])),
    }


def invite_representatives(*, invitations, by):
    """The coordination invites the first representative of each place it just imported
    (``members.services.imports``): ``invitations`` are ``(place, email)`` pairs of places
    without a team or an invitation yet, all in ``by``'s territory. The batch form of
    ``invite_member``: one query for every invitation, one e-mail each through ``core.mail``,
    in its recipient's language, saying that the coordination sent it; such an invitation
    holds while ``by`` coordinates the place (``check_invitation``). No daily limit: the
    coordinators are the network's own. The caller's transaction."""
    for place, _email in invitations:
        if not coordinates(by, place):
            raise TeamError(_("Seule la coordination du territoire de ce lieu peut le faire."))
    now = timezone.now()
    created = Invitation.objects.bulk_create(
        [
            Invitation(
                place=place,
                email=email.strip(),
                role=Role.REPRESENTATIVE,
                invited_by=by,
                created_at=now,
                expires_at=now + Invitation.VALIDITY,
            )
            for place, email in invitations
        ],
        batch_size=500,
    )
    record_many(
        code=Code.MEMBER_INVITED,
        by=by,
        at=now,
        events=[(i.place, {"email": i.email, "role": Role.REPRESENTATIVE}) for i in created],
    )
    recipients = mail.recipients_by_address([invitation.email for invitation in created])
    for invitation in created:
        mail.send(
            [recipients[invitation.email]],
            "invitation",
            _invitation_context(invitation, by, from_coordination=True),
        )
    return created


def _require_room_before_approval(place, email, by, now):
    """Until the coordination approves it, a place has its representative and one more person
    (member or pending invitation; re-inviting that same address is allowed)."""
    others = place.memberships.exclude(user=by).count()
    pending = (
        place.invitations.filter(accepted_at=None, revoked_at=None, expires_at__gt=now)
        .exclude(email__iexact=email)
        .count()
    )
    if others + pending >= 1:
        raise TeamError(
            _(
                "Tant que la coordination n’a pas validé la candidature du lieu, vous pouvez "
                "inviter une seule personne. Vous pourrez inviter le reste de l’équipe ensuite."
            )
        )


def revoke_invitations_sent_by(user, place=None):
    """Revoke the pending invitations ``user`` sent (to ``place``, or anywhere): they leave the
    team, or lose the role that let them invite, and their invitations go with them."""
    pending = Invitation.objects.filter(invited_by=user, accepted_at=None, revoked_at=None)
    if place is not None:
        pending = pending.filter(place=place)
    return pending.update(revoked_at=timezone.now())


def check_invitation(invitation, user=None):
    """Raise InvitationError if ``invitation`` cannot be accepted (by ``user``)."""
    if invitation.revoked_at:
        raise InvitationError(_("Cette invitation a été annulée."))
    inviter_still_represents = Membership.objects.filter(
        place_id=invitation.place_id,
        user_id=invitation.invited_by_id,
        user__is_active=True,
        role=Role.REPRESENTATIVE,
    ).exists() or (
        # The coordination's invitation (an imported place): while they coordinate the place.
        invitation.invited_by is not None and coordinates(invitation.invited_by, invitation.place)
    )
    if invitation.accepted_at is None and not inviter_still_represents:
        raise InvitationError(
            _(
                "Cette invitation n’est plus valable : la personne qui l’a envoyée ne représente "
                "plus ce lieu. Demandez à l’équipe du lieu de vous en envoyer une autre."
            )
        )
    if invitation.accepted_at:
        raise InvitationError(_("Cette invitation a déjà été utilisée."))
    if invitation.expires_at <= timezone.now():
        raise InvitationError(
            _(
                "Cette invitation a expiré. Demandez à l’équipe du lieu de vous en envoyer une autre."
            )
        )
    if user is not None and user.email.lower() != invitation.email.lower():
        raise InvitationError(
            _(
                "Cette invitation a été envoyée à une autre adresse. Connectez-vous avec "
                "l’adresse qui l’a reçue."
            )
        )


@transaction.atomic
def accept_invitation(*, invitation, user):
    invitation = (
        Invitation.objects.select_for_update().select_related("place").get(pk=invitation.pk)
    )
    check_invitation(invitation, user)
    if invitation.place.memberships.filter(user=user).exists():
        raise InvitationError(_("Vous faites déjà partie de l’équipe de ce lieu."))
    now = timezone.now()
    membership = Membership.objects.create(
        user=user, place=invitation.place, role=invitation.role, created_at=now
    )
    Invitation.objects.filter(pk=invitation.pk).update(accepted_at=now, accepted_by=user)
    record_member_event(membership, Code.INVITATION_ACCEPTED, by=user, role=invitation.role)
    return membership


@transaction.atomic
def revoke_invitation(*, invitation, by):
    _require_representative(invitation.place, by)
    now = timezone.now()
    changed = Invitation.objects.filter(pk=invitation.pk, accepted_at=None, revoked_at=None).update(
        revoked_at=now
    )
    if changed != 1:
        raise InvitationError(_("Cette invitation n’est plus en attente."))
    invitation.revoked_at = now
    record(
        place=invitation.place,
        code=Code.INVITATION_REVOKED,
        by=by,
        email=invitation.email,
        role=invitation.role,
    )


@transaction.atomic
def change_role(*, membership, role, by):
    _require_representative(membership.place, by)
    lock_team(membership.place)
    role = Role(role)
    membership.refresh_from_db()
    if role != Role.REPRESENTATIVE and is_last_representative(membership):
        raise TeamError(
            _("Le lieu doit garder au moins un·e représentant·e : nommez-en un·e autre d’abord.")
        )
    if membership.role == role:
        return membership
    previous = membership.role
    membership.role = role
    membership.save(update_fields=["role"])
    role_changed(membership, previous, by=by)
    return membership


def role_changed(membership, previous, *, by):
    """What follows a change of role (the portal's or the admin's): a representative who is
    no longer one loses the invitations they sent; the history notes it."""
    if previous == Role.REPRESENTATIVE and membership.role != Role.REPRESENTATIVE:
        revoke_invitations_sent_by(membership.user, membership.place)
    record_member_event(
        membership, Code.ROLE_CHANGED, by=by, **{"from": previous, "to": membership.role}
    )


@transaction.atomic
def remove_member(*, membership, by):
    _require_representative(membership.place, by)
    lock_team(membership.place)
    if is_last_representative(membership):
        raise TeamError(_("Le ou la dernier·e représentant·e du lieu ne peut pas être retiré·e."))
    record_member_event(membership, Code.MEMBER_REMOVED, by=by)
    delete_membership(membership, by=by)


@transaction.atomic
def leave_place(*, membership):
    lock_team(membership.place)
    if is_last_representative(membership):
        raise TeamError(
            _(
                "Vous êtes le ou la dernier·e représentant·e : nommez quelqu’un d’autre "
                "représentant·e avant de quitter le lieu."
            )
        )
    record_member_event(membership, Code.MEMBER_LEFT, by=membership.user)
    delete_membership(membership, by=membership.user)


def delete_membership(membership, by=None):
    """Take ``membership`` away, and the invitations its holder sent for that place (callers
    lock the team and check the last-representative rule first)."""
    from .assignments import free_assignments

    revoke_invitations_sent_by(membership.user_id, membership.place_id)
    free_assignments(membership, by=by)
    membership.delete()
