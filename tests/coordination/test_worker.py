"""The production path: reminders queued in the database, sent by `manage.py db_worker`."""

import datetime

import pytest
import time_machine
from asgiref.local import Local
from django.core import mail
from django.core.management import call_command
from django.tasks import task_backends
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from members.models import Membership, ReminderLog
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.backend.DatabaseBackend"}}


def _reset_task_backends():
    # django.test does not reset the TASKS handler on override_settings: do it here.
    task_backends.__dict__.pop("settings", None)
    task_backends._connections = Local(task_backends.thread_critical)


@pytest.fixture
def database_tasks():
    with override_settings(TASKS=DATABASE_TASKS):
        _reset_task_backends()
        yield
    _reset_task_backends()


def test_reminders_go_through_the_database_worker(database_tasks):
    opens = datetime.date(2026, 3, 2)
    factories.CampaignFactory(year=2026, opens_on=opens, due_on=datetime.date(2026, 6, 30))
    place = factories.MemberPlaceFactory()
    representative = factories.MembershipFactory(
        place=place, role=Membership.Role.REPRESENTATIVE
    ).user
    moment = datetime.datetime.combine(
        opens, datetime.time(8), tzinfo=timezone.get_current_timezone()
    )
    mail.outbox.clear()
    with time_machine.travel(moment, tick=True):
        call_command("send_reminders", stdout=open("/dev/null", "w"))
        # Queued, logged, not sent yet.
        assert ReminderLog.objects.count() == 1
        assert DBTaskResult.objects.filter(status="READY").count() == 1
        assert mail.outbox == []

        call_command(
            "db_worker",
            "--batch",
            "--no-startup-delay",
            "--no-reload",
            stdout=open("/dev/null", "w"),
        )

    assert DBTaskResult.objects.filter(status="SUCCESSFUL").count() == 1
    assert [m.to for m in mail.outbox] == [[representative.email]]
