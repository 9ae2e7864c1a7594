"""A place's team: members, invitations, roles; and accepting an invitation."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from members import services
from members.access import (
    get_invitation_for_user,
    get_membership_for_user,
    get_team_member_for_user,
    person_name,
    role_at_least,
    sees_addresses,
)
from members.forms.teams import InvitationForm, RoleForm
from members.models import Invitation, Membership
from members.services import teams as team_services

from .actions import run_service

Role = Membership.Role


def _team_page(request, membership, invite_form):
    place = membership.place
    members = place.memberships.select_related("user").order_by("user__email", "pk")
    pending = (
        place.invitations.filter(accepted_at=None, revoked_at=None, expires_at__gt=timezone.now())
        .select_related("invited_by")
        .order_by("-created_at", "-pk")
    )
    is_representative = role_at_least(membership.role, Role.REPRESENTATIVE)
    return render(
        request,
        "members/portal/team.html",
        {
            "place": place,
            "membership": membership,
            "members": members,
            "invitations": pending if is_representative else [],
            "is_representative": is_representative,
            # Addresses for representatives (and coordinators); names for everyone else.
            "show_addresses": sees_addresses(request.user, place, role=membership.role),
            "invite_form": invite_form,
            "role_choices": Role.choices,
        },
        status=400 if invite_form.is_bound else 200,
    )


@login_required
def team(request, slug):
    """GET: the team (any member). POST: invite someone (representatives)."""
    if request.method == "POST":
        membership = get_membership_for_user(request, slug, role=Role.REPRESENTATIVE)
        form = InvitationForm(request.POST, place=membership.place)
        if form.is_valid() and run_service(
            request,
            lambda: team_services.invite_member(
                place=membership.place,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                by=request.user,
            ),
            lambda invitation: (
                _("Invitation envoyée à %(email)s, valable 14 jours.") % {"email": invitation.email}
            ),
            form=form,
            field="email",
        ):
            return redirect("members:team", slug=slug)
        return _team_page(request, membership, form)
    membership = get_membership_for_user(request, slug)
    return _team_page(request, membership, InvitationForm(place=membership.place))


@login_required
@require_POST
def change_role(request, slug, pk):
    _me, target = get_team_member_for_user(request, slug, pk)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choisissez un rôle dans la liste."))
        return redirect("members:team", slug=slug)
    run_service(
        request,
        lambda: team_services.change_role(
            membership=target, role=form.cleaned_data["role"], by=request.user
        ),
        lambda _result: (
            _("%(user)s est désormais %(role)s.")
            % {
                "user": person_name(target.user, with_address=True),
                "role": target.get_role_display().lower(),
            }
        ),
    )
    return redirect("members:team", slug=slug)


@login_required
@require_POST
def remove_member(request, slug, pk):
    _me, target = get_team_member_for_user(request, slug, pk)
    removed = run_service(
        request,
        lambda: team_services.remove_member(membership=target, by=request.user),
        lambda _result: (
            _("%(user)s ne fait plus partie de l’équipe.")
            % {"user": person_name(target.user, with_address=True)}
        ),
    )
    if not removed:
        return redirect("members:team", slug=slug)
    if target.user_id == request.user.pk:
        return redirect("members:dashboard")
    return redirect("members:team", slug=slug)


@login_required
@require_POST
def revoke_invitation(request, slug, pk):
    invitation = get_invitation_for_user(request, slug, pk)
    run_service(
        request,
        lambda: team_services.revoke_invitation(invitation=invitation, by=request.user),
        _("L’invitation de %(email)s est annulée.") % {"email": invitation.email},
    )
    return redirect("members:team", slug=slug)


@login_required
@require_POST
def leave(request, slug):
    me = get_membership_for_user(request, slug)
    left = run_service(
        request,
        lambda: team_services.leave_place(membership=me),
        lambda _result: _("Vous avez quitté l’équipe de « %(place)s ».") % {"place": me.place.name},
    )
    if not left:
        return redirect("members:team", slug=slug)
    return redirect("members:dashboard")


def invitation(request, token):
    """An invitation link: explains, sends to log in or sign up, then lets the invitee join."""
    invitation = get_object_or_404(
        Invitation.objects.select_related("place", "invited_by"), token=token
    )
    error = None
    try:
        team_services.check_invitation(invitation)
    except services.InvitationError as e:
        error = e.message
    wrong_address = (
        error is None
        and request.user.is_authenticated
        and request.user.email.lower() != invitation.email.lower()
    )
    if request.method == "POST" and error is None:
        if not request.user.is_authenticated:
            return redirect(f"{reverse('account_login')}?{urlencode({'next': request.path})}")
        try:
            membership = team_services.accept_invitation(invitation=invitation, user=request.user)
        except services.MembersError as e:
            messages.error(request, e.message)
            return redirect("members:invitation", token=token)
        messages.success(
            request,
            _("Bienvenue dans l’équipe de « %(place)s » !") % {"place": membership.place.name},
        )
        return redirect("members:place", slug=membership.place.slug)
    next_query = urlencode({"next": request.path})
    return render(
        request,
        "members/portal/invitation.html",
        {
            "invitation": invitation,
            "error": error,
            "wrong_address": wrong_address,
            "next_query": next_query,
        },
        status=410 if error else 200,
    )
