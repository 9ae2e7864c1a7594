"""Nothing lost, nothing rewritten: the database refuses to update or delete signatures,
transitions, reminder logs and place history (members/triggers.py), on SQLite and PostgreSQL,
and still allows the two writes the portal needs: erasing a signature's connection data, and
SET NULL of the author when an account is deleted."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models import ProtectedError
from django.utils import timezone

from charter.models import Commitment
from members import triggers
from members.models import (
    Answer,
    Message,
    Place,
    PlaceEvent,
    PlaceTransition,
    ReminderLog,
    ReportTransition,
    Signature,
)
from members.services.history import record
from members.services.personal_data import delete_account
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def author():
    return factories.UserFactory(email="auteur@example.org")


@pytest.fixture
def rows(place, author):
    """One row of each append-only table, each written by ``author``."""
    signature = factories.SignatureFactory(place=place, signed_by=author)
    place_transition = PlaceTransition.objects.create(
        place=place, from_status="applicant", to_status="member", by=author, reason="Validé"
    )
    report = factories.ReportFactory(place=place)
    report_transition = ReportTransition.objects.create(
        report=report, from_status="draft", to_status="submitted", by=author
    )
    reminder = ReminderLog.objects.create(
        place=place,
        kind=ReminderLog.Kind.LATE,
        campaign=report.campaign,
        sent_on=timezone.localdate(),
        recipients="a@example.org",
        is_automatic=False,
        sent_by=author,
    )
    place.name = "Nouveau nom"
    place._history_user = author
    place.save()
    history = place.history.filter(history_user=author).get()
    event = record(place=place, code=PlaceEvent.Code.MEMBER_LEFT, by=author, person="Camille")
    answer = Answer.objects.create(
        report=report, commitment=Commitment.objects.filter(version=report.version).first()
    )
    message = Message.objects.create(
        answer=answer, author=author, side=Message.Side.PLACE, body="Premier jet"
    )
    return {
        "members_signature": (signature.pk, "signatory_name", "'Quelqu''un d''autre'"),
        "members_placetransition": (place_transition.pk, "reason", "'Réécrit'"),
        "members_reporttransition": (report_transition.pk, "to_status", "'approved'"),
        "members_reminderlog": (reminder.pk, "recipients", "'personne@example.org'"),
        "members_historicalplace": (history.history_id, "name", "'Réécrit'"),
        "members_placeevent": (event.pk, "code", "'member_removed'"),
        "members_message": (message.pk, "body", "'Réécrit'"),
    }


def _pk(table):
    return "history_id" if table == "members_historicalplace" else "id"


def _refused(sql, params=()):
    with pytest.raises(IntegrityError, match="append-only"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, params)


def test_triggers_are_installed():
    expected = (
        [f"{triggers.PREFIX}_{t}_{op}" for t in triggers.APPEND_ONLY for op in ("delete", "update")]
        if connection.vendor == "sqlite"
        else list(triggers.APPEND_ONLY)
    )
    assert triggers.installed(connection) == sorted(expected)


@pytest.mark.parametrize("table", list(triggers.APPEND_ONLY))
def test_raw_update_and_delete_are_refused(rows, table):
    pk, column, value = rows[table]
    _refused(f"UPDATE {table} SET {column} = {value} WHERE {_pk(table)} = %s", [pk])
    _refused(f"DELETE FROM {table} WHERE {_pk(table)} = %s", [pk])
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {table} WHERE {_pk(table)} = %s", [pk])
        assert cursor.fetchone() == (1,)


@pytest.mark.parametrize("table", list(triggers.APPEND_ONLY))
def test_the_author_may_not_be_replaced_by_someone_else(rows, table):
    column = triggers.APPEND_ONLY[table].user_columns[0]
    other = factories.UserFactory(email="autre@example.org")
    pk = rows[table][0]
    _refused(f"UPDATE {table} SET {column} = %s WHERE {_pk(table)} = %s", [other.pk, pk])


def test_connection_data_may_be_erased_and_nothing_else(rows):
    pk = rows["members_signature"][0]
    # Erasing while changing something else, or writing other connection data: refused.
    _refused(
        "UPDATE members_signature SET ip_address = NULL, signatory_name = 'X' WHERE id = %s", [pk]
    )
    _refused("UPDATE members_signature SET user_agent = 'Autre navigateur' WHERE id = %s", [pk])
    _refused("UPDATE members_signature SET ip_address = '203.0.113.9' WHERE id = %s", [pk])
    assert Signature.objects.filter(pk=pk).erase_connection_data() == 1
    signature = Signature.objects.get(pk=pk)
    assert (signature.ip_address, signature.user_agent) == (None, "")
    assert signature.signatory_name == "Camille Durand"


def test_deleting_an_account_keeps_the_records_without_their_author(rows, author):
    delete_account(user=author)
    assert Signature.objects.get(pk=rows["members_signature"][0]).signed_by is None
    assert PlaceTransition.objects.get(pk=rows["members_placetransition"][0]).by is None
    assert ReportTransition.objects.get(pk=rows["members_reporttransition"][0]).by is None
    assert ReminderLog.objects.get(pk=rows["members_reminderlog"][0]).sent_by is None
    history = Place.history.model.objects.get(history_id=rows["members_historicalplace"][0])
    assert history.history_user_id is None and history.name == "Nouveau nom"
    assert PlaceEvent.objects.get(pk=rows["members_placeevent"][0]).by is None
    message = Message.objects.get(pk=rows["members_message"][0])
    assert message.author is None and message.body == "Premier jet"


def test_a_place_or_report_with_records_cannot_be_deleted(author):
    """Places are withdrawn, never deleted: the ORM refuses a deletion that would take their
    records along (PROTECT, the admin's "protected objects" page), and the database refuses
    the cascade even without it."""
    report = factories.ReportFactory(place=factories.MemberPlaceFactory())
    ReportTransition.objects.create(report=report, to_status="submitted", by=author)
    bare = factories.PlaceFactory()
    PlaceTransition.objects.create(place=bare, to_status="applicant", by=author)
    for subject in (bare, report):
        with pytest.raises(ProtectedError), transaction.atomic():
            subject.delete()
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        PlaceTransition.objects.filter(place=bare)._raw_delete(connection.alias)
    assert Place.objects.filter(pk=bare.pk).exists()


def test_coordinators_cannot_delete_reminder_logs(client, coordinator, rows):
    client.force_login(coordinator)
    pk = rows["members_reminderlog"][0]
    response = client.get(f"/admin/members/reminderlog/{pk}/delete/")
    assert response.status_code in (302, 403)
    assert ReminderLog.objects.filter(pk=pk).exists()
