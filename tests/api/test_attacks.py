"""Nothing about unlisted places leaks through the API: not public, suspended, applicant or
withdrawn places are absent from every list and 404 on every detail, by slug, code or filter,
although each of them signed the charter and has an approved, "published" report."""

import pytest

from members.models import Signature

HIDDEN = ["private", "suspended", "applicant", "withdrawn"]

LISTS = [
    "/api/v1/places/",
    "/api/v1/signatures/",
    "/api/v1/reports/",
    "/api/v1/reports/?campaign=2026",
    "/api/v1/observatory/",
    "/api/v1/observatory/2026/",
]


def assert_answers_without(client, urls, *, status, text):
    """Each URL answers ``status`` and its body does not contain ``text``."""
    for url in urls:
        response = client.get(url)
        assert response.status_code == status, url
        assert text not in response.content.decode(), url


@pytest.mark.parametrize("which", HIDDEN)
def test_no_endpoint_shows_a_hidden_place(client, network, which):
    place = network["hidden"][which]
    code = Signature.objects.get(place=place).verification_code
    details = (
        f"/api/v1/places/{place.slug}/",
        f"/api/v1/signatures/{code}/",
        f"/api/v1/signatures/{code.lower()}/",
        f"/api/v1/reports/{place.slug}/2026/",
    )
    assert_answers_without(client, details, status=404, text=place.name)
    searches = (
        f"/api/v1/places/?q={place.name}",
        f"/api/v1/places/?q={place.slug}",
        f"/api/v1/places/?departement={place.departement}&q={place.commune}",
        f"/api/v1/signatures/?place={place.slug}",
        f"/api/v1/reports/?place={place.slug}",
        f"/api/v1/reports/?place={place.slug}&campaign=2026",
    )
    assert_answers_without(client, searches, status=200, text=place.slug)
    for url in LISTS:
        body = client.get(url).content.decode()
        assert place.slug not in body and place.name not in body and code not in body, url


def test_hidden_places_count_nowhere_in_the_observatory(client, network):
    body = client.get("/api/v1/observatory/2026/").json()
    assert body["campaign"]["published_reports"] == 1
    assert sum(r["listed_places"] for r in body["regions"]) == 1
    assert {i["key"]: i["total"] for i in body["indicators"]} == {"benevoles": 12}
    lyon = client.get("/api/v1/observatory/2026/?departement=69").json()  # the applicant's
    assert lyon["campaign"]["published_reports"] == 0 and lyon["departements"] == []


def test_a_place_that_leaves_the_directory_leaves_the_api(client, network):
    from members.models import Place

    place = network["listed"]
    assert client.get(f"/api/v1/places/{place.slug}/").status_code == 200
    Place.objects.filter(pk=place.pk).update(status=Place.Status.SUSPENDED)
    for url in (f"/api/v1/places/{place.slug}/", f"/api/v1/reports/{place.slug}/2026/"):
        assert client.get(url).status_code == 404
    assert client.get("/api/v1/signatures/").json()["results"] == []


def test_the_api_ignores_sessions_and_cannot_be_written(client, network, coordinator):
    """A coordinator's session opens nothing more: the API has no authentication at all."""
    client.force_login(coordinator)
    place = network["hidden"]["suspended"]
    assert client.get(f"/api/v1/places/{place.slug}/").status_code == 404
    assert client.post("/api/v1/reports/", {}).status_code == 405
