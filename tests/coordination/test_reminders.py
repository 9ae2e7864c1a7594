"""Each reminder fires on its day, in the recipient's language, and only once."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from members.models import Extension, Membership, ReminderLog, Report
from members.services.reminders import (
    ReminderError,
    ReminderLimitError,
    due_reminders,
    send_manual_reminder,
)
from tests import factories

pytestmark = pytest.mark.django_db

Kind = ReminderLog.Kind
OPENS = datetime.date(2026, 3, 2)
DUE = datetime.date(2026, 6, 30)
GRACE = 60


def at(day):
    """Travel to 08:00 (Paris) on ``day``, when the daily cron runs."""
    moment = datetime.datetime.combine(
        day, datetime.time(8, 0), tzinfo=timezone.get_current_timezone()
    )
    return time_machine.travel(moment, tick=False)


@pytest.fixture
def campaign(db):
    return factories.CampaignFactory(year=2026, opens_on=OPENS, due_on=DUE, grace_days=GRACE)


@pytest.fixture
def team(place):
    """Representative (English), editor (French), viewer: the viewer never gets reminders."""
    representative = factories.MembershipFactory(
        place=place, role=Membership.Role.REPRESENTATIVE, user__language="en"
    ).user
    editor = factories.MembershipFactory(place=place, role=Membership.Role.EDITOR).user
    viewer = factories.MembershipFactory(place=place, role=Membership.Role.VIEWER).user
    return representative, editor, viewer


def run(day):
    mail.outbox.clear()
    with at(day):
        call_command("send_reminders", stdout=open("/dev/null", "w"))
    return [m for m in mail.outbox]


CAMPAIGN_DAYS = {
    Kind.CAMPAIGN_OPEN: OPENS,
    Kind.DUE_IN_30: DUE - datetime.timedelta(days=30),
    Kind.DUE_IN_7: DUE - datetime.timedelta(days=7),
    Kind.LATE: DUE + datetime.timedelta(days=1),
    # Non-communicating from DUE + GRACE + 1: 15 days before.
    Kind.NON_COMMUNICATING_IN_15: DUE + datetime.timedelta(days=GRACE + 1 - 15),
}


@pytest.mark.parametrize("kind", list(CAMPAIGN_DAYS))
def test_campaign_reminder_fires_on_its_day_and_once(kind, campaign, place, team):
    representative, editor, viewer = team
    day = CAMPAIGN_DAYS[kind]
    before = run(day - datetime.timedelta(days=1))
    assert not ReminderLog.objects.filter(kind=kind).exists(), before
    sent = run(day)
    log = ReminderLog.objects.get(kind=kind)
    assert log.place == place and log.campaign == campaign and log.sent_on == day
    assert log.is_automatic and log.sent_by is None
    assert {m.to[0] for m in sent} == {representative.email, editor.email}
    assert viewer.email not in log.recipients
    # The same day again, and the next day: nothing twice.
    assert run(day) == []
    assert not [m for m in run(day + datetime.timedelta(days=1)) if place.name in m.subject]
    assert ReminderLog.objects.filter(kind=kind).count() == 1


def test_missed_cron_is_caught_up_within_three_days(campaign, place, team):
    run(DUE - datetime.timedelta(days=28))  # two days late
    assert ReminderLog.objects.filter(kind=Kind.DUE_IN_30).count() == 1


def test_submitted_places_are_never_reminded(campaign, place, team):
    factories.ReportFactory(place=place, campaign=campaign, status=Report.Status.SUBMITTED)
    for day in CAMPAIGN_DAYS.values():
        assert run(day) == []
    assert not ReminderLog.objects.exists()


def test_extension_moves_the_due_date_reminders(campaign, place, team):
    new_due = DUE + datetime.timedelta(days=20)
    Extension.objects.create(
        place=place, campaign=campaign, reason="AG", status=Extension.Status.GRANTED, due_on=new_due
    )
    run(DUE + datetime.timedelta(days=1))
    assert not ReminderLog.objects.filter(kind=Kind.LATE).exists()
    run(new_due + datetime.timedelta(days=1))
    assert ReminderLog.objects.filter(kind=Kind.LATE).count() == 1


def test_emails_in_each_recipients_language(campaign, place, team):
    representative, editor, _viewer = team
    sent = {m.to[0]: m for m in run(CAMPAIGN_DAYS[Kind.DUE_IN_7])}
    # Month names come from Django's own catalogues: proof of the active language.
    assert "June" in sent[representative.email].body
    assert "juin" in sent[editor.email].body
    assert place.name in sent[editor.email].subject
    assert "&#x27;" not in sent[editor.email].body


def _publish_v2(published_at, grace_days=90):
    return factories.publish_version_2(when=published_at, grace_days=grace_days)


def test_resign_reminders(place, team):
    representative, editor, _viewer = team
    published = datetime.datetime(2026, 9, 1, 10, 0, tzinfo=timezone.get_current_timezone())
    with at(datetime.date(2026, 8, 1)):
        factories.SignatureFactory(place=place)
    signed_v2 = factories.MemberPlaceFactory()
    factories.MembershipFactory(place=signed_v2, role=Membership.Role.REPRESENTATIVE)
    v2 = _publish_v2(published, grace_days=90)
    factories.SignatureFactory(place=signed_v2, version=v2)

    assert run(datetime.date(2026, 8, 31)) == []
    sent = run(datetime.date(2026, 9, 1))
    assert [m.to for m in sent] == [[representative.email]]  # representatives only
    log = ReminderLog.objects.get(kind=Kind.RESIGN_REQUIRED)
    assert log.version == v2 and log.place == place
    assert run(datetime.date(2026, 9, 1)) == []

    deadline = datetime.date(2026, 11, 30)  # published + 90 days
    assert run(deadline - datetime.timedelta(days=31)) == []
    sent = run(deadline - datetime.timedelta(days=30))
    assert [m.to for m in sent] == [[representative.email]]
    assert ReminderLog.objects.get(kind=Kind.RESIGN_IN_30).version == v2
    assert run(deadline - datetime.timedelta(days=30)) == []


def test_resigned_places_get_no_reminder(place, team):
    published = datetime.datetime(2026, 9, 1, 10, 0, tzinfo=timezone.get_current_timezone())
    with at(datetime.date(2026, 8, 1)):
        factories.SignatureFactory(place=place)
    v2 = _publish_v2(published)
    factories.SignatureFactory(place=place, version=v2)
    assert run(datetime.date(2026, 9, 1)) == []


def test_invitation_pending_after_seven_days(place):
    with at(datetime.date(2026, 4, 1)):
        invitation = factories.InvitationFactory(place=place, email="nouvelle@example.org")
        accepted = factories.InvitationFactory(
            place=place, email="deja@example.org", accepted_at=timezone.now()
        )
    assert run(datetime.date(2026, 4, 7)) == []
    sent = run(datetime.date(2026, 4, 8))
    assert [m.to for m in sent] == [["nouvelle@example.org"]]
    log = ReminderLog.objects.get()
    assert log.invitation == invitation and log.kind == Kind.INVITATION_PENDING
    assert log.place == place
    assert run(datetime.date(2026, 4, 8)) == []
    assert run(datetime.date(2026, 4, 9)) == []
    assert not ReminderLog.objects.filter(invitation=accepted).exists()


def test_invitation_reminder_carries_the_accept_link(place, settings):
    settings.SITE_URL = "https://lcp.example.org"
    with at(datetime.date(2026, 4, 1)):
        invitation = factories.InvitationFactory(place=place, email="nouvelle@example.org")
    [message] = run(datetime.date(2026, 4, 8))
    accept_url = "https://lcp.example.org" + reverse("members:invitation", args=[invitation.token])
    assert accept_url in message.body
    assert invitation.token not in message.subject


def test_dry_run_sends_and_logs_nothing(campaign, place, team, capsys):
    mail.outbox.clear()
    with at(OPENS):
        call_command("send_reminders", "--dry-run")
    assert mail.outbox == []
    assert not ReminderLog.objects.exists()
    assert "1 reminder(s) due" in capsys.readouterr().out


def test_date_option_and_summary(campaign, place, team, capsys):
    call_command("send_reminders", "--date", OPENS.isoformat())
    out = capsys.readouterr().out
    assert "1 reminder(s) sent (campaign_open: 1)." in out
    assert ReminderLog.objects.get().sent_on == OPENS


def test_bad_date_is_a_clear_error():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("send_reminders", "--date", "30/06/2026")


def test_due_reminders_has_constant_queries(campaign):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for size in (2, 6):
        for _ in range(size):
            factories.MembershipFactory(place=factories.MemberPlaceFactory())
        with at(OPENS), CaptureQueriesContext(connection) as context:
            assert len(due_reminders()) == len(counts) * 2 + size
        counts.append(len(context.captured_queries))
    # campaigns, then per campaign: opening + 4 due-date kinds; versions x2; invitations.
    assert counts[0] == counts[1] == 9


# --- By hand ----------------------------------------------------------------------------------


def test_manual_reminder_is_logged_and_goes_once_a_day(campaign, place, team, coordinator):
    representative, editor, _viewer = team
    with at(DUE + datetime.timedelta(days=3)):
        mail.outbox.clear()
        send_manual_reminder(place=place, kind=Kind.LATE, by=coordinator)
        with pytest.raises(ReminderLimitError):
            send_manual_reminder(place=place, kind=Kind.LATE, by=coordinator)
    with at(DUE + datetime.timedelta(days=4)):
        send_manual_reminder(place=place, kind=Kind.LATE, by=coordinator)
    assert (
        ReminderLog.objects.filter(kind=Kind.LATE, sent_by=coordinator, is_automatic=False).count()
        == 2
    )
    assert len(mail.outbox) == 4
    # The automatic one still goes out (manual reminders do not count for the cron).
    assert ReminderLog.objects.filter(is_automatic=True).count() == 0


def test_manual_reminder_refused_when_report_sent(campaign, place, team, coordinator):
    factories.ReportFactory(place=place, campaign=campaign, status=Report.Status.SUBMITTED)
    with at(DUE), pytest.raises(ReminderError):
        send_manual_reminder(place=place, kind=Kind.DUE_IN_7, by=coordinator)
    assert not ReminderLog.objects.exists()
