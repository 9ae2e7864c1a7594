"""Conversations on each commitment: rounds, unread counts, attachments, the admin's review."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from members.models import Membership, Message, Place, Report, ThreadRead
from members.services import reports as report_services
from members.services import threads as thread_services
from members.services.personal_data import delete_account
from tests import factories
from tests.security.helpers import XSS, assert_no_raw_payload

from .conftest import complete, first_answer

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def page(answer):
    report = answer.report
    return reverse(
        "members:report_commitment",
        args=[report.place.slug, report.campaign.year, answer.commitment.key],
    )


@pytest.fixture
def answer(sent, coordinator):
    """The sent report's first answer, on which the coordination asked for changes."""
    answer = first_answer(sent)
    report_services.request_changes(
        report=sent, by=coordinator, message="Deux points", comments={answer.pk: "Un exemple ?"}
    )
    return answer


def test_request_changes_opens_the_thread_and_rounds_stay_readable(
    client, sent, answer, editor, coordinator
):
    client.force_login(editor)
    response = client.post(page(answer), {"body": "Voici un exemple **daté**."})
    assert response.status_code == 302
    report_services.resubmit_report(report=sent, by=editor)
    report_services.request_changes(
        report=sent, by=coordinator, message="Encore", comments={answer.pk: "Et en 2025 ?"}
    )
    thread = thread_services.thread(answer)
    assert [(m.side, m.round, m.body) for m in thread] == [
        (Message.Side.COORDINATION, 1, "Un exemple ?"),
        (Message.Side.PLACE, 1, "Voici un exemple **daté**."),
        (Message.Side.COORDINATION, 2, "Et en 2025 ?"),
    ]
    html = client.get(page(answer)).content.decode()
    assert "Après l’envoi n° 1" in html and "Après l’envoi n° 2" in html
    assert "Un exemple ?" in html and "<strong>daté</strong>" in html
    # The section page shows what the coordination asks in this round only.
    section = reverse("members:report_section", args=[sent.place.slug, 2026, 1])
    section_html = client.get(section).content.decode()
    assert "Et en 2025 ?" in section_html and "Un exemple ?" not in section_html


def test_unread_counts_on_the_dashboard_and_the_report_until_the_thread_is_shown(
    client, sent, answer, editor
):
    client.force_login(editor)
    assert "1 message non lu" in client.get(reverse("members:dashboard")).content.decode()
    detail = reverse("members:report_detail", args=[sent.place.slug, 2026])
    assert "1 message non lu" in client.get(detail).content.decode()
    html = client.get(page(answer)).content.decode()
    assert "thread-new" in html  # shown as new once…
    assert "thread-new" not in client.get(page(answer)).content.decode()  # …then read
    assert "non lu" not in client.get(reverse("members:dashboard")).content.decode()
    assert "unread-total" not in client.get(detail).content.decode()
    # One's own messages are never unread.
    client.post(page(answer), {"body": "Réponse"})
    assert thread_services.unread_by_place(editor, [sent.place_id]) == {}


def test_dashboard_queries_do_not_grow_with_places_and_messages(client, coordinator):
    user = factories.UserFactory()

    def add_place_with_messages(n):
        place = factories.MemberPlaceFactory()
        factories.MembershipFactory(user=user, place=place, role=Membership.Role.EDITOR)
        factories.SignatureFactory(place=place)
        campaign = factories.CampaignFactory(year=2026) if not hasattr(user, "_c") else user._c
        user._c = campaign
        report = report_services.create_report(place=place, campaign=campaign, by=user)
        complete(report, user)
        report_services.submit_report(report=report, by=user)
        for answer in report.answers.all()[:n]:
            thread_services.post_message(
                answer=answer, by=coordinator, body="Question", as_coordinator=True
            )

    client.force_login(user)
    counts = []
    for n in (1, 3):
        add_place_with_messages(n)
        with CaptureQueriesContext(connection) as context:
            response = client.get(reverse("members:dashboard"))
        counts.append(len(context))
    assert counts[0] == counts[1]
    assert (
        response.content.decode().count("messages non lus")
        + response.content.decode().count("message non lu")
        == 2
    )


def test_viewers_read_the_thread_but_do_not_post_outsiders_get_404(
    client, sent, viewer, outsider, coordinator
):
    answer = first_answer(sent)
    thread_services.post_message(answer=answer, by=coordinator, body="Bonjour", as_coordinator=True)
    client.force_login(viewer)
    assert "Bonjour" in client.get(page(answer)).content.decode()
    assert client.post(page(answer), {"body": "Moi aussi"}).status_code == 403
    client.force_login(outsider)
    assert client.get(page(answer)).status_code == 404
    assert client.post(page(answer), {"body": "Intrus"}).status_code == 404
    assert Message.objects.count() == 1
    with pytest.raises(thread_services.ThreadError):
        thread_services.post_message(answer=answer, by=viewer, body="Par le service")
    with pytest.raises(thread_services.ThreadError):
        thread_services.post_message(answer=answer, by=outsider, body="x", as_coordinator=True)


