"""Home figures, the observatory's aggregates, sitemap.xml and robots.txt."""

import pytest

from members import stats, tallies
from members.models import Place
from tests import factories

pytestmark = pytest.mark.django_db


def test_home_key_figures_and_latest_signatories(client, listed_place, hidden_places):
    listed_place(name="Lieu Rennes", departement="35", region="53")
    listed_place(name="Lieu Brest", departement="29", region="53")
    listed_place(name="Lieu Lyon", departement="69", region="84")
    tallies.rebuild()  # the factories bypass the services
    response = client.get("/")
    assert response.context["figures"] == {
        "places": 3,
        "departements": 3,
        "regions": 2,
        "current_signatures": 3,
    }
    content = response.content.decode()
    assert "signatures de la charte v1" in content
    latest = [p.name for p in response.context["latest_signatories"]]
    assert latest == ["Lieu Lyon", "Lieu Brest", "Lieu Rennes"]
    assert 'data-geojson-url="/annuaire/export.geojson"' in content
    assert "Lieu Candidat" not in content


def test_observatory_aggregates(client, listed_place, campaign, past_campaign):
    a = listed_place(region="53")
    b = listed_place(region="84")
    hidden = listed_place(status=Place.Status.SUSPENDED)
    factories.published_report(
        a, campaign, levels={"valeur-partage": "4"}, indicators={"benevoles": 10}
    )
    factories.published_report(
        b, campaign, levels={"valeur-partage": "0"}, indicators={"benevoles": 30}
    )
    factories.published_report(b, past_campaign, levels={"valeur-partage": "3"})
    factories.published_report(hidden, campaign, indicators={"benevoles": 1000})  # not counted
    tallies.rebuild()  # the factories bypass the services
    response = client.get("/observatoire/")
    ctx = response.context
    assert ctx["campaign"] == campaign and ctx["report_count"] == 2
    partage = next(row for row in ctx["distribution"] if row["key"] == "valeur-partage")
    assert partage["total"] == 2
    assert {s["level"].value: s["n"] for s in partage["segments"]} == {
        "0": 1, "1": 0, "2": 0, "3": 0, "4": 1, "na": 0,
    }  # fmt: skip
    assert partage["strong_share"] == 50.0
    (benevoles,) = ctx["indicators"]
    assert (benevoles["total"], benevoles["median"], benevoles["count"]) == (40, 20, 2)
    regions = {row["code"]: row for row in ctx["regions"]}
    assert regions["53"]["places"] == 1 and regions["53"]["reports"] == 1
    assert [row["campaign"].year for row in ctx["history"]] == [2025, 2026]
    content = response.content.decode()
    assert content.count("<svg") >= 19  # 18 stacked bars and the evolution chart
    assert content.count("<caption") >= 4  # a data table for each chart
    assert 'style="' not in content


def test_observatory_without_campaign(client):
    assert "Aucune campagne" in client.get("/observatoire/").content.decode()


def test_sitemap_lists_public_pages_and_listed_places(client, listed_place, hidden_places):
    place = listed_place()
    content = client.get("/sitemap.xml").content.decode()
    assert f"/annuaire/{place.slug}/</loc>" in content
    assert "/observatoire/</loc>" in content and "/donnees/</loc>" in content
    for hidden in hidden_places.values():
        assert hidden.slug not in content


def test_robots_txt(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    content = response.content.decode()
    assert "Disallow: /espace/" in content
    assert "Sitemap: http://testserver/sitemap.xml" in content


def test_observatory_shows_latest_campaign_with_published_reports(
    client, listed_place, campaign, past_campaign
):
    factories.published_report(listed_place(), past_campaign)
    tallies.rebuild()  # the factories bypass the services
    response = client.get("/observatoire/")
    assert response.context["campaign"] == past_campaign  # 2026 is open but has no report yet
    assert response.context["report_count"] == 1


@pytest.mark.parametrize("window", [1, 2, 3, 200])
def test_latest_signatories_from_a_window_of_signatures(
    client, listed_place, hidden_places, window, monkeypatch
):
    """The latest signatories are read among the newest signatures only; whatever the window,
    the answer is the one of sorting every listed place (the hidden places signed last)."""
    from members.models import SignaturePolicy
    from members.views import directory

    monkeypatch.setattr(directory, "SIGNATURE_WINDOW", window)
    for name in ["A", "B", "C", "D"]:
        listed_place(name=f"Lieu {name}")
    hidden_places  # noqa: B018 — created after: their signatures are the newest
    for name in ["Caché 1", "Caché 2"]:
        listed_place(name=name, status=Place.Status.SUSPENDED)
    policy = SignaturePolicy()
    expected = list(directory.listed_places(policy=policy).order_by("-signed_at", "-pk")[:3])
    assert directory.latest_signatories(policy, count=3) == expected
    assert [p.name for p in expected] == ["Lieu D", "Lieu C", "Lieu B"]


def test_observatory_medians_follow_each_new_published_report(listed_place, campaign):
    """The medians are computed once per change of the data, never served stale: a report
    published afterwards moves them at once."""
    a, b, c = (listed_place(region="53") for _ in range(3))
    factories.published_report(a, campaign, indicators={"benevoles": 10})
    factories.published_report(b, campaign, indicators={"benevoles": 30})
    tallies.rebuild()

    def median():
        (benevoles,) = stats.indicator_summary(campaign)
        return benevoles["median"]

    assert median() == 20
    assert median() == 20  # the second visit reads it computed
    factories.published_report(c, campaign, indicators={"benevoles": 100})
    tallies.rebuild()
    assert median() == 30


def test_observatory_figures_are_rendered_once_per_version_of_the_summary_rows(
    client, listed_place, campaign
):
    """Signed in (no page cache), the figures come from a fragment kept until the summary rows
    change: a report published moves them at once, a place's new presentation reads none."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(factories.UserFactory())
    a, b = listed_place(region="53"), listed_place(region="84")
    factories.published_report(a, campaign)
    tallies.retally(places=[a])

    def visit():
        with CaptureQueriesContext(connection) as queries:
            content = client.get("/observatoire/").content.decode()
        read = any("members_leveltally" in q["sql"] for q in queries.captured_queries)
        return content, read

    content, read = visit()
    assert "1 bilan publié." in content and read
    factories.published_report(b, campaign)
    tallies.retally(places=[b])
    content, read = visit()
    assert "2 bilans publiés." in content and read
    b.description = "Une nouvelle présentation."
    b.save()
    content, read = visit()
    assert "2 bilans publiés." in content and not read
