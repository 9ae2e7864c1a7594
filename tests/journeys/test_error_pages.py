"""403 and 404 are the site's own pages, in the visitor's language, with its header."""

import pytest

from members.models import Membership
from tests import factories
from tests.browser import login


def test_too_low_role_gets_the_sites_403_page(client, place, editor):
    client.force_login(editor)
    response = client.get(f"/espace/{place.slug}/signer/")
    assert response.status_code == 403
    assert response.templates[0].name == "403.html"
    assert b'<html lang="fr">' in response.content
    assert "Accès refusé" in response.text
    assert "Espace membre" in response.text  # the site's header


def test_outsider_gets_the_sites_404_page(client, place, outsider):
    client.force_login(outsider)
    response = client.get(f"/espace/{place.slug}/")
    assert response.status_code == 404
    assert response.templates[0].name == "404.html"
    assert "Page introuvable" in response.text


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_error_pages_are_accessible(live_server, page, axe, screenshot):
    membership = factories.MembershipFactory(
        place=factories.MemberPlaceFactory(), role=Membership.Role.EDITOR
    )
    login(page.context, live_server, membership.user)
    response = page.goto(f"{live_server.url}/espace/{membership.place.slug}/signer/")
    assert response.status == 403
    axe(page)
    screenshot("403")
    response = page.goto(f"{live_server.url}/annuaire/nulle-part/")
    assert response.status == 404
    axe(page)
    screenshot("404")
