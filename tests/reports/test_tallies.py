"""The summary rows follow every change made through the services, and equal a rebuild."""

import datetime

import pytest
from django.core.management import call_command

from members import tallies
from members.models import LevelTally, Place, PlaceTally, Report, ReportTally
from members.services import places as place_services
from members.services import reports as report_services
from tests import factories

from .conftest import complete

pytestmark = pytest.mark.django_db


def assert_matches_rebuild():
    incremental = tallies.snapshot()
    tallies.rebuild()
    assert tallies.snapshot() == incremental


def test_scenario_through_the_services(
    place, signature, campaign, editor, representative, national
):
    other = factories.MemberPlaceFactory(departement="13", region="93", postcode="13001")
    tallies.rebuild()  # the factories bypass the services
    report = report_services.create_report(place=place, campaign=campaign, by=editor)
    complete(report, editor)
    report_services.submit_report(report=report, by=editor)
    assert_matches_rebuild()
    assert ReportTally.objects.filter(status=Report.Status.SUBMITTED).exists()

    report_services.request_changes(report=report, by=national, message="Précisez.")
    complete(report, editor, level="4")  # a sent report's answers change: heatmap follows
    assert_matches_rebuild()
    report_services.resubmit_report(report=report, by=editor)
    report_services.approve_report(report=report, by=national)
    report.refresh_from_db()
    assert report.is_published
    assert_matches_rebuild()

    report_services.set_publication(report=report, by=editor, publish=False)
    report.refresh_from_db()
    assert not report.is_published
    assert_matches_rebuild()
    report_services.set_publication(report=report, by=editor, publish=True)
    assert_matches_rebuild()
    assert LevelTally.objects.filter(published__gt=0).exists()

    place_services.suspend_place(place=place, by=national, reason="Enquête.")
    assert not Report.objects.get(pk=report.pk).is_published
    assert_matches_rebuild()
    place_services.reinstate_place(place=place, by=national)
    assert Report.objects.get(pk=report.pk).is_published
    assert_matches_rebuild()

    # The profile saved with another postcode (the portal's form and the admin save the model).
    place = Place.objects.get(pk=place.pk)
    place.postcode = "29200"
    place.set_location_from_postcode()
    place.save()
    assert not PlaceTally.objects.filter(departement="35").exists()
    assert PlaceTally.objects.filter(departement="29").exists()
    assert_matches_rebuild()

    factories.MembershipFactory(place=other, role="representative")
    representative_of_other = other.memberships.get().user
    factories.sign_with_the_service(
        other,
        version=signature.version,
        by=representative_of_other,
        signatory_name="Alex Martin",
        board_decision_date=signature.board_decision_date,
    )
    assert PlaceTally.objects.get(departement="13").signature_state == "current"
    assert_matches_rebuild()


def test_own_due_dates_through_the_services_and_the_admin(
    place, signature, campaign, representative, national
):
    """The places with a due date of their own (an extension granted, a newcomer) are summary
    rows too: an extension asked and granted through the services, a newcomer approved, the
    campaign's dates edited in the admin, each equal a rebuild; a sent report leaves them."""
    from members.models import DueTally, Extension
    from members.services import extensions

    tallies.rebuild()
    assert not DueTally.objects.exists()
    extension = extensions.request_extension(
        place=place, campaign=campaign, by=representative, reason="Assemblée reportée"
    )
    assert not DueTally.objects.exists()  # asked, not granted
    later = campaign.due_on + datetime.timedelta(days=20)
    extensions.grant_extension(extension=extension, by=national, due_on=later)
    row = DueTally.objects.get()
    assert (row.campaign, row.departement, row.report_status, row.due_on, row.places) == (
        campaign,
        "35",
        "",
        later,
        1,
    )
    assert_matches_rebuild()

    newcomer = factories.PlaceFactory(status=Place.Status.APPLICANT)
    place_services.approve_place(place=newcomer, by=national)
    assert DueTally.objects.filter(places=1).count() == 2
    assert_matches_rebuild()

    campaign.due_on += datetime.timedelta(days=100)  # edited in the admin: a plain save
    campaign.save()
    assert_matches_rebuild()
    Extension.objects.filter(pk=extension.pk).delete()
    assert_matches_rebuild()

    report = factories.ReportFactory(place=newcomer, campaign=campaign, status="draft")
    assert DueTally.objects.get(report_status=Report.Status.DRAFT).places == 1
    assert_matches_rebuild()
    Report.objects.filter(pk=report.pk).update(status=Report.Status.SUBMITTED)
    tallies.retally(places=[newcomer])  # as submit_report does
    assert not DueTally.objects.exists()


def test_rebuild_command_is_idempotent(place, signature):
    call_command("rebuild_stats")
    first = tallies.snapshot()
    call_command("rebuild_stats")
    assert tallies.snapshot() == first
    assert first["PlaceTally"]
