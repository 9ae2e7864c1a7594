"""A place is judged only on what it could do as a member (fair statuses)."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from members.models import Place, ReminderLog, ReportingStatus
from members.services import reports as report_services
from tests import factories

pytestmark = pytest.mark.django_db


def _approved(days_ago, **kwargs):
    place = factories.MemberPlaceFactory(**kwargs)
    Place.objects.filter(pk=place.pk).update(
        approved_at=timezone.now() - datetime.timedelta(days=days_ago)
    )
    place.refresh_from_db()
    factories.SignatureFactory(place=place)
    return place


@pytest.fixture
def closed_campaign(db):
    """Opened 200 days ago, due 100 days ago: late places are late, grace almost over."""
    return factories.past_campaign(year=2026, opened_days_ago=200, due_days_ago=100)


def _status(place, campaign):
    return Place.objects.with_reporting_status(campaign).get(pk=place.pk).reporting_status


def test_a_place_approved_today_is_not_judged_on_earlier_campaigns(client, closed_campaign):
    newcomer = _approved(0, name="Tout Nouveau Lieu")
    veteran = _approved(400, name="Lieu Ancien")
    assert _status(newcomer, closed_campaign) == ReportingStatus.NOT_EXPECTED
    assert _status(veteran, closed_campaign) == ReportingStatus.NON_COMMUNICATING
    # The place's own pages agree (Python rule = SQL rule).
    campaign = report_services.campaigns_for_place(newcomer)[0]
    assert campaign.status == ReportingStatus.NOT_EXPECTED
    # Publicly: no "en retard" nor "non communicant" for the newcomer.
    page = client.get(f"/annuaire/{newcomer.slug}/").content.decode().lower()
    assert "non communicant" not in page and "en retard" not in page
    veteran_page = client.get(f"/annuaire/{veteran.slug}/").content.decode().lower()
    assert "bilan : non communicant" in veteran_page
    # No late reminder for the newcomer.
    call_command("send_reminders", stdout=open("/dev/null", "w"))
    assert not ReminderLog.objects.filter(place=newcomer).exists()


def test_a_place_approved_during_a_campaign_gets_ninety_days(closed_campaign):
    today = timezone.localdate()
    running = factories.past_campaign(year=2027, opened_days_ago=30, due_days_ago=1)
    joined = _approved(10)  # approved while the campaign ran: due 80 days from now
    place = Place.objects.with_reporting_status(running).get(pk=joined.pk)
    assert place.reporting_status == ReportingStatus.NOT_STARTED
    assert place.effective_due_on == today + datetime.timedelta(days=80)
    assert report_services.effective_due_on(running, joined) == place.effective_due_on
    old = _approved(60)  # a member before the campaign opened: late since yesterday
    assert _status(old, running) == ReportingStatus.LATE


def _exported_statuses(client):
    """{slug: reporting_status} of the open-data CSV and JSON exports."""
    import csv
    import io
    import json

    text = b"".join(client.get("/annuaire/export.csv").streaming_content).decode("utf-8-sig")
    from_csv = {row["slug"]: row["reporting_status"] for row in csv.DictReader(io.StringIO(text))}
    payload = json.loads(b"".join(client.get("/annuaire/export.json").streaming_content))
    records = payload["places"] if isinstance(payload, dict) else payload
    from_json = {row["slug"]: row["reporting_status"] or "" for row in records}
    assert from_json == from_csv
    return from_csv


def test_open_data_judges_newcomers_as_the_directory_does(client, closed_campaign):
    """The exports apply the whole rule: a place approved after the campaign's due date is not
    expected (no status), one approved while it ran has ninety days; not "late" in open data
    while the directory says nothing."""
    newcomer = _approved(0, name="Tout Nouveau Lieu")
    veteran = _approved(400, name="Lieu Ancien")
    statuses = _exported_statuses(client)
    assert statuses[veteran.slug] == "non_communicating"
    assert statuses[newcomer.slug] == ""
    running = factories.past_campaign(year=2027, opened_days_ago=30, due_days_ago=1)
    joined = _approved(10, name="Lieu Arrivé Pendant La Campagne")
    statuses = _exported_statuses(client)
    assert _status(joined, running) == ReportingStatus.NOT_STARTED
    assert statuses[joined.slug] == "up_to_date"  # its 90 days run: not late
    assert statuses[veteran.slug] == "late"  # a member before the campaign opened
