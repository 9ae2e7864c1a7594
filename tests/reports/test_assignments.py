"""Dividing the work: assigning commitments and parts, "mes engagements", members leaving."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from members.models import Assignment, Membership, PlaceEvent, Report
from members.services import assignments as assignment_services
from members.services import reports as report_services
from members.services import teams as team_services
from members.services import threads as thread_services
from tests import factories

from .conftest import answers_in_order, complete, first_answer

pytestmark = pytest.mark.django_db
Role = Membership.Role


@pytest.fixture
def colleague(place):
    return factories.MembershipFactory(place=place, role=Role.EDITOR).user


def assign_url(answer):
    report = answer.report
    return reverse(
        "members:report_assign",
        args=[report.place.slug, report.campaign.year, answer.commitment.key],
    )


def test_an_editor_assigns_two_commitments_the_colleague_sees_them(
    client, report, editor, colleague
):
    first, second = answers_in_order(report, 2)
    due = report.campaign.due_on - timedelta(days=10)
    client.force_login(editor)
    for answer in (first, second):
        response = client.post(
            assign_url(answer), {"assignee": colleague.pk, "due_on": due.isoformat()}
        )
        assert response.status_code == 302
    assert set(Assignment.objects.values_list("answer", "assignee", "due_on")) == {
        (first.pk, colleague.pk, due),
        (second.pk, colleague.pk, due),
    }
    # The report page shows who holds what.
    detail = client.get(reverse("members:report_detail", args=[report.place.slug, 2026]))
    assert detail.content.decode().count(f"Confié à {colleague}") == 2
    # Each change is in the place's history, in the reader's language.
    events = PlaceEvent.objects.filter(code=PlaceEvent.Code.ASSIGNMENT_CHANGED)
    assert events.count() == 2
    assert str(colleague) in events.first().describe()

    client.force_login(colleague)
    mine = client.get(reverse("members:my_commitments")).content.decode()
    assert first.commitment.t_title() in mine and second.commitment.t_title() in mine
    assert mine.count("status-to_write") == 2


def test_statuses_of_my_commitments(report, editor, colleague, coordinator):
    first, second = answers_in_order(report, 2)
    for answer in (first, second):
        assignment_services.assign(answer=answer, assignee=colleague, by=editor)
    rows = {row.answer.pk: row.status for row in assignment_services.my_assignments(colleague)}
    assert rows == {first.pk: "to_write", second.pk: "to_write"}
    # Carried over from the previous report: to confirm.
    report.answers.filter(pk=second.pk).update(carried_over=True, level="3")
    complete(report, editor)  # confirms and writes everything
    rows = {row.answer.pk: row.status for row in assignment_services.my_assignments(colleague)}
    assert rows == {first.pk: "written", second.pk: "written"}
    report_services.submit_report(report=report, by=editor)
    report_services.request_changes(
        report=report, by=coordinator, message="Un point", comments={first.pk: "Précisez"}
    )
    rows = {row.answer.pk: row.status for row in assignment_services.my_assignments(colleague)}
    assert rows == {first.pk: "changes_requested", second.pk: "written"}


def test_a_carried_over_answer_is_to_confirm(report, editor, colleague):
    first = first_answer(report)
    report.answers.filter(pk=first.pk).update(carried_over=True, level="3")
    assignment_services.assign(answer=first, assignee=colleague, by=editor)
    [row] = assignment_services.my_assignments(colleague)
    assert row.status == "to_confirm"


def test_a_whole_part_is_assigned_at_once(client, report, editor, colleague):
    client.force_login(editor)
    url = reverse("members:report_assign_section", args=[report.place.slug, 2026, 1])
    assert client.post(url, {"assignee": colleague.pk}).status_code == 302
    part = report.answers.filter(commitment__section__position=1)
    assert Assignment.objects.filter(answer__in=part, assignee=colleague).count() == part.count()
    # Giving it back to nobody frees them all.
    client.post(url, {"assignee": ""})
    assert not Assignment.objects.exists()


def test_rules_of_an_assignment(report, editor, viewer, colleague, outsider):
    first = first_answer(report)
    late = report.campaign.due_on + timedelta(days=1)
    with pytest.raises(assignment_services.AssignmentError, match="au plus tard"):
        assignment_services.assign(answer=first, assignee=colleague, by=editor, due_on=late)
    with pytest.raises(assignment_services.AssignmentError):
        assignment_services.assign(answer=first, assignee=viewer, by=editor)  # cannot write
    with pytest.raises(assignment_services.AssignmentError):
        assignment_services.assign(answer=first, assignee=outsider, by=editor)
    with pytest.raises(assignment_services.AssignmentError):
        assignment_services.assign(answer=first, assignee=colleague, by=viewer)
    assert not Assignment.objects.exists()


def test_a_sent_report_keeps_its_assignments(client, complete_report, editor, colleague):
    first = first_answer(complete_report)
    report_services.submit_report(report=complete_report, by=editor)
    client.force_login(editor)
    client.post(assign_url(first), {"assignee": colleague.pk})
    assert not Assignment.objects.exists()
    assert complete_report.status == Report.Status.SUBMITTED


def test_viewer_cannot_assign_outsider_gets_404(client, report, viewer, outsider, colleague):
    first = first_answer(report)
    client.force_login(viewer)
    assert client.post(assign_url(first), {"assignee": colleague.pk}).status_code == 403
    client.force_login(outsider)
    assert client.post(assign_url(first), {"assignee": colleague.pk}).status_code == 404
    assert not Assignment.objects.exists()


def test_a_member_who_leaves_frees_their_assignments_and_representatives_are_told(
    django_capture_on_commit_callbacks, report, editor, representative, colleague
):
    first, second = answers_in_order(report, 2)
    for answer in (first, second):
        assignment_services.assign(answer=answer, assignee=colleague, by=editor)
    membership = Membership.objects.get(user=colleague)
    with django_capture_on_commit_callbacks(execute=True):
        team_services.leave_place(membership=membership)
    assert not Assignment.objects.exists()
    event = PlaceEvent.objects.get(code=PlaceEvent.Code.ASSIGNMENTS_FREED)
    assert event.params["count"] == 2 and event.by == colleague
    [message] = mail.outbox
    assert message.to == [representative.email]
    assert first.commitment.t_title() in message.body


def test_a_removed_member_loses_what_they_held(
    django_capture_on_commit_callbacks, report, editor, representative, colleague
):
    assignment_services.assign(answer=first_answer(report), assignee=colleague, by=editor)
    with django_capture_on_commit_callbacks(execute=True):
        team_services.remove_member(
            membership=Membership.objects.get(user=colleague), by=representative
        )
    assert not Assignment.objects.exists()
    assert PlaceEvent.objects.get(code=PlaceEvent.Code.ASSIGNMENTS_FREED).by == representative


def test_my_commitments_queries_do_not_grow(client, report, editor, colleague, coordinator):
    client.force_login(colleague)
    counts = []
    for n in (1, 6):
        for answer in answers_in_order(report, n):
            assignment_services.assign(answer=answer, assignee=colleague, by=editor)
            thread_services.post_message(answer=answer, by=editor, body="À toi")
        with CaptureQueriesContext(connection) as context:
            response = client.get(reverse("members:my_commitments"))
        assert response.status_code == 200
        counts.append(len(context))
    assert counts[0] == counts[1]
    # session, user, the assignments with their answers, commitments, reports, places and
    # campaigns, and whether the coordination asked for changes (one query)
    assert counts[0] == 3


def test_my_commitments_only_lists_places_i_still_belong_to(client, report, editor, colleague):
    assignment_services.assign(answer=first_answer(report), assignee=colleague, by=editor)
    Membership.objects.filter(user=colleague).delete()  # bypassing the service
    client.force_login(colleague)
    assert "status-" not in client.get(reverse("members:my_commitments")).content.decode()


def test_report_page_queries_do_not_grow_with_holders_and_messages(
    client, report, editor, colleague, django_assert_num_queries
):
    page = reverse("members:report_detail", args=[report.place.slug, 2026])
    client.force_login(editor)
    client.get(page)
    with CaptureQueriesContext(connection) as before:
        client.get(page)
    for answer in report.answers.all():
        assignment_services.assign(answer=answer, assignee=colleague, by=editor)
        thread_services.post_message(answer=answer, by=colleague, body="Fait")
    with CaptureQueriesContext(connection) as after:
        html = client.get(page).content.decode()
    assert html.count(f"Confié à {colleague}") == 18 and "18 messages non lus" in html
    assert len(after) == len(before)
