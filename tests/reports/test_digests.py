"""E-mail about new messages: one digest per person per day at most, in their language,
through core.mail; never one e-mail per message."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from members.models import NotificationSetting
from members.services import threads as thread_services

from .conftest import answers_in_order

pytestmark = pytest.mark.django_db
Frequency = NotificationSetting.Frequency


def coordinator_writes(report, coordinator, n=3):
    for answer in answers_in_order(report, n):
        thread_services.post_message(
            answer=answer, by=coordinator, body="Une question", as_coordinator=True
        )


def to(address):
    return [m for m in mail.outbox if m.to == [address]]


def test_one_daily_digest_per_person_whatever_the_number_of_messages(
    sent, editor, representative, viewer, coordinator
):
    coordinator_writes(sent, coordinator, n=3)
    assert mail.outbox == []  # never an e-mail per message
    sent_to = thread_services.send_daily_digests()
    assert {user: count for user, count in sent_to.items()} == {
        editor: 3,
        representative: 3,
        viewer: 3,
    }
    message = to(editor.email)[0]
    assert message.subject == "3 nouveaux messages sur vos bilans"
    for answer in answers_in_order(sent, 3):
        assert answer.commitment.t_title() in message.body
    url = reverse("members:report_commitment", args=[sent.place.slug, 2026, answer.commitment.key])
    assert url in message.body and reverse("members:account") in message.body
    # The coordinator wrote them: nothing for them. Re-running the same day sends nothing.
    assert to(coordinator.email) == []
    mail.outbox.clear()
    assert thread_services.send_daily_digests() == {}
    assert mail.outbox == []


def test_the_next_day_only_what_is_new_and_unread(client, sent, editor, coordinator):
    coordinator_writes(sent, coordinator, n=1)
    thread_services.send_daily_digests()
    mail.outbox.clear()
    tomorrow = timezone.now() + timedelta(hours=25)
    # Nothing new: nothing sent.
    assert editor not in thread_services.send_daily_digests(now=tomorrow)
    # One new message, read on the page before the digest: nothing either.
    second = answers_in_order(sent, 2)[1]
    thread_services.post_message(
        answer=second, by=coordinator, body="Et ici ?", as_coordinator=True
    )
    client.force_login(editor)
    client.get(
        reverse("members:report_commitment", args=[sent.place.slug, 2026, second.commitment.key])
    )
    assert editor not in thread_services.send_daily_digests(now=tomorrow)


def test_the_digest_is_in_the_readers_language(sent, editor, coordinator):
    editor.language = "en"
    editor.save()
    coordinator_writes(sent, coordinator, n=1)
    thread_services.send_daily_digests()
    [message] = to(editor.email)
    assert message.subject == "1 new message about your reports"
    assert "Here are the new messages" in message.body


def test_never_means_never(client, sent, editor, coordinator):
    client.force_login(editor)
    response = client.post(reverse("members:notifications"), {"frequency": Frequency.NEVER})
    assert response.status_code == 302
    coordinator_writes(sent, coordinator)
    thread_services.send_daily_digests()
    assert to(editor.email) == []


def test_immediately_sends_at_the_first_message_then_waits_a_day(
    django_capture_on_commit_callbacks, sent, editor, representative, coordinator
):
    thread_services.set_frequency(user=editor, frequency=Frequency.IMMEDIATELY)
    first, second = answers_in_order(sent, 2)
    with django_capture_on_commit_callbacks(execute=True):
        thread_services.post_message(
            answer=first, by=coordinator, body="Premier", as_coordinator=True
        )
    assert len(to(editor.email)) == 1
    assert to(representative.email) == []  # daily: waits for the daily run
    with django_capture_on_commit_callbacks(execute=True):
        thread_services.post_message(
            answer=second, by=coordinator, body="Second", as_coordinator=True
        )
    assert len(to(editor.email)) == 1  # one a day at most
    thread_services.send_daily_digests()
    assert len(to(editor.email)) == 1 and len(to(representative.email)) == 1
    # The next day, the second message (not yet told about) goes out.
    sent_to = thread_services.send_daily_digests(now=timezone.now() + timedelta(hours=25))
    assert sent_to[editor] == 1 and representative not in sent_to


def test_the_daily_command_sends_the_digests(sent, editor, coordinator, capsys):
    coordinator_writes(sent, coordinator, n=2)
    call_command("send_reminders")
    assert "digest(s) sent" in capsys.readouterr().out
    assert len(to(editor.email)) == 1
    call_command("send_reminders")
    assert len(to(editor.email)) == 1


def test_the_notifications_page(client, editor):
    client.force_login(editor)
    page = client.get(reverse("members:notifications"))
    assert page.status_code == 200 and "Un résumé par jour" in page.content.decode()
    client.post(reverse("members:notifications"), {"frequency": Frequency.IMMEDIATELY})
    assert thread_services.frequency(editor) == Frequency.IMMEDIATELY
    client.logout()
    assert client.get(reverse("members:notifications")).status_code == 302
