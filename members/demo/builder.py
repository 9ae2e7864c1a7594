"""A fictional but realistic network, built fast and deterministically (``manage.py seed_demo``).

Everything depends only on the seed (and on today's date for the campaign calendar): the same
seed gives the same names, slugs, identifiers and levels. Rows go in with ``bulk_create`` in
batches inside one transaction; primary keys come back from the INSERT (RETURNING, on both
SQLite and PostgreSQL), so no row is fetched again.

Demo data is recognisable by its e-mail domain: every demo place's public address and every demo
user's address ends with ``@demo.example.org``; demo campaigns carry ``CAMPAIGN_MARKER`` in their
introduction. ``reset_demo()`` removes exactly that.
"""

import datetime
import itertools
import json
import random
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from importlib import import_module

from django.apps import apps as django_apps
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify

from charter.models import CharterVersion, Commitment
from members import geography, tallies, triggers
from members.models import (
    Activity,
    Answer,
    Assignment,
    Evidence,
    Extension,
    Indicator,
    IndicatorValue,
    Invitation,
    Membership,
    Message,
    PeerInvitation,
    Place,
    PlaceEvent,
    PlaceTransition,
    PublicServed,
    Report,
    ReportingCampaign,
    ReportTransition,
    Signature,
    ThreadRead,
    User,
)
from members.models.signatures import VERIFICATION_ALPHABET
from members.validators import luhn_check_digit

from . import data as demo_data

DEMO_EMAIL_DOMAIN = "demo.example.org"
CAMPAIGN_MARKER = "Campagne de démonstration créée par seed_demo."
BATCH_SIZE = 2000
UTC = datetime.UTC


def demo_places():
    return Place.objects.filter(public_email__endswith=f"@{DEMO_EMAIL_DOMAIN}")


def demo_users():
    return User.objects.filter(email__endswith=f"@{DEMO_EMAIL_DOMAIN}")


@dataclass
class Summary:
    counts: dict = field(default_factory=dict)
    timings: list = field(default_factory=list)  # (step, seconds)

    @property
    def total_seconds(self):
        return sum(seconds for _step, seconds in self.timings)


class _Timer:
    def __init__(self, summary):
        self.summary = summary
        self.last = time.perf_counter()

    def lap(self, step):
        now = time.perf_counter()
        self.summary.timings.append((step, now - self.last))
        self.last = now


@dataclass
class _PlacePlan:
    """What the generator decided for one place, kept to build its team and reports."""

    slug: str
    commune: str
    status: str
    created: datetime.datetime
    approved: datetime.datetime | None
    left: datetime.datetime | None  # suspended or withdrawn at
    level_mean: float
    diligence: float
    size: float
    no_staff: bool
    activity: str
    pk: int | None = None
    representative_id: int | None = None
    representative_name: str = ""
    editor_id: int | None = None
    versions: list = field(default_factory=list)  # CharterVersion signed, oldest first


@dataclass
class _ReportPlan:
    plan: _PlacePlan
    index: int  # of the campaign, oldest first
    campaign_id: int
    version_id: int
    status: str
    submitted: datetime.datetime | None
    approved: datetime.datetime | None
    updated: object  # adapted for the database
    pk: int | None = None


@contextmanager
def _foreign_keys_validated_at_end(models, *, referencing=False):
    """On PostgreSQL, check foreign keys once per constraint instead of once per row.

    Django's foreign keys are DEFERRABLE INITIALLY DEFERRED: a million inserted (or deleted)
    rows queue a million trigger events, replayed at COMMIT (40 s and more for the demo). As
    PostgreSQL's guide advises for bulk loads ("Populating a Database"), the constraints are
    dropped inside the transaction and added back before it ends: adding one validates every
    row in a single query, so integrity is checked exactly as before. The tables stay locked
    until COMMIT. ``referencing=False``: constraints declared on ``models``' tables (inserts);
    ``True``: constraints pointing at them (deletes). Other databases: no change.
    """
    if connection.vendor != "postgresql":
        yield
        return
    side = "confrelid" if referencing else "conrelid"
    tables = [model._meta.db_table for model in models]
    with connection.cursor() as cursor:
        # ALTER TABLE refuses tables with checks still queued earlier in the transaction
        # (tests, or a caller's atomic block): run those checks now.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
            f"FROM pg_constraint WHERE contype = 'f' AND {side} = ANY(%s::regclass[]) "
            "ORDER BY 1, 2",
            [tables],
        )
        constraints = cursor.fetchall()
        for table, name, _definition in constraints:
            cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {connection.ops.quote_name(name)}")
    yield
    with connection.cursor() as cursor:
        for table, name, definition in constraints:
            cursor.execute(
                f"ALTER TABLE {table} ADD CONSTRAINT {connection.ops.quote_name(name)} {definition}"
            )
        # Back to Django's mode: its foreign keys are all DEFERRABLE INITIALLY DEFERRED.
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


