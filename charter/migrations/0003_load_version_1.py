"""Loads charter version 1 in its initial form and publishes it.

That initial form (charter/data/charter_v1_initial_form.json) was not the seed's text word for
word: migration 0006 restores the verbatim text. This migration replays exactly what it did
then, with the canonical form of that time frozen below, so that every database records the
same earlier fingerprint for version 1 (the one signatures made before 0006 carry).
"""

import hashlib
import importlib
import json
from pathlib import Path

from django.db import migrations
from django.utils import timezone

DATA = Path(__file__).resolve().parent.parent / "data" / "charter_v1_initial_form.json"

# The canonical form used until migration 0006: every field, aids included.
INITIAL_VERSION_FIELDS = ("number", "title", "title_en", "preamble", "preamble_en")
INITIAL_SECTION_FIELDS = ("kind", "title", "title_en", "intro", "intro_en")
INITIAL_COMMITMENT_FIELDS = (
    "key",
    "title",
    "title_en",
    "text",
    "text_en",
    "guidance",
    "guidance_en",
)


def initial_canonical_bytes(version):
    """The canonical bytes of ``version`` as computed before migration 0006."""
    sections = []
    for section in version.sections.order_by("position", "pk"):
        commitments = [
            {field: getattr(c, field) for field in INITIAL_COMMITMENT_FIELDS}
            for c in section.commitments.order_by("position", "pk")
        ]
        sections.append(
            {
                **{field: getattr(section, field) for field in INITIAL_SECTION_FIELDS},
                "commitments": commitments,
            }
        )
    content = {
        **{field: getattr(version, field) for field in INITIAL_VERSION_FIELDS},
        "sections": sections,
    }
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def load_initial_form(apps, schema_editor):
    CharterVersion = apps.get_model("charter", "CharterVersion")
    Section = apps.get_model("charter", "Section")
    Commitment = apps.get_model("charter", "Commitment")
    if CharterVersion.objects.filter(number=1).exists():
        return
    data = json.loads(DATA.read_text(encoding="utf-8"))
    version = CharterVersion.objects.create(
        number=data["number"],
        title=data["title"],
        title_en=data["title_en"],
        preamble=data["preamble"],
        preamble_en=data["preamble_en"],
        change_summary=data["change_summary"],
        change_summary_en=data["change_summary_en"],
        status="draft",
    )
    for s_pos, s in enumerate(data["sections"], start=1):
        section = Section.objects.create(
            version=version,
            position=s_pos,
            kind=s["kind"],
            title=s["title"],
            title_en=s["title_en"],
            intro=s["intro"],
            intro_en=s["intro_en"],
        )
        for c_pos, c in enumerate(s["commitments"], start=1):
            Commitment.objects.create(version=version, section=section, position=c_pos, **c)
    version.fingerprint = hashlib.sha256(initial_canonical_bytes(version)).hexdigest()
    version.published_at = timezone.now()
    version.status = "published"
    version.save()


def load_version_1(apps, schema_editor):
    """Version 1 as the migrations leave it today: this one, then 0006's verbatim text.

    For tests that empty the database (``transaction=True``) and load reference data again
    with the current models (tests/conftest.py).
    """
    load_initial_form(apps, schema_editor)
    verbatim = importlib.import_module("charter.migrations.0006_version_1_verbatim")
    verbatim.restore_verbatim_text(apps, schema_editor)


def unload_version_1(apps, schema_editor):
    CharterVersion = apps.get_model("charter", "CharterVersion")
    Commitment = apps.get_model("charter", "Commitment")
    Section = apps.get_model("charter", "Section")
    Commitment.objects.filter(version__number=1).delete()
    Section.objects.filter(version__number=1).delete()
    CharterVersion.objects.filter(number=1).delete()


class Migration(migrations.Migration):
    dependencies = [("charter", "0002_initial")]

    operations = [migrations.RunPython(load_initial_form, unload_version_1)]
