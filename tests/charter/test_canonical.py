"""Anyone can check a fingerprint: canonical.json holds exactly the bytes that were hashed,
and only the authoritative text and the commitments' quotes."""

import hashlib
import json

import pytest

from charter import services
from charter.canonical import fingerprint, version_content
from charter.models import CanonicalText, CharterVersion
from tests.factories import DraftVersionFactory

pytestmark = pytest.mark.django_db

# Version 1's fingerprint: the seed's text and the quotes (migration 0006). Pinned: the text
# places sign never changes by accident.
V1_FINGERPRINT = "3008d58b2e22884405362106f4cd2560945e321123a878d0e045da9ad8b36990"
# Version 1's fingerprint before 0006: what signatures made until then carry.
V1_EARLIER_FINGERPRINT = "25546ad628979929ca92d77aecd1784652086383e786fa53c271b08c9bc56987"


def test_version_1_fingerprints_are_pinned(v1):
    assert v1.fingerprint == V1_FINGERPRINT == fingerprint(version_content(v1))
    earlier = v1.canonical_texts.get(replaced_at__isnull=False)
    assert earlier.fingerprint == V1_EARLIER_FINGERPRINT
    assert "rétabli mot pour mot" in earlier.replaced_because
    assert "restored word for word" in earlier.replaced_because_en


def test_fingerprint_recomputed_from_the_download_matches_the_one_shown(client, v1):
    page = client.get("/charte/versions/1/").content.decode()
    shown = page.split('<code class="fingerprint">', 1)[1].split("<", 1)[0]
    download = client.get("/charte/versions/1/canonical.json")
    assert download.status_code == 200
    assert download["Content-Type"] == "application/json; charset=utf-8"
    assert 'filename="charte-v1-canonical.json"' in download["Content-Disposition"]
    assert hashlib.sha256(download.content).hexdigest() == shown == v1.fingerprint
    # The same fingerprint on /charte/ (the current version).
    assert shown in client.get("/charte/").content.decode()


def test_the_version_page_explains_how_to_recompute_it(client, v1):
    html = client.get("/charte/versions/1/").content.decode()
    assert 'href="/charte/versions/1/canonical.json"' in html
    assert "sha256sum charte-v1-canonical.json" in html
    english = client.get("/charte/versions/1/", headers={"accept-language": "en"})
    assert "sha256sum charte-v1-canonical.json" in english.content.decode()


def test_canonical_json_holds_the_text_and_the_quotes_and_nothing_else(client, v1):
    data = client.get("/charte/versions/1/canonical.json").content
    content = json.loads(data)
    assert set(content) == {"number", "title", "preamble", "sections"}
    for section in content["sections"]:
        assert set(section) == {"heading", "intro", "bullets", "commitments"}
        for commitment in section["commitments"]:
            assert set(commitment) == {"key", "text"}
    assert content == version_content(v1)
    text = data.decode()
    for aid in ("Une dimension d’intérêt général", "Comment accueillez-vous", "Shared values"):
        assert aid not in text
    # The canonical form: sorted keys, no whitespace between tokens, UTF-8 as is.
    assert data == json.dumps(
        content, sort_keys=True, ensure_ascii=False, separators=(",", ":")
    ).encode("utf-8")


def test_aids_do_not_change_the_fingerprint(v1, coordinator):
    draft = services.create_draft_from(version=v1, by=coordinator)
    before = version_content(draft)
    commitment = draft.commitments.get(key="valeur-partage")
    commitment.title, commitment.title_en = "Partager", "To share"
    commitment.guidance, commitment.text_en = "Une autre question ?", "Sharing things"
    commitment.save()
    section = draft.sections.get(kind="values")
    section.title, section.heading_en, section.bullets_en = "Valeurs", "Values", "a\nb\nc\nd\ne\nf"
    section.save()
    draft.title_en, draft.preamble_en = "Another title", "Another preamble"
    draft.save()
    assert version_content(draft) == before


def test_publishing_stores_the_hashed_bytes(v1, v2):
    text = CanonicalText.objects.get(version=v2)
    assert text.is_current and text.fingerprint == v2.fingerprint
    assert hashlib.sha256(text.as_bytes()).hexdigest() == v2.fingerprint
    assert text.recorded_at == v2.published_at


def test_earlier_fingerprint_stays_downloadable(client, v1):
    url = f"/charte/versions/1/canonical/{V1_EARLIER_FINGERPRINT}.json"
    response = client.get(url)
    assert response.status_code == 200
    assert hashlib.sha256(response.content).hexdigest() == V1_EARLIER_FINGERPRINT
    earlier = json.loads(response.content)
    assert earlier["sections"][1]["title"] == "Une dimension d’intérêt général"  # that form
    current = client.get(f"/charte/versions/1/canonical/{V1_FINGERPRINT}.json")
    assert current.content == client.get("/charte/versions/1/canonical.json").content
    html = client.get("/charte/versions/1/").content.decode()
    assert V1_EARLIER_FINGERPRINT in html and url in html
    assert (
        client.get(f"/charte/versions/2/canonical/{V1_EARLIER_FINGERPRINT}.json").status_code == 404
    )
    assert client.get(f"/charte/versions/1/canonical/{'0' * 64}.json").status_code == 404


def test_drafts_canonical_json_is_for_staff_only(client, v1, coordinator):
    draft = DraftVersionFactory()
    url = f"/charte/versions/{draft.number}/canonical.json"
    assert client.get(url).status_code == 404
    client.force_login(coordinator)
    response = client.get(url)
    assert response.status_code == 200
    assert json.loads(response.content) == version_content(draft)


def test_canonical_urls_refuse_post(client, v1):
    assert client.post("/charte/versions/1/canonical.json").status_code == 405
    url = f"/charte/versions/1/canonical/{V1_FINGERPRINT}.json"
    assert client.post(url).status_code == 405


def test_url_helpers(v1, v2):
    assert v1.get_absolute_url() == "/charte/versions/1/"
    assert v1.get_canonical_url() == "/charte/versions/1/canonical.json"
    assert v2.get_diff_url(since=v1) == "/charte/versions/1/diff/2/"
    assert v2.get_diff_url(since=1) == "/charte/versions/1/diff/2/"
    text = CanonicalText.objects.select_related("version").get(fingerprint=v2.fingerprint)
    assert text.get_absolute_url() == f"/charte/versions/2/canonical/{v2.fingerprint}.json"
    assert CharterVersion.objects.get(number=2).fingerprint == v2.fingerprint


def test_which_text_a_signature_was_made_on(v1, django_assert_num_queries):
    with django_assert_num_queries(1):
        earlier = CanonicalText.objects.for_signature(
            version=v1, fingerprint=V1_EARLIER_FINGERPRINT
        )
        assert earlier.get_absolute_url().endswith(f"/{V1_EARLIER_FINGERPRINT}.json")
    assert not earlier.is_current and earlier.replaced_at is not None
    current = CanonicalText.objects.for_signature(version=v1.pk, fingerprint=v1.fingerprint)
    assert current.is_current and current.version == v1
    assert CanonicalText.objects.for_signature(version=v1, fingerprint="0" * 64) is None
