"""Survey exports in the coordinators' admin: the territory only, never to members, and a
number of queries that does not grow with the places."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from members.models import Indicator, IndicatorValue, Report
from tests import factories
from tests.coordination.conftest import place_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey(db):
    campaign = factories.CampaignFactory(year=2026)
    return factories.external_survey(campaign)


def csv_url(survey):
    return reverse("admin:members_survey_export_csv", args=[survey.pk])


def xlsx_url(survey):
    return reverse("admin:members_survey_export_xlsx", args=[survey.pk])


def csv_places(response):
    assert response.status_code == 200
    raw = b"".join(response.streaming_content).decode("utf-8-sig")
    return {row[0] for row in list(csv.reader(io.StringIO(raw)))[1:]}


def xlsx_places(response):
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    return {row[0] for row in list(book.worksheets[0].iter_rows(values_only=True))[1:]}


def test_territorial_coordinator_exports_only_the_territory(
    client, territorial, survey, rennes, lyon, marseille, toulouse
):
    client.force_login(territorial)
    assert csv_places(client.get(csv_url(survey))) == {"Le Rennais", "La Lyonnaise"}
    assert xlsx_places(client.get(xlsx_url(survey))) == {"Le Rennais", "La Lyonnaise"}


def test_national_coordinator_exports_every_member_place(
    client, national, survey, rennes, marseille
):
    factories.PlaceFactory(name="Candidat, pas encore membre")
    client.force_login(national)
    assert csv_places(client.get(csv_url(survey))) == {"Le Rennais", "La Marseillaise"}


def test_staff_without_a_territory_exports_no_place(client, unscoped_staff, survey, rennes):
    client.force_login(unscoped_staff)
    assert csv_places(client.get(csv_url(survey))) == set()


@pytest.mark.parametrize("url", [csv_url, xlsx_url])
def test_a_member_never_reaches_the_export(client, url, survey, rennes):
    member = rennes.memberships.get().user
    client.force_login(member)
    response = client.get(url(survey))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    client.logout()
    assert client.get(url(survey)).status_code == 302


def test_territorial_coordinator_reads_surveys_but_never_changes_them(client, territorial, survey):
    client.force_login(territorial)
    assert client.get(reverse("admin:members_survey_change", args=[survey.pk])).status_code == 200
    import_url = reverse("admin:members_survey_import", args=[survey.pk])
    assert client.get(import_url).status_code == 404
    assert client.get(reverse("admin:members_survey_add")).status_code == 403


def test_unknown_survey_is_a_404(client, national, survey):
    client.force_login(national)
    assert client.get(reverse("admin:members_survey_export_csv", args=[999999])).status_code == 404


def test_a_place_name_is_never_a_formula(client, national, survey):
    place_in("35", "53", "35000", name='=HYPERLINK("http://x")')
    client.force_login(national)
    assert csv_places(client.get(csv_url(survey))) == {'\'=HYPERLINK("http://x")'}
    assert xlsx_places(client.get(xlsx_url(survey))) == {'\'=HYPERLINK("http://x")'}


def _network(survey, size):
    """``size`` places in Bretagne, each with an approved report holding an indicator value,
    commitment answers and an answer to a question asked."""
    benevoles = Indicator.objects.get(key="benevoles")
    asked = survey.fields.get(code="NB_PARTEN")
    for n in range(size):
        place = place_in("35", "53", "35000", name=f"Lieu {n}")
        report = factories.published_report(place, survey.campaign, status=Report.Status.APPROVED)
        IndicatorValue.objects.create(report=report, indicator=benevoles, value=10 + n)
        report.survey_answers.create(field=asked, value=str(n))


def _export_queries(client, url):
    client.get(url)  # session and permissions warmed
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("role", ["national", "territorial"])
@pytest.mark.parametrize("url", [csv_url, xlsx_url])
def test_export_queries_do_not_grow_with_the_places(client, request, role, url, survey):
    client.force_login(request.getfixturevalue(role))
    _network(survey, 2)
    small = _export_queries(client, url(survey))
    _network(survey, 5)
    assert _export_queries(client, url(survey)) == small


def test_export_query_count(client, national, survey, django_assert_num_queries):
    _network(survey, 3)
    client.force_login(national)
    client.get(csv_url(survey))
    # Session, user, its second factor, its permissions (own, groups'), national group; the
    # survey with its campaign, its fields with their indicators; the places, their sent
    # reports, the reports' indicator values, commitment answers and survey answers.
    with django_assert_num_queries(13):
        response = client.get(csv_url(survey))
        rows = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert len(rows) == 4
