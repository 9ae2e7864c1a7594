"""Writes and state transitions of the charter: drafting and publishing versions.

Admin actions, views and commands call these functions; they never set a status themselves.
Comparing two versions is read-only: charter/diff.py.
"""

import hashlib

from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db import transaction
from django.db.models import Max
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from . import canonical
from .models import CanonicalText, CharterVersion, Commitment, Section

# Sent once the transaction that published a version is committed (kwargs: version,
# previous). The members app may listen to it to ask signatories to sign again.
version_published = Signal()


class CharterError(Exception):
    """A charter operation refused for a reason the coordinator can fix (translated message)."""

    def __init__(self, message):
        self.message = message
        super().__init__(message)


# --- Drafting ------------------------------------------------------------------------------


# What a new draft copies from each section and commitment of the version it starts from.
SECTION_TEXT = "position kind title title_en heading heading_en intro intro_en bullets bullets_en"
COMMITMENT_TEXT = "key position title title_en text text_en guidance guidance_en"


def _copy(obj, names):
    return {name: getattr(obj, name) for name in names.split()}


@transaction.atomic
def create_draft_from(*, version, by):
    """A new draft, numbered after every existing version, copying ``version``'s content.

    Sections (heading, intro, bullets) and commitments (keys, quoted passages) are copied in
    order with their aids (short titles, English translation, reporting guidance), so reports
    of different years stay comparable. ``by`` is the coordinator asking (kept for the
    signature's symmetry with publish_version).
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
        [Section(version=draft, **_copy(s, SECTION_TEXT)) for s in sections]
    )
    Commitment.objects.bulk_create(
        [
            Commitment(version=draft, section=new_section, **_copy(c, COMMITMENT_TEXT))
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
            _("Des engagements n’ont pas de titre court ou de passage cité : %(keys)s.")
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
    blank, invalid or duplicate commitment key, or the grace period is negative. What
    ``publication_warnings`` finds does not prevent publishing: the coordinator sees it first.
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
    hashed = canonical.version_bytes(version)
    version.fingerprint = hashlib.sha256(hashed).hexdigest()
    version.save()
    # The exact bytes, kept: /charte/versions/<n>/canonical.json serves them for anyone to
    # re-hash, whatever becomes of the canonical form later.
    CanonicalText.objects.create(
        version=version, fingerprint=version.fingerprint, content=hashed.decode(), recorded_at=now
    )
    transaction.on_commit(
        lambda: version_published.send(sender=CharterVersion, version=version, previous=previous)
    )
    return version


def publication_warnings(version):
    """What the coordinator should check before publishing, as translated messages.

    Not blocking: a commitment quoting a passage its section's text does not contain (the
    quote and the text must agree word for word), and an incomplete English translation.
    """
    warnings = []
    commitments = list(version.commitments.select_related("section").order_by("position", "pk"))
    astray = [c.key for c in commitments if not c.quote_found()]
    if astray:
        warnings.append(
            _(
                "Ces engagements citent un passage qui ne figure pas mot pour mot dans le texte "
                "de leur partie : %(keys)s. Corrigez le passage cité ou le texte."
            )
            % {"keys": ", ".join(astray)}
        )
    missing = []
    if not version.title_en:
        missing.append(_("le titre"))
    if version.preamble and not version.preamble_en:
        missing.append(_("le préambule"))
    for section in version.sections.order_by("position", "pk"):
        heading_en, intro_en, bullets = section.translation()
        if (
            (section.heading and not heading_en)
            or (section.intro and not intro_en)
            or any(english is None for _french, english in bullets)
        ):
            missing.append(_("la partie « %(section)s »") % {"section": section})
    for c in commitments:
        if not c.title_en or not c.text_en or (c.guidance and not c.guidance_en):
            missing.append(_("l’engagement %(key)s") % {"key": c.key})
    if missing:
        warnings.append(
            _("La traduction anglaise est incomplète : %(parts)s.") % {"parts": ", ".join(missing)}
        )
    return warnings
