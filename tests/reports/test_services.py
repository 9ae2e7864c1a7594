"""Every transition of a report, the forbidden ones too, and the e-mails they send."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from members.models import (
    Answer,
    Extension,
    Indicator,
    Membership,
    Place,
    Report,
    ReportTransition,
)
from members.services import extensions as extension_services
from members.services import reports as report_services
from tests import factories

pytestmark = pytest.mark.django_db


def test_default_indicators_are_loaded_with_both_languages():
    keys = set(Indicator.objects.values_list("key", flat=True))
    assert {"benevoles", "etp", "budget-total", "budget-public", "ca-beneficiaires"} <= keys
    assert not Indicator.objects.filter(label_en="").exists()
    assert set(Indicator.objects.values_list("commitment_key", flat=True)) == {
        "ambition-economie-mixte",
        "ambition-emploi",
        "ambition-modele-social-cogere",
        "ambition-ancrage-territorial",
    }
    assert Indicator.objects.get(key="etp").kind == Indicator.Kind.DECIMAL


def test_create_report_has_one_answer_per_commitment(report, editor):
    assert report.status == Report.Status.DRAFT
    assert report.answers.count() == report.version.commitments.count() == 18
    transition = report.transitions.get()
    assert (transition.from_status, transition.to_status, transition.by) == (
        "",
        Report.Status.DRAFT,
        editor,
    )


def test_one_report_per_place_and_campaign(report, place, campaign, editor):
    with pytest.raises(report_services.ReportingError, match="déjà un bilan"):
        report_services.create_report(place=place, campaign=campaign, by=editor)
    assert Report.objects.count() == 1


@pytest.mark.parametrize(
    "status", [Place.Status.APPLICANT, Place.Status.SUSPENDED, Place.Status.WITHDRAWN]
)
def test_only_member_places_report(place, signature, campaign, editor, status):
    Place.objects.filter(pk=place.pk).update(status=status)
    place.refresh_from_db()
    with pytest.raises(report_services.ReportingError, match="membre"):
        report_services.create_report(place=place, campaign=campaign, by=editor)


def test_a_valid_signature_is_required(place, campaign, editor):
    with pytest.raises(report_services.ReportingError, match="signé la charte"):
        report_services.create_report(place=place, campaign=campaign, by=editor)


def test_campaign_not_open_yet_or_closed(place, signature, editor):
    today = timezone.localdate()
    upcoming = factories.CampaignFactory(
        year=2030,
        opens_on=today + datetime.timedelta(days=5),
        due_on=today + datetime.timedelta(days=60),
    )
    with pytest.raises(report_services.ReportingError, match="ouvre le"):
        report_services.create_report(place=place, campaign=upcoming, by=editor)
    closed = factories.past_campaign(year=2020, opened_days_ago=200, due_days_ago=100)
    with pytest.raises(report_services.ReportingError, match="close"):
        report_services.create_report(place=place, campaign=closed, by=editor)
    # A granted extension reopens the campaign for that place only.
    Extension.objects.create(
        place=place,
        campaign=closed,
        reason="Inondation",
        status=Extension.Status.GRANTED,
        due_on=today,
    )
    assert report_services.create_report(place=place, campaign=closed, by=editor).pk


def test_submit_requires_every_commitment_and_required_indicator(report, editor):
    with pytest.raises(report_services.ReportIncomplete) as error:
        report_services.submit_report(report=report, by=editor)
    assert len(error.value.missing_commitments) == 18
    assert {i.key for i in error.value.missing_indicators} == {
        "benevoles",
        "salaries",
        "personnes-touchees",
        "budget-total",
    }
    report.refresh_from_db()
    assert report.status == Report.Status.DRAFT


def test_submit_refuses_a_budget_that_does_not_add_up(complete_report, editor):
    budget = {i.key: i for i in Indicator.objects.filter(key__startswith="budget-")}
    report_services.save_answers(
        report=complete_report,
        by=editor,
        indicators={budget["budget-ventes"]: Decimal(10), budget["budget-public"]: Decimal(20)},
    )
    with pytest.raises(report_services.ReportIncomplete, match="30"):
        report_services.submit_report(report=complete_report, by=editor)


def test_full_cycle_with_transitions_and_emails(
    committed, complete_report, place, editor, representative, viewer, coordinator
):
    report = complete_report
    committed(report_services.submit_report, report=report, by=editor)
    assert report.status == Report.Status.SUBMITTED and report.submitted_at
    assert [m.to for m in mail.outbox] == [[coordinator.email]]
    assert place.name in mail.outbox[0].subject

    mail.outbox.clear()
    answer = report.answers.order_by("pk").first()
    committed(
        report_services.request_changes,
        report=report,
        by=coordinator,
        message="Précisez les actions.",
        comments={answer.pk: "Un exemple ?"},
    )
    assert report.status == Report.Status.CHANGES_REQUESTED
    # The comment opens the commitment's thread, in the round of the first sending.
    [message] = answer.messages.all()
    assert (message.body, message.author, message.round) == ("Un exemple ?", coordinator, 1)
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == sorted([editor.email, representative.email])  # not the viewer
    assert "Précisez les actions." in mail.outbox[0].body

    committed(report_services.resubmit_report, report=report, by=editor, message="C’est fait.")
    assert report.status == Report.Status.SUBMITTED
    committed(report_services.approve_report, report=report, by=coordinator, message="Merci !")
    assert report.status == Report.Status.APPROVED and report.approved_at
    steps = list(report.transitions.order_by("at", "pk").values_list("from_status", "to_status"))
    assert steps == [
        ("", "draft"),
        ("draft", "submitted"),
        ("submitted", "changes_requested"),
        ("changes_requested", "submitted"),
        ("submitted", "approved"),
    ]
    assert ReportTransition.objects.filter(report=report, by=coordinator).count() == 2


def test_emails_go_out_in_the_recipients_language(
    committed, complete_report, editor, representative, coordinator
):
    editor.language = "en"
    editor.save()
    committed(report_services.submit_report, report=complete_report, by=editor)
    mail.outbox.clear()
    committed(report_services.approve_report, report=complete_report, by=coordinator)
    subjects = {m.to[0]: m.subject for m in mail.outbox}
    # The campaign's name follows the recipient's language (the wording itself comes from the
    # English catalogue, filled at merge).
    assert "2026 report" in subjects[editor.email]
    assert "Bilan 2026" in subjects[representative.email]


def test_forbidden_transitions(report, complete_report, editor, coordinator):
    # Draft: cannot be approved, sent back or resubmitted.
    for service, kwargs in (
        (report_services.approve_report, {}),
        (report_services.request_changes, {"message": "Non"}),
        (report_services.resubmit_report, {}),
    ):
        with pytest.raises(report_services.ReportingError):
            service(report=report, by=coordinator, **kwargs)
    report_services.submit_report(report=report, by=editor)
    # Submitted: not twice, not editable, changes need a message.
    with pytest.raises(report_services.ReportingError):
        report_services.submit_report(report=report, by=editor)
    with pytest.raises(report_services.ReportingError, match="Expliquez"):
        report_services.request_changes(report=report, by=coordinator, message="  ")
    with pytest.raises(report_services.ReportingError, match="ne peut plus"):
        report_services.save_answers(report=report, by=editor, answers={})
    report_services.approve_report(report=report, by=coordinator)
    # Approved: final.
    for service, kwargs in (
        (report_services.approve_report, {}),
        (report_services.request_changes, {"message": "Non"}),
        (report_services.submit_report, {}),
        (report_services.resubmit_report, {}),
    ):
        with pytest.raises(report_services.ReportingError):
            service(report=report, by=coordinator, **kwargs)
    assert Report.objects.get(pk=report.pk).status == Report.Status.APPROVED


def test_stale_object_cannot_move_twice(complete_report, editor, coordinator):
    """Two coordinators deciding at once: the second one's object is stale and refused."""
    report_services.submit_report(report=complete_report, by=editor)
    stale = Report.objects.get(pk=complete_report.pk)
    report_services.approve_report(report=complete_report, by=coordinator)
    with pytest.raises(report_services.ReportingError):
        report_services.request_changes(report=stale, by=coordinator, message="Trop tard")
    assert Report.objects.get(pk=complete_report.pk).status == Report.Status.APPROVED


