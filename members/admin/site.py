"""The coordinators' site: Django's admin with the network's name and a dashboard as index."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from members import stats


class CoordinationSite(admin.AdminSite):
    site_header = _("Coordination du réseau des lieux collectifs de proximité")
    site_title = _("Coordination LCP")
    index_title = _("Tableau de bord")
    index_template = "admin/lcp_index.html"

    def index(self, request, extra_context=None):
        """The admin index with the figures of the coordinator's territory above the apps."""
        figures = stats.dashboard_figures(request.user)
        return super().index(request, {"figures": figures, **(extra_context or {})})


site = CoordinationSite()


def default_site():
    """The one coordinators' site (``CoordinationAdminConfig.default_site``): Django may ask
    for it again while the admin modules register, and must get the same instance."""
    return site
