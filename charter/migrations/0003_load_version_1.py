"""Loads charter version 1 from charter/data/charter_v1.json and publishes it."""

import json
from pathlib import Path

from django.db import migrations
from django.utils import timezone

from charter.canonical import fingerprint, version_content

DATA = Path(__file__).resolve().parent.parent / "data" / "charter_v1.json"


def load_version_1(apps, schema_editor):
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
    version.fingerprint = fingerprint(version_content(version))
    version.published_at = timezone.now()
    version.status = "published"
    version.save()


def unload_version_1(apps, schema_editor):
    CharterVersion = apps.get_model("charter", "CharterVersion")
    Commitment = apps.get_model("charter", "Commitment")
    Section = apps.get_model("charter", "Section")
    Commitment.objects.filter(version__number=1).delete()
    Section.objects.filter(version__number=1).delete()
    CharterVersion.objects.filter(number=1).delete()


class Migration(migrations.Migration):
    dependencies = [("charter", "0002_initial")]

    operations = [migrations.RunPython(load_version_1, unload_version_1)]
