"""Summary rows of the dashboard, the home page and the observatory (``members.tallies``).

Each row counts, for one département (its région kept beside it, derived), what the
aggregates read: places by status and signature state, reports by campaign and status, answers
by commitment and level, indicator totals. ``members.tallies.retally`` rewrites the rows of the
départements a change touches, in the transaction of the change; ``rebuild`` (the
``rebuild_stats`` command) rewrites them all, for what time alone changes (a signature lapsing).
"""

from django.db import models


class Tally(models.Model):
    """A summary row: what is counted in one département.

    Each kind of row has one row per combination of its key (``one_row_per``); its other
    fields are the counts.
    """

    KEY = ("departement", "region")

    departement = models.CharField(max_length=3)
    region = models.CharField(max_length=3)

    class Meta:
        abstract = True

    def __str__(self):
        (key,) = self._meta.constraints
        return " ".join(str(self.serializable_value(name)) for name in key.fields)

    @classmethod
    def one_row_per(cls, name, *fields):
        """The Meta of a kind of summary row: one row per combination of ``KEY`` and
        ``fields``."""

        class Meta:
            constraints = [models.UniqueConstraint(fields=(*cls.KEY, *fields), name=name)]

        return Meta


class CampaignTally(Tally):
    """A summary row of one campaign."""

    KEY = ("campaign", *Tally.KEY)

    campaign = models.ForeignKey("members.ReportingCampaign", on_delete=models.CASCADE)

    class Meta:
        abstract = True


class PlaceTally(Tally):
    status = models.CharField(max_length=12)
    is_public = models.BooleanField()
    signature_state = models.CharField(max_length=12)  # Signature.State or NEVER_SIGNED
    signed_current = models.BooleanField()  # signed the version in force
    has_representative = models.BooleanField(default=False)
    places = models.PositiveIntegerField()

    Meta = Tally.one_row_per(
        "place_tally_once",
        "status",
        "is_public",
        "signature_state",
        "signed_current",
        "has_representative",
    )


class ReportTally(CampaignTally):
    """Reports per status, drafts included (created or deleted: a draft's saves change no
    row)."""

    place_status = models.CharField(max_length=12)
    status = models.CharField(max_length=20)
    is_published = models.BooleanField()
    reports = models.PositiveIntegerField()

    Meta = CampaignTally.one_row_per("report_tally_once", "place_status", "status", "is_published")


class LevelTally(CampaignTally):
    """Answers of sent reports (submitted, changes requested, approved) per level."""

    commitment_key = models.CharField(max_length=60)
    level = models.CharField(max_length=2)
    sent = models.PositiveIntegerField()
    published = models.PositiveIntegerField()

    Meta = CampaignTally.one_row_per("level_tally_once", "commitment_key", "level")


class DueTally(CampaignTally):
    """Member places with a due date of their own in a campaign (an extension granted, or
    approved since the campaign opened) that have not sent their report, by that date: the
    dashboard judges each row by the rule and today's date (``reporting_status``)."""

    report_status = models.CharField(max_length=20, blank=True)  # "" (no report) or a draft
    due_on = models.DateField()
    not_expected = models.BooleanField()  # approved after the campaign's due date
    places = models.PositiveIntegerField()

    Meta = CampaignTally.one_row_per("due_tally_once", "report_status", "due_on", "not_expected")


class IndicatorTally(CampaignTally):
    """Values of published reports per indicator."""

    indicator = models.ForeignKey("members.Indicator", on_delete=models.CASCADE)
    answers = models.PositiveIntegerField()
    total = models.DecimalField(max_digits=20, decimal_places=2)

    Meta = CampaignTally.one_row_per("indicator_tally_once", "indicator")
