"""The links many members models carry: to a place, a campaign, a charter version, each
with the same label everywhere."""

from django.db import models
from django.utils.translation import gettext_lazy as _


def _link(to, verbose_name, related_name, *, on_delete=models.CASCADE, optional=False):
    return models.ForeignKey(
        to,
        verbose_name=verbose_name,
        null=optional,
        blank=optional,
        on_delete=on_delete,
        related_name=related_name,
    )


def place_link(related_name, **options):
    return _link("members.Place", _("lieu"), related_name, **options)


def campaign_link(related_name, **options):
    return _link("members.ReportingCampaign", _("campagne"), related_name, **options)


def version_link(related_name, *, on_delete=models.PROTECT, **options):
    """Protected by default: what was signed or reported on a version keeps it."""
    return _link(
        "charter.CharterVersion",
        _("version de la charte"),
        related_name,
        on_delete=on_delete,
        **options,
    )
