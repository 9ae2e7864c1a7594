"""factory_boy factories shared by every test module."""

import datetime

import factory
from django.utils import timezone

from charter.models import CharterVersion, Commitment, Section
from members import models
from members.validators import luhn_check_digit

# The authenticator-app secret of every coordinator the factories create (base32).
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    password = factory.PostGenerationMethodCall("set_password", "motdepasse-solide-42")

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        """A verified primary e-mail address, as allauth requires to log in."""
        if create and extracted is not False:
            obj.save()
            obj.emailaddress_set.get_or_create(
                email=obj.email, defaults={"verified": True, "primary": True}
            )

    @factory.post_generation
    def second_factor(obj, create, extracted, **kwargs):
        """Coordinators (staff) have an authenticator app, as the admin requires: its secret is
        ``TOTP_SECRET`` (``tests.browser.totp_code`` computes its codes). ``second_factor=False``:
        a coordinator who has not set one up yet."""
        if create and obj.is_staff and extracted is not False:
            from allauth.mfa.models import Authenticator
            from allauth.mfa.utils import encrypt

            Authenticator.objects.get_or_create(
                user=obj,
                type=Authenticator.Type.TOTP,
                defaults={"data": {"secret": encrypt(TOTP_SECRET)}},
            )


def siret_with_luhn(n):
    """A 14-digit SIRET that passes the Luhn check, unique for each ``n``."""
    body = f"{n:013d}"
    return body + luhn_check_digit(body)


class PlaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Place

    name = factory.Sequence(lambda n: f"Maison des Possibles {n}")
    slug = factory.Sequence(lambda n: f"maison-des-possibles-{n}")
    legal_name = factory.LazyAttribute(lambda o: f"Association {o.name}")
    rna = factory.Sequence(lambda n: f"W{n + 100000000:09d}")
    siret = factory.Sequence(lambda n: siret_with_luhn(n + 1000))
    description = "Un lieu ouvert à toutes et à tous, au cœur du quartier."
    street = "12 rue de la République"
    postcode = "35000"
    commune = "Rennes"
    departement = "35"
    region = "53"
    latitude = 48.111
    longitude = -1.68
    status = models.Place.Status.APPLICANT


class MemberPlaceFactory(PlaceFactory):
    """A member of long standing: approved three years ago, so judged on every campaign."""

    status = models.Place.Status.MEMBER
    approved_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=3 * 365))


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Membership

    user = factory.SubFactory(UserFactory)
    place = factory.SubFactory(PlaceFactory)
    role = models.Membership.Role.REPRESENTATIVE


class SignatureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Signature

    place = factory.SubFactory(MemberPlaceFactory)
    version = factory.LazyFunction(lambda: CharterVersion.objects.current())
    fingerprint = factory.LazyAttribute(lambda o: o.version.fingerprint)
    signatory_name = "Camille Durand"
    signatory_title = "Présidente"
    board_decision_date = factory.LazyFunction(
        lambda: timezone.localdate() - datetime.timedelta(days=3)
    )
    mandate_certified = True
    signed_by = None
    ip_address = "198.51.100.20"
    user_agent = "Navigateur de test"


def sign_with_the_service(place, *, by, version=None, **fields):
    """``place`` signs ``version`` (the current one by default) through the signing service, as
    the signing page does: Camille Durand, présidente, on today's board decision, unless
    ``fields`` say otherwise."""
    from members.services import signatures

    fields = {
        "signatory_name": "Camille Durand",
        "signatory_title": "Présidente",
        "board_decision_date": timezone.localdate(),
        "mandate_certified": True,
    } | fields
    return signatures.sign_charter(
        place=place, version=version or CharterVersion.objects.current(), by=by, **fields
    )


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.ReportingCampaign
        django_get_or_create = ("year",)

    year = factory.Sequence(lambda n: 2026 + n)
    name = factory.LazyAttribute(lambda o: f"Bilan {o.year}")
    name_en = factory.LazyAttribute(lambda o: f"{o.year} report")
    opens_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=10))
    due_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=60))
    grace_days = 90


