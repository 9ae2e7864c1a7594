"""manage.py seed_demo: deterministic, valid, counted, resettable, fast at small sizes."""

import re
import time
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Sum

from charter.models import Commitment
from members import geography
from members.demo.builder import DEMO_EMAIL_DOMAIN, demo_data, demo_places, demo_users, reset_demo
from members.models import (
    Answer,
    Indicator,
    IndicatorValue,
    Membership,
    Place,
    Report,
    ReportingCampaign,
    ReportingStatus,
    Signature,
    User,
)
from members.validators import luhn_is_valid
from tests import factories

pytestmark = pytest.mark.django_db

RNA_RE = re.compile(r"^W\d{9}$")


def seed(**options):
    out = StringIO()
    call_command("seed_demo", stdout=out, **options)
    return out.getvalue()


def snapshot():
    """Everything that must only depend on the seed."""
    places = list(
        demo_places()
        .order_by("slug")
        .values_list("name", "slug", "rna", "siret", "postcode", "commune", "status")
    )
    codes = sorted(Signature.objects.values_list("verification_code", flat=True))
    levels = list(
        Answer.objects.order_by(
            "report__place__slug", "report__campaign__year", "commitment__key"
        ).values_list("level", flat=True)
    )
    emails = sorted(demo_users().values_list("email", flat=True))
    return places, codes, levels, emails


def test_luhn_helper_matches_the_factories():
    assert luhn_is_valid(factories.siret_with_luhn(1234))
    assert not luhn_is_valid("12345678901234")


def test_same_seed_gives_the_same_network():
    seed(places=25, campaigns=3, seed=7)
    first = snapshot()
    seed(places=25, campaigns=3, seed=7, reset=True)
    assert snapshot() == first
    assert len(first[0]) == 25


def test_another_seed_gives_another_network():
    seed(places=25, campaigns=3, seed=7)
    first = snapshot()
    seed(places=25, campaigns=3, seed=8, reset=True)
    assert snapshot()[0] != first[0]


def test_counts_are_respected():
    output = seed(places=60, campaigns=4, seed=3)
    places = demo_places()
    assert places.count() == 60
    years = list(ReportingCampaign.objects.order_by("year").values_list("year", flat=True))
    assert len(years) == 4 and years == list(range(years[0], years[0] + 4))
    reports = Report.objects.filter(place__in=places)
    assert 0 < reports.count() <= 60 * 4
    assert f"reports              {reports.count()}" in output
    # One answer per commitment of the report's version, no more, no less.
    per_version = {
        v: Commitment.objects.filter(version=v).count()
        for v in reports.values_list("version", flat=True).distinct()
    }
    for report in reports.only("version_id"):
        assert report.answers.count() == per_version[report.version_id]
    # Every place has a representative; only places that were members signed.
    for place in places:
        assert place.memberships.filter(role=Membership.Role.REPRESENTATIVE).count() == 1
        has_signature = place.signatures.exists()
        assert has_signature == (place.approved_at is not None)


def test_identifiers_and_geography_are_valid():
    seed(places=200, campaigns=2, seed=11)
    places = list(demo_places())
    rnas = [p.rna for p in places if p.rna]
    sirets = [p.siret for p in places if p.siret]
    assert len(set(rnas)) == len(rnas) and len(set(sirets)) == len(sirets)
    communes = {(c[0], pc): (c[2], c[3]) for c in demo_data.COMMUNES for pc in c[1]}
    for place in places:
        assert place.rna or place.siret
        assert not place.rna or RNA_RE.match(place.rna), place.rna
        assert not place.siret or (len(place.siret) == 14 and luhn_is_valid(place.siret)), (
            place.siret
        )
        assert place.departement == geography.departement_for_postcode(place.postcode)
        assert place.region == geography.region_for_departement(place.departement)
        lat, lon = communes[(place.commune, place.postcode)]
        assert abs(place.latitude - lat) < 0.2 and abs(place.longitude - lon) < 0.2
        assert place.public_email.endswith(f"@{DEMO_EMAIL_DOMAIN}")
    # Spread over the country: Corsica and overseas included at this size.
    regions = {p.region for p in places}
    assert len(regions) >= 12


def test_table_covers_corsica_and_overseas():
    departements = {
        geography.departement_for_postcode(pc) for c in demo_data.COMMUNES for pc in c[1]
    }
    assert None not in departements
    assert {"2A", "2B", "971", "972", "973", "974", "975", "976"} <= departements
    regions = {geography.region_for_departement(d) for d in departements}
    assert set(geography.REGIONS) <= regions  # every région, overseas included


def test_statuses_levels_and_late_places_vary():
    seed(places=150, campaigns=3, seed=5)
    statuses = set(demo_places().values_list("status", flat=True))
    assert {Place.Status.MEMBER, Place.Status.APPLICANT} <= statuses
    levels = set(Answer.objects.values_list("level", flat=True))
    assert {"0", "1", "2", "3", "4"} <= levels
    current = ReportingCampaign.objects.order_by("-year").first()
    report_statuses = set(current.reports.values_list("status", flat=True))
    assert {Report.Status.APPROVED, Report.Status.SUBMITTED, Report.Status.DRAFT} <= report_statuses
    members = demo_places().filter(status=Place.Status.MEMBER)
    reporting = set(
        members.with_reporting_status(current).values_list("reporting_status", flat=True)
    )
    assert ReportingStatus.LATE in reporting
    past = ReportingCampaign.objects.order_by("year").first()
    reporting = set(members.with_reporting_status(past).values_list("reporting_status", flat=True))
    assert ReportingStatus.NON_COMMUNICATING in reporting
    assert Place.objects.listed().filter(pk__in=demo_places()).exists()


