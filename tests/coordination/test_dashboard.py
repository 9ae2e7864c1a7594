"""Dashboard figures against hand-built data, scoped, with a constant number of queries."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from charter.models import CharterVersion
from members import tallies
from members.models import Answer, Membership, Place, Report, ReportingStatus
from members.stats import dashboard_figures
from tests import factories

pytestmark = pytest.mark.django_db


def _values(figures):
    return {figure["key"]: figure["value"] for figure in figures}


def build_network(n=1):
    """n copies of a small network in Bretagne, plus one place in Provence (out of scope)."""
    today = timezone.localdate()
    campaign = factories.CampaignFactory(
        opens_on=today - datetime.timedelta(days=100), due_on=today - datetime.timedelta(days=5)
    )
    commitments = list(CharterVersion.objects.current().commitments.order_by("pk")[:2])
    for _ in range(n):
        factories.PlaceFactory()  # applicant, no representative
        approved = factories.MemberPlaceFactory()
        factories.MembershipFactory(place=approved, role=Membership.Role.REPRESENTATIVE)
        factories.SignatureFactory(place=approved)
        report = factories.ReportFactory(
            place=approved,
            campaign=campaign,
            status=Report.Status.SUBMITTED,
            submitted_at=timezone.now(),
        )
        Answer.objects.create(report=report, commitment=commitments[0], level="3")
        Answer.objects.create(report=report, commitment=commitments[1], level="1")
        drafting = factories.MemberPlaceFactory()  # late: draft after the due date
        factories.MembershipFactory(place=drafting, role=Membership.Role.REPRESENTATIVE)
        factories.SignatureFactory(place=drafting)
        factories.ReportFactory(place=drafting, campaign=campaign)
        factories.MemberPlaceFactory(status=Place.Status.SUSPENDED)
    south = factories.MemberPlaceFactory(departement="13", region="93", postcode="13001")
    factories.ReportFactory(
        place=south, campaign=campaign, status=Report.Status.SUBMITTED, submitted_at=timezone.now()
    )
    tallies.rebuild()  # the factories bypass the services that keep the summary rows
    return campaign


def test_figures_national(national):
    campaign = build_network()
    figures = dashboard_figures(national)
    by_status = _values(figures["places_by_status"])
    assert by_status == {
        "applicant": 1,
        "member": 3,
        "rejected": 0,
        "suspended": 1,
        "withdrawn": 0,
    }
    assert figures["applications"]["value"] == 1
    # The applicant and the place in Provence have no representative.
    assert figures["without_representative"]["value"] == 2
    assert _values(figures["signatures"]) == {"current": 2, "awaiting": 0, "lapsed": 0, "none": 1}
    assert figures["campaign"] == campaign
    reporting = _values(figures["campaign_figures"])
    assert reporting[ReportingStatus.SUBMITTED] == 2
    assert reporting[ReportingStatus.LATE] == 1
    assert reporting[ReportingStatus.NOT_STARTED] == 0
    assert figures["review_count"] == 2
    heat = {
        row["key"]: {c["level"].value: c["count"] for c in row["cells"]}
        for row in figures["heatmap"]["rows"]
    }
    first, second = CharterVersion.objects.current().commitments.order_by("pk")[:2]
    assert heat[first.key]["3"] == 1 and heat[second.key]["1"] == 1
    assert figures["heatmap"]["total"] == 2
    assert len(figures["heatmap"]["rows"]) == CharterVersion.objects.current().commitments.count()


def test_figures_territorial_exclude_other_regions(territorial):
    build_network()
    figures = dashboard_figures(territorial)
    assert _values(figures["places_by_status"])["member"] == 2
    assert figures["without_representative"]["value"] == 1
    assert figures["review_count"] == 1
    assert [r.place.region for r in figures["review_queue"]] == ["53"]


def test_awaiting_and_lapsed_signatures(national):
    place = factories.MemberPlaceFactory()
    factories.SignatureFactory(place=place)
    factories.publish_version_2(when=timezone.now() - datetime.timedelta(days=1), grace_days=30)
    tallies.rebuild()  # what publishing a version triggers (members.apps)
    assert _values(dashboard_figures(national)["signatures"])["awaiting"] == 1
    with time_machine.travel(timezone.now() + datetime.timedelta(days=31)):
        tallies.rebuild()  # the daily rebuild_stats catches a signature lapsing
        assert _values(dashboard_figures(national)["signatures"])["lapsed"] == 1


def test_review_queue_oldest_first(national):
    campaign = factories.CampaignFactory()
    now = timezone.now()
    newer = factories.ReportFactory(
        campaign=campaign, status=Report.Status.SUBMITTED, submitted_at=now
    )
    older = factories.ReportFactory(
        campaign=campaign,
        status=Report.Status.SUBMITTED,
        submitted_at=now - datetime.timedelta(days=3),
    )
    assert dashboard_figures(national)["review_queue"] == [older, newer]


def _count_queries(user):
    user = type(user).objects.get(pk=user.pk)  # fresh: nothing cached on the instance
    with CaptureQueriesContext(connection) as context:
        dashboard_figures(user)
    return len(context.captured_queries)


@pytest.mark.parametrize("fixture", ["national", "territorial"])
def test_constant_query_count(fixture, request):
    user = request.getfixturevalue(fixture)
    build_network(1)
    small = _count_queries(user)
    build_network(5)
    assert _count_queries(user) == small
    # Summary rows: places by status, members by signature state, places without a
    # representative, reports by status (drafts included), heatmap, review count; the few
    # places with a due date of their own, their extensions and reports; the current
    # campaign, the commitments, the review queue; a territorial coordinator's group and scope.
    assert small <= 14


def test_admin_index_shows_the_dashboard(client, national):
    build_network()
    client.force_login(national)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Tableau de bord du réseau" in content
    assert 'class="lcp-heatmap"' in content
    assert "<caption>" in content
    assert "heat-4" in content
    assert reverse("coordination_exports:places") in content
    assert "style=" not in content.split('id="content"')[1].split("lcp-exports-title")[0]


def test_admin_index_in_english(client, national):
    national.language = "en"
    national.save()
    client.force_login(national)
    response = client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Coordination of the network of local community places" in html
    assert "Dashboard" in html
    assert "Tableau de bord" not in html and "Coordination du réseau" not in html


def test_figures_follow_teams_and_drafts_without_a_rebuild(national):
    """Places without a representative and reports being written are summary rows too: a team
    change or a new draft renews them in its own transaction (the models' signals), whatever
    wrote it."""
    build_network()
    before = dashboard_figures(national)
    assert before["without_representative"]["value"] == 2
    applicant = Place.objects.get(status=Place.Status.APPLICANT)
    membership = factories.MembershipFactory(place=applicant, role=Membership.Role.REPRESENTATIVE)
    assert dashboard_figures(national)["without_representative"]["value"] == 1
    membership.delete()
    assert dashboard_figures(national)["without_representative"]["value"] == 2

    campaign = factories.CampaignFactory(year=2031)  # open, due in the future
    drafting = Place.objects.filter(status=Place.Status.MEMBER, region="53").first()
    factories.ReportFactory(place=drafting, campaign=campaign)
    reporting = _values(dashboard_figures(national)["campaign_figures"])
    assert reporting[ReportingStatus.DRAFT] == 1
    assert sum(reporting.values()) == 3  # every member place, once
    assert tallies.snapshot() == _rebuilt()


def _rebuilt():
    tallies.rebuild()
    return tallies.snapshot()


def test_newcomers_are_judged_on_the_dashboard_as_in_the_place_list(client, national):
    """A place approved after the campaign's due date is not expected to report, one approved
    while it ran has ninety days: the dashboard counts them as the place list filters them."""
    campaign = build_network()  # due 5 days ago
    newcomer = factories.MemberPlaceFactory(name="Lieu Tout Neuf", approved_at=timezone.now())
    factories.SignatureFactory(place=newcomer)
    joined = factories.MemberPlaceFactory(name="Lieu Arrivé Pendant La Campagne")
    factories.SignatureFactory(place=joined)
    Place.objects.filter(pk=joined.pk).update(
        approved_at=timezone.now() - datetime.timedelta(days=20)
    )
    tallies.rebuild()
    reporting = _values(dashboard_figures(national)["campaign_figures"])
    assert reporting[ReportingStatus.NOT_EXPECTED] == 1
    assert reporting[ReportingStatus.NOT_STARTED] == 1
    assert reporting[ReportingStatus.LATE] == 1  # the draft of build_network, as before
    listed = Place.objects.filter(status=Place.Status.MEMBER).with_reporting_status(campaign)
    by_rule = {}
    for place in listed:
        by_rule[place.reporting_status] = by_rule.get(place.reporting_status, 0) + 1
    assert {k: v for k, v in reporting.items() if v} == by_rule


def test_an_extension_granted_moves_a_late_place_on_the_dashboard(national):
    """The late place of the network, given until next month, is writing its report again: its
    own due date, the latest of the extensions granted, counts (the place list agrees)."""
    from members.models import Extension

    campaign = build_network()
    drafting = Report.objects.get(status=Report.Status.DRAFT).place
    today = timezone.localdate()
    for days, status in [(10, Extension.Status.GRANTED), (30, Extension.Status.GRANTED)]:
        Extension.objects.create(
            place=drafting,
            campaign=campaign,
            reason="Assemblée générale reportée",
            status=status,
            due_on=today + datetime.timedelta(days=days),
        )
    reporting = _values(dashboard_figures(national)["campaign_figures"])
    assert reporting[ReportingStatus.LATE] == 0
    assert reporting[ReportingStatus.DRAFT] == 1
    place = Place.objects.with_reporting_status(campaign).get(pk=drafting.pk)
    assert place.reporting_status == ReportingStatus.DRAFT
    assert place.effective_due_on == today + datetime.timedelta(days=30)
