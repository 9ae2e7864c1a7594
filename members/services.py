"""Writes and state transitions of the members app.

Every function is keyword-only and atomic, checks the current state, raises a domain error
with a translated message, leaves a history row where the state changes, and sends its
e-mails once the transaction commits.
"""

# --- Members: places, teams, signatures (issue 4) ----------------------------------------------

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from charter import canonical
from charter.models import CharterVersion

from . import permissions
from .cache import invalidate_public_pages
from .mailing import absolute_url, coordinators, send_on_commit
from .models import Invitation, Membership, Place, PlaceTransition, Signature


class MembersError(Exception):
    """A rule of the members app refused the action; ``message`` says why, translated."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message

    def __str__(self):
        return str(self.message)


class TransitionError(MembersError):
    """A place cannot move from its current status to the one asked."""


class TeamError(MembersError):
    """A team change breaks a rule (last representative, wrong address…)."""


class InvitationError(TeamError):
    """The invitation cannot be used: expired, revoked, already used, other address."""


class SignatureError(MembersError):
    """The charter cannot be signed now (place not a member, version signed already…)."""


Status = Place.Status
Role = Membership.Role


# --- Places ------------------------------------------------------------------------------------


# Paths under /espace/ that a place's slug must not shadow.
RESERVED_SLUGS = {"inscrire", "invitation", "compte"}  # pages under /espace/


def unique_slug(name, *, exclude_pk=None):
    base = slugify(name)[:200] or "lieu"
    slug, n = base, 1
    taken = Place.objects.exclude(pk=exclude_pk)
    while slug in RESERVED_SLUGS or taken.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def representatives(place):
    return [
        m.user
        for m in place.memberships.filter(role=Role.REPRESENTATIVE, user__is_active=True)
        .select_related("user")
        .order_by("pk")
    ]


def _place_context(place):
    return {
        "place": place,
        "place_url": absolute_url(reverse("members:place", args=[place.slug])),
        "dashboard_url": absolute_url(reverse("members:dashboard")),
    }


@transaction.atomic
def register_place(*, place, by, activities=(), publics=()):
    """Save a new place as an applicant, make ``by`` its representative, tell coordinators."""
    place.set_location_from_postcode()
    place.slug = unique_slug(place.name)
    place.status = Status.APPLICANT
    now = timezone.now()
    place.created_at = place.status_changed_at = now
    try:
        with transaction.atomic():
            place.save()
    except IntegrityError as error:
        raise TransitionError(
            _("Un lieu avec ce numéro RNA ou ce SIRET est déjà inscrit.")
        ) from error
    place.activities.set(activities)
    place.publics.set(publics)
    Membership.objects.create(user=by, place=place, role=Role.REPRESENTATIVE)
    PlaceTransition.objects.create(place=place, from_status="", to_status=Status.APPLICANT, by=by)
    context = {
        **_place_context(place),
        "by": by,
        "admin_url": absolute_url(reverse("admin:members_place_change", args=[place.pk])),
    }
    send_on_commit(coordinators(), "place_registered", context)
    return place


def _transition(*, place, to, allowed_from, by, reason="", email):
    # Lock the row: two coordinators acting at once see one transition each, in turn.
    locked = Place.objects.select_for_update().get(pk=place.pk)
    if locked.status not in allowed_from:
        raise TransitionError(
            _("« %(place)s » est « %(status)s » : impossible de passer à « %(to)s ».")
            % {
                "place": locked.name,
                "status": Status(locked.status).label,
                "to": Status(to).label,
            }
        )
    now = timezone.now()
    from_status = locked.status
    updates = {"status": to, "status_changed_at": now}
    if to == Status.MEMBER and locked.approved_at is None:
        updates["approved_at"] = now
    Place.objects.filter(pk=place.pk).update(**updates)
    invalidate_public_pages()  # update() sends no signal
    for field, value in updates.items():
        setattr(place, field, value)
    transition = PlaceTransition.objects.create(
        place=place, from_status=from_status, to_status=to, by=by, at=now, reason=reason
    )
    send_on_commit(
        representatives(place),
        email,
        {**_place_context(place), "transition": transition, "reason": reason},
    )
    return transition


def _require_reason(reason):
    reason = (reason or "").strip()
    if not reason:
        raise TransitionError(_("Indiquez le motif : il est transmis au lieu."))
    return reason


@transaction.atomic
def approve_place(*, place, by):
    return _transition(
        place=place,
        to=Status.MEMBER,
        allowed_from={Status.APPLICANT},
        by=by,
        email="place_approved",
    )


@transaction.atomic
def reject_place(*, place, by, reason):
    return _transition(
        place=place,
        to=Status.REJECTED,
        allowed_from={Status.APPLICANT},
        by=by,
        reason=_require_reason(reason),
        email="place_rejected",
    )


@transaction.atomic
def suspend_place(*, place, by, reason):
    return _transition(
        place=place,
        to=Status.SUSPENDED,
        allowed_from={Status.MEMBER},
        by=by,
        reason=_require_reason(reason),
        email="place_suspended",
    )


@transaction.atomic
def reinstate_place(*, place, by, reason=""):
    return _transition(
        place=place,
        to=Status.MEMBER,
        allowed_from={Status.SUSPENDED, Status.WITHDRAWN},
        by=by,
        reason=reason,
        email="place_reinstated",
    )


@transaction.atomic
def withdraw_place(*, place, by, reason=""):
    return _transition(
        place=place,
        to=Status.WITHDRAWN,
        allowed_from={Status.APPLICANT, Status.MEMBER, Status.SUSPENDED},
        by=by,
        reason=reason,
        email="place_withdrawn",
    )


@transaction.atomic
def request_to_join(*, place, by):
    """Ask the representatives of an existing place to invite ``by`` into its team."""
    if place.memberships.filter(user=by).exists():
        raise TeamError(_("Vous faites déjà partie de l’équipe de ce lieu."))
    recipients = representatives(place) or coordinators()
    context = {
        **_place_context(place),
        "by": by,
        "team_url": absolute_url(reverse("members:team", args=[place.slug])),
    }
    send_on_commit(recipients, "join_request", context)


# --- Teams -------------------------------------------------------------------------------------


def _require_representative(place, user):
    if not place.memberships.filter(user=user, role=Role.REPRESENTATIVE).exists():
        raise TeamError(_("Seuls les représentant·es du lieu peuvent gérer son équipe."))


def _is_last_representative(membership):
    if membership.role != Role.REPRESENTATIVE:
        return False
    others = Membership.objects.filter(place_id=membership.place_id, role=Role.REPRESENTATIVE)
    return not others.exclude(pk=membership.pk).exists()


def _lock_team(place):
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
    now = timezone.now()
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
    context = {
        **_place_context(place),
        "invitation": invitation,
        "by": by,
        "accept_url": absolute_url(reverse("members:invitation", args=[invitation.token])),
    }
    send_on_commit([email], "invitation", context)
    return invitation


def check_invitation(invitation, user=None):
    """Raise InvitationError if ``invitation`` cannot be accepted (by ``user``)."""
    if invitation.revoked_at:
        raise InvitationError(_("Cette invitation a été annulée."))
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


@transaction.atomic
def change_role(*, membership, role, by):
    _require_representative(membership.place, by)
    _lock_team(membership.place)
    role = Role(role)
    membership.refresh_from_db()
    if role != Role.REPRESENTATIVE and _is_last_representative(membership):
        raise TeamError(
            _("Le lieu doit garder au moins un·e représentant·e : nommez-en un·e autre d’abord.")
        )
    membership.role = role
    membership.save(update_fields=["role"])
    return membership


@transaction.atomic
def remove_member(*, membership, by):
    _require_representative(membership.place, by)
    _lock_team(membership.place)
    if _is_last_representative(membership):
        raise TeamError(_("Le ou la dernier·e représentant·e du lieu ne peut pas être retiré·e."))
    membership.delete()


@transaction.atomic
def leave_place(*, membership):
    _lock_team(membership.place)
    if _is_last_representative(membership):
        raise TeamError(
            _(
                "Vous êtes le ou la dernier·e représentant·e : nommez quelqu’un d’autre "
                "représentant·e avant de quitter le lieu."
            )
        )
    membership.delete()


# --- Signatures --------------------------------------------------------------------------------


@transaction.atomic
def sign_charter(
    *,
    place,
    version,
    by,
    signatory_name,
    signatory_title,
    board_decision_date,
    mandate_certified,
    minutes=None,
    ip_address=None,
    user_agent="",
):
    """Record ``place``'s signature of ``version`` and tell every representative."""
    locked = Place.objects.select_for_update().get(pk=place.pk)
    if locked.status != Status.MEMBER:
        raise SignatureError(
            _("Seul un lieu membre du réseau peut signer la charte (statut actuel : %(s)s).")
            % {"s": Status(locked.status).label}
        )
    membership = locked.memberships.filter(user=by).first()
    if membership is None or not permissions.role_at_least(membership.role, Role.REPRESENTATIVE):
        raise SignatureError(_("Seul·e un·e représentant·e du lieu peut signer la charte."))
    if version is None or version.status != CharterVersion.Status.PUBLISHED:
        raise SignatureError(_("Cette version de la charte n’est pas celle en vigueur."))
    if Signature.objects.filter(place=locked, version=version).exists():
        raise SignatureError(
            _("Votre lieu a déjà signé la version %(n)s de la charte.") % {"n": version.number}
        )
    if board_decision_date > timezone.localdate():
        raise SignatureError(_("La date de la décision du conseil ne peut pas être dans le futur."))
    if not mandate_certified:
        raise SignatureError(_("Certifiez le mandat reçu de votre instance dirigeante."))
    # The fingerprint of what was shown and signed, recomputed from the stored text.
    fingerprint = canonical.fingerprint(canonical.version_content(version))
    if version.fingerprint and fingerprint != version.fingerprint:
        raise SignatureError(
            _(
                "Le texte de la charte ne correspond pas à son empreinte publiée : signature refusée."
            )
        )
    signature = Signature(
        place=locked,
        version=version,
        fingerprint=fingerprint,
        signatory_name=signatory_name.strip(),
        signatory_title=signatory_title.strip(),
        board_decision_date=board_decision_date,
        mandate_certified=True,
        signed_by=by,
        ip_address=ip_address or None,
        user_agent=(user_agent or "")[:300],
    )
    if minutes:
        signature.minutes = minutes
    signature.save()
    context = {
        **_place_context(place),
        "signature": signature,
        "version": version,
        "certificate_url": absolute_url(
            reverse("members:certificate", args=[place.slug, signature.pk])
        ),
        "verify_url": absolute_url(reverse("members:verify", args=[signature.verification_code])),
    }
    send_on_commit(representatives(place), "charter_signed", context)
    return signature


# --- Team rules for the coordinators' admin (members/admin.py) ---------------------------------

is_last_representative = _is_last_representative
lock_team = _lock_team
