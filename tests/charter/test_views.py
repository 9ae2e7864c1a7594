"""Public charter pages, in French and English; drafts hidden; constant query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from charter import services
from charter.models import CharterVersion
from tests.factories import DraftVersionFactory, SignatureFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "heading", "commitment"),
    [
        (
            "fr",
            "Ce que partagent et défendent les LCP",
            # The seed's bullet has no full stop (the earlier form added one).
            "<li>Une laïcité respectueuse des différences</li>",
        ),
        (
            "en",
            "What local community places (LCP) share and stand up for",
            "<li>Secularism (laïcité) that respects differences</li>",
        ),
    ],
)
def test_current_charter_in_both_languages(client, v1, language, heading, commitment):
    response = client.get("/charte/", headers={"accept-language": language})
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert html.count("<h1") == 1
    assert heading in html
    assert commitment in html
    assert v1.fingerprint in html
    assert 'href="/charte/versions/"' in html
    assert 'href="/static/css/print.css" media="print"' in html or "print.css" in html
    assert html.count('class="charter-commitment"') == 18


def test_english_falls_back_to_french_where_empty(client, coordinator):
    v1 = CharterVersion.objects.get(number=1)
    draft = services.create_draft_from(version=v1, by=coordinator)
    commitment = draft.commitments.get(key="valeur-partage")
    commitment.title_en = ""
    commitment.text_en = ""
    commitment.save()
    services.publish_version(
        version=draft, by=coordinator, requires_resigning=False, grace_period_days=180
    )
    html = client.get("/charte/", headers={"accept-language": "en"}).content.decode()
    assert commitment.text in html  # French, since no English text
    assert "Secularism (laïcité) that respects differences" in html


@pytest.mark.parametrize(
    ("url", "queries"),
    [
        # 1 the published version, 2 its sections, 3 their commitments.
        ("/charte/", 3),
        # 1 the version, 2 its sections, 3 their commitments, 4 its earlier canonical texts.
        ("/charte/versions/1/", 4),
        # 1 the version, 2 its canonical text.
        ("/charte/versions/1/canonical.json", 2),
    ],
)
@pytest.mark.parametrize("published", [1, 2])
def test_query_count_is_constant(
    client, v1, request, published, url, queries, django_assert_num_queries
):
    """The same count with one published version as with two."""
    if published == 2:
        request.getfixturevalue("v2")
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("language", ["fr", "en"])
def test_version_history(client, v1, v2, language):
    SignatureFactory(version=v1)
    SignatureFactory(version=v1)
    SignatureFactory(version=v2)
    DraftVersionFactory(number=3)
    response = client.get("/charte/versions/", headers={"accept-language": language})
    assert response.status_code == 200
    versions = list(response.context["versions"])
    assert [(v.number, v.signature_count) for v in versions] == [(2, 1), (1, 2)]
    html = response.content.decode()
    assert 'href="/charte/versions/1/diff/2/"' in html
    assert "/charte/versions/3/" not in html  # drafts are not listed
    assert ("Oui (délai de 90 jours)" if language == "fr" else "90") in html


def test_version_history_query_count(client, v1, v2, django_assert_num_queries):
    for _ in range(3):
        SignatureFactory(version=v2)
    # 1 the public versions with their signature counts (one annotated query).
    with django_assert_num_queries(1):
        assert client.get("/charte/versions/").status_code == 200


@pytest.mark.parametrize("language", ["fr", "en"])
def test_one_version(client, v1, v2, language):
    response = client.get("/charte/versions/1/", headers={"accept-language": language})
    assert response.status_code == 200
    assert response.context["version"] == v1
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert 'href="/charte/"' in html  # superseded: a link to the current version


def test_unknown_numbers_are_404(client, v1):
    assert client.get("/charte/versions/99/").status_code == 404
    assert client.get("/charte/versions/1/diff/99/").status_code == 404
    assert client.get("/charte/versions/99/diff/1/").status_code == 404


def test_drafts_are_hidden_from_the_public(client, v1, representative):
    draft = DraftVersionFactory()
    url = f"/charte/versions/{draft.number}/"
    assert client.get(url).status_code == 404
    assert client.get(f"/charte/versions/1/diff/{draft.number}/").status_code == 404
    client.force_login(representative)  # a member, but not staff
    assert client.get(url).status_code == 404


def test_staff_preview_drafts_with_a_banner(client, v1, coordinator):
    draft = DraftVersionFactory()
    client.force_login(coordinator)
    response = client.get(f"/charte/versions/{draft.number}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "charter-preview" in html and "Aperçu" in html
    assert "le public ne la voit pas" in html
    diff = client.get(f"/charte/versions/1/diff/{draft.number}/")
    assert diff.status_code == 200


def test_current_page_shows_no_preview_banner(client, v1, coordinator):
    client.force_login(coordinator)
    assert "charter-preview" not in client.get("/charte/").content.decode()


@pytest.mark.parametrize("language", ["fr", "en"])
def test_diff_page(client, v1, v2, language):
    response = client.get("/charte/versions/1/diff/2/", headers={"accept-language": language})
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    # The rewording, word by word, with text labels for screen readers (not colour alone).
    if language == "fr":  # (English labels come with the catalogue)
        assert '<ins><span class="visually-hidden">[ajouté : </span>ouverte et <span' in html
        assert '<del><span class="visually-hidden">[supprimé : </span>des<span' in html
    assert "<del>" in html  # the removed commitment's title
    assert "ambition-numerique" in html
    assert "valeur-solidarite" in html


def test_diff_page_query_count_is_constant(client, v1, v2, coordinator, django_assert_num_queries):
    # 1 both versions, 2 both versions' sections (their text: headings, intros, bullets),
    # 3 both versions' commitments.
    with django_assert_num_queries(3):
        assert client.get("/charte/versions/1/diff/2/").status_code == 200
    draft = services.create_draft_from(version=v2, by=coordinator)
    for c in draft.commitments.all()[:5]:
        c.text += " Encore."
        c.save()
    services.publish_version(
        version=draft, by=coordinator, requires_resigning=False, grace_period_days=180
    )
    with django_assert_num_queries(3):
        assert client.get("/charte/versions/1/diff/3/").status_code == 200


@pytest.mark.parametrize(
    "url", ["/charte/", "/charte/versions/", "/charte/versions/1/", "/charte/versions/1/diff/1/"]
)
def test_pages_refuse_post(client, v1, url):
    assert client.post(url).status_code == 405


def test_named_urls():
    assert reverse("charter:current") == "/charte/"
    assert reverse("charter:versions") == "/charte/versions/"
    assert reverse("charter:version", args=[2]) == "/charte/versions/2/"
    assert reverse("charter:diff", args=[1, 2]) == "/charte/versions/1/diff/2/"


def _content_queries(client, url, **headers):
    with CaptureQueriesContext(connection) as captured:
        html = client.get(url, headers=headers).content.decode()
    tables = ("charter_section", "charter_commitment")
    return html, [q["sql"] for q in captured if any(t in q["sql"] for t in tables)]


def test_a_published_versions_text_is_rendered_once_per_language(client, v1, coordinator):
    """A published version's parts never change (database triggers): its text and its
    commitments are rendered once per language and kept, for every reader, signed in or not
    (a signed-in reader never gets a cached page); a draft, still being written, is rendered
    at each preview."""
    client.force_login(coordinator)
    html, queries = _content_queries(client, "/charte/")
    assert len(queries) == 2 and html.count('class="charter-commitment"') == 18
    again, queries = _content_queries(client, "/charte/versions/1/")
    assert queries == [] and again.count('class="charter-commitment"') == 18
    english, queries = _content_queries(client, "/charte/", **{"accept-language": "en"})
    assert len(queries) == 2 and "Secularism (laïcité) that respects differences" in english
    draft = services.create_draft_from(version=v1, by=coordinator)
    commitment = draft.commitments.get(key="valeur-partage")
    url = f"/charte/versions/{draft.number}/"
    assert _content_queries(client, url)[1]
    commitment.text = "Le partage, réécrit dans le brouillon."
    commitment.save()
    html, queries = _content_queries(client, url)
    assert queries and "Le partage, réécrit dans le brouillon." in html
