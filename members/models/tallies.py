"""Summary rows of the dashboard, the home page and the observatory (``members.tallies``).

Each row counts, for one département (its région kept beside it, derived), what the
aggregates read: places by status and signature state, reports by campaign and status, answers
by commitment and level, indicator totals. ``members.tallies.retally`` rewrites the rows of the
départements a change touches, in the transaction of the change; ``rebuild`` (the
``rebuild_stats`` command) rewrites them all, for what time alone changes (a signature lapsing).
"""

from django.db import models


class Tally(models.Model):
    """A summary row: what is counted in one département."""

    departement = models.CharField(max_length=3)
    region = models.CharField(max_length=3)

    class Meta:
        abstract = True


class CampaignTally(Tally):
    """A summary row of one campaign."""

    campaign = models.ForeignKey("members.ReportingCampaign", on_delete=models.CASCADE)

    class Meta:
        abstract = True


def one_row_per(name, *fields):
    """Meta.constraints of a summary row: one row per combination of ``fields``."""
    return [models.UniqueConstraint(fields=fields, name=name)]


class PlaceTally(Tally):
    status = models.CharField(max_length=12)
    is_public = models.BooleanField()
    signature_state = models.CharField(max_length=12)  # Signature.State or NEVER_SIGNED
    signed_current = models.BooleanField()  # signed the version in force
    places = models.PositiveIntegerField()

    class Meta:
        constraints = one_row_per(
            "place_tally_once",
            *("departement", "region", "status", "is_public", "signature_state", "signed_current"),
        )

    def __str__(self):
        return f"{self.departement} {self.status} {self.signature_state}: {self.places}"


class ReportTally(CampaignTally):
    place_status = models.CharField(max_length=12)
    status = models.CharField(max_length=20)
    is_published = models.BooleanField()
    reports = models.PositiveIntegerField()

    class Meta:
        constraints = one_row_per(
            "report_tally_once",
            *("campaign", "departement", "region", "place_status", "status", "is_published"),
        )

    def __str__(self):
        return f"{self.campaign_id} {self.departement} {self.status}: {self.reports}"


class LevelTally(CampaignTally):
    """Answers of sent reports (submitted, changes requested, approved) per level."""

    commitment_key = models.CharField(max_length=60)
    level = models.CharField(max_length=2)
    sent = models.PositiveIntegerField()
    published = models.PositiveIntegerField()

    class Meta:
        constraints = one_row_per(
            "level_tally_once", "campaign", "departement", "region", "commitment_key", "level"
        )

    def __str__(self):
        return f"{self.campaign_id} {self.departement} {self.commitment_key} {self.level}"


class IndicatorTally(CampaignTally):
    """Values of published reports per indicator."""

    indicator = models.ForeignKey("members.Indicator", on_delete=models.CASCADE)
    answers = models.PositiveIntegerField()
    total = models.DecimalField(max_digits=20, decimal_places=2)

    class Meta:
        constraints = one_row_per(
            "indicator_tally_once", "campaign", "departement", "region", "indicator"
        )

    def __str__(self):
        return f"{self.campaign_id} {self.departement} {self.indicator_id}"
