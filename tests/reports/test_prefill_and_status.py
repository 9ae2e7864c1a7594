"""Pre-fill across charter versions (by commitment key) and statuses derived from dates."""

import datetime

import pytest
import time_machine

from charter.models import CharterVersion, Commitment
from charter.services import create_draft_from, publish_version
from members.models import Answer, Evidence, Place, Report, ReportingStatus
from members.services import extensions as extension_services
from members.services import reports as report_services
from tests import factories

pytestmark = pytest.mark.django_db


def publish_version_2():
    """Version 2, drafted from version 1 and published through the charter services.

    Removed: valeur-laicite. Added: valeur-ecologie. Kept (reworded): valeur-partage.
    """
    draft = create_draft_from(version=CharterVersion.objects.get(number=1), by=None)
    draft.commitments.get(key="valeur-laicite").delete()
    partage = draft.commitments.get(key="valeur-partage")
    partage.text += " Reformulé."
    partage.save()
    Commitment.objects.create(
        version=draft,
        section=draft.sections.get(position=1),
        key="valeur-ecologie",
        position=99,
        title="Écologie",
        text="…",
    )
    return publish_version(version=draft, by=None, requires_resigning=False, grace_period_days=0)


def test_prefill_across_two_charter_versions(place, signature, editor, coordinator):
    old_campaign = factories.CampaignFactory(year=2025)
    old = report_services.create_report(place=place, campaign=old_campaign, by=editor)
    assert old.version.number == 1
    by_key = {a.commitment.key: a for a in old.answers.select_related("commitment")}
    Answer.objects.filter(report=old).update(level="2", narrative="Récit 2025")
    Answer.objects.filter(pk=by_key["valeur-partage"].pk).update(
        level="4", narrative="Nous partageons tout.", actions="Repair café"
    )
    Evidence.objects.create(
        answer=by_key["valeur-partage"], url="https://example.org/repair", label="Repair"
    )
    Report.objects.filter(pk=old.pk).update(status=Report.Status.APPROVED)

    v2 = publish_version_2()
    factories.SignatureFactory(place=place, version=v2, fingerprint=v2.fingerprint)
    new = report_services.create_report(
        place=place, campaign=factories.CampaignFactory(year=2026), by=editor
    )

    assert new.version == v2
    answers = {a.commitment.key: a for a in new.answers.select_related("commitment")}
    assert set(answers) == set(v2.commitments.values_list("key", flat=True))
    assert "valeur-laicite" not in answers
    partage = answers["valeur-partage"]
    assert (partage.level, partage.narrative, partage.actions, partage.carried_over) == (
        "4",
        "Nous partageons tout.",
        "Repair café",
        True,
    )
    assert partage.commitment.version == v2  # the new version's commitment, matched by key
    assert partage.evidence.get().url == "https://example.org/repair"
    assert answers["valeur-solidarite"].carried_over and answers["valeur-solidarite"].level == "2"
    ecologie = answers["valeur-ecologie"]
    assert (ecologie.level, ecologie.carried_over) == ("", False)
    assert "2025" in new.transitions.get().text()
    # Editing an answer removes the mark.
    report_services.save_answers(report=new, by=editor, answers={partage.pk: {"level": "3"}})
    partage.refresh_from_db()
    assert not partage.carried_over


def test_no_prefill_from_a_report_that_was_not_approved(place, signature, editor):
    old = report_services.create_report(
        place=place, campaign=factories.CampaignFactory(year=2025), by=editor
    )
    Answer.objects.filter(report=old).update(level="2", narrative="Brouillon jamais envoyé")
    new = report_services.create_report(
        place=place, campaign=factories.CampaignFactory(year=2026), by=editor
    )
    assert not new.answers.filter(carried_over=True).exists()
    assert not new.answers.exclude(level="").exists()


def test_statuses_follow_the_calendar(place, signature, editor):
    opens = datetime.date(2026, 1, 15)
    campaign = factories.CampaignFactory(
        year=2026, opens_on=opens, due_on=datetime.date(2026, 3, 31), grace_days=90
    )

    def status_now():
        [row] = [c for c in report_services.campaigns_for_place(place) if c.pk == campaign.pk]
        annotated = Place.objects.with_reporting_status(campaign).get(pk=place.pk).reporting_status
        assert annotated == row.status  # the Python rule and the SQL one agree
        return row.phase, row.status

    with time_machine.travel(datetime.datetime(2026, 1, 10, 12, tzinfo=datetime.UTC)):
        assert status_now() == (report_services.Phase.UPCOMING, ReportingStatus.NOT_STARTED)
        with pytest.raises(report_services.ReportingError, match="ouvre le"):
            report_services.create_report(place=place, campaign=campaign, by=editor)
    with time_machine.travel(datetime.datetime(2026, 2, 1, 12, tzinfo=datetime.UTC)):
        assert status_now() == (report_services.Phase.OPEN, ReportingStatus.NOT_STARTED)
        report_services.create_report(place=place, campaign=campaign, by=editor)
        assert status_now() == (report_services.Phase.OPEN, ReportingStatus.DRAFT)
    with time_machine.travel(datetime.datetime(2026, 4, 2, 12, tzinfo=datetime.UTC)):
        assert status_now() == (report_services.Phase.OPEN, ReportingStatus.LATE)
    with time_machine.travel(datetime.datetime(2026, 6, 29, 12, tzinfo=datetime.UTC)):
        assert status_now() == (report_services.Phase.OPEN, ReportingStatus.LATE)
    with time_machine.travel(datetime.datetime(2026, 7, 1, 12, tzinfo=datetime.UTC)):
        assert status_now() == (report_services.Phase.CLOSED, ReportingStatus.NON_COMMUNICATING)


def test_extension_moves_late_back_to_draft(place, signature, editor, representative, coordinator):
    campaign = factories.CampaignFactory(
        year=2026, opens_on=datetime.date(2026, 1, 1), due_on=datetime.date(2026, 3, 31)
    )
    with time_machine.travel(datetime.datetime(2026, 3, 1, 12, tzinfo=datetime.UTC)):
        report_services.create_report(place=place, campaign=campaign, by=editor)
        extension = extension_services.request_extension(
            place=place, campaign=campaign, by=representative, reason="Incendie des locaux"
        )
    with time_machine.travel(datetime.datetime(2026, 4, 10, 12, tzinfo=datetime.UTC)):
        [row] = report_services.campaigns_for_place(place)
        assert row.status == ReportingStatus.LATE and row.has_pending_extension
        extension_services.grant_extension(
            extension=extension, by=coordinator, due_on=datetime.date(2026, 5, 31)
        )
        [row] = report_services.campaigns_for_place(place)
        assert row.status == ReportingStatus.DRAFT
        assert row.effective_due_on == datetime.date(2026, 5, 31)


def test_sent_reports_are_never_late(complete_report, place, editor):
    campaign = complete_report.campaign
    report_services.submit_report(report=complete_report, by=editor)
    late = campaign.due_on + datetime.timedelta(days=campaign.grace_days + 5)
    with time_machine.travel(
        datetime.datetime.combine(late, datetime.time(12), tzinfo=datetime.UTC)
    ):
        [row] = report_services.campaigns_for_place(place)
        assert row.status == ReportingStatus.SUBMITTED
