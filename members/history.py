"""Reading a place's history: each event code as a sentence in the reader's language.

One entry per ``PlaceEvent.Code``; a code without one falls back to the code's label. Values
that are codes themselves (statuses, roles, field names, commitments) are turned into their
labels here, at reading time, so that each reader sees the history in their own language.
People are named as they were named when the event happened; an e-mail address (invitations)
is shown only to readers who may see addresses (``members.access.sees_addresses``).
"""

from django.core.exceptions import FieldDoesNotExist
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from charter.models import Commitment
from members.access import person_name
from members.models import Membership, Place, PlaceEvent, Report

Code = PlaceEvent.Code


def _label(choices, value):
    if value in (None, ""):
        return "—"
    try:
        return choices(value).label
    except ValueError:
        return value


def _person(p):
    return p.get("person") or _("Membre sans nom")


def _role(p, key="role"):
    return _label(Membership.Role, p.get(key))


def _display(name, value):
    """A stored profile value as the reader reads it: choices by their label, yes/no."""
    if value in (None, ""):
        return "—"
    try:
        field = Place._meta.get_field(name)
    except FieldDoesNotExist:
        return value
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    if isinstance(value, bool):
        return _("oui") if value else _("non")
    return value


def profile_changes(params):
    """[(field label, old, new)] of a profile edit; old and new are None for lists and files."""
    return [
        (_field_label(name), *((_display(name, v) for v in values) if values else (None, None)))
        for name, values in params.get("changes", {}).items()
    ]


def _field_label(name):
    try:
        return str(capfirst(Place._meta.get_field(name).verbose_name))
    except FieldDoesNotExist:
        return name


def _place_status(p, reader):
    if not p.get("from"):
        return _("Inscription du lieu sur le portail (statut : %(to)s).") % {
            "to": _label(Place.Status, p.get("to"))
        }
    return _("Statut du lieu : %(from)s → %(to)s.") % {
        "from": _label(Place.Status, p.get("from")),
        "to": _label(Place.Status, p.get("to")),
    }


def _report_status(p, reader):
    year = p.get("year", "")
    if not p.get("from"):
        if p.get("prefilled_from"):
            return _("Bilan %(year)s commencé, pré-rempli à partir du bilan %(previous)s.") % {
                "year": year,
                "previous": p["prefilled_from"],
            }
        return _("Bilan %(year)s commencé.") % {"year": year}
    return _("Bilan %(year)s : %(from)s → %(to)s.") % {
        "year": year,
        "from": _label(Report.Status, p.get("from")),
        "to": _label(Report.Status, p.get("to")),
    }


def _invited(p, reader):
    if reader.show_addresses and p.get("email"):
        return _("%(email)s a été invité·e comme %(role)s.") % {
            "email": p["email"],
            "role": _role(p),
        }
    return _("Une personne a été invitée comme %(role)s.") % {"role": _role(p)}


def _revoked(p, reader):
    if reader.show_addresses and p.get("email"):
        return _("L’invitation de %(email)s a été annulée.") % {"email": p["email"]}
    return _("Une invitation (%(role)s) a été annulée.") % {"role": _role(p)}


def _left(p, reader):
    if p.get("account_deleted"):
        return _("Un membre de l’équipe a supprimé son compte.")
    return _("%(person)s a quitté l’équipe.") % {"person": _person(p)}


def _signed(p, reader):
    if p.get("signatory"):
        return _("La charte (version %(version)s) a été signée par %(who)s (%(title)s).") % {
            "version": p.get("version", ""),
            "who": p["signatory"],
            "title": p.get("title", ""),
        }
    return _("La charte (version %(version)s) a été signée.") % {"version": p.get("version", "")}


def _commented(p, reader):
    titles = [reader.commitment_title(pk) for pk in p.get("commitments", [])]
    return _("La coordination a commenté le bilan %(year)s : %(commitments)s.") % {
        "year": p.get("year", ""),
        "commitments": ", ".join(_("« %(title)s »") % {"title": t} for t in titles) or "—",
    }


def _assigned(p, reader):
    pks = p.get("commitments")
    values = {
        "commitment": reader.commitment_title(pks[0]) if pks else p.get("commitment", ""),
        "report": p.get("report", ""),
        "person": p.get("person", ""),
        "due": p.get("due", ""),
    }
    if not values["person"]:
        return _("« %(commitment)s » (%(report)s) n’est plus confié à personne.") % values
    if values["due"]:
        return (
            _("« %(commitment)s » (%(report)s) est confié à %(person)s, avant le %(due)s.") % values
        )
    return _("« %(commitment)s » (%(report)s) est confié à %(person)s.") % values


