"""English is complete: the coordinators' dashboard and review screen, the place's history and
every e-mail, rendered in English, contain no French.

The check looks for French-only words and letters in the text a reader sees (tags, scripts
and styles left out), once the data's proper nouns are taken away (places, people and the
network's configured name are not translated). A string left untranslated fails it:
``test_the_check_catches_an_untranslated_string`` proves that on today's French text.
"""

import datetime
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from charter.models import CharterVersion
from core import mail
from members.models import Answer, Extension, Membership, PlaceEvent, Report, ReportTransition
from members.services.history import record
from tests import factories
from tests.coordination.test_dashboard import build_network

pytestmark = pytest.mark.django_db

FRENCH = re.compile(
    r"[éèêàçùâôîœ«»]"
    r"|\b(le|la|les|des|du|une|et|est|pour|avec|dans|sur|vous|votre|nous|aucun|aucune|"
    r"bilan|bilans|engagement|engagements|lieu|lieux|réseau|charte|bonjour|membre|statut|"
    r"modifié|envoyé|brouillon)\b",
    re.IGNORECASE,
)
# Proper nouns of the data below; the language switcher's "Français" (each language in its own
# name); "laïcité", kept in French on purpose in the English title "Secularism (laïcité)".
NAMES = ["Harbour House", "Alex Smith", "Sam Jones", "LCP Network", "Français", "laïcité"]
EMAILS = sorted(
    p.name[: -len("_subject.txt")] for p in Path("templates/emails").glob("*_subject.txt")
)


class _Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts, self._skip = [], 0

    def handle_starttag(self, tag, attrs):
        self._skip += tag in ("script", "style")
        self.parts.extend(v for k, v in attrs if k in ("aria-label", "title", "alt") and v)

    def handle_endtag(self, tag):
        self._skip -= tag in ("script", "style")

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def visible_text(html):
    parser = _Text()
    parser.feed(html)
    return " ".join(parser.parts)


def french_in(text, names=()):
    for name in [*NAMES, *names]:
        text = text.replace(name, " ")
    text = re.sub(r"\S+@\S+|https?://\S+", " ", text)  # addresses and links
    return sorted(
        {
            f"{m.group(0)} in …{text[max(0, m.start() - 40) : m.end() + 40]}…"
            for m in FRENCH.finditer(text)
        }
    )


@pytest.fixture(autouse=True)
def _english_site_name(settings):
    settings.SITE_NAME = "LCP Network"  # a configured proper noun, not a string to translate


@pytest.fixture
def network(db):
    """A place with a history of every kind and a submitted report, in neutral names."""
    campaign = build_network(1)
    place = factories.MemberPlaceFactory(name="Harbour House", commune="Rennes")
    person = factories.UserFactory(first_name="Alex", last_name="Smith")
    factories.MembershipFactory(place=place, user=person, role=Membership.Role.REPRESENTATIVE)
    factories.SignatureFactory(place=place, signatory_name="Sam Jones", signatory_title="Chair")
    report = factories.ReportFactory(
        place=place, campaign=campaign, status=Report.Status.SUBMITTED, submitted_at=timezone.now()
    )
    commitment = CharterVersion.objects.current().commitments.order_by("pk").first()
    Answer.objects.create(
        report=report, commitment=commitment, level="3", narrative="Open doors.", updated_by=person
    )
    ReportTransition.objects.create(report=report, from_status="draft", to_status="submitted")
    Code = PlaceEvent.Code
    for code, params in [
        (Code.PLACE_STATUS, {"to": "applicant"}),
        (Code.PLACE_STATUS, {"from": "applicant", "to": "member", "reason": "Welcome."}),
        (Code.PROFILE_EDITED, {"changes": {"legal_form": ["association", "scic"], "logo": None}}),
        (Code.MEMBER_INVITED, {"email": "new@example.org", "role": "viewer"}),
        (Code.INVITATION_ACCEPTED, {"person": "Sam Jones", "role": "viewer"}),
        (Code.INVITATION_REVOKED, {"email": "old@example.org", "role": "editor"}),
        (Code.ROLE_CHANGED, {"person": "Sam Jones", "from": "viewer", "to": "editor"}),
        (Code.MEMBER_LEFT, {"person": ""}),
        (Code.MEMBER_LEFT, {"account_deleted": True}),
        (Code.MEMBER_REMOVED, {"person": "Sam Jones"}),
        (Code.MEMBER_ADDED, {"person": "Sam Jones", "role": "editor"}),
        (Code.CHARTER_SIGNED, {"version": 1, "signatory": "Sam Jones", "title": "Chair"}),
        (Code.REPORT_STATUS, {"year": campaign.year, "to": "draft", "prefilled_from": 2024}),
        (Code.REPORT_STATUS, {"year": campaign.year, "from": "draft", "to": "submitted"}),
        (Code.COORDINATOR_COMMENT, {"year": campaign.year, "commitments": [commitment.pk]}),
    ]:
        record(place=place, code=code, by=person, **params)
    return place, person, report


