"""What changed between two charter versions: every part of the text, the commitments, the aids.

- The authoritative text: title, preamble, and for each section its heading, intro and each
  bullet. Sections are paired by kind in reading order; bullets by their longest common
  sequence, so one inserted bullet does not make every following one "reworded".
- The commitments, by key: added, removed, reworded (the passage they quote), moved (to
  another section, or among the others).
- The aids (short titles, reporting guidance, English translation): versioned with the text,
  outside the fingerprint, and listed apart.

Each change is "added", "removed" or "reworded" (with a word-level diff). Read only: nothing
here writes.
"""

import difflib
import re
from dataclasses import dataclass, field
from itertools import zip_longest

from django.utils.text import capfirst
from django.utils.translation import gettext as _

from core.i18n import translated

from .models import Commitment, Section, lines_of

TOKENS = re.compile(r"\s+|[^\s]+")

ADDED, REMOVED, REWORDED = "added", "removed", "reworded"

# Aids of a section and of a commitment, with the language they are written in.
SECTION_AIDS = (("title", "fr"), ("title_en", "en"), ("heading_en", "en"), ("intro_en", "en"))
COMMITMENT_AIDS = (
    ("title", "fr"),
    ("title_en", "en"),
    ("text_en", "en"),
    ("guidance", "fr"),
    ("guidance_en", "en"),
)


@dataclass(frozen=True)
class Segment:
    """A run of text in a word-level diff: ``op`` is "equal", "insert" or "delete"."""

    op: str
    text: str


def word_diff(old, new):
    """Word-level difference between two texts, as a list of Segments (difflib)."""
    a, b = TOKENS.findall(old or ""), TOKENS.findall(new or "")
    segments = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            segments.append(Segment("equal", "".join(a[i1:i2])))
            continue
        if op in ("delete", "replace"):
            segments.append(Segment("delete", "".join(a[i1:i2])))
        if op in ("insert", "replace"):
            segments.append(Segment("insert", "".join(b[j1:j2])))
    return segments


@dataclass
class PartChange:
    """One part of a text that was added, removed or reworded (``status``).

    ``label`` says which part, in the reader's language; ``lang`` is the language of the
    part's own text ("fr" for the authoritative text, "en" for the translation).
    """

    label: str
    status: str
    old: str
    new: str
    lang: str = "fr"

    def segments(self):
        if self.status == ADDED:
            return [Segment("insert", self.new)]
        if self.status == REMOVED:
            return [Segment("delete", self.old)]
        return word_diff(self.old, self.new)


def _compare(label, old, new, lang="fr"):
    """A PartChange, or None when both texts are the same."""
    old, new = old or "", new or ""
    if old == new:
        return None
    status = ADDED if not old else REMOVED if not new else REWORDED
    return PartChange(label, status, old, new, lang)


def _compare_lists(label, old, new, lang="fr"):
    """Changes between two lists of bullets; ``label(n)`` names the bullet numbered ``n``."""
    changes = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        pairs = zip_longest(range(i1, i2), range(j1, j2))
        for i, j in pairs:
            number = (j if j is not None else i) + 1
            changes.append(
                _compare(
                    label(number),
                    old[i] if i is not None else "",
                    new[j] if j is not None else "",
                    lang,
                )
            )
    return [c for c in changes if c is not None]


def _section_name(section):
    return translated(section, "heading") or translated(section, "title") or str(section.position)


def pair_sections(old, new):
    """Sections of two versions paired by kind in reading order: ``[(old|None, new|None)]``.

    Within a run of different kinds, sections are paired by position; what is left over was
    added or removed.
    """
    pairs = []
    matcher = difflib.SequenceMatcher(
        None, [s.kind for s in old], [s.kind for s in new], autojunk=False
    )
    for _op, i1, i2, j1, j2 in matcher.get_opcodes():
        pairs.extend(zip_longest(old[i1:i2], new[j1:j2]))
    return pairs


def _section_changes(old, new):
    """(text changes, aid changes) of one pair of sections; either may be None."""
    name = _section_name(new or old)
    empty = Section(kind=(new or old).kind)
    old, new = old or empty, new or empty

    def label(part):
        return _("« %(section)s » : %(part)s") % {"section": name, "part": part}

    def field_label(name):
        return label(Section._meta.get_field(name).verbose_name)

    text = [
        _compare(field_label("heading"), old.heading, new.heading),
        _compare(field_label("intro"), old.intro, new.intro),
        *_compare_lists(
            lambda n: label(_("puce %(n)s") % {"n": n}),
            lines_of(old.bullets),
            lines_of(new.bullets),
        ),
    ]
    aids = [
        _compare(field_label(name), getattr(old, name), getattr(new, name), lang)
        for name, lang in SECTION_AIDS
    ]
    aids += _compare_lists(
        lambda n: label(_("puce %(n)s (traduction anglaise)") % {"n": n}),
        lines_of(old.bullets_en),
        lines_of(new.bullets_en),
        "en",
    )
    return [c for c in text if c], [c for c in aids if c]


