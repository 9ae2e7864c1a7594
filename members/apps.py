from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _sync_coordination_groups(sender, **kwargs):
    from .territory import sync_groups

    sync_groups()


def _is_draft(report):
    """Drafting shows nowhere publicly: a draft renews no public page."""
    return report.status == report.Status.DRAFT


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("Lieux membres")

    def ready(self):
        from core import cache

        from . import models, search  # noqa: F401 — search registers lcp_fold() on SQLite

        # Models added after the data migration reach "Coordination nationale" too.
        post_migrate.connect(_sync_coordination_groups, sender=self)
        # What the public pages show: a change starts a new generation of cached pages.
        cache.watch(
            models.Place,
            models.Place.activities.through,
            models.Place.publics.through,
            models.Signature,
            models.ReportingCampaign,
            models.Extension,
            models.Activity,
            models.PublicServed,
            models.Indicator,
        )
        cache.watch(models.Report, skip=_is_draft)


class CoordinationAdminConfig(admin_apps.AdminConfig):
    """Django's admin, with the coordinators' site (``members.admin.site``) as its default."""

    default = False  # members.apps' default configuration is MembersConfig
    default_site = "members.admin.site.default_site"
