"""Translated fields: a French field ``name`` and its English counterpart ``name_en``."""

from django.utils.translation import get_language


def translated(obj, field):
    """The English counterpart of ``field`` on English pages, falling back to French."""
    if (get_language() or "fr").startswith("en"):
        value = getattr(obj, f"{field}_en", "")
        if value:
            return value
    return getattr(obj, field)
