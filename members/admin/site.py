"""The coordinators' site: Django's admin with the network's name and a dashboard as index."""

from urllib.parse import urlencode

from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

from members import stats


class CoordinationSite(admin.AdminSite):
    site_header = _("Coordination du réseau des lieux collectifs de proximité")
    site_title = _("Coordination LCP")
    index_title = _("Tableau de bord")
    index_template = "admin/lcp_index.html"

    def login(self, request, extra_context=None):
        """Everyone signs in through allauth, which asks for the second factor: Django's own
        admin login form (password only) is never shown."""
        if request.user.is_authenticated:
            # Signed in without the staff flag: allauth would send them straight back here.
            raise PermissionDenied
        next_url = request.GET.get(REDIRECT_FIELD_NAME, "")
        if not url_has_allowed_host_and_scheme(
            next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            next_url = reverse("admin:index", current_app=self.name)
        return redirect(f"{reverse('account_login')}?{urlencode({'next': next_url})}")

    def index(self, request, extra_context=None):
        """The admin index with the figures of the coordinator's territory above the apps."""
        figures = stats.dashboard_figures(request.user)
        return super().index(request, {"figures": figures, **(extra_context or {})})


site = CoordinationSite()


def default_site():
    """The one coordinators' site (``CoordinationAdminConfig.default_site``): Django may ask
    for it again while the admin modules register, and must get the same instance."""
    return site
