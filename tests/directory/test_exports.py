"""Open data: CSV, JSON and GeoJSON parse, follow the directory's filters, hold public fields only."""

import csv
import io
import json

import pytest

from members.views.opendata import FIELD_NAMES

pytestmark = pytest.mark.django_db


def body(response):
    assert response.streaming, "exports are streamed"
    return b"".join(response.streaming_content).decode()


@pytest.fixture
def two_places(listed_place, campaign):
    return [
        listed_place(
            name="Maison Verte", region="53", departement="35", activities=["culture", "numerique"]
        ),
        listed_place(
            name="Atelier Sud",
            region="93",
            departement="13",
            postcode="13001",
            commune="Marseille",
            latitude=None,
            longitude=None,
            publics=["jeunes"],
        ),
    ]


def test_csv_parses_with_documented_columns(client, two_places):
    response = client.get("/annuaire/export.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(body(response).lstrip("\ufeff"))))
    assert [row["name"] for row in rows] == ["Atelier Sud", "Maison Verte"]
    assert list(rows[0].keys()) == FIELD_NAMES
    verte = rows[1]
    assert verte["activities"] == "culture|numerique"
    assert verte["charter_version"] == "1"
    assert verte["reporting_status"] == "up_to_date"
    assert verte["verification_url"].startswith("http://testserver/verifier/")
    assert rows[0]["latitude"] == ""


def test_json_parses(client, two_places):
    response = client.get("/annuaire/export.json")
    data = json.loads(body(response))
    assert data["licence"].startswith("Licence Ouverte 2.0")
    assert [p["name"] for p in data["places"]] == ["Atelier Sud", "Maison Verte"]
    assert set(data["places"][0]) == set(FIELD_NAMES)
    assert data["places"][0]["publics"] == ["jeunes"]


def test_geojson_structure(client, two_places):
    response = client.get("/annuaire/export.geojson")
    assert response["Content-Type"] == "application/geo+json"
    data = json.loads(body(response))
    assert data["type"] == "FeatureCollection"
    by_name = {f["properties"]["name"]: f for f in data["features"]}
    verte = by_name["Maison Verte"]
    assert verte["type"] == "Feature"
    assert verte["geometry"] == {"type": "Point", "coordinates": [-1.68, 48.111]}  # lon, lat
    assert verte["properties"]["url"] == f"http://testserver/annuaire/{two_places[0].slug}/"
    assert by_name["Atelier Sud"]["geometry"] is None  # no coordinates: still listed


@pytest.mark.parametrize("fmt", ["csv", "json", "geojson"])
def test_exports_follow_directory_filters(client, two_places, fmt):
    content = body(client.get(f"/annuaire/export.{fmt}", {"region": "93", "activite": "bogus"}))
    assert "Atelier Sud" in content
    assert "Maison Verte" not in content


@pytest.mark.parametrize("fmt", ["csv", "json", "geojson"])
def test_exports_hold_no_private_field(client, two_places, fmt):
    from tests import factories

    factories.MembershipFactory(place=two_places[0], user__email="equipe@prive.example")
    content = body(client.get(f"/annuaire/export.{fmt}"))
    for private in [
        "equipe@prive.example",
        "Camille Durand",  # signatory
        "Présidente",  # signatory's title
        two_places[0].siret,
        two_places[0].legal_name,
        "ip_address",
        "signatory",
    ]:
        assert private not in content


def test_export_runs_a_constant_number_of_queries(client, listed_place, django_assert_num_queries):
    for n in range(5):
        listed_place(name=f"Lieu {n}", activities=["culture"], publics=["jeunes"])
    # policy, campaign, 4 for the filter choices (version, activities, publics, commitments),
    # once each the activity and public slugs and the latest valid signatures (read into
    # dictionaries instead of subqueries per place; with a current campaign, two more: its
    # reports and extensions), then the places' plain columns (one chunk of 1,000).
    with django_assert_num_queries(10):
        body(client.get("/annuaire/export.csv"))
    for n in range(20):
        listed_place(name=f"Autre {n}", activities=["culture"], publics=["jeunes"])
    with django_assert_num_queries(10):
        body(client.get("/annuaire/export.csv"))


def test_opendata_page_documents_fields_and_licence(client):
    content = client.get("/donnees/").content.decode()
    assert "Licence Ouverte 2.0" in content
    for name in FIELD_NAMES:
        assert f"<code>{name}</code>" in content