def test_messages_are_sanitised_markdown(client, report, editor):
    answer = first_answer(report)
    client.force_login(editor)
    client.post(page(answer), {"body": XSS})
    assert_no_raw_payload(client.get(page(answer)).content, "thread")


def test_attachment_is_a_private_file_of_the_team(
    client, report, editor, outsider, settings, tmp_path
):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    answer = first_answer(report)
    client.force_login(editor)
    response = client.post(
        page(answer),
        {
            "body": "Le compte rendu",
            "attachment": SimpleUploadedFile("cr.pdf", PDF),
            "attachment_label": "Compte rendu",
        },
    )
    assert response.status_code == 302
    message = Message.objects.get()
    url = page(answer) + f"messages/{message.pk}/"
    assert url in client.get(page(answer)).content.decode()
    download = client.get(url)
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    # A file that lies about its type is refused, and nothing is posted.
    client.force_login(editor)
    response = client.post(
        page(answer),
        {"body": "Faux", "attachment": SimpleUploadedFile("x.pdf", b"<script>")},
    )
    assert response.status_code == 200 and Message.objects.count() == 1


def test_messages_outlive_their_authors_account(client, sent, editor, representative):
    answer = first_answer(sent)
    thread_services.post_message(answer=answer, by=editor, body="Mon avis")
    delete_account(user=editor)
    message = Message.objects.get()
    assert message.author is None and message.body == "Mon avis"
    client.force_login(representative)
    assert "compte supprimé" in client.get(page(answer)).content.decode()


def test_a_message_is_never_rewritten():
    assert "members_message" in __import__("members.triggers").triggers.APPEND_ONLY


def test_admin_review_shows_and_reads_the_threads(client, sent, editor, coordinator):
    answer = first_answer(sent)
    thread_services.post_message(answer=answer, by=editor, body="Précision de l’équipe")
    client.force_login(coordinator)
    review = reverse("admin:members_report_review", args=[sent.pk])
    html = client.get(review).content.decode()
    assert "Précision de l’équipe" in html and "thread-new" in html
    assert ThreadRead.objects.get(user=coordinator, answer=answer).last_read_id > 0
    assert "thread-new" not in client.get(review).content.decode()


def test_coordinator_writes_in_a_thread_outside_a_decision(client, sent, editor, coordinator):
    answer = first_answer(sent)
    report_services.approve_report(report=sent, by=coordinator)
    client.force_login(coordinator)
    url = reverse("admin:members_report_message", args=[sent.pk, answer.pk])
    assert client.get(url).status_code == 405
    assert client.post(url, {"body": "Bravo pour ce récit."}).status_code == 302
    message = Message.objects.get()
    assert (message.side, message.author, message.round) == (
        Message.Side.COORDINATION,
        coordinator,
        1,
    )
    assert sent.status == Report.Status.APPROVED


def test_coordinator_outside_the_territory_gets_404(client, sent, territorial):
    """A place in Isère, outside Bretagne and the Rhône."""
    Place.objects.filter(pk=sent.place_id).update(region="84", departement="38")
    sent.place.refresh_from_db()
    answer = first_answer(sent)
    client.force_login(territorial)
    assert client.get(reverse("admin:members_report_review", args=[sent.pk])).status_code == 404
    url = reverse("admin:members_report_message", args=[sent.pk, answer.pk])
    assert client.post(url, {"body": "Hors territoire"}).status_code == 404
    assert not Message.objects.exists()
    with pytest.raises(thread_services.ThreadError):
        thread_services.post_message(answer=answer, by=territorial, body="x", as_coordinator=True)


def test_review_screen_queries_do_not_grow_with_messages(client, place, sent, editor, coordinator):
    from .test_queries import review_screen_queries, small_report

    small = small_report(place)
    for report in (sent, small):
        for answer in report.answers.all():
            thread_services.post_message(answer=answer, by=editor, body="Un mot")
    client.force_login(coordinator)
    counts = [review_screen_queries(client, target) for target in (sent, small)]
    assert counts[0] == counts[1]


def test_my_messages_and_assignments_are_in_my_data(client, report, editor, representative):
    import json

    from members.services import assignments as assignment_services

    answer = first_answer(report)
    thread_services.post_message(answer=answer, by=editor, body="Mon message")
    thread_services.post_message(answer=answer, by=representative, body="Pas le mien")
    assignment_services.assign(answer=answer, assignee=editor, by=representative)
    client.force_login(editor)
    data = json.loads(client.get(reverse("members:account_data")).content)
    assert [m["body"] for m in data["messages"]] == ["Mon message"]
    assert [a["commitment"] for a in data["commitments_assigned"]] == [answer.commitment.key]
    assert data["notifications"] == "daily"
