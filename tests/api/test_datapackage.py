"""/donnees/datapackage.json describes the live CSV so that tools accept it (frictionless), and
the GeoJSON export is valid RFC 7946."""

import json

import pytest
from frictionless import Package, validate

from members import geography
from members.models import Activity, Place
from tests import factories


@pytest.fixture
def varied(db):
    """Listed places of every shape: overseas, Corsica, no coordinates, activities, a phone
    that looks like a formula, a website; and one hidden place."""
    campaign = factories.CampaignFactory(year=2026)
    shapes = [
        {"postcode": "35000", "commune": "Rennes", "departement": "35", "region": "53"},
        {
            "postcode": "97400",
            "commune": "Saint-Denis",
            "departement": "974",
            "region": "04",
            "latitude": -20.88,
            "longitude": 55.45,
            "phone": "+262 262 00 00 00",
        },
        {
            "postcode": "20000",
            "commune": "Ajaccio",
            "departement": "2A",
            "region": "94",
            "website": "https://lieu.example.org/",
            "public_email": "contact@lieu.example.org",
        },
        {
            "postcode": "75011",
            "commune": "Paris",
            "departement": "75",
            "region": "11",
            "latitude": None,
            "longitude": None,
            "name": '=HYPERLINK("x")',
        },
    ]
    for n, shape in enumerate(shapes):
        place = factories.MemberPlaceFactory(**{"name": f"Lieu {n}", **shape})
        place.activities.set(Activity.objects.all()[: n + 1])
        factories.SignatureFactory(place=place)
        if n == 0:
            factories.published_report(place, campaign)
    hidden = factories.MemberPlaceFactory(name="Lieu Caché", is_public=False)
    factories.SignatureFactory(place=hidden)
    return campaign


def test_the_package_describes_the_csv_with_types_enums_key_and_licence(client, varied):
    response = client.get("/donnees/datapackage.json")
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    package = response.json()
    assert package["licenses"][0]["name"] == "etalab-2.0"
    assert package["sources"] and package["last_modified"]
    csv = package["resources"][0]
    assert csv["path"] == "http://testserver/annuaire/export.csv"
    fields = {f["name"]: f for f in csv["schema"]["fields"]}
    assert csv["schema"]["primaryKey"] == ["slug"]
    assert fields["region"]["constraints"]["enum"] == [c for c, _n in geography.REGION_CHOICES]
    assert "2A" in fields["departement"]["constraints"]["enum"]
    assert "974" in fields["departement"]["constraints"]["enum"]
    assert fields["latitude"]["type"] == "number"
    assert fields["signed_on"]["type"] == "date"
    assert fields["charter_version"]["type"] == "integer"
    assert [f["name"] for f in csv["schema"]["fields"]] == list(
        client.get("/annuaire/export.csv").getvalue().decode("utf-8-sig").splitlines()[0].split(",")
    )


def test_frictionless_validates_the_live_csv_against_the_package(client, varied, tmp_path):
    package = client.get("/donnees/datapackage.json").json()
    data = client.get("/annuaire/export.csv").getvalue()
    (tmp_path / "lieux-collectifs.csv").write_bytes(data)
    resource = package["resources"][0]
    resource["path"] = "lieux-collectifs.csv"
    package["resources"] = [resource]  # the other two are not tables
    (tmp_path / "datapackage.json").write_text(json.dumps(package), encoding="utf-8")
    report = validate(str(tmp_path / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    rows = Package(str(tmp_path / "datapackage.json")).get_resource("lieux-collectifs").read_rows()
    assert len(rows) == 4  # the hidden place is not there
    assert {row["departement"] for row in rows} == {"35", "974", "2A", "75"}


def test_frictionless_finds_a_csv_that_breaks_the_schema(client, varied, tmp_path):
    """The schema has teeth: a wrong département, a duplicate key are errors."""
    package = client.get("/donnees/datapackage.json").json()
    lines = client.get("/annuaire/export.csv").getvalue().decode("utf-8-sig").splitlines()
    broken = lines + [lines[1]]  # a duplicate slug
    rennes = next(n for n, line in enumerate(broken) if ",35," in line)
    broken[rennes] = broken[rennes].replace(",35,", ",99,")  # no such département
    (tmp_path / "broken.csv").write_text("\n".join(broken), encoding="utf-8-sig")
    resource = package["resources"][0]
    resource["path"] = "broken.csv"
    resource["dialect"]["lineTerminator"] = "\n"
    package["resources"] = [resource]
    (tmp_path / "datapackage.json").write_text(json.dumps(package), encoding="utf-8")
    report = validate(str(tmp_path / "datapackage.json"))
    kinds = {error.type for task in report.tasks for error in task.errors}
    assert {"constraint-error", "primary-key"} <= kinds, kinds


def test_the_geojson_export_is_rfc_7946(client, varied):
    response = client.get("/annuaire/export.geojson")
    assert response["Content-Type"] == "application/geo+json"
    collection = json.loads(response.getvalue())
    assert collection["type"] == "FeatureCollection"
    assert "crs" not in collection  # RFC 7946: WGS 84 always, no crs member
    features = collection["features"]
    assert len(features) == 4
    places = {p.slug: p for p in Place.objects.listed()}
    for feature in features:
        assert feature["type"] == "Feature"
        assert isinstance(feature["properties"], dict)
        geometry = feature["geometry"]
        place = places[feature["properties"]["slug"]]
        if geometry is None:  # allowed by RFC 7946 §3.2: an unlocated feature
            assert place.latitude is None
            continue
        assert geometry["type"] == "Point"
        longitude, latitude = geometry["coordinates"]
        assert -180 <= longitude <= 180 and -90 <= latitude <= 90
        assert (longitude, latitude) == (place.longitude, place.latitude)  # [lon, lat] order
    reunion = next(f for f in features if f["properties"]["departement"] == "974")
    assert reunion["geometry"]["coordinates"] == [55.45, -20.88]
