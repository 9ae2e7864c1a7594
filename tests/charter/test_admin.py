"""The coordinators' admin: read-only published versions, drafting, publishing with a diff."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from charter import services
from charter.models import CharterVersion, Commitment
from tests.factories import DraftVersionFactory, UserFactory

pytestmark = pytest.mark.django_db


def change_url(version):
    return reverse("admin:charter_charterversion_change", args=[version.pk])


def publish_url(version):
    return reverse("admin:charter_charterversion_publish", args=[version.pk])


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def admin_client(client, coordinator):
    client.force_login(coordinator)
    return client


def test_changelist_and_change_pages(admin_client, v1):
    response = admin_client.get(reverse("admin:charter_charterversion_changelist"))
    assert response.status_code == 200
    response = admin_client.get(change_url(v1))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="_save"' not in html  # read-only: no save button
    assert "Nouveau brouillon à partir de cette version" in html
    assert 'href="/charte/versions/1/"' in html


def test_admin_post_cannot_change_a_published_version(admin_client, v1):
    fingerprint = v1.fingerprint
    response = admin_client.post(change_url(v1), {"title": "Piraté", "number": 1})
    assert response.status_code == 403
    v1.refresh_from_db()
    assert (v1.title, v1.fingerprint) != ("Piraté", "")
    assert v1.fingerprint == fingerprint


def test_admin_cannot_delete_a_published_version(admin_client, v1):
    url = reverse("admin:charter_charterversion_delete", args=[v1.pk])
    assert admin_client.post(url, {"post": "yes"}).status_code == 403
    response = admin_client.post(
        reverse("admin:charter_charterversion_changelist"),
        {"action": "delete_selected", "_selected_action": [v1.pk], "post": "yes"},
    )
    assert response.status_code in (200, 302, 403)
    assert CharterVersion.objects.filter(pk=v1.pk).exists()


def test_draft_is_editable_inline(admin_client, v1):
    draft = DraftVersionFactory()
    response = admin_client.get(change_url(draft))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="_save"' in html
    assert "Prévisualiser" in html and "Publier" in html
    # The commitment's section can only be one of the draft's own sections.
    section_field = response.context["inline_admin_formsets"][1].formset.forms[0]["section"]
    assert list(section_field.field.queryset) == list(draft.sections.all())


def test_new_draft_button(admin_client, v1):
    url = reverse("admin:charter_charterversion_new_draft", args=[v1.pk])
    assert admin_client.get(url).status_code == 405
    response = admin_client.post(url)
    draft = CharterVersion.objects.get(number=2)
    assert response.status_code == 302 and response.url == change_url(draft)
    assert draft.status == CharterVersion.Status.DRAFT
    assert set(draft.commitments.values_list("key", flat=True)) == set(
        v1.commitments.values_list("key", flat=True)
    )


def test_new_draft_action(admin_client, v1):
    response = admin_client.post(
        reverse("admin:charter_charterversion_changelist"),
        {"action": "new_draft_action", "_selected_action": [v1.pk]},
    )
    assert response.status_code == 302
    assert CharterVersion.objects.filter(number=2, status=CharterVersion.Status.DRAFT).exists()


def test_publish_flow(admin_client, v1, coordinator):
    draft = services.create_draft_from(version=v1, by=coordinator)
    c = draft.commitments.get(key="valeur-partage")
    c.text = "Le partage des savoirs."
    c.save()
    # The action leads to the confirmation page.
    response = admin_client.post(
        reverse("admin:charter_charterversion_changelist"),
        {"action": "publish_action", "_selected_action": [draft.pk]},
    )
    assert response.status_code == 302 and response.url == publish_url(draft)

    page = admin_client.get(publish_url(draft))
    assert page.status_code == 200
    html = page.content.decode()
    assert "1 reformulé" in html
    assert 'value="180"' in html  # the default grace period
    assert 'name="requires_resigning"' in html

    response = admin_client.post(
        publish_url(draft), {"requires_resigning": "on", "grace_period_days": "60"}
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    v1.refresh_from_db()
    assert draft.status == CharterVersion.Status.PUBLISHED
    assert (draft.requires_resigning, draft.grace_period_days) == (True, 60)
    assert draft.published_by == coordinator
    assert v1.status == CharterVersion.Status.SUPERSEDED
    assert any("est publiée" in m for m in messages_of(response))


def test_publish_with_a_bad_grace_period_keeps_the_form(admin_client, v1, coordinator):
    draft = services.create_draft_from(version=v1, by=coordinator)
    response = admin_client.post(publish_url(draft), {"grace_period_days": "-3"})
    assert response.status_code == 200
    assert response.context["form"].errors["grace_period_days"]
    draft.refresh_from_db()
    assert draft.status == CharterVersion.Status.DRAFT


def _post_publish(admin_client, version):
    return admin_client.post(publish_url(version), {"grace_period_days": "180"})


def test_publish_an_empty_draft_shows_a_message(admin_client, v1):
    draft = DraftVersionFactory(content=False)
    for response in (admin_client.get(publish_url(draft)), _post_publish(admin_client, draft)):
        assert response.status_code == 302 and response.url == change_url(draft)
        assert any("vide" in m for m in messages_of(response))
    draft.refresh_from_db()
    assert draft.status == CharterVersion.Status.DRAFT
    assert CharterVersion.objects.current() == v1


@pytest.mark.parametrize(("key", "message"), [("", "pas de clé"), ("VALEUR-PARTAGE", "même clé")])
def test_publish_a_draft_with_a_bad_key_shows_a_message(admin_client, v1, key, message):
    draft = DraftVersionFactory()
    Commitment.objects.create(
        version=draft, section=draft.sections.get(), key=key, title="T", text="T."
    )
    response = _post_publish(admin_client, draft)
    assert response.status_code == 302
    assert any(message in m for m in messages_of(response))
    draft.refresh_from_db()
    assert draft.status == CharterVersion.Status.DRAFT


def test_publish_a_published_version_shows_a_message(admin_client, v1):
    response = _post_publish(admin_client, v1)
    assert response.status_code == 302
    assert any("n’est pas un brouillon" in m for m in messages_of(response))
    v1.refresh_from_db()
    assert v1.status == CharterVersion.Status.PUBLISHED


def test_non_staff_cannot_reach_the_admin_views(client, v1, representative):
    client.force_login(representative)
    draft = DraftVersionFactory()
    response = _post_publish(client, draft)
    assert response.status_code == 302 and "/login/" in response.url
    draft.refresh_from_db()
    assert draft.status == CharterVersion.Status.DRAFT


def test_staff_without_change_permission_cannot_publish(client, v1):
    clerk = UserFactory(is_staff=True)
    client.force_login(clerk)
    draft = DraftVersionFactory()
    assert _post_publish(client, draft).status_code == 403
    url = reverse("admin:charter_charterversion_new_draft", args=[v1.pk])
    assert client.post(url).status_code == 403
    assert CharterVersion.objects.count() == 2


def test_published_version_lists_its_canonical_texts(admin_client, v1):
    html = admin_client.get(change_url(v1)).content.decode()
    assert v1.fingerprint in html
    assert f"/charte/versions/1/canonical/{v1.fingerprint}.json" in html
    earlier = v1.canonical_texts.get(replaced_at__isnull=False)
    assert earlier.fingerprint in html
    assert "Texte faisant foi (signé, dans l’empreinte)" in html


def test_draft_shows_whether_each_quote_is_in_the_text(admin_client, v1, coordinator):
    draft = services.create_draft_from(version=v1, by=coordinator)
    c = draft.commitments.get(key="valeur-partage")
    c.text = "Le partage des savoirs"
    c.save()
    html = admin_client.get(change_url(draft)).content.decode()
    assert html.count("Figure mot pour mot dans le texte de sa partie.") == 17
    assert html.count("Ne figure pas mot pour mot") == 1
    page = admin_client.get(publish_url(draft)).content.decode()
    assert "À vérifier avant de publier" in page
    assert "valeur-partage" in page.split("À vérifier avant de publier", 1)[1].split("</ul>")[0]


def test_publishing_from_the_admin_keeps_the_hashed_bytes(admin_client, v1, coordinator):
    draft = services.create_draft_from(version=v1, by=coordinator)
    page = admin_client.get(publish_url(draft)).content.decode()
    assert "À vérifier avant de publier" not in page  # the copy of v1 is complete
    admin_client.post(publish_url(draft), {"grace_period_days": "180"})
    draft.refresh_from_db()
    assert draft.canonical_texts.get().fingerprint == draft.fingerprint
