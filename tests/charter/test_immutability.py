"""A published or superseded version never changes: models, QuerySets, admin and database."""

import pytest
from django.db import IntegrityError, connection, transaction

from charter import triggers
from charter.models import (
    CanonicalText,
    CharterVersion,
    Commitment,
    ImmutableVersionError,
    Section,
)
from tests.assertions import assert_every_write_refused
from tests.factories import DraftVersionFactory

pytestmark = pytest.mark.django_db


# --- Model.save / Model.delete -----------------------------------------------------------


def test_saving_a_published_version_raises(v1):
    v1.title = "Autre titre"
    with pytest.raises(ImmutableVersionError, match="ne peut plus être modifiée"):
        v1.save()
    assert CharterVersion.objects.get(pk=v1.pk).title != "Autre titre"


def test_saving_a_superseded_version_raises(v1, v2):
    v1.refresh_from_db()
    assert v1.status == CharterVersion.Status.SUPERSEDED
    with pytest.raises(ImmutableVersionError):
        v1.save()


def test_deleting_a_published_version_raises(v1):
    with pytest.raises(ImmutableVersionError):
        v1.delete()
    assert CharterVersion.objects.filter(pk=v1.pk).exists()


@pytest.mark.parametrize("model", [Section, Commitment])
def test_saving_or_deleting_a_part_of_a_published_version_raises(v1, model):
    part = model.objects.filter(version=v1).first()
    part.title = "Changé"
    with pytest.raises(ImmutableVersionError):
        part.save()
    with pytest.raises(ImmutableVersionError):
        part.delete()
    assert model.objects.get(pk=part.pk).title != "Changé"


def test_adding_a_commitment_to_a_published_version_raises(v1):
    section = v1.sections.first()
    with pytest.raises(ImmutableVersionError):
        Commitment.objects.create(version=v1, section=section, key="nouveau", title="T", text="T")


def test_moving_a_draft_part_into_a_published_version_raises(v1):
    draft = DraftVersionFactory()
    section = draft.sections.get()
    section.version = v1
    with pytest.raises(ImmutableVersionError):
        section.save()


def test_drafts_stay_editable():
    draft = DraftVersionFactory()
    draft.title = "Nouveau titre"
    draft.save()
    commitment = draft.commitments.first()
    commitment.text = "Nouveau texte."
    commitment.save()
    Commitment.objects.filter(version=draft).update(guidance="Une question ?")
    assert draft.commitments.filter(guidance="Une question ?").count() == 2
    draft.delete()
    assert not CharterVersion.objects.filter(pk=draft.pk).exists()


# --- QuerySet.update / delete / bulk_create ----------------------------------------------


def test_queryset_update_of_a_published_version_raises(v1):
    with pytest.raises(ImmutableVersionError):
        CharterVersion.objects.all().update(title="x")
    with pytest.raises(ImmutableVersionError):
        CharterVersion.objects.filter(pk=v1.pk).delete()


def test_queryset_update_mixing_drafts_and_published_raises(v1):
    draft = DraftVersionFactory()
    with pytest.raises(ImmutableVersionError):
        Commitment.objects.all().update(guidance="x")
    assert not Commitment.objects.filter(version=draft, guidance="x").exists()


@pytest.mark.parametrize("model", [Section, Commitment])
def test_queryset_writes_on_parts_of_a_published_version_raise(v1, model):
    with pytest.raises(ImmutableVersionError):
        model.objects.filter(version=v1).update(title="x")
    with pytest.raises(ImmutableVersionError):
        model.objects.filter(version=v1).delete()
    assert model.objects.filter(version=v1).exclude(title="x").exists()


def test_bulk_create_into_a_published_version_raises(v1):
    with pytest.raises(ImmutableVersionError):
        Section.objects.bulk_create([Section(version=v1, title="Encore")])


def test_bulk_update_on_a_published_version_raises(v1):
    commitments = list(v1.commitments.all())
    for c in commitments:
        c.title = "x"
    with pytest.raises(ImmutableVersionError):
        Commitment.objects.bulk_update(commitments, ["title"])


