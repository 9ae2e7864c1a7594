import pytest
from django.db import IntegrityError

from charter import services
from charter.canonical import fingerprint, version_content
from charter.models import CharterVersion, Commitment, Section
from tests.factories import DraftVersionFactory

pytestmark = pytest.mark.django_db


# --- Version 1 and the fingerprint --------------------------------------------------------


def test_version_1_is_loaded_and_published(v1):
    assert v1.status == CharterVersion.Status.PUBLISHED
    assert [s.commitments.count() for s in v1.sections.order_by("position")] == [6, 5, 7]
    assert v1.fingerprint == fingerprint(version_content(v1))
    assert len(v1.fingerprint) == 64


def test_fingerprint_is_deterministic(v1):
    assert fingerprint(version_content(v1)) == fingerprint(version_content(v1))
    content = version_content(v1)
    assert fingerprint(content) == fingerprint(dict(reversed(list(content.items()))))


@pytest.mark.parametrize(
    "path",
    [
        ("title",),
        ("preamble",),
        ("sections", 0, "heading"),
        ("sections", 1, "intro"),
        ("sections", 2, "commitments", 3, "text"),
    ],
)
def test_fingerprint_changes_with_one_character(v1, path):
    content = version_content(v1)
    target = content
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = target[path[-1]] + "."
    assert fingerprint(content) != v1.fingerprint


def test_fingerprint_changes_with_order(v1):
    content = version_content(v1)
    commitments = content["sections"][0]["commitments"]
    commitments[0], commitments[1] = commitments[1], commitments[0]
    assert fingerprint(content) != v1.fingerprint


def test_only_one_published_version_in_the_database(v1):
    draft = DraftVersionFactory()
    with pytest.raises(IntegrityError):
        CharterVersion.objects.filter(pk=draft.pk).update(
            status=CharterVersion.Status.PUBLISHED,
            published_at=v1.published_at,
            fingerprint="f" * 64,
        )


# --- create_draft_from --------------------------------------------------------------------


def test_draft_copy_keeps_keys_order_and_texts(v1, coordinator):
    draft = services.create_draft_from(version=v1, by=coordinator)
    assert draft.status == CharterVersion.Status.DRAFT
    assert draft.number == 2
    assert draft.fingerprint == ""
    copied = version_content(draft)
    original = version_content(v1)
    assert copied["number"] == 2
    assert copied["sections"] == original["sections"]  # keys, texts, English, guidance, order
    assert v1.commitments.count() == draft.commitments.count() == 18
    # Each copied commitment sits in a section of the draft, not of version 1.
    assert not Commitment.objects.filter(version=draft).exclude(section__version=draft).exists()


def test_draft_numbers_follow_every_existing_version(v1, coordinator):
    first = services.create_draft_from(version=v1, by=coordinator)
    second = services.create_draft_from(version=v1, by=coordinator)
    assert (first.number, second.number) == (2, 3)


# --- publish_version ----------------------------------------------------------------------


def test_publish_supersedes_and_fingerprints(v1, coordinator, django_capture_on_commit_callbacks):
    draft = services.create_draft_from(version=v1, by=coordinator)
    received = []
    services.version_published.connect(lambda **kw: received.append(kw), weak=False)
    with django_capture_on_commit_callbacks(execute=True):
        published = services.publish_version(
            version=draft, by=coordinator, requires_resigning=True, grace_period_days=30
        )
    v1.refresh_from_db()
    assert v1.status == CharterVersion.Status.SUPERSEDED
    assert v1.superseded_at == published.published_at
    published.refresh_from_db()
    assert published.status == CharterVersion.Status.PUBLISHED
    assert published.published_by == coordinator
    assert (published.requires_resigning, published.grace_period_days) == (True, 30)
    # Same content as v1 but another number: another fingerprint.
    assert published.fingerprint == fingerprint(version_content(published))
    assert published.fingerprint != v1.fingerprint
    assert CharterVersion.objects.current() == published
    assert received[0]["version"] == published and received[0]["previous"] == v1


def test_publish_refuses_a_non_draft(v1, coordinator):
    with pytest.raises(services.CharterError, match="n’est pas un brouillon"):
        services.publish_version(
            version=v1, by=coordinator, requires_resigning=False, grace_period_days=180
        )


def test_publish_refuses_an_empty_draft(v1, coordinator):
    draft = DraftVersionFactory(content=False)
    with pytest.raises(services.CharterError, match="vide"):
        services.publish_version(
            version=draft, by=coordinator, requires_resigning=False, grace_period_days=180
        )
    draft.refresh_from_db()
    v1.refresh_from_db()
    assert draft.status == CharterVersion.Status.DRAFT
    assert v1.status == CharterVersion.Status.PUBLISHED


@pytest.mark.parametrize(
    ("key", "message"),
    [
        ("", "pas de clé"),
        ("  ", "pas de clé"),
        ("Valeur-Partage", "même clé"),
        ("a b", "invalides"),
    ],
)
def test_publish_refuses_bad_keys(v1, coordinator, key, message):
    draft = DraftVersionFactory()
    Commitment.objects.create(
        version=draft, section=draft.sections.get(), key=key, position=3, title="T", text="T."
    )
    with pytest.raises(services.CharterError, match=message):
        services.publish_version(
            version=draft, by=coordinator, requires_resigning=False, grace_period_days=180
        )
    draft.refresh_from_db()
    assert draft.status == CharterVersion.Status.DRAFT
    assert CharterVersion.objects.current() == v1


def test_publish_refuses_a_draft_older_than_the_current_version(v1, coordinator):
    old_draft = services.create_draft_from(version=v1, by=coordinator)
    newer = services.create_draft_from(version=v1, by=coordinator)
    services.publish_version(
        version=newer, by=coordinator, requires_resigning=False, grace_period_days=180
    )
    with pytest.raises(services.CharterError, match="plus ancien"):
        services.publish_version(
            version=old_draft, by=coordinator, requires_resigning=False, grace_period_days=180
        )


def test_publish_refuses_a_negative_grace_period(v1, coordinator):
    draft = DraftVersionFactory()
    with pytest.raises(services.CharterError, match="délai"):
        services.publish_version(
            version=draft, by=coordinator, requires_resigning=True, grace_period_days=-1
        )


def test_a_section_of_another_version_is_refused(v1, coordinator):
    draft = DraftVersionFactory()
    other = DraftVersionFactory()
    Commitment.objects.create(
        version=draft, section=other.sections.get(), key="egare", title="T", text="T."
    )
    with pytest.raises(services.CharterError, match="autre version"):
        services.publish_version(
            version=draft, by=coordinator, requires_resigning=False, grace_period_days=180
        )
    assert Section.objects.filter(version=draft).count() == 1
