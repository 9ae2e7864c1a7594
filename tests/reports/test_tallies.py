"""The summary rows follow every change made through the services, and equal a rebuild."""

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


def test_rebuild_command_is_idempotent(place, signature):
    call_command("rebuild_stats")
    first = tallies.snapshot()
    call_command("rebuild_stats")
    assert tallies.snapshot() == first
    assert first["PlaceTally"]