def test_not_applicable_needs_a_reason_in_the_database(report, editor):
    answer = report.answers.first()
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Answer.objects.filter(pk=answer.pk).update(level=Answer.Level.NOT_APPLICABLE)


def test_save_answers_clears_carried_over_and_records_who(report, editor):
    answer = report.answers.first()
    Answer.objects.filter(pk=answer.pk).update(carried_over=True)
    report_services.save_answers(
        report=report,
        by=editor,
        answers={
            answer.pk: {
                "level": "2",
                "narrative": "Nouveau",
                "new_links": [("https://example.org/compte-rendu", "Compte rendu")],
            }
        },
    )
    answer.refresh_from_db()
    assert (answer.level, answer.carried_over, answer.updated_by) == ("2", False, editor)
    assert answer.evidence.get().url == "https://example.org/compte-rendu"
    assert report.revision == 1  # created at 0, one save


def test_conflict_is_detected_per_answer_and_nothing_is_overwritten(report, editor, representative):
    answer = report.answers.order_by("pk").first()
    loaded_at = answer.revision
    report_services.save_answers(
        report=report,
        by=representative,
        answers={answer.pk: {"narrative": "Version de Sam", "revision": loaded_at}},
    )
    with pytest.raises(report_services.ReportConflict) as error:
        report_services.save_answers(
            report=report,
            by=editor,
            answers={answer.pk: {"narrative": "Version d’Alex", "revision": loaded_at}},
        )
    answer.refresh_from_db()
    assert answer.narrative == "Version de Sam"
    [change] = error.value.changes
    assert change.answer.updated_by == representative
    assert [(str(label), theirs, yours) for label, theirs, yours, _n, _r in change.fields] == [
        ("récit", "Version de Sam", "Version d’Alex")
    ]
    # Saving again on the answer's revision the conflict reported overwrites, knowingly.
    report_services.save_answers(
        report=report,
        by=editor,
        answers={answer.pk: {"narrative": "Version d’Alex", "revision": change.answer.revision}},
    )
    answer.refresh_from_db()
    assert answer.narrative == "Version d’Alex"