def past_campaign(*, year, opened_days_ago, due_days_ago):
    """A campaign that opened and fell due the given numbers of days ago (90 days' grace)."""
    today = timezone.localdate()
    return CampaignFactory(
        year=year,
        opens_on=today - datetime.timedelta(days=opened_days_ago),
        due_on=today - datetime.timedelta(days=due_days_ago),
        grace_days=90,
    )


class ReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Report

    place = factory.SubFactory(MemberPlaceFactory)
    campaign = factory.SubFactory(CampaignFactory)
    version = factory.LazyFunction(lambda: CharterVersion.objects.current())


class DraftVersionFactory(factory.django.DjangoModelFactory):
    """A draft charter version with one section and two commitments."""

    class Meta:
        model = CharterVersion
        skip_postgeneration_save = True

    number = factory.Sequence(lambda n: n + 100)
    title = "Charte de test"
    status = CharterVersion.Status.DRAFT

    @factory.post_generation
    def content(obj, create, extracted, **kwargs):
        if not create or extracted is False:
            return
        section = Section.objects.create(version=obj, position=1, title="Des valeurs")
        for position, key in enumerate(("valeur-partage", "valeur-solidarite"), start=1):
            Commitment.objects.create(
                version=obj,
                section=section,
                key=key,
                position=position,
                title=key.split("-")[1].capitalize(),
                text=f"Texte de l’engagement {key}.",
            )


def publish_reworded_version_2(v1, *, by):
    """Version 2 published from a draft of v1: one bullet and the commitment quoting it
    reworded, one commitment removed, one added, one moved to another section."""
    from charter import services

    draft = services.create_draft_from(version=v1, by=by)
    reworded = "Une laïcité ouverte et respectueuse de toutes les différences."
    values = draft.sections.get(kind="values")
    values.bullets = values.bullets.replace("Une laïcité respectueuse des différences", reworded)
    values.save()
    laicite = draft.commitments.get(key="valeur-laicite")
    laicite.text = reworded
    laicite.save()
    draft.commitments.get(key="valeur-solidarite").delete()
    last_section = draft.sections.order_by("-position").first()
    moved = draft.commitments.get(key="valeur-proximite")
    moved.section = last_section
    moved.position = 99
    moved.save()
    Commitment.objects.create(
        version=draft,
        section=last_section,
        key="ambition-numerique",
        position=100,
        title="Numérique",
        text="Accompagner chacun vers un numérique choisi.",
        title_en="Digital",
        text_en="Support everyone towards chosen digital practices.",
    )
    draft.change_summary = "Deuxième version."
    draft.save()
    return services.publish_version(
        version=draft, by=by, requires_resigning=True, grace_period_days=90
    )


# --- Members: places, teams, signatures (issue 4) ----------------------------------------------


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Invitation

    place = factory.SubFactory(MemberPlaceFactory)
    email = factory.Sequence(lambda n: f"invitee{n}@example.org")
    role = models.Membership.Role.EDITOR
    expires_at = factory.LazyFunction(lambda: timezone.now() + models.Invitation.VALIDITY)


def publish_version_2(when=None, requires_resigning=True, grace_days=30):
    """Publish charter version 2 (a copy of v1) through the charter services, at ``when``."""
    import time_machine

    from charter import services

    v1 = CharterVersion.objects.get(number=1)
    draft = services.create_draft_from(version=v1, by=None)
    with time_machine.travel(when or timezone.now(), tick=False):
        version = services.publish_version(
            version=draft,
            by=None,
            requires_resigning=requires_resigning,
            grace_period_days=grace_days,
        )
    # What version_published triggers once the transaction commits (never, in a test).
    from members import tallies

    tallies.rebuild()
    return version


# --- Directory issue: published reports with answers and indicators -------------------------


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Indicator
        django_get_or_create = ("key",)

    key = factory.Sequence(lambda n: f"indicateur-{n}")
    label = factory.LazyAttribute(lambda o: o.key.replace("-", " ").capitalize())
    kind = models.Indicator.Kind.INTEGER


