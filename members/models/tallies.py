"""Summary rows of the dashboard, the home page and the observatory (``members.tallies``).

Each row counts, for one département (its région kept beside it, derived), what the
aggregates read: places by status and signature state, reports by campaign and status, answers
by commitment and level, indicator totals. ``members.tallies.retally`` rewrites the rows of the
départements a change touches, in the transaction of the change; ``rebuild`` (the
``rebuild_stats`` command) rewrites them all, for what time alone changes (a signature lapsing).
"""

from django.db import models


class PlaceTally(models.Model):
    departement = models.CharField(max_length=3)
    region = models.CharField(max_length=3)
    status = models.CharField(max_length=12)
    is_public = models.BooleanField()
    signature_state = models.CharField(max_length=12)  # Signature.State or NEVER_SIGNED
    signed_current = models.BooleanField()  # signed the version in force
    places = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "departement",
                    "region",
                    "status",
                    "is_public",
                    "signature_state",
                    "signed_current",
                ],
                name="place_tally_once",
            )
        ]

    def __str__(self):
        return f"{self.departement} {self.status} {self.signature_state}: {self.places}"


class ReportTally(models.Model):
    campaign = models.ForeignKey("members.ReportingCampaign", on_delete=models.CASCADE)
    departement = models.CharField(max_length=3)
    region = models.CharField(max_length=3)
    place_status = models.CharField(max_length=12)
    status = models.CharField(max_length=20)
    is_published = models.BooleanField()
    reports = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "campaign",
                    "departement",
                    "region",
                    "place_status",
                    "status",
                    "is_published",
                ],
                name="report_tally_once",
            )
        ]

    def __str__(self):
        return f"{self.campaign_id} {self.departement} {self.status}: {self.reports}"


class LevelTally(models.Model):
    """Answers of sent reports (submitted, changes requested, approved) per level."""

    campaign = models.ForeignKey("members.ReportingCampaign", on_delete=models.CASCADE)
    departement = models.CharField(max_length=3)
    region = models.CharField(max_length=3)
    commitment_key = models.CharField(max_length=60)
    level = models.CharField(max_length=2)
    sent = models.PositiveIntegerField()
    published = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "departement", "region", "commitment_key", "level"],
                name="level_tally_once",
            )
        ]

    def __str__(self):
        return f"{self.campaign_id} {self.departement} {self.commitment_key} {self.level}"


class IndicatorTally(models.Model):
    """Values of published reports per indicator."""

    campaign = models.ForeignKey("members.ReportingCampaign", on_delete=models.CASCADE)
    departement = models.CharField(max_length=3)
    region = models.CharField(max_length=3)
    indicator = models.ForeignKey("members.Indicator", on_delete=models.CASCADE)
    answers = models.PositiveIntegerField()
    total = models.DecimalField(max_digits=20, decimal_places=2)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "departement", "region", "indicator"],
                name="indicator_tally_once",
            )
        ]

    def __str__(self):
        return f"{self.campaign_id} {self.departement} {self.indicator_id}"
