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