def published_report(place, campaign, levels=None, indicators=None, **kwargs):
    """An approved, published report of ``place``: ``levels`` maps commitment keys to levels
    (every other commitment of the current version gets "2"), ``indicators`` keys to values."""
    version = CharterVersion.objects.current()
    report = ReportFactory(
        place=place,
        campaign=campaign,
        version=version,
        status=kwargs.pop("status", models.Report.Status.APPROVED),
        publish=kwargs.pop("publish", True),
        approved_at=timezone.now(),
        **kwargs,
    )
    levels = levels or {}
    models.Answer.objects.bulk_create(
        models.Answer(
            report=report,
            commitment=commitment,
            level=levels.get(commitment.key, models.Answer.Level.PROGRESSING),
            na_reason="Sans objet ici." if levels.get(commitment.key) == "na" else "",
            narrative=f"Récit sur **{commitment.key}**.",
        )
        for commitment in version.commitments.all()
    )
    for key, value in (indicators or {}).items():
        models.IndicatorValue.objects.create(
            report=report, indicator=IndicatorFactory(key=key), value=value
        )
    return report


def place_form_data(**overrides):
    """What the registration form posts for a new place (the first activity and public)."""
    data = {
        "name": "La Ruche du Quartier",
        "legal_name": "Association La Ruche",
        "legal_form": models.Place.LegalForm.ASSOCIATION,
        "year_founded": "2012",
        "rna": "W351234567",
        "siret": "",
        "street": "3 place du Marché",
        "postcode": "20200",
        "commune": "Bastia",
        "public_email": "contact@laruche.example",
        "phone": "04 95 00 00 00",
        "website": "https://laruche.example",
        "description": "Un lieu pour se retrouver.",
        "activities": [models.Activity.objects.first().pk],
        "publics": [models.PublicServed.objects.first().pk],
        "is_public": "on",
    }
    data.update(overrides)
    return data


# --- External surveys -------------------------------------------------------------------------

# The survey's columns, in its order: (code, source, what the field reads).
SURVEY_CODES = ["NB_BENEVOLES", "NIV_GOUV", "COMMUNE", "FEDERATION", "ACT_JEUNES", "NB_PARTEN"]


def external_survey(campaign, *, name="SENACS", commitment_key=None):
    """A survey of ``campaign`` with a field of each source: an indicator (benevoles), a
    commitment's level, a place field, a constant, and two questions asked to the places
    (a yes/no one and a number)."""
    commitment_key = commitment_key or (
        CharterVersion.objects.current().commitments.order_by("pk").first().key
    )
    survey = models.Survey.objects.create(name=name, year=campaign.year, campaign=campaign)
    Source, Kind = models.SurveyField.Source, models.SurveyField.Kind
    specs = [
        (
            "NB_BENEVOLES",
            "Nombre de bénévoles",
            "",
            Kind.INTEGER,
            Source.INDICATOR,
            {"indicator": models.Indicator.objects.get(key="benevoles")},
        ),
        (
            "NIV_GOUV",
            "Gouvernance partagée",
            "",
            Kind.TEXT,
            Source.COMMITMENT,
            {"commitment_key": commitment_key},
        ),
        ("COMMUNE", "Commune", "", Kind.TEXT, Source.PLACE, {"place_field": "commune"}),
        ("FEDERATION", "Fédération", "", Kind.TEXT, Source.CONSTANT, {"constant": "FCSF"}),
        (
            "ACT_JEUNES",
            "Menez-vous des actions pour les jeunes de 12 à 17 ans ?",
            "Do you run activities for young people aged 12 to 17?",
            Kind.BOOLEAN,
            Source.ASK,
            {},
        ),
        (
            "NB_PARTEN",
            "Nombre de partenaires associatifs",
            "Number of partner associations",
            Kind.INTEGER,
            Source.ASK,
            {},
        ),
    ]
    for position, (code, label, label_en, kind, source, extra) in enumerate(specs, start=1):
        models.SurveyField.objects.create(
            survey=survey,
            position=position,
            code=code,
            label=label,
            label_en=label_en,
            kind=kind,
            source=source,
            **extra,
        )
    return survey
