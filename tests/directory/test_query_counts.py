"""Public pages run a constant number of queries, whatever the number of places and reports."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from members import tallies
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def grow(listed_place, campaign, past_campaign):
    """grow(n): adds n listed places, each with activities, publics and two published reports."""
    created = []

    def add(n):
        for _ in range(n):
            place = listed_place(activities=["culture", "numerique"], publics=["familles"])
            factories.published_report(
                place, past_campaign, levels={"valeur-partage": "4"}, indicators={"benevoles": 5}
            )
            factories.published_report(
                place, campaign, levels={"valeur-partage": "3"}, indicators={"benevoles": 7}
            )
            created.append(place)
        return created

    return add


def count_queries(client, url):
    tallies.rebuild()  # the factories bypass the services that keep the summary rows
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        assert response.status_code == 200
        if response.streaming:
            b"".join(response.streaming_content)
    return len(queries)


# Expected queries, per page:
# /annuaire/ — 1 signature policy (charter versions, the version in force among them),
#   2 latest campaign, 3 activities, 4 publics, 5 commitments (filter choices), 6 count (the
#   summary rows when neither searched nor filtered), 7 one page of places with their badges,
#   8 their activities. The map view: no page, no activities.
# / — 1 policy, 2 key figures (one aggregate), 3 latest signatories.
# /observatoire/ (summary rows of members.tallies; each rebuild renews the fragment of its
#   figures, so these are the queries of a figures' first rendering) — 1 campaigns, 2 charter version,
#   3 published reports per campaign, 4 answers per campaign, 5 levels per commitment,
#   6 commitments' titles, 7 indicator totals, 8 the number and latest approval of the
#   campaign's published reports (what the cached medians are keyed by), 9 the medians
#   (computed once per change of those reports), 10 indicators, 11 places per région,
#   12 reports per région, 13 answers per région.
@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/annuaire/", 8),
        (
            "/annuaire/?q=maison&region=53&activite=culture&public=familles"
            "&engagement=valeur-partage",
            8,
        ),
        ("/annuaire/?page=2", 8),
        ("/annuaire/?vue=carte", 6),
        ("/", 3),
        ("/observatoire/", 13),
    ],
)
def test_constant_queries(client, grow, url, expected):
    grow(3)
    small = count_queries(client, url)
    grow(27)
    large = count_queries(client, url)
    assert (small, large) == (expected, expected)


# /annuaire/<slug>/ — 1 policy, 2 campaign, 3 the place with its badges, 4 activities,
#   5 publics, 6 its signature, 7 published reports, 8 their answers, 9 indicator values.
def test_place_page_constant_queries(client, grow):
    first = grow(1)[0]
    small = count_queries(client, f"/annuaire/{first.slug}/")
    grow(10)
    factories.published_report(
        first, factories.CampaignFactory(year=2020), indicators={"heures": 10, "salaries": 2}
    )
    large = count_queries(client, f"/annuaire/{first.slug}/")
    assert (small, large) == (9, 9)
