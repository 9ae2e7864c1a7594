"""A place's position on the map: typed or clicked coordinates, else its département's centre."""

import json

import pytest
from django.urls import reverse

from members import geography
from members.models import Place
from tests import factories
from tests.members.test_registration import form_data

pytestmark = pytest.mark.django_db

REGISTER = reverse("members:register")
BASTIA = geography.DEPARTEMENT_CENTRES["2B"]  # form_data() registers a place in 20200 Bastia


@pytest.fixture
def user(db):
    return factories.UserFactory()


def listed(place):
    """Approve and sign ``place`` so that the directory and its exports list it."""
    Place.objects.filter(pk=place.pk).update(status=Place.Status.MEMBER)
    factories.SignatureFactory(place=place)
    return place


# --- The offline table -------------------------------------------------------------------------


def test_every_departement_has_a_centre_inside_the_accepted_bounds():
    assert set(geography.DEPARTEMENT_CENTRES) == set(geography.DEPARTEMENTS)
    for code, (latitude, longitude) in geography.DEPARTEMENT_CENTRES.items():
        assert -25 <= latitude <= 52 and -180 <= longitude <= 180, code
        if len(code) == 2:  # metropolitan France and Corsica
            assert 41.3 < latitude < 51.1 and -5.2 < longitude < 9.6, code


def test_approximate_position():
    assert geography.approximate_position("75") == (48.857, 2.352)
    assert geography.approximate_position("2A") == (41.919, 8.738)
    assert geography.approximate_position("974")[0] < 0  # La Réunion, southern hemisphere
    assert geography.approximate_position("") is None
    assert geography.approximate_position("99") is None


# --- Registration --------------------------------------------------------------------------------


def test_registration_without_coordinates_uses_the_departement_centre(client, user):
    client.force_login(user)
    response = client.post(REGISTER, form_data())
    assert response.status_code == 302
    place = Place.objects.get()
    assert place.departement == "2B"
    assert (place.latitude, place.longitude) == BASTIA
    assert place.position_is_approximate is True


def test_registration_with_coordinates_keeps_them(client, user):
    client.force_login(user)
    response = client.post(REGISTER, form_data(latitude="42.7003", longitude="9.4509"))
    assert response.status_code == 302
    place = Place.objects.get()
    assert (place.latitude, place.longitude) == (42.7003, 9.4509)
    assert place.position_is_approximate is False


def test_registration_form_offers_the_position_picker(client, user, settings):
    settings.MAP_TILES_URL = "https://tiles.example/{z}/{x}/{y}.png"
    client.force_login(user)
    html = client.get(REGISTER).content.decode()
    assert "<legend>Position sur la carte</legend>" in html
    assert 'name="latitude"' in html and 'name="longitude"' in html
    assert 'data-tiles-url="https://tiles.example/{z}/{x}/{y}.png"' in html
    assert 'data-lat-input="id_latitude"' in html and 'data-lon-input="id_longitude"' in html
    assert "js/place_position.js" in html and "leaflet/leaflet.js" in html
    assert "<script>" not in html  # strict CSP: no inline code


@pytest.mark.parametrize(
    ("coordinates", "field"),
    [
        ({"latitude": "42.7"}, "longitude"),
        ({"longitude": "9.45"}, "latitude"),
        ({"latitude": "60", "longitude": "9.45"}, "latitude"),
        ({"latitude": "-30", "longitude": "9.45"}, "latitude"),
        ({"latitude": "42.7", "longitude": "181"}, "longitude"),
        ({"latitude": "nord", "longitude": "9.45"}, "latitude"),
    ],
)
def test_invalid_coordinates_are_refused_and_nothing_is_lost(client, user, coordinates, field):
    client.force_login(user)
    response = client.post(REGISTER, form_data(**coordinates))
    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.errors) == [field]
    assert not Place.objects.exists()
    html = response.content.decode()
    for value in coordinates.values():
        assert f'value="{value}"' in html  # what was typed comes back
    assert 'value="La Ruche du Quartier"' in html


def test_one_coordinate_message_is_clear(client, user):
    client.force_login(user)
    response = client.post(REGISTER, form_data(latitude="42.7"))
    assert response.context["form"].errors["longitude"] == [
        "Indiquez la latitude et la longitude, ou aucune des deux."
    ]


