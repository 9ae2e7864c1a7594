from django.contrib.postgres.operations import UnaccentExtension
from django.db import migrations, models

from core.sql import postgresql_only

# Directory search on PostgreSQL (members/search.py): a French text search configuration that
# ignores accents, and a GIN index on the very expression the search uses. SQLite: nothing.
SEARCH_SQL = [
    "CREATE TEXT SEARCH CONFIGURATION french_unaccent ( COPY = french )",
    "ALTER TEXT SEARCH CONFIGURATION french_unaccent "
    "ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem",
    # Serves: WHERE to_tsvector('french_unaccent', name || ' ' || commune || ' ' || description)
    #         @@ websearch_to_tsquery('french_unaccent', q)   (the directory's `q`)
    "CREATE INDEX place_search_idx ON members_place USING gin (("
    "to_tsvector('french_unaccent'::regconfig, COALESCE(name, '') || ' ' || "
    "COALESCE(commune, '') || ' ' || COALESCE(description, ''))))",
]
SEARCH_REVERSE_SQL = [
    "DROP INDEX IF EXISTS place_search_idx",
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS french_unaccent",
]



class Migration(migrations.Migration):

    dependencies = [
        ('charter', '0003_load_version_1'),
        ('members', '0005_default_indicators'),
    ]

    operations = [
        # No-op on SQLite (the operation checks the database vendor itself).
        UnaccentExtension(),
        postgresql_only(SEARCH_SQL, SEARCH_REVERSE_SQL),
        migrations.AddIndex(
            model_name='answer',
            index=models.Index(fields=['commitment', 'level'], name='answer_commitment_level_idx'),
        ),
        migrations.AddIndex(
            model_name='report',
            index=models.Index(fields=['place', 'status', 'publish'], name='report_place_public_idx'),
        ),
    ]
