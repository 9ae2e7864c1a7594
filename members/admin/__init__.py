"""The members app in the coordinators' admin, one module per area. ``site`` is the admin site
itself (``members.apps.CoordinationAdminConfig`` makes it Django's default); importing the
area modules registers their admins."""

from . import coordination, places, reports, surveys, teams  # noqa: F401
