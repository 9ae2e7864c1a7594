"""Browser journey: the directory with filters, its map, a place page, home and observatory."""

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.helpers_places import located

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def reference_data(transactional_db):
    """Charter version 1 and the activity lists come from data migrations, which an earlier
    transactional test's flush wipes out: load them again (both loaders are idempotent)."""
    from importlib import import_module

    from django.apps import apps

    import_module("charter.migrations.0003_load_version_1").load_version_1(apps, None)
    import_module("members.migrations.0002_reference_lists").create(apps, None)


@pytest.fixture
def network(reference_data, listed_place, campaign, past_campaign, settings):
    # No network here: tiles come from the test server (404s), which Leaflet shrugs off.
    settings.MAP_TILES_URL = "/static/tiles/{z}/{x}/{y}.png"
    places = [
        listed_place(
            name="Maison de Quartier Élan",
            **located("35000", "Rennes", 48.11, -1.68),
            activities=["culture", "numerique"],
            publics=["familles"],
            description="Ateliers d’écriture, **café associatif** et jardin partagé.",
            website="https://elan.example",
            public_email="bonjour@elan.example",
        ),
        listed_place(
            name="Centre Social Kerangoff",
            **located("29200", "Brest", 48.39, -4.49),
            activities=["alimentation", "culture"],
        ),
        listed_place(
            name="Tiers-Lieu La Cordée",
            **located("69001", "Lyon", 45.76, 4.83),
            activities=["tiers-lieu"],
        ),
    ]
    factories.published_report(
        places[0],
        past_campaign,
        levels={"valeur-partage": "4", "valeur-laicite": "1", "ambition-emploi": "na"},
        indicators={"benevoles": 42},
    )
    factories.published_report(places[1], past_campaign, levels={"valeur-partage": "3"})
    return places


def test_directory_map_and_place_page(live_server, page, axe, screenshot, network):
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(live_server.url + "/annuaire/")
    assert page.locator(".place-card").count() == 3
    page.select_option("#id_region", "53")
    page.select_option("#id_activite", "culture")
    page.get_by_role("button", name="Afficher les lieux").click()
    page.wait_for_url("**region=53**")
    assert page.locator(".place-card").count() == 2
    assert "2 lieux trouvés" in page.locator("#result-count").inner_text()
    axe(page)
    screenshot("directory-filtered")

    page.get_by_role("link", name="Carte", exact=True).click()
    page.wait_for_url("**vue=carte**")
    # Markers come from the GeoJSON endpoint, drawn on a canvas; the status line counts them.
    expect(page.locator("[data-map-status]")).to_contain_text("2 lieux placés sur la carte")
    assert page.locator(".leaflet-container .leaflet-overlay-pane canvas").count() == 1
    axe(page)
    screenshot("directory-map")

    page.goto(live_server.url + "/annuaire/?q=elan")
    page.get_by_role("link", name="Maison de Quartier Élan").click()
    page.get_by_role("heading", level=1, name="Maison de Quartier Élan").wait_for()
    assert page.get_by_text("Exemplaire (4/4)").count() == 1
    page.get_by_text("Lire les récits et actions du bilan").click()
    axe(page)
    screenshot("place-page")
    # Only the missing tiles (and favicon) may fail; no script error, no CSP violation.
    assert [e for e in errors if "404" not in e and "Failed to load" not in e] == []


def test_home_and_observatory(live_server, page, axe, screenshot, network):
    page.goto(live_server.url + "/")
    expect(page.locator("[data-map-status]")).to_contain_text("3 lieux placés sur la carte")
    axe(page)
    screenshot("home")
    page.goto(live_server.url + "/observatoire/")
    axe(page)
    screenshot("observatory")
    page.goto(live_server.url + "/donnees/")
    axe(page)