LOADED_MODELS = (
    Place,
    Place.activities.through,
    Place.publics.through,
    PlaceTransition,
    User,
    Membership,
    Signature,
    Report,
    Extension,
    ReportTransition,
    Answer,
    Evidence,
    IndicatorValue,
    PlaceEvent,
)


def refresh_planner_statistics():
    """ANALYZE what was just bulk-loaded: without statistics, PostgreSQL plans queries over
    these tables as if they were empty (nested loops over 100,000 rows: minutes, not seconds),
    in the history step as in the first page views."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for model in django_apps.get_app_config("members").get_models():
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
        elif connection.vendor == "sqlite":
            cursor.execute("ANALYZE")


@transaction.atomic
def reset_demo():
    """Delete every row seed_demo created, and nothing else. Returns the number of places."""
    places = demo_places()
    count = places.count()
    # Demo rows are not records: the append-only triggers are lifted for the wipe.
    with (
        triggers.lifted(connection),
        _foreign_keys_validated_at_end(LOADED_MODELS, referencing=True),
    ):
        # Raw deletes, children first: the ORM collector would load ~1M answers into memory
        # and write a history row per place. Each filter only reaches demo places' rows.
        for queryset in (
            # What people may have added on demo places: messages, read markers, assignments,
            # peer reviews (given or received).
            PlaceEvent.objects.filter(place__in=places),
            ThreadRead.objects.filter(answer__report__place__in=places),
            Message.objects.filter(answer__report__place__in=places),
            Assignment.objects.filter(answer__report__place__in=places),
            PeerInvitation.objects.filter(Q(report__place__in=places) | Q(peer__in=places)),
            Evidence.objects.filter(answer__report__place__in=places),
            IndicatorValue.objects.filter(report__place__in=places),
            Answer.objects.filter(report__place__in=places),
            ReportTransition.objects.filter(report__place__in=places),
            Report.objects.filter(place__in=places),
            Extension.objects.filter(place__in=places),
            Signature.objects.filter(place__in=places),
            Invitation.objects.filter(place__in=places),
            Membership.objects.filter(place__in=places),
            PlaceTransition.objects.filter(place__in=places),
            Place.activities.through.objects.filter(place__in=places),
            Place.publics.through.objects.filter(place__in=places),
            Place.history.model.objects.filter(id__in=places.values("pk")),
        ):
            queryset._raw_delete(queryset.db)
        places._raw_delete(places.db)
        demo_users().delete()
        ReportingCampaign.objects.filter(
            intro__contains=CAMPAIGN_MARKER, reports__isnull=True, extensions__isnull=True
        ).delete()
    return count


class DemoNetworkBuilder:
    """Builds ``places`` places and their history over ``campaigns`` yearly campaigns."""

    def __init__(self, *, places, campaigns=7, seed=1, today=None):
        self.n_places = places
        self.n_campaigns = campaigns
        self.seed = seed
        self.rng = random.Random(seed)
        self.today = today or timezone.localdate()
        self.summary = Summary()
        self.plans = []
        self.writer = _Writer()

    # --- helpers ----------------------------------------------------------------------------

    def _at(self, day, hour=None):
        """A timezone-aware moment on ``day`` during office hours."""
        hour = self.rng.randint(8, 19) if hour is None else hour
        return datetime.datetime(
            day.year, day.month, day.day, hour, self.rng.randint(0, 59), tzinfo=UTC
        )

    def _day_between(self, start, end):
        span = max((end - start).days, 0)
        return start + datetime.timedelta(days=self.rng.randint(0, span))

    # --- build ------------------------------------------------------------------------------

    def build(self):
        timer = _Timer(self.summary)
        with (
            _fast_sqlite_session(),
            transaction.atomic(),
            _foreign_keys_validated_at_end(LOADED_MODELS),
        ):
            self._load_references()
            self._create_campaigns()
            timer.lap("références et campagnes")
            self._create_places()
            timer.lap("lieux")
            self._create_teams()
            timer.lap("équipes")
            self._create_signatures()
            timer.lap("signatures")
            self._create_reports()
            timer.lap("bilans")
            self._create_answers()
            timer.lap("réponses et preuves")
            self._create_indicator_values()
            timer.lap("indicateurs")
            refresh_planner_statistics()  # the history is read from what was just loaded
            self._create_history()
            timer.lap("historique")
            tallies.rebuild()  # the rows were loaded in bulk, past the models' signals
            timer.lap("lignes de synthèse")
        timer.lap("validation de la transaction")
        return self.summary

    def _create_history(self):
        """Each demo place's history, read from its transitions and signatures by the
        migration that brought earlier records into the history."""
        backfill = import_module("members.migrations.0022_place_events_from_earlier_records")
        events = backfill.events(django_apps, places=demo_places().values("pk"))
        count = 0
        # In batches: the events are read from the database while they are written.
        for batch in itertools.batched(events, self.writer.CHUNK):
            rows = (
                (place_id, code, by_id, self.writer.dt(at), json.dumps(params))
                for place_id, code, by_id, at, params in batch
            )
            count += self.writer.insert(PlaceEvent, ("place", "code", "by", "at", "params"), rows)
        self.summary.counts.update(events=count)

    def _load_references(self):
        self.versions = list(CharterVersion.objects.public().order_by("number"))
        if not self.versions:
            raise ValueError("No published charter version: run the migrations first.")
        self.commitments = {}  # version id → [(commitment id, key)]
        for commitment in Commitment.objects.filter(version__in=self.versions).order_by(
            "version__number", "section__position", "position", "pk"
        ):
            self.commitments.setdefault(commitment.version_id, []).append(
                (commitment.pk, commitment.key)
            )
        keys = sorted({key for pairs in self.commitments.values() for _pk, key in pairs})
        # Some commitments are harder than others, the same way everywhere.
        self.commitment_offset = {key: self.rng.gauss(0, 0.45) for key in keys}
        self.activities = list(Activity.objects.order_by("position", "pk"))
        self.publics = list(PublicServed.objects.order_by("position", "pk"))
        self.indicators = list(Indicator.objects.order_by("position", "pk"))
        self.used_slugs = set(Place.objects.values_list("slug", flat=True))
        self.used_rna = set(Place.objects.exclude(rna="").values_list("rna", flat=True))
        self.used_siret = set(Place.objects.exclude(siret="").values_list("siret", flat=True))
        self.used_emails = set(demo_users().values_list("email", flat=True))
        self.used_codes = set()

    def _create_campaigns(self):
        """K yearly campaigns; the current one closed a few weeks ago, so some places are late."""
        current_year = self.today.year
        years = list(range(current_year - self.n_campaigns + 1, current_year + 1))
        existing = {c.year: c for c in ReportingCampaign.objects.filter(year__in=years)}
        self.campaigns = []
        for year in years:
            campaign = existing.get(year)
            if campaign is None:
                if year == current_year:
                    opens = self.today - datetime.timedelta(days=120)
                    due = self.today - datetime.timedelta(days=20)
                else:
                    opens, due = datetime.date(year, 2, 1), datetime.date(year, 5, 31)
                campaign = ReportingCampaign.objects.create(
                    name=f"Bilan {year}",
                    name_en=f"{year} report",
                    year=year,
                    opens_on=opens,
                    due_on=due,
                    grace_days=90,
                    intro=(
                        f"Racontez l’année {year} de votre lieu, engagement par "
                        f"engagement.\n\n{CAMPAIGN_MARKER}"
                    ),
                )
                if self.indicators:
                    campaign.indicators.set(self.indicators)
            self.campaigns.append(campaign)
        self.campaign_indicators = {
            c.pk: [i for i in self.indicators if i.pk in set(ids)]
            for c in self.campaigns
            for ids in [c.indicators.values_list("pk", flat=True)]
        }

    def _identifiers(self, departement, legal_form):
        rng = self.rng
        association = legal_form in (
            Place.LegalForm.ASSOCIATION,
            Place.LegalForm.ASSOCIATION_LOCAL,
        )
        roll = rng.random()
        rna = siret = ""
        if association and roll < 0.9:
            prefix = {"2A": "201", "2B": "202"}.get(departement, departement)
            if len(prefix) == 2:
                prefix += rng.choice("123")
            while not rna or rna in self.used_rna:
                rna = f"W{prefix}{rng.randrange(1_000_000):06d}"
            self.used_rna.add(rna)
        if not association or roll > 0.2:
            while not siret or siret in self.used_siret:
                body = rng.choice("78") + f"{rng.randrange(10**12):012d}"
                siret = body + luhn_check_digit(body)
            self.used_siret.add(siret)
        return rna, siret

    def _slug(self, text):
        base = slugify(text)[:200]
        slug, n = base, 2
        while slug in self.used_slugs:
            slug, n = f"{base}-{n}", n + 1
        self.used_slugs.add(slug)
        return slug

    def _create_places(self):
        rng, w = self.rng, self.writer
        communes = demo_data.COMMUNES
        commune_weights = [c[4] for c in communes]
        kinds = [k for k, _w in demo_data.PLACE_KINDS]
        kind_weights = [w for _k, w in demo_data.PLACE_KINDS]
        statuses = [
            (Place.Status.MEMBER, 86),
            (Place.Status.APPLICANT, 6),
            (Place.Status.SUSPENDED, 4),
            (Place.Status.WITHDRAWN, 2),
            (Place.Status.REJECTED, 2),
        ]
        status_values = [s for s, _w in statuses]
        status_weights = [w for _s, w in statuses]
        legal_forms = [
            Place.LegalForm.ASSOCIATION,
            Place.LegalForm.SCIC,
            Place.LegalForm.PUBLIC,
            Place.LegalForm.FOUNDATION,
        ]
        first_opening = self.campaigns[0].opens_on
        history_start = datetime.date(first_opening.year - 4, 1, 1)
        last_joining = self.campaigns[-1].opens_on - datetime.timedelta(days=30)
        rows = []
        for _ in range(self.n_places):
            commune, postcodes, lat, lon, _w = rng.choices(communes, commune_weights)[0]
            postcode = rng.choice(postcodes)
            departement = geography.departement_for_postcode(postcode)
            kind = rng.choices(kinds, kind_weights)[0]
            name = f"{kind} {rng.choice(demo_data.PLACE_NAMES)}"
            if departement in ("57", "67", "68") and rng.random() < 0.8:
                legal_form = Place.LegalForm.ASSOCIATION_LOCAL
            else:
                legal_form = rng.choices(legal_forms, [88, 7, 4, 1])[0]
            rna, siret = self._identifiers(departement, legal_form)
            slug = self._slug(f"{name} {commune}")
            status = rng.choices(status_values, status_weights)[0]
            if status in (Place.Status.APPLICANT, Place.Status.REJECTED):
                created = self._day_between(self.today - datetime.timedelta(days=200), self.today)
                approved = None
            else:
                # Four places in five joined before the first campaign.
                if rng.random() < 0.8:
                    created = self._day_between(history_start, first_opening)
                else:
                    created = self._day_between(first_opening, last_joining)
                approved = created + datetime.timedelta(days=rng.randint(7, 45))
            created_at = self._at(created)
            approved_at = self._at(approved) if approved else None
            left = None
            if status in (Place.Status.SUSPENDED, Place.Status.WITHDRAWN):
                left = self._at(self._day_between(approved, self.today))
            year_founded = rng.randint(1965, min(created.year, self.today.year))
            plan = _PlacePlan(
                slug=slug,
                commune=commune,
                status=status,
                created=created_at,
                approved=approved_at,
                left=left,
                level_mean=min(max(rng.gauss(2.1, 0.7), 0.3), 3.8),
                diligence=rng.choices([0.98, 0.85, 0.4], [75, 18, 7])[0],
                size=rng.lognormvariate(0, 0.7),
                no_staff=rng.random() < 0.1,
                activity=rng.choice(self.activities).name if self.activities else "accueil",
            )
            self.plans.append(plan)
            rows.append(
                (
                    name,
                    slug,
                    f"SCIC {name}" if legal_form == Place.LegalForm.SCIC else f"Association {name}",
                    legal_form,
                    year_founded,
                    rna,
                    siret,
                    rng.choice(demo_data.DESCRIPTIONS).format(commune=commune, year=year_founded),
                    f"{rng.randint(1, 120)} {rng.choice(demo_data.STREETS)}",
                    postcode,
                    commune,
                    departement,
                    geography.region_for_departement(departement),
                    round(lat + rng.gauss(0, 0.015), 5),
                    round(lon + rng.gauss(0, 0.02), 5),
                    f"https://{slug[:40]}.example.org" if rng.random() < 0.4 else "",
                    f"{slug[:40]}@{DEMO_EMAIL_DOMAIN}",
                    "0{} {:02d} {:02d} {:02d} {:02d}".format(
                        rng.randint(1, 5), *(rng.randrange(100) for _ in range(4))
                    ),
                    "",
                    rng.random() < 0.95,
                    status,
                    w.dt(created_at),
                    w.dt(left or approved_at or created_at),
                    w.dt(approved_at),
                )
            )
        w.insert(
            Place,
            (
                "name", "slug", "legal_name", "legal_form", "year_founded", "rna", "siret",
                "description", "street", "postcode", "commune", "departement", "region",
                "latitude", "longitude", "website", "public_email", "phone", "logo",
                "is_public", "status", "created_at", "status_changed_at", "approved_at",
            ),
            rows,
        )  # fmt: skip
        ids = dict(demo_places().values_list("slug", "pk"))
        for plan in self.plans:
            plan.pk = ids[plan.slug]

        activity_links, public_links, transitions = [], [], []
        for plan in self.plans:
            if self.activities:
                for activity in rng.sample(self.activities, rng.randint(2, 5)):
                    activity_links.append((plan.pk, activity.pk))
            if self.publics:
                for public in rng.sample(self.publics, rng.randint(1, 4)):
                    public_links.append((plan.pk, public.pk))
            transitions.append((plan.pk, "", Place.Status.APPLICANT, w.dt(plan.created), ""))
            if plan.approved:
                transitions.append(
                    (plan.pk, Place.Status.APPLICANT, Place.Status.MEMBER, w.dt(plan.approved), "")
                )
            if plan.status not in (Place.Status.APPLICANT, Place.Status.MEMBER):
                transitions.append(
                    (
                        plan.pk,
                        Place.Status.MEMBER if plan.approved else Place.Status.APPLICANT,
                        plan.status,
                        w.dt(plan.left or plan.created),
                        "Données de démonstration.",
                    )
                )
        w.insert(Place.activities.through, ("place", "activity"), activity_links)
        w.insert(Place.publics.through, ("place", "publicserved"), public_links)
        w.insert(
            PlaceTransition, ("place", "from_status", "to_status", "at", "reason"), transitions
        )
        self.summary.counts.update(
            places=len(self.plans),
            members=sum(p.status == Place.Status.MEMBER for p in self.plans),
        )

    def _new_user(self, users):
        rng = self.rng
        first = rng.choice(demo_data.FIRST_NAMES)
        last = rng.choice(demo_data.LAST_NAMES)
        local = f"{slugify(first)}.{slugify(last)}"
        email, n = f"{local}@{DEMO_EMAIL_DOMAIN}", 2
        while email in self.used_emails:
            email, n = f"{local}{n}@{DEMO_EMAIL_DOMAIN}", n + 1
        self.used_emails.add(email)
        users.append((email, first, last))
        return email

    def _create_teams(self):
        rng, w = self.rng, self.writer
        users, team = [], []  # team: (plan, e-mail, role)
        editors_pool = []
        for plan in self.plans:
            team.append((plan, self._new_user(users), Membership.Role.REPRESENTATIVE))
            for _ in range(rng.choices([0, 1, 2], [25, 50, 25])[0]):
                if editors_pool and rng.random() < 0.03:
                    email = rng.choice(editors_pool)  # one person helping two places
                    if any(p is plan and e == email for p, e, _r in team[-3:]):
                        continue
                else:
                    email = self._new_user(users)
                    editors_pool.append(email)
                team.append((plan, email, Membership.Role.EDITOR))
            if rng.random() < 0.2:
                team.append((plan, self._new_user(users), Membership.Role.VIEWER))
        # One unusable hash for all: demo accounts cannot log in until someone resets them.
        password = make_password(None)
        joined = w.dt(timezone.now())
        w.insert(
            User,
            (
                "email", "first_name", "last_name", "password", "is_active", "is_staff",
                "is_superuser", "language", "date_joined",
            ),
            ((e, f, la, password, True, False, False, "fr", joined) for e, f, la in users),
        )  # fmt: skip
        self.names = {email: f"{first} {last}" for email, first, last in users}
        ids = dict(demo_users().values_list("email", "pk"))
        memberships = []
        for plan, email, role in team:
            user_id = ids[email]
            memberships.append((user_id, plan.pk, role, w.dt(plan.created)))
            if role == Membership.Role.REPRESENTATIVE:
                plan.representative_id = user_id
                plan.representative_name = self.names[email]
            elif role == Membership.Role.EDITOR and plan.editor_id is None:
                plan.editor_id = user_id
        w.insert(Membership, ("user", "place", "role", "created_at"), memberships)
        self.summary.counts.update(users=len(users), memberships=len(memberships))

    def _verification_code(self):
        code = ""
        while not code or code in self.used_codes:
            raw = "".join(self.rng.choices(VERIFICATION_ALPHABET, k=12))
            code = f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"
        self.used_codes.add(code)
        return code

    def _create_signatures(self):
        """Members (and former members) signed v1; with two versions, most re-signed the last."""
        rng, w = self.rng, self.writer
        rows = []
        oldest, latest = self.versions[0], self.versions[-1]
        for plan in self.plans:
            if plan.approved is None:
                continue
            versions = [oldest]
            if latest is not oldest and rng.random() < 0.7:
                versions = [latest] if rng.random() < 0.3 else [oldest, latest]
            signed = plan.approved + datetime.timedelta(days=rng.randint(1, 20))
            for version in versions:
                if version is not versions[0]:
                    signed = max(signed, version.published_at or signed) + datetime.timedelta(
                        days=rng.randint(1, 60)
                    )
                decision = (signed - datetime.timedelta(days=rng.randint(3, 40))).date()
                rows.append(
                    (
                        plan.pk,
                        version.pk,
                        version.fingerprint,
                        plan.representative_name,
                        rng.choice(demo_data.SIGNATORY_TITLES),
                        w.date(decision),
                        True,
                        "",
                        plan.representative_id,
                        w.dt(signed),
                        "",
                        self._verification_code(),
                    )
                )
            plan.versions = versions
        w.insert(
            Signature,
            (
                "place", "version", "fingerprint", "signatory_name", "signatory_title",
                "board_decision_date", "mandate_certified", "minutes", "signed_by", "signed_at",
                "user_agent", "verification_code",
            ),
            rows,
        )  # fmt: skip
        self.summary.counts.update(signatures=len(rows))

    def _create_reports(self):
        rng, w = self.rng, self.writer
        rows, extensions = [], []
        self.reports = []  # _ReportPlan, in insertion order
        last = len(self.campaigns) - 1
        past_status = [
            (Report.Status.APPROVED, 92),
            (Report.Status.SUBMITTED, 3),
            (Report.Status.CHANGES_REQUESTED, 2),
            (Report.Status.DRAFT, 3),
        ]
        current_status = [
            (Report.Status.APPROVED, 40),
            (Report.Status.SUBMITTED, 25),
            (Report.Status.CHANGES_REQUESTED, 10),
            (Report.Status.DRAFT, 25),
        ]
        for index, campaign in enumerate(self.campaigns):
            is_current = index == last
            choices = current_status if is_current else past_status
            values, weights = [s for s, _w in choices], [w for _s, w in choices]
            due = self._at(campaign.due_on, 18)
            for plan in self.plans:
                if plan.approved is None or plan.approved.date() > campaign.due_on:
                    continue
                if plan.left and plan.left.date() < campaign.opens_on:
                    continue
                diligence = plan.diligence * (0.9 if is_current else 1)
                if is_current and rng.random() < 0.03:
                    granted = rng.random() < 0.75
                    extensions.append(
                        (
                            plan.pk,
                            campaign.pk,
                            "Changement de présidence en cours d’année : nous demandons "
                            "quelques semaines de plus pour réunir le conseil.",
                            plan.representative_id,
                            w.dt(due - datetime.timedelta(days=10)),
                            Extension.Status.GRANTED if granted else Extension.Status.REFUSED,
                            (
                                w.date(campaign.due_on + datetime.timedelta(days=45))
                                if granted
                                else None
                            ),
                            w.dt(due - datetime.timedelta(days=5)),
                        )
                    )
                if rng.random() > diligence:
                    continue  # no report: late now, non-communicating once the grace is over
                status = rng.choices(values, weights)[0]
                version = plan.versions[-1] if is_current else plan.versions[0]
                opened = self._at(campaign.opens_on) + datetime.timedelta(days=rng.randint(0, 60))
                submitted = approved = None
                if status != Report.Status.DRAFT:
                    submitted = min(
                        opened + datetime.timedelta(days=rng.randint(5, 90)),
                        due + datetime.timedelta(days=rng.randint(0, 30)),
                    )
                if status == Report.Status.APPROVED:
                    approved = submitted + datetime.timedelta(days=rng.randint(3, 40))
                updated = approved or submitted or opened + datetime.timedelta(days=3)
                report = _ReportPlan(
                    plan=plan,
                    index=index,
                    campaign_id=campaign.pk,
                    version_id=version.pk,
                    status=status,
                    submitted=submitted,
                    approved=approved,
                    updated=w.dt(updated),
                )
                self.reports.append(report)
                rows.append(
                    (
                        plan.pk,
                        campaign.pk,
                        version.pk,
                        status,
                        rng.random() < 0.92,
                        rng.randint(1, 12),
                        w.dt(opened),
                        report.updated,
                        w.dt(submitted),
                        w.dt(approved),
                    )
                )
        w.insert(
            Report,
            (
                "place", "campaign", "version", "status", "publish", "revision", "created_at",
                "updated_at", "submitted_at", "approved_at",
            ),
            rows,
        )  # fmt: skip
        w.insert(
            Extension,
            (
                "place", "campaign", "reason", "requested_by", "requested_at", "status",
                "due_on", "decided_at",
            ),
            extensions,
        )  # fmt: skip
        ids = {
            (place, campaign): pk
            for place, campaign, pk in Report.objects.filter(
                place__in=demo_places(), campaign__in=self.campaigns
            ).values_list("place", "campaign", "pk")
        }
        transitions = []
        by_status = {}
        for report in self.reports:
            report.pk = ids[(report.plan.pk, report.campaign_id)]
            by_status[report.status] = by_status.get(report.status, 0) + 1
            if report.submitted is None:
                continue
            plan = report.plan
            transitions.append(
                (
                    report.pk,
                    Report.Status.DRAFT,
                    Report.Status.SUBMITTED,
                    plan.editor_id or plan.representative_id,
                    w.dt(report.submitted),
                    "",
                )
            )
            if report.status in (Report.Status.APPROVED, Report.Status.CHANGES_REQUESTED):
                approved = report.status == Report.Status.APPROVED
                transitions.append(
                    (
                        report.pk,
                        Report.Status.SUBMITTED,
                        report.status,
                        None,
                        w.dt(report.approved or report.submitted + datetime.timedelta(days=7)),
                        "Merci pour ce bilan."
                        if approved
                        else "Quelques précisions à apporter, voir les commentaires.",
                    )
                )
        w.insert(
            ReportTransition,
            ("report", "from_status", "to_status", "by", "at", "message"),
            transitions,
        )
        self.summary.counts.update(
            campaigns=len(self.campaigns),
            reports=len(rows),
            reports_by_status=by_status,
            extensions=len(extensions),
            report_transitions=len(transitions),
        )

    def _answer_rows(self, evidence_for):
        """Yield one answer row per commitment of each report; note a few for evidence."""
        rng = self.rng
        gauss, random_, choice = rng.gauss, rng.random, rng.choice
        narratives, actions = demo_data.NARRATIVES, demo_data.ACTIONS
        offsets = self.commitment_offset
        draft = Report.Status.DRAFT
        changes = Report.Status.CHANGES_REQUESTED
        na = Answer.Level.NOT_APPLICABLE.value
        staff_keys = {"ambition-emploi", "ambition-professionnalisation"}
        for report in self.reports:
            plan = report.plan
            is_draft = report.status == draft
            asks_changes = report.status == changes
            mean = plan.level_mean + 0.2 * report.index + 0.5
            editor = plan.editor_id or plan.representative_id
            year = self.campaigns[report.index].year
            updated = report.updated
            for commitment_id, key in self.commitments[report.version_id]:
                level = narrative = action = na_reason = comment = ""
                if is_draft and random_() < 0.4:
                    pass  # not answered yet
                elif plan.no_staff and key in staff_keys:
                    level, na_reason = na, choice(demo_data.NA_REASONS)
                else:
                    value = int(mean + offsets[key] + gauss(0, 0.6))
                    level = "0" if value < 0 else "4" if value > 4 else str(value)
                    narrative = choice(narratives[level]).format(
                        commune=plan.commune, activity=plan.activity
                    )
                    if random_() < 0.5:
                        action = choice(actions)
                    if asks_changes and random_() < 0.1:
                        comment = choice(demo_data.REVIEW_COMMENTS)
                    if random_() < 0.02:
                        evidence_for.append(
                            (
                                report.pk,
                                commitment_id,
                                updated,
                                f"https://{plan.slug[:40]}.example.org/{year}/{key}",
                            )
                        )
                yield (
                    report.pk,
                    commitment_id,
                    level,
                    na_reason,
                    narrative,
                    action,
                    False,
                    comment,
                    updated,
                    editor,
                )

    def _create_answers(self):
        """One answer per commitment of each report (~900,000 for 50,000 reports)."""
        w = self.writer
        evidence_for = []
        n_answers = w.insert(
            Answer,
            (
                "report", "commitment", "level", "na_reason", "narrative", "actions",
                "carried_over", "reviewer_comment", "updated_at", "updated_by",
            ),
            self._answer_rows(evidence_for),
        )  # fmt: skip
        ids = {}
        wanted = sorted({report_id for report_id, _c, _u, _url in evidence_for})
        for start in range(0, len(wanted), 5000):
            answers = Answer.objects.filter(report_id__in=wanted[start : start + 5000])
            for report_id, commitment_id, pk in answers.values_list("report", "commitment", "pk"):
                ids[(report_id, commitment_id)] = pk
        n_evidence = w.insert(
            Evidence,
            ("answer", "label", "url", "file", "created_at"),
            (
                (ids[(report_id, commitment_id)], "Compte rendu", url, "", updated)
                for report_id, commitment_id, updated, url in evidence_for
            ),
        )
        self.summary.counts.update(answers=n_answers, evidence=n_evidence)

    def _indicator_value(self, indicator, plan):
        rng = self.rng
        key = indicator.key
        if indicator.kind == Indicator.Kind.PERCENTAGE:
            value = rng.uniform(0, 100)
        elif indicator.kind == Indicator.Kind.MONEY:
            value = plan.size * rng.uniform(20_000, 250_000)
        elif "heure" in key or "hour" in key:
            value = plan.size * rng.uniform(300, 4_000)
        elif "etp" in key or "fte" in key:
            value = plan.size * rng.uniform(0.5, 8)
        else:
            value = plan.size * rng.uniform(3, 120)
        if indicator.min_value is not None:
            value = max(value, float(indicator.min_value))
        if indicator.max_value is not None:
            value = min(value, float(indicator.max_value))
        if indicator.kind == Indicator.Kind.INTEGER:
            return self.writer.decimal(Decimal(int(value)))
        return self.writer.decimal(Decimal(f"{value:.2f}"))

    def _budget_split(self, plan):
        """A total budget and its parts (sales, public funding, other) that add up to it."""
        rng = self.rng
        total = Decimal(f"{plan.size * rng.uniform(20_000, 250_000):.2f}")
        weights = [rng.uniform(0.5, 3), rng.uniform(2, 6), rng.uniform(0.3, 2)]
        sales = (total * Decimal(weights[0] / sum(weights))).quantize(Decimal("0.01"))
        public = (total * Decimal(weights[1] / sum(weights))).quantize(Decimal("0.01"))
        return {
            "budget-total": total,
            "budget-ventes": sales,
            "budget-public": public,
            "budget-autres": total - sales - public,
        }

    def _create_indicator_values(self):
        def rows():
            for report in self.reports:
                if report.status == Report.Status.DRAFT:
                    continue
                indicators = self.campaign_indicators.get(report.campaign_id, ())
                budget = self._budget_split(report.plan)
                for indicator in indicators:
                    if indicator.key in budget:
                        value = self.writer.decimal(budget[indicator.key])
                    else:
                        value = self._indicator_value(indicator, report.plan)
                    yield (report.pk, indicator.pk, value)

        count = self.writer.insert(IndicatorValue, ("report", "indicator", "value"), rows())
        self.summary.counts.update(indicator_values=count)


class _Writer:
    """Fast multi-row INSERTs for the demo's large tables.

    ``bulk_create`` costs ~90 µs per row in Python (model instances, per-field preparation,
    SQL compilation), i.e. more than a minute for the ~1M demo rows. Rows here are plain
    tuples, values already adapted for the database: PostgreSQL gets them through COPY,
    other databases through one prepared ``executemany``. Constraints and defaults in the
    database still apply; primary keys come from the database and are read back afterwards.
    """

    CHUNK = 20_000

    def __init__(self):
        self.postgresql = connection.vendor == "postgresql"
        ops = connection.ops
        # SQLite stores aware datetimes as naive UTC strings; psycopg adapts them itself.
        self.dt = (lambda v: v) if self.postgresql else ops.adapt_datetimefield_value
        self.date = (lambda v: v) if self.postgresql else ops.adapt_datefield_value
        self.decimal = (lambda v: v) if self.postgresql else str

    def insert(self, model, fields, rows):
        """INSERT ``rows`` (tuples in ``fields`` order) into ``model``'s table; returns the count."""
        meta = model._meta
        table = meta.db_table
        columns = [meta.get_field(name).column for name in fields]
        count = 0
        with connection.cursor() as cursor:
            if self.postgresql:
                from psycopg import sql

                statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
                    sql.Identifier(table), sql.SQL(", ").join(map(sql.Identifier, columns))
                )
                with cursor.cursor.copy(statement) as copy:
                    for row in rows:
                        copy.write_row(row)
                        count += 1
                return count
            qn = connection.ops.quote_name
            statement = "INSERT INTO {} ({}) VALUES ({})".format(
                qn(table), ", ".join(map(qn, columns)), ", ".join(["%s"] * len(columns))
            )
            chunk = []
            for row in rows:
                chunk.append(row)
                if len(chunk) >= self.CHUNK:
                    cursor.executemany(statement, chunk)
                    count += len(chunk)
                    chunk = []
            if chunk:
                cursor.executemany(statement, chunk)
                count += len(chunk)
        return count


