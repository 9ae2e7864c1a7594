"""Only listed places (member, public, valid signature) ever appear: pages and every export."""

import csv
import io
import json

import pytest
from django.db import connection

from members.models import Place, SignaturePolicy
from tests import factories

pytestmark = pytest.mark.django_db

PUBLIC_URLS = [
    "/annuaire/",
    "/annuaire/?vue=carte",
    "/",
    "/annuaire/export.csv",
    "/annuaire/export.json",
    "/annuaire/export.geojson",
    "/sitemap.xml",
]


def body(response):
    return (
        b"".join(response.streaming_content) if response.streaming else response.content
    ).decode()


@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_hidden_places_never_appear(client, listed_place, hidden_places, campaign, url):
    shown = listed_place(name="Lieu Visible")
    content = body(client.get(url))
    if url != "/annuaire/?vue=carte":  # the map page lists nobody itself: its markers are GeoJSON
        assert shown.slug in content or shown.name in content
    for reason, place in hidden_places.items():
        assert place.name not in content, reason
        assert place.slug not in content, reason


@pytest.mark.parametrize("reason", ["applicant", "suspended", "withdrawn", "private", "unsigned"])
def test_hidden_place_page_is_404(client, hidden_places, reason):
    assert client.get(f"/annuaire/{hidden_places[reason].slug}/").status_code == 404


def test_lapsed_signature_hides_the_place(client, listed_place):
    """A version requiring re-signing, past its grace period: the old signature has lapsed."""
    import datetime

    from django.utils import timezone

    place = listed_place(name="Lieu Caduc")
    factories.publish_version_2(when=timezone.now() - datetime.timedelta(days=40), grace_days=30)
    assert place.name not in body(client.get("/annuaire/"))
    assert client.get(f"/annuaire/{place.slug}/").status_code == 404
    rows = list(
        csv.DictReader(io.StringIO(body(client.get("/annuaire/export.csv")).lstrip("\ufeff")))
    )
    assert rows == []
    assert json.loads(body(client.get("/annuaire/export.geojson")))["features"] == []


def test_unpublished_and_draft_reports_stay_private(client, listed_place, past_campaign, campaign):
    place = listed_place()
    factories.published_report(place, past_campaign, publish=False)
    factories.published_report(place, campaign, status="submitted")
    content = body(client.get(f"/annuaire/{place.slug}/"))
    assert "Ce lieu n’a pas encore de bilan publié." in content
    assert "Récit sur" not in content


def test_no_private_field_leaks(client, listed_place, past_campaign):
    place = listed_place(public_email="contact@lieu.example")
    factories.MembershipFactory(place=place, user__email="team-secret@example.org")
    report = factories.published_report(place, past_campaign)
    report.answers.update(reviewer_comment="Commentaire interne de la coordination")
    for url in [f"/annuaire/{place.slug}/", *PUBLIC_URLS]:
        content = body(client.get(url))
        assert "team-secret@example.org" not in content, url
        assert "Camille Durand" not in content, url  # the signatory's name
        assert "Commentaire interne" not in content, url
        assert place.rna not in content, url  # legal identifiers are not in the directory


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plans")
def test_listed_places_are_counted_from_indexes_on_postgresql(listed_place, hidden_places):
    """The directory's count reads the partial index of public members' ids (migration 0027)
    and the valid signatures' unique index, not the wide rows of every place. (Sequential scans
    off: a test table is small enough to be scanned.)"""
    listed_place(name="Lieu Visible")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    listed = Place.objects.listed(SignaturePolicy()).order_by()
    plan = listed.explain()
    assert "place_public_member_idx" in plan
    assert listed.count() == 1


def test_the_directory_counts_its_places_from_the_summary_rows(client, listed_place, hidden_places):
    """Neither searched nor filtered, the directory's count is the home page's, read from the
    summary rows (a count of every listed place grew tenfold with the network); a signature
    recorded outside the services (the admin, an import: here the factories) counts at once.
    Searched, the directory counts the matching rows."""
    from django.test.utils import CaptureQueriesContext

    for n in range(4):
        listed_place(name=f"Lieu Compté {n}")
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/annuaire/")
    assert response.context["count"] == 4
    assert "4 lieux" in body(response)
    assert not any("COUNT(" in query["sql"].upper() for query in captured)
    searched = client.get("/annuaire/?q=Compté 2")
    assert searched.context["count"] == 1