def save_narratives(report, *, by, narratives, loaded):
    """``by`` saves ``narratives`` (answer: text) from a page that showed the revisions
    ``loaded`` (answer pk: revision)."""
    return report_services.save_answers(
        report=report,
        by=by,
        answers={
            a.pk: {"narrative": text, "revision": loaded[a.pk]} for a, text in narratives.items()
        },
    )


def test_two_editors_on_two_commitments_never_block_each_other(report, editor, representative):
    first, second = report.answers.order_by("pk")[:2]
    loaded = {first.pk: first.revision, second.pk: second.revision}
    save_narratives(report, by=representative, narratives={first: "Premier"}, loaded=loaded)
    save_narratives(report, by=editor, narratives={second: "Second"}, loaded=loaded)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.narrative, second.narrative) == ("Premier", "Second")


def test_a_conflict_on_one_answer_still_saves_the_others(report, editor, representative):
    first, second = report.answers.order_by("pk")[:2]
    loaded = {first.pk: first.revision, second.pk: second.revision}
    save_narratives(report, by=representative, narratives={first: "Sam"}, loaded=loaded)
    with pytest.raises(report_services.ReportConflict) as error:
        save_narratives(
            report, by=editor, narratives={first: "Alex", second: "Alex aussi"}, loaded=loaded
        )
    assert [c.answer.pk for c in error.value.changes] == [first.pk]
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.narrative, second.narrative) == ("Sam", "Alex aussi")


