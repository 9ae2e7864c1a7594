"""A place's public page: identity, signature, reports with their chart, JSON-LD."""

import json
import re

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from members.models import Answer, Report
from tests import factories
from tests.helpers_places import located

pytestmark = pytest.mark.django_db


@pytest.fixture
def place(listed_place):
    return listed_place(
        name="La Fabrique <Commune>",
        **located("29000", "Quimper"),
        description="Un **café associatif**.\n\n<script>alert(1)</script>",
        website="https://fabrique.example",
        public_email="bonjour@fabrique.example",
        phone="02 98 00 00 00",
        activities=["culture"],
        publics=["familles"],
    )


def test_identity_contact_and_signature(client, place):
    response = client.get(f"/annuaire/{place.slug}/")
    content = response.content.decode()
    assert content.count("<h1") == 1
    assert "La Fabrique &lt;Commune&gt;" in content
    assert "<strong>café associatif</strong>" in content
    assert "<script>alert(1)</script>" not in content
    assert "Culture et pratiques artistiques" in content and "Familles" in content
    assert "bonjour@fabrique.example" in content and "02 98 00 00 00" in content
    signature = place.signatures.get()
    assert "Version 1 signée le" in content
    assert f'href="/verifier/{signature.verification_code}/"' in content
    assert 'data-lat="48.111" data-lon="-1.68"' in content  # not localised with a comma
    assert "Nouvelle signature attendue" not in content


def test_json_ld_organization(client, place):
    content = client.get(f"/annuaire/{place.slug}/").content.decode()
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', content, re.S)
    data = json.loads(block.group(1))
    assert data["@type"] == "Organization"
    assert data["name"] == "La Fabrique <Commune>"
    assert "<" not in block.group(1)  # escaped: the data can never close the element
    assert data["address"]["postalCode"] == "29000"
    assert data["geo"]["latitude"] == 48.111
    assert data["sameAs"] == ["https://fabrique.example"]


def test_resigning_pending(client, place):
    factories.publish_version_2(grace_days=30)
    content = client.get(f"/annuaire/{place.slug}/").content.decode()
    assert "Nouvelle signature attendue : la version 2 de la charte doit être signée" in content
    assert "à signer à nouveau" in content


def test_published_reports_with_levels_narratives_and_indicators(
    client, place, past_campaign, campaign
):
    factories.published_report(
        place,
        past_campaign,
        levels={"valeur-partage": "4", "valeur-laicite": "0", "ambition-emploi": "na"},
        indicators={"benevoles": 1234},
    )
    factories.published_report(place, campaign, publish=False)  # not published
    content = client.get(f"/annuaire/{place.slug}/").content.decode()
    assert content.count('<article class="report') == 1 and "Bilan 2025 <small" in content
    assert content.count('class="level-row"') == 18  # one bar per commitment of version 1
    assert 'level-fill level-4"' in content and "Exemplaire (4/4)" in content
    assert "Pas encore engagé (0/4)" in content
    assert "Non concerné" in content and "Sans objet ici." in content
    assert "Récit sur <strong>valeur-partage</strong>" in content  # Markdown rendered
    assert '<td class="text-end">1\xa0234 personnes</td>' in content  # French grouping, unit
    assert 'style="' not in content
    assert "<script>" not in content.replace('<script type="application/ld+json">', "")


def test_a_published_report_is_rendered_once_per_revision(
    client, place, past_campaign, django_assert_num_queries
):
    """Its HTML is kept under its pk and revision: another visit that misses the page cache
    (a change to the place, another language…) reads no answer, and a new revision renews it."""
    report = factories.published_report(place, past_campaign, levels={"valeur-partage": "4"})
    url = f"/annuaire/{place.slug}/"
    with CaptureQueriesContext(connection) as first:
        assert "Exemplaire (4/4)" in client.get(url).content.decode()
    place.description = "Nouvelle description"
    place.save()  # renews the place's page, not its reports' fragments
    with CaptureQueriesContext(connection) as second:
        content = client.get(url).content.decode()
    assert "Nouvelle description" in content and "Exemplaire (4/4)" in content
    assert len(second) == len(first) - 2  # neither answers nor indicator values are read
    assert not [q for q in second if "members_answer" in q["sql"]]
    Answer.objects.filter(report=report, commitment__key="valeur-partage").update(level="3")
    Report.objects.filter(pk=report.pk).update(revision=F("revision") + 1)
    place.save()
    assert "Bien établi (3/4)" in client.get(url).content.decode()


def test_reporting_status_late(client, place):
    factories.past_campaign(year=2030, opened_days_ago=60, due_days_ago=5)
    content = client.get(f"/annuaire/{place.slug}/").content.decode()
    assert "Bilan : en retard" in content


def test_wrong_method_and_unknown_slug(client, place):
    assert client.post(f"/annuaire/{place.slug}/").status_code == 405
    assert client.get("/annuaire/nexiste-pas/").status_code == 404


@pytest.mark.parametrize(
    "url", ["/", "/annuaire/", "/observatoire/", "/donnees/", "/annuaire/export.csv"]
)
def test_public_pages_refuse_post(client, url):
    assert client.post(url).status_code == 405


def test_indicator_units_follow_the_language(client, place, past_campaign):
    factories.published_report(place, past_campaign, indicators={"benevoles": 12})
    french = client.get(f"/annuaire/{place.slug}/", headers={"accept-language": "fr"})
    english = client.get(f"/annuaire/{place.slug}/", headers={"accept-language": "en"})
    assert '<td class="text-end">12 personnes</td>' in french.content.decode()
    assert '<td class="text-end">12 people</td>' in english.content.decode()
