"""Browser: a coordinator without a second factor opens the admin, is sent to set up an
authenticator app, does so (the test computes the codes with allauth's own TOTP functions),
then signs in again with password and code. axe-core on every MFA page, in French."""

import re

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.browser import sign_in_with_second_factor, totp_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EMAIL = "coordination@reseau.example"


def test_a_coordinator_sets_up_totp_then_signs_in_with_it(live_server, page, axe, screenshot):
    from allauth.mfa.models import Authenticator

    base = live_server.url
    user = factories.UserFactory(email=EMAIL, is_staff=True, is_superuser=True, second_factor=False)

    # The admin sends to the login page; with the password alone, on to the MFA setup page.
    page.goto(base + "/admin/")
    page.wait_for_url(re.compile(r"/accounts/login/"))
    page.locator("input[name=login]").fill(EMAIL)
    page.locator("input[name=password]").fill("motdepasse-solide-42")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(re.compile(r"/accounts/2fa/$"))
    expect(page.locator("main")).to_contain_text("demande une double authentification")
    axe(page)
    screenshot("01-mfa-required")

    # Activate an authenticator app: the secret is on the page, the code comes from it.
    page.get_by_role("link", name="Activer").first.click()
    page.wait_for_load_state()
    if "/reauthenticate/" in page.url:  # allauth confirms the password before any change
        axe(page)
        page.locator("input[name=password]").fill("motdepasse-solide-42")
        page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(re.compile(r"/accounts/2fa/totp/activate/"))
    axe(page)
    screenshot("02-totp-activate")
    secret = page.locator("#authenticator_secret").input_value()
    page.locator("input[name=code]").fill("000000")
    page.locator("main form button[type=submit]").first.click()
    expect(page.locator("main")).to_contain_text("code")  # refused, asked again
    page.locator("input[name=code]").fill(totp_code(secret))
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(re.compile(r"/accounts/2fa/recovery-codes/"))
    axe(page)
    screenshot("03-recovery-codes")
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()

    # Now the admin opens.
    page.goto(base + "/admin/")
    expect(page.locator("#site-name")).to_be_visible()

    # Sign out; sign in again: password, then the code of the app just set up.
    page.goto(base + "/accounts/logout/")
    page.locator("main form button[type=submit]").first.click()
    page.goto(base + "/admin/")
    sign_in_with_second_factor(page, EMAIL, axe=axe, secret=secret)
    page.wait_for_url(base + "/admin/")
    expect(page.locator("#site-name")).to_be_visible()
    screenshot("04-admin-after-code")

    # The two-factor page shows the app as active.
    page.goto(base + "/accounts/2fa/")
    expect(page.get_by_role("link", name="Désactiver")).to_be_visible()  # the app is active
    axe(page)
