"""The private storage itself: files uploaded before it existed are moved out of the public
media by the migration, and the settings refuse a private root inside a public one."""

import importlib
from pathlib import Path

from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import storages

from core.storage import check_private_media_root
from members.models import Evidence

migration = importlib.import_module("members.migrations.0015_private_files")


def test_the_migration_moves_existing_files_out_of_the_public_media(world, settings):
    public, private = storages["default"], storages["private"]
    # As before the migration: an evidence file and board minutes in the public media.
    for fieldfile in (world.evidence_a.file, world.signature_a.minutes):
        public.save(fieldfile.name, ContentFile(b"old " + fieldfile.name.encode()))
        private.delete(fieldfile.name)
    public.save("places/logos/abc-logo.png", ContentFile(b"logo"))

    migration.to_private(apps, None)
    migration.to_private(apps, None)  # safe to re-run

    for fieldfile in (world.evidence_a.file, world.signature_a.minutes):
        assert not public.exists(fieldfile.name)
        assert private.open(fieldfile.name).read() == b"old " + fieldfile.name.encode()
    assert public.exists("places/logos/abc-logo.png")  # public files stay where they are
    assert not any(Path(settings.MEDIA_ROOT).rglob("*.pdf"))

    migration.to_public(apps, None)  # reversible
    assert public.exists(world.evidence_a.file.name)
    assert not private.exists(world.evidence_a.file.name)


def test_an_empty_file_field_is_skipped(world):
    Evidence.objects.create(answer=world.evidence_a.answer, url="https://example.org/")
    migration.to_private(apps, None)


def test_a_private_root_inside_the_public_media_is_refused(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    assert check_private_media_root(None) == []
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "media" / "private"
    assert [error.id for error in check_private_media_root(None)] == ["core.E002"]
