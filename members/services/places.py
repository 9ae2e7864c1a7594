"""Places: registration and the status transitions decided by coordinators."""

from typing import NamedTuple

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from core import mail
from core.cache import invalidate_public_pages
from members import tallies
from members.models import Membership, Place, PlaceTransition
from members.territory import coordinators_of

from . import TransitionError, place_context, require_coordinator
from .teams import representatives

Status = Place.Status
Role = Membership.Role


# Paths under /espace/ that a place's slug must not shadow.
RESERVED_SLUGS = {"inscrire", "invitation", "compte", "mes-engagements"}  # pages under /espace/


def unique_slug(name, *, exclude_pk=None):
    base = slugify(name)[:200] or "lieu"
    slug, n = base, 1
    taken = Place.objects.exclude(pk=exclude_pk)
    while slug in RESERVED_SLUGS or taken.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


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
        **place_context(place),
        "by": by,
        "admin_url": mail.absolute_url(reverse("admin:members_place_change", args=[place.pk])),
        "earlier": [
            (earlier, mail.absolute_url(reverse("admin:members_place_change", args=[earlier.pk])))
            for earlier in earlier_applications(place)
        ],
    }
    mail.send(coordinators_of(place), "place_registered", context)
    return place


def _identifier_q(place):
    condition = Q(pk__in=[])
    if place.rna:
        condition |= Q(rna=place.rna)
    if place.siret:
        condition |= Q(siret=place.siret)
    return condition


def earlier_applications(place):
    """Rejected or withdrawn places with ``place``'s RNA or SIRET: what coordinators should
    read before deciding on a new application."""
    return (
        Place.objects.filter(_identifier_q(place), status__in=Place.RELEASED_STATUSES)
        .exclude(pk=place.pk)
        .order_by("created_at", "pk")
    )


class _Move(NamedTuple):
    """A change of a place's status: where it goes, from which statuses, the e-mail it sends."""

    to: str
    allowed_from: set
    email: str


APPROVE = _Move(Status.MEMBER, {Status.APPLICANT}, "place_approved")
REJECT = _Move(Status.REJECTED, {Status.APPLICANT}, "place_rejected")
SUSPEND = _Move(Status.SUSPENDED, {Status.MEMBER}, "place_suspended")
REINSTATE = _Move(Status.MEMBER, {Status.SUSPENDED, Status.WITHDRAWN}, "place_reinstated")
WITHDRAW = _Move(
    Status.WITHDRAWN, {Status.APPLICANT, Status.MEMBER, Status.SUSPENDED}, "place_withdrawn"
)


def _transition(place, move, *, by, reason=""):
    to, allowed_from, email = move
    require_coordinator(by, place, "change_place")
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
    tallies.retally(places=[place])
    transition = PlaceTransition.objects.create(
        place=place, from_status=from_status, to_status=to, by=by, at=now, reason=reason
    )
    mail.send(
        representatives(place),
        email,
        {**place_context(place), "transition": transition, "reason": reason},
    )
    return transition


def _require_reason(reason):
    reason = (reason or "").strip()
    if not reason:
        raise TransitionError(_("Indiquez le motif : il est transmis au lieu."))
    return reason


@transaction.atomic
def approve_place(*, place, by):
    return _transition(place, APPROVE, by=by)


@transaction.atomic
def reject_place(*, place, by, reason):
    return _transition(place, REJECT, by=by, reason=_require_reason(reason))


@transaction.atomic
def suspend_place(*, place, by, reason):
    return _transition(place, SUSPEND, by=by, reason=_require_reason(reason))


@transaction.atomic
def reinstate_place(*, place, by, reason=""):
    if (
        place.status == Status.WITHDRAWN
        and Place.objects.holding_identifiers().filter(_identifier_q(place)).exists()
    ):
        raise TransitionError(
            _(
                "Un autre lieu inscrit porte désormais le numéro RNA ou le SIRET de « %(place)s » : "
                "il ne peut pas être réintégré."
            )
            % {"place": place.name}
        )
    return _transition(place, REINSTATE, by=by, reason=reason)


@transaction.atomic
def withdraw_place(*, place, by, reason=""):
    return _transition(place, WITHDRAW, by=by, reason=reason)
