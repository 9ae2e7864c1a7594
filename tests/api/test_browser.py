"""Browser: /donnees/ passes axe in French and in English; /api/v1/docs/ renders the schema
with Swagger UI under the site's CSP (no inline script, nothing from a CDN)."""

import pytest
from playwright.sync_api import expect

from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def listed(transactional_db):
    place = factories.MemberPlaceFactory(name="Atelier Visible", slug="atelier-visible")
    factories.SignatureFactory(place=place)
    return place


@pytest.mark.parametrize("language", ["fr", "en"])
def test_opendata_page_passes_axe(live_server, browser, axe, listed, language):
    page = browser.new_context(locale=language).new_page()
    page.goto(f"{live_server.url}/langue/{language}/?next=/donnees/")
    page.goto(live_server.url + "/donnees/")
    heading = "open data" if language == "en" else "Données ouvertes"
    expect(page.locator("h1")).to_contain_text(heading)
    expect(page.locator("#package-title")).to_be_visible()
    expect(page.locator("a[href='/donnees/datapackage.json']")).to_be_visible()
    axe(page)


def test_api_docs_render_the_schema_under_the_csp(live_server, page, listed):
    violations = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security" in m.text else 0)
    page.goto(live_server.url + "/api/v1/docs/")
    expect(page.locator(".swagger-ui .opblock-summary-path").first).to_be_visible(timeout=15000)
    paths = page.locator(".swagger-ui .opblock-summary-path").all_inner_texts()
    assert any("/api/v1/places/" in p for p in paths), paths
    script_violations = [v for v in violations if "script" in v.lower()]
    assert script_violations == []
