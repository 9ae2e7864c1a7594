import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "expected"),
    [("fr", "Des lieux ouverts à toutes et à tous"), ("en", "Places open to everyone")],
)
def test_home_in_both_languages(client, language, expected):
    response = client.get("/", headers={"accept-language": language})
    assert response.status_code == 200
    html = response.content.decode()
    assert expected in html
    assert f'<html lang="{language}">' in html
    assert html.count("<h1") == 1


def test_language_switcher_sets_english(client):
    response = client.get("/annuaire/")
    assert 'href="/langue/en/?next=/annuaire/"' in response.content.decode()
    response = client.get("/langue/en/", {"next": "/"}, follow=True)
    assert response.redirect_chain == [("/", 302)]
    assert "Places open to everyone" in response.content.decode()


def test_security_headers(client):
    response = client.get("/")
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_static_bootstrap_is_served_from_the_package(client):
    from django.contrib.staticfiles import finders

    assert finders.find("bootstrap/css/bootstrap.min.css")
    assert finders.find("bootstrap/js/bootstrap.bundle.min.js")


def test_legal_and_privacy_pages(client):
    assert client.get("/mentions-legales/").status_code == 200
    assert "données personnelles" in client.get("/confidentialite/").content.decode()


def test_language_switch_refuses_foreign_redirects(client):
    response = client.get("/langue/en/", {"next": "https://evil.example/"})
    assert response.status_code == 302 and response.url == "/"
    response = client.get("/langue/xx/", {"next": "/charte/"})
    assert response.url == "/charte/" and "django_language" not in response.cookies
