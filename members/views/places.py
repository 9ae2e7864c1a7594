"""Registering a place, asking to join an existing one, reading and editing its profile."""

import copy

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch, prefetch_related_objects
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from members.access import get_membership_for_user, get_place_for_user, role_at_least
from members.forms.places import PlaceForm
from members.models import Membership, Signature
from members.services import places as place_services
from members.services import teams as team_services

from .actions import run_service

Role = Membership.Role


def _map_tiles():
    """The tile server of the "Position sur la carte" picker: the directory map's."""
    return {
        "map_tiles_url": settings.MAP_TILES_URL,
        "map_tiles_attribution": settings.MAP_TILES_ATTRIBUTION,
    }


@login_required
def register(request):
    """ "Inscrire mon lieu": the creator becomes its representative; coordinators are told."""
    form = PlaceForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        place = form.save(commit=False)
        registered = run_service(
            request,
            lambda: place_services.register_place(
                place=place,
                by=request.user,
                activities=form.cleaned_data["activities"],
                publics=form.cleaned_data["publics"],
            ),
            _(
                "Votre lieu est inscrit. La coordination du réseau va examiner votre "
                "candidature ; vous recevrez un e-mail dès sa décision."
            ),
            form=form,
        )
        if registered:
            return redirect("members:place", slug=place.slug)
    return render(
        request,
        "members/portal/place_form.html",
        {
            "form": form,
            "duplicate": form.duplicate,
            "registering": True,
            **_map_tiles(),
        },
    )


@login_required
@require_POST
def join_request(request):
    """Ask the representatives of the place that holds this RNA or SIRET to invite me.

    The answer is the same whoever holds the number, or nobody: it never names a place."""
    identifier = request.POST.get("identifier", "")
    run_service(
        request,
        lambda: team_services.request_to_join(identifier=identifier, by=request.user),
        _(
            "Si un lieu inscrit porte ce numéro, ses représentant·es ont reçu votre demande. "
            "Vous recevrez une invitation par e-mail s’ils vous ajoutent à l’équipe."
        ),
    )
    return redirect("members:dashboard")


@login_required
def place_detail(request, slug):
    membership = get_membership_for_user(request, slug)
    place = membership.place  # read with the membership: its lists only are read here
    prefetch_related_objects(
        [place],
        "activities",
        "publics",
        Prefetch("signatures", queryset=Signature.objects.select_related("version")),
    )
    return render(
        request,
        "members/portal/place_detail.html",
        {
            "place": place,
            "membership": membership,
            "can_edit": role_at_least(membership.role, Role.EDITOR),
        },
    )


@login_required
def place_edit(request, slug):
    place = get_place_for_user(request, slug, role=Role.EDITOR)
    original = copy.copy(place)  # the form writes what was typed onto ``place``
    form = PlaceForm(request.POST or None, request.FILES or None, instance=place)
    if request.method == "POST" and form.is_valid():
        place_services.save_profile(form=form, by=request.user)
        messages.success(request, _("La fiche du lieu est à jour."))
        return redirect("members:place", slug=place.slug)
    return render(
        request,
        "members/portal/place_form.html",
        {"form": form, "place": original, "duplicate": None, **_map_tiles()},
    )
