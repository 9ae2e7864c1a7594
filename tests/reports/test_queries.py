"""Constant query counts on the report form and the review screen, whatever their size."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from members.models import Answer, Evidence, Report
from tests import factories

pytestmark = pytest.mark.django_db


def small_report(place):
    """A report against a 2-commitment charter version (a draft made for the test)."""
    version = factories.DraftVersionFactory()
    report = Report.objects.create(
        place=place, campaign=factories.CampaignFactory(year=2031), version=version
    )
    Answer.objects.bulk_create(
        Answer(report=report, commitment=c, level="2") for c in version.commitments.all()
    )
    return report


def add_evidence(report):
    for answer in report.answers.all():
        Evidence.objects.create(answer=answer, url="https://example.org/a", label="A")
        Evidence.objects.create(
            answer=answer, file=SimpleUploadedFile("b.pdf", b"%PDF-1.4"), label="B"
        )


def review_screen_queries(client, report):
    """How many queries the admin review screen of ``report`` runs, once warmed up."""
    page = reverse("admin:members_report_review", args=[report.pk])
    client.get(page)
    with CaptureQueriesContext(connection) as context:
        assert client.get(page).status_code == 200
    return len(context)


def test_section_form_queries_do_not_grow(client, place, report, editor, django_assert_num_queries):
    """Sections of 6, 5 and 7 commitments with evidence, and one of 2: same count."""
    add_evidence(report)
    client.force_login(editor)
    small = small_report(place)
    pages = [
        reverse("members:report_section", args=[place.slug, report.campaign.year, position])
        for position in (1, 2, 3)
    ] + [reverse("members:report_section", args=[place.slug, small.campaign.year, 1])]
    for page in pages:
        client.get(page)
        # session, user, membership+place, report+campaign+version, section, answers of the
        # section (+commitment, updated_by), their evidence, section counts, sections, unread
        # messages of the report's threads (one grouped query)
        with django_assert_num_queries(10):
            assert client.get(page).status_code == 200


def test_preview_queries_do_not_grow(client, place, report, editor, django_assert_num_queries):
    add_evidence(report)
    client.force_login(editor)
    small = small_report(place)
    for target in (report, small):
        page = reverse("members:report_preview", args=[place.slug, target.campaign.year])
        client.get(page)
        # session, user, membership, report, unanswered, values, required indicators,
        # answers, evidence, indicator values, campaign indicators, progress,
        # transitions
        with django_assert_num_queries(12):
            assert client.get(page).status_code == 200


def test_review_screen_queries_do_not_grow(
    client, place, report, coordinator, django_assert_num_queries
):
    add_evidence(report)
    small = small_report(place)
    client.force_login(coordinator)
    counts = [review_screen_queries(client, target) for target in (report, small)]
    assert report.answers.count() == 18 and small.answers.count() == 2
    assert counts[0] == counts[1]
    # session, user, report, answers (+section, updated_by), evidence, indicator values,
    # campaign indicators, transitions, plus the admin's own (app list for the sidebar)
    assert counts[0] <= 12