# --- Editing -------------------------------------------------------------------------------------


def test_edit_hides_an_approximate_position_and_follows_the_postcode(client, place, editor):
    Place.objects.filter(pk=place.pk).update(
        latitude=None, longitude=None, position_is_approximate=False
    )
    place.refresh_from_db()
    place.full_clean()
    place.save()
    assert place.position_is_approximate and (place.latitude, place.longitude) == (48.117, -1.678)

    client.force_login(editor)
    url = reverse("members:place_edit", args=[place.slug])
    form = client.get(url).context["form"]
    assert form["latitude"].value() is None and form["longitude"].value() is None

    # Moved to Bastia, still no coordinates: the approximate point moves too.
    data = form_data(rna=place.rna, siret=place.siret)
    assert client.post(url, data).status_code == 302
    place.refresh_from_db()
    assert (place.latitude, place.longitude) == BASTIA and place.position_is_approximate

    # Real coordinates: kept, no longer approximate.
    assert client.post(url, {**data, "latitude": "42.7", "longitude": "9.45"}).status_code == 302
    place.refresh_from_db()
    assert (place.latitude, place.longitude) == (42.7, 9.45)
    assert place.position_is_approximate is False
    form = client.get(url).context["form"]
    assert form["latitude"].value() == 42.7  # real coordinates are shown for editing


def test_admin_style_edit_of_coordinates_clears_the_flag(place):
    """Coordinates that are not a département's centre are real ones, whoever typed them."""
    place.latitude = place.longitude = None
    place.full_clean()
    assert place.position_is_approximate
    place.latitude, place.longitude = 48.1, -1.7
    place.full_clean()
    assert place.position_is_approximate is False
    assert (place.latitude, place.longitude) == (48.1, -1.7)


# --- Public page and open data -------------------------------------------------------------------


def test_public_page_and_geojson_show_the_approximate_position(client, user):
    client.force_login(user)
    client.post(REGISTER, form_data())
    place = listed(Place.objects.get())
    client.logout()

    html = client.get(reverse("members:public_place", args=[place.slug])).content.decode()
    assert "Position approximative (centre du département)." in html
    assert f'data-lat="{BASTIA[0]}" data-lon="{BASTIA[1]}"' in html

    response = client.get("/annuaire/export.geojson")
    features = json.loads(b"".join(response.streaming_content))["features"]
    assert [f["properties"]["name"] for f in features] == ["La Ruche du Quartier"]
    assert features[0]["geometry"] == {"type": "Point", "coordinates": [BASTIA[1], BASTIA[0]]}
    assert features[0]["properties"]["position_is_approximate"] is True


def test_public_page_without_the_note_for_a_real_position(client, user):
    client.force_login(user)
    client.post(REGISTER, form_data(latitude="42.7003", longitude="9.4509"))
    place = listed(Place.objects.get())
    client.logout()
    html = client.get(reverse("members:public_place", args=[place.slug])).content.decode()
    assert 'data-lat="42.7003" data-lon="9.4509"' in html
    assert "Position approximative" not in html


# --- In a browser: clicking the map fills the inputs ---------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_clicking_the_map_sets_the_position(live_server, page, axe, screenshot, client):
    user = factories.UserFactory()
    client.force_login(user)
    cookie = client.cookies["sessionid"]
    page.context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])
    page.goto(live_server.url + REGISTER)
    picker = page.locator("[data-position-map]")
    assert picker.is_visible()  # shown by place_position.js, hidden without JavaScript
    assert page.get_by_label("Latitude").input_value() == ""
    box = page.locator(".map-position").bounding_box()
    centre = {"x": box["width"] / 2, "y": box["height"] / 2}
    page.locator(".map-position").click(position=centre)
    latitude = float(page.get_by_label("Latitude").input_value())
    longitude = float(page.get_by_label("Longitude").input_value())
    assert 41 < latitude < 52 and -6 < longitude < 10  # the map opens on France
    assert page.locator(".map-position .leaflet-interactive").count() == 1  # the marker
    page.locator(".map-position").click(position={**centre, "x": centre["x"] + 40})
    assert float(page.get_by_label("Longitude").input_value()) > longitude  # it moved east
    assert page.locator(".map-position .leaflet-interactive").count() == 1
    axe(page)
    picker.scroll_into_view_if_needed()
    screenshot("position-picker")
