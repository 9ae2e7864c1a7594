"""Coordinators' screens: lists, the review screen and its decisions, extension actions."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse

from members.models import Extension, Indicator, Message, Report
from members.services import extensions as extension_services
from members.services import reports as report_services

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "name",
    [
        "admin:members_indicator_changelist",
        "admin:members_indicator_add",
        "admin:members_reportingcampaign_changelist",
        "admin:members_reportingcampaign_add",
        "admin:members_report_changelist",
        "admin:members_extension_changelist",
    ],
)
def test_admin_pages_answer(client, coordinator, report, name):
    client.force_login(coordinator)
    assert client.get(reverse(name)).status_code == 200


def test_report_list_filters(client, coordinator, report):
    client.force_login(coordinator)
    page = reverse("admin:members_report_changelist")
    assert report.place.name in client.get(page + "?region=53&status__exact=draft").text
    assert report.place.name not in client.get(page + "?region=11").text
    assert client.get(reverse("admin:members_report_change", args=[report.pk])).status_code == 200


def test_new_campaign_asks_every_indicator(client, coordinator):
    client.force_login(coordinator)
    response = client.get(reverse("admin:members_reportingcampaign_add"))
    assert response.context["adminform"].form.initial["indicators"] == list(
        Indicator.objects.values_list("pk", flat=True)
    )


def test_review_requests_changes_then_approves(
    client, coordinator, complete_report, editor, representative, django_capture_on_commit_callbacks
):
    report_services.submit_report(report=complete_report, by=editor)
    client.force_login(coordinator)
    page = reverse("admin:members_report_review", args=[complete_report.pk])
    response = client.get(page)
    assert response.status_code == 200
    answers = list(complete_report.answers.order_by("pk"))
    assert response.text.count('name="comment_') == 18

    response = client.post(page, {"decision": "request_changes", "message": ""})
    assert response.status_code == 200 and "Expliquez au lieu" in response.text
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            page,
            {
                "decision": "request_changes",
                "message": "Merci de préciser deux points.",
                f"comment_{answers[0].pk}": "Un exemple daté ?",
            },
        )
    assert response.status_code == 302
    complete_report.refresh_from_db()
    assert complete_report.status == Report.Status.CHANGES_REQUESTED
    # The comment opens the commitment's thread (nothing is overwritten any more).
    [message] = answers[0].messages.all()
    assert (message.body, message.side, message.author) == (
        "Un exemple daté ?",
        Message.Side.COORDINATION,
        coordinator,
    )
    answers[0].refresh_from_db()
    assert answers[0].reviewer_comment == ""
    assert sorted(m.to[0] for m in mail.outbox) == sorted([editor.email, representative.email])

    # No decision on a report that is not submitted.
    response = client.post(page, {"decision": "approve", "message": ""})
    complete_report.refresh_from_db()
    assert complete_report.status == Report.Status.CHANGES_REQUESTED
    assert "n’attend pas de décision" in client.get(page).text

    report_services.resubmit_report(report=complete_report, by=editor)
    response = client.post(page, {"decision": "approve", "message": "Bravo"})
    assert response.status_code == 302
    complete_report.refresh_from_db()
    assert complete_report.status == Report.Status.APPROVED
    assert complete_report.transitions.filter(message="Bravo", by=coordinator).exists()


def test_review_needs_staff(client, editor, report):
    client.force_login(editor)
    page = reverse("admin:members_report_review", args=[report.pk])
    assert client.get(page).status_code == 302  # to the admin login


def test_extension_grant_action(client, coordinator, place, campaign, representative):
    extension = extension_services.request_extension(
        place=place, campaign=campaign, by=representative, reason="Dégât des eaux"
    )
    client.force_login(coordinator)
    page = reverse("admin:members_extension_changelist")
    client.post(page, {"action": "grant", "_selected_action": [extension.pk], "due_on": ""})
    extension.refresh_from_db()
    assert extension.status == Extension.Status.PENDING
    new_due = campaign.due_on + datetime.timedelta(days=45)
    client.post(
        page, {"action": "grant", "_selected_action": [extension.pk], "due_on": new_due.isoformat()}
    )
    extension.refresh_from_db()
    assert (extension.status, extension.due_on, extension.decided_by) == (
        Extension.Status.GRANTED,
        new_due,
        coordinator,
    )


def test_extension_refuse_action(client, coordinator, place, campaign, representative):
    extension = extension_services.request_extension(
        place=place, campaign=campaign, by=representative, reason="Oubli"
    )
    client.force_login(coordinator)
    client.post(
        reverse("admin:members_extension_changelist"),
        {"action": "refuse", "_selected_action": [extension.pk]},
    )
    extension.refresh_from_db()
    assert extension.status == Extension.Status.REFUSED
