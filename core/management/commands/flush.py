"""Django's ``flush``, able to wipe rows that database triggers protect, on SQLite.

On SQLite ``flush`` deletes every row, which the apps' triggers refuse (published charter
versions: ``charter.triggers``; signatures, transitions, reminders, history:
``members.triggers``). PostgreSQL truncates, which row triggers do not see. Wiping the whole
database is a deliberate act (tests between transactional cases, an operator starting afresh),
so on SQLite every trigger is dropped for the time of the wipe and created again afterwards
from its own stored definition: this command needs to know no app.
"""

from django.core.management.commands.flush import Command as FlushCommand
from django.db import connections


class Command(FlushCommand):
    def handle(self, **options):
        connection = connections[options["database"]]
        if connection.vendor != "sqlite":
            return super().handle(**options)
        with connection.cursor() as cursor:
            cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")
            saved = cursor.fetchall()
            for name, _sql in saved:
                cursor.execute(f'DROP TRIGGER IF EXISTS "{name}"')
        try:
            return super().handle(**options)
        finally:
            with connection.cursor() as cursor:
                # post_migrate (sent by flush) may have put some back already.
                cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
                present = {name for (name,) in cursor.fetchall()}
                for name, sql in saved:
                    if name not in present:
                        cursor.execute(sql)
