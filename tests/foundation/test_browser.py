"""Browser smoke test: home and sign-up pages in French and English, with axe-core."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("language", ["fr", "en"])
def test_home_and_signup_are_accessible(live_server, page, axe, screenshot, language):
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    page.goto(live_server.url + "/")
    assert page.locator("html").get_attribute("lang") == language
    assert page.locator("h1").count() == 1
    axe(page)
    screenshot(f"home-{language}")

    page.goto(live_server.url + "/accounts/signup/")
    assert page.locator("input[name=email]").is_visible()
    axe(page)
    screenshot(f"signup-{language}")
