"""While the database is down: cached public pages are still served to visitors, every other
page is the site's own 503 page in the visitor's language, and /healthz says so (core/outage.py).

The outage is simulated as in test_guards.py: every SQL statement raises OperationalError."""

from unittest import mock

import pytest
from django.db import InterfaceError, OperationalError
from django.test import Client

from tests import factories

pytestmark = pytest.mark.django_db


def database_down(error=OperationalError):
    return mock.patch(
        "django.db.backends.utils.CursorWrapper.execute", side_effect=error("connection refused")
    )


@pytest.fixture
def visitor():
    # As a browser sees it: an error the site turned into a page, not an exception.
    return Client(raise_request_exception=False)


@pytest.mark.parametrize("url", ["/", "/charte/", "/annuaire/"])
def test_a_cached_public_page_is_still_served(visitor, url):
    factories.SignatureFactory(place=factories.MemberPlaceFactory(name="Maison Bleue"))
    before = visitor.get(url)
    assert before.status_code == 200
    with database_down():
        during = visitor.get(url)
    assert during.status_code == 200
    assert during.content == before.content


def test_a_signed_in_visitor_still_gets_the_cached_public_page(visitor, representative):
    assert visitor.get("/charte/").status_code == 200  # cached by an anonymous visit
    visitor.force_login(representative)
    with database_down():
        response = visitor.get("/charte/")  # the session cannot be read: public page
    assert response.status_code == 200


@pytest.mark.parametrize("error", [OperationalError, InterfaceError])
def test_an_uncached_page_is_the_sites_503_page(visitor, error):
    with database_down(error):
        response = visitor.get("/annuaire/?q=jamais+vu")
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert response.templates[0].name == "503.html"
    assert '<html lang="fr">' in response.text
    assert "Service momentanément indisponible" in response.text
    assert "connection refused" not in response.text  # the driver's message stays in the log


def test_the_503_page_is_translated(visitor):
    with database_down():
        response = visitor.get("/annuaire/?q=never+seen", headers={"accept-language": "en"})
    assert response.status_code == 503
    assert '<html lang="en">' in response.text
    assert "Service temporarily unavailable" in response.text


def test_member_pages_and_the_admin_get_the_503_page(visitor, representative, coordinator):
    """The session is read by a view (the portal) or by a middleware (the admin's second
    factor check): both answer 503, not 500."""
    visitor.force_login(representative)
    with database_down():
        assert visitor.get("/espace/").status_code == 503
    visitor.force_login(coordinator)
    with database_down():
        response = visitor.get("/admin/")
    assert response.status_code == 503
    assert "Service momentanément indisponible" in response.text


def test_a_form_posted_during_the_outage_gets_503(visitor, representative, place):
    visitor.force_login(representative)
    with database_down():
        response = visitor.post(f"/espace/{place.slug}/", {"name": "x"})
    assert response.status_code == 503


def test_healthz_stays_honest(visitor):
    with database_down():
        response = visitor.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"