def test_queryset_update_cannot_move_a_draft_part_into_a_published_version(v1):
    draft = DraftVersionFactory()
    with pytest.raises(ImmutableVersionError):
        Section.objects.filter(version=draft).update(version=v1)


# --- The database itself (raw SQL, bypassing Django) -------------------------------------


def test_triggers_are_installed():
    names = triggers.installed(connection)
    assert names, "the immutability triggers are missing (a migration rebuilt the tables?)"
    assert all(name.startswith("charter_") for name in names)


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE charter_charterversion SET title = 'x' WHERE number = 1",
        "UPDATE charter_charterversion SET fingerprint = 'x' WHERE number = 1",
        "UPDATE charter_charterversion SET status = 'draft' WHERE number = 1",
        # superseded without its date
        "UPDATE charter_charterversion SET status = 'superseded' WHERE number = 1",
        "DELETE FROM charter_charterversion WHERE number = 1",
        "UPDATE charter_commitment SET text = 'x'",
        "DELETE FROM charter_commitment",
        "UPDATE charter_section SET title = 'x'",
        "DELETE FROM charter_section",
        "INSERT INTO charter_section (version_id, position, kind, title, title_en, intro, intro_en)"
        " SELECT id, 9, 'other', 't', '', '', '' FROM charter_charterversion WHERE number = 1",
    ],
)
def test_database_refuses_raw_writes_on_a_published_version(v1, sql):
    before = v1.fingerprint
    with pytest.raises(IntegrityError, match="immutable"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    v1.refresh_from_db()
    assert v1.fingerprint == before
    assert v1.status == CharterVersion.Status.PUBLISHED
    assert v1.commitments.count() == 18


def test_database_refuses_raw_writes_on_a_superseded_version(v1, v2):
    with pytest.raises(IntegrityError):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "UPDATE charter_charterversion SET status = 'published' WHERE number = 1"
            )
    with pytest.raises(IntegrityError):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "UPDATE charter_charterversion SET superseded_at = NULL WHERE number = 1"
            )


def test_database_allows_superseding_and_raw_writes_on_drafts(v1):
    draft = DraftVersionFactory()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE charter_commitment SET text = 'y' WHERE version_id = %s", [draft.pk])
        cursor.execute(
            "UPDATE charter_charterversion SET status = 'superseded', superseded_at = %s "
            "WHERE number = 1",
            [v1.published_at],
        )
    assert draft.commitments.filter(text="y").count() == 2
    v1.refresh_from_db()
    assert v1.status == CharterVersion.Status.SUPERSEDED


# --- Canonical texts: the bytes a fingerprint hashed ----------------------------------------


def test_a_canonical_text_never_changes(v1):
    text = v1.canonical_texts.get(fingerprint=v1.fingerprint)
    assert_every_write_refused(text, ImmutableVersionError, "ne change jamais", content="{}")
    assert CanonicalText.objects.get(pk=text.pk).content != "{}"


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE charter_canonicaltext SET content = '{}'",
        "UPDATE charter_canonicaltext SET replaced_at = NULL",
        "DELETE FROM charter_canonicaltext",
    ],
)
def test_database_refuses_changes_to_canonical_texts(v1, sql):
    before = list(CanonicalText.objects.values_list("fingerprint", "content", "replaced_at"))
    with pytest.raises(IntegrityError, match="immutable"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    assert list(CanonicalText.objects.values_list("fingerprint", "content", "replaced_at")) == (
        before
    )


def test_triggers_can_be_lifted_for_a_deliberate_correction_only(v1):
    with transaction.atomic():
        with triggers.lifted(connection), connection.cursor() as cursor:
            cursor.execute(
                "UPDATE charter_section SET title = title WHERE version_id = %s", [v1.pk]
            )
        # Put back at once:
        with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("UPDATE charter_section SET title = 'x'")
    assert any(name.startswith("charter_canonicaltext") for name in triggers.installed(connection))
