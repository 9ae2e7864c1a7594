"""Version 1 becomes the network's text word for word, and fingerprints cover that text only.

Until now version 1 held a rewritten text (the general-interest paragraph turned into five
infinitive items, a heading the text does not have, punctuation added), and its fingerprint
also covered short titles, reporting guidance and the English translation. This migration:

1. keeps, for every published or superseded version, the exact bytes its current fingerprint
   was computed from (``CanonicalText``, marked replaced, with the reason): signatures made so
   far carry that fingerprint, and anyone can still download those bytes and re-hash them;
2. replaces version 1's content, in place, with charter/data/charter_v1.json: the text of
   charter/data/charter_v1_seed.txt character for character, commitments quoting it, and the
   aids. Rows are updated, never recreated, and commitments are matched by key, so reports,
   answers and signatures stay attached to the same rows;
3. recomputes each of those versions' fingerprint in the new canonical form (frozen below, the
   same as charter/canonical.py today) and records its bytes as the current canonical text.

Published versions are immutable, down to database triggers: they are lifted for the time of
the update, inside the migration's transaction, and created again (charter/triggers.py
``lifted``). Drafts are left as they are: start a new draft from version 1 to get its text.

The reverse puts the earlier form back from the bytes kept in step 1, which held every field.
"""

import hashlib
import importlib
import json
from pathlib import Path

from django.db import connection as default_connection
from django.db import migrations
from django.utils import timezone

from charter import triggers

DATA = Path(__file__).resolve().parent.parent / "data" / "charter_v1.json"
initial = importlib.import_module("charter.migrations.0003_load_version_1")

REASON_V1 = (
    "Le texte de la version 1 a été rétabli mot pour mot, tel que le réseau l’a adopté. Cette "
    "forme antérieure avait réécrit le paragraphe sur l’intérêt général en cinq points, ajouté "
    "un intitulé et modifié la ponctuation, et son empreinte comptait aussi les titres courts, "
    "les questions pour le bilan et la traduction anglaise. Les 18 engagements et leurs clés "
    "sont inchangés ; les signatures faites auparavant gardent cette empreinte."
)
REASON_V1_EN = (
    "Version 1's text was restored word for word, as the network adopted it. This earlier "
    "form had rewritten the general-interest paragraph as five items, added a heading and "
    "changed the punctuation, and its fingerprint also covered the short titles, the reporting "
    "questions and the English translation. The 18 commitments and their keys are unchanged; "
    "signatures made before keep this fingerprint."
)
REASON_FORMAT = (
    "L’empreinte couvre désormais le seul texte faisant foi et les passages cités par les "
    "engagements. Celle-ci comptait aussi les titres courts, les questions pour le bilan et la "
    "traduction anglaise. Le texte de cette version est inchangé ; les signatures faites "
    "auparavant gardent cette empreinte."
)
REASON_FORMAT_EN = (
    "The fingerprint now covers only the authoritative text and the passages the commitments "
    "quote. This one also covered the short titles, the reporting questions and the English "
    "translation. This version's text is unchanged; signatures made before keep this "
    "fingerprint."
)


def _lines(text):
    return [line.strip() for line in (text or "").replace("\r\n", "\n").split("\n") if line.strip()]


def verbatim_canonical_bytes(version):
    """The canonical form from this migration on (charter/canonical.py, frozen here)."""
    sections = []
    for section in version.sections.order_by("position", "pk"):
        sections.append(
            {
                "heading": section.heading,
                "intro": section.intro,
                "bullets": _lines(section.bullets),
                "commitments": [
                    {"key": c.key, "text": c.text}
                    for c in section.commitments.order_by("position", "pk")
                ],
            }
        )
    content = {
        "number": version.number,
        "title": version.title,
        "preamble": version.preamble,
        "sections": sections,
    }
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def _connection(schema_editor):
    return schema_editor.connection if schema_editor is not None else default_connection


