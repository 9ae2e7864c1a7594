"""The directory's partial-word search, served by trigram indexes on PostgreSQL.

``lcp_fold(text)`` is the SQL twin of ``members.search.fold`` (SQLite registers the Python
function under the same name on each connection): lower-case and accent-free. Declared
IMMUTABLE, so that an index can hold its result, which ``lower(unaccent(…))`` cannot.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

from core.sql import postgresql_only

SQL = [
    "CREATE FUNCTION lcp_fold(text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT "
    "AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, $1)) $$",
    # Serve: WHERE lcp_fold(name) LIKE '%word%' OR lcp_fold(commune) LIKE '%word%'.
    "CREATE INDEX place_name_trgm_idx ON members_place USING gin (lcp_fold(name) gin_trgm_ops)",
    "CREATE INDEX place_commune_trgm_idx ON members_place "
    "USING gin (lcp_fold(commune) gin_trgm_ops)",
]
REVERSE_SQL = [
    "DROP INDEX IF EXISTS place_commune_trgm_idx",
    "DROP INDEX IF EXISTS place_name_trgm_idx",
    "DROP FUNCTION IF EXISTS lcp_fold(text)",
]



class Migration(migrations.Migration):
    dependencies = [
        ("members", "0024_report_start_prefilled_from"),
    ]

    operations = [
        # No-op on SQLite (the operation checks the database vendor itself).
        TrigramExtension(),
        postgresql_only(SQL, REVERSE_SQL),
    ]
