"""One commitment of a report, its thread and who holds it; "mes engagements"; e-mail settings.

/espace/<slug>/bilans/<year>/engagements/<key>/ shows the answer, its thread and its assignee;
showing the thread marks it read. Every object comes through ``members.access``; writes go
through ``members.services.threads`` and ``members.services.assignments``.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.storage import private_file_response
from members.access import (
    get_assignment_for_user,
    get_message_for_user,
    get_report_for_user,
    get_thread_for_user,
    role_at_least,
)
from members.forms.assignments import AssignmentForm
from members.forms.threads import MessageForm, NotificationForm
from members.models import Membership, NotificationSetting, Report
from members.services import assignments as assignment_services
from members.services import reports as report_services
from members.services import threads as thread_services

from .actions import run_service

Role = Membership.Role


def post_message(request, answer, **kwargs):
    """Post the message form to ``answer``'s thread: (form, posted?)."""
    form = MessageForm(request.POST, request.FILES)
    if not form.is_valid():
        return form, False
    posted = run_service(
        request,
        lambda: thread_services.post_message(
            answer=answer, by=request.user, **form.service_data(), **kwargs
        ),
        _("Votre message est ajouté à la conversation."),
        error=thread_services.ThreadError,
        form=form,
    )
    return form, posted


def thread_context(request, answer):
    """What a commitment page shows of the answer and its thread; showing it marks it read."""
    thread = thread_services.thread(answer)
    # Messages after this one are new to the reader (marked as such, then read).
    last_read = (
        answer.reads.filter(user=request.user).values_list("last_read_id", flat=True).first() or 0
    )
    thread_services.mark_read(user=request.user, answer=answer, messages=thread)
    return {
        "answer": answer,
        "evidence": list(answer.evidence.all()),
        "rounds": thread_services.rounds(thread),
        "last_read": last_read,
        "base_url": request.path,
    }


@login_required
@require_http_methods(["GET", "POST"])
def commitment(request, slug, year, key):
    role = Role.EDITOR if request.method == "POST" else Role.VIEWER
    membership, answer = get_thread_for_user(request, slug, year, key, role)
    report = answer.report
    form = MessageForm()
    if request.method == "POST":
        form, posted = post_message(request, answer)
        if posted:
            return redirect(request.path + "#conversation")
    can_write = role_at_least(membership.role, Role.EDITOR)
    context = thread_context(request, answer)
    assignment = getattr(answer, "assignment", None)
    can_assign = can_write and report.status in report_services.EDITABLE
    return render(
        request,
        "members/reports/commitment.html",
        {
            "place": report.place,
            "report": report,
            "Status": Report.Status,
            "campaign": report.campaign,
            **context,
            "assignment": assignment,
            "can_write": can_write,
            "can_edit": can_write and report.status in report_services.EDITABLE,
            "form": form if can_write else None,
            "assign_form": AssignmentForm(
                initial={
                    "assignee": assignment.assignee_id if assignment else None,
                    "due_on": assignment.due_on if assignment else None,
                },
                writers=assignment_services.writers(report.place),
            )
            if can_assign
            else None,
        },
    )


@require_GET
def message_file(request, slug, year, key, pk):
    """A message's attachment: the place's team only, checked on every request (404 else)."""
    return attachment_response(get_message_for_user(request, slug, year, key, pk))


def attachment_response(message):
    """A message's attachment, downloaded; 404 when it has none."""
    if not message.file:
        raise Http404
    return private_file_response(message.file, as_attachment=True)


def _assignment_form(request, place):
    """The posted assignment form when valid; else None, the user told why."""
    form = AssignmentForm(request.POST, writers=assignment_services.writers(place))
    if form.is_valid():
        return form
    messages.error(request, _("Choisissez une personne de l’équipe et une date valide."))
    return None


@login_required
@require_POST
def assign(request, slug, year, key):
    membership, answer, _assignment = get_assignment_for_user(request, slug, year, key)
    form = _assignment_form(request, answer.report.place)
    if form is None:
        return redirect("members:report_commitment", slug, year, key)
    run_service(
        request,
        lambda: assignment_services.assign(answer=answer, by=request.user, **form.service_data()),
        _("La répartition est enregistrée."),
        error=assignment_services.AssignmentError,
    )
    return redirect("members:report_commitment", slug, year, key)


@login_required
@require_POST
def assign_section(request, slug, year, position):
    membership, report = get_report_for_user(request, slug, year, Role.EDITOR)
    section = get_object_or_404(report.version.sections, position=position)
    form = _assignment_form(request, report.place)
    if form is None:
        return redirect("members:report_detail", slug, year)
    run_service(
        request,
        lambda: assignment_services.assign_section(
            report=report, section=section, by=request.user, **form.service_data()
        ),
        lambda count: (
            _("« %(section)s » : %(count)s engagement(s) confié(s).")
            % {"section": section.t_title(), "count": count}
        ),
        error=assignment_services.AssignmentError,
    )
    return redirect("members:report_detail", slug, year)


@login_required
@require_GET
def my_commitments(request):
    """/espace/mes-engagements/: what is given to me, across my places."""
    rows = assignment_services.my_assignments(request.user)
    return render(request, "members/portal/my_commitments.html", {"rows": rows})


@login_required
@require_http_methods(["GET", "POST"])
def notifications(request):
    """/espace/compte/notifications/: how often I hear about new messages."""
    setting = NotificationSetting.objects.filter(user=request.user).first() or NotificationSetting(
        user=request.user
    )
    form = NotificationForm(request.POST or None, instance=setting)
    if request.method == "POST" and form.is_valid():
        thread_services.set_frequency(user=request.user, frequency=form.cleaned_data["frequency"])
        messages.success(request, _("Votre choix est enregistré."))
        return redirect("members:notifications")
    return render(request, "members/portal/notifications.html", {"form": form})
