"""Every state change of the members app, one module per area (places, teams, signatures,
reports, extensions, reminders, personal data).

Each function is keyword-only and atomic, checks who acts and whether the current state allows
it (even when the view checked already), raises a ``MembersError`` with a translated message,
leaves a history row where the state changes, and sends its e-mails through ``core.mail`` once
the transaction commits, to the recipients ``members.territory`` names.
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core import mail


class MembersError(Exception):
    """A rule of the members app refused the action; ``message`` says why, translated."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message

    def __str__(self):
        return str(self.message)


class TransitionError(MembersError):
    """A place cannot move from its current status to the one asked."""


class TeamError(MembersError):
    """A team change breaks a rule (last representative, wrong address…)."""


class InvitationError(TeamError):
    """The invitation cannot be used: expired, revoked, already used, other address."""


class SignatureError(MembersError):
    """The charter cannot be signed now (place not a member, version signed already…)."""


def place_context(place):
    return {
        "place": place,
        "place_url": mail.absolute_url(reverse("members:place", args=[place.slug])),
        "dashboard_url": mail.absolute_url(reverse("members:dashboard")),
    }


def require_coordinator(user, place, permission, error=None):
    """``user`` coordinates ``place`` (national, or territorial with the place in its
    territory) and holds ``members.<permission>``; else ``MembersError``."""
    from members.territory import place_in_scope

    if not (
        user is not None
        and user.is_authenticated
        and user.has_perm(f"members.{permission}")
        and place_in_scope(user, place)
    ):
        raise (error or MembersError)(
            _("Seule la coordination du territoire de ce lieu peut le faire.")
        )


def require_member(user, place, role, message, error=None):
    """``user`` belongs to ``place``'s team with at least ``role``; else ``MembersError``."""
    from members.access import has_role

    if not has_role(place, user, role):
        raise (error or MembersError)(message)
