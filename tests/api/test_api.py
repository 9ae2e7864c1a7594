"""/api/v1/: what each endpoint answers, its schema, conditional GET, CORS, limits, errors."""

import re
import time

import pytest
from django.urls import reverse
from openapi_schema_validator import OAS30Validator
from openapi_spec_validator import validate as validate_spec

from members.models import Place
from tests import factories


def get(client, url, **headers):
    return client.get(url, headers=headers)


@pytest.fixture
def schema(client, db):
    response = client.get("/api/v1/schema/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/")
    return response.json()


def operation(schema, path):
    """The OpenAPI operation of a concrete path: /api/v1/places/x/ ↔ /api/v1/places/{slug}/."""
    for template, item in schema["paths"].items():
        pattern = "^" + re.sub(r"\{[^}]+\}", "[^/]+", template) + "$"
        if re.match(pattern, path):
            return item["get"]
    raise AssertionError(f"{path} is not in the schema")


def assert_matches_schema(schema, response):
    """The body of ``response`` is valid against what the schema declares for its status."""
    path = response.wsgi_request.path
    declared = operation(schema, path)["responses"][str(response.status_code)]
    media = next(iter(declared["content"].values()))
    document = {"components": schema["components"], **media["schema"]}
    OAS30Validator(document).validate(response.json())


ENDPOINTS = [
    "/api/v1/",
    "/api/v1/places/",
    "/api/v1/places/atelier-visible/",
    "/api/v1/places/?region=53&q=atelier",
    "/api/v1/signatures/",
    "/api/v1/signatures/?place=atelier-visible&version=1",
    "/api/v1/charter/versions/",
    "/api/v1/charter/versions/1/",
    "/api/v1/reports/",
    "/api/v1/reports/?campaign=2026",
    "/api/v1/reports/atelier-visible/2026/",
    "/api/v1/observatory/",
    "/api/v1/observatory/2026/",
    "/api/v1/observatory/2026/?region=53",
    "/api/v1/observatory/2026/?departement=35",
]


def test_the_schema_is_valid_openapi_3(schema):
    validate_spec(schema)
    assert schema["openapi"].startswith("3.")
    assert {"/api/v1/places/", "/api/v1/reports/{slug}/{year}/"} <= set(schema["paths"])


@pytest.mark.parametrize("url", ENDPOINTS)
def test_every_endpoint_answers_what_the_schema_says(client, network, schema, url):
    response = client.get(url)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/json"
    assert_matches_schema(schema, response)


@pytest.mark.parametrize(
    "url, status",
    [
        ("/api/v1/places/nope/", 404),
        ("/api/v1/places/?region=99", 400),
        ("/api/v1/reports/?campaign=deux-mille", 400),
        ("/api/v1/reports/atelier-visible/1999/", 404),
        ("/api/v1/signatures/ABCD-EFGH-JKLM/", 404),
        ("/api/v1/charter/versions/42/", 404),
        ("/api/v1/observatory/1999/", 404),
        ("/api/v1/observatory/2026/?departement=xx", 400),
    ],
)
def test_errors_are_problem_details_as_the_schema_says(client, network, schema, url, status):
    response = client.get(url)
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert {"type", "title", "status", "detail"} <= body.keys()
    assert body["status"] == status
    assert_matches_schema(schema, response)
    assert response["Access-Control-Allow-Origin"] == "*"


