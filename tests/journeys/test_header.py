"""The site header stays on one line on a laptop screen, however long the signed-in address."""

import pytest

from tests import factories
from tests.browser import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("staff", [False, True], ids=["member", "coordinator"])
def test_header_fits_on_one_line_when_signed_in(live_server, page, screenshot, staff):
    user = factories.UserFactory(
        email="une-adresse-plutot-longue@association-du-quartier.example", is_staff=staff
    )
    login(page.context, live_server, user)
    page.goto(live_server.url + "/espace/")
    header = page.locator(".site-header nav")
    one_line = header.get_by_role("link", name="Charte").bounding_box()["height"]
    for item in header.locator(".nav-link, .navbar-text").all():
        box = item.bounding_box()
        assert box is None or box["height"] <= one_line, item.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280  # no overflow
    screenshot("header")

    page.set_viewport_size({"width": 1440, "height": 900})  # wide screen: the address is shown
    assert header.get_by_text(user.email).is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 1440
