"""Translated fields: a French field ``name`` and its English counterpart ``name_en``."""

from django.utils.translation import get_language


def translated(obj, field):
    """The English counterpart of ``field`` on English pages, falling back to French."""
    if (get_language() or "fr").startswith("en"):
        value = getattr(obj, f"{field}_en", "")
        if value:
            return value
    return getattr(obj, field)


def translation_of(field):
    """A method ``t_<field>()``: ``field`` in the reader's language (``translated``);
    templates read it as ``{{ obj.t_<field> }}``."""

    def method(self):
        return translated(self, field)

    method.__name__ = f"t_{field}"
    return method
