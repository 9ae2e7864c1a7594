"""Writes and state transitions of the charter: drafting, publishing, and comparing versions.

Admin actions, views and commands call these functions; they never set a status themselves.
"""

import difflib
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db import transaction
from django.db.models import Max
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .canonical import fingerprint, version_content
from .models import CharterVersion, Commitment, Section, translated

# Sent once the transaction that published a version is committed (kwargs: version,
# previous). The members app may listen to it to ask signatories to sign again.
version_published = Signal()


class CharterError(Exception):
    """A charter operation refused for a reason the coordinator can fix (translated message)."""

    def __init__(self, message):
        self.message = message
        super().__init__(message)


# --- Drafting ------------------------------------------------------------------------------


@transaction.atomic
def create_draft_from(*, version, by):
    """A new draft, numbered after every existing version, copying ``version``'s content.

    Sections and commitments are copied in order with their keys, English texts and
    reporting guidance, so reports of different years stay comparable. ``by`` is the
    coordinator asking (kept for the signature's symmetry with publish_version).
    """
    # Two coordinators drafting at once: the unique number makes the second one fail.
    last = CharterVersion.objects.aggregate(Max("number"))["number__max"]
    draft = CharterVersion.objects.create(
        number=(last or 0) + 1,
        title=version.title,
        title_en=version.title_en,
        preamble=version.preamble,
        preamble_en=version.preamble_en,
        status=CharterVersion.Status.DRAFT,
        requires_resigning=False,
        grace_period_days=version.grace_period_days,
    )
    sections = list(version.sections.prefetch_related("commitments").order_by("position", "pk"))
    new_sections = Section.objects.bulk_create(
        [
            Section(
                version=draft,
                position=s.position,
                kind=s.kind,
                title=s.title,
                title_en=s.title_en,
                intro=s.intro,
                intro_en=s.intro_en,
            )
            for s in sections
        ]
    )
    Commitment.objects.bulk_create(
        [
            Commitment(
                version=draft,
                section=new_section,
                key=c.key,
                position=c.position,
                title=c.title,
                title_en=c.title_en,
                text=c.text,
                text_en=c.text_en,
                guidance=c.guidance,
                guidance_en=c.guidance_en,
            )
            for old_section, new_section in zip(sections, new_sections, strict=True)
            for c in sorted(old_section.commitments.all(), key=lambda c: (c.position, c.pk))
        ]
    )
    return draft


# --- Publishing ----------------------------------------------------------------------------


def publication_problems(version):
    """What prevents ``version`` from being published, as translated messages (may be empty)."""
    problems = []
    if not version.is_draft:
        problems.append(
            _(
                "La version %(number)s n’est pas un brouillon (%(status)s) : seul un brouillon "
                "peut être publié."
            )
            % {"number": version.number, "status": version.get_status_display()}
        )
        return problems
    later = (
        CharterVersion.objects.public().filter(number__gt=version.number).order_by("number").first()
    )
    if later is not None:
        problems.append(
            _(
                "La version %(later)s est déjà publiée : ce brouillon (version %(number)s) est "
                "plus ancien. Créez un nouveau brouillon à partir de la version en vigueur."
            )
            % {"later": later.number, "number": version.number}
        )
    commitments = list(version.commitments.select_related("section"))
    if not commitments:
        problems.append(_("Ce brouillon est vide : ajoutez au moins une partie et un engagement."))
    blank = [c for c in commitments if not c.key.strip()]
    if blank:
        problems.append(
            ngettext(
                "Un engagement n’a pas de clé : « %(titles)s ».",
                "%(count)d engagements n’ont pas de clé : « %(titles)s ».",
                len(blank),
            )
            % {"count": len(blank), "titles": "», «".join(c.title for c in blank)}
        )
    seen, duplicates, invalid = set(), set(), set()
    for c in commitments:
        key = c.key.strip().lower()
        if not key:
            continue
        if key in seen:
            duplicates.add(key)
        seen.add(key)
        try:
            validate_slug(c.key)
        except ValidationError:
            invalid.add(c.key)
    if duplicates:
        problems.append(
            _("Plusieurs engagements ont la même clé : %(keys)s.")
            % {"keys": ", ".join(sorted(duplicates))}
        )
    if invalid:
        problems.append(
            _("Clés invalides (lettres, chiffres, tirets et soulignés seulement) : %(keys)s.")
            % {"keys": ", ".join(sorted(invalid))}
        )
    empty = [c for c in commitments if not c.title.strip() or not c.text.strip()]
    if empty:
        problems.append(
            _("Des engagements n’ont pas de titre ou de texte : %(keys)s.")
            % {"keys": ", ".join(c.key or "?" for c in empty)}
        )
    strays = [c for c in commitments if c.section.version_id != version.pk]
    if strays:
        problems.append(
            _("Des engagements sont rangés dans une partie d’une autre version : %(keys)s.")
            % {"keys": ", ".join(c.key for c in strays)}
        )
    return problems


