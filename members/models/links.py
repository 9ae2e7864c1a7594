"""The links many members models carry: to a place, a campaign, a charter version, a report,
an answer, an indicator, each with the same label everywhere."""

from django.db import models
from django.utils.translation import gettext_lazy as _


def _link(
    to,
    verbose_name,
    related_name,
    *,
    on_delete=models.CASCADE,
    optional=False,
    field=models.ForeignKey,
):
    return field(
        to,
        verbose_name=verbose_name,
        null=optional,
        blank=optional,
        on_delete=on_delete,
        related_name=related_name,
    )


def place_link(related_name, **options):
    return _link("members.Place", _("lieu"), related_name, **options)


def peer_link(related_name, *, on_delete=models.PROTECT, **options):
    """The other place of a peer review. Protected by default: the reviews it was asked for and
    the messages it wrote keep it."""
    return _link("members.Place", _("lieu pair"), related_name, on_delete=on_delete, **options)


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


def report_link(related_name, **options):
    return _link("members.Report", _("bilan"), related_name, **options)


def answer_link(related_name, **options):
    return _link("members.Answer", _("réponse"), related_name, **options)


def indicator_link(related_name, *, on_delete=models.PROTECT, **options):
    """Protected by default: values and survey fields that read an indicator keep it."""
    return _link("members.Indicator", _("indicateur"), related_name, on_delete=on_delete, **options)
