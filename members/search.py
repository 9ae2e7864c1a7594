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
from django.db.models.functions import Concat
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
    """SQL counterpart of ``fold``: lcp_fold() on SQLite, lower(unaccent()) on PostgreSQL."""

    function = "lcp_fold"
    output_field = models.TextField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            function="unaccent",
            template="lower(%(function)s(%(expressions)s))",
        )


def _words(query):
    return [word for word in fold(query).split() if word][:MAX_WORDS]


def _substring_filter(queryset, fields, words):
    haystack = Concat(*[part for field in fields for part in (field, models.Value(" "))])
    queryset = queryset.annotate(search_haystack=Fold(haystack))
    for word in words:
        queryset = queryset.filter(search_haystack__contains=word)
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
        partial = _substring_filter(queryset.model.objects.all(), ["name", "commune"], words)
        return queryset.annotate(search_vector=vector).filter(
            models.Q(search_vector=matches) | models.Q(pk__in=partial.values("pk"))
        )
    return _substring_filter(queryset, ["name", "commune", "description"], words)


def _is_postgresql(queryset):
    from django.db import connections

    return connections[queryset.db].vendor == "postgresql"