@transaction.atomic
def publish_version(*, version, by, requires_resigning, grace_period_days):
    """Publish a draft: it becomes the current version and supersedes the previous one.

    Raises CharterError (nothing changed) when the version is not a draft, is empty, has a
    blank, invalid or duplicate commitment key, or the grace period is negative.
    """
    version = CharterVersion.objects.select_for_update().get(pk=version.pk)
    problems = publication_problems(version)
    if grace_period_days is None or grace_period_days < 0:
        problems.append(_("Le délai pour signer à nouveau doit être un nombre de jours positif."))
    if problems:
        raise CharterError(" ".join(str(p) for p in problems))

    now = timezone.now()
    previous = (
        CharterVersion.objects.select_for_update()
        .filter(status=CharterVersion.Status.PUBLISHED)
        .first()
    )
    if previous is not None:
        changed = CharterVersion.objects.filter(pk=previous.pk).mark_superseded(at=now)
        if changed != 1:  # pragma: no cover - the row is locked above
            raise CharterError(_("La version en vigueur a changé entre-temps : réessayez."))

    version.status = CharterVersion.Status.PUBLISHED
    version.published_at = now
    version.published_by = by
    version.requires_resigning = requires_resigning
    version.grace_period_days = grace_period_days
    version.fingerprint = fingerprint(version_content(version))
    version.save()
    transaction.on_commit(
        lambda: version_published.send(sender=CharterVersion, version=version, previous=previous)
    )
    return version


# --- Comparing -----------------------------------------------------------------------------

TOKENS = re.compile(r"\s+|[^\s]+")


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
class CommitmentChange:
    """A commitment key present in both versions."""

    key: str
    old: Commitment
    new: Commitment
    moved: bool
    reworded: bool
    guidance_changed: bool

    @property
    def unchanged(self):
        return not (self.moved or self.reworded or self.guidance_changed)

    def _diff(self, field):
        """Word diff of ``field`` in the current language (English falls back to French).

        When only the French text changed (its English translation was not updated), the
        French diff is shown, so a rewording is never invisible.
        """
        old, new = translated(self.old, field), translated(self.new, field)
        if old == new:
            old, new = getattr(self.old, field), getattr(self.new, field)
        return word_diff(old, new)

    def title_diff(self):
        return self._diff("title")

    def text_diff(self):
        return self._diff("text")


@dataclass
class VersionDiff:
    old: CharterVersion
    new: CharterVersion
    added: list = field(default_factory=list)  # Commitments of ``new`` only
    removed: list = field(default_factory=list)  # Commitments of ``old`` only
    changes: list = field(default_factory=list)  # CommitmentChange, in ``new``'s order

    @property
    def moved(self):
        return [c for c in self.changes if c.moved]

    @property
    def reworded(self):
        return [c for c in self.changes if c.reworded]

    @property
    def unchanged(self):
        return [c for c in self.changes if c.unchanged]

    @property
    def has_changes(self):
        return bool(self.added or self.removed or any(not c.unchanged for c in self.changes))


def _reading_order(commitments):
    return sorted(commitments, key=lambda c: (c.section.position, c.section_id, c.position, c.pk))


def diff_versions(a, b, *, commitments=None):
    """What changed from version ``a`` to version ``b``, by commitment key.

    - added / removed: keys only in ``b`` / only in ``a``;
    - moved: the commitment changed section (compared by section title), or its place among
      the commitments both versions share changed (difflib's longest matching order, so one
      insertion does not make every following commitment "moved");
    - reworded: its title or text changed, in French or English (word diff: ``text_diff()``);
    - unchanged: none of that (a change of reporting guidance only is flagged apart).

    ``commitments`` may pass both versions' commitments, already fetched with their sections
    (the views do, to keep a constant number of queries); otherwise one query fetches them.
    """
    if commitments is None:
        commitments = Commitment.objects.filter(version__in=[a.pk, b.pk]).select_related("section")
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

    diff = VersionDiff(old=a, new=b)
    diff.removed = [c for c in old if c.key not in new_by_key]
    for c in new:
        before = old_by_key.get(c.key)
        if before is None:
            diff.added.append(c)
            continue
        diff.changes.append(
            CommitmentChange(
                key=c.key,
                old=before,
                new=c,
                moved=c.key not in in_order or before.section.title != c.section.title,
                reworded=any(
                    getattr(before, f) != getattr(c, f)
                    for f in ("title", "text", "title_en", "text_en")
                ),
                guidance_changed=any(
                    getattr(before, f) != getattr(c, f) for f in ("guidance", "guidance_en")
                ),
            )
        )
    return diff
