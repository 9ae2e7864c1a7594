"""Database triggers: published and superseded versions, and their parts, are immutable.

See charter/triggers.py for what is allowed and refused, on SQLite and PostgreSQL.
"""

from django.db import migrations

from charter import triggers


def install(apps, schema_editor):
    triggers.install(schema_editor.connection)


def uninstall(apps, schema_editor):
    triggers.uninstall(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("charter", "0003_load_version_1")]

    operations = [migrations.RunPython(install, uninstall)]
