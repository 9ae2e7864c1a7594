"""The public charter pages in a real browser, with axe-core (WCAG 2.1 AA)."""

import pytest

from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("language", ["fr", "en"])
def test_charter_pages_are_accessible(live_server, page, axe, screenshot, charter_v1, language):
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    page.goto(live_server.url + "/charte/")
    assert page.locator("html").get_attribute("lang") == language
    assert page.locator("h1").count() == 1
    assert page.locator(".charter-commitment").count() == 18
    assert page.get_by_text(charter_v1.fingerprint).is_visible()
    page.locator(".charter-guidance summary").first.click()  # guidance opens
    axe(page)
    screenshot(f"charter-{language}")

    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()
    screenshot(f"charter-print-{language}")
    page.emulate_media(media="screen")

    # A second version, to see the history and the diff.
    factories.publish_reworded_version_2(charter_v1, by=None)

    page.goto(live_server.url + "/charte/versions/")
    axe(page)
    screenshot(f"versions-{language}")
    page.locator("a[href='/charte/versions/1/diff/2/']").click()
    assert page.locator("ins").count() >= 2
    axe(page)
    screenshot(f"diff-{language}")

    # A superseded version's page: its fingerprints, earlier ones included, and how to check.
    page.goto(live_server.url + "/charte/versions/1/")
    assert page.locator(".charter-earlier li").count() == 1
    assert page.locator("#verifier a[href='/charte/versions/1/canonical.json']").is_visible()
    axe(page)
    screenshot(f"version-1-{language}")
