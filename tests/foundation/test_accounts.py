"""The account flow through allauth's views: sign up, verify, log in, log out, reset."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail

from members.models import User

pytestmark = pytest.mark.django_db

PASSWORD = "un-mot-de-passe-solide-2026"


def _link(message):
    return re.search(r"https?://[^/]+(/\S+)", message.body).group(1)


def test_signup_verify_login_logout(client):
    response = client.post(
        "/accounts/signup/",
        {"email": "Alice@Example.org", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 302
    user = User.objects.get(email__iexact="alice@example.org")
    assert user.language == "fr"
    assert not EmailAddress.objects.get(user=user).verified
    assert len(mail.outbox) == 1
    assert "Alice@Example.org".lower() in mail.outbox[0].to[0].lower()

    # Not verified: logging in leads to the "verify your e-mail" page, not the portal.
    client.logout()
    response = client.post("/accounts/login/", {"login": "alice@example.org", "password": PASSWORD})
    assert response.status_code == 302 and "confirm-email" in response.url

    link = _link(mail.outbox[-1])
    assert client.get(link).status_code == 200
    response = client.post(link)
    assert response.status_code == 302
    assert EmailAddress.objects.get(user=user).verified

    client.logout()
    response = client.post("/accounts/login/", {"login": "alice@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/espace/").status_code == 200

    client.post("/accounts/logout/")
    assert client.get("/espace/").status_code == 302


def test_signup_rejects_bad_input_and_keeps_email(client):
    response = client.post(
        "/accounts/signup/", {"email": "bob@example.org", "password1": "abc", "password2": "abd"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="bob@example.org"' in html
    assert not User.objects.filter(email="bob@example.org").exists()


def test_password_reset(client):
    from tests.factories import UserFactory

    UserFactory(email="carla@example.org")
    response = client.post("/accounts/password/reset/", {"email": "carla@example.org"})
    assert response.status_code == 302
    link = _link(mail.outbox[-1])
    response = client.get(link, follow=True)
    assert response.status_code == 200
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else link
    response = client.post(
        form_url, {"password1": "nouveau-mot-de-passe-77", "password2": "nouveau-mot-de-passe-77"}
    )
    assert response.status_code == 302
    assert User.objects.get(email="carla@example.org").check_password("nouveau-mot-de-passe-77")


def test_password_reset_does_not_reveal_unknown_addresses(client):
    known = client.post("/accounts/password/reset/", {"email": "nobody@example.org"})
    assert known.status_code == 302  # same answer as for a known address


def test_login_is_rate_limited(client):
    """After repeated failures, even the right password is refused for a while."""
    from tests.factories import UserFactory

    UserFactory(email="dora@example.org")
    for _ in range(6):
        client.post("/accounts/login/", {"login": "dora@example.org", "password": "faux"})
    response = client.post(
        "/accounts/login/", {"login": "dora@example.org", "password": "motdepasse-solide-42"}
    )
    assert response.status_code in (200, 429)
    assert "_auth_user_id" not in client.session
