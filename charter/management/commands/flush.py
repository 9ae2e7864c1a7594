"""Django's ``flush``, able to wipe published charter versions on SQLite.

On SQLite ``flush`` deletes every row, which the charter's immutability triggers refuse
(PostgreSQL truncates, which row triggers do not see). Wiping the whole database is a
deliberate act (tests between transactional cases, an operator starting afresh), so the
triggers are lifted for the time of the wipe and put back afterwards.
"""

from django.core.management.commands.flush import Command as FlushCommand
from django.db import connections

from charter import triggers


class Command(FlushCommand):
    def handle(self, **options):
        connection = connections[options["database"]]
        if connection.vendor != "sqlite" or not triggers.installed(connection):
            return super().handle(**options)
        with triggers.lifted(connection):
            return super().handle(**options)