def test_unknown_addresses_and_methods_are_problems_too(client, network):
    response = client.get("/api/v1/nothing/here/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 404
    response = client.post("/api/v1/places/", {"name": "x"})
    assert response.status_code == 405
    assert response.json()["title"] == "Method Not Allowed"
    assert response["Content-Type"] == "application/problem+json"
    for method in (client.put, client.patch, client.delete):
        assert method("/api/v1/places/atelier-visible/").status_code == 405
    assert Place.objects.filter(name="x").count() == 0


def test_a_bad_filter_names_the_parameter_in_french_and_in_english(client, network):
    body = client.get("/api/v1/places/?departement=999").json()
    assert "departement" in body["errors"]
    english = client.get("/api/v1/places/?departement=999", headers={"accept-language": "en"})
    assert english.json()["detail"] == "One or more parameters are invalid."
    assert body["detail"] == "Un ou plusieurs paramètres sont invalides."


def test_places_show_the_open_data_fields_and_only_listed_places(client, network):
    body = client.get("/api/v1/places/").json()
    assert [p["slug"] for p in body["results"]] == ["atelier-visible"]
    place = body["results"][0]
    assert place["charter_version"] == 1
    assert place["url"] == "http://testserver/annuaire/atelier-visible/"
    assert place["verification_url"].startswith("http://testserver/verifier/")
    assert "rna" not in place and "siret" not in place and "legal_name" not in place
    assert body["next"] is None and body["previous"] is None


def test_places_take_the_directory_filters(client, network):
    def slugs(query):
        return [p["slug"] for p in client.get("/api/v1/places/" + query).json()["results"]]

    assert slugs("?region=53") == ["atelier-visible"]
    assert slugs("?region=84") == []
    assert slugs("?departement=35") == ["atelier-visible"]
    assert slugs("?q=visible") == ["atelier-visible"]
    assert slugs("?q=candidat") == []
    assert slugs("?engagement=valeur-partage") == ["atelier-visible"]
    assert slugs("?engagement=valeur-laicite") == []


def test_cursor_pagination_walks_every_place_once(client, network):
    for _n in range(4):
        factories.SignatureFactory(place=factories.MemberPlaceFactory())
    seen, url = [], "/api/v1/places/?page_size=2"
    while url:
        body = client.get(url).json()
        seen += [p["slug"] for p in body["results"]]
        url = body["next"]
    assert len(seen) == 5 == len(set(seen))
    assert seen == sorted(seen)


def test_signatures_show_verification_fields_only(client, network):
    body = client.get("/api/v1/signatures/").json()
    assert len(body["results"]) == 1
    signature = body["results"][0]
    assert signature["place"] == "atelier-visible"
    assert signature["state"] == "current"
    assert "signatory_name" not in signature and "ip_address" not in signature
    one = client.get(f"/api/v1/signatures/{signature['verification_code'].lower()}/")
    assert one.status_code == 200
    assert one.json() == signature


def test_charter_versions_with_their_text(client, network):
    versions = client.get("/api/v1/charter/versions/").json()
    assert [v["number"] for v in versions] == [1]
    text = client.get("/api/v1/charter/versions/1/").json()
    commitments = [c for s in text["sections"] for c in s["commitments"]]
    assert len(text["sections"]) == 3 and len(commitments) == 18
    assert all(c["text"] for c in commitments)
    factories.DraftVersionFactory(number=2)
    assert client.get("/api/v1/charter/versions/2/").status_code == 404
    assert len(client.get("/api/v1/charter/versions/").json()) == 1


def test_reports_show_levels_and_indicators(client, network):
    body = client.get("/api/v1/reports/").json()
    assert [r["place"] for r in body["results"]] == ["atelier-visible"]
    report = body["results"][0]
    levels = {a["commitment"]: a["level"] for a in report["answers"]}
    assert levels["valeur-partage"] == "4" and len(levels) == 18
    assert [(i["key"], i["kind"], i["value"]) for i in report["indicators"]] == [
        ("benevoles", "integer", 12.0)
    ]
    assert "reviewer_comment" not in report["answers"][0]


def test_observatory_reads_the_published_reports_only(client, network):
    campaigns = client.get("/api/v1/observatory/").json()
    assert [(c["year"], c["published_reports"]) for c in campaigns] == [(2026, 1)]
    body = client.get("/api/v1/observatory/2026/").json()
    assert body["campaign"]["published_reports"] == 1
    partage = next(c for c in body["commitments"] if c["key"] == "valeur-partage")
    assert partage["levels"]["4"] == 1 and partage["answers"] == 1
    assert body["indicators"][0]["total"] == 12  # not 12 + 4 × 99 from the hidden places
    assert [r["code"] for r in body["regions"]] == ["53"]
    elsewhere = client.get("/api/v1/observatory/2026/?region=84").json()
    assert elsewhere["campaign"]["published_reports"] == 0 and elsewhere["indicators"] == []


# --- HTTP: conditional requests, CORS, rate limit -------------------------------------------


def test_etag_and_last_modified_give_304(client, network):
    first = client.get("/api/v1/places/")
    etag, modified = first["ETag"], first["Last-Modified"]
    assert etag.startswith('"') and modified
    again = client.get("/api/v1/places/", headers={"if-none-match": etag})
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == etag and again["Access-Control-Allow-Origin"] == "*"
    since = client.get("/api/v1/places/", headers={"if-modified-since": modified})
    assert since.status_code == 304
    other = client.get("/api/v1/places/", headers={"if-none-match": '"other"'})
    assert other.status_code == 200


def test_a_change_gives_a_new_etag_and_a_full_answer(client, network):
    first = client.get("/api/v1/places/")
    time.sleep(1.05)  # Last-Modified counts whole seconds
    factories.SignatureFactory(place=factories.MemberPlaceFactory(name="Nouveau Lieu"))
    changed = client.get(
        "/api/v1/places/",
        headers={"if-none-match": first["ETag"], "if-modified-since": first["Last-Modified"]},
    )
    assert changed.status_code == 200
    assert changed["ETag"] != first["ETag"]
    assert changed["Last-Modified"] != first["Last-Modified"]
    since = client.get("/api/v1/places/", headers={"if-modified-since": first["Last-Modified"]})
    assert since.status_code == 200


def test_cors_is_open_for_reading(client, network):
    response = client.get("/api/v1/places/", headers={"origin": "https://example.net"})
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response["Access-Control-Expose-Headers"]
    preflight = client.options(
        "/api/v1/places/",
        headers={"origin": "https://example.net", "access-control-request-method": "GET"},
    )
    assert preflight.status_code == 200
    assert "GET" in preflight["Access-Control-Allow-Methods"]
    assert client.get("/api/v1/schema/")["Access-Control-Allow-Origin"] == "*"
    # No cookie-based session in the API: credentials are never allowed.
    assert "Access-Control-Allow-Credentials" not in response


def test_rate_limited_per_address_with_retry_after(client, network, settings):
    settings.API_RATE_LIMIT = "3/min"
    for _n in range(3):
        assert client.get("/api/v1/", REMOTE_ADDR="203.0.113.5").status_code == 200
    response = client.get("/api/v1/places/", REMOTE_ADDR="203.0.113.5")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert response.json()["status"] == 429
    assert response["Content-Type"] == "application/problem+json"
    assert client.get("/api/v1/", REMOTE_ADDR="203.0.113.6").status_code == 200


def test_the_docs_page_loads_swagger_ui_from_the_package(client, db):
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "<script>" not in html  # the CSP allows no inline script
    assert 'data-schema-url="/api/v1/schema/"' in html
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert reverse("api:docs") == "/api/v1/docs/"


# --- Constant queries -----------------------------------------------------------------------


def _more(n):
    campaign = factories.CampaignFactory(year=2026)
    for _i in range(n):
        place = factories.MemberPlaceFactory()
        factories.SignatureFactory(place=place)
        factories.published_report(place, campaign, indicators={"benevoles": 3})


@pytest.mark.parametrize(
    "url, queries",
    [
        # versions (policy), current campaign, filter form (current version, activities,
        # publics, commitments), the page, its activities, its publics
        ("/api/v1/places/", 9),
        # versions (policy), the page (signatures with places, versions and states)
        ("/api/v1/signatures/", 2),
        # versions (policy), the page, its answers, its indicator values
        ("/api/v1/reports/", 4),
        # the versions
        ("/api/v1/charter/versions/", 1),
        # campaigns, reports per campaign, answers per campaign
        ("/api/v1/observatory/", 3),
        # campaign, places, reports, levels, current version, commitments, indicator
        # totals, indicators
        ("/api/v1/observatory/2026/", 8),
    ],
)
def test_list_endpoints_run_a_constant_number_of_queries(
    client, db, django_assert_num_queries, url, queries
):
    _more(2)
    client.get(url)  # warm the per-process caches (content types…)
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200
    _more(5)
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200