def get_english(client, url):
    response = client.get(url, headers={"accept-language": "en"})
    assert response.status_code == 200, url
    return visible_text(response.content.decode())


def test_the_history_page_is_english(client, network):
    place, person, _report = network
    client.force_login(person)
    text = get_english(client, reverse("members:place_history", args=[place.slug]))
    assert "Profile edited" in text
    assert french_in(text) == []


def test_the_coordinators_screens_are_english(client, national, network):
    place, _person, report = network
    national.first_name, national.last_name = "Jo", "Lee"  # the factory's names are French
    national.save()
    client.force_login(national)
    for url in (
        reverse("admin:index"),
        reverse("admin:members_report_review", args=[report.pk]),
        reverse("admin:members_place_events", args=[place.pk]),
    ):
        assert french_in(get_english(client, url), names=_place_names()) == [], url


def _place_names():
    """The factories' place names ("Maison des Possibles n") and their legal names."""
    from members.models import Place

    return [n for place in Place.objects.all() for n in (place.name, place.legal_name)]


def email_context(network, **extra):
    place, person, report = network
    today = timezone.localdate()
    invitation = factories.InvitationFactory(place=place, invited_by=person)
    extension = Extension.objects.create(
        place=place,
        campaign=report.campaign,
        reason="More time.",
        due_on=today,
        requested_by=person,
    )
    transition = ReportTransition(report=report, to_status="approved", message="Thanks.")
    signature = place.signatures.first()
    answers = list(report.answers.select_related("commitment", "report__campaign")[:2])
    return {
        "place": place,
        "by": person,
        "recipient": person,
        "invitation": invitation,
        "report": report,
        "transition": transition,
        "campaign": report.campaign,
        "signature": signature,
        "version": signature.version,
        "extension": extension,
        "reason": "Because.",
        "due_on": today,
        "deadline": today + datetime.timedelta(days=30),
        "grace_ends_on": today + datetime.timedelta(days=60),
        "earlier": [(place, "https://lcp.example/admin/")],
        "portal_url": "https://lcp.example/espace/",
        "diff_url": "https://lcp.example/charte/",
        "person": "Sam Taylor",  # a member who left (assignments_freed)
        "answers": answers,
        "peer": place,
        "items": [
            {
                "report": report,
                "commitment": a.commitment,
                "count": 2,
                "url": "https://lcp.example/",
            }
            for a in answers
        ],
        "total": 4,
        **extra,
    }


@pytest.mark.parametrize("name", EMAILS)
def test_every_email_is_english(network, name):
    for granted in (True, False):
        subject, body = mail.render(name, email_context(network, granted=granted), "en")
        assert french_in(subject) == [], subject
        assert french_in(body) == [], body
        assert body.startswith("Hello Alex Smith,") or "Hello" not in body


def test_the_check_catches_an_untranslated_string(network):
    """The same check on the French e-mails and on a history sentence left in French."""
    with translation.override("fr"):
        found = [
            french_in(" ".join(mail.render(name, email_context(network), "fr"))) for name in EMAILS
        ]
    assert all(found), [name for name, words in zip(EMAILS, found, strict=True) if not words]
    place, person, _report = network
    with translation.override("en"):
        untranslated = "Statut du lieu : Membre → Suspendu."  # what a missing msgstr leaves
        assert french_in(untranslated)
        assert french_in(place.events.first().describe()) == []
    assert settings.SITE_NAME == "LCP Network"


def test_a_reports_start_reads_in_the_readers_language():
    """The first step of a report is written at reading time, not frozen in the actor's
    language (the review screen and the report page show it)."""
    from members.models import ReportTransition

    start = ReportTransition(from_status="", to_status="draft", prefilled_from=2025)
    with translation.override("en"):
        assert start.text() == "Report started, pre-filled from the 2025 report."
        assert ReportTransition(from_status="", to_status="draft").text() == "Report started."
    with translation.override("fr"):
        assert start.text() == "Bilan commencé, pré-rempli à partir du bilan 2025."
