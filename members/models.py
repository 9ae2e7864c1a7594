"""Places of the network, their teams, their signatures of the charter and their reports."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from charter.models import translated

from . import geography, validators

# --- Accounts -------------------------------------------------------------------------------


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """An account: the e-mail address is the login; there is no username."""

    username = None
    email = models.EmailField(_("adresse e-mail"), unique=True)
    language = models.CharField(_("langue"), max_length=8, choices=settings.LANGUAGES, default="fr")

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    class Meta:
        verbose_name = _("utilisateur")
        verbose_name_plural = _("utilisateurs")
        ordering = ["email", "pk"]

    def __str__(self):
        return self.get_full_name() or self.email


# --- Reference lists coordinators extend in the admin ----------------------------------------


class Activity(models.Model):
    name = models.CharField(_("nom"), max_length=100, unique=True)
    name_en = models.CharField(_("nom (anglais)"), max_length=100, blank=True)
    slug = models.SlugField(_("identifiant"), unique=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("activité")
        verbose_name_plural = _("activités")
        ordering = ["position", "name", "pk"]

    def __str__(self):
        return translated(self, "name")


class PublicServed(models.Model):
    name = models.CharField(_("nom"), max_length=100, unique=True)
    name_en = models.CharField(_("nom (anglais)"), max_length=100, blank=True)
    slug = models.SlugField(_("identifiant"), unique=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("public accueilli")
        verbose_name_plural = _("publics accueillis")
        ordering = ["position", "name", "pk"]

    def __str__(self):
        return translated(self, "name")


# --- Places ---------------------------------------------------------------------------------


def logo_path(instance, filename):
    return f"places/logos/{secrets.token_hex(8)}-{filename[-60:]}"


class PlaceQuerySet(models.QuerySet):
    def with_valid_signature(self, policy=None):
        """Places with a signature in force or awaiting re-signing."""
        return self.filter(
            models.Exists(Signature.objects.valid(policy).filter(place=models.OuterRef("pk")))
        )

    def listed(self, policy=None):
        """What the public may see: approved members, public, with a valid signature."""
        return self.filter(status=Place.Status.MEMBER, is_public=True).with_valid_signature(policy)

    def with_reporting_status(self, campaign, today=None):
        """Annotate ``reporting_status`` (a ReportingStatus) for ``campaign``, from the dates.

        Not yet submitted after the due date (or the extension granted to the place): late;
        after the grace period too: non-communicating. One subquery per place, no N+1.
        """
        today = today or timezone.localdate()
        # order_by(): no default ordering (and its joins) inside the subqueries.
        report = Report.objects.filter(place=models.OuterRef("pk"), campaign=campaign).order_by()
        extension = Extension.objects.filter(
            place=models.OuterRef("pk"), campaign=campaign, status=Extension.Status.GRANTED
        ).order_by("-due_on")  # index extension_place_campaign_idx
        due = Coalesce(
            models.Subquery(extension.values("due_on")[:1]), models.Value(campaign.due_on)
        )
        sent = [Report.Status.SUBMITTED, Report.Status.CHANGES_REQUESTED, Report.Status.APPROVED]
        return self.annotate(
            report_state=models.Subquery(report.values("status")[:1]),
            effective_due_on=due,
        ).annotate(
            reporting_status=models.Case(
                models.When(report_state__in=sent, then=models.F("report_state")),
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

    def for_user(self, user):
        """Places where ``user`` has a membership."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(memberships__user=user)


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
            models.UniqueConstraint(
                fields=["rna"], condition=~models.Q(rna=""), name="members_place_rna_unique"
            ),
            models.UniqueConstraint(
                fields=["siret"], condition=~models.Q(siret=""), name="members_place_siret_unique"
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
        ]

    def __str__(self):
        return self.name

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


class PlaceTransition(models.Model):
    """One change of a place's status: who, when, from, to, why."""

    place = models.ForeignKey(
        Place, verbose_name=_("lieu"), on_delete=models.CASCADE, related_name="transitions"
    )
    from_status = models.CharField(_("de"), max_length=12, choices=Place.Status.choices, blank=True)
    to_status = models.CharField(_("vers"), max_length=12, choices=Place.Status.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("le"), default=timezone.now)
    reason = models.TextField(_("motif"), blank=True)

    class Meta:
        verbose_name = _("changement de statut")
        verbose_name_plural = _("changements de statut")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.place} : {self.from_status or '∅'} → {self.to_status}"


