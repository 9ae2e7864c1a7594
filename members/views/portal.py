"""The member portal, /espace/: the places of the signed-in user and what each must do next."""

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from members.access import role_at_least
from members.models import Assignment, Membership, Place, Signature, SignaturePolicy
from members.services.threads import unread_by_place

Role = Membership.Role


@dataclass
class NextAction:
    label: str
    url: str = ""
    deadline: object = None
    urgent: bool = False


def profile_is_incomplete(place):
    """What the public profile lacks: a presentation, activities or publics served."""
    return not (place.description and place.activities.all() and place.publics.all())


def next_action(membership, policy):
    """The one thing this member should do next for this place."""
    place = membership.place
    is_rep = role_at_least(membership.role, Role.REPRESENTATIVE)
    can_edit = role_at_least(membership.role, Role.EDITOR)
    edit_url = reverse("members:place_edit", args=[place.slug])
    sign_url = reverse("members:sign", args=[place.slug])
    if place.status == Place.Status.APPLICANT:
        if can_edit and profile_is_incomplete(place):
            return NextAction(_("Compléter la fiche du lieu"), edit_url)
        return NextAction(_("Attendre la validation de la coordination"))
    if place.status != Place.Status.MEMBER:
        return NextAction(_("Aucune action : le lieu n’est pas membre actif du réseau"))
    signatures = list(place.signatures.all())  # prefetched, newest version first
    latest = max(signatures, key=lambda s: s.version.number, default=None)
    state = policy.state(latest) if latest else None
    if latest is None or state == Signature.State.LAPSED:
        if is_rep:
            return NextAction(_("Signer la charte"), sign_url, urgent=True)
        return NextAction(_("Un·e représentant·e doit signer la charte"), urgent=True)
    if state == Signature.State.AWAITING:
        label = _("Signer à nouveau la charte avant le")
        return NextAction(label, sign_url if is_rep else "", deadline=policy.deadline, urgent=True)
    if can_edit:
        # The reports pages (/espace/<slug>/bilans/) belong to the reports app.
        return NextAction(_("Rédiger le bilan"), f"/espace/{place.slug}/bilans/")
    return NextAction(_("Consulter les bilans"), f"/espace/{place.slug}/bilans/")


@login_required
def dashboard(request):
    memberships = list(
        Membership.objects.filter(user=request.user)
        .select_related("place")
        .prefetch_related(
            "place__activities",
            "place__publics",
            Prefetch("place__signatures", queryset=Signature.objects.select_related("version")),
        )
        .order_by("place__name", "pk")
    )
    policy = SignaturePolicy()
    # Unread messages in each place's report threads: one query for all the places.
    unread = unread_by_place(request.user, [m.place_id for m in memberships])
    for membership in memberships:
        membership.unread = unread.get(membership.place_id, 0)
    rows = [(m, next_action(m, policy)) for m in memberships]
    resign = [(m, action) for m, action in rows if action.deadline is not None]
    return render(
        request,
        "members/portal/dashboard.html",
        {
            "rows": rows,
            "resign": resign,
            "policy": policy,
            "assigned": Assignment.objects.filter(
                assignee=request.user, answer__report__place__in=[m.place_id for m in memberships]
            ).count(),
        },
    )
