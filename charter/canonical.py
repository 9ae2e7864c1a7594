"""The canonical form of a charter version's content, and its SHA-256 fingerprint.

Canonical form: the UTF-8 bytes of a JSON document with sorted keys, no insignificant
whitespace (separators "," and ":"), non-ASCII characters kept as is (ensure_ascii=False):

    {"commitments_by_section": [...], ...}  — precisely:
    {
      "number": 1, "title": "...", "title_en": "...", "preamble": "...", "preamble_en": "...",
      "sections": [                      # in reading order (position, then id)
        {"kind": "...", "title": "...", "title_en": "...", "intro": "...", "intro_en": "...",
         "commitments": [                # in reading order (position, then id)
           {"key": "...", "title": "...", "title_en": "...", "text": "...", "text_en": "...",
            "guidance": "...", "guidance_en": "..."}]}]
    }

Texts are taken exactly as stored (no trimming or normalisation), so any change of a single
character changes the fingerprint, and the same content always gives the same fingerprint.
Status, dates and change summary are not content and are left out.
"""

import hashlib
import json

VERSION_FIELDS = ("number", "title", "title_en", "preamble", "preamble_en")
SECTION_FIELDS = ("kind", "title", "title_en", "intro", "intro_en")
COMMITMENT_FIELDS = ("key", "title", "title_en", "text", "text_en", "guidance", "guidance_en")


def version_content(version):
    """The content of a version (model instance, historical ones included) as plain data."""
    sections = []
    for section in version.sections.order_by("position", "pk"):
        commitments = [
            {field: getattr(c, field) for field in COMMITMENT_FIELDS}
            for c in section.commitments.order_by("position", "pk")
        ]
        sections.append(
            {
                **{field: getattr(section, field) for field in SECTION_FIELDS},
                "commitments": commitments,
            }
        )
    return {**{field: getattr(version, field) for field in VERSION_FIELDS}, "sections": sections}


def canonical_bytes(content):
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def fingerprint(content):
    """SHA-256, in hexadecimal, of the canonical form of ``content`` (see module docstring)."""
    return hashlib.sha256(canonical_bytes(content)).hexdigest()
