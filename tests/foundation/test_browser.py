"""Browser smoke test: home and sign-up pages in French and English, with axe-core."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


WORDING = {
    "fr": ("Des lieux ouverts à toutes et à tous, près de chez vous", "Créer un compte"),
    "en": ("Places open to everyone, near you", "Create an account"),
}


@pytest.mark.parametrize("language", ["fr", "en"])
def test_home_and_signup_are_accessible(live_server, page, axe, screenshot, language):
    home_heading, signup_button = WORDING[language]
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    page.goto(live_server.url + "/")
    assert page.locator("html").get_attribute("lang") == language
    assert page.locator("h1").count() == 1
    assert page.get_by_text(home_heading).first.is_visible()
    axe(page)
    screenshot(f"home-{language}")

    page.goto(live_server.url + "/accounts/signup/")
    assert page.locator("input[name=email]").is_visible()
    assert page.get_by_role("link", name=signup_button).first.is_visible()
    axe(page)
    screenshot(f"signup-{language}")