class _fast_sqlite_session:
    """On SQLite only, for this command's connection: no fsync and a journal in memory.

    A crash mid-way may then corrupt the file, which is acceptable for demo data (the
    database is rebuilt with ``--reset``). Settings come back when the command ends.
    """

    def __enter__(self):
        self.previous = None
        # Inside a transaction (tests, or a caller's atomic block) SQLite refuses these.
        if connection.vendor == "sqlite" and not connection.in_atomic_block:
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA synchronous")
                synchronous = cursor.fetchone()[0]
                cursor.execute("PRAGMA journal_mode")
                journal = cursor.fetchone()[0]
                self.previous = (synchronous, journal)
                cursor.execute("PRAGMA synchronous = OFF")
                cursor.execute("PRAGMA temp_store = MEMORY")
                cursor.execute("PRAGMA cache_size = -262144")
                # Leaving WAL needs exclusive access: keep WAL when another process is reading.
                cursor.execute("PRAGMA journal_mode = MEMORY")
        return self

    def __exit__(self, *exc):
        if self.previous is not None:
            synchronous, journal = self.previous
            with connection.cursor() as cursor:
                cursor.execute(f"PRAGMA synchronous = {int(synchronous)}")
                if journal.isalpha():
                    cursor.execute(f"PRAGMA journal_mode = {journal}")
        return False
