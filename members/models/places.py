"""Places of the network, the reference lists that describe them, their status changes."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Coalesce, Greatest, TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.i18n import translated
from core.uploads import unguessable_name
from members import geography, validators

from .history import Event
from .links import place_link

# --- Reference lists coordinators extend in the admin ----------------------------------------


class ReferenceItem(models.Model):
    """An entry of a reference list: a name in French and English, a slug, a position."""

    name = models.CharField(_("nom"), max_length=100, unique=True)
    name_en = models.CharField(_("nom (anglais)"), max_length=100, blank=True)
    slug = models.SlugField(_("identifiant"), unique=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        abstract = True
        ordering = ["position", "name", "pk"]

    def __str__(self):
        return translated(self, "name")


class Activity(ReferenceItem):
    class Meta(ReferenceItem.Meta):
        verbose_name = _("activité")
        verbose_name_plural = _("activités")


class PublicServed(ReferenceItem):
    class Meta(ReferenceItem.Meta):
        verbose_name = _("public accueilli")
        verbose_name_plural = _("publics accueillis")


# --- Places ---------------------------------------------------------------------------------


def logo_path(instance, filename):
    return unguessable_name("places/logos", filename, random_bytes=8)


class PlaceQuerySet(models.QuerySet):
    def with_valid_signature(self, policy=None):
        """Places with a signature in force or awaiting re-signing."""
        from .signatures import Signature

        return self.filter(
            models.Exists(Signature.objects.valid(policy).filter(place=models.OuterRef("pk")))
        )

    def with_signature_state(self, policy=None):
        """Annotate the latest signature of each place (of a published or superseded version):
        ``latest_signed`` (its version number, None if never signed), ``latest_signed_at`` and
        ``signature_state`` (a Signature.State, or ``NEVER_SIGNED``). The one rule used by the
        dashboard, the admin filter, the exports and the directory."""
        from .signatures import NEVER_SIGNED, Signature, SignaturePolicy

        policy = policy or SignaturePolicy()
        # order_by(): the latest version first; index members_signature_once (place, version).
        latest = (
            Signature.objects.filter(place=models.OuterRef("pk"))
            .exclude(version__status="draft")
            .order_by("-version__number")
        )
        return self.annotate(
            latest_signed=models.Subquery(latest.values("version__number")[:1]),
            latest_signed_at=models.Subquery(latest.values("signed_at")[:1]),
        ).annotate(
            signature_state=models.Case(
                models.When(latest_signed__isnull=True, then=models.Value(NEVER_SIGNED)),
                default=policy.state_expression("latest_signed"),
                output_field=models.CharField(),
            )
        )

    def listed(self, policy=None):
        """What the public may see: approved members, public, with a valid signature."""
        return self.filter(status=Place.Status.MEMBER, is_public=True).with_valid_signature(policy)

    def with_reporting_status(self, campaign, today=None):
        """Annotate ``reporting_status`` (a ReportingStatus) for ``campaign``, from the dates.

        A place is judged only on what it could do as a member: approved after the campaign's
        due date, it is not expected to report (``not_expected``); approved while the campaign
        ran, it has the campaign's due date or 90 days from its approval, whichever is later
        (``NEWCOMER_DAYS``). Not yet submitted after that date (or the extension granted to the
        place): late; after the grace period too: non-communicating. One subquery per place.
        The same rule for one place in Python: ``members.services.reports.reporting_status``.
        """
        from .reports import NEWCOMER_DAYS, Extension, Report, ReportingStatus

        today = today or timezone.localdate()
        # order_by(): no default ordering (and its joins) inside the subqueries.
        report = Report.objects.filter(place=models.OuterRef("pk"), campaign=campaign).order_by()
        extension = Extension.objects.filter(
            place=models.OuterRef("pk"), campaign=campaign, status=Extension.Status.GRANTED
        ).order_by("-due_on")  # index extension_place_campaign_idx
        due = Coalesce(
            models.Subquery(extension.values("due_on")[:1]), models.Value(campaign.due_on)
        )
        newcomer_due = TruncDate(models.F("approved_at") + timedelta(days=NEWCOMER_DAYS))
        joined_during = models.Q(
            approved_at__date__gte=campaign.opens_on, approved_at__date__lte=campaign.due_on
        )
        return self.annotate(
            report_state=models.Subquery(report.values("status")[:1]),
            effective_due_on=models.Case(
                models.When(joined_during, then=Greatest(due, newcomer_due)),
                default=due,
                output_field=models.DateField(),
            ),
        ).annotate(
            reporting_status=models.Case(
                models.When(report_state__in=Report.SENT, then=models.F("report_state")),
                models.When(
                    approved_at__date__gt=campaign.due_on,
                    then=models.Value(ReportingStatus.NOT_EXPECTED),
                ),
                models.When(
                    effective_due_on__lt=today - timedelta(days=campaign.grace_days),
                    then=models.Value(ReportingStatus.NON_COMMUNICATING),
                ),
                models.When(effective_due_on__lt=today, then=models.Value(ReportingStatus.LATE)),
                models.When(
                    report_state=Report.Status.DRAFT, then=models.Value(ReportingStatus.DRAFT)
                ),
                default=models.Value(ReportingStatus.NOT_STARTED),
                output_field=models.CharField(),
            )
        )

    def holding_identifiers(self):
        """Places whose application stands (not rejected nor withdrawn): they hold their RNA
        and SIRET, which no other such place may carry (the conditional unique constraints)."""
        return self.exclude(status__in=Place.RELEASED_STATUSES)


class Place(models.Model):
    class Status(models.TextChoices):
        APPLICANT = "applicant", _("Candidature")
        MEMBER = "member", _("Membre")
        REJECTED = "rejected", _("Refusée")
        SUSPENDED = "suspended", _("Suspendue")
        WITHDRAWN = "withdrawn", _("Retirée")

    class LegalForm(models.TextChoices):
        ASSOCIATION = "association", _("Association loi 1901")
        ASSOCIATION_LOCAL = "association_local", _("Association de droit local (Alsace-Moselle)")
        SCIC = "scic", _("Société coopérative d’intérêt collectif (SCIC)")
        FOUNDATION = "foundation", _("Fondation")
        PUBLIC = "public", _("Structure publique ou parapublique")
        OTHER = "other", _("Autre")

    # A rejected or withdrawn place releases its RNA and SIRET: they may be registered again,
    # as a new application.
    RELEASED_STATUSES = [Status.REJECTED, Status.WITHDRAWN]

    name = models.CharField(_("nom public"), max_length=200)
    slug = models.SlugField(_("adresse de la fiche"), max_length=220, unique=True)
    legal_name = models.CharField(_("raison sociale"), max_length=200)
    legal_form = models.CharField(
        _("forme juridique"),
        max_length=20,
        choices=LegalForm.choices,
        default=LegalForm.ASSOCIATION,
    )
    year_founded = models.PositiveIntegerField(_("année de création"), null=True, blank=True)
    rna = models.CharField(_("numéro RNA"), max_length=10, blank=True)
    siret = models.CharField(_("SIRET"), max_length=14, blank=True)
    description = models.TextField(_("présentation"), blank=True)
    activities = models.ManyToManyField(
        Activity, verbose_name=_("activités"), blank=True, related_name="places"
    )
    publics = models.ManyToManyField(
        PublicServed, verbose_name=_("publics accueillis"), blank=True, related_name="places"
    )
    street = models.CharField(_("adresse"), max_length=250, blank=True)
    postcode = models.CharField(_("code postal"), max_length=5)
    commune = models.CharField(_("commune"), max_length=120)
    departement = models.CharField(_("département"), max_length=3, db_index=True)
    region = models.CharField(_("région"), max_length=3, db_index=True)
    latitude = models.FloatField(
        _("latitude"), null=True, blank=True, validators=[validators.validate_latitude]
    )
    longitude = models.FloatField(
        _("longitude"), null=True, blank=True, validators=[validators.validate_longitude]
    )
    # True while the coordinates are the département's centre (geography.DEPARTEMENT_CENTRES),
    # filled because the place gave none; False once someone sets the real position.
    position_is_approximate = models.BooleanField(
        _("position approximative (centre du département)"), default=False, db_default=False
    )
    website = models.URLField(_("site web"), blank=True)
    public_email = models.EmailField(_("e-mail public"), blank=True)
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    logo = models.ImageField(_("logo"), upload_to=logo_path, blank=True)
    is_public = models.BooleanField(_("apparaître dans l’annuaire public"), default=True)
    status = models.CharField(
        _("statut"), max_length=12, choices=Status.choices, default=Status.APPLICANT
    )
    created_at = models.DateTimeField(_("inscrit le"), default=timezone.now)
    status_changed_at = models.DateTimeField(_("statut modifié le"), default=timezone.now)
    approved_at = models.DateTimeField(_("membre depuis"), null=True, blank=True)

    history = HistoricalRecords(
        excluded_fields=["status", "status_changed_at", "approved_at", "created_at"],
        verbose_name=_("version de la fiche d’un lieu"),
        verbose_name_plural=_("historique des fiches des lieux"),
    )
    objects = PlaceQuerySet.as_manager()

    class Meta:
        verbose_name = _("lieu")
        verbose_name_plural = _("lieux")
        ordering = ["name", "pk"]
        constraints = [
            # Unique among places whose application stands (PlaceQuerySet.holding_identifiers).
            models.UniqueConstraint(
                fields=["rna"],
                condition=~models.Q(rna="") & ~models.Q(status__in=["rejected", "withdrawn"]),
                name="members_place_rna_unique",
            ),
            models.UniqueConstraint(
                fields=["siret"],
                condition=~models.Q(siret="") & ~models.Q(status__in=["rejected", "withdrawn"]),
                name="members_place_siret_unique",
            ),
            models.CheckConstraint(
                condition=~models.Q(rna="", siret=""), name="members_place_has_identifier"
            ),
            models.CheckConstraint(
                condition=models.Q(
                    status__in=["applicant", "member", "rejected", "suspended", "withdrawn"]
                ),
                name="members_place_status_valid",
            ),
        ]
        indexes = [
            # Directory: listed places filtered by status, ordered by name.
            models.Index(fields=["status", "is_public", "name"], name="place_listed_idx"),
            # Admin place list, unfiltered: ORDER BY name, id LIMIT 100 (Meta.ordering).
            models.Index(fields=["name", "id"], name="place_name_idx"),
            # Dashboard: the places approved since a campaign opened (their own due date).
            models.Index(fields=["approved_at"], name="place_approved_idx"),
            # Directory's count of listed places: the ids of public members, read without the
            # table (index-only), then joined to the valid signatures' unique index.
            models.Index(
                fields=["id"],
                condition=models.Q(status="member", is_public=True),
                name="place_public_member_idx",
            ),
        ]

    def __str__(self):
        return self.name

    # What the summary rows (members.tallies) count a place under: a save that changes it
    # rewrites the rows of the old and the new département (members.apps).
    TALLIED_FIELDS = ("departement", "status", "is_public")

    @classmethod
    def from_db(cls, db, field_names, values, *, fetch_mode=None):
        place = super().from_db(db, field_names, values, fetch_mode=fetch_mode)
        place._tallied_as = tuple(place.__dict__.get(name) for name in cls.TALLIED_FIELDS)
        # The slug as loaded: a new slug renews the cached page under the old one too
        # (core.cache, members.apps).
        place._loaded_slug = place.__dict__.get("slug")
        return place

    def clean(self):
        """Normalise the identifiers, check them, and derive département and région."""
        errors = {}
        self.rna = validators.normalise_rna(self.rna)
        self.siret = validators.normalise_siret(self.siret)
        for field, validate in (
            ("rna", validators.validate_rna),
            ("siret", validators.validate_siret),
            ("postcode", validators.validate_postcode),
        ):
            if getattr(self, field):
                try:
                    validate(getattr(self, field))
                except ValidationError as error:
                    errors[field] = error
        if not self.rna and not self.siret:
            errors["rna"] = ValidationError(
                _("Indiquez au moins un identifiant : le numéro RNA ou le SIRET."),
                code="identifier_required",
            )
        if (self.latitude is None) != (self.longitude is None):
            missing = "longitude" if self.longitude is None else "latitude"
            errors[missing] = ValidationError(
                _("Indiquez la latitude et la longitude, ou aucune des deux."),
                code="position_incomplete",
            )
        if not errors.keys() & {"postcode", "latitude", "longitude"}:
            self.set_location_from_postcode()
        if errors:
            raise ValidationError(errors)

    def set_location_from_postcode(self):
        """Derive département and région; without coordinates, place it at the département's centre.

        An approximate position follows the postcode: while the coordinates are still a
        département's centre, they are recomputed, so a place that moves to another département
        moves on the map too. Any other coordinates are real ones: kept, and no longer approximate.
        """
        self.postcode = (self.postcode or "").strip()
        self.departement = geography.departement_for_postcode(self.postcode) or ""
        self.region = geography.region_for_departement(self.departement) or ""
        if (
            self.latitude is None
            or self.longitude is None
            or (
                self.position_is_approximate
                and geography.is_departement_centre(self.latitude, self.longitude)
            )
        ):
            position = geography.approximate_position(self.departement)
            self.latitude, self.longitude = position or (None, None)
            self.position_is_approximate = position is not None
        else:
            self.position_is_approximate = False

    @property
    def departement_name(self):
        return geography.departement_name(self.departement)

    @property
    def region_name(self):
        return geography.region_name(self.region)


class Transition(Event):
    """One change of status of a ``subject`` (a place, a report): who, when, from, to.

    Concrete models add the subject's foreign key, ``from_status``/``to_status`` with the
    subject's choices, and what was said (a reason, a message)."""

    subject_field = ""

    class Meta(Event.Meta):
        abstract = True

    def __str__(self):
        subject = getattr(self, self.subject_field)
        return f"{subject} : {self.from_status or '∅'} → {self.to_status}"


class PlaceTransition(Transition):
    """One change of a place's status: who, when, from, to, why."""

    subject_field = "place"
    # PROTECT: a transition is never deleted (members/triggers.py), nor is its place.
    place = place_link("transitions", on_delete=models.PROTECT)
    from_status = models.CharField(_("de"), max_length=12, choices=Place.Status.choices, blank=True)
    to_status = models.CharField(_("vers"), max_length=12, choices=Place.Status.choices)
    reason = models.TextField(_("motif"), blank=True)

    class Meta(Transition.Meta):
        verbose_name = _("changement de statut")
        verbose_name_plural = _("changements de statut")
