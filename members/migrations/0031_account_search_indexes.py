"""The admin's search of accounts, served by trigram indexes on PostgreSQL.

The accounts' search (``UserAdmin.search_fields``), and the lists that search their people
(teams: ``user__email``…, through ``RelatedSearchMixin``'s subquery on accounts), read
``UPPER(field::text) LIKE UPPER('%term%')``: without these indexes, a scan of every account
(217,000 at 100,000 places: 285 ms national, a second for the team list). With them, a bitmap
OR of three index scans.
"""

from django.db import migrations

from core.sql import postgresql_only

FIELDS = ["email", "first_name", "last_name"]
SQL = [
    f"CREATE INDEX user_{field}_upper_trgm_idx ON members_user "
    f"USING gin (UPPER({field}::text) gin_trgm_ops)"
    for field in FIELDS
]
REVERSE_SQL = [f"DROP INDEX IF EXISTS user_{field}_upper_trgm_idx" for field in FIELDS]


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0030_due_tally"),
    ]

    operations = [
        # The pg_trgm extension comes from migration 0025.
        postgresql_only(SQL, REVERSE_SQL),
    ]