def _write_verbatim_version_1(apps, version):
    CharterVersion = apps.get_model("charter", "CharterVersion")
    Section = apps.get_model("charter", "Section")
    Commitment = apps.get_model("charter", "Commitment")
    data = json.loads(DATA.read_text(encoding="utf-8"))

    sections = list(Section._base_manager.filter(version=version).order_by("position", "pk"))
    if [s.kind for s in sections] != [s["kind"] for s in data["sections"]]:
        raise RuntimeError(
            "charter 0006: version 1's sections are not the expected values, principles and "
            "ambitions; restore them before migrating."
        )
    stored_keys = set(
        Commitment._base_manager.filter(version=version).values_list("key", flat=True)
    )
    wanted_keys = {c["key"] for s in data["sections"] for c in s["commitments"]}
    if stored_keys != wanted_keys:
        raise RuntimeError(
            "charter 0006: version 1's commitment keys differ from the charter's 18 "
            f"(missing {sorted(wanted_keys - stored_keys)}, extra "
            f"{sorted(stored_keys - wanted_keys)}); restore them before migrating."
        )

    CharterVersion._base_manager.filter(pk=version.pk).update(
        title=data["title"], preamble=data["preamble"], **data["aids"]
    )
    for section, wanted in zip(sections, data["sections"], strict=True):
        aids = dict(wanted["aids"], bullets_en="\n".join(wanted["aids"]["bullets_en"]))
        Section._base_manager.filter(pk=section.pk).update(
            heading=wanted["heading"],
            intro=wanted["intro"],
            bullets="\n".join(wanted["bullets"]),
            **aids,
        )
        for position, commitment in enumerate(wanted["commitments"], start=1):
            Commitment._base_manager.filter(version=version, key=commitment["key"]).update(
                section=section, position=position, text=commitment["text"], **commitment["aids"]
            )


def restore_verbatim_text(apps, schema_editor):
    CharterVersion = apps.get_model("charter", "CharterVersion")
    CanonicalText = apps.get_model("charter", "CanonicalText")
    now = timezone.now()
    with triggers.lifted(_connection(schema_editor)):
        for version in CharterVersion._base_manager.exclude(status="draft").order_by("number"):
            if CanonicalText._base_manager.filter(fingerprint=version.fingerprint).exists():
                continue  # already in the current canonical form
            earlier = initial.initial_canonical_bytes(version)
            if hashlib.sha256(earlier).hexdigest() != version.fingerprint:
                raise RuntimeError(
                    f"charter 0006: version {version.number}'s stored fingerprint does not match "
                    "its stored text: it was changed outside the portal. Investigate before "
                    "migrating."
                )
            first = version.number == 1
            if first:
                _write_verbatim_version_1(apps, version)
            version = CharterVersion._base_manager.get(pk=version.pk)
            current = verbatim_canonical_bytes(version)
            fingerprint = hashlib.sha256(current).hexdigest()
            CanonicalText._base_manager.create(
                version=version,
                fingerprint=version.fingerprint,
                content=earlier.decode(),
                recorded_at=version.published_at,
                replaced_at=now,
                replaced_because=REASON_V1 if first else REASON_FORMAT,
                replaced_because_en=REASON_V1_EN if first else REASON_FORMAT_EN,
            )
            CanonicalText._base_manager.create(
                version=version, fingerprint=fingerprint, content=current.decode(), recorded_at=now
            )
            CharterVersion._base_manager.filter(pk=version.pk).update(fingerprint=fingerprint)


def restore_initial_form(apps, schema_editor):
    CharterVersion = apps.get_model("charter", "CharterVersion")
    Section = apps.get_model("charter", "Section")
    Commitment = apps.get_model("charter", "Commitment")
    CanonicalText = apps.get_model("charter", "CanonicalText")
    with triggers.lifted(_connection(schema_editor)):
        earlier = CanonicalText._base_manager.filter(version__number=1, replaced_at__isnull=False)
        record = earlier.order_by("recorded_at", "pk").first()
        if record is not None:
            data = json.loads(record.content)
            version = CharterVersion._base_manager.get(number=1)
            CharterVersion._base_manager.filter(pk=version.pk).update(
                **{f: data[f] for f in ("title", "title_en", "preamble", "preamble_en")}
            )
            sections = Section._base_manager.filter(version=version).order_by("position", "pk")
            for section, wanted in zip(sections, data["sections"], strict=True):
                Section._base_manager.filter(pk=section.pk).update(
                    heading="",
                    heading_en="",
                    bullets="",
                    bullets_en="",
                    **{f: wanted[f] for f in ("kind", "title", "title_en", "intro", "intro_en")},
                )
                for commitment in wanted["commitments"]:
                    Commitment._base_manager.filter(version=version, key=commitment["key"]).update(
                        section=section, **commitment
                    )
        for version in CharterVersion._base_manager.exclude(status="draft"):
            fingerprint = hashlib.sha256(initial.initial_canonical_bytes(version)).hexdigest()
            CharterVersion._base_manager.filter(pk=version.pk).update(fingerprint=fingerprint)
        CanonicalText._base_manager.all().delete()


class Migration(migrations.Migration):
    dependencies = [("charter", "0005_text_and_aids_canonical_texts")]

    operations = [migrations.RunPython(restore_verbatim_text, restore_initial_form)]
