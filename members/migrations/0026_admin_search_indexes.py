"""The admin's search of places, served by trigram indexes on PostgreSQL.

Django's admin searches each of ``PlaceAdmin.search_fields`` with ``icontains``, which
PostgreSQL writes ``UPPER(field::text) LIKE UPPER('%term%')``: without these indexes, a scan of
every place for the count and again for the page (16 ms each at 10,000 places, ten times that
at 100,000). With them, a bitmap OR of six index scans. The reports' search (``place__name``,
``place__commune``) uses the same ones through its join.
"""

from django.db import migrations

from core.sql import postgresql_only

FIELDS = ["name", "legal_name", "commune", "rna", "siret", "postcode"]
SQL = [
    f"CREATE INDEX place_{field}_upper_trgm_idx ON members_place "
    f"USING gin (UPPER({field}::text) gin_trgm_ops)"
    for field in FIELDS
]
REVERSE_SQL = [f"DROP INDEX IF EXISTS place_{field}_upper_trgm_idx" for field in FIELDS]



class Migration(migrations.Migration):
    dependencies = [
        ("members", "0025_partial_word_search_index"),
    ]

    operations = [
        # The pg_trgm extension comes from migration 0025.
        postgresql_only(SQL, REVERSE_SQL),
    ]
