"""Coordinators sign in with two factors: a staff account reaches the admin only once it has
an authenticator app or a security key (allauth.mfa).

Every way in to the admin goes through allauth's login (``CoordinationSite.login`` sends the
admin's login page there), which asks for the second factor of any account that has one; an
account without one is sent, from any admin URL, to the page where it sets one up.
"""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

SECOND_FACTORS = ("totp", "webauthn")  # recovery codes alone are a fallback, not a factor


def has_second_factor(user):
    from allauth.mfa.utils import is_mfa_enabled

    return is_mfa_enabled(user, types=SECOND_FACTORS)


class RequireSecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        admin = reverse("admin:index")
        if (
            request.path.startswith(admin)
            and request.path != reverse("admin:logout")
            and request.user.is_authenticated
            and request.user.is_staff
            and not has_second_factor(request.user)
        ):
            messages.warning(
                request,
                _(
                    "Le site de coordination donne accès aux données de tous les lieux : il "
                    "demande une double authentification. Activez une application "
                    "d’authentification (ou une clé de sécurité), puis revenez au site de "
                    "coordination."
                ),
            )
            return redirect("mfa_index")
        return self.get_response(request)
