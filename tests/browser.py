"""Helpers shared by the browser journeys (Playwright on ``live_server``)."""

from django.conf import settings
from django.test import Client


def login(context, live_server, user):
    """Log ``user`` in a browser context by handing it a session cookie (no login page)."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.clear_cookies()
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )


def answer_whole_section(page, level_label="Bien établi"):
    """Tick a level for every commitment of the section shown that has none yet."""
    for group in page.locator("section.report-commitment").all():
        if not group.locator("input[type=radio]:checked").count():
            group.get_by_label(level_label, exact=True).check()


def totp_code(secret=None, *, user=None):
    """The authenticator app's current code for ``secret`` (the factories' coordinators' by
    default), computed with allauth's own TOTP functions. allauth refuses a code used twice: if
    ``user`` already used the current one, wait for the next period."""
    import time

    from allauth.mfa import app_settings
    from allauth.mfa.totp.internal.auth import (
        format_hotp_value,
        hotp_value,
        yield_hotp_counters_from_time,
    )
    from django.core.cache import cache

    from tests.factories import TOTP_SECRET

    secret = secret or TOTP_SECRET
    while True:
        counter = next(yield_hotp_counters_from_time())
        code = format_hotp_value(hotp_value(secret, counter))
        used = f"allauth.mfa.totp.used?user={user.pk}&code={code}" if user else None
        if not (used and cache.get(used)):
            # Not at the very end of a period: the code must still be valid when it arrives.
            if time.time() % app_settings.TOTP_PERIOD < app_settings.TOTP_PERIOD - 3:
                return code
        time.sleep(0.5)


def sign_in_with_second_factor(page, email, password="motdepasse-solide-42", axe=None, secret=None):
    """On allauth's login page (where the admin's login page leads): the password, then the
    authenticator app's code (``axe(page)`` on both pages when given)."""
    from members.models import User

    page.wait_for_url(lambda url: "/accounts/login/" in url)
    if axe:
        axe(page)
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(password)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(lambda url: "/accounts/2fa/authenticate/" in url)
    if axe:
        axe(page)
    page.locator("input[name=code]").fill(totp_code(secret, user=User.objects.get(email=email)))
    page.locator("main form button[type=submit]").first.click()
