"""Directory search over a place's name, commune and description, on either database.

PostgreSQL: full-text search with the ``french_unaccent`` configuration (French stemming, so
"jardins" finds "jardin"; accents ignored), created with its GIN index by migration 0003; plus
an accent-insensitive substring match on name and commune, so that a partial word ("Renn")
still finds "Rennes".

SQLite (development, tests): every word of the query must appear, case and accents ignored,
in the name, commune or description. ``lcp_fold`` is a Python function registered on each new
SQLite connection; no extra column to keep up to date.
"""

import unicodedata

from django.db import models
from django.db.backends.signals import connection_created
from django.db.models.lookups import Contains
from django.dispatch import receiver

SEARCH_CONFIG = "french_unaccent"
MAX_WORDS = 8


def fold(text):
    """Lower-case, accent-free text: "Élan Solidaire" → "elan solidaire"."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.replace("œ", "oe").replace("Œ", "oe").replace("æ", "ae").casefold()


@receiver(connection_created)
def register_sqlite_fold(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        connection.connection.create_function("lcp_fold", 1, fold, deterministic=True)


class Fold(models.Func):
    """SQL counterpart of ``fold``: ``lcp_fold()``, a Python function on SQLite and an SQL
    one on PostgreSQL (migration 0025, with the trigram indexes that serve it)."""

    function = "lcp_fold"
    output_field = models.TextField()


def _words(query):
    return [word for word in fold(query).split() if word][:MAX_WORDS]


def _substring_filter(queryset, fields, words):
    """Every word inside one of ``fields``, case and accents ignored."""
    for word in words:
        anywhere = models.Q()
        for field in fields:
            anywhere |= models.Q(Contains(Fold(field), word))
        queryset = queryset.filter(anywhere)
    return queryset


def search_places(queryset, query):
    """``queryset`` narrowed to places matching ``query`` (already stripped, non-empty)."""
    words = _words(query)
    if not words:
        return queryset
    if _is_postgresql(queryset):
        from django.contrib.postgres.search import SearchQuery, SearchVector

        vector = SearchVector("name", "commune", "description", config=SEARCH_CONFIG)
        matches = SearchQuery(query, config=SEARCH_CONFIG, search_type="websearch")
        everywhere = queryset.model.objects.values("pk")
        # One subquery of two indexed parts (place_search_idx, then the trigram indexes),
        # rather than an OR that would compute every place's vector.
        found = everywhere.alias(search_vector=vector).filter(search_vector=matches)
        partial = _substring_filter(everywhere, ["name", "commune"], words)
        return queryset.filter(pk__in=found.union(partial))
    return _substring_filter(queryset, ["name", "commune", "description"], words)


def _is_postgresql(queryset):
    from django.db import connections

    return connections[queryset.db].vendor == "postgresql"
