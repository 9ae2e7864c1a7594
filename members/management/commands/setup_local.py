"""First-run setup for `make run`: a local coordinator account, printed once.

Refuses to run outside DEBUG: production accounts are created with `createsuperuser`.
"""

import secrets

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from members.models import User

COORDINATOR_EMAIL = "coordination@lcp.local"


class Command(BaseCommand):
    help = "Creates a local coordinator account on a brand-new database (development only)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("setup_local is for local development only (DEBUG is off).")
        if User.objects.filter(is_superuser=True).exists():
            self.stdout.write("Local coordinator account already exists; nothing to do.")
            return
        password = secrets.token_urlsafe(12)
        user = User.objects.create_superuser(
            email=COORDINATOR_EMAIL, password=password, first_name="Coordination"
        )
        # allauth requires a verified address to log in on the portal.
        user.emailaddress_set.create(email=user.email, verified=True, primary=True)
        self.stdout.write(self.style.SUCCESS("Compte de coordination local créé :"))
        self.stdout.write(f"  e-mail       : {COORDINATOR_EMAIL}")
        self.stdout.write(f"  mot de passe : {password}")
        self.stdout.write("  (affiché une seule fois — notez-le ; admin : /admin/)")