# --- Teams ----------------------------------------------------------------------------------


class Membership(models.Model):
    class Role(models.TextChoices):
        REPRESENTATIVE = "representative", _("Représentant·e")
        EDITOR = "editor", _("Rédacteur·rice")
        VIEWER = "viewer", _("Lecteur·rice")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("utilisateur"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    place = models.ForeignKey(
        Place, verbose_name=_("lieu"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("rôle"), max_length=16, choices=Role.choices, default=Role.VIEWER)
    created_at = models.DateTimeField(_("depuis le"), default=timezone.now)

    class Meta:
        verbose_name = _("membre de l’équipe")
        verbose_name_plural = _("membres de l’équipe")
        ordering = ["place", "user__email", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "place"], name="members_membership_unique"),
        ]

    def __str__(self):
        return f"{self.user} – {self.place} ({self.get_role_display()})"


def invitation_token():
    return secrets.token_urlsafe(32)


class Invitation(models.Model):
    VALIDITY = timedelta(days=14)

    place = models.ForeignKey(
        Place, verbose_name=_("lieu"), on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("adresse e-mail"))
    role = models.CharField(_("rôle"), max_length=16, choices=Membership.Role.choices)
    token = models.CharField(max_length=64, unique=True, default=invitation_token, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invité par"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("envoyée le"), default=timezone.now)
    expires_at = models.DateTimeField(_("expire le"))
    accepted_at = models.DateTimeField(_("acceptée le"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("acceptée par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    revoked_at = models.DateTimeField(_("annulée le"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.email} → {self.place}"

    @property
    def is_pending(self):
        return (
            self.accepted_at is None
            and self.revoked_at is None
            and self.expires_at > timezone.now()
        )


# --- Signatures -----------------------------------------------------------------------------


VERIFICATION_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: easy to type


def verification_code():
    """Unguessable yet short enough to type: 12 characters from an unambiguous alphabet."""
    raw = "".join(secrets.choice(VERIFICATION_ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


class SignaturePolicy:
    """Which signatures are valid now, derived from the published charter versions' dates.

    A version that ``requires_resigning`` obliges signatories of older versions to sign again
    within its grace period: until then their signature *awaits re-signing*, afterwards it has
    *lapsed*. No cron job: everything follows from the dates.
    """

    def __init__(self, now=None):
        from charter.models import CharterVersion

        self.now = now or timezone.now()
        self.current = None
        self.lapsed_below = 0  # signatures of versions numbered below this have lapsed
        self.awaiting_below = 0  # … below this (and not lapsed) must be signed again
        self.deadline = None  # … before this moment
        self.resign_version = None
        versions = list(CharterVersion.objects.public().order_by("number"))
        for version in versions:
            if version.status == CharterVersion.Status.PUBLISHED:
                self.current = version
            if not version.requires_resigning:
                continue
            deadline = version.published_at + timedelta(days=version.grace_period_days)
            if deadline <= self.now:
                self.lapsed_below = version.number
            else:
                self.awaiting_below = version.number
                self.resign_version = version
                self.deadline = deadline if self.deadline is None else min(self.deadline, deadline)
        # Versions whose signatures are in force or awaiting re-signing (not lapsed).
        self.valid_version_ids = [v.pk for v in versions if v.number >= self.lapsed_below]

    def state(self, signature, has_newer=False):
        if has_newer:
            return Signature.State.SUPERSEDED
        number = signature.version.number
        if number < self.lapsed_below:
            return Signature.State.LAPSED
        if number < self.awaiting_below:
            return Signature.State.AWAITING
        return Signature.State.CURRENT


class SignatureImmutableError(Exception):
    """A signature is a record of what was signed: it is never changed nor deleted."""


class SignatureQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise SignatureImmutableError("Signatures are immutable: update() is refused.")

    def delete(self):
        raise SignatureImmutableError("Signatures are immutable: delete() is refused.")

    def valid(self, policy=None):
        """Signatures in force or awaiting re-signing (not lapsed); superseded ones included."""
        policy = policy or SignaturePolicy()
        return self.filter(version_id__in=policy.valid_version_ids)  # no join on versions


def minutes_path(instance, filename):
    return f"signatures/minutes/{secrets.token_hex(12)}.pdf"


class Signature(models.Model):
    """A place's adherence to one charter version. Immutable once created."""

    class State(models.TextChoices):
        CURRENT = "current", _("En vigueur")
        AWAITING = "awaiting", _("À signer à nouveau")
        LAPSED = "lapsed", _("Caduque")
        SUPERSEDED = "superseded", _("Remplacée par une signature plus récente")

    place = models.ForeignKey(
        Place, verbose_name=_("lieu"), on_delete=models.PROTECT, related_name="signatures"
    )
    version = models.ForeignKey(
        "charter.CharterVersion",
        verbose_name=_("version de la charte"),
        on_delete=models.PROTECT,
        related_name="signatures",
    )
    fingerprint = models.CharField(_("empreinte de la version signée"), max_length=64)
    signatory_name = models.CharField(_("nom du ou de la signataire"), max_length=200)
    signatory_title = models.CharField(_("qualité du ou de la signataire"), max_length=120)
    board_decision_date = models.DateField(_("date de la décision du conseil"))
    mandate_certified = models.BooleanField(_("mandat certifié"), default=False)
    minutes = models.FileField(_("procès-verbal"), upload_to=minutes_path, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signé par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="signatures",
    )
    signed_at = models.DateTimeField(_("signé le"), default=timezone.now)
    ip_address = models.GenericIPAddressField(_("adresse IP"), null=True, blank=True)
    user_agent = models.CharField(_("navigateur"), max_length=300, blank=True)
    verification_code = models.CharField(
        _("code de vérification"), max_length=14, unique=True, default=verification_code
    )

    objects = SignatureQuerySet.as_manager()

    class Meta:
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        ordering = ["-signed_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["place", "version"], name="members_signature_once"),
            models.CheckConstraint(
                condition=models.Q(mandate_certified=True), name="members_signature_mandate"
            ),
        ]

    def __str__(self):
        return f"{self.place} – v{self.version.number if self.version_id else '?'}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise SignatureImmutableError("Signatures are immutable: save() on a stored row.")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise SignatureImmutableError("Signatures are immutable: delete() is refused.")

    def has_newer(self):
        return Signature.objects.filter(
            place_id=self.place_id, version__number__gt=self.version.number
        ).exists()

    def state(self, policy=None):
        """Current, awaiting re-signing, lapsed, or superseded by a newer signature."""
        return (policy or SignaturePolicy()).state(self, has_newer=self.has_newer())

    @property
    def is_valid(self):
        return self.state() in (self.State.CURRENT, self.State.AWAITING)


# --- Reporting ------------------------------------------------------------------------------


class ReportingStatus(models.TextChoices):
    """A place's situation in a campaign, derived from its report and the dates."""

    NOT_STARTED = "not_started", _("Pas commencé")
    DRAFT = "draft", _("Brouillon")
    SUBMITTED = "submitted", _("Envoyé")
    CHANGES_REQUESTED = "changes_requested", _("Modifications demandées")
    APPROVED = "approved", _("Validé")
    LATE = "late", _("En retard")
    NON_COMMUNICATING = "non_communicating", _("Non communicant")


class Indicator(models.Model):
    class Kind(models.TextChoices):
        INTEGER = "integer", _("Nombre entier")
        DECIMAL = "decimal", _("Nombre décimal")
        MONEY = "money", _("Montant en euros")
        PERCENTAGE = "percentage", _("Pourcentage")

    key = models.SlugField(_("clé"), max_length=60, unique=True)
    label = models.CharField(_("libellé"), max_length=200)
    label_en = models.CharField(_("libellé (anglais)"), max_length=200, blank=True)
    help_text = models.TextField(_("aide"), blank=True)
    help_text_en = models.TextField(_("aide (anglais)"), blank=True)
    unit = models.CharField(_("unité"), max_length=30, blank=True)
    unit_en = models.CharField(_("unité (anglais)"), max_length=30, blank=True)
    kind = models.CharField(_("type"), max_length=12, choices=Kind.choices, default=Kind.INTEGER)
    min_value = models.DecimalField(
        _("minimum"), max_digits=14, decimal_places=2, null=True, blank=True, default=0
    )
    max_value = models.DecimalField(
        _("maximum"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    required = models.BooleanField(_("obligatoire"), default=False)
    commitment_key = models.SlugField(
        _("engagement lié (clé)"),
        max_length=80,
        blank=True,
        help_text=_("Clé de l’engagement de la charte auquel cet indicateur se rapporte."),
    )
    group = models.CharField(_("groupe"), max_length=60, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("indicateur")
        verbose_name_plural = _("indicateurs")
        ordering = ["position", "key", "pk"]

    def __str__(self):
        return translated(self, "label")

    def t_unit(self):
        return translated(self, "unit")


class ReportingCampaign(models.Model):
    name = models.CharField(_("nom"), max_length=100)
    name_en = models.CharField(_("nom (anglais)"), max_length=100, blank=True)
    year = models.PositiveIntegerField(_("année"), unique=True)
    opens_on = models.DateField(_("ouverture"))
    due_on = models.DateField(_("date limite"))
    grace_days = models.PositiveIntegerField(_("délai de grâce (jours)"), default=90)
    indicators = models.ManyToManyField(
        Indicator, verbose_name=_("indicateurs demandés"), blank=True, related_name="campaigns"
    )
    intro = models.TextField(_("introduction"), blank=True)
    intro_en = models.TextField(_("introduction (anglais)"), blank=True)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)

    class Meta:
        verbose_name = _("campagne de bilans")
        verbose_name_plural = _("campagnes de bilans")
        ordering = ["-year", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(due_on__gte=models.F("opens_on")),
                name="members_campaign_due_after_opening",
            ),
        ]

    def __str__(self):
        return translated(self, "name")

    @property
    def grace_ends_on(self):
        return self.due_on + timedelta(days=self.grace_days)


class ReportQuerySet(models.QuerySet):
    def published(self, policy=None):
        """What the public may read: approved, "publier ce bilan" ticked, place listed."""
        return self.filter(
            status=Report.Status.APPROVED,
            publish=True,
            place__in=Place.objects.listed(policy).values("pk"),
        )


class Report(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Brouillon")
        SUBMITTED = "submitted", _("Envoyé")
        CHANGES_REQUESTED = "changes_requested", _("Modifications demandées")
        APPROVED = "approved", _("Validé")

    place = models.ForeignKey(
        Place, verbose_name=_("lieu"), on_delete=models.CASCADE, related_name="reports"
    )
    campaign = models.ForeignKey(
        ReportingCampaign,
        verbose_name=_("campagne"),
        on_delete=models.PROTECT,
        related_name="reports",
    )
    version = models.ForeignKey(
        "charter.CharterVersion",
        verbose_name=_("version de la charte"),
        on_delete=models.PROTECT,
        related_name="reports",
    )
    status = models.CharField(
        _("statut"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    publish = models.BooleanField(_("publier ce bilan"), default=True)
    revision = models.PositiveIntegerField(
        _("révision"), default=0, help_text=_("Incrémentée à chaque enregistrement.")
    )
    created_at = models.DateTimeField(_("créé le"), default=timezone.now)
    updated_at = models.DateTimeField(_("modifié le"), default=timezone.now)
    submitted_at = models.DateTimeField(_("envoyé le"), null=True, blank=True)
    approved_at = models.DateTimeField(_("validé le"), null=True, blank=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("bilan")
        verbose_name_plural = _("bilans")
        ordering = ["-campaign__year", "place__name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["place", "campaign"], name="members_report_once"),
        ]
        indexes = [
            # Review queue: submitted reports, oldest first.
            models.Index(fields=["status", "submitted_at"], name="report_status_idx"),
            # Directory: a place's published reports (place page, the `engagement` filter's
            # "latest published report of each place", the observatory).
            models.Index(fields=["place", "status", "publish"], name="report_place_public_idx"),
        ]

    def __str__(self):
        return f"{self.place} – {self.campaign}"


class Answer(models.Model):
    """A place's answer on one commitment in one report."""

    class Level(models.TextChoices):
        NOT_ENGAGED = "0", _("Pas encore engagé")
        FIRST_STEPS = "1", _("Premiers pas")
        PROGRESSING = "2", _("En progression")
        ESTABLISHED = "3", _("Bien établi")
        EXEMPLARY = "4", _("Exemplaire")
        NOT_APPLICABLE = "na", _("Non concerné")

    report = models.ForeignKey(
        Report, verbose_name=_("bilan"), on_delete=models.CASCADE, related_name="answers"
    )
    commitment = models.ForeignKey(
        "charter.Commitment",
        verbose_name=_("engagement"),
        on_delete=models.PROTECT,
        related_name="answers",
    )
    level = models.CharField(_("niveau"), max_length=2, choices=Level.choices, blank=True)
    na_reason = models.TextField(_("pourquoi non concerné"), blank=True)
    narrative = models.TextField(_("récit"), blank=True)
    actions = models.TextField(_("actions concrètes"), blank=True)
    carried_over = models.BooleanField(_("repris du bilan précédent"), default=False)
    reviewer_comment = models.TextField(_("commentaire de la coordination"), blank=True)
    updated_at = models.DateTimeField(_("modifié le"), default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("modifié par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("réponse")
        verbose_name_plural = _("réponses")
        ordering = ["report", "commitment__section__position", "commitment__position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["report", "commitment"], name="members_answer_once"),
            models.CheckConstraint(
                condition=~models.Q(level="na") | ~models.Q(na_reason=""),
                name="members_answer_na_has_reason",
            ),
        ]
        indexes = [
            # Directory `engagement` filter and observatory: answers to one commitment at a
            # level ("3", "4"), e.g. WHERE commitment_id IN (…) AND level IN ('3', '4').
            models.Index(fields=["commitment", "level"], name="answer_commitment_level_idx"),
        ]

    def __str__(self):
        return f"{self.report} – {self.commitment.key}"

    @property
    def is_answered(self):
        return bool(self.level)

    @property
    def is_not_applicable(self):
        return self.level == self.Level.NOT_APPLICABLE


def evidence_path(instance, filename):
    return f"reports/evidence/{secrets.token_hex(12)}-{filename[-60:]}"


class Evidence(models.Model):
    answer = models.ForeignKey(
        Answer, verbose_name=_("réponse"), on_delete=models.CASCADE, related_name="evidence"
    )
    label = models.CharField(_("intitulé"), max_length=200, blank=True)
    url = models.URLField(_("lien"), blank=True)
    file = models.FileField(_("fichier"), upload_to=evidence_path, blank=True)
    created_at = models.DateTimeField(_("ajouté le"), default=timezone.now)

    class Meta:
        verbose_name = _("preuve")
        verbose_name_plural = _("preuves")
        ordering = ["answer", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(url="", file=""), name="members_evidence_url_or_file"
            ),
        ]

    def __str__(self):
        return self.label or self.url or self.file.name


class IndicatorValue(models.Model):
    report = models.ForeignKey(
        Report, verbose_name=_("bilan"), on_delete=models.CASCADE, related_name="indicator_values"
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicateur"), on_delete=models.PROTECT, related_name="values"
    )
    value = models.DecimalField(_("valeur"), max_digits=14, decimal_places=2)

    class Meta:
        verbose_name = _("valeur d’indicateur")
        verbose_name_plural = _("valeurs d’indicateurs")
        ordering = ["report", "indicator__position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "indicator"], name="members_indicator_value_once"
            ),
        ]

    def __str__(self):
        return f"{self.indicator.key} = {self.value}"


class ReportTransition(models.Model):
    """One step of a report's life: who, when, from, to, and the message."""

    report = models.ForeignKey(
        Report, verbose_name=_("bilan"), on_delete=models.CASCADE, related_name="transitions"
    )
    from_status = models.CharField(
        _("de"), max_length=20, choices=Report.Status.choices, blank=True
    )
    to_status = models.CharField(_("vers"), max_length=20, choices=Report.Status.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("le"), default=timezone.now)
    message = models.TextField(_("message"), blank=True)

    class Meta:
        verbose_name = _("étape du bilan")
        verbose_name_plural = _("étapes du bilan")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.report} : {self.from_status or '∅'} → {self.to_status}"


class Extension(models.Model):
    """A representative's request for a later due date, and the coordinators' answer."""

    class Status(models.TextChoices):
        PENDING = "pending", _("En attente")
        GRANTED = "granted", _("Accordé")
        REFUSED = "refused", _("Refusé")

    place = models.ForeignKey(
        Place, verbose_name=_("lieu"), on_delete=models.CASCADE, related_name="extensions"
    )
    campaign = models.ForeignKey(
        ReportingCampaign,
        verbose_name=_("campagne"),
        on_delete=models.CASCADE,
        related_name="extensions",
    )
    reason = models.TextField(_("motif de la demande"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("demandé par"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("demandé le"), default=timezone.now)
    status = models.CharField(
        _("statut"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    due_on = models.DateField(_("nouvelle date limite"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("décidé par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("décidé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("report d’échéance")
        verbose_name_plural = _("reports d’échéance")
        ordering = ["-requested_at", "-pk"]
        indexes = [
            # Reporting status of every listed place: the extension granted for one campaign.
            models.Index(fields=["place", "campaign"], name="extension_place_campaign_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="granted") | models.Q(due_on__isnull=False),
                name="members_extension_granted_has_date",
            ),
        ]

    def __str__(self):
        return f"{self.place} – {self.campaign}"


# --- Coordination: territorial scope and reminders -------------------------------------------


def validate_region_codes(value):
    from django.core.exceptions import ValidationError

    unknown = [code for code in value or [] if code not in geography.REGIONS]
    if not isinstance(value, list) or unknown:
        raise ValidationError(_("Codes de région inconnus : %(codes)s"), params={"codes": unknown})


def validate_departement_codes(value):
    from django.core.exceptions import ValidationError

    unknown = [code for code in value or [] if code not in geography.DEPARTEMENTS]
    if not isinstance(value, list) or unknown:
        raise ValidationError(
            _("Codes de département inconnus : %(codes)s"), params={"codes": unknown}
        )


class CoordinatorScope(models.Model):
    """The territory of a territorial coordinator: places whose région OR département is listed.

    National coordinators (superusers, group "Coordination nationale") need no scope; other
    staff users without a scope see no place at all.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("coordinateur·rice"),
        on_delete=models.CASCADE,
        related_name="coordinator_scope",
    )
    regions = models.JSONField(
        _("régions"), default=list, blank=True, validators=[validate_region_codes]
    )
    departements = models.JSONField(
        _("départements"), default=list, blank=True, validators=[validate_departement_codes]
    )

    class Meta:
        verbose_name = _("territoire de coordination")
        verbose_name_plural = _("territoires de coordination")
        ordering = ["user__email", "pk"]

    def __str__(self):
        names = [geography.region_name(c) for c in self.regions] + [
            f"{c} – {geography.departement_name(c)}" for c in self.departements
        ]
        return f"{self.user} : {', '.join(names) or '∅'}"


class ReminderLog(models.Model):
    """One reminder sent about a place: what, when, to whom, by whom (empty: automatic)."""

    class Kind(models.TextChoices):
        CAMPAIGN_OPEN = "campaign_open", _("Ouverture de la campagne de bilans")
        DUE_IN_30 = "due_in_30", _("Bilan attendu dans 30 jours")
        DUE_IN_7 = "due_in_7", _("Bilan attendu dans 7 jours")
        LATE = "late", _("Bilan en retard")
        NON_COMMUNICATING_IN_15 = (
            "non_communicating_in_15",
            _("Non communicant dans 15 jours"),
        )
        RESIGN_REQUIRED = "resign_required", _("Nouvelle version de la charte à signer")
        RESIGN_IN_30 = "resign_in_30", _("Fin du délai de nouvelle signature dans 30 jours")
        INVITATION_PENDING = "invitation_pending", _("Invitation pas encore acceptée")

    place = models.ForeignKey(
        Place, verbose_name=_("lieu"), on_delete=models.CASCADE, related_name="reminders"
    )
    kind = models.CharField(_("rappel"), max_length=30, choices=Kind.choices)
    campaign = models.ForeignKey(
        ReportingCampaign,
        verbose_name=_("campagne"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="reminders",
    )
    version = models.ForeignKey(
        "charter.CharterVersion",
        verbose_name=_("version de la charte"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="reminders",
    )
    invitation = models.ForeignKey(
        Invitation,
        verbose_name=_("invitation"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="reminders",
    )
    sent_on = models.DateField(_("envoyé le"))
    recipients = models.TextField(_("destinataires"), blank=True)
    is_automatic = models.BooleanField(_("automatique"), default=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("envoyé par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("enregistré le"), default=timezone.now)

    class Meta:
        verbose_name = _("rappel envoyé")
        verbose_name_plural = _("rappels envoyés")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # An automatic reminder goes out once per place and subject (campaign, version or
            # invitation), however often send_reminders runs. NULLs coalesced to 0 so that they
            # compare equal. Manual reminders may be repeated.
            models.UniqueConstraint(
                models.F("place"),
                models.F("kind"),
                Coalesce("campaign", models.Value(0)),
                Coalesce("version", models.Value(0)),
                Coalesce("invitation", models.Value(0)),
                condition=models.Q(is_automatic=True),
                name="members_reminder_automatic_once",
            ),
        ]
        indexes = [
            # Admin list and a place's reminder history, newest first.
            models.Index(fields=["place", "-created_at"], name="reminder_place_idx"),
        ]

    def __str__(self):
        return f"{self.place} – {self.get_kind_display()} ({self.sent_on})"
