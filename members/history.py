"""Reading a place's history: each event code as a sentence in the reader's language.

One entry per ``PlaceEvent.Code``; a code without one falls back to the code's label. Values
that are codes themselves (statuses, roles) are turned into their labels here, at reading time.
"""

from django.utils.translation import gettext as _

from members.models import Membership, Place, PlaceEvent, Report

Code = PlaceEvent.Code

SENTENCES = {
    Code.PLACE_STATUS: lambda p: (
        _("Statut du lieu : %(from)s → %(to)s.")
        % {"from": _label(Place.Status, p.get("from")), "to": _label(Place.Status, p.get("to"))}
    ),
    Code.REPORT_STATUS: lambda p: (
        _("%(report)s : %(from)s → %(to)s.")
        % {
            "report": p.get("report", ""),
            "from": _label(Report.Status, p.get("from")),
            "to": _label(Report.Status, p.get("to")),
        }
    ),
    Code.MEMBER_INVITED: lambda p: (
        _("%(person)s a été invité·e comme %(role)s.")
        % {"person": p.get("person", ""), "role": _label(Membership.Role, p.get("role"))}
    ),
    Code.INVITATION_ACCEPTED: lambda p: (
        _("%(person)s a rejoint l’équipe comme %(role)s.")
        % {"person": p.get("person", ""), "role": _label(Membership.Role, p.get("role"))}
    ),
    Code.INVITATION_REVOKED: lambda p: (
        _("L’invitation de %(person)s a été annulée.") % {"person": p.get("person", "")}
    ),
    Code.ROLE_CHANGED: lambda p: (
        _("Rôle de %(person)s : %(from)s → %(to)s.")
        % {
            "person": p.get("person", ""),
            "from": _label(Membership.Role, p.get("from")),
            "to": _label(Membership.Role, p.get("to")),
        }
    ),
    Code.MEMBER_LEFT: lambda p: (
        _("%(person)s a quitté l’équipe.") % {"person": p.get("person", "")}
    ),
    Code.MEMBER_REMOVED: lambda p: (
        _("%(person)s a été retiré·e de l’équipe.") % {"person": p.get("person", "")}
    ),
    Code.CHARTER_SIGNED: lambda p: (
        _("La charte (version %(version)s) a été signée.") % {"version": p.get("version", "")}
    ),
    Code.COORDINATOR_COMMENT: lambda p: (
        _("La coordination a commenté « %(commitment)s ».")
        % {"commitment": p.get("commitment", "")}
    ),
    Code.ASSIGNMENT_CHANGED: lambda p: (
        (
            _("« %(commitment)s » (%(report)s) est confié à %(person)s, avant le %(due)s.")
            if p.get("due")
            else _("« %(commitment)s » (%(report)s) est confié à %(person)s.")
        )
        % {
            "commitment": p.get("commitment", ""),
            "report": p.get("report", ""),
            "person": p.get("person", ""),
            "due": p.get("due", ""),
        }
        if p.get("person")
        else _("« %(commitment)s » (%(report)s) n’est plus confié à personne.")
        % {"commitment": p.get("commitment", ""), "report": p.get("report", "")}
    ),
    Code.ASSIGNMENTS_FREED: lambda p: (
        _(
            "%(person)s a quitté l’équipe : %(count)s engagement(s) qui lui étaient confiés sont libres."
        )
        % {"person": p.get("person", ""), "count": p.get("count", 0)}
    ),
    Code.PEER_INVITED: lambda p: (
        _("%(place)s invite %(peer)s à porter un regard de pair sur « %(report)s ».")
        % {
            "place": p.get("inviter", ""),
            "peer": p.get("peer", ""),
            "report": p.get("report", ""),
        }
    ),
    Code.PEER_ACCEPTED: lambda p: (
        _("%(peer)s a accepté de porter un regard de pair sur « %(report)s » de %(place)s.")
        % {
            "place": p.get("inviter", ""),
            "peer": p.get("peer", ""),
            "report": p.get("report", ""),
        }
    ),
    Code.PEER_REVOKED: lambda p: (
        _("Le regard de pair de %(peer)s sur « %(report)s » de %(place)s est annulé.")
        % {
            "place": p.get("inviter", ""),
            "peer": p.get("peer", ""),
            "report": p.get("report", ""),
        }
    ),
}


def _label(choices, value):
    if value in (None, ""):
        return "—"
    try:
        return choices(value).label
    except ValueError:
        return value


def describe(event):
    sentence = SENTENCES.get(event.code)
    if sentence is None:
        try:
            return str(Code(event.code).label)
        except ValueError:
            return event.code
    return sentence(event.params)