def _peers(p):
    return {"place": p.get("inviter", ""), "peer": p.get("peer", ""), "report": p.get("report", "")}


SENTENCES = {
    Code.PLACE_STATUS: _place_status,
    Code.PROFILE_EDITED: lambda p, reader: (
        _("Fiche modifiée : %(fields)s.")
        % {"fields": ", ".join(_field_label(name) for name in p.get("changes", {}))}
    ),
    Code.REPORT_STATUS: _report_status,
    Code.MEMBER_INVITED: _invited,
    Code.INVITATION_ACCEPTED: lambda p, reader: (
        _("%(person)s a rejoint l’équipe comme %(role)s.")
        % {"person": _person(p), "role": _role(p)}
    ),
    Code.INVITATION_REVOKED: _revoked,
    Code.ROLE_CHANGED: lambda p, reader: (
        _("Rôle de %(person)s : %(from)s → %(to)s.")
        % {"person": _person(p), "from": _role(p, "from"), "to": _role(p, "to")}
    ),
    Code.MEMBER_LEFT: _left,
    Code.MEMBER_REMOVED: lambda p, reader: (
        _("%(person)s a été retiré·e de l’équipe.") % {"person": _person(p)}
    ),
    Code.MEMBER_ADDED: lambda p, reader: (
        _("%(person)s a été ajouté·e à l’équipe comme %(role)s.")
        % {"person": _person(p), "role": _role(p)}
    ),
    Code.CHARTER_SIGNED: _signed,
    Code.COORDINATOR_COMMENT: _commented,
    Code.ASSIGNMENT_CHANGED: lambda p, reader: _assigned(p, reader),
    Code.ASSIGNMENTS_FREED: lambda p, reader: (
        _(
            "%(person)s a quitté l’équipe : %(count)s engagement(s) qui lui étaient confiés sont libres."
        )
        % {"person": _person(p), "count": p.get("count", 0)}
    ),
    Code.PEER_INVITED: lambda p, reader: (
        _("%(place)s invite %(peer)s à porter un regard de pair sur « %(report)s ».") % _peers(p)
    ),
    Code.PEER_ACCEPTED: lambda p, reader: (
        _("%(peer)s a accepté de porter un regard de pair sur « %(report)s » de %(place)s.")
        % _peers(p)
    ),
    Code.PEER_REVOKED: lambda p, reader: (
        _("Le regard de pair de %(peer)s sur « %(report)s » de %(place)s est annulé.") % _peers(p)
    ),
}

# The free text an event carries (a reason, a coordinator's message): shown as written.
DETAILS = ("reason", "message")


class Reader:
    """What a reader may see: addresses or not; commitment titles loaded in one query."""

    def __init__(self, *, show_addresses=False, coordinator=False, commitments=None):
        self.show_addresses = show_addresses or coordinator
        self.coordinator = coordinator
        self.commitments = commitments or {}

    def commitment_title(self, pk):
        commitment = self.commitments.get(pk)
        return commitment.t_title() if commitment else "—"

    def author(self, user):
        """Who acted: a coordinator is "the network's coordination" for the place's team;
        coordinators see each other's names."""
        if user is None:
            return "—"
        if user.is_staff and not self.coordinator:
            return _("La coordination du réseau")
        return person_name(user, with_address=self.show_addresses)


def describe(event, reader=None):
    """The event as a sentence in the active language."""
    reader = reader or Reader()
    sentence = SENTENCES.get(event.code)
    if sentence is None:
        try:
            return str(Code(event.code).label)
        except ValueError:
            return event.code
    return sentence(event.params, reader)


def read(events, *, show_addresses=False, coordinator=False):
    """``events`` (with ``by`` selected) as entries of the history page: at, text, author and
    detail. One query more, for the titles of the commitments the events name."""
    events = list(events)
    pks = {pk for event in events for pk in event.params.get("commitments", [])}
    commitments = Commitment.objects.in_bulk(pks) if pks else {}
    reader = Reader(show_addresses=show_addresses, coordinator=coordinator, commitments=commitments)
    for event in events:
        event.text = describe(event, reader)
        event.author = reader.author(event.by)
        event.detail = next((event.params[k] for k in DETAILS if event.params.get(k)), "")
        if event.code == Code.PROFILE_EDITED:
            event.changes = profile_changes(event.params)
    return events
