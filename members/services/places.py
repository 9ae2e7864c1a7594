"""Places: registration and the status transitions decided by coordinators."""

from typing import NamedTuple

from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from core import mail
from core.cache import invalidate_public_pages
from members import tallies
from members.models import Membership, Place, PlaceEvent, PlaceTransition
from members.territory import coordinators_of

from . import TransitionError, place_context, require_coordinator
from .history import record, record_many
from .teams import representatives

Status = Place.Status
Role = Membership.Role


# Paths under /espace/ that a place's slug must not shadow.
RESERVED_SLUGS = {"inscrire", "invitation", "compte", "mes-engagements"}  # pages under /espace/


def _base_slug(name):
    return slugify(name)[:200] or "lieu"


def unique_slug(name, *, exclude_pk=None, also_taken=()):
    """A free slug for ``name``; ``also_taken``: slugs given to places not saved yet."""
    base = _base_slug(name)
    slug, n = base, 1
    taken = Place.objects.exclude(pk=exclude_pk)
    while slug in RESERVED_SLUGS or slug in also_taken or taken.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _as_applicant(place, now):
    """What every new place gets, registered or imported: département, région and approximate
    position from its postcode, the applicant status and its dates."""
    place.set_location_from_postcode()
    place.status = Status.APPLICANT
    place.created_at = place.status_changed_at = now


DUPLICATE_IDENTIFIER = _("Un lieu avec ce numéro RNA ou ce SIRET est déjà inscrit.")


@transaction.atomic
def register_place(*, place, by, activities=(), publics=()):
    """Save a new place as an applicant, make ``by`` its representative, tell coordinators."""
    now = timezone.now()
    _as_applicant(place, now)
    place.slug = unique_slug(place.name)
    try:
        with transaction.atomic():
            place.save()
    except IntegrityError as error:
        raise TransitionError(DUPLICATE_IDENTIFIER) from error
    place.activities.set(activities)
    place.publics.set(publics)
    Membership.objects.create(user=by, place=place, role=Role.REPRESENTATIVE)
    PlaceTransition.objects.create(place=place, from_status="", to_status=Status.APPLICANT, by=by)
    record(place=place, code=PlaceEvent.Code.PLACE_STATUS, by=by, to=Status.APPLICANT)
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


@transaction.atomic
def save_profile(*, form, by):
    """Save the place's profile form (an editor in /espace/) and note what changed."""
    place = form.save()
    record_profile_edit(place=place, by=by, form=form)
    return place


def record_profile_edit(*, place, by, form):
    """The history entry of a profile edit (the portal's form or the admin's): the fields
    changed, with their old and new values as stored (labels and choices are read in the
    reader's language); lists and files by name only."""
    changes = {}
    for name in form.changed_data:
        if name not in PROFILE_FIELDS:
            continue
        field = Place._meta.get_field(name)
        if field.many_to_many or isinstance(field, models.FileField):
            changes[name] = None
        else:
            changes[name] = [stored(form.initial.get(name)), stored(form.cleaned_data.get(name))]
    if changes:
        record(place=place, code=PlaceEvent.Code.PROFILE_EDITED, by=by, changes=changes)


def stored(value):
    """A profile value as the history keeps it: JSON's own types, else its text."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    return str(value)


# The profile's fields: those the history of edits names (the status has its own entries).
PROFILE_FIELDS = {
    field.name
    for field in Place._meta.get_fields()
    if getattr(field, "editable", False) and not field.auto_created
} - {"status", "status_changed_at", "approved_at", "created_at"}


def create_applicants(*, entries, by):
    """Registration's rows for many places at once, for the coordinators' import
    (``members.services.imports``): ``entries`` are ``(place, activities, publics)`` with
    checked, unsaved places. Each place becomes an applicant as in ``register_place`` (derived
    location, free slug, its lists, the first version of its profile and the first row of its
    status history, by ``by``) in a few queries for all of them instead of a dozen each; the
    summary rows and the public pages are renewed once. No team, no e-mail: the caller invites
    the representatives. The caller's transaction."""
    now = timezone.now()
    places = [place for place, _activities, _publics in entries]
    bases = [_base_slug(place.name) for place in places]
    existing, wanted = set(), sorted(set(bases))
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        existing.update(Place.objects.filter(slug__in=chunk).values_list("slug", flat=True))
    given = set()
    for place, base in zip(places, bases, strict=True):
        _as_applicant(place, now)
        if base in existing or base in given or base in RESERVED_SLUGS:
            place.slug = unique_slug(place.name, also_taken=given)
        else:
            place.slug = base
        given.add(place.slug)
    try:
        with transaction.atomic():
            Place.objects.bulk_create(places, batch_size=500)
    except IntegrityError as error:  # registered meanwhile, after the caller's checks
        raise TransitionError(DUPLICATE_IDENTIFIER) from error
    Place.history.bulk_history_create(places, default_user=by, default_date=now, batch_size=500)
    for field, position in (("activities", 1), ("publics", 2)):
        through = getattr(Place, field).through
        column = getattr(Place, field).field.m2m_reverse_field_name()
        through.objects.bulk_create(
            [
                through(place_id=entry[0].pk, **{f"{column}_id": item.pk})
                for entry in entries
                for item in entry[position]
            ],
            batch_size=500,
        )
    PlaceTransition.objects.bulk_create(
        [
            PlaceTransition(place=place, from_status="", to_status=Status.APPLICANT, by=by, at=now)
            for place in places
        ],
        batch_size=500,
    )
    record_many(
        code=PlaceEvent.Code.PLACE_STATUS,
        by=by,
        at=now,
        events=[(place, {"to": Status.APPLICANT}) for place in places],
    )
    # bulk_create sends no signal: what Place's post-save does (members.apps, core.cache).
    tallies.retally(places=places)
    invalidate_public_pages()
    return places


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
    record(
        place=place,
        code=PlaceEvent.Code.PLACE_STATUS,
        by=by,
        at=now,
        reason=reason,
        **{"from": from_status, "to": to},
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