def test_demo_users_cannot_log_in():
    seed(places=10, campaigns=1, seed=2)
    users = list(demo_users())
    assert users and not any(u.has_usable_password() for u in users)


def test_indicator_values_respect_bounds():
    """The default indicators (data migration) are asked and answered within their bounds."""
    indicators = list(Indicator.objects.all())
    assert len(indicators) >= 10
    seed(places=30, campaigns=2, seed=4)
    sent = Report.objects.exclude(status=Report.Status.DRAFT).count()
    assert IndicatorValue.objects.count() == len(indicators) * sent > 0
    for value in IndicatorValue.objects.select_related("indicator"):
        low, high = value.indicator.min_value, value.indicator.max_value
        assert low is None or value.value >= low, value
        assert high is None or value.value <= high, value
    for campaign in ReportingCampaign.objects.all():
        assert campaign.indicators.count() == len(indicators)


def test_reset_removes_only_demo_data():
    real = factories.SignatureFactory()  # a real member place and its signature
    factories.ReportFactory(place=real.place)
    owner = factories.MembershipFactory(place=real.place).user
    seed(places=20, campaigns=2, seed=1)
    assert demo_places().count() == 20
    output = seed(places=8, campaigns=2, seed=1, reset=True)
    assert "20 lieux" in output
    assert demo_places().count() == 8
    assert Place.objects.count() == 9
    assert Signature.objects.filter(place=real.place).count() == 1
    assert Report.objects.filter(place=real.place).count() == 1
    assert User.objects.filter(pk=owner.pk).exists()
    assert reset_demo() == 8
    assert not demo_places().exists() and not demo_users().exists()
    assert Answer.objects.filter(report__place__in=demo_places()).count() == 0
    # Campaigns created by the demo go once empty; the real place's campaign stays.
    assert list(ReportingCampaign.objects.all()) == [Report.objects.get().campaign]


def test_reset_removes_what_people_added_on_demo_places():
    from members.models import Assignment, Message, PeerInvitation, ThreadRead

    seed(places=5, campaigns=1, seed=1)
    answer = Answer.objects.filter(report__place__in=demo_places()).select_related("report").first()
    author = factories.UserFactory()
    message = Message.objects.create(answer=answer, author=author, side="place", body="Essai")
    ThreadRead.objects.create(user=author, answer=answer, last_read_id=message.pk)
    Assignment.objects.create(answer=answer, assignee=author)
    PeerInvitation.objects.create(report=answer.report, peer=factories.MemberPlaceFactory())
    reset_demo()
    assert not Message.objects.exists() and not ThreadRead.objects.exists()
    assert not Assignment.objects.exists() and not PeerInvitation.objects.exists()


def test_every_demo_place_has_its_history_and_reset_removes_it():
    """A newcomer's demo shows each place's life on its history page: its status changes,
    signatures and reports, as the migration reads earlier records."""
    from members.models import PlaceEvent

    real = factories.MemberPlaceFactory()
    seed(places=6, campaigns=2, seed=1)
    for place in demo_places():
        codes = set(place.events.values_list("code", flat=True))
        assert PlaceEvent.Code.PLACE_STATUS in codes, place
    assert PlaceEvent.objects.filter(code=PlaceEvent.Code.REPORT_STATUS).exists()
    assert PlaceEvent.objects.filter(code=PlaceEvent.Code.CHARTER_SIGNED).exists()
    assert not real.events.exists()  # the real place's history is not invented
    reset_demo()
    assert not PlaceEvent.objects.filter(place__in=demo_places()).exists()
    assert PlaceEvent.objects.count() == 0


def test_the_demo_counts_in_the_summary_rows():
    """The figures of the home page, the observatory and the coordinators' dashboard are read
    from summary rows: a newcomer's demo shows its places there at once, not zeros until the
    nightly rebuild_stats."""
    from members import tallies
    from members.models import PlaceTally, ReportTally

    seed(places=12, campaigns=2, seed=3)
    assert PlaceTally.objects.aggregate(n=Sum("places"))["n"] == Place.objects.count()
    assert ReportTally.objects.aggregate(n=Sum("reports"))["n"] == Report.objects.count()
    seeded = tallies.snapshot()
    tallies.rebuild()
    assert tallies.snapshot() == seeded


def test_if_empty_skips_a_populated_database():
    factories.PlaceFactory()
    output = seed(places=5, if_empty=True)
    assert "existent déjà" in output
    assert not demo_places().exists()


def test_invalid_arguments_are_refused():
    with pytest.raises(CommandError):
        seed(places=-1)


def test_small_network_is_fast():
    start = time.perf_counter()
    seed(places=40)
    assert time.perf_counter() - start < 10  # ~0.5 s on a laptop; generous for shared CI


def test_make_run_seeds_a_small_network_unless_demo_0():
    makefile = (Path(__file__).resolve().parents[2] / "Makefile").read_text()
    assert (
        '@if [ "$(DEMO)" != "0" ]; then $(PY) manage.py seed_demo --places 40 --if-empty'
        in makefile
    )


def test_budget_parts_add_up_to_the_total():
    seed(places=15, campaigns=1, seed=7)
    values = {}
    for value in IndicatorValue.objects.filter(indicator__key__startswith="budget-"):
        values.setdefault(value.report_id, {})[value.indicator.key] = value.value
    assert values
    for parts in values.values():
        total = parts.pop("budget-total")
        assert sum(parts.values()) == total
