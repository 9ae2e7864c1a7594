"""The canonical form of a charter version: the exact bytes its SHA-256 fingerprint hashes.

It holds what places sign and nothing else: the authoritative French text, word for word,
and the passages each commitment quotes from it, under the version's number. Short titles,
reporting guidance and translations are aids and are left out, as are status and dates.

Canonical form: the UTF-8 bytes of a JSON document with sorted keys, no insignificant
whitespace (separators "," and ":"), non-ASCII characters kept as they are
(ensure_ascii=False), no final newline:

    {
      "number": 1,
      "title": "…",
      "preamble": "…",
      "sections": [                      # in reading order (position, then id)
        {"heading": "…",                 # "" where the text has none
         "intro": "…",
         "bullets": ["…", …],            # in order; [] where the section has none
         "commitments": [                # in reading order (position, then id)
           {"key": "…", "text": "…"}]}]  # text: the passage quoted, verbatim
    }

Texts are taken as stored (a bullet is one non-blank line of ``Section.bullets``, without
surrounding spaces), so any change of a single character changes the fingerprint, and the same
text always gives the same fingerprint. Anyone can check a fingerprint without this code:
download ``/charte/versions/<n>/canonical.json`` and run ``sha256sum`` on it.

A published version's bytes are also stored (``CanonicalText``) when it is published: they stay
downloadable even if this form evolves, as it did once (migration 0006).
"""

import hashlib
import json

from .models import lines_of

VERSION_FIELDS = ("number", "title", "preamble")
SECTION_FIELDS = ("heading", "intro")
COMMITMENT_FIELDS = ("key", "text")


def version_content(version):
    """What a version's fingerprint covers, as plain data (see the module docstring)."""
    sections = []
    for section in version.sections.order_by("position", "pk"):
        commitments = [
            {field: getattr(c, field) for field in COMMITMENT_FIELDS}
            for c in section.commitments.order_by("position", "pk")
        ]
        sections.append(
            {
                **{field: getattr(section, field) for field in SECTION_FIELDS},
                "bullets": lines_of(section.bullets),
                "commitments": commitments,
            }
        )
    return {**{field: getattr(version, field) for field in VERSION_FIELDS}, "sections": sections}


def canonical_bytes(content):
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def fingerprint(content):
    """SHA-256, in hexadecimal, of the canonical form of ``content`` (see module docstring)."""
    return hashlib.sha256(canonical_bytes(content)).hexdigest()


def version_bytes(version):
    """The canonical bytes of ``version`` as it is stored now."""
    return canonical_bytes(version_content(version))