def test_indicator_conflict_lists_both_values(report, editor, representative):
    volunteers = Indicator.objects.get(key="benevoles")
    report_services.save_answers(
        report=report,
        by=representative,
        indicators={volunteers: Decimal(8)},
        indicators_loaded={volunteers.pk: None},
    )
    with pytest.raises(report_services.ReportConflict) as error:
        report_services.save_answers(
            report=report,
            by=editor,
            indicators={volunteers: Decimal(9)},
            indicators_loaded={volunteers.pk: None},
        )
    assert error.value.indicator_changes == [(volunteers, Decimal(8), Decimal(9))]


def test_a_prefilled_answer_counts_once_confirmed(report, editor):
    answer = report.answers.order_by("pk").first()
    report.answers.filter(pk=answer.pk).update(level="3", carried_over=True)
    assert report_services.progress(report)[0] == 0
    report_services.save_answers(report=report, by=editor, answers={answer.pk: {"confirm": True}})
    answer.refresh_from_db()
    assert not answer.carried_over and answer.level == "3"
    assert report_services.progress(report)[0] == 1


def test_extension_request_and_grant(
    committed, place, campaign, representative, editor, coordinator
):
    with pytest.raises(report_services.ReportingError, match="représentant"):
        extension_services.request_extension(
            place=place, campaign=campaign, by=editor, reason="Trop de travail"
        )
    extension = committed(
        extension_services.request_extension,
        place=place,
        campaign=campaign,
        by=representative,
        reason="Déménagement",
    )
    assert extension.status == Extension.Status.PENDING
    assert [m.to for m in mail.outbox] == [[coordinator.email]]
    with pytest.raises(report_services.ReportingError, match="déjà en attente"):
        extension_services.request_extension(
            place=place, campaign=campaign, by=representative, reason="Encore"
        )
    with pytest.raises(report_services.ReportingError, match="postérieure"):
        extension_services.grant_extension(
            extension=extension, by=coordinator, due_on=campaign.due_on
        )
    mail.outbox.clear()
    new_due = campaign.due_on + datetime.timedelta(days=30)
    committed(
        extension_services.grant_extension, extension=extension, by=coordinator, due_on=new_due
    )
    assert (extension.status, extension.due_on, extension.decided_by) == (
        Extension.Status.GRANTED,
        new_due,
        coordinator,
    )
    assert [m.to for m in mail.outbox] == [[representative.email]]
    assert report_services.effective_due_on(campaign, place) == new_due
    with pytest.raises(report_services.ReportingError, match="déjà reçu"):
        extension_services.refuse_extension(extension=extension, by=coordinator)


def test_extension_refused_when_already_sent(
    complete_report, place, campaign, representative, editor
):
    report_services.submit_report(report=complete_report, by=editor)
    with pytest.raises(report_services.ReportingError, match="déjà été envoyé"):
        extension_services.request_extension(
            place=place, campaign=campaign, by=representative, reason="Oups"
        )


def test_published_reports(complete_report, place, editor, coordinator):
    assert not Report.objects.published().exists()
    report_services.submit_report(report=complete_report, by=editor)
    assert not Report.objects.published().exists()
    report_services.approve_report(report=complete_report, by=coordinator)
    assert list(Report.objects.published()) == [complete_report]
    report_services.set_publication(report=complete_report, by=editor, publish=False)
    assert not Report.objects.published().exists()
    report_services.set_publication(report=complete_report, by=editor, publish=True)
    Place.objects.filter(pk=place.pk).update(is_public=False)
    assert not Report.objects.published().exists()


def test_notifications_skip_inactive_and_viewers(
    committed, complete_report, place, editor, coordinator
):
    gone = factories.MembershipFactory(place=place, role=Membership.Role.EDITOR).user
    gone.is_active = False
    gone.save()
    committed(report_services.submit_report, report=complete_report, by=editor)
    mail.outbox.clear()
    committed(report_services.approve_report, report=complete_report, by=coordinator)
    assert gone.email not in [m.to[0] for m in mail.outbox]
    assert editor.email in [m.to[0] for m in mail.outbox]