@dataclass
class CommitmentChange:
    """A commitment key present in both versions."""

    key: str
    old: Commitment
    new: Commitment
    moved: bool
    reworded: bool  # the passage it quotes changed
    aid_changes: list = field(default_factory=list)  # PartChange of its aids

    @property
    def guidance_changed(self):
        return any(
            getattr(self.old, f) != getattr(self.new, f) for f in ("guidance", "guidance_en")
        )

    @property
    def unchanged(self):
        return not (self.moved or self.reworded or self.aid_changes)

    def text_diff(self):
        """Word diff of the quoted passage: the French text, which is what is signed."""
        return word_diff(self.old.text, self.new.text)

    def title_diff(self):
        """Word diff of the short title in the reader's language (French where no English)."""
        old, new = translated(self.old, "title"), translated(self.new, "title")
        if old == new:
            old, new = self.old.title, self.new.title
        return word_diff(old, new)


def _changes_where(attribute):
    """A property: the CommitmentChanges of ``changes`` whose ``attribute`` is true."""
    return property(lambda diff: [c for c in diff.changes if getattr(c, attribute)])


@dataclass
class VersionDiff:
    old: object
    new: object
    text_changes: list = field(default_factory=list)  # PartChange of the authoritative text
    aid_changes: list = field(default_factory=list)  # PartChange of version and section aids
    added: list = field(default_factory=list)  # Commitments of ``new`` only
    removed: list = field(default_factory=list)  # Commitments of ``old`` only
    changes: list = field(default_factory=list)  # CommitmentChange, in ``new``'s order

    moved = _changes_where("moved")
    reworded = _changes_where("reworded")
    with_aid_changes = _changes_where("aid_changes")
    unchanged = _changes_where("unchanged")

    @property
    def aid_change_count(self):
        return len(self.aid_changes) + sum(len(c.aid_changes) for c in self.changes)

    @property
    def signed_text_changed(self):
        """Whether what places sign changed: the text, or a commitment or its quote."""
        return bool(self.text_changes or self.added or self.removed or self.reworded)

    @property
    def has_changes(self):
        return bool(
            self.signed_text_changed
            or self.aid_changes
            or any(not c.unchanged for c in self.changes)
        )


def _reading_order(commitments):
    return sorted(commitments, key=lambda c: (c.section.position, c.section_id, c.position, c.pk))


def diff_versions(a, b, *, sections=None, commitments=None):
    """What changed from version ``a`` to version ``b`` (see the module docstring).

    - added / removed: commitment keys only in ``b`` / only in ``a``;
    - moved: the commitment changed section (sections paired by ``pair_sections``), or its
      place among the commitments both versions share changed (difflib's longest matching
      order, so one insertion does not make every following commitment "moved");
    - reworded: the passage it quotes changed (word diff: ``text_diff()``);
    - aid_changes: its short title, guidance or translations changed;
    - unchanged: none of that.

    ``sections`` and ``commitments`` may pass both versions' rows, already fetched (the views
    do, to keep a constant number of queries); otherwise two queries fetch them.
    """
    if sections is None:
        sections = Section.objects.filter(version__in=[a.pk, b.pk])
    if commitments is None:
        commitments = Commitment.objects.filter(version__in=[a.pk, b.pk])
    sections = sorted(sections, key=lambda s: (s.position, s.pk))
    by_id = {s.pk: s for s in sections}
    commitments = list(commitments)
    for c in commitments:
        c.section = by_id[c.section_id]  # no query per commitment

    diff = VersionDiff(old=a, new=b)
    for label, name in ((_("Titre"), "title"), (_("Préambule"), "preamble")):
        change = _compare(label, getattr(a, name), getattr(b, name))
        if change:
            diff.text_changes.append(change)
        aid = _compare(
            capfirst(a._meta.get_field(f"{name}_en").verbose_name),
            getattr(a, f"{name}_en"),
            getattr(b, f"{name}_en"),
            "en",
        )
        if aid:
            diff.aid_changes.append(aid)

    paired = {}  # old section id → new section id
    for old_section, new_section in pair_sections(
        [s for s in sections if s.version_id == a.pk], [s for s in sections if s.version_id == b.pk]
    ):
        if old_section and new_section:
            paired[old_section.pk] = new_section.pk
        text, aids = _section_changes(old_section, new_section)
        diff.text_changes.extend(text)
        diff.aid_changes.extend(aids)

    old = _reading_order(c for c in commitments if c.version_id == a.pk)
    new = _reading_order(c for c in commitments if c.version_id == b.pk)
    old_by_key = {c.key: c for c in old}
    new_by_key = {c.key: c for c in new}

    common_old = [c.key for c in old if c.key in new_by_key]
    common_new = [c.key for c in new if c.key in old_by_key]
    in_order = set()
    matcher = difflib.SequenceMatcher(None, common_old, common_new, autojunk=False)
    for block in matcher.get_matching_blocks():
        in_order.update(common_new[block.b : block.b + block.size])

    diff.removed = [c for c in old if c.key not in new_by_key]
    for c in new:
        before = old_by_key.get(c.key)
        if before is None:
            diff.added.append(c)
            continue
        aids = [
            _compare(
                capfirst(Commitment._meta.get_field(name).verbose_name),
                getattr(before, name),
                getattr(c, name),
                lang,
            )
            for name, lang in COMMITMENT_AIDS
        ]
        diff.changes.append(
            CommitmentChange(
                key=c.key,
                old=before,
                new=c,
                moved=c.key not in in_order or paired.get(before.section_id) != c.section_id,
                reworded=before.text != c.text,
                aid_changes=[change for change in aids if change],
            )
        )
    return diff
