"""Derived states: signature validity over time, listed places, reporting status."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from members.models import (
    Extension,
    Place,
    Report,
    ReportingStatus,
    Signature,
    SignaturePolicy,
)
from tests import factories

pytestmark = pytest.mark.django_db


def _publish_v2(requires_resigning, grace_days=30, when=None):
    return factories.publish_version_2(
        when=when, requires_resigning=requires_resigning, grace_days=grace_days
    )


def test_signature_current_then_awaiting_then_lapsed():
    signature = factories.SignatureFactory()
    assert signature.state() == Signature.State.CURRENT
    start = timezone.now()
    _publish_v2(requires_resigning=True, grace_days=30, when=start)
    assert signature.state() == Signature.State.AWAITING
    with time_machine.travel(start + datetime.timedelta(days=29)):
        assert signature.state() == Signature.State.AWAITING
        assert Place.objects.listed().filter(pk=signature.place.pk).exists()
    with time_machine.travel(start + datetime.timedelta(days=31)):
        assert signature.state() == Signature.State.LAPSED
        assert not Place.objects.listed().exists()


def test_minor_new_version_keeps_signatures_current():
    signature = factories.SignatureFactory()
    _publish_v2(requires_resigning=False)
    assert signature.state() == Signature.State.CURRENT


def test_resigning_supersedes_older_signature():
    signature = factories.SignatureFactory()
    v2 = _publish_v2(requires_resigning=True)
    newer = factories.SignatureFactory(place=signature.place, version=v2)
    assert signature.state() == Signature.State.SUPERSEDED
    assert newer.state() == Signature.State.CURRENT
    policy = SignaturePolicy()
    assert policy.resign_version == v2 and policy.deadline > timezone.now()


@pytest.mark.parametrize(
    ("status", "is_public", "signed", "listed"),
    [
        (Place.Status.MEMBER, True, True, True),
        (Place.Status.MEMBER, False, True, False),
        (Place.Status.MEMBER, True, False, False),
        (Place.Status.APPLICANT, True, True, False),
        (Place.Status.SUSPENDED, True, True, False),
        (Place.Status.WITHDRAWN, True, True, False),
    ],
)
def test_listing_rules(status, is_public, signed, listed):
    place = factories.MemberPlaceFactory(status=status, is_public=is_public)
    if signed:
        factories.SignatureFactory(place=place)
    assert Place.objects.listed().filter(pk=place.pk).exists() is listed


def test_reporting_status_from_dates():
    today = timezone.localdate()
    campaign = factories.CampaignFactory(
        opens_on=today - datetime.timedelta(days=200),
        due_on=today - datetime.timedelta(days=10),
        grace_days=30,
    )
    late = factories.MemberPlaceFactory()
    gone = factories.MemberPlaceFactory()
    sent = factories.MemberPlaceFactory()
    extended = factories.MemberPlaceFactory()
    factories.ReportFactory(place=sent, campaign=campaign, status=Report.Status.SUBMITTED)
    factories.ReportFactory(place=late, campaign=campaign)  # a draft only
    Extension.objects.create(
        place=extended,
        campaign=campaign,
        reason="Changement de bureau",
        status=Extension.Status.GRANTED,
        due_on=today + datetime.timedelta(days=5),
    )
    statuses = dict(
        Place.objects.with_reporting_status(campaign).values_list("pk", "reporting_status")
    )
    assert statuses[late.pk] == ReportingStatus.LATE
    assert statuses[sent.pk] == ReportingStatus.SUBMITTED
    assert statuses[extended.pk] == ReportingStatus.NOT_STARTED
    with time_machine.travel(timezone.now() + datetime.timedelta(days=25)):
        statuses = dict(
            Place.objects.with_reporting_status(campaign).values_list("pk", "reporting_status")
        )
    assert statuses[gone.pk] == ReportingStatus.NON_COMMUNICATING
    assert statuses[extended.pk] == ReportingStatus.LATE


def test_markdown_is_sanitised():
    from core.markdown import render_markdown

    html = render_markdown(
        "**gras** <script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror=alert(1)>"
    )
    assert "<strong>gras</strong>" in html
    assert "<script" not in html and "javascript:" not in html and "onerror" not in html


def test_a_list_typed_right_after_a_line_of_text_is_a_list():
    from core.markdown import render_markdown

    html = render_markdown(
        "Nos actions :\r\n- un atelier\r\n- un repas\r\n\r\nEnsuite :\n1. un\n2. deux"
    )
    assert "<p>Nos actions :</p>\n<ul>\n<li>un atelier</li>\n<li>un repas</li>\n</ul>" in html
    assert "<ol>\n<li>un</li>\n<li>deux</li>\n</ol>" in html
    assert (
        render_markdown("moins - que prévu\n-5 degrés") == "<p>moins - que prévu<br>\n-5 degrés</p>"
    )
