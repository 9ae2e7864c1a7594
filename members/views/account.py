"""/espace/compte/: a user's name and e-mail language, their personal data — download it, or
delete the account."""

import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.second_factor import has_second_factor
from members.forms.accounts import DeleteAccountForm, ProfileForm
from members.models import Membership
from members.services.personal_data import (
    delete_account,
    export_user_data,
    places_left_without_representative,
)


def _render_account(request, form, status=200, profile_form=None):
    context = {
        "form": form,
        "profile_form": profile_form or ProfileForm(instance=request.user),
        "memberships": Membership.objects.filter(user=request.user)
        .select_related("place")
        .order_by("place__name", "pk"),
        "orphaned": places_left_without_representative(request.user),
        "has_second_factor": has_second_factor(request.user),
    }
    return render(request, "members/portal/account.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def account(request):
    """The account page; a POST saves the name and the language of the e-mails."""
    if request.method == "POST":
        profile_form = ProfileForm(request.POST, instance=request.user)
        if profile_form.is_valid():
            profile_form.save()
            messages.success(request, _("Votre profil est enregistré."))
            return redirect("members:account")
        return _render_account(
            request, DeleteAccountForm(user=request.user), status=400, profile_form=profile_form
        )
    return _render_account(request, DeleteAccountForm(user=request.user))


@login_required
@require_GET
def account_data(request):
    data = export_user_data(request.user)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    filename = f"mes-donnees-{timezone.localdate().isoformat()}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_POST
def account_delete(request):
    form = DeleteAccountForm(request.POST, user=request.user)
    if not form.is_valid():
        return _render_account(request, form, status=400)
    user = request.user
    logout(request)
    delete_account(user=user)
    messages.success(request, _("Votre compte a été supprimé. Merci d’avoir participé au réseau."))
    return redirect("home")
