"""Database triggers: signatures, transitions, reminder logs and place history are append-only.

See members/triggers.py for what is allowed and refused, on SQLite and PostgreSQL.
"""

from django.db import migrations

from members import triggers


def install(apps, schema_editor):
    triggers.install(schema_editor.connection)


def uninstall(apps, schema_editor):
    triggers.uninstall(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("members", "0017_admin_and_home_indexes")]

    operations = [migrations.RunPython(install, uninstall, elidable=False)]
