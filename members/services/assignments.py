"""Dividing a report's work inside the team: who writes which commitment, by when.

A representative or editor gives a commitment (or a whole part) to a team member who writes
(an editor or a representative), with an optional date before the report's own. Each change
is written in the place's history. A member who leaves the team frees what they held, and
the representatives are told.
"""

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import mail
from members.access import has_role, person_name
from members.models import (
    Answer,
    Assignment,
    Membership,
    Message,
    PlaceEvent,
    Report,
)

from . import MembersError, require_member
from .history import record
from .reports import EDITABLE, effective_due_on
from .teams import representatives

Role = Membership.Role


class AssignmentError(MembersError):
    """An assignment a rule refuses (not a writer of the team, date after the report's…)."""


class Status:
    """Where an assigned commitment stands, for "mes engagements"."""

    TO_WRITE = "to_write"
    TO_CONFIRM = "to_confirm"
    WRITTEN = "written"
    CHANGES_REQUESTED = "changes_requested"

    LABELS = {
        TO_WRITE: gettext_lazy("À écrire"),
        TO_CONFIRM: gettext_lazy("À confirmer"),
        WRITTEN: gettext_lazy("Écrit"),
        CHANGES_REQUESTED: gettext_lazy("Modifications demandées"),
    }


def answer_status(answer, changes_requested):
    if changes_requested:
        return Status.CHANGES_REQUESTED
    if answer.carried_over:
        return Status.TO_CONFIRM
    if not answer.level:
        return Status.TO_WRITE
    return Status.WRITTEN


def _changes_requested_on(answer_path):
    """True where the report is back with the place and the coordination wrote in this
    answer's thread since it was last sent."""
    prefix = f"{answer_path}__" if answer_path else ""
    return Exists(
        Message.objects.filter(
            answer=OuterRef(answer_path or "pk"),
            side=Message.Side.COORDINATION,
            created_at__gte=OuterRef(f"{prefix}report__submitted_at"),
        )
    )


def my_assignments(user):
    """What ``user`` holds in the places they still belong to, due first: one query."""
    rows = list(
        Assignment.objects.filter(
            assignee=user,
            answer__report__place__memberships__user=user,
        )
        .annotate(coordination_asked=_changes_requested_on("answer"))
        .select_related(
            "answer__commitment__section",
            "answer__report__place",
            "answer__report__campaign",
        )
        .order_by("due_on", "answer__report__place__name", "answer__commitment__position", "pk")
    )
    for row in rows:
        asked = (
            row.coordination_asked and row.answer.report.status == Report.Status.CHANGES_REQUESTED
        )
        row.status = answer_status(row.answer, asked)
        row.status_label = Status.LABELS[row.status]
    return rows


def report_assignments(report):
    """{answer id: assignment} of one report, with the holders: one query."""
    return {
        a.answer_id: a
        for a in Assignment.objects.filter(answer__report=report).select_related("assignee")
    }


def writers(place):
    """The team members a commitment may be given to: editors and representatives."""
    return [
        m.user
        for m in place.memberships.filter(role__in=[Role.EDITOR, Role.REPRESENTATIVE])
        .select_related("user")
        .order_by("user__first_name", "user__last_name", "user__email", "pk")
    ]


def _check(report, by, assignee, due_on):
    place = report.place
    require_member(
        by,
        place,
        Role.EDITOR,
        _("Seul·es les rédacteur·rices et représentant·es du lieu répartissent le bilan."),
        AssignmentError,
    )
    if report.status not in EDITABLE:
        raise AssignmentError(_("Ce bilan est envoyé : sa répartition ne change plus."))
    if assignee is not None and not has_role(place, assignee, Role.EDITOR):
        raise AssignmentError(
            _("Un engagement se confie à un·e rédacteur·rice ou représentant·e de l’équipe.")
        )
    if due_on is not None:
        report_due = effective_due_on(report.campaign, place)
        if due_on > report_due:
            raise AssignmentError(
                _("Choisissez une date au plus tard le %(date)s, l’échéance du bilan.")
                % {"date": date_format(report_due)}
            )


def _assign_one(answer, assignee, by, due_on):
    """Write one assignment; returns True when something changed."""
    current = Assignment.objects.select_for_update().filter(answer=answer).first()
    if assignee is None:
        if current is None:
            return False
        current.delete()
    elif current and current.assignee_id == assignee.pk and current.due_on == due_on:
        return False
    elif current:
        current.assignee, current.due_on, current.assigned_by = assignee, due_on, by
        current.save(update_fields=["assignee", "due_on", "assigned_by"])
    else:
        Assignment.objects.create(answer=answer, assignee=assignee, due_on=due_on, assigned_by=by)
    record(
        place=answer.report.place,
        code=PlaceEvent.Code.ASSIGNMENT_CHANGED,
        by=by,
        commitments=[answer.commitment_id],  # its title in the reader's language (members.history)
        report=str(answer.report.campaign),
        person=person_name(assignee) if assignee else "",
        due=date_format(due_on) if due_on else "",
        answer=answer.pk,
    )
    return True


@transaction.atomic
def assign(*, answer, assignee, by, due_on=None):
    """Give ``answer`` to ``assignee`` (None: to nobody), optionally before ``due_on``."""
    _check(answer.report, by, assignee, due_on)
    return _assign_one(answer, assignee, by, due_on)


@transaction.atomic
def assign_section(*, report, section, assignee, by, due_on=None):
    """Give every commitment of one part of the report; returns how many changed."""
    _check(report, by, assignee, due_on)
    answers = report.answers.filter(commitment__section=section).select_related(
        "commitment", "report__campaign", "report__place"
    )
    return sum(_assign_one(answer, assignee, by, due_on) for answer in answers)


def free_assignments(membership, by=None):
    """``membership``'s holder leaves the team: what they held in its reports is free again,
    the history says so and the representatives are told (called inside the team change)."""
    place = membership.place
    held = Assignment.objects.filter(assignee_id=membership.user_id, answer__report__place=place)
    answers = list(
        Answer.objects.filter(pk__in=held.values("answer"))
        .select_related("commitment", "report__campaign")
        .order_by("report", "commitment__position", "pk")
    )
    if not answers:
        return 0
    held.delete()
    person = person_name(membership.user)
    record(
        place=place,
        code=PlaceEvent.Code.ASSIGNMENTS_FREED,
        by=by,
        person=person,
        count=len(answers),
    )
    recipients = [u for u in representatives(place) if u.pk != membership.user_id]
    mail.send(
        recipients,
        "assignments_freed",
        {
            "place": place,
            "person": person,
            "answers": answers,
            "place_url": mail.absolute_url(reverse("members:report_list", args=[place.slug])),
        },
    )
    return len(answers)
