"""Raw SQL in migrations, for what only PostgreSQL has (its search configuration, trigram
indexes, functions): run there, a no-op on SQLite."""

from django.db import migrations


def _on_postgresql(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


def postgresql_only(statements, reverse_statements):
    """A migration operation executing ``statements`` on PostgreSQL (``reverse_statements``
    when migrating backwards), nothing elsewhere."""
    return migrations.RunPython(_on_postgresql(statements), _on_postgresql(reverse_statements))
